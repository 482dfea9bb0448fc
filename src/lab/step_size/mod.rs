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

// Comparisons are written so that NaN fails them (`!(a > b)` is true for NaN), here and
// in the submodules.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

mod draw;
mod knobs;
mod paths;
mod stationary;
mod text;

pub use knobs::knobs;
pub use stationary::stationary;

use super::engine;
use super::knob::fmt_number;
use super::numbers::{num, start_at};
use super::{Caption, ChartInfo, LabSim, Status};
use crate::chart::contour::ContourLine;
use crate::chart::map::{self, Background};
use crate::chart::{ChartFrame, PixelRect};
use crate::error::SpecError;
use crate::method::MethodKind;
use crate::problem::Problem;
use crate::report::trajectory_csv;
use crate::run::simulate;
use crate::scenario::{Scenario, Setup};
use crate::theory::{theory, Theory};
use knobs::lr2_of;
use paths::Group;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};
use std::cell::RefCell;

/// How many recent steps of each path the map draws as a fading trail.
pub const MAP_TRAIL: usize = 12;
/// How many points before the trail the map draws as the path's cloud of dots.
pub const MAP_CLOUD: usize = 150;
/// The second (large) step size when the scenario gives none.
pub const DEFAULT_LR2: f64 = 0.9;
/// Most paths per step size.
pub const MAX_PATHS: u64 = 10;
/// Seconds of default play in which the smaller step's paths arrive near w*.
pub const ARRIVAL_SECONDS: f64 = 6.0;
/// The slowest default speed (a very small step would otherwise crawl).
const MIN_STEPS_PER_SECOND: f64 = 5.0;
/// Steps over which the caption's spread is measured.
pub const WINDOW: u64 = 200;
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
        let method2 = crate::method::MethodSpec {
            lr: lr2,
            ..s.method.clone()
        };
        // η₂'s paths: the same scenario with the step replaced (the same samples).
        let setup2 = engine::variant_setups(setup, vec![engine::method_variant("η₂", method2)])
            .remove(0)
            .setup;
        let large = Box::new(Group::new(setup2, &h, &sigma_c));

        // The box: w0, the centres, w*, and the larger step's cloud (2 sd).
        let mut pts = centres.clone();
        pts.push((w_star[0], w_star[1]));
        pts.push((setup.w0[0], setup.w0[1]));
        let reach = centres
            .iter()
            .map(|(x, y)| libm::hypot(x - w_star[0], y - w_star[1]))
            .fold(0.0, f64::max);
        let cloud = [small.spread, large.spread]
            .into_iter()
            .flatten()
            .fold(0.0, f64::max);
        let r = (2.0 * cloud.sqrt()).min(3.0 * reach.max(1e-9));
        if r > 0.0 {
            for k in 0..16 {
                let a = std::f64::consts::PI * k as f64 / 8.0;
                pts.push((w_star[0] + r * libm::cos(a), w_star[1] + r * libm::sin(a)));
            }
        }
        // Where the paths go on their way in: the mean path is GD, whose error shrinks
        // along each eigenvector of H without changing sign, so it stays in the
        // rectangle w* ± |⟨w0 − w*, v_i⟩| v_i (wider than the box of w0 and w* when H's
        // axes are tilted).
        let e0 = [setup.w0[0] - w_star[0], setup.w0[1] - w_star[1]];
        let theta = 0.5 * libm::atan2(h[1] + h[2], h[0] - h[3]);
        let (c, s) = (libm::cos(theta), libm::sin(theta));
        let (a1, a2) = (
            (e0[0] * c + e0[1] * s).abs(),
            (-e0[0] * s + e0[1] * c).abs(),
        );
        for (i, j) in [(1.0, 1.0), (1.0, -1.0), (-1.0, 1.0), (-1.0, -1.0)] {
            pts.push((
                w_star[0] + i * a1 * c - j * a2 * s,
                w_star[1] + i * a1 * s + j * a2 * c,
            ));
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
            contours: RefCell::new(None),
        })
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
        let pts = |g: &Group| {
            g.tracks
                .iter()
                .map(|tr| [tr.run.w()[0], tr.run.w()[1]])
                .collect()
        };
        (pts(&self.small), pts(&self.large))
    }

    /// The most points any path has recorded (the history is capped at 4096).
    pub fn recorded_points(&self) -> usize {
        self.small
            .hist()
            .chain(self.large.hist())
            .map(|h| h.len())
            .max()
            .unwrap_or(0)
    }

    /// The step at which each path stopped early (diverged), `None` for a path that
    /// runs on: (η₁'s, η₂'s).
    pub fn stops(&self) -> (Vec<Option<u64>>, Vec<Option<u64>>) {
        let stops = |g: &Group| g.tracks.iter().map(|tr| tr.stop).collect();
        (stops(&self.small), stops(&self.large))
    }

    /// The map's box before it is widened to the canvas's aspect.
    pub fn base_box(&self) -> ((f64, f64), (f64, f64)) {
        self.base_box
    }

    fn t(&self) -> u64 {
        self.small.t().max(self.large.t())
    }
}

