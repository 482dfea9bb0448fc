//! Knobs that several labs share.

use super::knob::{fmt_number, fmt_vector, Knob, KnobKind};
use crate::scenario::ProblemSpec;
use crate::scenario::Scenario;

pub fn lr(min: f64, max: f64) -> Knob {
    Knob {
        key: "lr",
        label: "Step size η",
        help: "The learning rate of every step.",
        kind: KnobKind::Number {
            min,
            max,
            step: 0.001,
            log: true,
        },
        get: |s| fmt_number(s.method.lr),
        set: |s, v| {
            s.method.lr = v.number()?;
            Ok(())
        },
    }
}

pub fn seed() -> Knob {
    Knob {
        key: "seed",
        label: "Seed",
        help: "Picks which samples SGD draws; the same seed replays the same run.",
        kind: KnobKind::Integer {
            min: 0,
            max: 9_007_199_254_740_991,
        },
        get: |s| s.seed.to_string(),
        set: |s, v| {
            s.seed = v.whole()?;
            Ok(())
        },
    }
}

pub fn steps(max: i64) -> Knob {
    Knob {
        key: "steps",
        label: "Steps",
        help: "How many steps a run takes.",
        kind: KnobKind::Integer { min: 10, max },
        get: |s| s.steps.to_string(),
        set: |s, v| {
            s.steps = v.whole()?;
            Ok(())
        },
    }
}

pub fn batch(max: i64) -> Knob {
    Knob {
        key: "batch",
        label: "Batch size b",
        help: "How many samples each step averages.",
        kind: KnobKind::Integer { min: 1, max },
        get: |s| s.method.batch.to_string(),
        set: |s, v| {
            s.method.batch = v.whole()?;
            Ok(())
        },
    }
}

pub fn runs(max: i64) -> Knob {
    Knob {
        key: "runs",
        label: "Runs",
        help: "How many independent runs (every student trains once).",
        kind: KnobKind::Integer { min: 1, max },
        get: |s| s.runs.to_string(),
        set: |s, v| {
            s.runs = v.whole()?;
            Ok(())
        },
    }
}

/// The start point as "x" or "x,y" (the problem's dimension is read from the
/// scenario's current `w0`).
pub fn w0(hint: &'static str) -> Knob {
    Knob {
        key: "w0",
        label: "Start point w₀",
        help: "Where every run starts; click on the picture to move it.",
        kind: KnobKind::Vector { hint },
        get: |s| fmt_vector(s.w0.as_deref().unwrap_or(&[0.0])),
        set: |s, v| {
            let d = s.w0.as_ref().map_or(1, |w| w.len());
            s.w0 = Some(v.vector(d)?);
            Ok(())
        },
    }
}

/// The scenario's start point (zeros of dimension d if unset).
pub fn start(s: &Scenario, d: usize) -> Vec<f64> {
    s.w0.clone().unwrap_or_else(|| vec![0.0; d])
}

/// A choice of variants a lab offers as one knob: (value, label, the variants' labels
/// in order). Used by variance-reduction's `methods` and epochs' `modes`.
pub type VariantSet = (&'static str, &'static str, &'static [&'static str]);

/// The value of the set whose labels are exactly the scenario's variants, or
/// `fallback` when none is (a file with other variants: a link keeps the knobs only).
pub fn set_shown(s: &Scenario, sets: &[VariantSet], fallback: &'static str) -> &'static str {
    let labels: Vec<&str> = s
        .compare
        .iter()
        .flatten()
        .map(|v| v.label.as_str())
        .collect();
    sets.iter()
        .find(|(_, _, l)| *l == labels.as_slice())
        .map(|(v, ..)| *v)
        .unwrap_or(fallback)
}

/// The labels of set `value`, or the message naming the values allowed.
pub fn set_labels(sets: &[VariantSet], value: &str) -> Result<&'static [&'static str], String> {
    sets.iter()
        .find(|(v, ..)| *v == value)
        .map(|(_, _, l)| *l)
        .ok_or_else(|| {
            let values: Vec<&str> = sets.iter().map(|(v, ..)| *v).collect();
            format!("must be one of {}", values.join(", "))
        })
}

/// The samples, target noise and data seed of generated least squares (`None` for any
/// other problem): what the `n`, `spread` and `data_seed` knobs below edit.
pub fn generated(s: &Scenario) -> Option<(u64, f64, u64)> {
    match &s.problem {
        ProblemSpec::RandomLeastSquares { n, noise, seed, .. } => Some((*n, *noise, *seed)),
        _ => None,
    }
}

/// Edits generated least squares, or says the knob applies to it only.
fn edit_generated(
    s: &mut Scenario,
    f: impl FnOnce(&mut u64, &mut f64, &mut u64),
) -> Result<(), String> {
    match &mut s.problem {
        ProblemSpec::RandomLeastSquares { n, noise, seed, .. } => {
            f(n, noise, seed);
            Ok(())
        }
        _ => Err("applies to generated data only".into()),
    }
}

/// The number of generated samples, `min` … `max` (`help` says what a sample is drawn as).
pub fn samples(min: i64, max: i64, help: &'static str) -> Knob {
    Knob {
        key: "n",
        label: "Samples n",
        help,
        kind: KnobKind::Integer { min, max },
        get: |s| generated(s).map_or(0, |g| g.0).to_string(),
        set: |s, v| {
            let k: u64 = v.whole()?;
            edit_generated(s, |n, _, _| *n = k)
        },
    }
}

/// The noise of the generated targets: how far the samples' own minimisers scatter.
pub fn spread(label: &'static str, help: &'static str) -> Knob {
    Knob {
        key: "spread",
        label,
        help,
        kind: KnobKind::Number {
            min: 0.0,
            max: 5.0,
            step: 0.05,
            log: false,
        },
        get: |s| fmt_number(generated(s).map_or(1.0, |g| g.1)),
        set: |s, v| {
            let x: f64 = v.number()?;
            edit_generated(s, |_, noise, _| *noise = x)
        },
    }
}

/// The seed of the generated samples.
pub fn data_seed() -> Knob {
    Knob {
        key: "data_seed",
        label: "Data seed",
        help: "Which random samples are generated.",
        kind: KnobKind::Integer {
            min: 0,
            max: 9_007_199_254_740_991,
        },
        get: |s| generated(s).map_or(0, |g| g.2).to_string(),
        set: |s, v| {
            let k: u64 = v.whole()?;
            edit_generated(s, |_, _, seed| *seed = k)
        },
    }
}

/// The problem check of a lab that draws every sample (`each`: "one bar each"): the
/// problem `fits` (it is `what`, e.g. "1-D least squares") and has at most `max_n`
/// samples; otherwise the message that says so.
pub fn require_problem(
    p: &crate::problem::Problem,
    fits: bool,
    lab: &str,
    what: &str,
    max_n: u64,
    each: &str,
) -> Result<(), crate::error::SpecError> {
    use crate::error::SpecError;
    if !fits {
        return Err(SpecError::new(
            "problem",
            format!(
                "must be {what} in the {lab} lab, got {} with d = {}",
                p.kind(),
                p.d()
            ),
        ));
    }
    if p.n() as u64 > max_n {
        return Err(SpecError::new(
            "problem",
            format!(
                "must have at most {max_n} samples in the {lab} lab ({each}), got {}",
                p.n()
            ),
        ));
    }
    Ok(())
}
