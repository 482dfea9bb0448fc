//! The mini-batch lab's words: the lecture's story told from the numbers on screen —
//! the work each batch needed to reach a level, the floors measured and exact, and
//! what linear scaling did to the largest batch.

use super::{label, mode_of, MiniBatchLab};
use crate::lab::numbers::num;
use crate::lab::{Caption, LabSim};

impl MiniBatchLab {
    /// The level the work is measured to: three times the smallest batch's exact
    /// floor (every batch gets there: the others' floors are lower or equal).
    pub fn target(&self) -> Option<f64> {
        let f = self.batches().first()?.exact_floor?;
        (f > 0.0).then_some(3.0 * f)
    }

    /// The samples processed (or steps, against steps) until variant `i`'s mean gap
    /// first fell to `level`, among the steps shown.
    pub fn work_to(&self, i: usize, level: f64) -> Option<u64> {
        let upto = self.shown_step(i);
        let mean = self.mean_gaps(i);
        let t = mean
            .iter()
            .take(upto as usize + 1)
            .position(|&g| g <= level)? as u64;
        Some(self.x_of(i, t) as u64)
    }

    /// Each batch's step shown and its mean gap there (when computed).
    fn shown_gaps(&self) -> Vec<Option<f64>> {
        (0..self.batches().len())
            .map(|i| self.mean_gap_at(i, self.shown_step(i)))
            .collect()
    }

