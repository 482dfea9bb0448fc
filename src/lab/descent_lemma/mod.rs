//! `descent-lemma` (lecture 42:56): on 1-D least squares, at the current w, what one
//! SGD step does to the full loss for every sample it could draw:
//! Δ_i = L(w − η∇l_i(w)) − L(w), one bar per sample; their mean, the expected change
//! of one step; the lemma's bound −η(1 − L_s η M_G/2)‖∇L(w)‖² + L_s η² M/2 with the
//! valid pair (M, M_G) of the theory module; the fraction of samples that raise the
//! loss. Far from w* almost every sample helps; near w* many hurt and the mean is
//! positive: SGD's loss is not monotone, and the bound's constant term is why.
//!
//! The current w is dragged on the loss chart (it becomes the start) and moves with
//! SGD when played: w_t of one run. A third chart draws the mean change and the bound
//! against w over the zone of confusion, where the mean turns positive.

mod draw;
mod text;

use super::engine::track::Track;
use super::knob::{fmt_number, Knob, KnobKind};
use super::numbers::start_at;
use super::{common, Caption, ChartInfo, LabSim, Status};
use crate::chart::per_sample::samples_of;
use crate::chart::ChartFrame;
use crate::error::SpecError;
use crate::problem::Problem;
use crate::scenario::{Scenario, Setup};
use crate::theory::{theory, Theory};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

const CHARTS: &[ChartInfo] = &[
    ChartInfo {
        id: "changes",
        title: "The change of the loss after one step, for every sample the step could draw",
        heatmap: false,
        click: "",
    },
    ChartInfo {
        id: "loss",
        title: "The loss L(w) − L*, the current w and the zone of confusion",
        heatmap: false,
        click: "Click or drag to put w there (the run starts again from it).",
    },
    ChartInfo {
        id: "expected",
        title: "The expected change and the lemma's bound against w",
        heatmap: false,
        click: "",
    },
];

/// Most samples (one bar each).
pub const MAX_N: u64 = 60;

/// Δ_i = L(w − η∇l_i(w)) − L(w) for every sample i, from the loss gaps (½ (w − w*)ᵀ
/// H (w − w*) for quadratics: no difference of two large losses).
pub fn changes(p: &Problem, w: &[f64], eta: f64) -> Vec<f64> {
    let d = p.d();
    let here = p.gap(w);
    let mut g = vec![0.0; d];
    let mut next = vec![0.0; d];
    (0..p.n())
        .map(|i| {
            g.iter_mut().for_each(|v| *v = 0.0);
            p.add_grad_i(w, i, 1.0, &mut g);
            for k in 0..d {
                next[k] = w[k] - eta * g[k];
            }
            p.gap(&next) - here
        })
        .collect()
}

/// ‖∇L(w)‖².
pub fn grad_norm2(p: &Problem, w: &[f64]) -> f64 {
    let mut g = vec![0.0; p.d()];
    p.grad(w, &mut g);
    g.iter().map(|v| v * v).sum()
}

/// The lemma's bound on the expected change, −η(1 − L_s η M_G/2)‖∇L(w)‖² + L_s η² M/2,
/// and its constant term L_s η² M/2, with the theory's valid pair; `None` without one.
pub fn bound(th: &Theory, g2: f64, eta: f64) -> Option<(f64, f64)> {
    let pair = th.sigma.as_ref()?;
    let l = th.smoothness;
    let constant = l * eta * eta * pair.m / 2.0;
    Some((
        -eta * (1.0 - l * eta * pair.m_g / 2.0) * g2 + constant,
        constant,
    ))
}

