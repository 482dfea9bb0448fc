//! `epochs` (lecture 08:51, "What are epochs?"): the same SGD on the same data with
//! four ways of choosing samples — with replacement (the lecture's analysis),
//! reshuffled every epoch (PyTorch's DataLoader), one order shuffled once, and cyclic.
//! Four pictures: which samples each mode has drawn in the current epoch (a strip of n
//! cells per mode), the fraction of distinct samples seen since the start against
//! epochs with 1 − (1 − 1/n)^{kn} → 1 − e^{−k} for sampling with replacement, the
//! mean loss gap of each mode against epochs (the sandbox's chart: band over the runs,
//! the exact floor with replacement dashed), and the measured floors against η on
//! log–log axes, where reshuffling's floor falls faster than η. Built on the sandbox
//! (the modes are its `compare` variants, drawing from the same random streams).

mod draw;
pub mod floors;
pub mod seen;
mod text;

use super::knob::{fmt_number, Knob, KnobKind};
use super::sandbox::spec::normalize;
use super::sandbox::Sandbox;
use super::{common, Caption, ChartInfo, LabSim, LabView, Status};
use crate::averaging::Averaging;
use crate::chart::ChartFrame;
use crate::error::SpecError;
use crate::expectation::stationary_gap;
use crate::method::{MethodKind, MethodSpec};
use crate::sampler::Sampling;
use crate::scenario::{ProblemSpec, Scenario, Setup, VariantSpec};
use crate::schedule::Schedule;
use floors::Floors;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};
use seen::Draws;

const CHARTS: &[ChartInfo] = &[
    ChartInfo {
        id: "seen",
        title: "In an epoch, with replacement draws some samples twice and others not at all",
        heatmap: false,
        click: "",
    },
    ChartInfo {
        id: "fraction",
        title: "With replacement, some samples wait: 1 − e⁻ᵏ seen after k epochs",
        heatmap: false,
        click: "",
    },
    ChartInfo {
        id: "gap",
        title: "Every mode settles at a floor set by η; reshuffling's is a little lower",
        heatmap: false,
        click: "",
    },
    ChartInfo {
        id: "floors",
        title: "The floors against η: reshuffling's falls faster",
        heatmap: false,
        click: "",
    },
];

/// The modes, by the label each variant carries, and their sampling.
pub const MODES: [(&str, Sampling); 4] = [
    ("with replacement", Sampling::WithReplacement),
    ("reshuffled", Sampling::WithoutReplacement),
    ("shuffled once", Sampling::ShuffleOnce),
    ("cyclic", Sampling::Cyclic),
];
pub const WITH_REPLACEMENT: &str = MODES[0].0;
pub const RESHUFFLED: &str = MODES[1].0;

/// The sets the `modes` knob offers: (value, label, the modes shown).
const SETS: &[common::VariantSet] = &[
    (
        "all",
        "all four",
        &["with replacement", "reshuffled", "shuffled once", "cyclic"],
    ),
    (
        "replacement",
        "with replacement and reshuffled",
        &["with replacement", "reshuffled"],
    ),
    ("orders", "reshuffled and cyclic", &["reshuffled", "cyclic"]),
];

fn variant(label: &str, lr: f64, batch: u64) -> VariantSpec {
    let sampling = MODES
        .iter()
        .find(|(l, _)| *l == label)
        .map(|m| m.1)
        .unwrap_or_default();
    VariantSpec {
        label: label.to_string(),
        method: Some(MethodSpec {
            kind: MethodKind::Sgd,
            lr,
            batch,
            sampling,
            ..MethodSpec::default()
        }),
        schedule: Some(Schedule::Constant),
        averaging: Some(Averaging::None),
        steps: None,
    }
}

/// The set the scenario shows, or `all` when its variants are none of them.
fn modes_of(s: &Scenario) -> &'static str {
    common::set_shown(s, SETS, "all")
}

/// Rewrites the variants as the modes of `set` at the scenario's step and batch.
fn set_modes(s: &mut Scenario, set: &str) -> Result<(), String> {
    let labels = common::set_labels(SETS, set)?;
    let (lr, b) = (s.method.lr, s.method.batch);
    s.compare = Some(labels.iter().map(|l| variant(l, lr, b)).collect());
    normalize(s);
    Ok(())
}

