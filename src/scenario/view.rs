//! The `lab` part of a scenario: which lab shows it, and the few view settings that
//! are not part of a simulation. The labs (crate::lab) read it; the scenario module
//! only stores, reads and writes it.

use serde::Serialize;

/// The `lab` part of a scenario: which lab shows it, and its view settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LabView {
    /// A lab id of the registry (`crate::lab::registry`), e.g. `per-sample`.
    pub id: String,
    /// `step-size`: the second (large) step size, drawn beside `method.lr`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lr2: Option<f64>,
    /// `expected-loss`: how many individual runs are drawn faintly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shown: Option<u64>,
    /// `sandbox`: what the loss chart puts on its x-axis: `steps`, `grad_evals`,
    /// `samples` (processed) or `epochs` (gradient evaluations / n).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x_axis: Option<String>,
    /// `gd-vs-sgd`: the target ε of its table (which method reaches L(w) − L* ≤ ε with
    /// fewer gradient evaluations).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
}

/// The values `x_axis` may take.
pub const X_AXES: &[&str] = &["steps", "grad_evals", "samples", "epochs"];
