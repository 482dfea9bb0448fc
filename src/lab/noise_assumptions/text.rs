//! The noise-assumptions lab's words: unbiasedness (or its failure under skewed
//! sampling) at the current w, σ0 at w*, the ratio against Jensen's 1 and M_G, and the
//! running σ0 estimate, from the numbers drawn.

use super::NoiseAssumptions;
use crate::lab::numbers::num;
use crate::lab::Caption;

impl NoiseAssumptions {
    pub(super) fn caption_text(&self) -> Caption {
        let s = &self.setup.scenario;
        let (w, t) = (self.w(), self.t());
        let full = self.full_pull(&w);
        let mean = self.drawn_mean(&w);
        let norm = |v: (f64, f64)| (v.0 * v.0 + v.1 * v.1).sqrt();
        let off = norm((mean.0 - full.0, mean.1 - full.1));
        let skewed = s.method.sample_weights.is_some();
        let iw = s.method.importance_weighting;
        let n = self.probabilities().len();
        let mut text = String::new();
        if !skewed || iw {
            text += &format!(
                "At w_{t} the mean of the {n} samples' pulls is −∇L(w) exactly (the two bold arrows coincide: off by {}): the stochastic gradient is unbiased{}. ",
                num(off),
                if iw {
                    ", because importance weighting divides each drawn gradient by n p_i"
                } else {
                    ""
                }
            );
        } else {
            let wp = self.weighted_optimum();
            text += &format!(
                "Skewed sampling draws the first third of the samples five times as often: at w_{t} the mean of what is drawn misses −∇L(w) by {} ({} of its length), so SGD heads for the minimiser of Σ p_i l_i at ({}, {}), not w*. Importance weighting corrects it. ",
                num(off),
                num(off / norm(full).max(1e-300)),
                num(wp[0]),
                num(wp[1])
            );
        }
        let s0 = self.sigma0();
        text += &format!(
            "At w* the average pull over the samples is zero but the pulls are not: σ0 = mean ‖∇l_i(w*)‖² = {} (the circle has radius √σ0){} ",
            num(s0),
            if skewed && !iw {
                "; the mean of skewed draws is not zero there."
            } else {
                "."
            }
        );
        let r = self.ratio(&w);
        if let Some(pair) = &self.theory.sigma {
            text += &format!(
                "Here E‖∇l_i‖²/‖∇L‖² = {} — never below 1 (Jensen), and ",
                num(r)
            );
            text += &if r <= pair.m_g {
                format!(
                    "below M_G = {}: far from w* the gradient term of the assumption is enough. ",
                    num(pair.m_g)
                )
            } else {
                format!(
                    "above M_G = {}: near w* ‖∇L‖ vanishes but the noise does not — the assumption needs its constant M = {}. ",
                    num(pair.m_g),
                    num(pair.m)
                )
            };
        }
        if let Some(est) = self.sigma0_estimate(t as usize) {
            let limit = self.sigma0_limit();
            text += &format!(
                "From the {} samples drawn so far σ0 is estimated at {}",
                t * s.method.batch,
                num(est)
            );
            text += &if (limit - s0).abs() > 1e-9 * s0.max(1e-300) {
                format!(
                    "; it converges to {}, not σ0: skewed draws bias the estimate too.",
                    num(limit)
                )
            } else {
                ", converging to σ0.".to_string()
            };
        } else {
            text += "Press play: SGD moves w, and the samples it draws estimate σ0.";
        }
        let mut facts = vec![
            (
                format!("w at step {t}"),
                format!("({}, {})", num(w[0]), num(w[1])),
            ),
            ("‖mean of the draws − (−∇L(w))‖".into(), num(off)),
            ("E‖∇l_i(w)‖² / ‖∇L(w)‖²".into(), num(r)),
            ("σ0 = mean ‖∇l_i(w*)‖²".into(), num(s0)),
        ];
        if let Some(pair) = &self.theory.sigma {
            facts.push(("M_G".into(), num(pair.m_g)));
            facts.push(("M".into(), num(pair.m)));
        }
        if let Some(est) = self.sigma0_estimate(t as usize) {
            facts.push(("σ0 estimated from the draws".into(), num(est)));
        }
        Caption {
            text: text.trim_end().to_string(),
            facts,
        }
    }

    pub(super) fn describe_text(&self) -> String {
        let (w, t) = (self.w(), self.t());
        let full = self.full_pull(&w);
        let mean = self.drawn_mean(&w);
        format!(
            "Four charts. A contour map with SGD's path and, at w at step {t} = ({}, {}), an arrow per sample for its pull −∇l_i(w), the mean of the draws ({}, {}) and −∇L(w) = ({}, {}) in bold. The pulls at w* with a circle of radius √σ0, σ0 = {}. The ratio E‖∇l_i(w_t)‖²/‖∇L(w_t)‖² along the run on a logarithmic axis, now {}, with 1 and M_G dashed. The running estimate of σ0 from the samples drawn, with σ0 dashed.",
            num(w[0]),
            num(w[1]),
            num(mean.0),
            num(mean.1),
            num(full.0),
            num(full.1),
            num(self.sigma0()),
            num(self.ratio(&w))
        )
    }
}
