//! The ensemble's hot loop for the lecture's commonest case — plain SGD (no momentum,
//! sampling with replacement, no averaging, any schedule and batch) on a 1-D
//! quadratic problem — with LANES runs interleaved so that their independent
//! dependency chains hide each other's latency. It evaluates exactly the same
//! floating-point expressions in the same order as the generic [`Run`], so its
//! results are bit-identical (tested), only faster.
//!
//! [`Run`]: crate::run::Run

use super::stats::StepStats;
use crate::averaging::Averaging;
use crate::method::MethodKind;
use crate::problem::Problem;
use crate::rng::Rng;
use crate::sampler::Sampling;
use crate::scenario::Setup;

pub const LANES: usize = 8;

/// ∇l_i(w) in 1-D, scaled, written exactly as the generic problem code computes it.
pub trait Grad1: Sync {
    fn grad(&self, i: usize, w: f64, scale: f64) -> f64;
}

pub struct LsGrad {
    x: Vec<f64>,
    y: Vec<f64>,
}
impl Grad1 for LsGrad {
    #[inline(always)]
    fn grad(&self, i: usize, w: f64, scale: f64) -> f64 {
        // LeastSquares::add_grad_i: r = scale·(x·w − y); out += r·x.
        let x = unsafe { *self.x.get_unchecked(i) };
        let y = unsafe { *self.y.get_unchecked(i) };
        (scale * (x * w - y)) * x
    }
}

pub struct QuadGrad {
    h: f64,
    hc: Vec<f64>,
}
impl Grad1 for QuadGrad {
    #[inline(always)]
    fn grad(&self, i: usize, w: f64, scale: f64) -> f64 {
        // Quadratic::add_grad_i: out += scale·(h·w − h·c_i).
        scale * (self.h * w - unsafe { *self.hc.get_unchecked(i) })
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

pub enum AnyPlan {
    Ls(Plan<LsGrad>),
    Quad(Plan<QuadGrad>),
}

impl AnyPlan {
    /// The plan, when the scenario is one the kernel computes exactly.
    pub fn new(setup: &Setup) -> Option<AnyPlan> {
        let s = &setup.scenario;
        let m = &s.method;
        let p = &*setup.problem;
        let eligible = p.d() == 1
            && m.kind == MethodKind::Sgd
            && m.momentum == 0.0
            && m.sampling == Sampling::WithReplacement
            && s.averaging == Averaging::None;
        if !eligible {
            return None;
        }
        let lr: Vec<f64> = (0..s.steps)
            .map(|t| s.schedule.lr(m.lr, t, s.steps))
            .collect();
        let h = p.constant_hessian()?[0];
        let common = |n: usize| {
            (
                n as u32,
                m.batch as usize,
                setup.w0[0],
                p.optimum()[0],
                h,
                lr,
                s.seed,
            )
        };
        match p {
            Problem::LeastSquares(ls) => {
                let n = ls.n();
                let grad = LsGrad {
                    x: (0..n).map(|i| ls.row(i)[0]).collect(),
                    y: (0..n).map(|i| ls.target(i)).collect(),
                };
                let (n, batch, w0, w_star, h, lr, seed) = common(n);
                Some(AnyPlan::Ls(Plan {
                    grad,
                    n,
                    batch,
                    w0,
                    w_star,
                    h,
                    lr,
                    seed,
                }))
            }
            Problem::Quadratic(q) => {
                let n = q.n();
                let grad = QuadGrad {
                    h,
                    hc: (0..n).map(|i| h * q.center(i)[0]).collect(),
                };
                let (n, batch, w0, w_star, h, lr, seed) = common(n);
                Some(AnyPlan::Quad(Plan {
                    grad,
                    n,
                    batch,
                    w0,
                    w_star,
                    h,
                    lr,
                    seed,
                }))
            }
            Problem::Logistic(_) => None,
        }
    }

    /// Runs `first .. first + LANES`, adding their gaps to `stats` in run order.
    /// Returns the divergence step of each lane.
    pub fn block(&self, first: u64, stats: &mut StepStats) -> [Option<u64>; LANES] {
        match self {
            AnyPlan::Ls(p) => p.block(first, stats),
            AnyPlan::Quad(p) => p.block(first, stats),
        }
    }
}

impl<G: Grad1> Plan<G> {
    #[inline(never)]
    fn block(&self, first: u64, stats: &mut StepStats) -> [Option<u64>; LANES] {
        let mut rng: [Rng; LANES] =
            core::array::from_fn(|k| Rng::for_run(self.seed, first + k as u64));
        let mut w = [self.w0; LANES];
        let mut alive = [true; LANES];
        let mut diverged = [None; LANES];
        let scale = 1.0 / self.batch as f64;
        let gap0 = {
            let e = self.w0 - self.w_star;
            0.5 * self.h * e * e
        };
        for _ in 0..LANES {
            stats.add(0, gap0);
        }
        let steps = self.lr.len();
        for t in 0..steps {
            let lr = self.lr[t];
            let mut gaps = [0.0; LANES];
            for k in 0..LANES {
                let mut g = 0.0;
                for _ in 0..self.batch {
                    let i = rng[k].index(self.n) as usize;
                    g += self.grad.grad(i, w[k], scale);
                }
                let next = w[k] - lr * g;
                let e = next - self.w_star;
                gaps[k] = 0.5 * self.h * e * e;
                w[k] = next;
            }
            let all_finite = gaps.iter().all(|g| g.is_finite());
            if all_finite && alive.iter().all(|&a| a) {
                for &g in &gaps {
                    stats.add(t + 1, g);
                }
            } else {
                for k in 0..LANES {
                    if alive[k] {
                        if gaps[k].is_finite() {
                            stats.add(t + 1, gaps[k]);
                        } else {
                            alive[k] = false;
                            diverged[k] = Some(t as u64 + 1);
                        }
                    }
                }
                if !alive.iter().any(|&a| a) {
                    break;
                }
            }
        }
        diverged
    }
}
