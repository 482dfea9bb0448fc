//! Per-step quantiles of *all* runs in O(steps) memory: a histogram of the loss gap
//! at every step on logarithmic bins, read off as quantiles (the 10–90 % band of
//! 10 000 runs without keeping 10 000 trajectories).
//!
//! The bins come from the bits of the value: a positive double's bits, shifted right by
//! 52 − 3, are its binary exponent and the top 3 bits of its mantissa, so each octave
//! [2^k, 2^(k+1)) is cut into 8 bins (each at most 2^(1/8) ≈ 1.09 times as wide as its
//! lower edge). A step's bins are centred on the first positive value added at that
//! step (run order, so the same for any slicing) and span ±32 octaves (±9.6 decades)
//! around it; values beyond are counted in the end bins; the lowest bin holds zeros only.
//! Counts are integers: the result is the same bits however the runs are sliced.

/// Bins per step.
pub const BINS: usize = 512;
const HALF: i64 = (BINS / 2) as i64;
/// Bits below the 3 mantissa bits kept: 8 bins per octave.
const SHIFT: u32 = 52 - 3;

#[derive(Clone, Debug, PartialEq)]
pub struct LogHistogram {
    /// The key (bits >> SHIFT) of each step's centre; `i64::MIN` until a positive value.
    center: Vec<i64>,
    /// `BINS` counts per step.
    counts: Vec<u32>,
}

impl LogHistogram {
    pub fn new(points: usize) -> LogHistogram {
        LogHistogram {
            center: vec![i64::MIN; points],
            counts: vec![0; points * BINS],
        }
    }

    /// Adds the finite value `v` ≥ 0 at step `t`.
    #[inline(always)]
    pub fn add(&mut self, t: usize, v: f64) {
        let bin = if v > 0.0 {
            let key = (v.to_bits() >> SHIFT) as i64;
            if self.center[t] == i64::MIN {
                self.center[t] = key;
            }
            (key - self.center[t] + HALF).clamp(1, BINS as i64 - 1) as usize
        } else {
            0
        };
        self.counts[t * BINS + bin] += 1;
    }

    /// The q-quantile (0 ≤ q ≤ 1) at step `t`: the value at position q·(N − 1) among
    /// the N values counted there, as the band of kept runs takes it from sorted values.
    /// Within a bin the values are taken as spread evenly on the log scale, so the result
    /// is within one bin (a factor 2^(1/8)) of the two order statistics around that
    /// position. NaN if no value.
    pub fn quantile(&self, t: usize, q: f64) -> f64 {
        let row = &self.counts[t * BINS..(t + 1) * BINS];
        let total: u64 = row.iter().map(|&c| c as u64).sum();
        if total == 0 {
            return f64::NAN;
        }
        if self.center[t] == i64::MIN {
            return 0.0; // Only zeros.
        }
        let pos = q.clamp(0.0, 1.0) * (total - 1) as f64;
        let mut before = 0u64;
        for (bin, &c) in row.iter().enumerate() {
            let c = c as u64;
            if c == 0 {
                continue;
            }
            if pos < (before + c) as f64 {
                let key = self.center[t] + bin as i64 - HALF;
                let edge = |k: i64| f64::from_bits((k.max(0) as u64) << SHIFT);
                let (lo, hi) = (edge(key), edge(key + 1));
                if bin == 0 {
                    return 0.0;
                }
                // The j-th of c values in the bin sits at (j + ½)/c of it, on the log scale.
                let frac = ((pos - before as f64) + 0.5) / c as f64;
                return lo * libm::pow(hi / lo, frac.min(1.0));
            }
            before += c;
        }
        f64::NAN
    }

    /// Values counted at step `t`.
    pub fn count(&self, t: usize) -> u64 {
        self.counts[t * BINS..(t + 1) * BINS]
            .iter()
            .map(|&c| c as u64)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The two order statistics around position q·(n − 1).
    fn bracket(mut v: Vec<f64>, q: f64) -> (f64, f64) {
        v.sort_by(f64::total_cmp);
        let i = (q * (v.len() - 1) as f64).floor() as usize;
        (v[i], v[(i + 1).min(v.len() - 1)])
    }

    #[test]
    fn quantiles_are_within_one_bin_of_the_order_statistics() {
        // Log-normal-like values over six decades, from a fixed LCG.
        let mut state = 12345u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        for n in [1usize, 2, 7, 100, 10_000] {
            let v: Vec<f64> = (0..n).map(|_| 10f64.powf(-3.0 + 6.0 * next())).collect();
            let mut h = LogHistogram::new(1);
            for &x in &v {
                h.add(0, x);
            }
            assert_eq!(h.count(0), n as u64);
            for q in [0.0, 0.1, 0.5, 0.9, 1.0] {
                let (got, (a, b)) = (h.quantile(0, q), bracket(v.clone(), q));
                let bin = 2f64.powf(0.125) * (1.0 + 1e-12);
                assert!(
                    got >= a / bin && got <= b * bin,
                    "n={n} q={q}: {got} not within a bin of [{a}, {b}]"
                );
            }
        }
    }

    #[test]
    fn identical_values_are_read_back_within_their_bin_and_order_is_kept() {
        let mut h = LogHistogram::new(2);
        for _ in 0..1000 {
            h.add(0, 0.3);
        }
        let q = h.quantile(0, 0.5);
        assert!(
            q / 0.3 < 2f64.powf(0.125) && 0.3 / q < 2f64.powf(0.125),
            "{q}"
        );
        assert!(h.quantile(0, 0.1) <= h.quantile(0, 0.9));
        assert!(h.quantile(1, 0.5).is_nan(), "no value at step 1");
    }

    #[test]
    fn zeros_and_values_beyond_the_range_land_in_the_end_bins() {
        let mut h = LogHistogram::new(1);
        h.add(0, 0.0);
        h.add(0, 1.0);
        h.add(0, 1e-40);
        h.add(0, 1e40);
        h.add(0, 2.0);
        assert_eq!(h.count(0), 5);
        // Sorted: 0, 1e-40 (clamped up to 2^-31), 1, 2, 1e40 (clamped down).
        assert_eq!(h.quantile(0, 0.0), 0.0);
        let top = h.quantile(0, 1.0);
        assert!(top > 1e9 && top < 1e10, "{top}");
        let second = h.quantile(0, 0.25);
        assert!(
            second > 2f64.powi(-32) && second < 2f64.powi(-30),
            "{second}"
        );
    }
}
