//! `expected-loss` (lecture 25:55 and 45:19): many runs ("every student trains once"),
//! their mean loss gap — the expectation the theory speaks of — with a spread band, and
//! the lecture's bound η L_s M/(2m) + (1 − ηm)^t (L(w0) − L*) drawn over it.

use super::common;
use super::engine::ensemble::{reveal, EnsembleTrack};
use super::knob::{fmt_number, Knob, KnobKind};
use super::{Caption, ChartInfo, LabSim, Status};
use crate::chart::line::{self, Band, LineChart, LineStyle, Series};
use crate::chart::{palette, AxisScale, ChartFrame, LegendPos};
use crate::error::SpecError;
use crate::scenario::{Scenario, Setup};
use crate::theory::{theory, Theory};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

pub const DEFAULT_SHOWN: u64 = 20;
/// Runs kept in full for the spread band (its quantiles need the individual gaps).
const BAND_RUNS: usize = 100;

const CHARTS: &[ChartInfo] = &[ChartInfo {
    id: "gap",
    title: "Loss gap of every run, their mean, and the bound",
    heatmap: false,
    click: "",
}];

pub fn knobs() -> Vec<Knob> {
    vec![
        // Up to 4 so that a student can see the too-large step diverge (2/L_s ≈ 1.9 here).
        common::lr(0.001, 4.0),
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

pub struct ExpectedLoss {
    setup: Setup,
    /// The scenario's runs: one variant.
    track: EnsembleTrack,
    theory: Theory,
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
        // The band is the 10–90 % range of the first BAND_RUNS runs, kept in full for it.
        let keep = shown.max(BAND_RUNS.min(setup.scenario.runs as usize));
        Ok(ExpectedLoss {
            track: EnsembleTrack::single(setup, keep),
            theory: theory(setup),
            setup: setup.clone(),
            shown,
            t: 0,
        })
    }

    fn ens(&self) -> &crate::ensemble::Ensemble {
        &self.track.variants()[0].ens
    }

    fn bound_at(&self, t: u64) -> Option<f64> {
        self.theory
            .bound
            .as_ref()
            .and_then(|b| b.curve.get(t as usize).copied())
    }
}

impl LabSim for ExpectedLoss {
    fn scenario(&self) -> &Scenario {
        &self.setup.scenario
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
        let diverged = self.track.first_divergence(0).map(|(r, s)| {
                format!(
                    "Run {} diverged at step {s}: η = {} is too large (GD is stable only below 2/L_s = {:.3}), so the mean is shown up to step {}.",
                    r + 1,
                    fmt_number(self.setup.scenario.method.lr),
                    self.theory.max_stable_lr,
                    s.saturating_sub(1)
                )
            });
        self.track
            .status(self.t, self.setup.scenario.steps, diverged)
    }

    fn caption(&self) -> Caption {
        let th = &self.theory;
        let s = &self.setup.scenario;
        let mean = self.ens().mean_gap();
        let t = (self.t as usize).min(mean.len().saturating_sub(1));
        let mut text = format!(
            "Each faint line is one student's run of SGD; the bold line is the mean over the {} runs computed so far — the expected loss gap E[L(w_t)] − L* that the theory bounds. ",
            self.ens().runs_done()
        );
        let mut facts = vec![
            ("η".into(), fmt_number(s.method.lr)),
            ("L_s".into(), format!("{:.4}", th.smoothness)),
            ("m".into(), format!("{:.4}", th.strong_convexity)),
            ("σ0 = mean ‖∇l_i(w*)‖²".into(), format!("{:.4}", th.sigma0)),
        ];
        match &th.bound {
            Some(b) => {
                text += &format!(
                    "The dashed curve is the bound: its floor η L_s M/(2m) = {:.3e} is the zone of confusion that no number of steps removes, and (1 − ηm)^t = {:.4}^t is the GD-like part. A larger η makes the slope steeper but raises the floor; a smaller η does the opposite.",
                    b.floor, b.rate
                );
                facts.push(("M (valid for every w)".into(), format!("{:.4}", b.m)));
                facts.push(("M_G".into(), format!("{:.4}", b.m_g)));
                facts.push(("floor η L_s M/(2m)".into(), format!("{:.3e}", b.floor)));
            }
            None => {
                text += &format!(
                    "No bound is drawn: {}.",
                    th.bound_note
                        .as_deref()
                        .unwrap_or("the theorem does not apply here")
                );
            }
        }
        if let Some(m) = mean.get(t) {
            facts.push((format!("mean gap at t = {t}"), format!("{m:.3e}")));
        }
        if let Some(b) = self.bound_at(t as u64) {
            facts.push((format!("bound at t = {t}"), format!("{b:.3e}")));
        }
        Caption { text, facts }
    }

    fn describe(&self) -> String {
        let mean = self.ens().mean_gap();
        let t = (self.t as usize).min(mean.len().saturating_sub(1));
        let mut out = format!(
            "Line chart, loss gap on a logarithmic axis against the step, 0 to {}. {} of {} runs computed; {} drawn faintly.",
            self.setup.scenario.steps,
            self.ens().runs_done(),
            self.ens().runs(),
            self.shown
        );
        if let (Some(a), Some(b)) = (mean.first(), mean.get(t)) {
            out += &format!(" The mean gap falls from {a:.3e} at step 0 to {b:.3e} at step {t}.");
        }
        if let (Some(b), Some(bt)) = (&self.theory.bound, self.bound_at(t as u64)) {
            out += &format!(
                " The bound is {bt:.3e} at step {t} and levels off at {:.3e}.",
                b.floor
            );
        }
        out
    }

    fn csv(&self) -> String {
        self.track.csv()
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
        let len = self.ens().complete_len();
        let upto = ((self.t as usize) + 1).min(len);
        let mean = self.ens().gap_stats().mean(len);
        let kept = self.ens().kept();
        let (lo, hi) = self.track.band(0, upto);
        let band_label = format!("10–90 % of the first {} runs", kept.len());
        let mut series: Vec<Series> = kept[..self.shown.min(kept.len())]
            .iter()
            .map(|tr| {
                Series::new(
                    "one run",
                    &tr.gap[..upto.min(tr.gap.len())],
                    LineStyle::Faint,
                    palette::SKY_BLUE,
                )
            })
            .collect();
        let mean_label = format!("mean over {} runs", self.ens().runs_done());
        series.push(Series::new(
            &mean_label,
            &mean[..upto],
            LineStyle::Bold,
            palette::BLUE,
        ));
        let bound = self.theory.bound.as_ref();
        if let Some(b) = bound {
            series.push(Series::new(
                "lecture's bound",
                &b.curve,
                LineStyle::Dashed,
                palette::VERMILLION,
            ));
        }
        let bands = [Band {
            label: &band_label,
            x: None,
            lo: &lo,
            hi: &hi,
            color: palette::SKY_BLUE,
        }];
        let gap0 = mean.first().copied().unwrap_or(1.0).max(1e-12);
        let floor = bound.map(|b| b.floor).unwrap_or(f64::INFINITY);
        let low = mean
            .iter()
            .copied()
            .filter(|v| *v > 0.0)
            .fold(floor, f64::min);
        // Room above the start when a step too large makes the mean climb before it stops.
        let high = mean
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .fold(gap0 * 5.0, f64::max);
        let y_range = Some(((low / 30.0).max(gap0 * 1e-12), high * 2.0));
        line::draw(
            area,
            &LineChart {
                title: "Loss gap L(w_t) − L*",
                x_label: "step t",
                y_label: "L(w_t) − L*",
                y_scale: AxisScale::Log,
                series: &series,
                bands: &bands,
                x_range: Some((0.0, self.setup.scenario.steps as f64)),
                y_range,
                cursor: Some(self.t as f64),
                legend: LegendPos::UpperRight,
                text_px,
                x_scale: AxisScale::Linear,
            },
        )
    }
}
