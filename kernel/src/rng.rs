//! The one random number generator of the project, and how it is seeded.
//!
//! Every random choice (sample indices, shuffles, generated data) comes from
//! PCG32 (PCG XSH RR 64/32, O'Neill 2014), a named algorithm whose output is
//! identical on every platform, native and wasm32 alike, and which needs only 64-bit
//! arithmetic (fast in WebAssembly too). It is written out here (a dozen lines) rather
//! than taken from `rand_pcg` so that its state is two plain words the ensemble kernel
//! keeps in registers; a test checks it against `rand_pcg::Pcg32` draw for draw. Run `r` of a scenario with seed
//! `s` draws from its own PCG stream `Rng::for_run(s, r)` (its own increment), which
//! depends on nothing else, so run `r` is the same whatever the number of runs.
//! Indices are drawn as `u32` with Lemire's method and normal variates with
//! Box–Muller through `libm`, so no step depends on the platform's `usize` or libm.
//!
//! [`Rng`] is also a generator of the rand ecosystem: it implements `rand_core`'s
//! [`RngCore`] and [`SeedableRng`] exactly as `rand_pcg::Pcg32` does (same seed, same
//! draws), so `rand`'s distributions can drive it. The simulator never goes through the
//! traits: its hot loops call the inherent methods, which the traits only forward to.

pub use rand_core::{RngCore, SeedableRng};

/// Purpose tags keep the streams of different uses of one seed apart.
const RUN_STREAM: u64 = 0x5347_445f_5255_4e00; // "SGD_RUN"
const DATA_STREAM: u64 = 0x5347_445f_4441_5441; // "SGD_DATA"

/// SplitMix64's finaliser: a bijective, well-mixing map of 64-bit words.
#[inline]
pub fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// PCG's 64-bit LCG multiplier.
const PCG_MUL: u64 = 6_364_136_223_846_793_005;

/// PCG32: a 64-bit LCG state and its (odd) increment, which selects the stream.
#[derive(Clone, Debug)]
pub struct Rng {
    state: u64,
    inc: u64,
}

/// The LCG step.
#[inline(always)]
fn lcg(state: u64, inc: u64) -> u64 {
    state.wrapping_mul(PCG_MUL).wrapping_add(inc)
}

/// PCG's XSH RR output of a state: xorshift high, then a random rotation.
#[inline(always)]
fn xsh_rr(state: u64) -> u32 {
    let rot = (state >> 59) as u32;
    let xsh = (((state >> 18) ^ state) >> 27) as u32;
    xsh.rotate_right(rot)
}

impl Rng {
    /// `Pcg32::new(state, stream)` of rand_pcg and of PCG's reference `pcg32_srandom`.
    fn pcg32(state: u64, stream: u64) -> Rng {
        let inc = (stream << 1) | 1;
        Rng {
            state: lcg(state.wrapping_add(inc), inc),
            inc,
        }
    }

    fn from_parts(tag: u64, seed: u64, stream: u64) -> Rng {
        // PCG's own streams: one increment per (purpose, run), one start state per seed.
        let state = splitmix64(tag ^ splitmix64(seed));
        let increment = splitmix64(state ^ splitmix64(stream.wrapping_add(tag)));
        Rng::pcg32(state, increment)
    }

    /// The sampling stream of run `run` of a scenario seeded with `seed`.
    pub fn for_run(seed: u64, run: u64) -> Rng {
        Rng::from_parts(RUN_STREAM, seed, run)
    }

    /// The stream a data generator draws from.
    pub fn for_data(seed: u64) -> Rng {
        Rng::from_parts(DATA_STREAM, seed, 0)
    }

    #[inline(always)]
    pub fn next_u32(&mut self) -> u32 {
        let old = self.state;
        self.state = lcg(old, self.inc);
        xsh_rr(old)
    }

