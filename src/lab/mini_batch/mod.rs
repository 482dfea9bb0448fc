//! `mini-batch` (lecture 54:48, "Convergence rate of mini-batch SGD", and the
//! discussion at 01:03:18): SGD with several batch sizes b on the same 2-D least
//! squares, as `compare` variants drawing the same random streams, in three views.
//!
//! 1. **Same η, against samples processed.** Every b processes the same number of
//!    samples (a variant's own `steps`: b = 1 takes b_max times the steps of b_max).
//!    Per step the curves are alike, so against work a batch of b is b times slower;
//!    its floor is lower, by about 1/b.
//! 2. **η ∝ b (linear scaling), against samples processed.** η_b = η b: the curves
//!    collapse onto one, and the floors are the same (η_b/b is) — until η b passes the
//!    stability limit and the largest batch breaks. The theorem's limit
//!    η ≤ 1/(L_s M_G(b)), M_G(b) = 1 + (M_G − 1)/b, is shaded on the floors chart.
//! 3. **Same η, against steps.** Every b takes the same steps: the curves coincide
//!    until each settles, at a floor about 1/b of b = 1's.
//!
//! The second chart is the floors against b on log–log axes: each b's exact floor (the
//! stationary expected gap, `expectation::stationary_gap`), the lecture's scaling η_b/b
//! through b = 1's, and the floors measured from the runs once they have settled.
//!
//! The clock: tick k of K shows max(k, X^(k/K)) samples processed (or steps) — one a
//! tick while the curves fall, then an even pace on the logarithmic x-axis.

mod draw;
mod text;

use super::engine::ensemble::{reveal, EnsembleTrack};
use super::knob::{fmt_number, Knob, KnobKind};
use super::numbers::num;
use super::{common, Caption, ChartInfo, LabSim, Status};
use crate::averaging::Averaging;
use crate::chart::ChartFrame;
use crate::error::SpecError;
use crate::expectation::stationary_gap;
use crate::method::{MethodKind, MethodSpec};
use crate::sampler::Sampling;
use crate::scenario::{Scenario, Setup, VariantSpec};
use crate::schedule::Schedule;
use crate::theory::{theory, Theory};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

const CHARTS: &[ChartInfo] = &[
    ChartInfo {
        id: "gap",
        title: "Mean loss gap of every batch size against the work done (or, in the floors view, the steps)",
        heatmap: false,
        click: "",
    },
    ChartInfo {
        id: "floors",
        title: "The floor of every batch size: measured, exact, and the lecture's η/b",
        heatmap: false,
        click: "",
    },
];

/// Runs kept in full for the bands.
const KEPT: usize = 20;

/// The views: (value, label).
pub const MODES: [(&str, &str); 3] = [
    ("same", "Same η for every b, against samples processed"),
    (
        "linear",
        "η ∝ b (linear scaling), against samples processed",
    ),
    ("floors", "Same η, against steps: the floors"),
];

/// The sets of batch sizes the `batches` knob offers: (value, label).
/// (Values joined by hyphens: a message listing the sets separates them by commas.)
pub const BATCH_SETS: [(&str, &str); 4] = [
    ("1-4-16-64", "1, 4, 16, 64"),
    ("1-2-4-8", "1, 2, 4, 8"),
    ("1-8-64", "1, 8, 64"),
    ("1-10-100", "1, 10, 100"),
];

/// `x` to 12 significant digits (η b written as a person writes it).
fn tidy(x: f64) -> f64 {
    format!("{x:.11e}").parse().unwrap_or(x)
}

/// The batch sizes of the variants, in order.
pub fn batches_of(s: &Scenario) -> Vec<u64> {
    s.compare
        .iter()
        .flatten()
        .map(|v| v.method.as_ref().map_or(s.method.batch, |m| m.batch))
        .collect()
}

fn lrs_of(s: &Scenario) -> Vec<f64> {
    s.compare
        .iter()
        .flatten()
        .map(|v| v.method.as_ref().map_or(s.method.lr, |m| m.lr))
        .collect()
}

