//! `noise-assumptions` (lecture 32:52, "Assumptions on the stochastic gradient"): on
//! 2-D least squares, the per-sample gradients as arrows.
//!
//! 1. At the current w (dragged, or moved by SGD when played): every −∇l_i(w) (where
//!    each sample pulls), the mean of what the sampler draws as a bold arrow, and
//!    −∇L(w) beside it: they coincide (unbiasedness) — unless sampling is skewed.
//! 2. At w*: the arrows again; their mean is 0 but they are not — σ0, their mean
//!    squared length, is a number and a circle (radius √σ0).
//! 3. The ratio E‖∇l_i(w_t)‖²/‖∇L(w_t)‖² along the run, against Jensen's 1 and M_G:
//!    far away it sits between them; near w* it grows without bound — that is why the
//!    assumption needs its constant M.
//! 4. A running estimate of σ0 from the gradients at w* of the samples drawn so far,
//!    converging to σ0 — or, under skewed sampling without importance weighting, to
//!    Σ p_i ‖∇l_i(w*)‖², a biased value.
//!
//! Skewed sampling (`method.sample_weights`: the first third of the samples five times
//! as likely) moves the mean arrow off ∇L and sends SGD to the minimiser of Σ p_i l_i
//! (drawn); importance weighting (1/(n p_i)) brings it back, with more noise.

mod draw;
mod text;

use super::engine::track::Track;
use super::knob::{fmt_number, Knob, KnobKind};
use super::numbers::start_at;
use super::{common, Caption, ChartInfo, LabSim, Status};
use crate::chart::ChartFrame;
use crate::error::SpecError;
use crate::problem::Problem;
use crate::scenario::{Scenario, Setup};
use crate::theory::{theory, Theory};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

const CHARTS: &[ChartInfo] = &[
    ChartInfo {
        id: "map",
        title: "Where each sample pulls at the current w: −∇l_i(w), their mean and −∇L(w)",
        heatmap: false,
        click: "Click or drag to put w there (the run starts again from it).",
    },
    ChartInfo {
        id: "optimum",
        title: "At w*: the mean is zero, the arrows are not (σ0 is their mean squared length)",
        heatmap: false,
        click: "",
    },
    ChartInfo {
        id: "ratio",
        title: "E‖∇l_i(w_t)‖² / ‖∇L(w_t)‖² along the run, against Jensen's 1 and M_G",
        heatmap: false,
        click: "",
    },
    ChartInfo {
        id: "sigma0",
        title: "σ0 estimated from the samples drawn so far",
        heatmap: false,
        click: "",
    },
];

/// Most samples (one arrow each).
pub const MAX_N: u64 = 40;
/// Skewed sampling: the first third of the samples this many times as likely.
pub const SKEW: f64 = 5.0;

/// −∇l_i(w) of every sample (2-D).
pub fn pulls(p: &Problem, w: &[f64]) -> Vec<(f64, f64)> {
    let mut g = [0.0; 2];
    (0..p.n())
        .map(|i| {
            g = [0.0; 2];
            p.add_grad_i(w, i, 1.0, &mut g);
            (-g[0], -g[1])
        })
        .collect()
}

/// The weights of skewed sampling for n samples: the first ⌈n/3⌉ weigh [`SKEW`].
pub fn skewed_weights(n: u64) -> Vec<f64> {
    let k = n.div_ceil(3);
    (0..n).map(|i| if i < k { SKEW } else { 1.0 }).collect()
}

fn n_of(s: &Scenario) -> u64 {
    common::generated(s).map_or(0, |g| g.0)
}

fn skewed(s: &Scenario) -> bool {
    s.method.sample_weights.is_some()
}

/// Skewed sampling on or off (the weights written for the current n).
fn set_skewed(s: &mut Scenario, on: bool) {
    s.method.sample_weights = on.then(|| skewed_weights(n_of(s)));
    if !on {
        s.method.importance_weighting = false;
    }
}

