//! Which ensembles the interleaved kernel of `sgd_lab_kernel::lanes` computes, and its
//! plan for them: plain SGD (no momentum, uniform sampling with replacement, no averaging, any
//! schedule and batch) on a 1-D least-squares or quadratic problem. The kernel gives
//! the same bits as the generic [`Run`](crate::run::Run) (tests/ensemble_lanes.rs).

use crate::averaging::Averaging;
use crate::method::MethodKind;
use crate::problem::Problem;
use crate::sampler::Sampling;
use crate::scenario::Setup;
use sgd_lab_kernel::lanes::{AnyPlan, LsGrad, Plan, QuadGrad};

/// The kernel's plan, when the scenario is one the kernel computes exactly.
pub fn plan(setup: &Setup) -> Option<AnyPlan> {
    let s = &setup.scenario;
    let m = &s.method;
    let p = &*setup.problem;
    let eligible = p.d() == 1
        && m.kind == MethodKind::Sgd
        && m.momentum == 0.0
        && m.sampling == Sampling::WithReplacement
        && m.sample_weights.is_none()
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
            let grad = LsGrad::new((0..n).map(|i| [ls.row(i)[0], ls.target(i)]).collect());
            let (n, batch, w0, w_star, h, lr, seed) = common(n);
            Some(AnyPlan::Ls(Plan::new(
                grad, n, batch, w0, w_star, h, lr, seed,
            )))
        }
        Problem::Quadratic(q) => {
            let n = q.n();
            let grad = QuadGrad::new(h, (0..n).map(|i| h * q.center(i)[0]).collect());
            let (n, batch, w0, w_star, h, lr, seed) = common(n);
            Some(AnyPlan::Quad(Plan::new(
                grad, n, batch, w0, w_star, h, lr, seed,
            )))
        }
        Problem::Logistic(_) => None,
    }
}