/// The base step η: the smallest batch's (b = 1 in every set offered).
pub fn eta_of(s: &Scenario) -> f64 {
    let (b, l) = (batches_of(s), lrs_of(s));
    b.iter()
        .zip(&l)
        .min_by_key(|(b, _)| **b)
        .map_or(s.method.lr, |(_, l)| *l)
}

/// Which view the scenario is: `floors` when no variant has steps of its own, `linear`
/// when the steps grow with b, else `same`.
pub fn mode_of(s: &Scenario) -> &'static str {
    let own_steps = s.compare.iter().flatten().any(|v| v.steps.is_some());
    if !own_steps {
        return "floors";
    }
    let (b, l) = (batches_of(s), lrs_of(s));
    let (b0, l0) = (b.iter().copied().min().unwrap_or(1), eta_of(s));
    let scaled = b
        .iter()
        .zip(&l)
        .all(|(&b, &l)| (l - tidy(l0 * b as f64 / b0 as f64)).abs() <= 1e-12 * l.abs());
    if scaled && b.iter().any(|&x| x != b0) {
        "linear"
    } else {
        "same"
    }
}

fn set_of(s: &Scenario) -> String {
    let b: Vec<String> = batches_of(s).iter().map(|b| b.to_string()).collect();
    b.join("-")
}

/// The label of the variant with batch `b`.
pub fn label(b: u64) -> String {
    format!("b = {b}")
}

/// Writes the variants: one per batch size, SGD with replacement at η (or η b/b_min
/// in the linear view), each taking T b_max/b steps in the views against work (T =
/// `s.steps`, the largest batch's steps) and T steps against steps.
fn rewrite(s: &mut Scenario, mode: &str, batches: &[u64], eta: f64) {
    let b_min = batches.iter().copied().min().unwrap_or(1);
    let b_max = batches.iter().copied().max().unwrap_or(1);
    let t = s.steps;
    s.method = MethodSpec {
        kind: MethodKind::Sgd,
        lr: eta,
        batch: b_min,
        sampling: Sampling::WithReplacement,
        ..MethodSpec::default()
    };
    s.schedule = Schedule::Constant;
    s.averaging = Averaging::None;
    s.compare = Some(
        batches
            .iter()
            .map(|&b| VariantSpec {
                label: label(b),
                method: Some(MethodSpec {
                    lr: if mode == "linear" {
                        tidy(eta * b as f64 / b_min as f64)
                    } else {
                        eta
                    },
                    batch: b,
                    ..s.method.clone()
                }),
                schedule: None,
                averaging: None,
                steps: (mode != "floors").then(|| t * b_max / b),
            })
            .collect(),
    );
}

fn parse_set(v: &str) -> Result<Vec<u64>, String> {
    BATCH_SETS
        .iter()
        .find(|(k, _)| *k == v)
        .map(|(k, _)| k.split('-').map(|b| b.parse().unwrap_or(1)).collect())
        .ok_or_else(|| {
            let allowed: Vec<&str> = BATCH_SETS.iter().map(|(k, _)| *k).collect();
            format!("must be one of {}, got {v:?}", allowed.join(" / "))
        })
}

