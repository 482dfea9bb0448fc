//! The sandbox's knobs: the problem (a kind and its parameters, or the student's own
//! points), the runs, the x-axis, and the variants as one line each (`spec.rs`).
//! Knobs that do not apply to the chosen problem are not shown and not in the URL
//! ([`relevant`]); a link that names one anyway is told why it was not used.

use super::spec;
use crate::lab::common;
use crate::lab::knob::{fmt_number, Knob, KnobKind};
use crate::lab::per_sample::points::{format_points, parse_points};
use crate::scenario::{ProblemSpec, Scenario, X_AXES};

pub const MAX_N: i64 = 1000;
pub const MAX_D: i64 = 10;
pub const MAX_STEPS: i64 = 5000;
pub const MAX_RUNS: i64 = 200;

/// The problem kinds, as the `problem` knob names them.
const PROBLEMS: &[(&str, &str)] = &[
    ("quadratic", "Quadratic (κ, spread of the centres)"),
    ("least_squares", "Least squares (random data)"),
    ("logistic", "Logistic regression (random data)"),
    ("points", "Your own points (1-D least squares)"),
    (
        "step-size",
        "Preset: the step-size lab's quadratic (2-D, κ = 5)",
    ),
    (
        "momentum",
        "Preset: an ill-conditioned quadratic (2-D, κ = 100)",
    ),
    ("variance-reduction", "Preset: least squares, n = 100 (2-D)"),
    (
        "logistic-preset",
        "Preset: logistic regression, n = 200 (2-D)",
    ),
];

/// The problems of the built-in presets the sandbox offers: (knob value, preset name).
const PRESET_PROBLEMS: &[(&str, &str)] = &[
    ("step-size", "step-size"),
    ("momentum", "momentum"),
    ("variance-reduction", "variance-reduction"),
    ("logistic-preset", "logistic"),
];

/// A preset's problem and start point.
fn preset_problem(name: &str) -> Option<(ProblemSpec, Option<Vec<f64>>)> {
    let s = crate::presets::find(name)?.scenario();
    Some((s.problem, s.w0))
}

/// The parameters of every problem kind, read from (or defaulted for) a scenario.
#[derive(Clone, Debug, PartialEq)]
struct Params {
    n: u64,
    d: u64,
    kappa: f64,
    spread: f64,
    noise: f64,
    separation: f64,
    seed: u64,
}

impl Params {
    fn of(p: &ProblemSpec) -> Params {
        let mut out = Params {
            n: 50,
            d: 2,
            kappa: 10.0,
            spread: 1.0,
            noise: 1.0,
            separation: 2.0,
            seed: 1,
        };
        match p {
            ProblemSpec::RandomQuadratic {
                n,
                d,
                kappa,
                spread,
                seed,
                ..
            } => (out.n, out.d, out.kappa, out.spread, out.seed) = (*n, *d, *kappa, *spread, *seed),
            ProblemSpec::RandomLeastSquares {
                n,
                d,
                noise,
                kappa,
                seed,
                ..
            } => (out.n, out.d, out.noise, out.kappa, out.seed) = (*n, *d, *noise, *kappa, *seed),
            ProblemSpec::RandomLogistic {
                n,
                d,
                separation,
                seed,
                ..
            } => (out.n, out.d, out.separation, out.seed) = (*n, *d, *separation, *seed),
            ProblemSpec::LeastSquares { y, .. } => (out.n, out.d) = (y.len() as u64, 1),
            _ => {}
        }
        out
    }

    fn spec(&self, kind: &str) -> ProblemSpec {
        match kind {
            "least_squares" => ProblemSpec::RandomLeastSquares {
                n: self.n,
                d: self.d,
                noise: self.noise,
                kappa: self.kappa,
                w_true: None,
                seed: self.seed,
                sorted: false,
            },
            "logistic" => ProblemSpec::RandomLogistic {
                n: self.n,
                d: self.d,
                separation: self.separation,
                l2: 0.01,
                seed: self.seed,
            },
            _ => ProblemSpec::RandomQuadratic {
                n: self.n,
                d: self.d,
                kappa: self.kappa,
                spread: self.spread,
                angle: 30.0,
                center: None,
                seed: self.seed,
            },
        }
    }
}

