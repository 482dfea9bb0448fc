//! `gd-vs-sgd` (lecture 01:08, "When should we use SGD instead of GD", and 01:16,
//! "SGD vs. GD on ImageNet"): GD against SGD with a 1/t step on data sets of
//! n = 10², 10³, … samples from the same distribution (the first n samples of one
//! generated least-squares problem), the loss gap against per-sample gradient
//! evaluations. GD pays n evaluations a step and converges linearly, in about
//! κ ln(1/ε) steps; SGD pays b a step and needs about 1/ε steps. So SGD is cheaper to
//! reach a large ε, GD to reach a small one, and the ε where they cross falls like 1/n.
//!
//! The scenario: the problem (its `n` is the largest data set), SGD's step (`method`,
//! `schedule` = `inverse_time`), `runs` of SGD per data set, `seed`, and `lab.target`,
//! the ε of the table. GD takes its best constant step 1/L_s on each data set. `steps`
//! is the clock's ticks: the x-axis (evaluations) is revealed evenly on its logarithmic
//! scale in that many ticks (tick k of K shows ⌊X^(k/K)⌋ + k evaluations).
//!
//! Charts: the race (every data set's GD and SGD curves on one log–log chart, the
//! crossings ringed, the target ε dashed), and the crossings against n beside the
//! lecture's ε = 1/n. An HTML table (`table`) gives, for the target ε, each method's
//! steps and work and which is cheaper.

mod draw;
pub mod race;
mod text;

use super::engine::ensemble::reveal;
use super::knob::{fmt_number, Knob, KnobKind};
use super::{common, Caption, ChartInfo, LabSim, Status, Table};
use crate::chart::ChartFrame;
use crate::error::SpecError;
use crate::method::MethodKind;
use crate::scenario::{LabView, ProblemSpec, Scenario, Setup};
use crate::schedule::Schedule;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};
pub use race::{Crossing, Race};

const CHARTS: &[ChartInfo] = &[
    ChartInfo {
        id: "race",
        title: "Loss gap against gradient evaluations: GD and SGD on every data set",
        heatmap: false,
        click: "",
    },
    ChartInfo {
        id: "crossings",
        title: "Where GD overtakes SGD, against n, beside the lecture's ε = 1/n",
        heatmap: false,
        click: "",
    },
];

/// The largest data sets the `n` knob offers: (value, label).
pub const SIZES: [(&str, &str); 3] = [
    ("1000", "10² and 10³"),
    ("10000", "10², 10³ and 10⁴"),
    ("100000", "10², 10³, 10⁴ and 10⁵"),
];

/// The target ε a new scenario starts with.
pub const DEFAULT_TARGET: f64 = 1e-4;

/// The most work one scenario may ask for, in evaluations and SGD steps.
pub const MAX_WORK: u64 = 200_000_000;

/// The target ε of a scenario.
pub fn target_of(s: &Scenario) -> f64 {
    s.lab
        .as_ref()
        .and_then(|v| v.target)
        .unwrap_or(DEFAULT_TARGET)
}

/// The view a new scenario starts with.
pub fn default_view(v: &mut LabView) {
    v.target = Some(DEFAULT_TARGET);
}

/// The largest data set's n.
pub fn n_of(s: &Scenario) -> u64 {
    match s.problem {
        ProblemSpec::RandomLeastSquares { n, .. } => n,
        _ => 0,
    }
}

/// The data sets' sizes: 100, 1000, … up to the largest.
pub fn sizes(n_max: u64) -> Vec<u64> {
    let mut out = Vec::new();
    let mut n = 100;
    while n <= n_max {
        out.push(n);
        n *= 10;
    }
    out
}