    /// Two 32-bit draws, the first in the low half (as rand_core's `next_u64_via_u32`).
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        let lo = self.next_u32() as u64;
        let hi = self.next_u32() as u64;
        (hi << 32) | lo
    }

    /// A uniform index in `0..n` (`n ≥ 1`), by Lemire's multiply-shift with rejection:
    /// exactly uniform, and one 32-bit draw almost always.
    /// (The rejection is out of line so that callers' loops have no inner loop and
    /// unroll: the ensemble's interleaved kernel relies on it.)
    #[inline(always)]
    pub fn index(&mut self, n: u32) -> u32 {
        let m = self.next_u32() as u64 * n as u64;
        if (m as u32) < n {
            return self.index_slow(n, m);
        }
        (m >> 32) as u32
    }

    /// The rare branch of `index`: reject draws below 2^32 mod n.
    /// (It takes `&mut self`, which keeps the ensemble kernel's generators in linear
    /// memory in WebAssembly: V8 then loads and stores them, which measured faster
    /// than the spills it makes when they are locals — 335 against 236 M steps/s.)
    #[cold]
    #[inline(never)]
    fn index_slow(&mut self, n: u32, mut m: u64) -> u32 {
        let threshold = n.wrapping_neg() % n;
        while (m as u32) < threshold {
            m = self.next_u32() as u64 * n as u64;
        }
        (m >> 32) as u32
    }

    /// A uniform `f64` in `[0, 1)` with 53 random bits.
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A standard normal variate (Box–Muller; one of the pair is discarded so the
    /// stream position does not depend on call history).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform(); // (0, 1]
        let u2 = self.uniform();
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * core::f64::consts::PI * u2)
    }

    /// Fisher–Yates shuffle driven by `index`.
    pub fn shuffle(&mut self, v: &mut [u32]) {
        for i in (1..v.len()).rev() {
            let j = self.index(i as u32 + 1) as usize;
            v.swap(i, j);
        }
    }
}

/// Forwards to the inherent methods (which method calls pick first, so the simulator's
/// loops are the same code with or without the trait in scope). `fill_bytes` is
/// rand_core's `fill_bytes_via_next`, as in `rand_pcg`: whole `next_u64` words in
/// little-endian order, then the tail from one more `next_u64` (5–7 bytes) or
/// `next_u32` (1–4 bytes).
impl RngCore for Rng {
    #[inline]
    fn next_u32(&mut self) -> u32 {
        Rng::next_u32(self)
    }

    #[inline]
    fn next_u64(&mut self) -> u64 {
        Rng::next_u64(self)
    }

    fn fill_bytes(&mut self, dst: &mut [u8]) {
        rand_core::impls::fill_bytes_via_next(self, dst)
    }
}

/// Seeding as `rand_pcg::Pcg32`. These generators are for users of the rand
/// ecosystem; the simulator seeds its streams with [`Rng::for_run`] and
/// [`Rng::for_data`], which are not `seed_from_u64` of anything.
impl SeedableRng for Rng {
    /// 16 bytes: PCG's start state (bytes 0–7) and its increment (bytes 8–15), both
    /// little-endian; the increment's lowest bit is set, since PCG needs it odd.
    type Seed = [u8; 16];

    /// `Pcg32::from_seed`: the state is advanced once by the increment and one LCG step
    /// before the first output, as PCG's `pcg32_srandom` does.
    fn from_seed(seed: [u8; 16]) -> Rng {
        let mut state = [0u8; 8];
        let mut inc = [0u8; 8];
        state.copy_from_slice(&seed[..8]);
        inc.copy_from_slice(&seed[8..]);
        let inc = u64::from_le_bytes(inc) | 1;
        Rng {
            state: lcg(u64::from_le_bytes(state).wrapping_add(inc), inc),
            inc,
        }
    }

    // `seed_from_u64` is rand_core's provided method (it expands the number into the
    // 16 seed bytes with a PCG32 of its own, then calls `from_seed`), which is also
    // what `rand_pcg::Pcg32::seed_from_u64` is; the tests check the two agree.
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pcg32_is_rand_pcg_draw_for_draw() {
        use rand_core::RngCore;
        for (state, stream) in [
            (0, 0),
            (42, 54),
            (u64::MAX, u64::MAX),
            (0x853c_49e6_748f_ea9b, 0xda3e_39cb_94b9_5bdb),
        ] {
            let mut ours = Rng::pcg32(state, stream);
            let mut theirs = rand_pcg::Pcg32::new(state, stream);
            for _ in 0..1000 {
                assert_eq!(ours.next_u32(), theirs.next_u32());
            }
            for _ in 0..100 {
                assert_eq!(ours.next_u64(), theirs.next_u64());
            }
        }
    }