/// The problem knob's value for a scenario.
pub fn problem_of(s: &Scenario) -> &'static str {
    for (value, name) in PRESET_PROBLEMS {
        if preset_problem(name).is_some_and(|(p, _)| p == s.problem) {
            return value;
        }
    }
    match &s.problem {
        ProblemSpec::RandomLeastSquares { .. } => "least_squares",
        ProblemSpec::RandomLogistic { .. } => "logistic",
        ProblemSpec::LeastSquares { x, .. } if x.iter().all(|r| r.len() == 1) => "points",
        ProblemSpec::RandomQuadratic { .. } => "quadratic",
        _ => "other",
    }
}

/// The problem's number of samples (what a batch may not exceed).
pub fn sample_count(s: &Scenario) -> u64 {
    sample_count_of(&s.problem)
}

/// The dimension of a generated or explicit problem.
fn problem_dim(p: &ProblemSpec) -> usize {
    match p {
        ProblemSpec::LeastSquares { x, .. } | ProblemSpec::Logistic { x, .. } => {
            x.first().map_or(1, Vec::len)
        }
        ProblemSpec::Quadratic { h, .. } => h.len(),
        p => Params::of(p).d as usize,
    }
}

fn sample_count_of(p: &ProblemSpec) -> u64 {
    match p {
        ProblemSpec::LeastSquares { y, .. } | ProblemSpec::Logistic { y, .. } => y.len() as u64,
        ProblemSpec::Quadratic { centers, .. } => centers.len() as u64,
        p => Params::of(p).n,
    }
}

/// The start point every new problem of dimension `d` gets: (−3, 3, −3, …), away from
/// the optima near (1, 1, …) of the generated problems.
pub fn default_w0(d: u64) -> Vec<f64> {
    (0..d)
        .map(|i| if i % 2 == 0 { -3.0 } else { 3.0 })
        .collect()
}

/// Sets one parameter of the current problem kind (the others are kept); a kind whose
/// dimension changed gets the default start point.
fn set_param(s: &mut Scenario, edit: impl FnOnce(&mut Params)) {
    let kind = problem_of(s);
    if !matches!(kind, "quadratic" | "least_squares" | "logistic") {
        // Nothing to set: the link's reader says why the value was not used.
        return;
    }
    let mut p = Params::of(&s.problem);
    let d = p.d;
    edit(&mut p);
    s.problem = p.spec(kind);
    if p.d != d {
        s.w0 = Some(default_w0(p.d));
    }
}

/// Whether knob `key` applies to scenario `s` (the page shows it, the URL carries it).
pub fn relevant(s: &Scenario, key: &str) -> bool {
    let kind = problem_of(s);
    match key {
        "n" | "d" | "data_seed" => matches!(kind, "quadratic" | "least_squares" | "logistic"),
        "kappa" => matches!(kind, "quadratic" | "least_squares"),
        "spread" => kind == "quadratic",
        "noise" => kind == "least_squares",
        "separation" => kind == "logistic",
        "points" => kind == "points",
        _ => true,
    }
}

/// Why knob `key` does not apply: the rest of "… was not used: …".
pub fn why_not(s: &Scenario, key: &str) -> Option<String> {
    let needs = match key {
        "n" | "d" | "data_seed" => "a generated problem (quadratic, least_squares or logistic)",
        "kappa" => "problem=quadratic or least_squares",
        "spread" => "problem=quadratic",
        "noise" => "problem=least_squares",
        "separation" => "problem=logistic",
        "points" => "problem=points",
        _ => return None,
    };
    (!relevant(s, key)).then(|| {
        format!(
            "it applies only to {needs}, and the problem is {}",
            problem_of(s)
        )
    })
}