pub fn knobs() -> Vec<Knob> {
    vec![
        Knob {
            key: "n",
            label: "Data sets n",
            help: "The sizes of the data sets: the first 100, 1000, … samples of one generated problem.",
            kind: KnobKind::Choice {
                options: SIZES.to_vec(),
            },
            get: |s| n_of(s).to_string(),
            set: |s, v| {
                let n = v.text();
                let Some((k, _)) = SIZES.iter().find(|(k, _)| *k == n) else {
                    return Err(format!("must be 1000, 10000 or 100000, got {n:?}"));
                };
                if let ProblemSpec::RandomLeastSquares { n, .. } = &mut s.problem {
                    *n = k.parse().unwrap_or(1000);
                }
                Ok(())
            },
        },
        Knob {
            key: "target",
            label: "Target ε",
            help: "The loss gap to reach: the table says which method gets there with fewer gradient evaluations.",
            kind: KnobKind::Number {
                min: 1e-7,
                max: 0.5,
                step: 1e-7,
                log: true,
            },
            get: |s| fmt_number(target_of(s)),
            set: |s, v| {
                let t = v.number()?;
                if let Some(view) = &mut s.lab {
                    view.target = Some(t);
                }
                Ok(())
            },
        },
        Knob {
            key: "batch",
            label: "SGD's batch b",
            help: "How many samples each SGD step averages: its work a step.",
            kind: KnobKind::Integer { min: 1, max: 100 },
            get: |s| s.method.batch.to_string(),
            set: |s, v| {
                s.method.batch = v.whole()?;
                Ok(())
            },
        },
        Knob {
            key: "lr",
            label: "SGD's first step η₀",
            help: "SGD's step is η₀/(1 + t/t₀); GD takes its best constant step 1/L_s.",
            kind: KnobKind::Number {
                min: 0.01,
                max: 2.0,
                step: 0.01,
                log: true,
            },
            get: |s| fmt_number(s.method.lr),
            set: |s, v| {
                s.method.lr = v.number()?;
                Ok(())
            },
        },
        common::runs(30),
        common::seed(),
    ]
}

pub struct GdVsSgdLab {
    setup: Setup,
    races: Vec<Race>,
    /// Work is done data set by data set up to this many evaluations, then doubled:
    /// the curves grow from the left, as the clock reveals them.
    frontier: u64,
    /// Clock ticks shown (0 … `setup.scenario.steps`).
    k: u64,
}

impl GdVsSgdLab {
    pub fn new(setup: &Setup) -> Result<GdVsSgdLab, SpecError> {
        let s = &setup.scenario;
        let n = n_of(s);
        if !matches!(s.problem, ProblemSpec::RandomLeastSquares { .. }) {
            return Err(SpecError::new(
                "problem.kind",
                "must be random_least_squares in the gd-vs-sgd lab: its data sets are the first 100, 1000, … samples of one generated problem",
            ));
        }
        if !SIZES.iter().any(|(k, _)| k.parse() == Ok(n)) {
            return Err(SpecError::new(
                "problem.n",
                format!("must be 1000, 10000 or 100000 in the gd-vs-sgd lab (the largest data set; the others are 100, 1000, …), got {n}"),
            ));
        }
        let m = &s.method;
        if m.kind != MethodKind::Sgd || m.momentum != 0.0 {
            return Err(SpecError::new(
                "method",
                "must be plain SGD (kind sgd, no momentum) in the gd-vs-sgd lab: it races GD, which the lab runs itself",
            ));
        }
        if !matches!(s.schedule, Schedule::InverseTime { .. }) {
            return Err(SpecError::new(
                "schedule.kind",
                "must be inverse_time in the gd-vs-sgd lab: SGD reaches a small ε only with a step that decays like 1/t",
            ));
        }
        let target = target_of(s);
        if !(1e-9..=10.0).contains(&target) {
            return Err(SpecError::new(
                "lab.target",
                format!(
                    "must be between 1e-9 and 10 (a loss gap ε to reach), got {}",
                    super::numbers::num(target)
                ),
            ));
        }
        let races = sizes(n)
            .into_iter()
            .map(|n| Race::new(setup, n))
            .collect::<Result<Vec<_>, _>>()?;
        let work: u64 = races.iter().map(Race::total).sum();
        if work > MAX_WORK {
            return Err(SpecError::new(
                "runs",
                format!(
                    "asks for {} gradient evaluations and SGD steps (GD's passes plus {} runs of SGD on each data set), more than the {} this lab computes: use fewer runs or a larger batch",
                    super::numbers::num(work as f64),
                    s.runs,
                    super::numbers::num(MAX_WORK as f64)
                ),
            ));
        }
        Ok(GdVsSgdLab {
            setup: setup.clone(),
            races,
            frontier: 64,
            k: 0,
        })
    }

    pub fn races(&self) -> &[Race] {
        &self.races
    }

    pub fn target(&self) -> f64 {
        target_of(&self.setup.scenario)
    }

    /// The x-axis's end: the largest data set's GD passes.
    pub fn x_max(&self) -> u64 {
        self.races.iter().map(Race::x_max).max().unwrap_or(1)
    }

