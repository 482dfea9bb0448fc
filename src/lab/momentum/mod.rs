//! `momentum` (lecture 01:25, "Momentum methods don't accelerate SGD"): on a 2-D
//! quadratic with condition number κ (L = 1, m = 1/κ), two pictures.
//!
//! 1. Without noise (full gradients): GD at 1/L, heavy ball and Nesterov with their
//!    textbook tuning; the distance to w* on a log axis beside the rates e^{−t/κ} and
//!    e^{−t/√κ}: acceleration is real.
//! 2. With noise (one sample, or b, a step): SGD at η, SGD with momentum β at the same
//!    effective step (lr η(1 − β): the effective step η(1 − β)/(1 − β) = η), and SGD
//!    with momentum β at SGD's own lr η (PyTorch's habit: an effective step η/(1 − β));
//!    mean gap and band over the runs: at the same effective step momentum changes
//!    nothing, and at the same lr it converges faster but stalls at a floor about
//!    1/(1 − β) times higher — unless the samples agree (the "gradient diversity" knob:
//!    the spread of the per-sample minimisers), when there is no floor and momentum's
//!    larger step is pure gain.
//!
//! Built on the sandbox (the six methods are `compare` variants on the same samples).

mod draw;
mod text;

use super::knob::{fmt_number, Knob, KnobKind};
use super::sandbox::spec::normalize;
use super::sandbox::Sandbox;
use super::{common, Caption, ChartInfo, LabSim, Status};
use crate::averaging::Averaging;
use crate::chart::ChartFrame;
use crate::error::SpecError;
use crate::expectation::stationary_gap;
use crate::linalg::norm2;
use crate::method::{MethodKind, MethodSpec};
use crate::run::{Outcome, Run};
use crate::scenario::{ProblemSpec, Scenario, Setup, VariantSpec};
use crate::schedule::Schedule;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

const CHARTS: &[ChartInfo] = &[
    ChartInfo {
        id: "deterministic",
        title: "Without noise, momentum accelerates: e^(−t/√κ) instead of e^(−t/κ)",
        heatmap: false,
        click: "",
    },
    ChartInfo {
        id: "stochastic",
        title: "With noise, momentum at the same effective step changes nothing",
        heatmap: false,
        click: "",
    },
];

pub const GD: &str = "GD";
pub const HEAVY_BALL: &str = "heavy ball";
pub const NESTEROV: &str = "Nesterov";
pub const SGD: &str = "SGD";
pub const MATCHED: &str = "SGD + momentum, same effective step";
pub const SAME_LR: &str = "SGD + momentum, same lr";
/// The deterministic variants, then the stochastic ones.
pub const DETERMINISTIC: [&str; 3] = [GD, HEAVY_BALL, NESTEROV];
pub const STOCHASTIC: [&str; 3] = [SGD, MATCHED, SAME_LR];

/// `x` to 12 significant digits: the tunings and η(1 − β) as a person writes them, so
/// that a scenario written by the knobs reads back as the same numbers (0.2 × 0.1 is
/// 0.020000000000000004 in floating point).
fn tidy(x: f64) -> f64 {
    format!("{x:.11e}").parse().unwrap_or(x)
}

/// Heavy ball's textbook tuning for L = 1, m = 1/κ: α = 4/(√L + √m)², β = ((√κ − 1)/(√κ + 1))².
pub fn heavy_ball(kappa: f64) -> (f64, f64) {
    let r = kappa.sqrt();
    let alpha = 4.0 / (1.0 + 1.0 / r).powi(2);
    let beta = ((r - 1.0) / (r + 1.0)).powi(2);
    (tidy(alpha), tidy(beta))
}

/// Nesterov's tuning for L = 1: η = 1/L, μ = (√κ − 1)/(√κ + 1).
pub fn nesterov(kappa: f64) -> (f64, f64) {
    let r = kappa.sqrt();
    (1.0, tidy((r - 1.0) / (r + 1.0)))
}

fn kappa_of(s: &Scenario) -> f64 {
    match &s.problem {
        ProblemSpec::RandomQuadratic { kappa, .. } => *kappa,
        _ => 100.0,
    }
}

fn spread_of(s: &Scenario) -> f64 {
    match &s.problem {
        ProblemSpec::RandomQuadratic { spread, .. } => *spread,
        _ => 1.0,
    }
}

/// The method of variant `label`, if the scenario has it.
fn method_of<'a>(s: &'a Scenario, label: &str) -> Option<&'a MethodSpec> {
    s.compare
        .iter()
        .flatten()
        .find(|v| v.label == label)
        .and_then(|v| v.method.as_ref())
}

/// The momentum β of the momentum variants.
fn beta_of(s: &Scenario) -> f64 {
    method_of(s, MATCHED).map_or(0.9, |m| m.momentum)
}

