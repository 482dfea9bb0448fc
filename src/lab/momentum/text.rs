//! The momentum lab's words: the measured rates without noise against the theory, and
//! with noise what each method's mean gap is at the step shown, all from the numbers
//! drawn.

use super::{batch_of, eta_of, MomentumLab, MATCHED, SAME_LR, SGD};
use crate::lab::numbers::num;
use crate::lab::{Caption, LabSim};

/// The contraction per step of a distance curve, measured between where it first falls
/// below a tenth of its start and where it first falls below 10⁻⁷ of it (or its last
/// point): `None` when fewer than 10 steps lie between.
pub fn measured_rate(d: &[f64]) -> Option<f64> {
    let d0 = *d.first()?;
    if d0.is_nan() || d0 <= 0.0 {
        return None;
    }
    let t1 = d.iter().position(|&v| v < 0.1 * d0)?;
    let t2 = d.iter().position(|&v| v < 1e-7 * d0).unwrap_or(d.len() - 1);
    (t2 >= t1 + 10 && d[t1] > 0.0 && d[t2] > 0.0)
        .then(|| libm::pow(d[t2] / d[t1], 1.0 / (t2 - t1) as f64))
}

/// Steps until a distance curve first falls below `factor` of its start.
pub fn steps_to(d: &[f64], factor: f64) -> Option<usize> {
    let d0 = *d.first()?;
    d.iter().position(|&v| v < factor * d0)
}

impl MomentumLab {
    /// Variant `i`'s mean gap averaged over the last `w` steps up to `t` (a floor is
    /// read over a window: the mean of one step still jitters).
    pub(super) fn window_mean(&self, i: usize, t: u64, w: u64) -> Option<f64> {
        let from = t.saturating_sub(w.max(1) - 1);
        let mut sum = 0.0;
        for s in from..=t {
            sum += self.sb.mean_gap_at(i, s)?;
        }
        Some(sum / (t - from + 1) as f64)
    }

    fn index(&self, label: &str) -> Option<usize> {
        self.sb.labels().iter().position(|l| *l == label)
    }