    /// The evaluations the clock shows at tick `k`: ⌊X^(k/K)⌋ + k — an even pace on
    /// the log axis, and at least one evaluation more every tick (where X^(k/K) grows by
    /// less than one, the first ticks).
    fn x_at(&self, k: u64) -> u64 {
        let big = self.setup.scenario.steps.max(1);
        if k >= big {
            return self.x_max();
        }
        let x = libm::pow(self.x_max() as f64, k as f64 / big as f64);
        (x.floor() as u64 + k).clamp(1, self.x_max())
    }

    /// The evaluations shown now.
    pub fn shown_x(&self) -> u64 {
        self.x_at(self.k)
    }

    /// Whether the clock is at its end.
    pub fn at_end(&self) -> bool {
        self.k >= self.setup.scenario.steps
    }

    fn is_done(&self) -> bool {
        self.races.iter().all(Race::is_done)
    }

    fn progress(&self) -> f64 {
        if self.is_done() {
            return 1.0;
        }
        let (left, all) = self
            .races
            .iter()
            .fold((0, 0), |(l, a), r| (l + r.left(), a + r.total()));
        (1.0 - left as f64 / all.max(1) as f64).clamp(0.0, 1.0 - 1e-9)
    }
}

impl LabSim for GdVsSgdLab {
    fn scenario(&self) -> &Scenario {
        &self.setup.scenario
    }

    fn verdict(&self, q: usize) -> Option<crate::lab::quiz::Verdict> {
        // "Which reaches ε with fewer gradient evaluations": on the largest data set
        // (q = 0) and the smallest (q = 1), at the end of the clock.
        if !self.at_end() || self.progress() < 1.0 {
            return None;
        }
        let races = self.races();
        let r = match q {
            0 => races.last()?,
            1 => races.first()?,
            _ => return None,
        };
        let eps = self.target();
        let reach = r.reach(eps, self.shown_x());
        let (gd, sgd) = (reach.gd.map(|t| t * r.n), reach.sgd.map(|t| t * r.b));
        let words = |w: Option<u64>| w.map_or("not within the axis".to_string(), text::count);
        let answer = match (gd, sgd) {
            (Some(g), Some(s)) => usize::from(s < g),
            (Some(_), None) => 0,
            (None, Some(_)) => 1,
            (None, None) => return None,
        };
        Some(crate::lab::quiz::Verdict {
            answer,
            why: format!(
                "On n = {} samples, to reach ε = {}: GD {} gradient evaluations, SGD {} (the mean of its runs).",
                text::count(r.n),
                text::short(eps),
                words(gd),
                words(sgd)
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
        let mut left = budget.max(1) as u64;
        while left > 0 && !self.is_done() {
            let frontier = self.frontier;
            for r in &mut self.races {
                left -= r.advance(frontier, left).min(left);
            }
            if self.races.iter().all(|r| r.reached(frontier)) {
                self.frontier = frontier.saturating_mul(2);
            }
        }
        self.progress()
    }

    fn reset(&mut self) {
        self.k = 0;
    }

    fn status(&self) -> Status {
        let diverged: Vec<String> = self
            .races
            .iter()
            .filter_map(|r| {
                let (run, at) = r.diverged()?;
                Some(format!(
                    "SGD on n = {} diverged in run {} at step {at}: its first step η₀ = {} is too large (GD itself is stable only below 2/L_s = {})",
                    r.n,
                    run + 1,
                    super::numbers::num(self.setup.scenario.method.lr),
                    super::numbers::num(2.0 / r.l_s)
                ))
            })
            .collect();
        Status {
            t: self.k,
            steps: self.setup.scenario.steps,
            done: self.at_end() && self.is_done(),
            progress: self.progress(),
            diverged: (!diverged.is_empty()).then(|| diverged.join("; ")),
            clock: Some(format!(
                "{} of {} gradient evaluations",
                text::count(self.shown_x()),
                text::count(self.x_max())
            )),
        }
    }

    fn steps_per_second(&self) -> Option<f64> {
        // The whole axis in about 10 s.
        Some((self.setup.scenario.steps as f64 / 10.0).clamp(5.0, 100.0))
    }

    fn caption(&self) -> Caption {
        self.caption_text()
    }

    fn describe(&self) -> String {
        self.describe_text()
    }

    fn table(&self) -> Option<Table> {
        Some(self.table_rows())
    }

    fn csv(&self) -> String {
        self.csv_text()
    }

    fn draw<DB: DrawingBackend>(
        &self,
        chart: &str,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        match chart {
            "race" => self.draw_race(area, text_px),
            "crossings" => self.draw_crossings(area, text_px),
            other => Err(format!("gd-vs-sgd has no chart \"{other}\"")),
        }
    }
}