    /// Draws through the traits only (fully qualified, so no inherent method is
    /// picked), interleaving every kind of call, including every tail of `fill_bytes`.
    fn assert_same_draws(ours: &mut Rng, theirs: &mut rand_pcg::Pcg32) {
        for _ in 0..200 {
            assert_eq!(RngCore::next_u32(ours), RngCore::next_u32(theirs));
            assert_eq!(RngCore::next_u64(ours), RngCore::next_u64(theirs));
        }
        for len in [0, 1, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 31, 1000] {
            let mut a = vec![0u8; len];
            let mut b = vec![0u8; len];
            RngCore::fill_bytes(ours, &mut a);
            RngCore::fill_bytes(theirs, &mut b);
            assert_eq!(a, b, "fill_bytes of {len} bytes");
            assert_eq!(RngCore::next_u32(ours), RngCore::next_u32(theirs));
        }
    }

    #[test]
    fn rng_core_and_from_seed_are_rand_pcg_draw_for_draw() {
        let seeds: [[u8; 16]; 3] = [
            [0; 16],
            [0xff; 16],
            core::array::from_fn(|k| (k as u8).wrapping_mul(37).wrapping_add(11)),
        ];
        for seed in seeds {
            let mut ours = <Rng as SeedableRng>::from_seed(seed);
            let mut theirs = <rand_pcg::Pcg32 as SeedableRng>::from_seed(seed);
            assert_same_draws(&mut ours, &mut theirs);
        }
        // The documented layout: state then increment, little-endian, low bit forced;
        // with increment 2·stream + 1 it is PCG's `pcg32_srandom(state, stream)`.
        let (state, stream) = (0x853c_49e6_748f_ea9b_u64, 0x5a3e_39cb_94b9_5bdb_u64);
        let mut seed = [0u8; 16];
        seed[..8].copy_from_slice(&state.to_le_bytes());
        seed[8..].copy_from_slice(&(stream << 1).to_le_bytes()); // low bit 0: set by from_seed
        let mut a = Rng::from_seed(seed);
        let mut b = Rng::pcg32(state, stream);
        for _ in 0..100 {
            assert_eq!(a.next_u32(), b.next_u32());
        }
    }

    #[test]
    fn seed_from_u64_is_rand_pcg_and_tells_numbers_apart() {
        let mut firsts = Vec::new();
        for n in [0, 1, 42, 1 << 53, u64::MAX] {
            let mut ours = Rng::seed_from_u64(n);
            let mut theirs = rand_pcg::Pcg32::seed_from_u64(n);
            firsts.push(ours.clone().next_u64());
            assert_same_draws(&mut ours, &mut theirs);
        }
        firsts.sort_unstable();
        firsts.dedup();
        assert_eq!(firsts.len(), 5, "five seeds, five different streams");
    }

    #[test]
    fn pcg32_matches_the_reference_implementation() {
        // pcg32-global-demo of O'Neill's pcg-c-basic: pcg32_srandom(42, 54), first six
        // outputs of pcg32_random.
        let mut r = Rng::pcg32(42, 54);
        let out: Vec<u32> = (0..6).map(|_| r.next_u32()).collect();
        assert_eq!(
            out,
            [0xa15c02b7, 0x7b47f409, 0xba1d3330, 0x83d2f293, 0xbfa4784b, 0xcbed606e]
        );
    }

