//! The ensemble's hot loop for the lecture's commonest case — plain SGD (no momentum,
//! sampling with replacement, no averaging, any schedule and batch) on a 1-D
//! quadratic problem — with LANES runs interleaved so that their independent
//! dependency chains hide each other's latency. It evaluates exactly the same
//! floating-point expressions in the same order as the generic `Run` of sgd-lab, so
//! its results are bit-identical (tested there), only faster.
//!
//! What makes it fast (`sgd-lab bench`; figures in docs/BENCHMARKS.md):
//! - the loops over the lanes have constant trip counts and no inner loop (Lemire's
//!   rejection, taken with probability < n/2³², is a cold call), so they unroll
//!   completely and the lanes' arithmetic becomes packed SIMD;
//! - batch 1 is an instance of its own (no batch loop; `1.0 · v` folds away, exactly);
//! - no bounds checks: indices are < n by construction, and the statistics are
//!   sliced once per block;
//! - the divergence test is one comparison per step for all lanes: the gaps are ≥ 0
//!   or NaN, so their running sum is finite only if every gap is; when it is not
//!   (a lane diverged, or the sum overflowed) a cold path adds the gaps one by one
//!   exactly as `StepStats::add` does and records the divergences;
//! - the sums of the deviations from the step's shift (`StepStats`) are added in run
//!   order (that order is the result's bits), min and max in the same pass (exact in
//!   any order for values ≥ +0), and the counts once per block from the divergence
//!   steps. A step no earlier run reached has no shift yet (NaN): the deviations are
//!   then NaN, and the quick test sends that step to the careful path, which sets it.

use crate::rng::Rng;
use crate::stats::StepStats;
use crate::MAX_GAP;

/// Runs computed together; a power of two (8 measured fastest, ahead of 4 and 16).
pub const LANES: usize = 8;
const _: () = assert!(LANES.is_power_of_two());

/// ∇l_i(w) in 1-D, scaled, written exactly as the generic problem code computes it.
/// A sample's data is loaded first (`sample`), then used (`grad`), so that the loads
/// of all lanes can be issued before the arithmetic.
pub trait Grad1: Sync {
    type Sample: Copy + Default;
    /// The data of sample `i`.
    ///
    /// # Safety
    /// `i < n`.
    unsafe fn sample(&self, i: usize) -> Self::Sample;
    fn grad(&self, s: Self::Sample, w: f64, scale: f64) -> f64;
}

/// Least squares: (x_i, y_i) side by side, one 16-byte load per draw.
pub struct LsGrad {
    xy: Vec<[f64; 2]>,
}
impl LsGrad {
    /// The samples (x_i, y_i).
    pub fn new(xy: Vec<[f64; 2]>) -> LsGrad {
        LsGrad { xy }
    }
}
impl Grad1 for LsGrad {
    type Sample = [f64; 2];
    #[inline(always)]
    unsafe fn sample(&self, i: usize) -> [f64; 2] {
        *self.xy.get_unchecked(i)
    }
    #[inline(always)]
    fn grad(&self, [x, y]: [f64; 2], w: f64, scale: f64) -> f64 {
        // LeastSquares::add_grad_i: r = scale·(dot(x, w) − y); out += r·x, where the
        // 1-D dot is 0 + x·w (the same value, up to the sign of a zero that the
        // subtraction of y or the caller's 0 + … erases).
        (scale * (x * w - y)) * x
    }
}

/// A quadratic ½ h (w − c_i)²: h and the products h·c_i.
pub struct QuadGrad {
    h: f64,
    hc: Vec<f64>,
}
impl QuadGrad {
    pub fn new(h: f64, hc: Vec<f64>) -> QuadGrad {
        QuadGrad { h, hc }
    }
}
impl Grad1 for QuadGrad {
    type Sample = f64;
    #[inline(always)]
    unsafe fn sample(&self, i: usize) -> f64 {
        *self.hc.get_unchecked(i)
    }
    #[inline(always)]
    fn grad(&self, hc: f64, w: f64, scale: f64) -> f64 {
        // Quadratic::add_grad_i: out += scale·(h·w − h·c_i).
        scale * (self.h * w - hc)
    }
}

/// What the kernel needs, prepared once per ensemble.
pub struct Plan<G> {
    grad: G,
    n: u32,
    batch: usize,
    w0: f64,
    w_star: f64,
    h: f64,
    lr: Vec<f64>,
    seed: u64,
}

