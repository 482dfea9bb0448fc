//! The words of `per-sample`: its caption, its text alternative and why a run
//! diverged.

use super::PerSample;
use crate::lab::knob::fmt_number;
use crate::lab::numbers::num;
use crate::lab::{Caption, LabSim};

impl PerSample {
    /// Whether all samples share one minimiser (the zone of confusion is a point, as
    /// at spread 0): then SGD settles at w* as GD does.
    pub fn agree(&self) -> bool {
        let (a, b) = self.zone;
        b - a <= 1e-9 * a.abs().max(b.abs()).max(1.0)
    }

    pub(super) fn why(&self, gd: bool) -> String {
        let eta = self.setup.scenario.method.lr;
        let two_over_ls = 2.0 / self.smooth;
        if eta > two_over_ls {
            format!(
                "η = {} is above 2/L_s = {} (L_s = mean x_i² = {}), so every step overshoots w* by more than it corrects",
                fmt_number(eta),
                num(two_over_ls),
                num(self.smooth)
            )
        } else if !gd && eta * self.max_x2 > 2.0 {
            format!(
                "η = {} is above 2/max x_i² = {}, so a step on the steepest samples' parabolas overshoots their minimiser by more than it corrects",
                fmt_number(eta),
                num(2.0 / self.max_x2)
            )
        } else {
            format!("η = {} is too large for these data", fmt_number(eta))
        }
    }

    /// Where the SGD iterate is, in words.
    fn where_sgd(&self) -> String {
        let w = self.sgd_w();
        let (a, b) = self.zone;
        if self.agree() {
            return if (w - self.w_star).abs() <= 1e-6 * self.w_star.abs().max(1.0) {
                "at w*: every sample's minimiser is here, so SGD has settled".into()
            } else {
                "on its way to w*: every sample pulls it towards w*, the minimiser they share"
                    .into()
            };
        }
        if w < a {
            "left of the zone: every sample's parabola slopes down towards the zone here, so every sample pulls SGD to the right, towards the zone".into()
        } else if w > b {
            "right of the zone: every sample's parabola slopes down towards the zone here, so every sample pulls SGD to the left, towards the zone".into()
        } else {
            "inside the zone: the samples disagree (some pull left, some right), so SGD keeps bouncing".into()
        }
    }

    pub(super) fn caption_text(&self) -> Caption {
        let s = &self.setup.scenario;
        let eta = s.method.lr;
        let (a, b) = self.zone;
        let t = self.sgd.run.t();
        let when = if t == 0 {
            "At the start".to_string()
        } else {
            format!("After {t} steps")
        };
        let mut text = if self.agree() {
            format!(
                "Each thin parabola is one sample's loss ½(x_i w − y_i)²; its own minimiser w*_i = y_i/x_i is a tick. \
                 Here the samples agree: every w*_i is w* = {}, so the zone of confusion is a single point. \
                 GD follows the average L (bold), SGD at the constant step η = {} one sample's parabola per step (highlighted), and both go to w* and settle there. \
                 {when} SGD is at w = {}, {}.",
                num(self.w_star),
                fmt_number(eta),
                num(self.sgd_w()),
                self.where_sgd()
            )
        } else {
            format!(
                "Each thin parabola is one sample's loss ½(x_i w − y_i)²; its own minimiser w*_i = y_i/x_i is a tick. \
                 The samples disagree: their minimisers fill the zone of confusion [{}, {}] (shaded), which the data fix. \
                 GD follows the average L (bold) and slides to w* = {}. SGD at the constant step η = {} follows one sample's parabola per step (highlighted). \
                 {when} SGD is at w = {}, {}.",
                num(a),
                num(b),
                num(self.w_star),
                fmt_number(eta),
                num(self.sgd_w()),
                self.where_sgd()
            )
        };
        let inv = 1.0 / self.max_x2;
        let two_over_ls = 2.0 / self.smooth;
        if self.agree() {
            if eta * self.max_x2 >= 2.0 {
                text += &format!(
                    " With η above 2/max x_i² = {} a step on the steepest samples lands farther from w* than it started, so SGD does not settle.",
                    num(2.0 / self.max_x2)
                );
            }
        } else if eta <= inv {
            text += &format!(
                " Since η ≤ 1/max x_i² = {}, no step goes past the minimiser of the sample it used, so once inside, SGD never leaves the zone — and never settles: the zoom on the zone shows its last steps and, as bars, where it has been.",
                num(inv)
            );
        } else if eta * self.max_x2 < 2.0 {
            text += &format!(
                " With η above 1/max x_i² = {} a step can go past its sample's minimiser, so SGD can step a little outside the shaded zone and come back: the zoom on the zone shows its last steps and, as bars, where it has been.",
                num(inv)
            );
        } else {
            text += &format!(
                " With η above 2/max x_i² = {} a step on the steepest samples lands farther from their minimiser than it started: SGD is thrown out of the zone again and again{}.",
                num(2.0 / self.max_x2),
                if eta < two_over_ls { ", although GD still converges" } else { "" }
            );
        }
        if eta > two_over_ls {
            text += &format!(
                " η = {} is above 2/L_s = {}: GD's every step overshoots w* by more than it corrects, so GD diverges too.",
                fmt_number(eta),
                num(two_over_ls)
            );
        }
        if let Some(d) = self.status().diverged {
            text += " ";
            text += &d;
        }
        let mut facts = vec![
            ("η".into(), fmt_number(eta)),
            (
                "zone of confusion [min w*_i, max w*_i]".into(),
                format!("[{}, {}]", num(a), num(b)),
            ),
            ("w* (minimiser of L)".into(), num(self.w_star)),
            (format!("SGD w_{t}"), num(self.sgd_w())),
            (format!("GD w_{}", self.gd.run.t()), num(self.gd_w())),
            ("1/max x_i² (no overshoot below)".into(), num(inv)),
            ("2/L_s (GD stable below)".into(), num(2.0 / self.smooth)),
        ];
        if let Some(g) = self.stationary_gap {
            facts.push(("SGD's mean gap in the long run".into(), num(g)));
        }
        Caption { text, facts }
    }

    pub(super) fn description(&self) -> String {
        let (a, b) = self.zone;
        let n = self.xs.len();
        let mins: Vec<String> = self
            .xs
            .iter()
            .zip(&self.ys)
            .filter(|(x, _)| **x != 0.0)
            .map(|(x, y)| num(y / x))
            .collect();
        let mut out = format!(
            "Three charts. First: the {n} samples' parabolas over w from {} to {}, with their minimisers w*_i at {}; the zone of confusion from {} to {} is shaded; the average L has its minimum at w* = {}. ",
            num(self.w_range.0),
            num(self.w_range.1),
            mins.join(", "),
            num(a),
            num(b),
            num(self.w_star)
        );
        out += &format!(
            "After {} steps the SGD iterate is at {} ({}) and the GD iterate at {}. ",
            self.sgd.run.t(),
            num(self.sgd_w()),
            self.where_sgd(),
            num(self.gd_w())
        );
        out += &format!(
            "Second: the samples as points (x, y) with the line y = w* x and the line of SGD's current w; the points lie between the lines of slopes {} and {}. ",
            num(a),
            num(b)
        );
        out += &format!(
            "Third: the loss gap on a log axis; SGD's is {} and GD's is {} now.",
            num(self.sgd.run.gap()),
            num(self.gd.run.gap())
        );
        if let Some(d) = self.status().diverged {
            out += " ";
            out += &d;
        }
        out
    }
}