    #[test]
    fn splitmix64_is_vigna_s_reference() {
        // The first outputs of Vigna's splitmix64.c seeded with 0 (x += γ, then mix):
        // published test vectors, not our own output.
        let mut x = 0u64;
        let mut next = || {
            let out = splitmix64(x);
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            out
        };
        assert_eq!(next(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(next(), 0x6e78_9e6a_a1b9_65f4);
        assert_eq!(next(), 0x06c4_5d18_8009_454f);
    }

    #[test]
    fn streams_are_rand_pcg_generators_seeded_as_documented() {
        // Value stability: run r of seed s is rand_pcg's Pcg32::new(state, increment)
        // with state = splitmix64(tag ^ splitmix64(s)) and increment =
        // splitmix64(state ^ splitmix64(r + tag)), so the draws of every saved link are
        // fixed by two published algorithms, not by this file.
        use rand_core::RngCore as _;
        for (seed, run) in [(0u64, 0u64), (0, 1), (1, 0), (42, 7), (u64::MAX, 1 << 40)] {
            let state = splitmix64(RUN_STREAM ^ splitmix64(seed));
            let inc = splitmix64(state ^ splitmix64(run.wrapping_add(RUN_STREAM)));
            let mut theirs = rand_pcg::Pcg32::new(state, inc);
            let mut ours = Rng::for_run(seed, run);
            for _ in 0..64 {
                assert_eq!(ours.next_u32(), theirs.next_u32(), "seed {seed} run {run}");
            }
        }
        let state = splitmix64(DATA_STREAM ^ splitmix64(9));
        let inc = splitmix64(state ^ splitmix64(DATA_STREAM));
        let mut theirs = rand_pcg::Pcg32::new(state, inc);
        let mut ours = Rng::for_data(9);
        for _ in 0..64 {
            assert_eq!(ours.next_u32(), theirs.next_u32());
        }
        // Different runs are different streams.
        let mut a = Rng::for_run(0, 0);
        let mut b = Rng::for_run(0, 1);
        assert_ne!(
            (0..4).map(|_| a.next_u32()).collect::<Vec<_>>(),
            (0..4).map(|_| b.next_u32()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn index_is_lemire_with_rejection_including_rejections() {
        // The textbook form, with the loop inline; n = 2³¹ + 1 rejects about half the draws.
        fn reference(r: &mut Rng, n: u32) -> u32 {
            let threshold = n.wrapping_neg() % n;
            loop {
                let m = r.next_u32() as u64 * n as u64;
                if m as u32 >= threshold {
                    return (m >> 32) as u32;
                }
            }
        }
        for n in [1u32, 2, 3, 7, 100, 1 << 20, (1 << 31) + 1, u32::MAX] {
            let mut a = Rng::for_run(5, n as u64);
            let mut b = a.clone();
            for _ in 0..2000 {
                assert_eq!(a.index(n), reference(&mut b, n), "n = {n}");
            }
            assert_eq!(a.next_u64(), b.next_u64());
        }
    }

    #[test]
    fn index_is_uniform_on_a_small_range() {
        let mut r = Rng::for_run(7, 3);
        let mut counts = [0u32; 3];
        let draws = 300_000;
        for _ in 0..draws {
            counts[r.index(3) as usize] += 1;
        }
        // Each count is Binomial(300000, 1/3): sd ≈ 258; allow 5 sd.
        for c in counts {
            assert!((c as f64 - 100_000.0).abs() < 5.0 * 258.0, "{counts:?}");
        }
    }

    #[test]
    fn normal_has_unit_variance() {
        let mut r = Rng::for_data(11);
        let k = 200_000;
        let xs: Vec<f64> = (0..k).map(|_| r.normal()).collect();
        let mean = xs.iter().sum::<f64>() / k as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / k as f64;
        // Standard errors: mean 1/√k ≈ 0.0022, variance √(2/k) ≈ 0.0032.
        assert!(mean.abs() < 0.012, "{mean}");
        assert!((var - 1.0).abs() < 0.016, "{var}");
    }

    #[test]
    fn shuffle_is_a_permutation() {
        let mut r = Rng::for_run(1, 1);
        let mut v: Vec<u32> = (0..50).collect();
        r.shuffle(&mut v);
        let mut s = v.clone();
        s.sort();
        assert_eq!(s, (0..50).collect::<Vec<u32>>());
        assert_ne!(v, (0..50).collect::<Vec<u32>>());
    }
}