impl<G: Grad1> Plan<G> {
    /// Plain SGD with replacement on `n` samples: batch `batch`, start `w0`, minimiser
    /// `w_star`, curvature `h` (the gap is ½ h (w − w*)²), the step size of every step
    /// `lr`, and the seed of the runs.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        grad: G,
        n: u32,
        batch: usize,
        w0: f64,
        w_star: f64,
        h: f64,
        lr: Vec<f64>,
        seed: u64,
    ) -> Plan<G> {
        assert!(n >= 1 && batch >= 1, "a plan needs samples and a batch");
        Plan {
            grad,
            n,
            batch,
            w0,
            w_star,
            h,
            lr,
            seed,
        }
    }
}

/// A plan for either kind of problem the kernel knows. Its `block` is not generic, so
/// that it is compiled here, at this crate's opt-level, whatever the caller's.
pub enum AnyPlan {
    Ls(Plan<LsGrad>),
    Quad(Plan<QuadGrad>),
}

impl AnyPlan {
    /// Runs `first .. first + LANES`, adding their gaps to `stats` in run order.
    /// Returns the divergence step of each lane.
    #[inline(never)]
    pub fn block(&self, first: u64, stats: &mut StepStats) -> [Option<u64>; LANES] {
        match self {
            AnyPlan::Ls(p) => p.block(first, stats),
            AnyPlan::Quad(p) => p.block(first, stats),
        }
    }
}

/// `a.min(b)` for values that are not NaN and not −0 (then the two agree exactly).
#[inline(always)]
fn min_exact(a: f64, b: f64) -> f64 {
    if b < a {
        b
    } else {
        a
    }
}
#[inline(always)]
fn max_exact(a: f64, b: f64) -> f64 {
    if b > a {
        b
    } else {
        a
    }
}

/// The statistics of points 1 ..= steps (index t is point t + 1), sliced once per block.
struct Cols<'a> {
    shift: &'a mut [f64],
    sum: &'a mut [f64],
    sum_sq: &'a mut [f64],
    min: &'a mut [f64],
    max: &'a mut [f64],
    /// The histogram, indexed by step (the columns above start at step 1).
    hist: Option<&'a mut crate::histogram::LogHistogram>,
}

/// Adds the gaps of step t of the lanes still alive one by one, exactly as
/// `StepStats::add` does, and marks the lanes whose gap is not finite as diverged at
/// point t + 1. Returns whether some lane died. Only called when the quick test of
/// the hot loop failed (a lane diverged now or before, or the sum overflowed).
#[cold]
#[inline(never)]
fn add_careful(
    cols: &mut Cols<'_>,
    t: usize,
    gaps: [f64; LANES],
    alive: &mut [bool; LANES],
    diverged: &mut [Option<u64>; LANES],
) -> bool {
    let mut died = false;
    for k in 0..LANES {
        if alive[k] {
            let g = gaps[k];
            if g <= MAX_GAP {
                if cols.shift[t].is_nan() {
                    cols.shift[t] = g;
                }
                let d = g - cols.shift[t];
                cols.sum[t] += d;
                cols.sum_sq[t] += d * d;
                cols.min[t] = cols.min[t].min(g);
                cols.max[t] = cols.max[t].max(g);
                if let Some(h) = cols.hist.as_deref_mut() {
                    h.add(t + 1, g);
                }
            } else {
                alive[k] = false;
                diverged[k] = Some(t as u64 + 1);
                died = true;
            }
        }
    }
    died
}

impl<G: Grad1> Plan<G> {
    /// Runs `first .. first + LANES` (run r draws from `Rng::for_run(seed, r)`), adding
    /// their gaps to `stats` in run order. Returns the divergence step of each lane.
    pub fn block(&self, first: u64, stats: &mut StepStats) -> [Option<u64>; LANES] {
        if self.batch == 1 {
            self.block_impl::<true>(first, stats)
        } else {
            self.block_impl::<false>(first, stats)
        }
    }

    /// One step of every lane: draws, gradient, update; returns the new gaps.
    #[inline(always)]
    fn advance<const B1: bool>(
        &self,
        rng: &mut [Rng; LANES],
        w: &mut [f64; LANES],
        lr: f64,
        scale: f64,
    ) -> [f64; LANES] {
        let n = self.n;
        let mut gaps = [0.0; LANES];
        if B1 {
            let mut smp = [G::Sample::default(); LANES];
            for k in 0..LANES {
                let i = rng[k].index(n) as usize;
                // SAFETY: index(n) < n, the number of samples.
                smp[k] = unsafe { self.grad.sample(i) };
            }
            for k in 0..LANES {
                // Optimizer::step: g = 0, g += scale·∇l_i(w), w ← w − lr·g.
                let g = 0.0 + self.grad.grad(smp[k], w[k], scale);
                w[k] -= lr * g;
                let e = w[k] - self.w_star;
                gaps[k] = 0.5 * self.h * e * e;
            }
        } else {
            // The lanes' draws interleaved too; each lane sums its batch in order.
            let mut g = [0.0; LANES];
            for _ in 0..self.batch {
                for k in 0..LANES {
                    let i = rng[k].index(n) as usize;
                    // SAFETY: index(n) < n, the number of samples.
                    g[k] += self.grad.grad(unsafe { self.grad.sample(i) }, w[k], scale);
                }
            }
            for k in 0..LANES {
                w[k] -= lr * g[k];
                let e = w[k] - self.w_star;
                gaps[k] = 0.5 * self.h * e * e;
            }
        }
        gaps
    }

