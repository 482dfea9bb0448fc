//! The sandbox's words: a caption computed from the numbers on screen (which variant
//! is lowest at the step shown, and at what cost), the divergence status, and the text
//! alternative of the charts.

use super::Sandbox;
use crate::lab::knob::fmt_number;
use crate::lab::numbers::num;
use crate::lab::Caption;

impl Sandbox {
    /// Gradient evaluations of variant `i` after `t` steps (its first kept run; every
    /// run of a variant evaluates as many).
    pub(crate) fn evals_at(&self, i: usize, t: u64) -> Option<u64> {
        let e = &self.track.variants()[i].ens;
        e.kept()
            .first()
            .and_then(|tr| tr.grad_evals.get(t as usize).copied())
    }

    /// The step whose numbers the caption quotes: the one shown, or the last step that
    /// some variant reached with all its runs (a variant that diverged earlier is left
    /// out of the comparison; the status names it).
    pub(crate) fn caption_step(&self) -> u64 {
        self.track.reached(self.t)
    }

    pub(crate) fn diverged_text(&self) -> Option<String> {
        let mut parts = Vec::new();
        for (i, v) in self.track.variants().iter().enumerate() {
            if let Some((r, s)) = self.track.first_divergence(i) {
                let lr = v.ens.setup().scenario.method.lr;
                parts.push(format!(
                    "{} diverged in run {} at step {s} (η = {}; GD is stable only below 2/L_s = {}), so its mean is shown up to step {}",
                    v.label,
                    r + 1,
                    fmt_number(lr),
                    num(self.theory.max_stable_lr),
                    s.saturating_sub(1)
                ));
            }
        }
        (!parts.is_empty()).then(|| {
            let others = if parts.len() < self.track.variants().len() {
                "; the other variants go on."
            } else {
                "."
            };
            format!("{}{others}", parts.join("; "))
        })
    }

    pub(super) fn caption_text(&self) -> Caption {
        let th = &self.theory;
        let s = &self.setup.scenario;
        let runs = s.runs;
        let t = self.caption_step();
        let mut facts = vec![
            ("problem".into(), self.setup.problem.kind().to_string()),
            (
                "n, d".into(),
                format!("{}, {}", self.setup.problem.n(), self.setup.problem.d()),
            ),
            ("L_s".into(), num(th.smoothness)),
            ("m".into(), num(th.strong_convexity)),
            ("2/L_s (GD stable below)".into(), num(th.max_stable_lr)),
        ];
        let mut at: Vec<(usize, f64)> = (0..self.track.variants().len())
            .filter_map(|i| self.mean_gap_at(i, t).map(|g| (i, g)))
            .collect();
        for &(i, g) in &at {
            let label = &self.track.variants()[i].label;
            let cost = self
                .evals_at(i, t)
                .map(|e| format!(" after {e} gradient evaluations"))
                .unwrap_or_default();
            facts.push((
                format!("{label}: mean gap at t = {t}"),
                format!("{}{cost}", num(g)),
            ));
        }
        let mean_of = if runs > 1 {
            format!(
                "the mean over {runs} runs (the band holds the middle 80 % of the first {})",
                super::KEPT_RUNS.min(runs as usize)
            )
        } else {
            "one run".to_string()
        };
        let mut text = format!(
            "Each line is one variant's loss gap L(w_t) − L*, {mean_of}; every variant draws the same samples (run r of each uses the same random numbers). "
        );
        at.sort_by(|a, b| a.1.total_cmp(&b.1));
        match at.as_slice() {
            [] => text += "The runs are being computed.",
            [(i, g)] => {
                text += &format!(
                    "At step {t} {} is at {}.",
                    self.track.variants()[*i].label,
                    num(*g)
                )
            }
            [(lo, glo), .., (hi, ghi)] => {
                let v = self.track.variants();
                text += &format!(
                    "At step {t} {} is lowest ({}) and {} highest ({}).",
                    v[*lo].label,
                    num(*glo),
                    v[*hi].label,
                    num(*ghi)
                );
                // The fair comparison is per gradient evaluation: say so when the
                // costs per step differ.
                let costs: Vec<Option<u64>> = (0..v.len()).map(|i| self.evals_at(i, t)).collect();
                if costs.iter().flatten().min() != costs.iter().flatten().max() {
                    text += " Their costs differ: a step of GD or SVRG evaluates many more gradients than a step of SGD; choose “Gradient evaluations” on the x-axis to compare them at equal work.";
                }
            }
        }
        Caption { text, facts }
    }

    pub(super) fn describe_text(&self) -> String {
        let t = self.caption_step();
        let mut out = format!(
            "Three charts. Loss gap on a logarithmic axis against {} for {} variants; ",
            self.x_axis.label(),
            self.track.variants().len()
        );
        let parts: Vec<String> = self
            .track
            .variants()
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let start = self
                    .mean_gap_at(i, 0)
                    .map(num)
                    .unwrap_or_else(|| "…".into());
                let now = self
                    .mean_gap_at(i, t)
                    .map(num)
                    .unwrap_or_else(|| "…".into());
                format!("{} falls from {start} to {now} at step {t}", v.label)
            })
            .collect();
        out += &parts.join("; ");
        out += ". ";
        out += match self.setup.problem.d() {
            1 => "The iterates chart shows w_t of each variant's first run against the step, with w* as a line.",
            2 => "The map shows the contours of L, w* as a star, each variant's first run as a short trail and the current points of its first runs as a cloud.",
            _ => "The iterates chart shows the distance ‖w_t − w*‖ of each variant's first run against the step.",
        };
        out += " The last chart shows each variant's step size η_t against the step.";
        out
    }
}
