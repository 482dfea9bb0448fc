//! `expected-loss` (lecture 25:55 and 45:19): many runs ("every student trains once"),
//! their mean loss gap — the expectation the theory speaks of — with a band over all
//! runs, the exact expectation E[L(w_t)] − L* (src/expectation.rs), and the lecture's
//! bound η L_s M/(2m) + (1 − ηm)^t (L(w0) − L*) as its two terms and their sum, each
//! a line labelled at its end (TEACHING.md, rule 5).
//!
//! - `draw.rs`: the chart;
//! - `text.rs`: the caption, the text description and the divergence message.

mod draw;
mod text;

use super::common;
use super::engine::ensemble::{reveal, EnsembleTrack};
use super::knob::{fmt_number, Knob, KnobKind};
use super::{Caption, ChartInfo, LabSim, Status};
use crate::chart::ChartFrame;
use crate::error::SpecError;
use crate::expectation::{exact_mean_gap, stationary_gap};
use crate::scenario::{ProblemSpec, Scenario, Setup};
use crate::theory::{theory, Theory};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

pub const DEFAULT_SHOWN: u64 = 20;
/// Runs kept in full (the faint lines; and the band when the histogram is too big).
const KEPT_RUNS: usize = 100;
/// The band covers every run up to this many points (its histogram takes 2 KB a
/// point: 20 MB here); beyond, it covers the kept runs and says so.
const MAX_BAND_POINTS: usize = 10_001;

const CHARTS: &[ChartInfo] = &[ChartInfo {
    id: "gap",
    title: "The mean of many runs stays under the lecture's bound",
    heatmap: false,
    click: "",
}];

pub fn knobs() -> Vec<Knob> {
    vec![
        // Up to 4 so that a student can see the too-large step diverge (2/L_s ≈ 1.7 here).
        common::lr(0.001, 4.0),
        Knob {
            key: "kappa",
            label: "Condition number κ",
            help: "L_s/m: how much more the steepest direction curves than the flattest. A larger κ makes the bound's slope (1 − ηm)^t shallower at the same step.",
            kind: KnobKind::Number {
                min: 1.0,
                max: 100.0,
                step: 0.1,
                log: true,
            },
            get: |s| fmt_number(kappa_of(&s.problem).unwrap_or(1.0)),
            set: |s, v| {
                let k = v.number()?;
                match &mut s.problem {
                    ProblemSpec::RandomLeastSquares { kappa, d, .. }
                    | ProblemSpec::RandomQuadratic { kappa, d, .. }
                        if *d >= 2 =>
                    {
                        *kappa = k
                    }
                    // Nothing to set: the link's reader says why the value was not used.
                    _ => {}
                }
                Ok(())
            },
        },
        common::runs(10_000),
        common::steps(2000),
        common::batch(100),
        Knob {
            key: "shown",
            label: "Runs drawn",
            help: "How many individual runs are drawn as faint lines.",
            kind: KnobKind::Integer { min: 0, max: 50 },
            get: |s| {
                s.lab
                    .as_ref()
                    .and_then(|l| l.shown)
                    .unwrap_or(DEFAULT_SHOWN)
                    .to_string()
            },
            set: |s, v| {
                let shown = v.whole()?;
                s.lab.get_or_insert_with(Default::default).shown = Some(shown);
                Ok(())
            },
        },
        common::seed(),
    ]
}

/// κ of a generated problem in two or more dimensions (in one, L_s = m always).
fn kappa_of(p: &ProblemSpec) -> Option<f64> {
    match p {
        ProblemSpec::RandomLeastSquares { kappa, d, .. }
        | ProblemSpec::RandomQuadratic { kappa, d, .. }
            if *d >= 2 =>
        {
            Some(*kappa)
        }
        _ => None,
    }
}

/// Whether knob `key` applies to scenario `s`: κ only to a generated problem in two
/// or more dimensions.
pub fn applies(s: &Scenario, key: &str) -> bool {
    key != "kappa" || kappa_of(&s.problem).is_some()
}

/// Why knob `key` does not apply: the rest of "… was not used: …".
pub fn why_not(s: &Scenario, key: &str) -> Option<String> {
    (!applies(s, key)).then(|| {
        "κ is a parameter of a generated problem (random_least_squares or random_quadratic) in two or more dimensions, and this scenario's problem is not one".to_string()
    })
}