/// Keeps the modes shown, at the scenario's current step and batch.
fn rewrite(s: &mut Scenario) {
    let set = modes_of(s);
    let _ = set_modes(s, set);
}

/// The number of samples of the generated data (or of explicit data).
fn n_of(s: &Scenario) -> u64 {
    match &s.problem {
        ProblemSpec::RandomLeastSquares { n, .. }
        | ProblemSpec::RandomQuadratic { n, .. }
        | ProblemSpec::RandomLogistic { n, .. } => *n,
        ProblemSpec::LeastSquares { y, .. } | ProblemSpec::Logistic { y, .. } => y.len() as u64,
        ProblemSpec::Quadratic { centers, .. } => centers.len() as u64,
    }
}

fn sorted_of(s: &Scenario) -> bool {
    matches!(
        s.problem,
        ProblemSpec::RandomLeastSquares { sorted: true, .. }
    )
}

/// Epochs the scenario runs: steps / ⌈n/b⌉, rounded.
fn epochs_of(s: &Scenario) -> u64 {
    let spe = seen::steps_per_epoch(n_of(s) as usize, s.method.batch as usize);
    ((s.steps as f64 / spe as f64).round() as u64).max(1)
}

/// Sets the steps to `epochs` whole epochs at the current n and b.
fn set_epochs(s: &mut Scenario, epochs: u64) {
    let spe = seen::steps_per_epoch(n_of(s) as usize, s.method.batch as usize);
    s.steps = epochs.max(1) * spe;
}

pub const MAX_N: i64 = 400;

pub fn knobs() -> Vec<Knob> {
    vec![
        Knob {
            key: "lr",
            label: "Step size η",
            help: "The constant step of every mode; the floors chart also measures η/3, η/9 and η/27.",
            kind: KnobKind::Number {
                min: 0.001,
                max: 1.0,
                step: 0.001,
                log: true,
            },
            get: |s| fmt_number(s.method.lr),
            set: |s, v| {
                s.method.lr = v.number()?;
                rewrite(s);
                Ok(())
            },
        },
        Knob {
            key: "modes",
            label: "Sampling modes",
            help: "Which ways of choosing the samples run side by side.",
            kind: KnobKind::Choice {
                options: SETS.iter().map(|(v, l, _)| (*v, *l)).collect(),
            },
            get: |s| modes_of(s).to_string(),
            set: |s, v| set_modes(s, v.text()),
        },
        Knob {
            key: "n",
            label: "Samples n",
            help: "How many samples the data set has (an epoch is one pass over them).",
            kind: KnobKind::Integer { min: 2, max: MAX_N },
            get: |s| n_of(s).to_string(),
            set: |s, v| {
                let n: u64 = v.whole()?;
                let epochs = epochs_of(s);
                match &mut s.problem {
                    ProblemSpec::RandomLeastSquares { n: m, .. } => *m = n,
                    _ => return Err("applies to generated least squares only".into()),
                }
                s.method.batch = s.method.batch.min(n);
                rewrite(s);
                set_epochs(s, epochs);
                Ok(())
            },
        },
        Knob {
            key: "batch",
            label: "Batch size b",
            help: "Samples per step; an epoch is ⌈n/b⌉ steps.",
            kind: KnobKind::Integer { min: 1, max: MAX_N },
            get: |s| s.method.batch.to_string(),
            set: |s, v| {
                let b: u64 = v.whole()?;
                let n = n_of(s);
                if b > n {
                    return Err(format!("must be at most n = {n}"));
                }
                let epochs = epochs_of(s);
                s.method.batch = b;
                rewrite(s);
                set_epochs(s, epochs);
                Ok(())
            },
        },
        Knob {
            key: "sorted",
            label: "Data sorted by y",
            help: "Store the same samples in increasing order of y, as a file sorted by its label: cyclic order then sees them sorted.",
            kind: KnobKind::Bool,
            get: |s| sorted_of(s).to_string(),
            set: |s, v| {
                let on = v.flag()?;
                match &mut s.problem {
                    ProblemSpec::RandomLeastSquares { sorted, .. } => *sorted = on,
                    _ if !on => {}
                    _ => return Err("applies to generated least squares only".into()),
                }
                Ok(())
            },
        },
        Knob {
            key: "epochs",
            label: "Epochs",
            help: "How many passes over the data each run makes.",
            kind: KnobKind::Integer { min: 1, max: 200 },
            get: |s| epochs_of(s).to_string(),
            set: |s, v| {
                set_epochs(s, v.whole()?);
                Ok(())
            },
        },
        common::runs(200),
        common::seed(),
    ]
}

