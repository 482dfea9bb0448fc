//! Update rules. A rule sees only the batch, the step size and the objective; the
//! run owns the random stream, the sampler, the schedule and the counters, so every
//! rule can be tested on a fixed sequence of indices.

mod estimator;
mod momentum;

pub use estimator::Estimator;
pub use momentum::Momentum;

use crate::problem::Problem;
use crate::sampler::Sampling;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum MethodKind {
    /// Full gradient: n evaluations per step, no sampling.
    Gd,
    /// Mini-batch stochastic gradient: b evaluations per step.
    #[default]
    Sgd,
    /// Stochastic variance-reduced gradient: a full gradient at a snapshot every
    /// `inner` steps (n evaluations), then 2b per step.
    Svrg,
    /// Stochastic average gradient (table of the last gradient of every sample).
    Sag,
    /// SAGA (unbiased variant of SAG).
    Saga,
}

/// The `method` part of a scenario. One flat record so that a URL can carry it;
/// fields a kind does not use are ignored by that kind.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MethodSpec {
    pub kind: MethodKind,
    /// Base step size η (> 0).
    pub lr: f64,
    /// Mini-batch size b, 1 ≤ b ≤ n (not used by `gd`).
    pub batch: u64,
    pub sampling: Sampling,
    /// PyTorch's `momentum` μ ∈ [0, 1).
    pub momentum: f64,
    /// PyTorch's `dampening` τ ∈ [0, 1].
    pub dampening: f64,
    /// PyTorch's `nesterov` (needs μ > 0 and τ = 0).
    pub nesterov: bool,
    /// SVRG's snapshot period in steps (default n).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inner: Option<u64>,
    /// Non-uniform sampling (SGD with replacement only): n non-negative weights,
    /// normalised to probabilities p_i; sample i is drawn with probability p_i.
    /// `None`: uniform.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sample_weights: Option<Vec<f64>>,
    /// Scales each drawn gradient by 1/(n p_i), which makes the estimate unbiased
    /// again under non-uniform sampling (at the price of more noise).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub importance_weighting: bool,
}

impl MethodSpec {
    /// The sampling probabilities p_i (the weights normalised), when non-uniform.
    pub fn probabilities(&self) -> Option<Vec<f64>> {
        let w = self.sample_weights.as_ref()?;
        let total: f64 = w.iter().sum();
        Some(w.iter().map(|v| v / total).collect())
    }
}

fn default_lr() -> f64 {
    0.1
}
fn default_batch() -> u64 {
    1
}

impl Default for MethodSpec {
    fn default() -> MethodSpec {
        MethodSpec {
            kind: MethodKind::Sgd,
            lr: default_lr(),
            batch: default_batch(),
            sampling: Sampling::WithReplacement,
            momentum: 0.0,
            dampening: 0.0,
            nesterov: false,
            inner: None,
            sample_weights: None,
            importance_weighting: false,
        }
    }
}

/// A gradient estimator followed by PyTorch's momentum, then w ← w − η g.
#[derive(Clone, Debug)]
pub struct Optimizer {
    pub estimator: Estimator,
    pub momentum: Momentum,
    g: Vec<f64>,
}

impl Optimizer {
    pub fn new(spec: &MethodSpec, problem: &Problem) -> Optimizer {
        let n = problem.n();
        let d = problem.d();
        let estimator = match spec.kind {
            MethodKind::Gd => Estimator::gd(),
            MethodKind::Sgd => match (spec.importance_weighting, spec.probabilities()) {
                // Each drawn gradient scaled by 1/(n p_i).
                (true, Some(p)) => Estimator::sgd_weighted(
                    p.iter()
                        .map(|&pi| if pi > 0.0 { 1.0 / (n as f64 * pi) } else { 0.0 })
                        .collect(),
                ),
                _ => Estimator::sgd(),
            },
            MethodKind::Svrg => Estimator::svrg(d, spec.inner.unwrap_or(n as u64)),
            MethodKind::Sag => Estimator::sag(n, d),
            MethodKind::Saga => Estimator::saga(n, d, spec.batch as usize),
        };
        Optimizer {
            estimator,
            momentum: Momentum::new(spec.momentum, spec.dampening, spec.nesterov, d),
            g: vec![0.0; d],
        }
    }

    /// One update of `w` at step `t` with step size `lr` on the given batch (ignored by
    /// GD). Returns the number of per-sample gradient evaluations it cost.
    #[inline]
    pub fn step(
        &mut self,
        problem: &Problem,
        w: &mut [f64],
        batch: &[u32],
        lr: f64,
        t: u64,
    ) -> u64 {
        let evals = self.estimator.estimate(problem, w, batch, t, &mut self.g);
        self.momentum.apply(&mut self.g);
        for (wk, gk) in w.iter_mut().zip(&self.g) {
            *wk -= lr * gk;
        }
        evals
    }
}
