//! `step-size` (lecture 23:09, "An illustration of SGD"): a 2-D quadratic whose samples
//! have their own centres, l_i(w) = ½ (w − c_i)ᵀ H (w − c_i). SGD paths at a small step
//! η₁ (`method.lr`) and a large step η₂ (`lab.lr2`) over the contour map of L: the large
//! step arrives fast, then wanders in a wide cloud; the small step is slow but tight.
//! The steps are not perpendicular to the contours (each follows one sample's gradient
//! H (w − c_i), not ∇L = H (w − w*)). The cloud's spread grows with the step, while the
//! region where the per-sample minimisers c_i lie is fixed by the data.
//!
//! Charts: `map` (contour lines; in the browser a heat map underneath, see
//! [`StepSize::heatmap`]; a click sets the start point w0) and `gap` (L(w_t) − L* of every
//! path, faint, their mean per step size, bold, and the stationary level of each step
//! size, dashed).
//!
//! Path r of both step sizes uses run r's random stream (the same samples in the same
//! order), `runs` = number of paths per step size (1 – 10).
//!
//! ## Numbers
//! With e = w − w*, one step is e ← (I − ηH) e + η H (c_i − w*) (averaged over a batch of b
//! samples drawn with replacement), so the stationary second moment P = E[e eᵀ] solves
//! P = (I − ηH) P (I − ηH) + (η²/b) H Σ_c H, with Σ_c = mean (c_i − w*)(c_i − w*)ᵀ the
//! spread of the centres. [`stationary`] solves it exactly (a 3×3 linear system):
//! E‖e‖² = tr P ≈ (η/2b) tr(H Σ_c) for small η — proportional to the step — and the
//! ratio for two steps is between η₂/η₁ and η₂/η₁ · 2/(2 − η₂ L_s). The region of the
//! minimisers, mean ‖c_i − w*‖² = tr Σ_c, does not depend on η at all.
//!
//! The measured spread in the caption is the mean of ‖w_t − w*‖² over the paths of a
//! step size and their last [`WINDOW`] steps.
//!
//! ## CSV
//! The small-step paths (all `runs` of them) are what `sgd-lab run` simulates for the
//! exported scenario. The CSV is one table: a `run` column (0 … runs − 1) followed by the
//! columns of [`trajectory_csv`] (`step,w0,w1,loss,gap,lr,indices,grad_evals`), every
//! step of every run, each run simulated afresh — so the rows of run r, without the
//! first column, are exactly `trajectory_csv(&simulate(&setup, r))`.
//!
//! ## Drawing
//! The map's box is computed once from w0, the centres, w* and the larger step's
//! stationary cloud, then widened to equal scales for the canvas (so that "perpendicular
//! to the contours" looks perpendicular). On a `<canvas>` (`CanvasBackend`) the plot area
//! is left unpainted for the heat map the page puts there first; on any other backend
//! (SVG, bitmaps) coloured contour lines on white carry the picture.

// Comparisons are written so that NaN fails them (`!(a > b)` is true for NaN).
#![allow(clippy::neg_cmp_op_on_partial_ord)]

use super::common;
use super::knob::{fmt_number, Knob, KnobKind};
use super::per_sample::{num, round_to_span, History};
use super::{Caption, ChartInfo, Status};
use crate::chart::contour::ContourLine;
use crate::chart::line::{self, LineChart, LineStyle, Series};
use crate::chart::map::{self, Background, MapChart, MapPath};
use crate::chart::{palette, AxisScale, ChartFrame, LegendPos, PixelRect};
use crate::error::SpecError;
use crate::method::MethodKind;
use crate::problem::Problem;
use crate::report::trajectory_csv;
use crate::run::{simulate, Outcome, Run};
use crate::sampler::Sampling;
use crate::scenario::{ProblemSpec, Scenario, Setup};
use crate::theory::{theory, Theory};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};
use std::cell::RefCell;

/// The second (large) step size when the scenario gives none.
/// How many recent points of each path the map draws.
pub const MAP_TRAIL: usize = 600;

pub const DEFAULT_LR2: f64 = 0.5;
/// Most paths per step size.
pub const MAX_PATHS: u64 = 10;
/// Steps over which the caption's spread is measured.
pub const WINDOW: u64 = 200;
/// A path whose gap exceeds this multiple of the picture's scale has left for good.
const BLOWUP: f64 = 1e12;
const MAX_STEPS: i64 = 20_000;

const CHARTS: &[ChartInfo] = &[
    ChartInfo {
        id: "map",
        title: "SGD paths at a small and a large step over the contours of L",
        heatmap: true,
        click: "Click on the map to start every path there.",
    },
    ChartInfo {
        id: "gap",
        title: "Loss gap of every path, and where each step size settles",
        heatmap: false,
        click: "",
    },
];

// ---------------------------------------------------------------------------------
// Knobs.

fn preset_problem() -> ProblemSpec {
    crate::presets::find("step-size")
        .expect("the step-size preset exists")
        .scenario()
        .problem
}