/// SGD's step η (the SGD variant's; the base method is the first variant's).
fn eta_of(s: &Scenario) -> f64 {
    method_of(s, SGD).map_or(s.method.lr, |m| m.lr)
}

/// The batch of the stochastic variants.
fn batch_of(s: &Scenario) -> u64 {
    method_of(s, SGD).map_or(s.method.batch, |m| m.batch)
}

fn method(kind: MethodKind, lr: f64, batch: u64, momentum: f64, nesterov: bool) -> MethodSpec {
    MethodSpec {
        kind,
        lr,
        batch,
        momentum,
        nesterov,
        ..MethodSpec::default()
    }
}

/// Writes the six variants from κ, SGD's step η, the batch b and β.
fn rewrite(s: &mut Scenario, eta: f64, b: u64, beta: f64) {
    let kappa = kappa_of(s);
    let (alpha, beta_hb) = heavy_ball(kappa);
    let (eta_n, mu) = nesterov(kappa);
    let v = |label: &str, m: MethodSpec| VariantSpec {
        label: label.to_string(),
        method: Some(m),
        schedule: Some(Schedule::Constant),
        averaging: Some(Averaging::None),
        steps: None,
    };
    s.compare = Some(vec![
        v(GD, method(MethodKind::Gd, 1.0, 1, 0.0, false)),
        v(HEAVY_BALL, method(MethodKind::Gd, alpha, 1, beta_hb, false)),
        v(NESTEROV, method(MethodKind::Gd, eta_n, 1, mu, true)),
        v(SGD, method(MethodKind::Sgd, eta, b, 0.0, false)),
        v(
            MATCHED,
            method(MethodKind::Sgd, tidy(eta * (1.0 - beta)), b, beta, false),
        ),
        v(SAME_LR, method(MethodKind::Sgd, eta, b, beta, false)),
    ]);
    normalize(s);
}

pub fn knobs() -> Vec<Knob> {
    vec![
        Knob {
            key: "kappa",
            label: "Condition number κ",
            help: "L/m of the quadratic (L = 1): GD needs about κ steps per e-fold, momentum about √κ.",
            kind: KnobKind::Number {
                min: 10.0,
                max: 10_000.0,
                step: 1.0,
                log: true,
            },
            get: |s| fmt_number(kappa_of(s)),
            set: |s, v| {
                let k = v.number()?;
                match &mut s.problem {
                    ProblemSpec::RandomQuadratic { kappa, .. } => *kappa = k,
                    _ => return Err("applies to the generated quadratic only".into()),
                }
                rewrite(s, eta_of(s), batch_of(s), beta_of(s));
                Ok(())
            },
        },
        Knob {
            key: "diversity",
            label: "Gradient diversity",
            help: "The spread of the samples' own minimisers: 0, every sample is the same (SGD is GD); larger, their gradients disagree.",
            kind: KnobKind::Number {
                min: 0.0,
                max: 3.0,
                step: 0.01,
                log: false,
            },
            get: |s| fmt_number(spread_of(s)),
            set: |s, v| {
                let x = v.number()?;
                match &mut s.problem {
                    ProblemSpec::RandomQuadratic { spread, .. } => *spread = x,
                    _ => return Err("applies to the generated quadratic only".into()),
                }
                Ok(())
            },
        },
        Knob {
            key: "lr",
            label: "SGD's step η",
            help: "SGD's step; SGD with momentum β takes η(1 − β), the same effective step η.",
            kind: KnobKind::Number {
                min: 0.001,
                max: 1.0,
                step: 0.001,
                log: true,
            },
            get: |s| fmt_number(eta_of(s)),
            set: |s, v| {
                let eta = v.number()?;
                rewrite(s, eta, batch_of(s), beta_of(s));
                Ok(())
            },
        },
        Knob {
            key: "beta",
            label: "Momentum β",
            help: "PyTorch's momentum of both momentum variants: one at lr η(1 − β) (the same effective step as SGD), one at SGD's lr η (an effective step η/(1 − β)).",
            kind: KnobKind::Number {
                min: 0.0,
                max: 0.99,
                step: 0.01,
                log: false,
            },
            get: |s| fmt_number(beta_of(s)),
            set: |s, v| {
                let beta = v.number()?;
                rewrite(s, eta_of(s), batch_of(s), beta);
                Ok(())
            },
        },
        Knob {
            key: "batch",
            label: "Batch size b",
            help: "Samples per stochastic step (the GD panel uses all of them).",
            kind: KnobKind::Integer { min: 1, max: 200 },
            get: |s| batch_of(s).to_string(),
            set: |s, v| {
                let b: u64 = v.whole()?;
                let n = match &s.problem {
                    ProblemSpec::RandomQuadratic { n, .. } => *n,
                    _ => b,
                };
                if b > n {
                    return Err(format!("must be at most n = {n}"));
                }
                rewrite(s, eta_of(s), b, beta_of(s));
                Ok(())
            },
        },
        common::runs(200),
        common::steps(5000),
        common::seed(),
    ]
}