pub fn knobs() -> Vec<Knob> {
    vec![
        Knob {
            key: "mode",
            label: "View",
            help: "Same η for every batch or η proportional to b, against the samples processed (the work); or the same η against steps, where the floors part.",
            kind: KnobKind::Choice {
                options: MODES.to_vec(),
            },
            get: |s| mode_of(s).to_string(),
            set: |s, v| {
                let m = v.text();
                if !MODES.iter().any(|(k, _)| *k == m) {
                    return Err(format!("must be same, linear or floors, got {m:?}"));
                }
                let (b, eta) = (batches_of(s), eta_of(s));
                rewrite(s, m, &b, eta);
                Ok(())
            },
        },
        Knob {
            key: "batches",
            label: "Batch sizes b",
            help: "The batch sizes compared, each a variant on the same samples.",
            kind: KnobKind::Choice {
                options: BATCH_SETS.to_vec(),
            },
            get: set_of,
            set: |s, v| {
                let b = parse_set(v.text())?;
                let (m, eta) = (mode_of(s), eta_of(s));
                rewrite(s, m, &b, eta);
                Ok(())
            },
        },
        Knob {
            key: "lr",
            label: "Step η (b = 1)",
            help: "The step of the batch of 1; with linear scaling a batch of b steps ηb.",
            kind: KnobKind::Number {
                min: 0.001,
                max: 1.0,
                step: 0.001,
                log: true,
            },
            get: |s| fmt_number(eta_of(s)),
            set: |s, v| {
                let eta = v.number()?;
                let (m, b) = (mode_of(s), batches_of(s));
                rewrite(s, m, &b, eta);
                Ok(())
            },
        },
        Knob {
            key: "steps",
            label: "Steps of the largest batch",
            help: "The largest batch takes this many steps; against work every batch processes as many samples (b = 1 takes b_max times more steps).",
            kind: KnobKind::Integer { min: 10, max: 2000 },
            get: |s| s.steps.to_string(),
            set: |s, v| {
                s.steps = v.whole()?;
                let (m, b, eta) = (mode_of(s), batches_of(s), eta_of(s));
                rewrite(s, m, &b, eta);
                Ok(())
            },
        },
        common::runs(200),
        common::seed(),
    ]
}

/// One batch size: what the charts and words need besides its runs.
pub struct Batch {
    pub b: u64,
    pub lr: f64,
    /// Steps its runs take.
    pub steps: u64,
    /// The exact stationary expected gap (`None`: the second moment diverges).
    pub exact_floor: Option<f64>,
    /// The theorem's largest step for this batch, 1/(L_s M_G(b)).
    pub theorem_lr: f64,
    /// The first step from which its mean is read as its floor: where the start's
    /// share of the expected gap, r^(2t) (L(w0) − L*) with r = max(|1 − ηm|, |1 − ηL_s|),
    /// has fallen below 5 % of the exact floor (at least 10; `u64::MAX`: never).
    pub settle: u64,
}

/// See [`Batch::settle`].
fn settle_step(lr: f64, m: f64, l_s: f64, gap0: f64, floor: Option<f64>) -> u64 {
    let r = (1.0 - lr * m).abs().max((1.0 - lr * l_s).abs());
    match floor {
        Some(f) if f > 0.0 && r < 1.0 && gap0 > 0.0 => {
            let t = libm::log(20.0 * gap0 / f).max(0.0) / (-2.0 * libm::log(r));
            (t.ceil() as u64).max(10)
        }
        _ => u64::MAX,
    }
}

pub struct MiniBatchLab {
    setup: Setup,
    theory: Theory,
    track: EnsembleTrack,
    batches: Vec<Batch>,
    /// x = samples processed (true) or steps.
    per_work: bool,
    /// Clock ticks shown (0 … `setup.scenario.steps`).
    k: u64,
}

impl MiniBatchLab {
    pub fn new(setup: &Setup) -> Result<MiniBatchLab, SpecError> {
        let s = &setup.scenario;
        let Some(list) = s.compare.as_ref() else {
            return Err(SpecError::new(
                "compare",
                "is missing: the mini-batch lab shows its batch sizes as compare variants (b = 1, 4, 16 and 64 in its preset)",
            ));
        };
        if let Some((i, _)) = list.iter().enumerate().find(|(_, v)| {
            v.method
                .as_ref()
                .is_some_and(|m| m.kind != MethodKind::Sgd || m.momentum != 0.0)
        }) {
            return Err(SpecError::new(
                format!("compare[{i}].method"),
                "must be plain SGD (no momentum) in the mini-batch lab: its variants differ only in batch size and step",
            ));
        }
        let th = theory(setup);
        let (l_s, m) = (th.smoothness, th.strong_convexity);
        let rho = th.sigma.as_ref().map_or(1.0, |p| p.m_g_min);
        let setups = setup.variant_setups();
        let batches = setups
            .iter()
            .map(|v| {
                let meth = &v.setup.scenario.method;
                let b = meth.batch;
                let lr = meth.lr;
                let exact_floor = stationary_gap(&v.setup);
                Batch {
                    b,
                    lr,
                    steps: v.setup.scenario.steps,
                    exact_floor,
                    theorem_lr: 1.0 / (l_s * (1.0 + (rho - 1.0) / b as f64)),
                    settle: settle_step(lr, m, l_s, th.initial_gap, exact_floor),
                }
            })
            .collect();
        let per_work = list.iter().any(|v| v.steps.is_some());
        let variants = setups.into_iter().map(|v| (v.label, v.setup)).collect();
        Ok(MiniBatchLab {
            track: EnsembleTrack::new(variants, KEPT.min(s.runs as usize)),
            theory: th,
            setup: setup.clone(),
            batches,
            per_work,
            k: 0,
        })
    }

