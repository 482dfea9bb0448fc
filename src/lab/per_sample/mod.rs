//! `per-sample` (lecture 11:49, "SGD for least squares regression"): 1-D least squares
//! seen sample by sample. Every sample has its own parabola ½ (x_i w − y_i)² and its own
//! minimiser w*_i = y_i/x_i; the average L(w) has the minimiser w* that GD finds. The
//! w*_i fill the *zone of confusion* [min w*_i, max w*_i]: outside it every sample pulls
//! the iterate the same way, inside they disagree, so SGD at a constant step keeps
//! bouncing there while GD (same data, same step, same start) slides to w*.
//!
//! Charts: `parabolas` (every sample's parabola, the average, the zone, the SGD iterate
//! with the parabola it just used and a short fading trail, the GD iterate; a click sets
//! the start point w0), `data` (the samples (x_i, y_i), the lines y = w x of SGD now and
//! of w*, the zone as the wedge of slopes [min w*_i, max w*_i]; a click adds a sample, a
//! drag moves one) and `gap` (L(w_t) − L* of SGD and GD on a log axis, with the largest
//! gap inside the zone and SGD's exact long-run mean gap dashed).
//!
//! ## The data set in the URL
//! `dataset` is `lecture` (the 8 samples of the `per-sample` preset), `random`
//! (generated: `n` samples, `spread` of the w*_i, `data_seed`; the problem is then a
//! `random_least_squares` with d = 1) or `custom` (explicit points). Custom points travel
//! in the `points` knob as `x:y,x:y,…` with every number in its shortest form that reads
//! back to the same f64, so a link reproduces the data exactly; `points` is empty for
//! the other two data sets. A click or a drag on the data chart makes the data custom
//! (random data are first written out, rounded to 4 decimals). The lab draws at most
//! [`MAX_N`] = 50 samples, so clicks stop adding at 50 and larger problems are refused.
//!
//! Knobs (URL keys): `lr` (0.001 – 3, past 2/L_s so GD can be seen to diverge), `dataset`, `points`, `n` (1 – 50), `spread`
//! (0 – 5), `data_seed`, `w0`, `seed`, `steps` (10 – 20 000). `n`, `spread` and
//! `data_seed` describe random data; setting one of them to a value other than what the
//! current data show switches to random data.
//!
//! ## Numbers
//! With η ≤ 1/max x_i², one step w ← w − η x_i (x_i w − y_i) = (1 − η x_i²) w + η x_i² w*_i
//! moves w part of the way towards w*_i and never past it, so once inside the zone SGD
//! stays inside. For 1/max x_i² < η < 2/max x_i² a step can overshoot w*_i by the factor
//! c = max η x_i² − 1 < 1, and the interval [a − m, b + m], m = c (b − a)/(1 − c), is
//! never left once entered ([`PerSample::margin`]). The stationary mean of SGD's gap is
//! exact for this problem: with e = w − w*, r_i = x_i w* − y_i and A = mean x_i²,
//! E e² → η σ0 / (2A − η mean x_i⁴), σ0 = mean x_i² r_i², so E[L − L*] → ½ A E e²
//! (drawn dashed on the gap chart).
//!
//! The CSV is the SGD run's [`trajectory_csv`] over all `steps`, simulated afresh: the
//! same numbers as `sgd-lab run` on the exported scenario (whatever the animation shows).
//!
//! Recorded history is capped ([`History`]): at most 4096 points per run, the newest
//! 1024 at full resolution and older ones thinned, so a long play does not grow memory.

// Comparisons are written so that NaN fails them (`!(a <= b)` is true for NaN), here and
// in the submodules.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

mod draw;
mod edit;
mod knobs;
pub(in crate::lab) mod points;
mod text;

pub use knobs::knobs;
pub use points::{format_points, parse_points};

use super::engine::track::Track;
use super::{Caption, ChartInfo, LabSim, Status};
use crate::chart::per_sample::{self as ps_chart, PerSampleChart};
use crate::chart::ChartFrame;
use crate::error::SpecError;
use crate::method::MethodKind;
use crate::report::trajectory_csv;
use crate::run::simulate;
use crate::scenario::{Scenario, Setup};
use crate::theory::{theory, Theory};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