fn preset_kappa_spread() -> (f64, f64) {
    match preset_problem() {
        ProblemSpec::RandomQuadratic { kappa, spread, .. } => (kappa, spread),
        _ => (5.0, 1.0),
    }
}

fn lr2_of(s: &Scenario) -> f64 {
    s.lab.as_ref().and_then(|l| l.lr2).unwrap_or(DEFAULT_LR2)
}

fn step_kind() -> KnobKind {
    KnobKind::Number {
        min: 0.001,
        max: 2.5,
        step: 0.001,
        log: true,
    }
}

pub fn knobs() -> Vec<Knob> {
    vec![
        Knob {
            key: "lr",
            label: "Small step η₁",
            help:
                "The first step size (the scenario's own, which the CSV and the command line use).",
            kind: step_kind(),
            get: |s| fmt_number(s.method.lr),
            set: |s, v| {
                s.method.lr = v.parse().map_err(|_| "is not a number".to_string())?;
                Ok(())
            },
        },
        Knob {
            key: "lr2",
            label: "Large step η₂",
            help: "The second step size, drawn beside the first on the same samples.",
            kind: step_kind(),
            get: |s| fmt_number(lr2_of(s)),
            set: |s, v| {
                let lr2 = v.parse().map_err(|_| "is not a number".to_string())?;
                s.lab.get_or_insert_with(Default::default).lr2 = Some(lr2);
                Ok(())
            },
        },
        common::batch(40),
        Knob {
            key: "runs",
            label: "Paths per step size",
            help: "How many SGD paths each step size draws (path r of both uses the same samples).",
            kind: KnobKind::Integer {
                min: 1,
                max: MAX_PATHS as i64,
            },
            get: |s| s.runs.to_string(),
            set: |s, v| {
                s.runs = v.parse().map_err(|_| "is not a whole number".to_string())?;
                Ok(())
            },
        },
        common::w0("x,y, e.g. -3,3.5 (or click on the map)"),
        Knob {
            key: "kappa",
            label: "Condition number κ",
            help:
                "How elongated the contours are (ratio of the largest to the smallest curvature).",
            kind: KnobKind::Number {
                min: 1.0,
                max: 100.0,
                step: 0.1,
                log: true,
            },
            get: |s| match &s.problem {
                ProblemSpec::RandomQuadratic { kappa, .. } => fmt_number(*kappa),
                _ => fmt_number(preset_kappa_spread().0),
            },
            set: |s, v| {
                let k: f64 = v.parse().map_err(|_| "is not a number".to_string())?;
                match &mut s.problem {
                    ProblemSpec::RandomQuadratic { kappa, .. } => *kappa = k,
                    _ if k == preset_kappa_spread().0 => {}
                    _ => {
                        let mut p = preset_problem();
                        if let ProblemSpec::RandomQuadratic { kappa, .. } = &mut p {
                            *kappa = k;
                        }
                        s.problem = p;
                    }
                }
                Ok(())
            },
        },
        Knob {
            key: "spread",
            label: "Spread of the minimisers",
            help: "How far the samples' own minimisers c_i scatter around their mean w*.",
            kind: KnobKind::Number {
                min: 0.0,
                max: 3.0,
                step: 0.05,
                log: false,
            },
            get: |s| match &s.problem {
                ProblemSpec::RandomQuadratic { spread, .. } => fmt_number(*spread),
                _ => fmt_number(preset_kappa_spread().1),
            },
            set: |s, v| {
                let sp: f64 = v.parse().map_err(|_| "is not a number".to_string())?;
                match &mut s.problem {
                    ProblemSpec::RandomQuadratic { spread, .. } => *spread = sp,
                    _ if sp == preset_kappa_spread().1 => {}
                    _ => {
                        let mut p = preset_problem();
                        if let ProblemSpec::RandomQuadratic { spread, .. } = &mut p {
                            *spread = sp;
                        }
                        s.problem = p;
                    }
                }
                Ok(())
            },
        },
        common::seed(),
        common::steps(MAX_STEPS),
    ]
}

// ---------------------------------------------------------------------------------
// Theory: the stationary second moment.

