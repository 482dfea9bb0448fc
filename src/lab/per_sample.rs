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
//! Knobs (URL keys): `lr` (0.001 – 2), `dataset`, `points`, `n` (1 – 50), `spread`
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

// Comparisons are written so that NaN fails them (`!(a <= b)` is true for NaN).
#![allow(clippy::neg_cmp_op_on_partial_ord)]

use super::common;
use super::knob::{fmt_number, parse_number, quote, Knob, KnobKind};
use super::{Caption, ChartInfo, Status};
use crate::chart::line::{self, Band, LineChart, LineStyle, Series};
use crate::chart::per_sample::{self as ps_chart, PerSampleChart};
use crate::chart::{auto_text_px, palette, AxisScale, ChartFrame, LegendPos, PixelRect};
use crate::error::SpecError;
use crate::method::MethodKind;
use crate::report::trajectory_csv;
use crate::run::{simulate, Outcome, Run};
use crate::scenario::{build_problem, ProblemSpec, Scenario, Setup};
use crate::theory::{theory, Theory};
use plotters::coord::Shift;
use plotters::prelude::{Circle, DrawingArea, DrawingBackend, RGBColor};
use plotters::style::Color;

/// Most samples the lab draws (each as its own parabola and dot).
pub const MAX_N: usize = 50;
/// Random data, when switched to from explicit data.
const DEFAULT_N: u64 = 20;
const DEFAULT_SPREAD: f64 = 1.0;
const DEFAULT_DATA_SEED: u64 = 1;
/// Iterates before w_t drawn as a fading trail.
const TRAIL: usize = 8;
/// A run whose gap exceeds this multiple of the picture's scale has left for good.
const BLOWUP: f64 = 1e12;

