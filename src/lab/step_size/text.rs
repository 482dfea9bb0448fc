//! The words of `step-size`: its caption and its text alternative.

use super::paths::Group;
use super::{StepSize, WINDOW};
use crate::lab::knob::fmt_number;
use crate::lab::numbers::num;
use crate::lab::{Caption, LabSim};

/// What the two steps should show, in their actual order (η₂ may be the smaller one).
fn order_sentence(e1: f64, e2: f64, ls: f64) -> String {
    if e1 == e2 {
        return "Both step sizes are equal, so both groups arrive alike and spread alike: make η₂ larger (or smaller) than η₁ to compare. ".into();
    }
    let (big, small) = if e2 > e1 {
        ("η₂", "η₁")
    } else {
        ("η₁", "η₂")
    };
    if e1.max(e2) * ls >= 2.0 {
        return format!(
            "The larger step ({big}) is at or above 2/L_s = {}: it does not settle in a cloud, it leaves; the smaller ({small}) {}. ",
            num(2.0 / ls),
            if e1.min(e2) * ls >= 2.0 { "leaves too" } else { "settles" }
        );
    }
    format!(
        "The larger step ({big}) arrives fast, then wanders in a wide cloud; the smaller ({small}) is slow but settles in a tight one. "
    )
}

impl StepSize {
    fn angle_deg(g: &Group) -> Option<f64> {
        (g.angle.1 > 0).then(|| (g.angle.0 / g.angle.1 as f64).to_degrees())
    }

    pub(super) fn caption_text(&self) -> Caption {
        let (e1, e2) = (self.small.lr, self.large.lr);
        let (m1, m2) = self.measured_spread();
        let (p1, p2) = self.stationary_spread();
        let t = self.t();
        let runs = self.small.tracks.len();
        let window = WINDOW.min(t + 1);
        let mut text = format!(
            "Two step sizes on the same samples: path r of η₁ = {} and path r of η₂ = {} draw the same samples in the same order. \
             A step follows one sample's gradient, not ∇L, so it is not perpendicular to the contours. ",
            fmt_number(e1),
            fmt_number(e2)
        );
        text += &order_sentence(e1, e2, self.theory.smoothness);
        let show = |m: Option<f64>| m.map_or("— (diverged)".to_string(), num);
        let last = if window == 1 {
            "last point".to_string()
        } else {
            format!("last {window} steps")
        };
        text += &format!(
            "After {t} steps the mean squared distance ‖w − w*‖² over the {runs} path{} and their {last} is {} for η₁ and {} for η₂",
            if runs == 1 { "" } else { "s" },
            show(m1),
            show(m2)
        );
        match (p1, p2) {
            (Some(a), Some(_)) if e1 == e2 => {
                text += &format!(
                    "; in the long run it tends to {} for both (the same step, the same cloud). ",
                    num(a)
                )
            }
            (Some(a), Some(b)) if !(a.max(b) > 0.0) => {
                text += &format!(
                    "; in the long run it tends to {} and {}: the samples agree (their minimisers all sit at w*), so both clouds shrink to the point w* whatever the step. ",
                    num(a),
                    num(b)
                )
            }
            (Some(a), Some(b)) => {
                // Larger step over smaller, whichever of η₁ and η₂ is larger.
                let (big, small, eb, es) = if e2 > e1 {
                    (b, a, "η₂", "η₁")
                } else {
                    (a, b, "η₁", "η₂")
                };
                let step_ratio = e1.max(e2) / e1.min(e2);
                text += &format!(
                    "; in the long run it tends to {} and {} — {eb}'s cloud is {} times {es}'s for a step {} times as large: {}. ",
                    num(a),
                    num(b),
                    num(big / small),
                    num(step_ratio),
                    if big > small {
                        "the cloud grows with the step"
                    } else {
                        "here the cloud does not grow with the step"
                    }
                )
            }
            _ => text += ". ",
        }
        text += &format!(
            "The per-sample minimisers (dots) are where the data put them, mean ‖c_i − w*‖² = {}, whatever the step.",
            num(self.centre_spread)
        );
        if let Some(d) = self.status().diverged {
            text += " ";
            text += &d;
        }
        let mut facts = vec![
            ("η₁ (small step)".into(), fmt_number(e1)),
            ("η₂ (large step)".into(), fmt_number(e2)),
            (format!("measured ‖w − w*‖², η₁ ({last})"), show(m1)),
            (format!("measured ‖w − w*‖², η₂ ({last})"), show(m2)),
        ];
        if let Some(a) = p1 {
            facts.push(("long-run E‖w − w*‖², η₁".into(), num(a)));
        }
        if let Some(b) = p2 {
            facts.push(("long-run E‖w − w*‖², η₂".into(), num(b)));
        }
        facts.push((
            "minimisers' spread mean ‖c_i − w*‖²".into(),
            num(self.centre_spread),
        ));
        facts.push((
            "w*".into(),
            format!("({}, {})", num(self.w_star[0]), num(self.w_star[1])),
        ));
        facts.push((
            "2/L_s (stable below)".into(),
            num(2.0 / self.theory.smoothness),
        ));
        if let (Some(a1), Some(a2)) = (Self::angle_deg(&self.small), Self::angle_deg(&self.large)) {
            facts.push((
                "mean angle between a step and −∇L".into(),
                format!("{a1:.0}° (η₁), {a2:.0}° (η₂); GD's is 0°"),
            ));
        }
        Caption { text, facts }
    }

    pub(super) fn description(&self) -> String {
        let ((x0, x1), (y0, y1)) = self.base_box;
        let (c1, c2) = self.current_points();
        let pts = |v: &[[f64; 2]]| {
            v.iter()
                .map(|p| format!("({}, {})", num(p[0]), num(p[1])))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (m1, m2) = self.measured_spread();
        let show = |m: Option<f64>| m.map_or("not defined (a path diverged)".to_string(), num);
        let mut out = format!(
            "Two charts. First: a contour map of L over w₁ from {} to {} and w₂ from {} to {}, with the minimum w* at ({}, {}) and {} per-sample minimisers scattered around it (mean squared distance {}). ",
            num(x0),
            num(x1),
            num(y0),
            num(y1),
            num(self.w_star[0]),
            num(self.w_star[1]),
            self.centres.len(),
            num(self.centre_spread)
        );
        out += &format!(
            "After {} steps from ({}, {}), the paths at η₁ = {} are at {}; those at η₂ = {} are at {}. Their mean squared distance to w* over the last steps is {} and {}. ",
            self.t(),
            num(self.setup.w0[0]),
            num(self.setup.w0[1]),
            fmt_number(self.small.lr),
            pts(&c1),
            fmt_number(self.large.lr),
            pts(&c2),
            show(m1),
            show(m2)
        );
        out += "Second: the loss gap of every path on a logarithmic axis, their mean per step size, and the level where each step size settles.";
        if let Some(d) = self.status().diverged {
            out += " ";
            out += &d;
        }
        out
    }
}
