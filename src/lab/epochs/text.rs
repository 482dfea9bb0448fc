//! The epochs lab's words: what the strip shows in the epoch on screen, the fraction
//! seen against its formula, the floors each mode settles at and how they fall with η,
//! all from the numbers drawn.

use super::floors::Floors;
use super::seen::{epoch_counts, expected_fraction_with_replacement};
use super::{EpochsLab, RESHUFFLED, WITH_REPLACEMENT};
use crate::lab::numbers::num;
use crate::lab::{Caption, LabSim};
use crate::sampler::Sampling;

fn pct(x: f64) -> String {
    format!("{:.0} %", 100.0 * x)
}

impl EpochsLab {
    /// The fraction of distinct samples mode `i` has seen (mean over the runs) at step
    /// `t`, if followed that far.
    fn fraction_at(&self, i: usize, t: u64) -> Option<f64> {
        self.fraction.get(i)?.get(t as usize).copied()
    }

    /// The sorted-data sentence when the data are sorted and cyclic is shown.
    fn sorted_data(&self) -> bool {
        matches!(
            self.sb.scenario().problem,
            crate::scenario::ProblemSpec::RandomLeastSquares { sorted: true, .. }
        )
    }

    pub(super) fn caption_text(&self) -> Caption {
        let s = self.sb.scenario();
        let t = self.sb.shown_step();
        let spe = self.steps_per_epoch();
        let mut facts = vec![
            ("n".into(), self.n.to_string()),
            ("b".into(), self.batch.to_string()),
            ("steps per epoch ⌈n/b⌉".into(), spe.to_string()),
            ("η".into(), num(s.method.lr)),
        ];
        let mut text = format!(
            "The same SGD (η = {}, b = {}) on the same {} samples, choosing them {} ways; an epoch is ⌈n/b⌉ = {spe} steps. ",
            num(s.method.lr),
            self.batch,
            self.n,
            self.modes.len()
        );
        // The strip: the epoch on screen.
        let epoch_of_t = if t == 0 { 0 } else { (t - 1) / spe };
        facts.push(("epoch shown".into(), (epoch_of_t + 1).to_string()));
        if let Some(i) = self.mode(WITH_REPLACEMENT) {
            let (_, c) = epoch_counts(&self.draws[i], self.n, self.batch, t);
            let seen = c.iter().filter(|&&k| k > 0).count();
            let twice = c.iter().filter(|&&k| k > 1).count();
            if t > 0 {
                text += &format!(
                    "In epoch {} sampling with replacement has drawn {seen} of the {} samples so far ({twice} of them twice or more)",
                    epoch_of_t + 1,
                    self.n
                );
                let others: Vec<&str> = self
                    .modes
                    .iter()
                    .filter(|m| m.1 != Sampling::WithReplacement)
                    .map(|m| m.0.as_str())
                    .collect();
                if !others.is_empty() {
                    text += &format!(
                        "; {} draw each sample exactly once an epoch, so their strips fill without a repeat",
                        others.join(", ")
                    );
                }
                text += ". ";
                facts.push((
                    format!("{WITH_REPLACEMENT}: drawn this epoch"),
                    format!("{seen} of {}, {twice} twice or more", self.n),
                ));
            }
            // The fraction since the start, against the formula: after the first
            // epochs, where it is far from 1.
            let k_whole = (t / spe).min((self.fraction[i].len().saturating_sub(1)) as u64 / spe);
            let quoted: Vec<u64> = [1, k_whole.min(3)]
                .into_iter()
                .filter(|&k| k >= 1 && k <= k_whole)
                .fold(Vec::new(), |mut v, k| {
                    if !v.contains(&k) {
                        v.push(k);
                    }
                    v
                });
            let mut parts = Vec::new();
            for k in quoted {
                if let Some(f) = self.fraction_at(i, k * spe) {
                    // k epochs of ⌈n/b⌉ steps of b draws (k n draws when b divides n).
                    let th = expected_fraction_with_replacement(
                        self.n,
                        (k * spe) as f64 * self.batch as f64,
                    );
                    parts.push(format!(
                        "{} after {k} epoch{} (1 − (1 − 1/n)^(nk) = {}; 1 − e^(−k) = {})",
                        pct(f),
                        if k == 1 { "" } else { "s" },
                        pct(th),
                        pct(-libm::expm1(-(k as f64)))
                    ));
                    facts.push((
                        format!("{WITH_REPLACEMENT}: seen after {k} epochs"),
                        format!("{} (theory {})", pct(f), pct(th)),
                    ));
                }
            }
            if !parts.is_empty() {
                text += &format!(
                    "Since the start it has seen, on average over the runs, {}: some samples wait several epochs for their turn. ",
                    parts.join(" and ")
                );
            }
        }
        // The loss gaps over the last whole epoch shown.
        let tc = self.sb.caption_step();
        if let Some((k, means)) = self.epoch_means(tc) {
            let parts: Vec<String> = means
                .iter()
                .map(|(l, g)| format!("{l} {}", num(*g)))
                .collect();
            text += &format!(
                "Mean loss gap over epoch {k} (over {} runs): {}",
                s.runs,
                parts.join(", ")
            );
            if let Some(f) = self.floor {
                text += &format!("; the exact floor with replacement is {}", num(f));
            }
            text += ". ";
            let gap = |l: &str| means.iter().find(|m| m.0 == l).map(|m| m.1);
            if let (Some(w), Some(r)) = (gap(WITH_REPLACEMENT), gap(RESHUFFLED)) {
                if r > 0.0 && w > r {
                    text += &format!(
                        "Reshuffling is {} times lower here — a difference the lecture calls tiny: both stay at a floor set by η. ",
                        num(w / r)
                    );
                } else {
                    text +=
                        "Reshuffling is not lower here: at this step the two floors are alike. ";
                }
            }
        } else if let Some(d) = self.sb.status().diverged {
            text += &format!("{d} ");
        }
        for (i, (l, _)) in self.modes.iter().enumerate() {
            if let Some(g) = self.sb.mean_gap_at(i, tc) {
                facts.push((format!("{l}: mean gap at t = {tc}"), num(g)));
            }
        }
        // The floors against η.
        if self.floors.is_done() {
            let slopes: Vec<(String, f64)> = self
                .modes
                .iter()
                .enumerate()
                .filter_map(|(i, (l, _))| Some((l.clone(), Floors::slope(&self.floors.of(i))?)))
                .collect();
            let sl = |l: &str| slopes.iter().find(|x| x.0 == l).map(|x| x.1);
            if let (Some(a), Some(b)) = (sl(WITH_REPLACEMENT), sl(RESHUFFLED)) {
                text += &format!(
                    "Measured from η/27 to η, the floor with replacement falls like η^{:.1} and reshuffling's like η^{:.1}: ",
                    a, b
                );
                let ratio = |k: usize| {
                    let w = self.floors.of(self.mode(WITH_REPLACEMENT)?);
                    let r = self.floors.of(self.mode(RESHUFFLED)?);
                    let (w, r) = (w.get(k)?, r.get(k)?);
                    (w.0 == r.0 && r.1 > 0.0).then(|| (w.0, w.1 / r.1))
                };
                match (ratio(0), ratio(3)) {
                    (Some((e0, r0)), Some((e3, r3))) => {
                        text += &format!(
                            "reshuffling is {} times lower at η = {} and {} times lower at η = {}. ",
                            num(r3),
                            num(e3),
                            num(r0),
                            num(e0)
                        );
                        facts.push(("floor ratio with/reshuffled at η".into(), num(r3)));
                        facts.push(("floor ratio with/reshuffled at η/27".into(), num(r0)));
                    }
                    _ => text += "the smaller the step, the more reshuffling gains. ",
                }
            }
            for (l, v) in &slopes {
                facts.push((format!("{l}: floor slope in η"), format!("{v:.2}")));
            }
        } else {
            text += "The floors against η are being measured. ";
        }
        if self.sorted_data() {
            if let Some(i) = self.mode("cyclic") {
                let c = self.floors.of(i);
                let r = self
                    .mode(RESHUFFLED)
                    .map(|j| self.floors.of(j))
                    .unwrap_or_default();
                if let (Some(c), Some(r)) = (c.last(), r.last()) {
                    text += &format!(
                        "The data are sorted by y: cyclic order walks from the smallest to the largest targets every epoch and is pulled back and forth; its floor at η is {} times reshuffling's. ",
                        num(c.1 / r.1)
                    );
                } else {
                    text += "The data are sorted by y: cyclic order walks from the smallest to the largest targets every epoch and is pulled back and forth. ";
                }
            }
        }
        Caption {
            text: text.trim_end().to_string(),
            facts,
        }
    }