pub fn knobs() -> Vec<Knob> {
    vec![
        common::lr(0.001, 0.5),
        Knob {
            help: "Where w starts (and SGD from it when played); click or drag on the map to move it.",
            label: "Start w₀",
            ..common::w0("two numbers, e.g. -2,3")
        },
        Knob {
            // The weights follow n (skewed sampling has one per sample).
            set: |s, v| {
                (common::samples(3, MAX_N as i64, "").set)(s, v)?;
                let on = skewed(s);
                let iw = s.method.importance_weighting;
                set_skewed(s, on);
                s.method.importance_weighting = iw && on;
                Ok(())
            },
            ..common::samples(3, MAX_N as i64, "How many samples, one arrow each.")
        },
        common::spread(
            "Data spread",
            "How far the samples' own minimisers scatter (the noise of the targets): 0, every sample agrees at w* and σ0 = 0.",
        ),
        common::data_seed(),
        Knob {
            key: "skewed",
            label: "Skewed sampling",
            help: "Draw the first third of the samples five times as often as the others (with replacement).",
            kind: KnobKind::Bool,
            get: |s| skewed(s).to_string(),
            set: |s, v| {
                let on = v.flag()?;
                set_skewed(s, on);
                Ok(())
            },
        },
        Knob {
            key: "importance",
            label: "Importance weighting",
            help: "Scale each drawn gradient by 1/(n p_i): unbiased again under skewed sampling, with more noise.",
            kind: KnobKind::Bool,
            get: |s| s.method.importance_weighting.to_string(),
            set: |s, v| {
                let on = v.flag()?;
                if on && !skewed(s) {
                    return Err("applies with skewed sampling only (turn it on first)".into());
                }
                s.method.importance_weighting = on;
                Ok(())
            },
        },
        common::steps(5000),
        common::seed(),
    ]
}

pub struct NoiseAssumptions {
    setup: Setup,
    theory: Box<Theory>,
    run: Box<Track>,
    ws: Vec<[f64; 2]>,
    /// Σ over the steps so far of the drawn samples' ‖∇l_i(w*)‖² (× 1/(n p_i) with
    /// importance weighting), and the count: the running σ0 estimate.
    sigma_sum: Vec<f64>,
    /// ‖∇l_i(w*)‖² of every sample.
    at_opt: Vec<f64>,
    /// Sampling probabilities (uniform when not skewed).
    p: Vec<f64>,
    /// The minimiser of Σ p_i l_i (where skewed SGD without importance weighting goes).
    w_p: [f64; 2],
    map_box: MapBox,
    /// The contours of the box last drawn (it depends on the canvas's shape).
    contours: std::cell::RefCell<Option<(MapBox, Vec<crate::chart::contour::ContourLine>)>>,
}

type MapBox = ((f64, f64), (f64, f64));

impl NoiseAssumptions {
    pub fn new(setup: &Setup) -> Result<NoiseAssumptions, SpecError> {
        let p = &*setup.problem;
        common::require_problem(
            p,
            p.d() == 2 && matches!(p, Problem::LeastSquares(_)),
            "noise-assumptions",
            "2-D least squares",
            MAX_N,
            "one arrow each",
        )?;
        let th = theory(setup);
        let n = p.n();
        let probs = setup
            .scenario
            .method
            .probabilities()
            .unwrap_or_else(|| vec![1.0 / n as f64; n]);
        let w_star = th.optimum.w.clone();
        let at_opt: Vec<f64> = pulls(p, &w_star)
            .iter()
            .map(|(a, b)| a * a + b * b)
            .collect();
        let w_p = weighted_minimiser(p, &probs).unwrap_or([w_star[0], w_star[1]]);
        let mut pts: Vec<(f64, f64)> = crate::chart::map::minimizers(p)
            .into_iter()
            .take(200)
            .collect();
        pts.push((w_star[0], w_star[1]));
        pts.push((setup.w0[0], setup.w0[1]));
        pts.push((w_p[0], w_p[1]));
        // Room around the points for the arrows drawn from w (half as wide again).
        let ((x0, x1), (y0, y1)) = crate::chart::map::auto_box(&pts);
        let grow = |a: f64, b: f64| {
            let (c, h) = (0.5 * (a + b), 0.75 * (b - a));
            (c - h, c + h)
        };
        let map_box = (grow(x0, x1), grow(y0, y1));
        let run = Box::new(Track::new(setup, 0));
        let w0 = [run.run.w()[0], run.run.w()[1]];
        Ok(NoiseAssumptions {
            contours: Default::default(),
            setup: setup.clone(),
            theory: Box::new(th),
            run,
            ws: vec![w0],
            sigma_sum: vec![0.0],
            at_opt,
            p: probs,
            w_p,
            map_box,
        })
    }