pub struct MomentumLab {
    sb: Sandbox,
    kappa: f64,
    /// ‖w_t − w*‖ of each deterministic variant, steps 0 … steps (until it diverged).
    distance: Vec<Vec<f64>>,
    /// SGD's floor: the level its exact expected gap settles at.
    floor: Option<f64>,
    /// Indices of the stochastic variants in the sandbox.
    stochastic: Vec<usize>,
    deterministic: Vec<usize>,
}

impl MomentumLab {
    pub fn new(setup: &Setup) -> Result<MomentumLab, SpecError> {
        if setup.scenario.compare.is_none() {
            return Err(SpecError::new(
                "compare",
                "is missing: the momentum lab shows its six methods as compare variants (as in its preset)",
            ));
        }
        let sb = Sandbox::new(setup)?;
        let kappa = sb
            .theory()
            .condition_number
            .unwrap_or_else(|| kappa_of(sb.scenario()));
        let w_star = setup.problem.optimum().to_vec();
        let labels: Vec<String> = sb.labels().iter().map(|l| l.to_string()).collect();
        let setups: Vec<Setup> = sb.variant_setups().into_iter().cloned().collect();
        let mut distance = Vec::new();
        let mut deterministic = Vec::new();
        let mut stochastic = Vec::new();
        let mut floor = None;
        for (i, (l, v)) in labels.iter().zip(&setups).enumerate() {
            if v.scenario.method.kind == MethodKind::Gd {
                deterministic.push(i);
                let mut run = Run::new(v, 0);
                let dist = |w: &[f64]| {
                    let e: Vec<f64> = w.iter().zip(&w_star).map(|(a, b)| a - b).collect();
                    norm2(&e).sqrt()
                };
                let mut d = vec![dist(run.w())];
                while run.step() == Outcome::Stepped {
                    d.push(dist(run.w()));
                }
                distance.push(d);
            } else {
                stochastic.push(i);
                if l == SGD {
                    floor = stationary_gap(v);
                }
            }
        }
        Ok(MomentumLab {
            sb,
            kappa,
            distance,
            floor,
            stochastic,
            deterministic,
        })
    }

    fn label(&self, i: usize) -> String {
        self.sb.labels()[i].to_string()
    }
}

impl LabSim for MomentumLab {
    fn scenario(&self) -> &Scenario {
        self.sb.scenario()
    }

    fn charts(&self) -> &'static [ChartInfo] {
        CHARTS
    }

    fn advance(&mut self, steps: u32) -> u32 {
        self.sb.advance(steps)
    }

    fn work(&mut self, budget: u32) -> f64 {
        self.sb.work(budget)
    }

    fn reset(&mut self) {
        self.sb.reset()
    }

    fn status(&self) -> Status {
        self.sb.status()
    }

    fn verdict(&self, q: usize) -> Option<crate::lab::quiz::Verdict> {
        // Momentum (at the matched step, q = 0; at SGD's own lr, q = 1) against SGD:
        // the mean gaps over the last fifth of the run (at most 200 steps).
        let st = self.sb.status();
        let other = [MATCHED, SAME_LR].get(q)?;
        if !st.done || st.progress < 1.0 {
            return None;
        }
        let t = self.sb.caption_step();
        let w = (t / 5).clamp(1, 200);
        let at = |l: &str| {
            let i = self.sb.labels().iter().position(|x| *x == l)?;
            self.window_mean(i, t, w)
        };
        let (g_sgd, g_m) = (at(SGD)?, at(other)?);
        if g_sgd.is_nan() || g_sgd <= 0.0 {
            return None;
        }
        let num = crate::lab::numbers::num;
        Some(crate::lab::quiz::Verdict {
            answer: crate::lab::quiz::compare(g_m / g_sgd),
            why: format!(
                "Mean gaps over steps {}–{t}: SGD {}, {other} {} ({} times SGD's; within a factor 1.5 counts as the same).",
                t + 1 - w.min(t + 1),
                num(g_sgd),
                num(g_m),
                num(g_m / g_sgd)
            ),
        })
    }

    fn steps_per_second(&self) -> Option<f64> {
        // The whole run in about 15 s.
        Some((self.sb.scenario().steps as f64 / 15.0).clamp(5.0, 300.0))
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
            "deterministic" => self.draw_deterministic(area, text_px),
            "stochastic" => self.draw_stochastic(area, text_px),
            other => Err(format!("momentum has no chart \"{other}\"")),
        }
    }
}