/// Most samples the lab draws (each as its own parabola and dot).
pub const MAX_N: usize = 50;
/// Iterates before w_t kept as a fading trail (the zoom draws all, the full view the
/// newest [`SHORT_TRAIL`]).
pub const TRAIL: usize = 24;
const SHORT_TRAIL: usize = 8;
/// The default animation speed, steps per second: at the default η = 0.3 GD takes
/// about 15 steps (3 s) to reach w*, and each SGD step is seen on its own.
pub const SLOW_MOTION: f64 = 5.0;
/// Bins of the histogram of SGD's iterates across the zoom's w range.
pub const BINS: usize = 48;

const CHARTS: &[ChartInfo] = &[
    ChartInfo {
        id: "parabolas",
        title: "Every sample's loss, their average L, and the zone of confusion",
        heatmap: false,
        click: "Click to start SGD and GD at that w.",
    },
    ChartInfo {
        id: "zone",
        title: "Zoom on the zone of confusion: where SGD has been",
        heatmap: false,
        click: "",
    },
    ChartInfo {
        id: "data",
        title: "The data (x_i, y_i) and the lines y = w x",
        heatmap: false,
        click: "Click on an empty spot to add a sample there (up to 50); drag a dot to move that sample.",
    },
    ChartInfo {
        id: "gap",
        title: "Loss gap of SGD and GD",
        heatmap: false,
        click: "",
    },
];

// The lab.

pub struct PerSample {
    setup: Setup,
    theory: Box<Theory>,
    xs: Vec<f64>,
    ys: Vec<f64>,
    zone: (f64, f64),
    w_star: f64,
    /// L_s = mean x_i² and max x_i².
    smooth: f64,
    max_x2: f64,
    gd_setup: Box<Setup>,
    // Boxed: keeps the `Lab` enum small.
    sgd: Box<Track>,
    gd: Box<Track>,
    trail: [f64; TRAIL],
    trail_len: usize,
    used: Vec<usize>,
    /// Fixed picture ranges (computed once, so the animation does not jump).
    w_range: (f64, f64),
    loss_range: (f64, f64),
    data_box: ((f64, f64), (f64, f64)),
    gap_range: (f64, f64),
    /// The zoom on the zone: w and loss ranges.
    zoom_w: (f64, f64),
    zoom_loss: (f64, f64),
    /// How many of SGD's iterates w_0 … w_t fell in each of [`BINS`] equal bins of
    /// `zoom_w`, and how many left and right of it.
    bins: Vec<u64>,
    outside: (u64, u64),
    /// The largest gap inside the zone, max(L(a), L(b)) − L*.
    zone_gap: f64,
    /// SGD's stationary mean gap (None when η is too large for it to exist).
    stationary_gap: Option<f64>,
}

/// Nice bounds: the range padded by 8 % and rounded outwards to a step of a tenth of
/// a power of ten near the span, so that small changes of the data keep the axes.
fn nice_range(lo: f64, hi: f64) -> (f64, f64) {
    let span = (hi - lo).max(1e-9);
    let step = libm::pow(10.0, libm::log10(span).floor()) / 2.0;
    let lo = ((lo - 0.08 * span) / step).floor() * step;
    let hi = ((hi + 0.08 * span) / step).ceil() * step;
    (lo, hi)
}

