//! Step-size schedules η_t, with t = 0 for the first step.

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize, Default)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Schedule {
    /// η_t = lr.
    #[default]
    Constant,
    /// η_t = lr / (1 + t/t0): Σ η_t = ∞ and Σ η_t² < ∞ (Robbins–Monro).
    InverseTime { t0: f64 },
    /// η_t = lr / √(1 + t/t0): decays too slowly for Σ η_t² < ∞.
    InverseSqrt { t0: f64 },
    /// η_t = lr·γ^t: decays too fast (Σ η_t < ∞), so the run stops short of w*.
    Exponential { gamma: f64 },
    /// η_t = lr·γ^⌊t/every⌋.
    Step { every: u64, gamma: f64 },
    /// η_t = lr·½(1 + cos(π t / steps)), with `steps` the scenario's number of steps
    /// unless given here.
    Cosine {
        #[serde(skip_serializing_if = "Option::is_none")]
        steps: Option<u64>,
    },
}

pub(crate) fn default_t0() -> f64 {
    10.0
}
pub(crate) fn default_exp_gamma() -> f64 {
    0.95
}
pub(crate) fn default_every() -> u64 {
    100
}
pub(crate) fn default_step_gamma() -> f64 {
    0.5
}

impl Schedule {
    /// The step size at step `t` for base rate `lr`; `total` is the scenario's steps.
    pub fn lr(&self, lr: f64, t: u64, total: u64) -> f64 {
        let tf = t as f64;
        match *self {
            Schedule::Constant => lr,
            Schedule::InverseTime { t0 } => lr / (1.0 + tf / t0),
            Schedule::InverseSqrt { t0 } => lr / libm::sqrt(1.0 + tf / t0),
            Schedule::Exponential { gamma } => lr * libm::pow(gamma, tf),
            Schedule::Step { every, gamma } => lr * libm::pow(gamma, (t / every) as f64),
            Schedule::Cosine { steps } => {
                let s = steps.unwrap_or(total).max(1) as f64;
                let frac = (tf / s).min(1.0);
                lr * 0.5 * (1.0 + libm::cos(core::f64::consts::PI * frac))
            }
        }
    }

    pub fn is_constant(&self) -> bool {
        matches!(self, Schedule::Constant)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_worked_values() {
        let lr = 0.8;
        assert_eq!(Schedule::Constant.lr(lr, 57, 100), 0.8);
        // 0.8 / (1 + 10/10) = 0.4; 0.8 / (1 + 30/10) = 0.2.
        let it = Schedule::InverseTime { t0: 10.0 };
        assert_eq!(it.lr(lr, 0, 100), 0.8);
        assert_eq!(it.lr(lr, 10, 100), 0.4);
        assert_eq!(it.lr(lr, 30, 100), 0.2);
        // 0.8 / √(1 + 30/10) = 0.4.
        assert_eq!(Schedule::InverseSqrt { t0: 10.0 }.lr(lr, 30, 100), 0.4);
        // 0.8·0.5^⌊t/3⌋: t = 0..2 → 0.8, t = 3..5 → 0.4, t = 6 → 0.2.
        let st = Schedule::Step {
            every: 3,
            gamma: 0.5,
        };
        let got: Vec<f64> = (0..7).map(|t| st.lr(lr, t, 100)).collect();
        assert_eq!(got, vec![0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2]);
        // 0.8·0.5³ = 0.1.
        assert_eq!(Schedule::Exponential { gamma: 0.5 }.lr(lr, 3, 100), 0.1);
        // Cosine: lr at 0, lr/2 at the middle, 0 at the end.
        let c = Schedule::Cosine { steps: None };
        assert_eq!(c.lr(lr, 0, 100), 0.8);
        assert!((c.lr(lr, 50, 100) - 0.4).abs() < 1e-16);
        assert!(c.lr(lr, 100, 100).abs() < 1e-16);
        assert!(
            (Schedule::Cosine { steps: Some(4) }.lr(lr, 1, 100)
                - 0.8 * 0.5 * (1.0 + 0.5f64.sqrt()))
            .abs()
                < 1e-15
        );
    }
}