/// The stationary E[(w − w*)(w − w*)ᵀ] of SGD with step `eta` and batch `b` (drawn with
/// replacement) on l_i(w) = ½ (w − c_i)ᵀ H (w − c_i) in 2-D, as (p11, p12, p22); `None`
/// when η ≥ 2/L_s (no stationary state: the iterates grow). `h` and `sigma_c` are
/// row-major 2×2.
pub fn stationary(h: &[f64; 4], sigma_c: &[f64; 4], eta: f64, b: f64) -> Option<[f64; 3]> {
    let (h11, h12, h22) = (h[0], 0.5 * (h[1] + h[2]), h[3]);
    // λ_max of H.
    let tr = h11 + h22;
    let det = h11 * h22 - h12 * h12;
    let lmax = 0.5 * tr + (0.25 * tr * tr - det).max(0.0).sqrt();
    if !(eta > 0.0 && eta * lmax < 2.0 && b >= 1.0) {
        return None;
    }
    // Q = (η²/b) H Σ_c H.
    let s = [sigma_c[0], 0.5 * (sigma_c[1] + sigma_c[2]), sigma_c[3]];
    let hs = [
        h11 * s[0] + h12 * s[1],
        h11 * s[1] + h12 * s[2],
        h12 * s[0] + h22 * s[1],
        h12 * s[1] + h22 * s[2],
    ];
    let k = eta * eta / b;
    let q = [
        k * (hs[0] * h11 + hs[1] * h12),
        k * (hs[0] * h12 + hs[1] * h22),
        k * (hs[2] * h12 + hs[3] * h22),
    ];
    // A = I − ηH; P − A P A = Q in the unknowns (p11, p12, p22).
    let (a, bb, c) = (1.0 - eta * h11, -eta * h12, 1.0 - eta * h22);
    let m = [
        [1.0 - a * a, -2.0 * a * bb, -bb * bb],
        [-a * bb, 1.0 - (a * c + bb * bb), -bb * c],
        [-bb * bb, -2.0 * bb * c, 1.0 - c * c],
    ];
    let p = solve3(m, q)?;
    (p.iter().all(|v| v.is_finite()) && p[0] >= 0.0 && p[2] >= 0.0).then_some(p)
}

/// Gaussian elimination with partial pivoting.
fn solve3(mut m: [[f64; 3]; 3], mut r: [f64; 3]) -> Option<[f64; 3]> {
    for col in 0..3 {
        let piv = (col..3).max_by(|&i, &j| m[i][col].abs().total_cmp(&m[j][col].abs()))?;
        if !(m[piv][col].abs() > 1e-300) {
            return None;
        }
        m.swap(col, piv);
        r.swap(col, piv);
        for row in col + 1..3 {
            let f = m[row][col] / m[col][col];
            let pivot_row = m[col];
            for (v, p) in m[row].iter_mut().zip(pivot_row).skip(col) {
                *v -= f * p;
            }
            r[row] -= f * r[col];
        }
    }
    let mut x = [0.0; 3];
    for row in (0..3).rev() {
        let s: f64 = (row + 1..3).map(|k| m[row][k] * x[k]).sum();
        x[row] = (r[row] - s) / m[row][row];
    }
    Some(x)
}

// ---------------------------------------------------------------------------------
// The lab.

/// One step size's paths.
struct Group {
    lr: f64,
    setup: Setup,
    runs: Vec<Run>,
    hist: Vec<History>,
    stop: Vec<Option<u64>>,
    /// Σ of the angle between a step and −∇L (radians), and how many steps.
    angle: (f64, u64),
    /// Exact stationary E‖w − w*‖² and E[L − L*] (None: η too large, or not plain SGD
    /// with replacement at a constant step).
    spread: Option<f64>,
    stationary_gap: Option<f64>,
}

impl Group {
    fn new(setup: Setup, h: &[f64; 4], sigma_c: &[f64; 4]) -> Group {
        let s = &setup.scenario;
        let plain = s.method.kind == MethodKind::Sgd
            && s.method.momentum == 0.0
            && s.method.sampling == Sampling::WithReplacement
            && s.schedule.is_constant();
        let p = plain
            .then(|| stationary(h, sigma_c, s.method.lr, s.method.batch as f64))
            .flatten();
        let mut g = Group {
            lr: s.method.lr,
            runs: Vec::new(),
            hist: Vec::new(),
            stop: Vec::new(),
            angle: (0.0, 0),
            spread: p.map(|p| p[0] + p[2]),
            stationary_gap: p.map(|p| 0.5 * (h[0] * p[0] + (h[1] + h[2]) * p[1] + h[3] * p[2])),
            setup,
        };
        g.reset();
        g
    }

    fn reset(&mut self) {
        let s = &self.setup.scenario;
        self.runs = (0..s.runs).map(|r| Run::new(&self.setup, r)).collect();
        self.hist = self
            .runs
            .iter()
            .map(|r| History::new(s.steps, r.w(), r.gap()))
            .collect();
        self.stop = vec![None; self.runs.len()];
        self.angle = (0.0, 0);
    }

    /// One step of every path; whether any moved.
    fn step(&mut self, w_star: &[f64; 2], h: &[f64; 4], blowup: f64) -> bool {
        let mut any = false;
        for k in 0..self.runs.len() {
            if self.stop[k].is_some() {
                continue;
            }
            let run = &mut self.runs[k];
            let before = [run.w()[0], run.w()[1]];
            match run.step() {
                Outcome::Stepped => {
                    let w = run.w();
                    let d = [w[0] - before[0], w[1] - before[1]];
                    let e = [before[0] - w_star[0], before[1] - w_star[1]];
                    let g = [-(h[0] * e[0] + h[1] * e[1]), -(h[2] * e[0] + h[3] * e[1])];
                    let (nd, ng) = (d[0].hypot(d[1]), g[0].hypot(g[1]));
                    if nd > 0.0 && ng > 0.0 {
                        let c = ((d[0] * g[0] + d[1] * g[1]) / (nd * ng)).clamp(-1.0, 1.0);
                        self.angle.0 += c.acos();
                        self.angle.1 += 1;
                    }
                    if !(run.gap() <= blowup) {
                        self.stop[k] = Some(run.t());
                    }
                    self.hist[k].push(run.t(), run.w(), run.gap());
                    any = true;
                }
                Outcome::Diverged => {
                    self.stop[k] = Some(run.diverged_at().unwrap_or(run.t() + 1));
                }
                Outcome::Done => {}
            }
        }
        any
    }