    pub fn t(&self) -> u64 {
        self.ws.len() as u64 - 1
    }

    pub fn w(&self) -> [f64; 2] {
        *self.ws.last().unwrap_or(&[0.0, 0.0])
    }

    pub fn theory(&self) -> &Theory {
        &self.theory
    }

    pub fn probabilities(&self) -> &[f64] {
        &self.p
    }

    /// The minimiser of Σ p_i l_i.
    pub fn weighted_optimum(&self) -> [f64; 2] {
        self.w_p
    }

    fn importance(&self) -> bool {
        self.setup.scenario.method.importance_weighting
    }

    /// The factor each drawn gradient gets: 1/(n p_i) with importance weighting.
    fn factor(&self, i: usize) -> f64 {
        if self.importance() && self.p[i] > 0.0 {
            1.0 / (self.p.len() as f64 * self.p[i])
        } else {
            1.0
        }
    }

    /// The mean of what one draw gives at `w`: Σ p_i c_i (−∇l_i(w)) (−∇L(w) when
    /// sampling is uniform or importance-weighted).
    pub fn drawn_mean(&self, w: &[f64]) -> (f64, f64) {
        pulls(&self.setup.problem, w)
            .iter()
            .enumerate()
            .fold((0.0, 0.0), |(a, b), (i, g)| {
                let c = self.p[i] * self.factor(i);
                (a + c * g.0, b + c * g.1)
            })
    }

    /// −∇L(w).
    pub fn full_pull(&self, w: &[f64]) -> (f64, f64) {
        let mut g = [0.0; 2];
        self.setup.problem.grad(w, &mut g);
        (-g[0], -g[1])
    }

    /// E‖∇l_i(w)‖² / ‖∇L(w)‖² with i uniform (the assumption's ratio; ≥ 1 by Jensen).
    pub fn ratio(&self, w: &[f64]) -> f64 {
        let pl = pulls(&self.setup.problem, w);
        let e2 = pl.iter().map(|(a, b)| a * a + b * b).sum::<f64>() / pl.len() as f64;
        let g = self.full_pull(w);
        e2 / (g.0 * g.0 + g.1 * g.1)
    }

    /// σ0 = mean ‖∇l_i(w*)‖² (exact).
    pub fn sigma0(&self) -> f64 {
        self.at_opt.iter().sum::<f64>() / self.at_opt.len() as f64
    }

    /// What the running estimate converges to: Σ p_i c_i ‖∇l_i(w*)‖² (σ0 unless
    /// sampling is skewed without importance weighting).
    pub fn sigma0_limit(&self) -> f64 {
        (0..self.p.len())
            .map(|i| self.p[i] * self.factor(i) * self.at_opt[i])
            .sum()
    }

    /// The running estimate of σ0 after `t` steps (draws), t ≥ 1.
    pub fn sigma0_estimate(&self, t: usize) -> Option<f64> {
        let b = self.setup.scenario.method.batch as f64;
        (t >= 1 && t < self.sigma_sum.len()).then(|| self.sigma_sum[t] / (t as f64 * b))
    }

    pub fn map_box(&self) -> MapBox {
        self.map_box
    }
}

/// argmin Σ p_i ½ (x_iᵀw − y_i)² (2-D normal equations), or `None` when singular.
fn weighted_minimiser(p: &Problem, q: &[f64]) -> Option<[f64; 2]> {
    let Problem::LeastSquares(ls) = p else {
        return None;
    };
    let (mut a, mut b, mut c, mut r0, mut r1) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (i, &qi) in q.iter().enumerate().take(ls.n()) {
        let x = ls.row(i);
        let y = ls.target(i);
        a += qi * x[0] * x[0];
        b += qi * x[0] * x[1];
        c += qi * x[1] * x[1];
        r0 += qi * x[0] * y;
        r1 += qi * x[1] * y;
    }
    let det = a * c - b * b;
    (det.abs() > 1e-300).then(|| [(c * r0 - b * r1) / det, (a * r1 - b * r0) / det])
}

impl LabSim for NoiseAssumptions {
    fn scenario(&self) -> &Scenario {
        &self.setup.scenario
    }