pub fn knobs() -> Vec<Knob> {
    vec![
        Knob {
            key: "lr",
            label: "Step size η",
            help: "The step every change is computed for, and SGD's step when played.",
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
        Knob {
            help: "Where w starts (and SGD from it when played); click or drag on the loss chart to move it.",
            label: "Start w₀",
            ..common::w0("a number, e.g. 3.5")
        },
        common::samples(2, MAX_N as i64, "How many samples, one bar each."),
        common::spread(
            "Spread of the w*_i",
            "How far the samples' own minimisers scatter (the noise of the targets): 0, every sample agrees and none hurts at w*.",
        ),
        common::data_seed(),
        common::steps(2000),
        common::seed(),
    ]
}

pub struct DescentLemma {
    setup: Setup,
    theory: Box<Theory>,
    xs: Vec<f64>,
    ys: Vec<f64>,
    /// The run that moves w when played, and w_0 … w_t so far.
    run: Box<Track>,
    ws: Vec<f64>,
    /// Fixed picture ranges: w on the loss chart, w and change on the expected chart.
    w_range: (f64, f64),
    gap_max: f64,
    zone: (f64, f64),
    near_range: (f64, f64),
    expected_range: (f64, f64),
}

impl DescentLemma {
    pub fn new(setup: &Setup) -> Result<DescentLemma, SpecError> {
        let p = &*setup.problem;
        let data = samples_of(p).filter(|_| p.d() == 1);
        common::require_problem(
            p,
            data.is_some(),
            "descent-lemma",
            "1-D least squares",
            MAX_N,
            "one bar each",
        )?;
        let (xs, ys) = data.unwrap_or_default();
        let th = theory(setup);
        if th.sigma.is_none() {
            return Err(SpecError::new(
                "problem",
                "must have a valid pair (M, M_G) for the lemma's bound (least squares with samples that span the line)",
            ));
        }
        let w_star = th.optimum.w[0];
        let zone = th
            .zone_of_confusion
            .map_or((w_star - 1.0, w_star + 1.0), |z| (z[0], z[1]));
        let w0 = setup.w0[0];
        let lo = zone.0.min(w0).min(w_star);
        let hi = zone.1.max(w0).max(w_star);
        let span = (hi - lo).max(1e-3);
        let w_range = (lo - 0.15 * span, hi + 0.15 * span);
        let gap_max = p.gap(&[w_range.0]).max(p.gap(&[w_range.1])).max(1e-12);
        // The expected chart: the zone (widened a little), where the mean turns positive.
        let zspan = (zone.1 - zone.0).max(1e-3);
        let near_range = (zone.0 - 0.1 * zspan, zone.1 + 0.1 * zspan);
        let eta = setup.scenario.method.lr;
        let mut lo_y = 0.0f64;
        let mut hi_y = 0.0f64;
        for k in 0..=200 {
            let w = near_range.0 + (near_range.1 - near_range.0) * k as f64 / 200.0;
            let c = changes(p, &[w], eta);
            let mean = c.iter().sum::<f64>() / c.len() as f64;
            let b = bound(&th, grad_norm2(p, &[w]), eta).map_or(mean, |b| b.0);
            lo_y = lo_y.min(mean).min(b);
            hi_y = hi_y.max(mean).max(b);
        }
        let pad = 0.1 * (hi_y - lo_y).max(1e-12);
        let run = Box::new(Track::new(setup, 0));
        Ok(DescentLemma {
            ws: vec![run.run.w()[0]],
            run,
            xs,
            ys,
            theory: Box::new(th),
            setup: setup.clone(),
            w_range,
            gap_max,
            zone,
            near_range,
            expected_range: (lo_y - pad, hi_y + pad),
        })
    }

    /// The current step and w.
    pub fn t(&self) -> u64 {
        self.ws.len() as u64 - 1
    }

    pub fn w(&self) -> f64 {
        *self.ws.last().unwrap_or(&0.0)
    }

    fn eta(&self) -> f64 {
        self.setup.scenario.method.lr
    }

    /// Δ_i at the current w.
    pub fn current_changes(&self) -> Vec<f64> {
        changes(&self.setup.problem, &[self.w()], self.eta())
    }

    /// The mean change and the bound (with its constant term) at `w`.
    pub fn mean_and_bound(&self, w: f64) -> (f64, Option<(f64, f64)>) {
        let c = changes(&self.setup.problem, &[w], self.eta());
        let mean = c.iter().sum::<f64>() / c.len().max(1) as f64;
        let g2 = grad_norm2(&self.setup.problem, &[w]);
        (mean, bound(&self.theory, g2, self.eta()))
    }

    pub fn theory(&self) -> &Theory {
        &self.theory
    }
}

impl LabSim for DescentLemma {
    fn scenario(&self) -> &Scenario {
        &self.setup.scenario
    }

    fn verdict(&self, q: usize) -> Option<crate::lab::quiz::Verdict> {
        // "When the run ends, how many samples' steps would raise L?": Δ_i > 0 at the
        // final w — none, fewer than half, or half or more.
        if q != 0 || !self.status().done {
            return None;
        }
        let c = self.current_changes();
        let up = c.iter().filter(|&&d| d > 0.0).count();
        let answer = if up == 0 {
            0
        } else if 2 * up < c.len() {
            1
        } else {
            2
        };
        let mean = c.iter().sum::<f64>() / c.len().max(1) as f64;
        let num = crate::lab::numbers::num;
        Some(crate::lab::quiz::Verdict {
            answer,
            why: format!(
                "At w = {} (step {}), {up} of the {} samples' steps raise L; the mean change is {}.",
                num(self.w()),
                self.t(),
                c.len(),
                num(mean)
            ),
        })
    }

    fn charts(&self) -> &'static [ChartInfo] {
        CHARTS
    }

    fn advance(&mut self, steps: u32) -> u32 {
        let mut taken = 0;
        for _ in 0..steps {
            if !self.run.step(f64::INFINITY) {
                break;
            }
            self.ws.push(self.run.run.w()[0]);
            taken += 1;
        }
        taken
    }

    fn reset(&mut self) {
        *self.run = Track::new(&self.setup, 0);
        self.ws = vec![self.run.run.w()[0]];
    }

    fn status(&self) -> Status {
        Status {
            clock: None,
            t: self.t(),
            steps: self.setup.scenario.steps,
            done: self.run.done(),
            progress: 1.0,
            diverged: self.run.stop.map(|at| {
                format!(
                    "SGD diverged at step {at}: η = {} is too large for these samples (a step on sample i is stable only below 2/x_i², here down to {}).",
                    fmt_number(self.eta()),
                    fmt_number(
                        2.0 / self.xs.iter().map(|x| x * x).fold(0.0, f64::max)
                    )
                )
            }),
        }
    }

    /// Slow motion: each step a new set of bars.
    fn steps_per_second(&self) -> Option<f64> {
        Some(4.0)
    }

    fn caption(&self) -> Caption {
        self.caption_text()
    }

    fn describe(&self) -> String {
        self.describe_text()
    }

    /// One row per sample at the current step: `step,w0,gap,sample,x,y,loss_change`.
    fn csv(&self) -> String {
        let t = self.t();
        let w = self.w();
        let gap = self.setup.problem.gap(&[w]);
        let mut out = String::from("step,w0,gap,sample,x,y,loss_change\n");
        for (i, c) in self.current_changes().iter().enumerate() {
            out += &format!("{t},{w},{gap},{i},{},{},{c}\n", self.xs[i], self.ys[i]);
        }
        out
    }

    fn draw<DB: DrawingBackend>(
        &self,
        chart: &str,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        match chart {
            "loss" => self.draw_loss(area, text_px),
            "changes" => self.draw_changes(area, text_px),
            "expected" => self.draw_expected(area, text_px),
            other => Err(format!("descent-lemma has no chart \"{other}\"")),
        }
    }

    /// A click (or the end of a drag) on the loss chart puts w there: the new start.
    fn click(&self, chart: &str, x: f64, _y: f64) -> Option<Scenario> {
        if chart != "loss" || !x.is_finite() {
            return None;
        }
        start_at(&self.setup.scenario, &[x], self.w_range.1 - self.w_range.0)
    }

    fn drag(&self, chart: &str, _from: (f64, f64), to: (f64, f64)) -> Option<Scenario> {
        self.click(chart, to.0, to.1)
    }
}