impl PerSample {
    pub fn new(setup: &Setup) -> Result<PerSample, SpecError> {
        let s = &setup.scenario;
        let p = &*setup.problem;
        let (xs, ys) = ps_chart::samples_of(p).ok_or_else(|| {
            SpecError::new(
                "problem",
                format!(
                    "must be 1-D least squares (or a 1-D quadratic) in the per-sample lab, got {} with d = {}",
                    p.kind(),
                    p.d()
                ),
            )
        })?;
        if xs.len() > MAX_N {
            return Err(SpecError::new(
                "problem",
                format!(
                    "must have at most {MAX_N} samples in the per-sample lab (each is drawn as its own parabola), got {}",
                    xs.len()
                ),
            ));
        }
        if s.method.kind != MethodKind::Sgd {
            return Err(SpecError::new(
                "method.kind",
                format!(
                    "must be sgd in the per-sample lab (it draws GD beside it), got {}",
                    serde_json::to_string(&s.method.kind)
                        .unwrap_or_default()
                        .trim_matches('"')
                ),
            ));
        }
        let th = theory(setup);
        let zone = th
            .zone_of_confusion
            .map(|z| (z[0], z[1]))
            .or_else(|| ps_chart::zone(&xs, &ys))
            .ok_or_else(|| SpecError::new("problem.x", "needs at least one sample with x ≠ 0"))?;
        let w_star = th.optimum.w[0];
        let n = xs.len() as f64;
        let smooth = xs.iter().map(|x| x * x).sum::<f64>() / n;
        let max_x2 = xs.iter().map(|x| x * x).fold(0.0, f64::max);
        let x4 = xs.iter().map(|x| x.powi(4)).sum::<f64>() / n;
        let eta = s.method.lr;
        let b = s.method.batch.max(1) as f64;
        // E e² → η σ0/b / (2A − η (mean x⁴ + (b − 1) A²)/b) for b samples drawn with
        // replacement (b = 1: η σ0/(2A − η mean x⁴)).
        let denom = 2.0 * smooth - eta * (x4 + (b - 1.0) * smooth * smooth) / b;
        let stationary_gap = (s.method.sampling == crate::sampler::Sampling::WithReplacement
            && s.method.momentum == 0.0
            && s.schedule.is_constant()
            && denom > 0.0)
            .then(|| 0.5 * smooth * eta * th.sigma0 / b / denom)
            .filter(|g| g.is_finite());

        // The GD twin: the same scenario with the method's kind replaced.
        let gd_method = crate::method::MethodSpec {
            kind: MethodKind::Gd,
            ..s.method.clone()
        };
        let gd_setup = super::engine::variant_setups(
            setup,
            vec![super::engine::method_variant("GD", gd_method)],
        )
        .remove(0)
        .setup;

        let w0 = setup.w0[0];
        let probe = PerSampleChart {
            xs: &xs,
            ys: &ys,
            sgd: Some(w0),
            gd: Some(w0),
            ..Default::default()
        };
        let (w_range, (lo, auto_top)) = ps_chart::auto_range(&probe);
        // Up to a little above L at the zone's edges and at w0 (the chart's own choice
        // also fits every parabola at the zone's edges, which squashes a wide zone).
        let l_at = |w: f64| p.loss(&[w]);
        let top = 1.3 * l_at(zone.0).max(l_at(zone.1)).max(l_at(w0));
        let loss_range = (
            lo,
            if top > lo && top.is_finite() {
                auto_top.min(top)
            } else {
                auto_top
            },
        );

        let (x_lo, x_hi) = xs
            .iter()
            .fold((0.0f64, 0.0f64), |(a, b), &x| (a.min(x), b.max(x)));
        let (y_lo, y_hi) = ys
            .iter()
            .fold((0.0f64, 0.0f64), |(a, b), &y| (a.min(y), b.max(y)));
        let data_box = (nice_range(x_lo, x_hi), nice_range(y_lo, y_hi));

        let gap_at = |w: f64| p.gap(&[w]);
        let zone_gap = gap_at(zone.0).max(gap_at(zone.1));
        let gap0 = p.gap(&setup.w0);
        let top = gap0.max(zone_gap).max(1e-300);
        let floor = stationary_gap.unwrap_or(zone_gap).min(zone_gap);
        let bottom = if floor > 0.0 {
            (floor * 1e-3).max(top * 1e-14)
        } else {
            top * 1e-12
        };
        // Headroom above the start for the legend.
        let gap_range = (bottom, top * 30.0);
        // The zoom: the zone and w* with a margin of a sixth of the zone's width each
        // side (a zone that is a point gets a tenth of the full view), from the
        // parabolas' bottoms (0) to a little above L at the zoom's edges.
        let half = if zone.1 > zone.0 {
            (zone.1 - zone.0) / 6.0
        } else {
            0.05 * (w_range.1 - w_range.0)
        };
        let zoom_w = (zone.0.min(w_star) - half, zone.1.max(w_star) + half);
        let zoom_top = 1.25 * l_at(zoom_w.0).max(l_at(zoom_w.1));
        let zoom_loss = (
            0.0,
            if zoom_top > 0.0 && zoom_top.is_finite() {
                zoom_top
            } else {
                1.0
            },
        );

        let mut lab = PerSample {
            sgd: Box::new(Track::new(setup, 0)),
            gd: Box::new(Track::new(&gd_setup, 0)),
            trail: [0.0; TRAIL],
            trail_len: 0,
            used: Vec::with_capacity(s.method.batch as usize),
            setup: setup.clone(),
            theory: Box::new(th),
            xs,
            ys,
            zone,
            w_star,
            smooth,
            max_x2,
            gd_setup: Box::new(gd_setup),
            w_range,
            loss_range,
            data_box,
            gap_range,
            zone_gap,
            stationary_gap,
            zoom_w,
            zoom_loss,
            bins: vec![0; BINS],
            outside: (0, 0),
        };
        lab.reset();
        Ok(lab)
    }