const CHARTS: &[ChartInfo] = &[
    ChartInfo {
        id: "parabolas",
        title: "Every sample's loss, their average L, and the zone of confusion",
        heatmap: false,
        click: "Click to start SGD and GD at that w.",
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

// ---------------------------------------------------------------------------------
// Recorded history with a memory cap (shared with `step_size`).

/// Points per run kept at most.
pub(super) const HISTORY_CAP: usize = 4096;
/// The newest points, always kept at full resolution.
pub(super) const HISTORY_RECENT: usize = 1024;

/// What a lab draws of one run: steps, iterates and gaps, at most [`HISTORY_CAP`]
/// points. When full, every second point of the older part (all but the newest
/// [`HISTORY_RECENT`]) is dropped, in place; the start point is always kept. Pushing
/// never allocates (the capacity is reserved up front).
#[derive(Clone, Debug)]
pub(super) struct History {
    pub d: usize,
    /// Step of each point, as f64 (the x of a line chart).
    pub t: Vec<f64>,
    /// Iterates, flattened (len × d).
    pub w: Vec<f64>,
    pub gap: Vec<f64>,
}

impl History {
    pub fn new(steps: u64, w0: &[f64], gap0: f64) -> History {
        let cap = (steps as usize).saturating_add(1).min(HISTORY_CAP);
        let d = w0.len();
        let mut h = History {
            d,
            t: Vec::with_capacity(cap),
            w: Vec::with_capacity(cap * d),
            gap: Vec::with_capacity(cap),
        };
        h.push(0, w0, gap0);
        h
    }

    pub fn len(&self) -> usize {
        self.t.len()
    }

    pub fn push(&mut self, t: u64, w: &[f64], gap: f64) {
        if self.t.len() >= HISTORY_CAP {
            self.compact();
        }
        self.t.push(t as f64);
        self.w.extend_from_slice(w);
        self.gap.push(gap);
    }

    fn compact(&mut self) {
        let len = self.t.len();
        let old = len.saturating_sub(HISTORY_RECENT);
        let d = self.d;
        let mut k = 0;
        for i in (0..old).step_by(2).chain(old..len) {
            self.t[k] = self.t[i];
            self.gap[k] = self.gap[i];
            self.w.copy_within(i * d..(i + 1) * d, k * d);
            k += 1;
        }
        self.t.truncate(k);
        self.gap.truncate(k);
        self.w.truncate(k * d);
    }

    pub fn point(&self, k: usize) -> &[f64] {
        &self.w[k * self.d..(k + 1) * self.d]
    }
}

/// A number for a caption: 4 significant digits, scientific when very large or small;
/// never "NaN".
pub(super) fn num(v: f64) -> String {
    if v.is_nan() {
        return "undefined".into();
    }
    if v.is_infinite() {
        return if v > 0.0 {
            "∞".into()
        } else {
            "−∞".into()
        };
    }
    let a = v.abs();
    if a == 0.0 {
        "0".into()
    } else if !(1e-3..1e5).contains(&a) {
        format!("{v:.3e}")
    } else {
        let digits = (3 - a.log10().floor() as i32).clamp(0, 6) as usize;
        let s = format!("{v:.digits$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    }
}

/// Rounds a clicked coordinate to a grid of 1/1000 of the axis span (a power of ten),
/// so that URLs stay short.
pub(super) fn round_to_span(v: f64, span: f64) -> f64 {
    if !(span > 0.0 && span.is_finite()) {
        return v;
    }
    let step = 10f64.powf((span.log10() - 3.0).floor());
    let r = (v / step).round() * step;
    // Clean the binary noise of the multiplication: parse the shortest decimal form.
    let decimals = (-step.log10().round()).max(0.0) as usize;
    format!("{r:.decimals$}").parse().unwrap_or(r)
}

// ---------------------------------------------------------------------------------
// Knobs.

fn lecture_problem() -> ProblemSpec {
    crate::presets::find("per-sample")
        .expect("the per-sample preset exists")
        .scenario()
        .problem
}

fn random_spec(n: u64, spread: f64, seed: u64) -> ProblemSpec {
    ProblemSpec::RandomLeastSquares {
        n,
        d: 1,
        noise: spread,
        kappa: 1.0,
        w_true: None,
        seed,
    }
}

/// (n, spread, data seed) of random data, or the defaults.
fn random_params(s: &Scenario) -> Option<(u64, f64, u64)> {
    match &s.problem {
        ProblemSpec::RandomLeastSquares {
            n, noise, seed, d, ..
        } if *d == 1 => Some((*n, *noise, *seed)),
        _ => None,
    }
}

/// The explicit points of a 1-D least-squares problem.
fn explicit_points(p: &ProblemSpec) -> Option<(Vec<f64>, Vec<f64>)> {
    match p {
        ProblemSpec::LeastSquares { x, y } if x.iter().all(|r| r.len() == 1) => {
            Some((x.iter().map(|r| r[0]).collect(), y.clone()))
        }
        _ => None,
    }
}

fn dataset_of(s: &Scenario) -> &'static str {
    if random_params(s).is_some() {
        "random"
    } else if s.problem == lecture_problem() {
        "lecture"
    } else {
        "custom"
    }
}

fn sample_count(s: &Scenario) -> u64 {
    match &s.problem {
        ProblemSpec::RandomLeastSquares { n, .. } => *n,
        ProblemSpec::LeastSquares { y, .. } => y.len() as u64,
        ProblemSpec::Quadratic { centers, .. } => centers.len() as u64,
        _ => 0,
    }
}

/// The data as explicit points (random data written out, rounded to 4 decimals).
fn materialize(s: &Scenario) -> Option<(Vec<f64>, Vec<f64>)> {
    if let Some(p) = explicit_points(&s.problem) {
        return Some(p);
    }
    let problem = build_problem(&s.problem).ok()?;
    let (xs, ys) = ps_chart::samples_of(&problem)?;
    let r = |v: f64| format!("{v:.4}").parse::<f64>().unwrap_or(v);
    Some((
        xs.into_iter().map(r).collect(),
        ys.into_iter().map(r).collect(),
    ))
}

fn set_points(s: &mut Scenario, xs: &[f64], ys: &[f64]) {
    s.problem = ProblemSpec::LeastSquares {
        x: xs.iter().map(|&x| vec![x]).collect(),
        y: ys.to_vec(),
    };
}

pub fn format_points(xs: &[f64], ys: &[f64]) -> String {
    xs.iter()
        .zip(ys)
        .map(|(x, y)| format!("{}:{}", fmt_number(*x), fmt_number(*y)))
        .collect::<Vec<_>>()
        .join(",")
}

pub fn parse_points(raw: &str) -> Result<(Vec<f64>, Vec<f64>), String> {
    let mut xs = Vec::new();
    let mut ys = Vec::new();
    for part in raw.split(',').map(str::trim) {
        let bad = || {
            format!(
                "must be points x:y separated by commas, e.g. 1:2,0.5:1.3, with |value| ≤ 1e6; {} is not one",
                quote(part)
            )
        };
        let (x, y) = part.split_once(':').ok_or_else(bad)?;
        let x = parse_number(x).filter(|v| v.abs() <= 1e6).ok_or_else(bad)?;
        let y = parse_number(y).filter(|v| v.abs() <= 1e6).ok_or_else(bad)?;
        xs.push(x);
        ys.push(y);
    }
    if xs.len() > MAX_N {
        return Err(format!(
            "must have at most {MAX_N} points (the lab draws every sample), got {}",
            xs.len()
        ));
    }
    if xs.iter().all(|x| *x == 0.0) {
        return Err("needs at least one point with x ≠ 0 (otherwise w does not matter)".into());
    }
    Ok((xs, ys))
}

pub fn knobs() -> Vec<Knob> {
    vec![
        common::lr(0.001, 2.0),
        Knob {
            key: "dataset",
            label: "Data set",
            help: "The lecture's 8 samples, random samples (n, spread, data seed), or your own points (click on the data chart).",
            kind: KnobKind::Choice {
                options: vec![
                    ("lecture", "the lecture's 8 samples"),
                    ("random", "random samples"),
                    ("custom", "your own points"),
                ],
            },
            get: |s| dataset_of(s).to_string(),
            set: |s, v| {
                match v {
                    "lecture" => s.problem = lecture_problem(),
                    "random" => {
                        if random_params(s).is_none() {
                            s.problem = random_spec(DEFAULT_N, DEFAULT_SPREAD, DEFAULT_DATA_SEED);
                        }
                    }
                    "custom" => {
                        // Keeps the current samples, as points that clicks and drags edit.
                        if let Some((xs, ys)) = materialize(s) {
                            set_points(s, &xs, &ys);
                        }
                    }
                    other => return Err(format!("is not a data set: {other}")),
                }
                Ok(())
            },
        },
        Knob {
            key: "points",
            label: "Points x:y",
            help: "Your own samples as x:y pairs separated by commas (at most 50); empty for the lecture's and random data.",
            kind: KnobKind::Text {
                hint: "x:y,x:y,… e.g. 1:1,0.8:1.6,1.2:3",
            },
            get: |s| {
                if dataset_of(s) == "custom" {
                    explicit_points(&s.problem)
                        .map(|(xs, ys)| format_points(&xs, &ys))
                        .unwrap_or_default()
                } else {
                    String::new()
                }
            },
            set: |s, v| {
                if v.trim().is_empty() {
                    return Ok(());
                }
                let (xs, ys) = parse_points(v)?;
                set_points(s, &xs, &ys);
                Ok(())
            },
        },
        Knob {
            key: "n",
            label: "Samples n",
            help: "How many random samples; changing it switches to random data.",
            kind: KnobKind::Integer {
                min: 1,
                max: MAX_N as i64,
            },
            get: |s| sample_count(s).to_string(),
            set: |s, v| {
                let n: u64 = v.parse().map_err(|_| "is not a whole number".to_string())?;
                let count = sample_count(s);
                match &mut s.problem {
                    ProblemSpec::RandomLeastSquares { n: m, .. } => *m = n,
                    _ if n == count => {}
                    _ => s.problem = random_spec(n, DEFAULT_SPREAD, DEFAULT_DATA_SEED),
                }
                Ok(())
            },
        },
        Knob {
            key: "spread",
            label: "Spread of the w*_i",
            help: "How far the samples' own minimisers scatter (the noise of the random targets); changing it switches to random data.",
            kind: KnobKind::Number {
                min: 0.0,
                max: 5.0,
                step: 0.05,
                log: false,
            },
            get: |s| fmt_number(random_params(s).map_or(DEFAULT_SPREAD, |p| p.1)),
            set: |s, v| {
                let spread: f64 = v.parse().map_err(|_| "is not a number".to_string())?;
                match &mut s.problem {
                    ProblemSpec::RandomLeastSquares { noise, .. } => *noise = spread,
                    _ if spread == DEFAULT_SPREAD => {}
                    _ => s.problem = random_spec(DEFAULT_N, spread, DEFAULT_DATA_SEED),
                }
                Ok(())
            },
        },
        Knob {
            key: "data_seed",
            label: "Data seed",
            help: "Which random samples are generated; changing it switches to random data.",
            kind: KnobKind::Integer {
                min: 0,
                max: 9_007_199_254_740_991,
            },
            get: |s| random_params(s).map_or(DEFAULT_DATA_SEED, |p| p.2).to_string(),
            set: |s, v| {
                let seed: u64 = v.parse().map_err(|_| "is not a whole number".to_string())?;
                match &mut s.problem {
                    ProblemSpec::RandomLeastSquares { seed: m, .. } => *m = seed,
                    _ if seed == DEFAULT_DATA_SEED => {}
                    _ => s.problem = random_spec(DEFAULT_N, DEFAULT_SPREAD, seed),
                }
                Ok(())
            },
        },
        Knob {
            help: "Where SGD and GD start; click on the parabolas to move it.",
            ..common::w0("a number, e.g. -0.5")
        },
        common::seed(),
        common::steps(20_000),
    ]
}

// ---------------------------------------------------------------------------------
// The lab.

/// Why a run stopped early.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Stop {
    at: u64,
}

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
    sgd: Box<Run>,
    gd: Box<Run>,
    sgd_h: History,
    gd_h: History,
    sgd_stop: Option<Stop>,
    gd_stop: Option<Stop>,
    trail: [f64; TRAIL],
    trail_len: usize,
    used: Vec<usize>,
    /// Fixed picture ranges (computed once, so the animation does not jump).
    w_range: (f64, f64),
    loss_range: (f64, f64),
    data_box: ((f64, f64), (f64, f64)),
    gap_range: (f64, f64),
    /// The largest gap inside the zone, max(L(a), L(b)) − L*.
    zone_gap: f64,
    /// SGD's stationary mean gap (None when η is too large for it to exist).
    stationary_gap: Option<f64>,
    /// Gap beyond which a run counts as diverged.
    blowup: f64,
}

/// Nice bounds: the range padded by 8 % and rounded outwards to a step of a tenth of
/// a power of ten near the span, so that small changes of the data keep the axes.
fn nice_range(lo: f64, hi: f64) -> (f64, f64) {
    let span = (hi - lo).max(1e-9);
    let step = 10f64.powf(span.log10().floor()) / 2.0;
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

        let mut gd_setup = setup.clone();
        gd_setup.scenario.method.kind = MethodKind::Gd;

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
        let scale = gap0.max(zone_gap).max(1e-12);

        let mut lab = PerSample {
            sgd: Box::new(Run::new(setup, 0)),
            gd: Box::new(Run::new(&gd_setup, 0)),
            sgd_h: History::new(s.steps, &setup.w0, gap0),
            gd_h: History::new(s.steps, &setup.w0, gap0),
            sgd_stop: None,
            gd_stop: None,
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
            blowup: scale * BLOWUP,
        };
        lab.reset();
        Ok(lab)
    }

    pub fn scenario(&self) -> &Scenario {
        &self.setup.scenario
    }
    pub fn charts(&self) -> &'static [ChartInfo] {
        CHARTS
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
        self.sgd.w()[0]
    }
    pub fn gd_w(&self) -> f64 {
        self.gd.w()[0]
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
        (&self.sgd_h.t, &self.sgd_h.w)
    }
    /// The GD iterates as recorded: steps and w.
    pub fn gd_history(&self) -> (&[f64], &[f64]) {
        (&self.gd_h.t, &self.gd_h.w)
    }

    pub fn reset(&mut self) {
        let s = &self.setup.scenario;
        *self.sgd = Run::new(&self.setup, 0);
        *self.gd = Run::new(&self.gd_setup, 0);
        let gap0 = self.sgd.gap();
        self.sgd_h = History::new(s.steps, &self.setup.w0, gap0);
        self.gd_h = History::new(s.steps, &self.setup.w0, gap0);
        self.sgd_stop = None;
        self.gd_stop = None;
        self.trail_len = 0;
        self.used.clear();
    }

    fn step_run(run: &mut Run, h: &mut History, stop: &mut Option<Stop>, blowup: f64) -> bool {
        if stop.is_some() {
            return false;
        }
        match run.step() {
            Outcome::Stepped => {
                if !(run.gap() <= blowup) {
                    *stop = Some(Stop { at: run.t() });
                }
                h.push(run.t(), run.w(), run.gap());
                true
            }
            Outcome::Diverged => {
                *stop = Some(Stop {
                    at: run.diverged_at().unwrap_or(run.t() + 1),
                });
                false
            }
            Outcome::Done => false,
        }
    }

    pub fn advance(&mut self, steps: u32) -> u32 {
        let mut taken = 0;
        for _ in 0..steps {
            let before = self.sgd.w()[0];
            let a = Self::step_run(
                &mut self.sgd,
                &mut self.sgd_h,
                &mut self.sgd_stop,
                self.blowup,
            );
            if a {
                if self.trail_len == TRAIL {
                    self.trail.copy_within(1.., 0);
                    self.trail_len -= 1;
                }
                self.trail[self.trail_len] = before;
                self.trail_len += 1;
                self.used.clear();
                self.used
                    .extend(self.sgd.last_batch().iter().map(|&i| i as usize));
            }
            let b = Self::step_run(&mut self.gd, &mut self.gd_h, &mut self.gd_stop, self.blowup);
            if !(a || b) {
                break;
            }
            taken += 1;
        }
        taken
    }

    pub fn work(&mut self, _budget: u32) -> f64 {
        1.0
    }

    fn t(&self) -> u64 {
        self.sgd.t().max(self.gd.t())
    }

    fn why(&self, gd: bool) -> String {
        let eta = self.setup.scenario.method.lr;
        let two_over_ls = 2.0 / self.smooth;
        if eta > two_over_ls {
            format!(
                "η = {} is above 2/L_s = {} (L_s = mean x_i² = {}), so every step overshoots w* by more than it corrects",
                fmt_number(eta),
                num(two_over_ls),
                num(self.smooth)
            )
        } else if !gd && eta * self.max_x2 > 2.0 {
            format!(
                "η = {} is above 2/max x_i² = {}, so a step on the steepest samples' parabolas overshoots their minimiser by more than it corrects",
                fmt_number(eta),
                num(2.0 / self.max_x2)
            )
        } else {
            format!("η = {} is too large for these data", fmt_number(eta))
        }
    }

    pub fn status(&self) -> Status {
        let mut msgs = Vec::new();
        if let Some(st) = self.sgd_stop {
            msgs.push(format!(
                "SGD diverged at step {}: {}.",
                st.at,
                self.why(false)
            ));
        }
        if let Some(st) = self.gd_stop {
            msgs.push(format!(
                "GD diverged at step {}: {}.",
                st.at,
                self.why(true)
            ));
        }
        let s = &self.setup.scenario;
        let done = |r: &Run, st: &Option<Stop>| st.is_some() || r.is_done();
        Status {
            t: self.t(),
            steps: s.steps,
            done: done(&self.sgd, &self.sgd_stop) && done(&self.gd, &self.gd_stop),
            progress: 1.0,
            diverged: (!msgs.is_empty()).then(|| msgs.join(" ")),
        }
    }

    /// Where the SGD iterate is, in words.
    fn where_sgd(&self) -> String {
        let w = self.sgd_w();
        let (a, b) = self.zone;
        if w < a {
            "left of the zone: every sample's parabola slopes down towards the zone here, so every sample pulls SGD to the right, towards the zone".into()
        } else if w > b {
            "right of the zone: every sample's parabola slopes down towards the zone here, so every sample pulls SGD to the left, towards the zone".into()
        } else {
            "inside the zone: the samples disagree (some pull left, some right), so SGD keeps bouncing".into()
        }
    }

    pub fn caption(&self) -> Caption {
        let s = &self.setup.scenario;
        let eta = s.method.lr;
        let (a, b) = self.zone;
        let t = self.sgd.t();
        let mut text = format!(
            "Each thin parabola is one sample's loss ½(x_i w − y_i)²; its own minimiser w*_i = y_i/x_i is a tick. \
             The samples disagree: their minimisers fill the zone of confusion [{}, {}] (shaded), which the data fix. \
             GD follows the average L (bold) and slides to w* = {}. SGD at the constant step η = {} follows one sample's parabola per step (highlighted). \
             {} SGD is at w = {}, {}.",
            num(a),
            num(b),
            num(self.w_star),
            fmt_number(eta),
            if t == 0 {
                "At the start".to_string()
            } else {
                format!("After {t} steps")
            },
            num(self.sgd_w()),
            self.where_sgd()
        );
        let inv = 1.0 / self.max_x2;
        if eta <= inv {
            text += &format!(
                " Since η ≤ 1/max x_i² = {}, no step goes past the minimiser of the sample it used, so once inside, SGD never leaves the zone — and never settles.",
                num(inv)
            );
        } else if eta * self.max_x2 < 2.0 {
            text += &format!(
                " With η above 1/max x_i² = {} a step can go past its sample's minimiser, so SGD may leave the zone, by at most {} on either side.",
                num(inv),
                num(self.margin())
            );
        } else {
            text += &format!(
                " With η above 2/max x_i² = {} a step on the steepest samples lands farther from their minimiser than it started: SGD is thrown out of the zone again and again{}.",
                num(2.0 / self.max_x2),
                if eta * self.smooth < 2.0 { ", although GD still converges" } else { "" }
            );
        }
        if let Some(d) = self.status().diverged {
            text += " ";
            text += &d;
        }
        let mut facts = vec![
            ("η".into(), fmt_number(eta)),
            (
                "zone of confusion [min w*_i, max w*_i]".into(),
                format!("[{}, {}]", num(a), num(b)),
            ),
            ("w* (minimiser of L)".into(), num(self.w_star)),
            (format!("SGD w_{t}"), num(self.sgd_w())),
            (format!("GD w_{}", self.gd.t()), num(self.gd_w())),
            ("1/max x_i² (no overshoot below)".into(), num(inv)),
            ("2/L_s (GD stable below)".into(), num(2.0 / self.smooth)),
        ];
        if let Some(g) = self.stationary_gap {
            facts.push(("SGD's mean gap in the long run".into(), num(g)));
        }
        Caption { text, facts }
    }

    pub fn describe(&self) -> String {
        let (a, b) = self.zone;
        let n = self.xs.len();
        let mins: Vec<String> = self
            .xs
            .iter()
            .zip(&self.ys)
            .filter(|(x, _)| **x != 0.0)
            .map(|(x, y)| num(y / x))
            .collect();
        let mut out = format!(
            "Three charts. First: the {n} samples' parabolas over w from {} to {}, with their minimisers w*_i at {}; the zone of confusion from {} to {} is shaded; the average L has its minimum at w* = {}. ",
            num(self.w_range.0),
            num(self.w_range.1),
            mins.join(", "),
            num(a),
            num(b),
            num(self.w_star)
        );
        out += &format!(
            "After {} steps the SGD iterate is at {} ({}) and the GD iterate at {}. ",
            self.sgd.t(),
            num(self.sgd_w()),
            self.where_sgd(),
            num(self.gd_w())
        );
        out += &format!(
            "Second: the samples as points (x, y) with the line y = w* x and the line of SGD's current w; the points lie between the lines of slopes {} and {}. ",
            num(a),
            num(b)
        );
        out += &format!(
            "Third: the loss gap on a log axis; SGD's is {} and GD's is {} now.",
            num(self.sgd.gap()),
            num(self.gd.gap())
        );
        if let Some(d) = self.status().diverged {
            out += " ";
            out += &d;
        }
        out
    }

    /// The SGD run over all steps, as `sgd-lab run` computes it for the exported scenario.
    pub fn csv(&self) -> String {
        trajectory_csv(&simulate(&self.setup, 0))
    }

    pub fn draw<DB: DrawingBackend>(
        &self,
        chart: &str,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        match chart {
            "parabolas" => self.draw_parabolas(area, text_px),
            "data" => self.draw_data(area, text_px),
            "gap" => self.draw_gap(area, text_px),
            other => Err(format!("per-sample has no chart \"{other}\"")),
        }
    }

    fn draw_parabolas<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let trail = &self.trail[..self.trail_len];
        ps_chart::draw(
            area,
            &PerSampleChart {
                title: "Each sample's loss ½(x_i w − y_i)² and their average L(w)",
                x_label: "w",
                y_label: "loss",
                xs: &self.xs,
                ys: &self.ys,
                sgd: Some(self.sgd_w()),
                used: &self.used,
                gd: Some(self.gd_w()),
                trail,
                w_range: Some(self.w_range),
                loss_range: Some(self.loss_range),
                legend: LegendPos::Auto,
                text_px,
            },
        )
    }

    fn draw_data<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let ((x0, x1), (y0, y1)) = self.data_box;
        let (a, b) = self.zone;
        // The zone as the wedge of lines through the origin with slopes a … b.
        let k = 64;
        let gx: Vec<f64> = (0..=k)
            .map(|j| x0 + (x1 - x0) * j as f64 / k as f64)
            .collect();
        let lo: Vec<f64> = gx.iter().map(|x| (a * x).min(b * x)).collect();
        let hi: Vec<f64> = gx.iter().map(|x| (a * x).max(b * x)).collect();
        let ends = [x0, x1];
        let star: Vec<f64> = ends.iter().map(|x| self.w_star * x).collect();
        let w = self.sgd_w();
        let now: Vec<f64> = ends.iter().map(|x| w * x).collect();
        // The samples as tiny invisible-under-the-dot segments (so the legend avoids
        // them); the dots are drawn on top below.
        let dx = (x1 - x0) * 0.004;
        let mut sx = Vec::with_capacity(self.xs.len() * 3);
        let mut sy = Vec::with_capacity(self.xs.len() * 3);
        for (x, y) in self.xs.iter().zip(&self.ys) {
            sx.extend([x - dx, x + dx, *x]);
            sy.extend([*y, *y, f64::NAN]);
        }
        let star_label = format!("y = w* x, w* = {} (the fit GD finds)", num(self.w_star));
        let now_label = format!("y = w_t x, SGD now (w_t = {})", num(w));
        let series = [
            Series::new("", &sy, LineStyle::Bold, palette::BLUE).with_x(&sx),
            Series::new(&star_label, &star, LineStyle::Dashed, palette::INK).with_x(&ends),
            Series::new(&now_label, &now, LineStyle::Bold, palette::VERMILLION).with_x(&ends),
        ];
        let bands = [Band {
            label: "zone: slopes from min w*_i to max w*_i",
            x: Some(&gx),
            lo: &lo,
            hi: &hi,
            color: palette::ORANGE,
        }];
        let frame = line::draw(
            area,
            &LineChart {
                title: "The data: each dot is a sample (x_i, y_i)",
                x_label: "x (input)",
                y_label: "y (target)",
                y_scale: AxisScale::Linear,
                series: &series,
                bands: &bands,
                x_range: Some((x0, x1)),
                y_range: Some((y0, y1)),
                cursor: None,
                legend: LegendPos::Auto,
                text_px,
            },
        )?;
        // The dots, on top; the sample SGD just used in the SGD colour.
        let (w_px, h_px) = area.dim_in_pixel();
        let unit = auto_text_px(w_px, h_px).clamp(7.0, 120.0) / 20.0;
        let r = (4.5 * unit).round().max(3.0) as i32;
        let ring = unit.round().max(1.0) as i32;
        let base = area.get_base_pixel();
        let dot = |i: usize, color: RGBColor, r: i32| -> Result<(), String> {
            let Some((px, py)) = frame.pixel(self.xs[i], self.ys[i]) else {
                return Ok(());
            };
            if !frame.contains(px, py) {
                return Ok(());
            }
            let c = (px.round() as i32 - base.0, py.round() as i32 - base.1);
            area.draw(&Circle::new(c, r + ring, palette::WHITE.filled()))
                .and_then(|_| area.draw(&Circle::new(c, r, color.filled())))
                .map_err(|e| format!("drawing the chart failed: {e}"))
        };
        for i in 0..self.xs.len() {
            if !self.used.contains(&i) {
                dot(i, palette::BLUE, r)?;
            }
        }
        for &i in &self.used {
            if i < self.xs.len() {
                dot(i, palette::VERMILLION, r + ring)?;
            }
        }
        Ok(frame)
    }

    fn draw_gap<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let steps = self.setup.scenario.steps as f64;
        let ends = [0.0, steps];
        let zone_line = [self.zone_gap; 2];
        let stat_line = [self.stationary_gap.unwrap_or(f64::NAN); 2];
        let sgd_label = format!("SGD, η = {}", fmt_number(self.setup.scenario.method.lr));
        let mut series = vec![
            Series::new(
                &sgd_label,
                &self.sgd_h.gap,
                LineStyle::Bold,
                palette::VERMILLION,
            )
            .with_x(&self.sgd_h.t),
            Series::new(
                "GD, same step",
                &self.gd_h.gap,
                LineStyle::Bold,
                palette::BLUISH_GREEN,
            )
            .with_x(&self.gd_h.t),
        ];
        if self.zone_gap > 0.0 {
            series.push(
                Series::new(
                    "largest gap inside the zone",
                    &zone_line,
                    LineStyle::Dashed,
                    palette::ORANGE,
                )
                .with_x(&ends),
            );
        }
        if self.stationary_gap.is_some_and(|g| g > 0.0) {
            series.push(
                Series::new(
                    "SGD's long-run mean gap (theory)",
                    &stat_line,
                    LineStyle::Dashed,
                    palette::INK,
                )
                .with_x(&ends),
            );
        }
        line::draw(
            area,
            &LineChart {
                title: "Loss gap L(w_t) − L*",
                x_label: "step t",
                y_label: "L(w_t) − L*",
                y_scale: AxisScale::Log,
                series: &series,
                x_range: Some((0.0, steps.max(1.0))),
                y_range: Some(self.gap_range),
                cursor: Some(self.t() as f64),
                legend: LegendPos::Auto,
                text_px,
                ..Default::default()
            },
        )
    }

    pub fn heatmap(
        &self,
        _chart: &str,
        _w: u32,
        _h: u32,
        _text_px: Option<f64>,
    ) -> Option<(PixelRect, Vec<u8>)> {
        None
    }

    /// The sample nearest to (x, y) on the data chart, if within 4 % of the chart's
    /// size (distances measured in fractions of each axis' span).
    fn grab(&self, x: f64, y: f64) -> Option<usize> {
        let ((x0, x1), (y0, y1)) = self.data_box;
        let d = |i: usize| {
            let dx = (self.xs[i] - x) / (x1 - x0);
            let dy = (self.ys[i] - y) / (y1 - y0);
            dx * dx + dy * dy
        };
        (0..self.xs.len())
            .filter(|&i| d(i) <= 0.04 * 0.04)
            .min_by(|&i, &j| d(i).total_cmp(&d(j)))
    }

    fn rounded(&self, x: f64, y: f64) -> (f64, f64) {
        let ((x0, x1), (y0, y1)) = self.data_box;
        (round_to_span(x, x1 - x0), round_to_span(y, y1 - y0))
    }

    fn with_points(&self, xs: &[f64], ys: &[f64]) -> Scenario {
        let mut s = self.setup.scenario.clone();
        set_points(&mut s, xs, ys);
        s
    }

    /// A click on the parabolas sets the start point w0 = x (rounded to 1/1000 of the
    /// axis span). A click on an empty spot of the data chart adds the sample (x, y)
    /// (rounded likewise). Nothing happens on a dot (that is a drag), on the y axis
    /// (x = 0 has no minimiser), or when there are already 50 samples.
    pub fn click(&self, chart: &str, x: f64, y: f64) -> Option<Scenario> {
        if chart == "parabolas" {
            let w = round_to_span(x, self.w_range.1 - self.w_range.0);
            if !(w.is_finite() && w.abs() <= 1e6) {
                return None;
            }
            let mut s = self.setup.scenario.clone();
            s.w0 = Some(vec![w]);
            return Some(s);
        }
        if chart != "data" || self.grab(x, y).is_some() || self.xs.len() >= MAX_N {
            return None;
        }
        let (x, y) = self.rounded(x, y);
        if x == 0.0 || !(x.is_finite() && y.is_finite()) || x.abs() > 1e6 || y.abs() > 1e6 {
            return None;
        }
        let (mut xs, mut ys) = materialize(&self.setup.scenario)?;
        xs.push(x);
        ys.push(y);
        Some(self.with_points(&xs, &ys))
    }

    /// A drag on the data chart moves the sample nearest to `from` (within 4 % of the
    /// chart) to `to` (rounded like a click). Nothing is grabbed elsewhere, and a sample
    /// is not dropped on the y axis.
    pub fn drag(&self, chart: &str, from: (f64, f64), to: (f64, f64)) -> Option<Scenario> {
        if chart != "data" {
            return None;
        }
        let i = self.grab(from.0, from.1)?;
        let (x, y) = self.rounded(to.0, to.1);
        if x == 0.0 || !(x.is_finite() && y.is_finite()) || x.abs() > 1e6 || y.abs() > 1e6 {
            return None;
        }
        let (mut xs, mut ys) = materialize(&self.setup.scenario)?;
        if i >= xs.len() {
            return None;
        }
        xs[i] = x;
        ys[i] = y;
        let s = self.with_points(&xs, &ys);
        // A drag that leaves every sample on the y axis but one is fine; one that makes
        // the data unusable (all x = 0) is refused.
        s.build().ok()?;
        Some(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_keeps_recent_points_and_caps_memory() {
        let mut h = History::new(100_000, &[0.0], 1.0);
        let cap = h.t.capacity();
        for t in 1..=20_000u64 {
            h.push(t, &[t as f64], 1.0 / t as f64);
        }
        assert!(h.len() <= HISTORY_CAP);
        assert_eq!(h.t.capacity(), cap, "no reallocation");
        assert_eq!(h.t[0], 0.0);
        assert_eq!(*h.t.last().unwrap(), 20_000.0);
        // The newest points are consecutive steps.
        let n = h.len();
        for k in n - HISTORY_RECENT..n {
            assert_eq!(h.t[k], h.t[k - 1] + 1.0);
            assert_eq!(h.point(k)[0], h.t[k]);
        }
        // Strictly increasing steps everywhere.
        assert!(h.t.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn points_round_trip_exactly() {
        let xs = [1.0, -0.1 + 0.2, 1e-7, 123456.789];
        let ys = [0.30000000000000004, -2.5, 3.0, -1e-3];
        let text = format_points(&xs, &ys);
        let (x2, y2) = parse_points(&text).unwrap();
        assert_eq!(x2, xs);
        assert_eq!(y2, ys);
        assert!(parse_points("1:2,3").is_err());
        assert!(parse_points("0:2").is_err());
    }

    #[test]
    fn caption_numbers() {
        assert_eq!(num(1.23456), "1.235");
        assert_eq!(num(2.0), "2");
        assert_eq!(num(-0.5), "-0.5");
        assert_eq!(num(1e-7), "1.000e-7");
        assert_eq!(num(f64::NAN), "undefined");
        assert_eq!(round_to_span(1.23456, 4.0), 1.235);
    }
}