/// The view a new scenario of this lab starts with: epochs on the gap chart's x.
pub fn default_view(v: &mut LabView) {
    v.x_axis = Some(super::engine::x_axis::XAxis::Epochs.id().to_string());
}

pub struct EpochsLab {
    sb: Sandbox,
    n: usize,
    batch: usize,
    /// Run 0's batches for each mode (the strip).
    draws: Vec<Draws>,
    /// Mean fraction of distinct samples seen by each step, per mode.
    fraction: Vec<Vec<f64>>,
    floors: Floors,
    /// The exact floor with replacement at the lab's η (when it exists).
    floor: Option<f64>,
    /// The exact floor with replacement at η × f for the floors chart: (η, floor).
    exact: Vec<(f64, f64)>,
    /// Modes' labels and samplings, in the variants' order.
    modes: Vec<(String, Sampling)>,
    /// The gap chart's curves once every run is computed (they no longer change).
    gap_curves: std::cell::RefCell<Option<Vec<draw::GapCurves>>>,
}

impl EpochsLab {
    pub fn new(setup: &Setup) -> Result<EpochsLab, SpecError> {
        if setup.scenario.compare.is_none() {
            return Err(SpecError::new(
                "compare",
                "is missing: the epochs lab shows its sampling modes as compare variants (with replacement, reshuffled, shuffled once and cyclic in its preset)",
            ));
        }
        let sb = Sandbox::new(setup)?;
        let n = setup.problem.n();
        let s = sb.scenario().clone();
        let vs: Vec<Setup> = sb.variant_setups().into_iter().cloned().collect();
        let modes: Vec<(String, Sampling)> = sb
            .labels()
            .iter()
            .zip(&vs)
            .map(|(l, v)| (l.to_string(), v.scenario.method.sampling))
            .collect();
        let batch = s.method.batch as usize;
        let spe = seen::steps_per_epoch(n, batch);
        let draws = vs
            .iter()
            .map(|v| {
                let m = &v.scenario.method;
                Draws::replay(m.sampling, n, m.batch as usize, s.seed, 0, s.steps)
            })
            .collect();
        let frac_steps = s.steps.min(seen::FRACTION_EPOCHS * spe);
        let fraction = vs
            .iter()
            .map(|v| {
                let m = &v.scenario.method;
                seen::mean_fraction_seen(
                    m.sampling,
                    n,
                    m.batch as usize,
                    s.seed,
                    s.runs.min(seen::FRACTION_RUNS),
                    frac_steps,
                )
            })
            .collect();
        let with_repl = vs
            .iter()
            .find(|v| v.scenario.method.sampling == Sampling::WithReplacement);
        let floor = with_repl.and_then(stationary_gap);
        let exact = with_repl
            .map(|v| {
                (0..=24)
                    .filter_map(|k| {
                        // From η/40 to 1.5 η, log-spaced.
                        let eta = s.method.lr / 40.0 * libm::pow(60.0, k as f64 / 24.0);
                        let mut v = v.clone();
                        v.scenario.method.lr = eta;
                        stationary_gap(&v).map(|g| (eta, g))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let m = sb.theory().strong_convexity;
        let floors = Floors::new(&vs, s.method.lr, m, spe);
        Ok(EpochsLab {
            sb,
            n,
            batch,
            draws,
            fraction,
            floors,
            floor,
            exact,
            modes,
            gap_curves: Default::default(),
        })
    }

    fn steps_per_epoch(&self) -> u64 {
        seen::steps_per_epoch(self.n, self.batch)
    }

    /// The index of the mode labelled `label`.
    fn mode(&self, label: &str) -> Option<usize> {
        self.modes.iter().position(|(l, _)| l == label)
    }

    /// Each mode's mean gap averaged over the steps of the last whole epoch up to step
    /// `t` (a floor is read over an epoch: within one, reshuffling's gap swings).
    fn epoch_means(&self, t: u64) -> Option<(u64, Vec<(String, f64)>)> {
        let spe = self.steps_per_epoch();
        let k = t / spe;
        if k == 0 {
            return None;
        }
        let rows = self
            .modes
            .iter()
            .enumerate()
            .filter_map(|(i, (l, _))| {
                let mut sum = 0.0;
                for s in (k - 1) * spe + 1..=k * spe {
                    sum += self.sb.mean_gap_at(i, s)?;
                }
                Some((l.clone(), sum / spe as f64))
            })
            .collect::<Vec<_>>();
        (!rows.is_empty()).then_some((k, rows))
    }
}

impl LabSim for EpochsLab {
    fn scenario(&self) -> &Scenario {
        self.sb.scenario()
    }

    fn verdict(&self, q: usize) -> Option<crate::lab::quiz::Verdict> {
        // "Reshuffling's floor against sampling with replacement at the smallest step
        // measured (η/27)": their ratio, lower / about the same / higher.
        if q != 0 || !self.floors.is_done() || !self.sb.status().done {
            return None;
        }
        let w = self.floors.of(self.mode(WITH_REPLACEMENT)?);
        let r = self.floors.of(self.mode(RESHUFFLED)?);
        let (w, r) = (w.first()?, r.first()?);
        if w.0 != r.0 || w.1.is_nan() || w.1 <= 0.0 || !r.1.is_finite() {
            return None;
        }
        let num = crate::lab::numbers::num;
        Some(crate::lab::quiz::Verdict {
            answer: crate::lab::quiz::compare(r.1 / w.1),
            why: format!(
                "Measured floors at η = {}: with replacement {}, reshuffled every epoch {} ({} times; within a factor 1.5 counts as the same).",
                num(w.0),
                num(w.1),
                num(r.1),
                num(r.1 / w.1)
            ),
        })
    }

    fn charts(&self) -> &'static [ChartInfo] {
        CHARTS
    }

    fn advance(&mut self, steps: u32) -> u32 {
        self.sb.advance(steps)
    }

    fn work(&mut self, budget: u32) -> f64 {
        let p = self.sb.work(budget);
        if p < 1.0 {
            return 0.8 * p;
        }
        let f = self.floors.work(budget as u64);
        if f >= 1.0 {
            1.0
        } else {
            0.8 + 0.2 * f
        }
    }

    fn reset(&mut self) {
        self.sb.reset()
    }

    fn status(&self) -> Status {
        let mut st = self.sb.status();
        if st.progress >= 1.0 && !self.floors.is_done() {
            st.progress = 0.8 + 0.2 * self.floors.progress();
        } else if st.progress < 1.0 {
            st.progress *= 0.8;
        }
        st
    }

    fn steps_per_second(&self) -> Option<f64> {
        // One epoch a second: the strip fills visibly, the fraction chart's first
        // epochs pass in a few seconds.
        Some((self.steps_per_epoch() as f64).clamp(5.0, 120.0))
    }

    fn caption(&self) -> Caption {
        self.caption_text()
    }

    fn describe(&self) -> String {
        self.describe_text()
    }

    fn csv(&self) -> String {
        self.sb.csv()
    }

    fn draw<DB: DrawingBackend>(
        &self,
        chart: &str,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        match chart {
            "seen" => self.draw_seen(area, text_px),
            "fraction" => self.draw_fraction(area, text_px),
            "gap" => self.draw_gap(area, text_px),
            "floors" => self.draw_floors(area, text_px),
            other => Err(format!("epochs has no chart \"{other}\"")),
        }
    }
}
