//! The knob table of `step-size`.

use super::{DEFAULT_LR2, MAX_PATHS, MAX_STEPS};
use crate::lab::common;
use crate::lab::knob::{fmt_number, Knob, KnobKind};
use crate::scenario::{ProblemSpec, Scenario};

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

pub(super) fn lr2_of(s: &Scenario) -> f64 {
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
                s.method.lr = v.number()?;
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
                let lr2 = v.number()?;
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
                s.runs = v.whole()?;
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
                let k: f64 = v.number()?;
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
                let sp: f64 = v.number()?;
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