    fn t(&self) -> u64 {
        self.runs.iter().map(|r| r.t()).max().unwrap_or(0)
    }

    fn done(&self) -> bool {
        self.runs
            .iter()
            .zip(&self.stop)
            .all(|(r, s)| s.is_some() || r.is_done())
    }

    /// Mean ‖w − w*‖² over the paths that have not diverged and their last `WINDOW`
    /// recorded steps.
    fn measured_spread(&self, w_star: &[f64; 2]) -> Option<f64> {
        let mut sum = 0.0;
        let mut count = 0u64;
        for (h, stop) in self.hist.iter().zip(&self.stop) {
            if stop.is_some() {
                continue;
            }
            let last = *h.t.last()?;
            for k in (0..h.len()).rev() {
                if h.t[k] + (WINDOW as f64) <= last {
                    break;
                }
                let p = h.point(k);
                sum += (p[0] - w_star[0]).powi(2) + (p[1] - w_star[1]).powi(2);
                count += 1;
            }
        }
        (count > 0).then(|| sum / count as f64)
    }

    /// The mean gap over the paths at path 0's recorded steps (x, mean).
    fn mean_gap(&self) -> (Vec<f64>, Vec<f64>) {
        let Some(h0) = self.hist.iter().max_by_key(|h| h.len()) else {
            return (Vec::new(), Vec::new());
        };
        let mut xs = Vec::with_capacity(h0.len());
        let mut ys = Vec::with_capacity(h0.len());
        for (k, &t) in h0.t.iter().enumerate() {
            let mut sum = 0.0;
            let mut n = 0;
            for h in &self.hist {
                let idx = if h.t.get(k) == Some(&t) {
                    Some(k)
                } else {
                    h.t.binary_search_by(|v| v.total_cmp(&t)).ok()
                };
                if let Some(i) = idx {
                    sum += h.gap[i];
                    n += 1;
                }
            }
            if n == self.hist.len() {
                xs.push(t);
                ys.push(sum / n as f64);
            }
        }
        (xs, ys)
    }

    fn label(&self, name: &str) -> String {
        let n = self.runs.len();
        format!(
            "{name} = {} ({n} path{})",
            fmt_number(self.lr),
            if n == 1 { "" } else { "s" }
        )
    }
}

pub struct StepSize {
    setup: Setup,
    theory: Theory,
    h: [f64; 4],
    w_star: [f64; 2],
    centres: Vec<(f64, f64)>,
    /// mean ‖c_i − w*‖².
    centre_spread: f64,
    // Boxed: keeps the `Lab` enum small.
    small: Box<Group>,
    large: Box<Group>,
    base_box: ((f64, f64), (f64, f64)),
    gap_range: (f64, f64),
    blowup: f64,
    contours: RefCell<Option<(MapBox, Vec<ContourLine>)>>,
}

/// A map's x and y ranges.
type MapBox = ((f64, f64), (f64, f64));