    pub(super) fn describe_text(&self) -> String {
        let t = self.sb.shown_step();
        let mut out = format!(
            "Four charts. First, one strip of {} cells per sampling mode ({}), each cell a sample, light when drawn once in the current epoch and dark when drawn more. ",
            self.n,
            self.modes.iter().map(|m| m.0.as_str()).collect::<Vec<_>>().join(", ")
        );
        for (i, (l, _)) in self.modes.iter().enumerate() {
            let (_, c) = epoch_counts(&self.draws[i], self.n, self.batch, t);
            let seen = c.iter().filter(|&&k| k > 0).count();
            out += &format!("{l}: {seen} of {} drawn this epoch. ", self.n);
        }
        out += "Second, the fraction of samples seen since the start against epochs, with 1 − (1 − 1/n)^(nk) dashed. Third, each mode's mean loss gap on a logarithmic axis against epochs. Fourth, the floors each mode settles at against the step size, both axes logarithmic. ";
        if let Some((k, means)) = self.epoch_means(self.sb.caption_step()) {
            let parts: Vec<String> = means
                .iter()
                .map(|(l, g)| format!("{l} {}", num(*g)))
                .collect();
            out += &format!("Mean gap over epoch {k}: {}.", parts.join(", "));
        }
        out
    }
}