    pub fn batches(&self) -> &[Batch] {
        &self.batches
    }

    /// The x-axis's end: the samples every batch processes (against work) or the
    /// steps every batch takes.
    pub fn x_max(&self) -> u64 {
        if self.per_work {
            self.batches
                .iter()
                .map(|b| b.steps * b.b)
                .max()
                .unwrap_or(1)
        } else {
            self.batches.iter().map(|b| b.steps).max().unwrap_or(1)
        }
    }

    /// The x the clock shows at tick `k` of K: k while that is more, then X^(k/K)
    /// (X the axis's end): one sample or step a tick where the curves first fall, then
    /// an even pace on the logarithmic axis.
    fn x_at(&self, k: u64) -> u64 {
        let big = self.setup.scenario.steps.max(1);
        if k >= big {
            return self.x_max();
        }
        let x = libm::pow(self.x_max() as f64, k as f64 / big as f64);
        (x.floor() as u64).max(k).min(self.x_max())
    }

    /// The x shown now.
    pub fn shown_x(&self) -> u64 {
        self.x_at(self.k)
    }

    /// Variant `i`'s x at its step `t`.
    pub fn x_of(&self, i: usize, t: u64) -> f64 {
        if self.per_work {
            (t * self.batches[i].b) as f64
        } else {
            t as f64
        }
    }

    /// The last step of variant `i` the clock shows.
    pub fn shown_step(&self, i: usize) -> u64 {
        let x = self.shown_x();
        let t = if self.per_work {
            x / self.batches[i].b
        } else {
            x
        };
        t.min(self.batches[i].steps)
    }

    /// Variant `i`'s mean gap over all runs at step `t`, once every run reached it.
    pub fn mean_gap_at(&self, i: usize, t: u64) -> Option<f64> {
        let e = &self.track.variants()[i].ens;
        (e.is_done() && e.complete_at(t as usize)).then(|| e.gap_stats().mean_at(t as usize))
    }

    /// Variant `i`'s mean gap at every step its runs reached.
    pub fn mean_gaps(&self, i: usize) -> Vec<f64> {
        let e = &self.track.variants()[i].ens;
        e.gap_stats().mean(e.complete_len())
    }

    pub fn band(&self, i: usize, upto: usize) -> (Vec<f64>, Vec<f64>) {
        self.track.band(i, upto)
    }

    /// Variant `i`'s floor measured from its runs up to step `upto` (the mean gap
    /// averaged over the steps from its settling step on): `None` before at least 20
    /// such steps are shown, or when a run diverged.
    pub fn measured_floor(&self, i: usize, upto: u64) -> Option<f64> {
        let from = self.batches[i].settle;
        if upto < from.saturating_add(20) || self.track.first_divergence(i).is_some() {
            return None;
        }
        let mut sum = 0.0;
        for t in from..=upto {
            sum += self.mean_gap_at(i, t)?;
        }
        Some(sum / (upto - from + 1) as f64)
    }

    /// Variant `i`'s measured floor at what the clock shows.
    pub fn shown_floor(&self, i: usize) -> Option<f64> {
        self.measured_floor(i, self.shown_step(i))
    }

    pub fn theory(&self) -> &Theory {
        &self.theory
    }

    pub fn per_work(&self) -> bool {
        self.per_work
    }

    /// The step at which variant `i`'s first run diverged.
    pub fn diverged_at(&self, i: usize) -> Option<u64> {
        self.track.first_divergence(i).map(|(_, at)| at)
    }