impl StepSize {
    pub fn new(setup: &Setup) -> Result<StepSize, SpecError> {
        let s = &setup.scenario;
        let q = match &*setup.problem {
            Problem::Quadratic(q) if q.d() == 2 => q,
            p => {
                return Err(SpecError::new(
                    "problem",
                    format!(
                        "must be a 2-D quadratic with per-sample centres (quadratic or random_quadratic) in the step-size lab, got {} with d = {}",
                        p.kind(),
                        p.d()
                    ),
                ))
            }
        };
        if s.method.kind != MethodKind::Sgd {
            return Err(SpecError::new(
                "method.kind",
                format!(
                    "must be sgd in the step-size lab, got {}",
                    serde_json::to_string(&s.method.kind)
                        .unwrap_or_default()
                        .trim_matches('"')
                ),
            ));
        }
        if s.runs > MAX_PATHS {
            return Err(SpecError::new(
                "runs",
                format!(
                    "must be at most {MAX_PATHS} in the step-size lab (it draws every path), got {}",
                    s.runs
                ),
            ));
        }
        let lr2 = lr2_of(s);
        if !(lr2.is_finite() && lr2 > 0.0) {
            return Err(SpecError::new(
                "lab.lr2",
                format!(
                    "must be a finite number > 0, got {}",
                    crate::error::num(lr2)
                ),
            ));
        }
        let th = theory(setup);
        let hh = q.h();
        let h = [hh[0], hh[1], hh[2], hh[3]];
        let w_star = [th.optimum.w[0], th.optimum.w[1]];
        let centres: Vec<(f64, f64)> = map::minimizers(&setup.problem);
        let n = centres.len() as f64;
        let mut sigma_c = [0.0; 4];
        for &(x, y) in &centres {
            let e = [x - w_star[0], y - w_star[1]];
            sigma_c[0] += e[0] * e[0] / n;
            sigma_c[1] += e[0] * e[1] / n;
            sigma_c[2] += e[1] * e[0] / n;
            sigma_c[3] += e[1] * e[1] / n;
        }
        let centre_spread = sigma_c[0] + sigma_c[3];

        let small = Box::new(Group::new(setup.clone(), &h, &sigma_c));
        let mut setup2 = setup.clone();
        setup2.scenario.method.lr = lr2;
        let large = Box::new(Group::new(setup2, &h, &sigma_c));

        // The box: w0, the centres, w*, and the larger step's cloud (2 sd).
        let mut pts = centres.clone();
        pts.push((w_star[0], w_star[1]));
        pts.push((setup.w0[0], setup.w0[1]));
        let reach = centres
            .iter()
            .map(|(x, y)| (x - w_star[0]).hypot(y - w_star[1]))
            .fold(0.0, f64::max);
        let cloud = [small.spread, large.spread]
            .into_iter()
            .flatten()
            .fold(0.0, f64::max);
        let r = (2.0 * cloud.sqrt()).min(3.0 * reach.max(1e-9));
        if r > 0.0 {
            for k in 0..16 {
                let a = std::f64::consts::PI * k as f64 / 8.0;
                pts.push((w_star[0] + r * a.cos(), w_star[1] + r * a.sin()));
            }
        }
        let base_box = map::auto_box(&pts);

        let gap0 = setup.problem.gap(&setup.w0);
        let stat: Vec<f64> = [small.stationary_gap, large.stationary_gap]
            .into_iter()
            .flatten()
            .filter(|g| *g > 0.0)
            .collect();
        let stat_hi = stat.iter().copied().fold(0.0, f64::max);
        let stat_lo = stat.iter().copied().fold(f64::INFINITY, f64::min);
        // Headroom above the start for the legend.
        let top = gap0.max(10.0 * stat_hi).max(1e-12) * 30.0;
        let bottom = if stat_lo.is_finite() {
            (stat_lo / 100.0).max(top * 1e-14)
        } else {
            top * 1e-8
        };
        let corner = {
            let ((x0, x1), (y0, y1)) = base_box;
            [(x0, y0), (x0, y1), (x1, y0), (x1, y1)]
                .iter()
                .map(|&(x, y)| setup.problem.gap(&[x, y]))
                .fold(0.0, f64::max)
        };
        Ok(StepSize {
            setup: setup.clone(),
            theory: th,
            h,
            w_star,
            centres,
            centre_spread,
            small,
            large,
            base_box,
            gap_range: (bottom, top),
            blowup: gap0.max(corner).max(1e-12) * BLOWUP,
            contours: RefCell::new(None),
        })
    }