    pub(super) fn caption_text(&self) -> Caption {
        let s = self.sb.scenario();
        let k = self.kappa;
        let mut facts = vec![
            ("κ = L/m".into(), num(k)),
            ("√κ".into(), num(k.sqrt())),
            ("SGD's step η".into(), num(eta_of(s))),
        ];
        let mut text = format!(
            "A quadratic with L = 1 and m = 1/κ = {}. Without noise: GD at step 1/L contracts the distance to w* by 1 − 1/κ a step, heavy ball and Nesterov with their textbook tuning by about 1 − 1/√κ. ",
            num(1.0 / k)
        );
        let mut rates = Vec::new();
        for (j, &i) in self.deterministic.iter().enumerate() {
            let l = self.label(i);
            if let Some(r) = measured_rate(&self.distance[j]) {
                rates.push(format!("{l} {}", num(r)));
                facts.push((format!("{l}: measured rate per step"), num(r)));
            }
            if let Some(n) = steps_to(&self.distance[j], 1e-6) {
                facts.push((
                    format!("{l}: steps to divide the distance by 10⁶"),
                    n.to_string(),
                ));
            }
        }
        if !rates.is_empty() {
            text += &format!(
                "Measured: {} (theory: 1 − 1/κ = {}, 1 − 1/√κ = {}). ",
                rates.join(", "),
                num(1.0 - 1.0 / k),
                num(1.0 - 1.0 / k.sqrt())
            );
        }
        let gd_n = steps_to(&self.distance[0], 1e-6);
        let nes_n = self.distance.get(2).and_then(|d| steps_to(d, 1e-6));
        if let (Some(a), Some(b)) = (gd_n, nes_n) {
            text += &format!(
                "To divide the distance by a million GD needs {a} steps, Nesterov {b}: acceleration is real without noise. "
            );
        }
        let t = self.sb.caption_step();
        let w = (t / 5).clamp(1, 200);
        let gap = |l: &str| self.index(l).and_then(|i| self.window_mean(i, t, w));
        let beta = super::beta_of(s);
        if t == 0 {
            text += "With one sample a step: press play to see SGD and the two momentum variants run on the same samples. ";
        } else if let (Some(g_sgd), Some(g_m)) = (gap(SGD), gap(MATCHED)) {
            text += &format!(
                "With one sample a step (b = {}), over steps {}–{t}: SGD's mean gap is {}, SGD with momentum β = {} at the same effective step (lr η(1 − β), so lr/(1 − β) = η = {}) is {}",
                batch_of(s),
                t + 1 - w.min(t + 1),
                num(g_sgd),
                num(beta),
                num(eta_of(s)),
                num(g_m)
            );
            let r = g_m / g_sgd;
            text += if (0.67..1.5).contains(&r) {
                " — the same: momentum at the same effective step is just that step. "
            } else if r < 1.0 {
                " — lower here. "
            } else {
                " — higher here. "
            };
            match self.floor {
                Some(f) if f > 0.0 => {
                    text += &format!(
                        "SGD's floor, the exact level its expectation settles at, is {}. ",
                        num(f)
                    )
                }
                Some(_) => {
                    text += "Every sample has the same minimiser: there is no floor, SGD is GD. "
                }
                None => {}
            }
            if let Some(g_l) = gap(SAME_LR) {
                text += &format!(
                    "With momentum β at SGD's own lr (PyTorch's habit: an effective step η/(1 − β) = {}) the mean gap is {}: ",
                    num(eta_of(s) / (1.0 - beta)),
                    num(g_l)
                );
                text += &if g_l > 2.0 * g_sgd {
                    format!(
                        "{} times SGD's — a larger step, so a higher floor; once the noise dominates, momentum does not accelerate. ",
                        num(g_l / g_sgd)
                    )
                } else if g_l < g_sgd * 1e-6 {
                    format!(
                        "far below SGD, at w* to rounding — the samples agree (gradient diversity {}), so there is no noise and momentum's larger step is pure gain. ",
                        num(super::spread_of(s))
                    )
                } else if g_l < g_sgd / 2.0 {
                    format!(
                        "{} times below SGD — the samples agree (gradient diversity {}), so there is little noise and momentum's larger step is pure gain. ",
                        num(g_sgd / g_l),
                        num(super::spread_of(s))
                    )
                } else {
                    "about SGD's. ".to_string()
                };
            }
        } else if let Some(d) = self.sb.status().diverged {
            text += &format!("{d} ");
        } else {
            text += "The stochastic runs are being computed. ";
        }
        for (i, l) in self.sb.labels().iter().enumerate() {
            if let Some(g) = self.sb.mean_gap_at(i, t) {
                facts.push((format!("{l}: mean gap at t = {t}"), num(g)));
            }
        }
        if let Some(f) = self.floor {
            facts.push(("SGD's floor (exact)".into(), num(f)));
        }
        Caption {
            text: text.trim_end().to_string(),
            facts,
        }
    }

    pub(super) fn describe_text(&self) -> String {
        let mut out = format!(
            "Two charts. First, without noise, the distance to w* on a logarithmic axis against steps for GD, heavy ball and Nesterov, with the rates e^(−t/κ) and e^(−t/√κ) dashed (κ = {}). ",
            num(self.kappa)
        );
        for (j, &i) in self.deterministic.iter().enumerate() {
            if let Some(n) = steps_to(&self.distance[j], 1e-6) {
                out += &format!(
                    "{} divides the distance by 10⁶ in {n} steps. ",
                    self.label(i)
                );
            }
        }
        out += "Second, with noise, the mean loss gap over the runs with its band for SGD, SGD with momentum at the same effective step, and SGD with momentum at SGD's lr, with SGD's exact floor dashed. ";
        let t = self.sb.caption_step();
        let parts: Vec<String> = self
            .stochastic
            .iter()
            .filter_map(|&i| {
                Some(format!(
                    "{} {}",
                    self.label(i),
                    num(self.sb.mean_gap_at(i, t)?)
                ))
            })
            .collect();
        if !parts.is_empty() {
            out += &format!("At step {t}: {}.", parts.join(", "));
        }
        out
    }
}