pub struct ExpectedLoss {
    setup: Setup,
    /// The scenario's runs: one variant.
    track: EnsembleTrack,
    theory: Theory,
    /// E[L(w_t)] − L* for every step, or why it is not drawn.
    exact: Result<Vec<f64>, String>,
    /// The level the exact expectation settles at (a constant step that contracts).
    exact_floor: Option<f64>,
    shown: usize,
    /// Steps revealed by the animation.
    t: u64,
}

impl ExpectedLoss {
    pub fn new(setup: &Setup) -> Result<ExpectedLoss, SpecError> {
        let shown = setup
            .scenario
            .lab
            .as_ref()
            .and_then(|l| l.shown)
            .unwrap_or(DEFAULT_SHOWN) as usize;
        let shown = shown.min(setup.scenario.runs as usize);
        let keep = shown.max(KEPT_RUNS.min(setup.scenario.runs as usize));
        let mut track = EnsembleTrack::single(setup, keep);
        if (setup.scenario.steps as usize) < MAX_BAND_POINTS {
            track = track.with_quantiles();
        }
        Ok(ExpectedLoss {
            track,
            theory: theory(setup),
            exact: exact_mean_gap(setup),
            exact_floor: stationary_gap(setup),
            setup: setup.clone(),
            shown,
            t: 0,
        })
    }

    fn ens(&self) -> &crate::ensemble::Ensemble {
        &self.track.variants()[0].ens
    }

    /// The step the numbers are quoted at: the one shown, or the last one every run
    /// reached (the one shown before any run has finished).
    fn quoted_step(&self) -> usize {
        if self.ens().runs_done() == 0 {
            return self.t as usize;
        }
        let mean_len = self.ens().complete_len();
        (self.t as usize).min(mean_len.saturating_sub(1))
    }
}

impl LabSim for ExpectedLoss {
    fn scenario(&self) -> &Scenario {
        &self.setup.scenario
    }

    fn verdict(&self, q: usize) -> Option<crate::lab::quiz::Verdict> {
        // "Halve η: the floor will …": the exact floor of this problem at η and at
        // η/2 (the same problem, batch and sampling), once the run has ended.
        let st = self.status();
        if q != 0 || !st.done || st.progress < 1.0 || st.diverged.is_some() {
            return None;
        }
        let here = self.exact_floor?;
        let mut half = self.setup.clone();
        half.scenario.method.lr /= 2.0;
        let there = stationary_gap(&half)?;
        if here.is_nan() || here <= 0.0 {
            return None;
        }
        let num = crate::lab::numbers::num;
        let eta = self.setup.scenario.method.lr;
        let measured = self.ens().gap_stats().mean_at(self.quoted_step());
        Some(crate::lab::quiz::Verdict {
            answer: crate::lab::quiz::compare(there / here),
            why: format!(
                "The exact floor at η = {} is {} (the runs' mean gap at step {}: {}); at η/2 = {} it is {}, {} times as much.",
                num(eta),
                num(here),
                self.quoted_step(),
                num(measured),
                num(eta / 2.0),
                num(there),
                num(there / here)
            ),
        })
    }

    fn charts(&self) -> &'static [ChartInfo] {
        CHARTS
    }

    fn advance(&mut self, steps: u32) -> u32 {
        reveal(&mut self.t, steps, self.setup.scenario.steps)
    }

    fn work(&mut self, budget: u32) -> f64 {
        // One unit of the budget is one step of one run: the page sizes it by time.
        self.track.work_slice(budget)
    }

    fn reset(&mut self) {
        self.t = 0;
    }

    fn status(&self) -> Status {
        self.track
            .status(self.t, self.setup.scenario.steps, self.divergence())
    }

    fn caption(&self) -> Caption {
        text::caption(self)
    }

    fn describe(&self) -> String {
        text::describe(self)
    }

    fn csv(&self) -> String {
        text::csv(self)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        chart: &str,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        if chart != "gap" {
            return Err(format!("expected-loss has no chart \"{chart}\""));
        }
        draw::gap(self, area, text_px)
    }
}