    fn verdict(&self, q: usize) -> Option<crate::lab::quiz::Verdict> {
        // "Where does SGD settle with this sampling?": the mean of the second half of
        // the run's iterates, nearer w* or nearer the minimiser of Σ p_i l_i (when the
        // two differ by more than a hundredth of their scale; else: at w*).
        if q != 0 || !self.status().done {
            return None;
        }
        let half = &self.ws[self.ws.len() / 2..];
        let k = half.len().max(1) as f64;
        let c = half
            .iter()
            .fold([0.0, 0.0], |a, w| [a[0] + w[0] / k, a[1] + w[1] / k]);
        let ws = self.setup.problem.optimum();
        let dist = |p: [f64; 2]| ((c[0] - p[0]).powi(2) + (c[1] - p[1]).powi(2)).sqrt();
        let (to_star, to_p) = (dist([ws[0], ws[1]]), dist(self.w_p));
        let apart = ((ws[0] - self.w_p[0]).powi(2) + (ws[1] - self.w_p[1]).powi(2)).sqrt();
        let scale = (ws[0].abs() + ws[1].abs()).max(1.0);
        let answer = usize::from(apart > 1e-2 * scale && to_p < to_star);
        let num = crate::lab::numbers::num;
        Some(crate::lab::quiz::Verdict {
            answer,
            why: format!(
                "The mean of SGD's iterates over steps {}–{} is ({}, {}): {} from w* = ({}, {}), {} from the minimiser of Σ p_i l_i = ({}, {}).",
                self.t() + 1 - half.len() as u64,
                self.t(),
                num(c[0]),
                num(c[1]),
                num(to_star),
                num(ws[0]),
                num(ws[1]),
                num(to_p),
                num(self.w_p[0]),
                num(self.w_p[1])
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
            let w = self.run.run.w();
            self.ws.push([w[0], w[1]]);
            let add: f64 = self
                .run
                .run
                .last_batch()
                .iter()
                .map(|&i| self.factor(i as usize) * self.at_opt[i as usize])
                .sum();
            let last = *self.sigma_sum.last().unwrap_or(&0.0);
            self.sigma_sum.push(last + add);
            taken += 1;
        }
        taken
    }

    fn reset(&mut self) {
        *self.run = Track::new(&self.setup, 0);
        let w = self.run.run.w();
        self.ws = vec![[w[0], w[1]]];
        self.sigma_sum = vec![0.0];
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
                    "SGD diverged at step {at}: η = {} is too large (GD itself is stable only below 2/L_s = {}).",
                    fmt_number(self.setup.scenario.method.lr),
                    fmt_number(self.theory.max_stable_lr)
                )
            }),
        }
    }

    fn steps_per_second(&self) -> Option<f64> {
        Some(8.0)
    }

    fn caption(&self) -> Caption {
        self.caption_text()
    }

    fn describe(&self) -> String {
        self.describe_text()
    }

    /// One row per sample at the step shown: `step,w0,w1,gap,sample,p,pull0,pull1`
    /// (−∇l_i(w_t)), and its gradient at w*.
    fn csv(&self) -> String {
        let t = self.t();
        let w = self.w();
        let gap = self.setup.problem.gap(&w);
        let here = pulls(&self.setup.problem, &w);
        let opt = pulls(&self.setup.problem, &self.theory.optimum.w);
        let mut out =
            String::from("step,w0,w1,gap,sample,p,pull0,pull1,pull_at_opt0,pull_at_opt1\n");
        for (i, (g, o)) in here.iter().zip(&opt).enumerate() {
            out += &format!(
                "{t},{},{},{gap},{i},{},{},{},{},{}\n",
                w[0], w[1], self.p[i], g.0, g.1, o.0, o.1
            );
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
            "map" => self.draw_map(area, text_px),
            "optimum" => self.draw_optimum(area, text_px),
            "ratio" => self.draw_ratio(area, text_px),
            "sigma0" => self.draw_sigma0(area, text_px),
            other => Err(format!("noise-assumptions has no chart \"{other}\"")),
        }
    }

    /// A click (or the end of a drag) on the map puts w there: the new start.
    fn click(&self, chart: &str, x: f64, y: f64) -> Option<Scenario> {
        if chart != "map" || !(x.is_finite() && y.is_finite()) {
            return None;
        }
        let ((x0, x1), (y0, y1)) = self.map_box;
        start_at(&self.setup.scenario, &[x, y], (x1 - x0).max(y1 - y0))
    }

    fn drag(&self, chart: &str, _from: (f64, f64), to: (f64, f64)) -> Option<Scenario> {
        self.click(chart, to.0, to.1)
    }
}
