//! The knob table of `per-sample`, and which data set a scenario holds.

use super::points::{explicit_points, format_points, materialize, parse_points, set_points};
use super::MAX_N;
use crate::lab::common;
use crate::lab::knob::{fmt_number, Knob, KnobKind};
use crate::scenario::{ProblemSpec, Scenario};

/// Random data, when switched to from explicit data.
const DEFAULT_N: u64 = 20;
const DEFAULT_SPREAD: f64 = 1.0;
const DEFAULT_DATA_SEED: u64 = 1;

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
        sorted: false,
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

pub fn knobs() -> Vec<Knob> {
    vec![
        common::lr(0.001, 3.0),
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
                match v.text() {
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
                if v.text().is_empty() {
                    return Ok(());
                }
                let (xs, ys) = parse_points(v.text())?;
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
                let n: u64 = v.whole()?;
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
                let spread: f64 = v.number()?;
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
                let seed: u64 = v.whole()?;
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