    pub fn scenario(&self) -> &Scenario {
        &self.setup.scenario
    }
    pub fn charts(&self) -> &'static [ChartInfo] {
        CHARTS
    }

    /// The two step sizes (η₁ = `method.lr`, η₂ = `lab.lr2`).
    pub fn step_sizes(&self) -> (f64, f64) {
        (self.small.lr, self.large.lr)
    }
    pub fn w_star(&self) -> [f64; 2] {
        self.w_star
    }
    /// Measured mean ‖w − w*‖² over the paths and their last [`WINDOW`] steps, for η₁
    /// and η₂.
    pub fn measured_spread(&self) -> (Option<f64>, Option<f64>) {
        (
            self.small.measured_spread(&self.w_star),
            self.large.measured_spread(&self.w_star),
        )
    }
    /// The exact stationary E‖w − w*‖² for η₁ and η₂ (see [`stationary`]).
    pub fn stationary_spread(&self) -> (Option<f64>, Option<f64>) {
        (self.small.spread, self.large.spread)
    }
    /// mean ‖c_i − w*‖²: the spread of the per-sample minimisers (fixed by the data).
    pub fn centre_spread(&self) -> f64 {
        self.centre_spread
    }
    /// The current point of every path: (η₁'s, η₂'s).
    pub fn current_points(&self) -> (Vec<[f64; 2]>, Vec<[f64; 2]>) {
        let pts = |g: &Group| g.runs.iter().map(|r| [r.w()[0], r.w()[1]]).collect();
        (pts(&self.small), pts(&self.large))
    }
    /// The most points any path has recorded (the history is capped at 4096).
    pub fn recorded_points(&self) -> usize {
        self.small
            .hist
            .iter()
            .chain(&self.large.hist)
            .map(|h| h.len())
            .max()
            .unwrap_or(0)
    }
    /// The map's box before it is widened to the canvas's aspect.
    pub fn base_box(&self) -> ((f64, f64), (f64, f64)) {
        self.base_box
    }

    pub fn advance(&mut self, steps: u32) -> u32 {
        let mut taken = 0;
        for _ in 0..steps {
            let a = self.small.step(&self.w_star, &self.h, self.blowup);
            let b = self.large.step(&self.w_star, &self.h, self.blowup);
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

    pub fn reset(&mut self) {
        self.small.reset();
        self.large.reset();
    }

    fn t(&self) -> u64 {
        self.small.t().max(self.large.t())
    }

    pub fn status(&self) -> Status {
        let ls = self.theory.smoothness;
        let mut msgs = Vec::new();
        for (g, name) in [(&self.small, "η₁"), (&self.large, "η₂")] {
            if let Some((k, at)) = g
                .stop
                .iter()
                .enumerate()
                .filter_map(|(k, s)| s.map(|at| (k, at)))
                .min_by_key(|&(k, at)| (at, k))
            {
                let why = if g.lr * ls >= 2.0 {
                    format!(
                        "η = {} is above 2/L_s = {}, so every step overshoots along the steepest direction by more than it corrects",
                        fmt_number(g.lr),
                        num(2.0 / ls)
                    )
                } else {
                    format!("η = {} is too large for this problem", fmt_number(g.lr))
                };
                let others = g.stop.iter().filter(|s| s.is_some()).count() - 1;
                msgs.push(format!(
                    "Path {} of {name} diverged at step {at}{}: {why}.",
                    k + 1,
                    if others > 0 {
                        format!(" (and {others} more of its paths)")
                    } else {
                        String::new()
                    }
                ));
            }
        }
        Status {
            t: self.t(),
            steps: self.setup.scenario.steps,
            done: self.small.done() && self.large.done(),
            progress: 1.0,
            diverged: (!msgs.is_empty()).then(|| msgs.join(" ")),
        }
    }

    fn angle_deg(g: &Group) -> Option<f64> {
        (g.angle.1 > 0).then(|| (g.angle.0 / g.angle.1 as f64).to_degrees())
    }

    pub fn caption(&self) -> Caption {
        let (e1, e2) = (self.small.lr, self.large.lr);
        let (m1, m2) = self.measured_spread();
        let (p1, p2) = self.stationary_spread();
        let t = self.t();
        let runs = self.small.runs.len();
        let window = WINDOW.min(t + 1);
        let mut text = format!(
            "Two step sizes on the same samples: path r of η₁ = {} and path r of η₂ = {} draw the same samples in the same order. \
             A step follows one sample's gradient, not ∇L, so it is not perpendicular to the contours. \
             The larger step arrives fast, then wanders in a wide cloud; the smaller is slow but tight. ",
            fmt_number(e1),
            fmt_number(e2)
        );
        let show = |m: Option<f64>| m.map_or("— (diverged)".to_string(), num);
        let last = if window == 1 {
            "last point".to_string()
        } else {
            format!("last {window} steps")
        };
        text += &format!(
            "After {t} steps the mean squared distance ‖w − w*‖² over the {runs} path{} and their {last} is {} for η₁ and {} for η₂",
            if runs == 1 { "" } else { "s" },
            show(m1),
            show(m2)
        );
        match (p1, p2) {
            (Some(a), Some(b)) => {
                text += &format!(
                    "; in the long run it tends to {} and {} — a ratio of {} for a step ratio of {}: the cloud grows with the step. ",
                    num(a),
                    num(b),
                    num(b / a),
                    num(e2 / e1)
                )
            }
            _ => text += ". ",
        }
        text += &format!(
            "The per-sample minimisers (dots) are where the data put them, mean ‖c_i − w*‖² = {}, whatever the step.",
            num(self.centre_spread)
        );
        if let Some(d) = self.status().diverged {
            text += " ";
            text += &d;
        }
        let mut facts = vec![
            ("η₁ (small step)".into(), fmt_number(e1)),
            ("η₂ (large step)".into(), fmt_number(e2)),
            (format!("measured ‖w − w*‖², η₁ ({last})"), show(m1)),
            (format!("measured ‖w − w*‖², η₂ ({last})"), show(m2)),
        ];
        if let Some(a) = p1 {
            facts.push(("long-run E‖w − w*‖², η₁".into(), num(a)));
        }
        if let Some(b) = p2 {
            facts.push(("long-run E‖w − w*‖², η₂".into(), num(b)));
        }
        facts.push((
            "minimisers' spread mean ‖c_i − w*‖²".into(),
            num(self.centre_spread),
        ));
        facts.push((
            "w*".into(),
            format!("({}, {})", num(self.w_star[0]), num(self.w_star[1])),
        ));
        facts.push((
            "2/L_s (stable below)".into(),
            num(2.0 / self.theory.smoothness),
        ));
        if let (Some(a1), Some(a2)) = (Self::angle_deg(&self.small), Self::angle_deg(&self.large)) {
            facts.push((
                "mean angle between a step and −∇L".into(),
                format!("{a1:.0}° (η₁), {a2:.0}° (η₂); GD's is 0°"),
            ));
        }
        Caption { text, facts }
    }

    pub fn describe(&self) -> String {
        let ((x0, x1), (y0, y1)) = self.base_box;
        let (c1, c2) = self.current_points();
        let pts = |v: &[[f64; 2]]| {
            v.iter()
                .map(|p| format!("({}, {})", num(p[0]), num(p[1])))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (m1, m2) = self.measured_spread();
        let show = |m: Option<f64>| m.map_or("undefined (diverged)".to_string(), num);
        let mut out = format!(
            "Two charts. First: a contour map of L over w₁ from {} to {} and w₂ from {} to {}, with the minimum w* at ({}, {}) and {} per-sample minimisers scattered around it (mean squared distance {}). ",
            num(x0),
            num(x1),
            num(y0),
            num(y1),
            num(self.w_star[0]),
            num(self.w_star[1]),
            self.centres.len(),
            num(self.centre_spread)
        );
        out += &format!(
            "After {} steps from ({}, {}), the paths at η₁ = {} are at {}; those at η₂ = {} are at {}. Their mean squared distance to w* over the last steps is {} and {}. ",
            self.t(),
            num(self.setup.w0[0]),
            num(self.setup.w0[1]),
            fmt_number(self.small.lr),
            pts(&c1),
            fmt_number(self.large.lr),
            pts(&c2),
            show(m1),
            show(m2)
        );
        out += "Second: the loss gap of every path on a logarithmic axis, their mean per step size, and the level where each step size settles.";
        if let Some(d) = self.status().diverged {
            out += " ";
            out += &d;
        }
        out
    }

    /// The small-step paths as `sgd-lab run` computes them: `run,` + the columns of
    /// `trajectory_csv`, every step of every run.
    pub fn csv(&self) -> String {
        let mut out = String::new();
        for r in 0..self.setup.scenario.runs {
            let csv = trajectory_csv(&simulate(&self.setup, r));
            let mut lines = csv.lines();
            let header = lines.next().unwrap_or("");
            if r == 0 {
                out += "run,";
                out += header;
                out.push('\n');
            }
            for l in lines {
                out += &r.to_string();
                out.push(',');
                out += l;
                out.push('\n');
            }
        }
        out
    }

    /// The box shown on a `width`×`height` canvas (equal scales on both axes).
    fn box_for(
        &self,
        width: u32,
        height: u32,
        text_px: Option<f64>,
    ) -> (PixelRect, (f64, f64), (f64, f64)) {
        let rect = map::plot_area(width, height, text_px);
        let (xr, yr) = map::fit_box(self.base_box.0, self.base_box.1, rect);
        (rect, xr, yr)
    }

    pub fn draw<DB: DrawingBackend>(
        &self,
        chart: &str,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        match chart {
            "map" => self.draw_map(area, text_px, Background::Contours),
            "gap" => self.draw_gap(area, text_px),
            other => Err(format!("step-size has no chart \"{other}\"")),
        }
    }

    /// `draw` for a canvas whose heat map ([`StepSize::heatmap`]) is already in place:
    /// the map leaves its plot area unpainted.
    pub fn draw_over_heatmap<DB: DrawingBackend>(
        &self,
        chart: &str,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        match chart {
            "map" => self.draw_map(area, text_px, Background::Transparent),
            other => self.draw(other, area, text_px),
        }
    }

    fn draw_map<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
        background: Background,
    ) -> Result<ChartFrame, String> {
        let (w, h) = area.dim_in_pixel();
        let (_, xr, yr) = self.box_for(w, h, text_px);
        {
            let mut cache = self.contours.borrow_mut();
            if cache.as_ref().map(|c| c.0) != Some((xr, yr)) {
                *cache = Some(((xr, yr), map::contour_lines(&self.setup.problem, xr, yr)));
            }
        }
        let cache = self.contours.borrow();
        let contours = cache.as_ref().map(|c| c.1.as_slice()).unwrap_or(&[]);
        let l1 = self.small.label("η₁");
        let l2 = self.large.label("η₂");
        let mut paths = Vec::new();
        // The large step first, so that the tight small-step cloud stays visible on top.
        for (g, label, color) in [
            (&self.large, &l2, palette::VERMILLION),
            (&self.small, &l1, palette::BLUE),
        ] {
            for h in &g.hist {
                // The last MAP_TRAIL points: the cloud is what matters once a path has
                // settled, and a long play stays cheap to draw.
                let from = h.w.len().saturating_sub(2 * MAP_TRAIL);
                paths.push(MapPath {
                    label,
                    points: &h.w[from..],
                    color,
                });
            }
        }
        map::draw(
            area,
            &MapChart {
                title: "Contours of L with SGD paths at two step sizes",
                x_label: "w₁",
                y_label: "w₂",
                x_range: xr,
                y_range: yr,
                background,
                contours,
                paths: &paths,
                minimizers: &self.centres,
                optimum: Some((self.w_star[0], self.w_star[1])),
                legend: LegendPos::Auto,
                text_px,
            },
        )
    }

    fn draw_gap<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let steps = self.setup.scenario.steps as f64;
        let ends = [0.0, steps];
        let (mx1, my1) = self.small.mean_gap();
        let (mx2, my2) = self.large.mean_gap();
        let s1 = [self.small.stationary_gap.unwrap_or(f64::NAN); 2];
        let s2 = [self.large.stationary_gap.unwrap_or(f64::NAN); 2];
        let one1 = format!("η₁ = {}, one path", fmt_number(self.small.lr));
        let one2 = format!("η₂ = {}, one path", fmt_number(self.large.lr));
        let mean1 = format!("η₁ = {}, mean over paths", fmt_number(self.small.lr));
        let mean2 = format!("η₂ = {}, mean over paths", fmt_number(self.large.lr));
        let several = self.small.runs.len() > 1;
        let mut series: Vec<Series> = Vec::new();
        for (g, one, color) in [
            (&self.large, &one2, palette::VERMILLION),
            (&self.small, &one1, palette::BLUE),
        ] {
            for h in &g.hist {
                let style = if several {
                    LineStyle::Faint
                } else {
                    LineStyle::Bold
                };
                series.push(Series::new(one, &h.gap, style, color).with_x(&h.t));
            }
        }
        if several {
            series
                .push(Series::new(&mean2, &my2, LineStyle::Bold, palette::VERMILLION).with_x(&mx2));
            series.push(Series::new(&mean1, &my1, LineStyle::Bold, palette::BLUE).with_x(&mx1));
        }
        if self.large.stationary_gap.is_some() {
            series.push(
                Series::new(
                    "where η₂ settles (theory)",
                    &s2,
                    LineStyle::Dashed,
                    palette::REDDISH_PURPLE,
                )
                .with_x(&ends),
            );
        }
        if self.small.stationary_gap.is_some() {
            series.push(
                Series::new(
                    "where η₁ settles (theory)",
                    &s1,
                    LineStyle::Dashed,
                    palette::SKY_BLUE,
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

    /// The heat map under `map` on a `width`×`height` canvas: the plot rectangle and its
    /// RGBA pixels, for the box `draw` uses at that size.
    pub fn heatmap(
        &self,
        chart: &str,
        width: u32,
        height: u32,
        text_px: Option<f64>,
    ) -> Option<(PixelRect, Vec<u8>)> {
        if chart != "map" {
            return None;
        }
        let (rect, xr, yr) = self.box_for(width, height, text_px);
        if rect.width() == 0 || rect.height() == 0 {
            return None;
        }
        let rgba = map::heatmap_rgba(&self.setup.problem, xr, yr, rect.width(), rect.height());
        Some((rect, rgba))
    }

    /// A click on the map starts every path at (x, y) (rounded to 1/1000 of the box).
    pub fn click(&self, chart: &str, x: f64, y: f64) -> Option<Scenario> {
        if chart != "map" || !(x.is_finite() && y.is_finite()) {
            return None;
        }
        let ((x0, x1), (y0, y1)) = self.base_box;
        let span = (x1 - x0).max(y1 - y0);
        let w0 = vec![round_to_span(x, span), round_to_span(y, span)];
        if w0.iter().any(|v| v.abs() > 1e6) {
            return None;
        }
        let mut s = self.setup.scenario.clone();
        s.w0 = Some(w0);
        Some(s)
    }

    pub fn drag(&self, _chart: &str, _from: (f64, f64), _to: (f64, f64)) -> Option<Scenario> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stationary moment of a 1-D-like diagonal case against the closed form
    /// η λ² s²/b / (1 − (1 − ηλ)²) per axis.
    #[test]
    fn stationary_matches_the_diagonal_closed_form() {
        let h = [1.0, 0.0, 0.0, 0.2];
        let sc = [0.7, 0.0, 0.0, 1.3];
        for (eta, b) in [(0.1, 1.0), (1.0, 1.0), (1.5, 4.0)] {
            let p = stationary(&h, &sc, eta, b).unwrap();
            let want = |l: f64, s: f64| eta * eta * l * l * s / b / (1.0 - (1.0 - eta * l).powi(2));
            assert!((p[0] - want(1.0, 0.7)).abs() < 1e-12, "{p:?}");
            assert!(p[1].abs() < 1e-12);
            assert!((p[2] - want(0.2, 1.3)).abs() < 1e-12);
        }
        assert!(stationary(&h, &sc, 2.0, 1.0).is_none());
    }

    /// A rotated problem: the solution satisfies P = A P A + Q.
    #[test]
    fn stationary_solves_the_lyapunov_equation() {
        let h = [0.8, 0.3, 0.3, 0.4];
        let sc = [1.0, -0.2, -0.2, 0.5];
        let eta = 0.9;
        let p = stationary(&h, &sc, eta, 2.0).unwrap();
        let pm = [p[0], p[1], p[1], p[2]];
        let a = [1.0 - eta * h[0], -eta * h[1], -eta * h[2], 1.0 - eta * h[3]];
        let mul = |x: [f64; 4], y: [f64; 4]| {
            [
                x[0] * y[0] + x[1] * y[2],
                x[0] * y[1] + x[1] * y[3],
                x[2] * y[0] + x[3] * y[2],
                x[2] * y[1] + x[3] * y[3],
            ]
        };
        let apa = mul(mul(a, pm), a);
        let q = mul(mul(h, sc), h).map(|v| v * eta * eta / 2.0);
        for k in 0..4 {
            assert!((pm[k] - apa[k] - q[k]).abs() < 1e-12, "{k}");
        }
    }
}