    fn label(&self, i: usize) -> String {
        label(self.batches[i].b)
    }
}

impl LabSim for MiniBatchLab {
    fn scenario(&self) -> &Scenario {
        &self.setup.scenario
    }

    fn verdict(&self, q: usize) -> Option<crate::lab::quiz::Verdict> {
        // "The floor of the largest batch against b = 1's": the measured floors' ratio,
        // nearest (in log scale) to b, √b or 1; the largest batch whose floor was
        // measured (one that diverged has none).
        if q != 0 || !self.status().done {
            return None;
        }
        let small = (0..self.batches.len()).min_by_key(|&i| self.batches[i].b)?;
        let f0 = self.measured_floor(small, self.shown_step(small))?;
        let (big, fb) = (0..self.batches.len())
            .filter(|&i| self.batches[i].b > self.batches[small].b)
            .filter_map(|i| Some((i, self.measured_floor(i, self.shown_step(i))?)))
            .max_by_key(|(i, _)| self.batches[*i].b)?;
        if !(f0 > 0.0 && fb > 0.0) {
            return None;
        }
        let b = (self.batches[big].b / self.batches[small].b) as f64;
        let r = f0 / fb;
        let dist = |x: f64| (libm::log(r) - libm::log(x)).abs();
        let answer = [b, b.sqrt(), 1.0]
            .iter()
            .enumerate()
            .min_by(|x, y| dist(*x.1).total_cmp(&dist(*y.1)))
            .map(|(k, _)| k)?;
        let num = crate::lab::numbers::num;
        Some(crate::lab::quiz::Verdict {
            answer,
            why: format!(
                "Measured floors: {} {}, {} {}; the first is {} times the second (b ratio {}, its square root {}).",
                self.label(small),
                num(f0),
                self.label(big),
                num(fb),
                num(r),
                num(b),
                num(b.sqrt())
            ),
        })
    }

    fn charts(&self) -> &'static [ChartInfo] {
        CHARTS
    }

    fn advance(&mut self, steps: u32) -> u32 {
        reveal(&mut self.k, steps, self.setup.scenario.steps)
    }

    fn work(&mut self, budget: u32) -> f64 {
        self.track.work_slice(budget)
    }

    fn reset(&mut self) {
        self.k = 0;
    }

    fn status(&self) -> Status {
        let parts: Vec<String> = (0..self.batches.len())
            .filter_map(|i| {
                let (r, at) = self.track.first_divergence(i)?;
                let b = &self.batches[i];
                Some(format!(
                    "{} diverged in run {} at step {at}: its step η = {} is too large for this batch (GD itself is stable only below 2/L_s = {})",
                    self.label(i),
                    r + 1,
                    num(b.lr),
                    num(self.theory.max_stable_lr)
                ))
            })
            .collect();
        let diverged = (!parts.is_empty()).then(|| {
            let tail = if parts.len() < self.batches.len() {
                "; the others go on."
            } else {
                "."
            };
            format!("{}{tail}", parts.join("; "))
        });
        let mut st = self
            .track
            .status(self.k, self.setup.scenario.steps, diverged);
        let unit = if self.per_work { "samples" } else { "steps" };
        st.clock = Some(format!("{} of {} {unit}", self.shown_x(), self.x_max()));
        st
    }

    fn steps_per_second(&self) -> Option<f64> {
        // The whole clock in about 12 s.
        Some((self.setup.scenario.steps as f64 / 12.0).clamp(5.0, 200.0))
    }

    fn caption(&self) -> Caption {
        self.caption_text()
    }

    fn describe(&self) -> String {
        self.describe_text()
    }

    /// Every batch's per-step statistics (a `variant` column): what `sgd-lab run
    /// --summary` prints for the exported scenario.
    fn csv(&self) -> String {
        self.track.csv()
    }

    fn draw<DB: DrawingBackend>(
        &self,
        chart: &str,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        match chart {
            "gap" => self.draw_gap(area, text_px),
            "floors" => self.draw_floors(area, text_px),
            other => Err(format!("mini-batch has no chart \"{other}\"")),
        }
    }
}