    /// The theory numbers of the scenario (what `sgd-lab theory` prints).
    pub fn theory(&self) -> &Theory {
        &self.theory
    }

    /// The zone of confusion [min w*_i, max w*_i] the lab shows.
    pub fn zone(&self) -> (f64, f64) {
        self.zone
    }

    /// w*, the minimiser of L.
    pub fn w_star(&self) -> f64 {
        self.w_star
    }

    /// The current SGD and GD iterates.
    pub fn sgd_w(&self) -> f64 {
        self.sgd.run.w()[0]
    }

    pub fn gd_w(&self) -> f64 {
        self.gd.run.w()[0]
    }

    /// How far SGD at this step can go outside the zone once it has entered it (0 when
    /// η ≤ 1/max x_i²; infinite when η ≥ 2/max x_i²): m = c (b − a)/(1 − c),
    /// c = max(0, η max x_i² − 1). A batch step moves towards the batch's own minimiser
    /// Σ x_i y_i / Σ x_i² (also in the zone) by η mean x_i² ≤ η max x_i², so the same
    /// margin holds for any batch.
    pub fn margin(&self) -> f64 {
        let c = (self.setup.scenario.method.lr * self.max_x2 - 1.0).max(0.0);
        if c >= 1.0 {
            f64::INFINITY
        } else {
            c * (self.zone.1 - self.zone.0) / (1.0 - c)
        }
    }

    /// SGD's iterates as recorded (capped history): steps and w.
    pub fn sgd_history(&self) -> (&[f64], &[f64]) {
        (&self.sgd.hist.t, &self.sgd.hist.w)
    }

    /// The GD iterates as recorded: steps and w.
    pub fn gd_history(&self) -> (&[f64], &[f64]) {
        (&self.gd.hist.t, &self.gd.hist.w)
    }

    /// The last iterates before w_t, oldest first (at most [`TRAIL`]): w_{t−k} … w_{t−1}.
    pub fn trail(&self) -> &[f64] {
        &self.trail[..self.trail_len]
    }

    /// The zoom's w range and loss range.
    pub fn zoom(&self) -> ((f64, f64), (f64, f64)) {
        (self.zoom_w, self.zoom_loss)
    }

    /// The histogram of SGD's iterates w_0 … w_t: counts per bin of the zoom's w range,
    /// and the counts left and right of it.
    pub fn histogram(&self) -> (&[u64], (u64, u64)) {
        (&self.bins, self.outside)
    }

    /// The bin of w in the zoom's w range: `Err(false)` left of it, `Err(true)` right
    /// (NaN counts as right).
    pub fn bin_of(zoom_w: (f64, f64), w: f64) -> Result<usize, bool> {
        let (lo, hi) = zoom_w;
        if w < lo {
            return Err(false);
        }
        if !(w <= hi) {
            return Err(true);
        }
        let k = ((w - lo) / (hi - lo) * BINS as f64).floor() as usize;
        Ok(k.min(BINS - 1))
    }

    fn count(&mut self, w: f64) {
        match Self::bin_of(self.zoom_w, w) {
            Ok(k) => self.bins[k] += 1,
            Err(false) => self.outside.0 += 1,
            Err(true) => self.outside.1 += 1,
        }
    }

    fn t(&self) -> u64 {
        self.sgd.run.t().max(self.gd.run.t())
    }
}

// The words are in `text.rs`, the charts in `draw.rs`, clicks and drags in `edit.rs`.
impl LabSim for PerSample {
    fn scenario(&self) -> &Scenario {
        &self.setup.scenario
    }