// The words are in `text.rs`, the charts in `draw.rs`, the paths in `paths.rs`.
impl LabSim for StepSize {
    fn scenario(&self) -> &Scenario {
        &self.setup.scenario
    }

    fn verdict(&self, q: usize) -> Option<crate::lab::quiz::Verdict> {
        // "Which cloud around w* is wider when the run ends?": the measured mean
        // ‖w − w*‖² over the paths and their last steps, η₂'s against η₁'s.
        if q != 0 || !self.status().done {
            return None;
        }
        let (m1, m2) = self.measured_spread();
        let (m1, m2) = (m1?, m2?);
        if !(m1 > 0.0) {
            return None;
        }
        let r = m2 / m1;
        let answer = match crate::lab::quiz::compare(r) {
            0 => 0,
            1 => 2,
            _ => 1,
        };
        let num = crate::lab::numbers::num;
        let (e1, e2) = self.step_sizes();
        Some(crate::lab::quiz::Verdict {
            answer,
            why: format!(
                "Mean squared distance to w* over the last steps: {} for η₁ = {}, {} for η₂ = {}: η₂'s is {} times η₁'s (within a factor 1.5 counts as the same).",
                num(m1),
                num(e1),
                num(m2),
                num(e2),
                num(r)
            ),
        })
    }

    fn charts(&self) -> &'static [ChartInfo] {
        CHARTS
    }

    fn advance(&mut self, steps: u32) -> u32 {
        let mut taken = 0;
        for _ in 0..steps {
            // No limit of the lab's own: a path stops where `sgd-lab run` says its run
            // diverges (the map pins what leaves it to the edge).
            let a = self.small.step(&self.w_star, &self.h, f64::INFINITY);
            let b = self.large.step(&self.w_star, &self.h, f64::INFINITY);
            if !(a || b) {
                break;
            }
            taken += 1;
        }
        taken
    }

    fn reset(&mut self) {
        self.small.reset();
        self.large.reset();
    }

    fn status(&self) -> Status {
        let ls = self.theory.smoothness;
        let mut msgs = Vec::new();
        for (g, name) in [(&self.small, "η₁"), (&self.large, "η₂")] {
            if let Some((k, at)) = g
                .tracks
                .iter()
                .enumerate()
                .filter_map(|(k, tr)| tr.stop.map(|at| (k, at)))
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
                let others = g.tracks.iter().filter(|tr| tr.stop.is_some()).count() - 1;
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
            clock: None,
            t: self.t(),
            steps: self.setup.scenario.steps,
            done: self.small.done() && self.large.done(),
            progress: 1.0,
            diverged: (!msgs.is_empty()).then(|| msgs.join(" ")),
        }
    }

    /// Slow motion: the smaller step's paths arrive (their distance to w* shrinks by
    /// e⁻³ along the slowest direction, |1 − η λ_min|ᵗ = e⁻³) in about
    /// [`ARRIVAL_SECONDS`], so that "the large step arrives fast, the small one slowly"
    /// is seen happening; `None` (the page's default) when that would be 60 steps per
    /// second or more.
    fn steps_per_second(&self) -> Option<f64> {
        let m = self
            .theory
            .hessian_eigenvalues
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min);
        let eta = self.small.lr.min(self.large.lr);
        let rho = (1.0 - eta * m).abs();
        if !(rho > 0.0 && rho < 1.0) {
            return None;
        }
        let arrival = 3.0 / -rho.ln();
        let sps = (arrival / ARRIVAL_SECONDS).max(MIN_STEPS_PER_SECOND);
        (sps < 60.0).then_some(sps)
    }

    fn caption(&self) -> Caption {
        self.caption_text()
    }

    fn describe(&self) -> String {
        self.description()
    }

    /// The small-step paths as `sgd-lab run` computes them: `run,` + the columns of
    /// `trajectory_csv`, every step of every run.
    fn csv(&self) -> String {
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

    fn draw<DB: DrawingBackend>(
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
    fn draw_over_heatmap<DB: DrawingBackend>(
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

    /// The heat map under `map` on a `width`×`height` canvas: the plot rectangle and its
    /// RGBA pixels, for the box `draw` uses at that size.
    fn heatmap(
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
    fn click(&self, chart: &str, x: f64, y: f64) -> Option<Scenario> {
        if chart != "map" || !(x.is_finite() && y.is_finite()) {
            return None;
        }
        let ((x0, x1), (y0, y1)) = self.base_box;
        start_at(&self.setup.scenario, &[x, y], (x1 - x0).max(y1 - y0))
    }
}