    pub(super) fn caption_text(&self) -> Caption {
        let s = self.scenario();
        let bs = self.batches();
        let th = self.theory();
        let mode = mode_of(s);
        let names: Vec<String> = bs.iter().map(|b| b.b.to_string()).collect();
        let mut text = String::new();
        let x = self.shown_x();
        let started = x > 0;
        let reached: Vec<Option<u64>> = match self.target() {
            Some(eps) => (0..bs.len()).map(|i| self.work_to(i, eps)).collect(),
            None => vec![None; bs.len()],
        };
        let floors: Vec<Option<f64>> = (0..bs.len()).map(|i| self.shown_floor(i)).collect();
        let list = |v: &[Option<u64>]| -> String {
            v.iter()
                .zip(bs)
                .filter_map(|(w, b)| Some(format!("{} {}", label(b.b), w.as_ref()?)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let floor_list = || -> String {
            floors
                .iter()
                .zip(bs)
                .filter_map(|(f, b)| Some(format!("{} {}", label(b.b), num((*f)?))))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match mode {
            "same" | "linear" => {
                let steps: Vec<String> = bs
                    .iter()
                    .map(|b| format!("{} takes {} steps", label(b.b), b.steps))
                    .collect();
                if mode == "same" {
                    text += &format!(
                        "Batches of {} at the same step η = {}, each processing {} samples: {}. ",
                        names.join(", "),
                        num(bs[0].lr),
                        self.x_max(),
                        steps.join(", ")
                    );
                } else {
                    let lrs: Vec<String> = bs
                        .iter()
                        .map(|b| format!("{} at η = {}", label(b.b), num(b.lr)))
                        .collect();
                    text += &format!(
                        "Linear scaling, η ∝ b: {}; each processes {} samples. ",
                        lrs.join(", "),
                        self.x_max()
                    );
                }
                if !started {
                    text += "Press play: the x-axis counts samples processed, the work.";
                } else if let Some(eps) = self.target() {
                    let l = list(&reached);
                    if !l.is_empty() {
                        text += &format!(
                            "Samples processed until the mean gap fell to {} (three times b = {}'s floor): {}",
                            num(eps),
                            bs[0].b,
                            l
                        );
                        let got: Vec<(u64, u64)> = reached
                            .iter()
                            .zip(bs)
                            .filter_map(|(w, b)| Some(((*w)?, b.b)))
                            .collect();
                        if got.len() >= 2 {
                            let (w0, b0) = got[0];
                            let (w1, b1) = got[got.len() - 1];
                            let r = w1 as f64 / w0.max(1) as f64;
                            if mode == "same" {
                                text += &format!(
                                    " — {} times the work for b = {b1} as for b = {b0} ({} times the batch): per step the batches descend alike, so a batch of b pays b times the samples. ",
                                    num(r),
                                    b1 / b0
                                );
                            } else {
                                text += &format!(
                                    " — about the same work (b = {b1} needed {} times what b = {b0} did) in {} times fewer steps: η ∝ b makes the curves collapse, as the lecture computes. ",
                                    num(r),
                                    b1 / b0
                                );
                            }
                        } else {
                            text += ". ";
                        }
                    } else {
                        text += &format!(
                            "No batch has yet brought its mean gap down to {} (three times b = {}'s floor). ",
                            num(eps),
                            bs[0].b
                        );
                    }
                }
                let fl = floor_list();
                if !fl.is_empty() {
                    text += &format!("Floors measured: {fl}");
                    text += if mode == "same" {
                        " — the larger batch settles lower, about 1/b, but only after b times the work. "
                    } else {
                        " — η_b/b is the same for every b, so the zone of confusion does not shrink (lecture 01:03). "
                    };
                }
                if mode == "linear" {
                    for (i, b) in bs.iter().enumerate() {
                        let at = self.diverged_at(i);
                        if at.is_none() && b.exact_floor.is_some() {
                            continue;
                        }
                        let what = match at {
                            Some(at) => format!("diverged at step {at}"),
                            None => "blows up".to_string(),
                        };
                        text += &format!(
                            "{} {what}: η = {} is past the stability limit (GD's 2/L_s = {}; the theorem allows 1/(L_s M_G(b)) = {}): linear scaling breaks there. ",
                            label(b.b),
                            num(b.lr),
                            num(th.max_stable_lr),
                            num(b.theorem_lr)
                        );
                    }
                    text += "\"Training ImageNet in one hour\" (Goyal et al., 2017) scaled η with b this way on 256 GPUs.";
                } else {
                    text += "Mini-batches do not reduce the work to a given loss on paper; they buy the hardware's parallelism (b samples at once cost about one on a GPU).";
                }
            }
            _ => {
                text += &format!(
                    "Batches of {} at the same step η = {}, each taking the same {} steps: per step the curves coincide until each settles. ",
                    names.join(", "),
                    num(bs[0].lr),
                    self.x_max()
                );
                let fl = floor_list();
                if !started {
                    text += "Press play to see where each settles.";
                } else if fl.is_empty() {
                    text += "The floors are read once each batch has settled. ";
                } else {
                    text += &format!("Floors measured: {fl}. ");
                    let pairs: Vec<(u64, f64)> = floors
                        .iter()
                        .zip(bs)
                        .filter_map(|(f, b)| Some((b.b, (*f)?)))
                        .collect();
                    if let (Some(&(b0, f0)), Some(&(b1, f1))) = (pairs.first(), pairs.last()) {
                        if b1 > b0 {
                            text += &format!(
                                "From b = {b0} to b = {b1} the floor falls {} times for a batch {} times larger: with b samples a step the lecture's σ0 and σ become σ0/b and σ/b, so the floor falls like 1/b. ",
                                num(f0 / f1),
                                b1 / b0
                            );
                        }
                    }
                }
            }
        }
        let mut facts = vec![
            ("L_s".into(), num(th.smoothness)),
            ("m".into(), num(th.strong_convexity)),
            ("σ0 = mean ‖∇l_i(w*)‖²".into(), num(th.sigma0)),
        ];
        if let Some(p) = &th.sigma {
            facts.push(("M_G (b = 1)".into(), num(p.m_g_min)));
        }
        let where_ = if self.per_work() {
            "samples processed"
        } else {
            "step"
        };
        for (i, (b, g)) in bs.iter().zip(self.shown_gaps()).enumerate() {
            let l = label(b.b);
            facts.push((format!("{l}: step η"), num(b.lr)));
            if let Some(g) = g {
                facts.push((
                    format!(
                        "{l}: mean gap at {where_} {}",
                        self.x_of(i, self.shown_step(i))
                    ),
                    num(g),
                ));
            }
            if let Some(f) = floors[i] {
                facts.push((format!("{l}: floor measured"), num(f)));
            }
            match b.exact_floor {
                Some(f) => facts.push((format!("{l}: exact floor"), num(f))),
                None => facts.push((format!("{l}: exact floor"), "diverges".into())),
            }
        }
        Caption {
            text: text.trim_end().to_string(),
            facts,
        }
    }

    pub(super) fn describe_text(&self) -> String {
        let bs = self.batches();
        let axis = if self.per_work() {
            "samples processed"
        } else {
            "steps"
        };
        let mut out = format!(
            "Two charts. First, the mean loss gap over {} runs with its 10–90 % band for batch sizes {}, against {axis} on logarithmic axes, up to {} of {}. ",
            self.scenario().runs,
            bs.iter().map(|b| b.b.to_string()).collect::<Vec<_>>().join(", "),
            self.shown_x(),
            self.x_max()
        );
        let gaps: Vec<String> = self
            .shown_gaps()
            .iter()
            .zip(bs)
            .filter_map(|(g, b)| Some(format!("{} {}", label(b.b), num((*g)?))))
            .collect();
        if !gaps.is_empty() {
            out += &format!("Mean gaps there: {}. ", gaps.join(", "));
        }
        out += "Second, the floors against b on logarithmic axes: the exact floor of each batch, the lecture's scaling through b = 1's, and the measured floors as dots";
        let fl: Vec<String> = (0..bs.len())
            .filter_map(|i| Some(format!("{} {}", label(bs[i].b), num(self.shown_floor(i)?))))
            .collect();
        if fl.is_empty() {
            out += ".";
        } else {
            out += &format!(": {}.", fl.join(", "));
        }
        out
    }
}