    fn charts(&self) -> &'static [ChartInfo] {
        CHARTS
    }

    fn advance(&mut self, steps: u32) -> u32 {
        let mut taken = 0;
        for _ in 0..steps {
            let before = self.sgd.run.w()[0];
            // No early stop: a run stops where the stand-alone run diverges.
            let a = self.sgd.step(f64::INFINITY);
            if a {
                if self.trail_len == TRAIL {
                    self.trail.copy_within(1.., 0);
                    self.trail_len -= 1;
                }
                self.trail[self.trail_len] = before;
                self.trail_len += 1;
                self.used.clear();
                self.used
                    .extend(self.sgd.run.last_batch().iter().map(|&i| i as usize));
                let w = self.sgd.run.w()[0];
                self.count(w);
            }
            let b = self.gd.step(f64::INFINITY);
            if !(a || b) {
                break;
            }
            taken += 1;
        }
        taken
    }

    fn reset(&mut self) {
        *self.sgd = Track::new(&self.setup, 0);
        *self.gd = Track::new(&self.gd_setup, 0);
        self.trail_len = 0;
        self.used.clear();
        self.bins.iter_mut().for_each(|c| *c = 0);
        self.outside = (0, 0);
        let w0 = self.sgd.run.w()[0];
        self.count(w0);
    }

    fn verdict(&self, q: usize) -> Option<crate::lab::quiz::Verdict> {
        // "Over the run's last steps, where are SGD's iterates?": the last TRAIL + 1
        // iterates (the trail the chart draws, and w_t) all within 10⁻³ of w*'s size
        // of w*: settled; at least 90 % of them inside the zone: bouncing in it; else
        // outside.
        if q != 0 || !self.sgd.done() || self.sgd.stop.is_some() {
            return None;
        }
        let mut last: Vec<f64> = self.trail().to_vec();
        last.push(self.sgd_w());
        let (ws, (a, b)) = (self.w_star, self.zone);
        let far = last.iter().map(|w| (w - ws).abs()).fold(0.0, f64::max);
        let inside = last
            .iter()
            .filter(|&&w| a - 1e-12 <= w && w <= b + 1e-12)
            .count();
        let answer = if far <= 1e-3 * ws.abs().max(1.0) {
            0
        } else if inside * 10 >= last.len() * 9 {
            1
        } else {
            2
        };
        let (lo, hi) = last
            .iter()
            .fold((f64::MAX, f64::MIN), |(l, h), &w| (l.min(w), h.max(w)));
        let num = crate::lab::numbers::num;
        let t = self.t();
        Some(crate::lab::quiz::Verdict {
            answer,
            why: format!(
                "Over steps {}–{t} SGD's iterates ranged over [{}, {}], {} of {} inside the zone of confusion [{}, {}] (bouncing inside: at least 90 %), the farthest {} from w* = {} (settled: within 10⁻³).",
                t + 1 - last.len() as u64,
                num(lo),
                num(hi),
                inside,
                last.len(),
                num(a),
                num(b),
                num(far),
                num(ws)
            ),
        })
    }

    fn status(&self) -> Status {
        let mut msgs = Vec::new();
        if let Some(at) = self.sgd.stop {
            msgs.push(format!("SGD diverged at step {}: {}.", at, self.why(false)));
        }
        if let Some(at) = self.gd.stop {
            msgs.push(format!("GD diverged at step {}: {}.", at, self.why(true)));
        }
        let s = &self.setup.scenario;
        Status {
            clock: None,
            t: self.t(),
            steps: s.steps,
            done: self.sgd.done() && self.gd.done(),
            progress: 1.0,
            diverged: (!msgs.is_empty()).then(|| msgs.join(" ")),
        }
    }

    /// Slow motion: GD slides to w* over a few seconds and every SGD bounce is seen.
    fn steps_per_second(&self) -> Option<f64> {
        Some(SLOW_MOTION)
    }

    fn caption(&self) -> Caption {
        self.caption_text()
    }

    fn describe(&self) -> String {
        self.description()
    }

    /// The SGD run over all steps, as `sgd-lab run` computes it for the exported scenario.
    fn csv(&self) -> String {
        trajectory_csv(&simulate(&self.setup, 0))
    }

    fn draw<DB: DrawingBackend>(
        &self,
        chart: &str,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        match chart {
            "parabolas" => self.draw_parabolas(area, text_px),
            "zone" => self.draw_zone(area, text_px),
            "data" => self.draw_data(area, text_px),
            "gap" => self.draw_gap(area, text_px),
            other => Err(format!("per-sample has no chart \"{other}\"")),
        }
    }

    fn click(&self, chart: &str, x: f64, y: f64) -> Option<Scenario> {
        self.click_at(chart, x, y)
    }

    fn drag(&self, chart: &str, from: (f64, f64), to: (f64, f64)) -> Option<Scenario> {
        self.drag_sample(chart, from, to)
    }
}