pub fn knobs() -> Vec<Knob> {
    vec![
        Knob {
            key: "problem",
            label: "Problem",
            help: "What is minimised: a quadratic, least squares or logistic regression on generated data, or your own points.",
            kind: KnobKind::Choice {
                options: PROBLEMS.to_vec(),
            },
            get: |s| problem_of(s).to_string(),
            set: |s, v| {
                let kind = v.text();
                if kind == problem_of(s) {
                    return Ok(());
                }
                if let Some((_, name)) = PRESET_PROBLEMS.iter().find(|(v, _)| *v == kind) {
                    let (problem, w0) = preset_problem(name).expect("the preset exists (tested)");
                    let d = problem_dim(&problem);
                    check_batches(s, sample_count_of(&problem))?;
                    s.problem = problem;
                    s.w0 = Some(w0.unwrap_or_else(|| vec![0.0; d]));
                    return Ok(());
                }
                let mut p = Params::of(&s.problem);
                if kind == "points" {
                    // The lecture's eight samples, as points that the student edits.
                    let (xs, ys) = parse_points(LECTURE_POINTS).expect("valid points");
                    set_points(s, &xs, &ys);
                    s.w0 = Some(vec![-0.5]);
                    return Ok(());
                }
                if problem_of(s) == "points" {
                    p.d = 2;
                    s.w0 = Some(default_w0(2));
                }
                s.problem = p.spec(kind);
                Ok(())
            },
        },
        Knob {
            key: "n",
            label: "Samples n",
            help: "How many samples the generated problem has.",
            kind: KnobKind::Integer { min: 2, max: MAX_N },
            get: |s| Params::of(&s.problem).n.to_string(),
            set: |s, v| {
                let n: u64 = v.whole()?;
                check_batches(s, n)?;
                set_param(s, |p| p.n = n);
                Ok(())
            },
        },
        Knob {
            key: "d",
            label: "Dimension d",
            help: "How many parameters w has (the map is drawn for d = 2).",
            kind: KnobKind::Integer { min: 1, max: MAX_D },
            get: |s| Params::of(&s.problem).d.to_string(),
            set: |s, v| {
                let d: u64 = v.whole()?;
                set_param(s, |p| p.d = d);
                Ok(())
            },
        },
        Knob {
            key: "kappa",
            label: "Condition number κ",
            help: "The ratio of the largest to the smallest curvature.",
            kind: KnobKind::Number {
                min: 1.0,
                max: 1000.0,
                step: 0.1,
                log: true,
            },
            get: |s| fmt_number(Params::of(&s.problem).kappa),
            set: |s, v| {
                let k = v.number()?;
                set_param(s, |p| p.kappa = k);
                Ok(())
            },
        },
        Knob {
            key: "spread",
            label: "Spread of the centres",
            help: "How far the samples' own minimisers lie from each other (0: all agree, SGD converges).",
            kind: KnobKind::Number {
                min: 0.0,
                max: 5.0,
                step: 0.05,
                log: false,
            },
            get: |s| fmt_number(Params::of(&s.problem).spread),
            set: |s, v| {
                let x = v.number()?;
                set_param(s, |p| p.spread = x);
                Ok(())
            },
        },
        Knob {
            key: "noise",
            label: "Noise of the targets",
            help: "The standard deviation of the noise added to the targets.",
            kind: KnobKind::Number {
                min: 0.0,
                max: 10.0,
                step: 0.05,
                log: false,
            },
            get: |s| fmt_number(Params::of(&s.problem).noise),
            set: |s, v| {
                let x = v.number()?;
                set_param(s, |p| p.noise = x);
                Ok(())
            },
        },
        Knob {
            key: "separation",
            label: "Class separation",
            help: "How far apart the two classes lie (large: nearly separable).",
            kind: KnobKind::Number {
                min: 0.0,
                max: 10.0,
                step: 0.1,
                log: false,
            },
            get: |s| fmt_number(Params::of(&s.problem).separation),
            set: |s, v| {
                let x = v.number()?;
                set_param(s, |p| p.separation = x);
                Ok(())
            },
        },
        Knob {
            key: "data_seed",
            label: "Data seed",
            help: "Picks the generated data; the same seed gives the same problem.",
            kind: KnobKind::Integer {
                min: 0,
                max: 9_007_199_254_740_991,
            },
            get: |s| Params::of(&s.problem).seed.to_string(),
            set: |s, v| {
                let seed: u64 = v.whole()?;
                set_param(s, |p| p.seed = seed);
                Ok(())
            },
        },
        Knob {
            key: "points",
            label: "Points x:y",
            help: "Your samples for a 1-D least-squares fit y ≈ w x, as x:y separated by commas.",
            kind: KnobKind::Text {
                hint: "x:y,x:y,… (e.g. 1:1,0.8:1.6)",
            },
            get: |s| match &s.problem {
                ProblemSpec::LeastSquares { x, y } if problem_of(s) == "points" => {
                    let xs: Vec<f64> = x.iter().map(|r| r[0]).collect();
                    format_points(&xs, y)
                }
                _ => String::new(),
            },
            set: |s, v| {
                let (xs, ys) = parse_points(v.text())?;
                if xs.len() < 2 || xs.len() as i64 > MAX_N {
                    return Err(format!(
                        "must hold 2 to {MAX_N} points, got {}",
                        xs.len()
                    ));
                }
                check_batches(s, xs.len() as u64)?;
                if problem_of(s) != "points" {
                    s.w0 = Some(vec![-0.5]);
                }
                set_points(s, &xs, &ys);
                Ok(())
            },
        },
        common::w0("w₁,w₂,… (d numbers)"),
        common::steps(MAX_STEPS),
        common::runs(MAX_RUNS),
        common::seed(),
        Knob {
            key: "x",
            label: "x-axis",
            help: "What the loss chart counts along: steps, per-sample gradient evaluations (the fair cost), samples processed, or epochs.",
            kind: KnobKind::Choice {
                options: vec![
                    (X_AXES[0], "Steps"),
                    (X_AXES[1], "Gradient evaluations"),
                    (X_AXES[2], "Samples processed"),
                    (X_AXES[3], "Epochs"),
                ],
            },
            get: |s| super::x_axis_of(s).id().to_string(),
            set: |s, v| {
                s.lab.get_or_insert_with(Default::default).x_axis = Some(v.text().to_string());
                Ok(())
            },
        },
        Knob {
            key: "variants",
            label: "Variants",
            help: "One line per method, separated by \";\": a name, then the method and its settings.",
            kind: KnobKind::Variants {
                hint: "Name: sgd lr=0.1 batch=4 momentum=0.9 inverse_time t0=20 polyak; …",
                max: spec::MAX,
            },
            get: |s| spec::format_all(s.compare.as_deref().unwrap_or(&[])),
            set: |s, v| {
                s.compare = Some(spec::parse_all(v.text(), sample_count(s))?);
                spec::normalize(s);
                Ok(())
            },
        },
    ]
}

/// A problem of `n` samples must leave every variant's batch possible (b ≤ n).
fn check_batches(s: &Scenario, n: u64) -> Result<(), String> {
    for v in s.compare.iter().flatten() {
        let m = v.method.as_ref().unwrap_or(&s.method);
        if m.kind != crate::method::MethodKind::Gd && m.batch > n {
            return Err(format!(
                "must be at least the batch of variant {} ({}), got {n}; lower its batch first",
                crate::lab::knob::quote(&v.label),
                m.batch
            ));
        }
    }
    Ok(())
}

/// The lecture's eight samples (per-sample's data), where "your own points" starts.
const LECTURE_POINTS: &str = "1:1,0.8:1.6,1.2:3,0.6:0.9,1.1:1.65,0.9:2.25,1.4:2.1,0.7:1.89";

fn set_points(s: &mut Scenario, xs: &[f64], ys: &[f64]) {
    s.problem = ProblemSpec::LeastSquares {
        x: xs.iter().map(|&x| vec![x]).collect(),
        y: ys.to_vec(),
    };
}