    #[inline(never)]
    fn block_impl<const B1: bool>(
        &self,
        first: u64,
        stats: &mut StepStats,
    ) -> [Option<u64>; LANES] {
        let mut rng: [Rng; LANES] =
            core::array::from_fn(|k| Rng::for_run(self.seed, first + k as u64));
        let mut w = [self.w0; LANES];
        let mut alive = [true; LANES];
        let mut diverged = [None; LANES];
        let scale = 1.0 / if B1 { 1 } else { self.batch } as f64;
        let gap0 = {
            let e = self.w0 - self.w_star;
            0.5 * self.h * e * e
        };
        for _ in 0..LANES {
            stats.add(0, gap0);
        }
        let steps = self.lr.len();
        let lrs = &self.lr[..steps];
        let StepStats {
            shift,
            sum,
            sum_sq,
            min,
            max,
            count,
            hist,
        } = stats;
        let mut cols = Cols {
            shift: &mut shift[1..=steps],
            sum: &mut sum[1..=steps],
            sum_sq: &mut sum_sq[1..=steps],
            min: &mut min[1..=steps],
            max: &mut max[1..=steps],
            hist: hist.as_mut(),
        };
        let mut t = 0;
        // While every lane is alive.
        while t < steps {
            let gaps = self.advance::<B1>(&mut rng, &mut w, lrs[t], scale);
            // In run order, as StepStats::add does; min and max in the same pass, as a
            // chain from the running values (exact in any order for gaps ≥ +0). Not a
            // tree across the lanes: V8 compiles these selects into branches, and a
            // chain's are predictable (a new gap rarely beats the running min or max)
            // where a tree's are coin flips (505 against 335 M steps/s in Node).
            let (mut s, mut q) = (cols.sum[t], cols.sum_sq[t]);
            let (mut lo, mut hi) = (cols.min[t], cols.max[t]);
            let shift = cols.shift[t];
            for &g in &gaps {
                let d = g - shift;
                s += d;
                q += d * d;
                lo = min_exact(lo, g);
                hi = max_exact(hi, g);
            }
            // Gaps are ≥ 0 or NaN and the shift is a recorded gap (0 … MAX_GAP) or NaN,
            // so s is finite iff every gap is finite, the step has a shift and the sum
            // did not overflow (lo and hi skip NaN; s does not); hi starts from a max of
            // recorded gaps (≤ MAX_GAP), so hi ≤ MAX_GAP iff no lane diverged now. If
            // not, the careful path decides.
            if s < f64::INFINITY && hi <= MAX_GAP {
                cols.sum[t] = s;
                cols.sum_sq[t] = q;
                cols.min[t] = lo;
                cols.max[t] = hi;
                if let Some(h) = cols.hist.as_deref_mut() {
                    for &g in &gaps {
                        h.add(t + 1, g);
                    }
                }
            } else if add_careful(&mut cols, t, gaps, &mut alive, &mut diverged) {
                t += 1;
                break;
            }
            t += 1;
        }
        // After a divergence: the dead lanes compute on, unrecorded.
        while t < steps && alive.iter().any(|&a| a) {
            let gaps = self.advance::<B1>(&mut rng, &mut w, lrs[t], scale);
            add_careful(&mut cols, t, gaps, &mut alive, &mut diverged);
            t += 1;
        }
        // Point t + 1 was reached by the lanes that had not diverged at or before it.
        let mut reach: [usize; LANES] =
            core::array::from_fn(|k| diverged[k].map_or(steps, |d| d as usize - 1));
        reach.sort_unstable();
        let count = &mut count[1..=steps];
        let mut from = 0;
        for (j, &to) in reach.iter().enumerate() {
            for c in &mut count[from..to] {
                *c += (LANES - j) as u64;
            }
            from = from.max(to);
        }
        diverged
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_min_max_agree_with_f64_min_max_on_gaps() {
        let v = [0.0, 1e-300, 0.5, 1.0, 3.0, f64::MAX, f64::INFINITY];
        for &a in &v {
            for &b in &v {
                assert_eq!(min_exact(a, b).to_bits(), a.min(b).to_bits());
                assert_eq!(max_exact(a, b).to_bits(), a.max(b).to_bits());
            }
        }
    }
}
