//! Reading a scenario from JSON. serde_json parses the text into a [`Value`] (its syntax
//! errors keep their line and column; numbers keep their text and are parsed here by
//! the standard library, as the URL's are); the functions here map that value onto the
//! scenario's types, with a message that names the field's path, what it holds and
//! what is allowed. Written out rather than derived: the derived deserialisers
//! (internally tagged enums, path tracking) were a sixth of the WebAssembly module,
//! this is a fiftieth. Writing stays derived (`Serialize`), so the two must agree on
//! every field name and default: tests/scenario.rs round-trips every preset and
//! checks each default against the documented one.

use super::LabView;
use super::{ProblemSpec, Scenario, VariantSpec, RANDOM_SEED};
use crate::averaging::Averaging;
use crate::error::SpecError;
use crate::method::{MethodKind, MethodSpec};
use crate::sampler::Sampling;
use crate::schedule::Schedule;
use serde_json::{Map, Value};

type Res<T> = Result<T, SpecError>;
type Obj = Map<String, Value>;

/// Parses a scenario document.
pub fn scenario(text: &str) -> Res<Scenario> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        // serde_json says where: keep its line and column. (Trailing text after the
        // document is a syntax error too.)
        SpecError::new("", format!("scenario is not valid JSON: {e}"))
    })?;
    let m = object(&v, "", "a scenario object", SCENARIO)?;
    // Fields in the order of the format, so that the first problem named is the first
    // in a document written in that order.
    Ok(Scenario {
        problem: match m.get("problem") {
            Some(v) => problem(v)?,
            None => return Err(missing("", "problem")),
        },
        method: match m.get("method") {
            None => MethodSpec::default(),
            Some(v) => method(v, "method")?,
        },
        schedule: match m.get("schedule") {
            None => Schedule::default(),
            Some(v) => schedule(v, "schedule")?,
        },
        averaging: match m.get("averaging") {
            None => Averaging::default(),
            Some(v) => averaging(v, "averaging")?,
        },
        w0: opt(m, "", "w0", vector)?,
        steps: u64_or(m, "", "steps", super::default_steps())?,
        runs: u64_or(m, "", "runs", super::default_runs())?,
        seed: seed_or(m, "")?,
        compare: opt(m, "", "compare", compare)?,
        lab: opt(m, "", "lab", lab_view)?,
    })
}

const SCENARIO: &[&str] = &[
    "problem",
    "method",
    "schedule",
    "averaging",
    "w0",
    "steps",
    "runs",
    "seed",
    "compare",
    "lab",
];

const PROBLEM_KINDS: &[&str] = &[
    "least_squares",
    "quadratic",
    "logistic",
    "random_least_squares",
    "random_quadratic",
    "random_logistic",
];

fn problem(v: &Value) -> Res<ProblemSpec> {
    let p = "problem";
    let (kind, m) = tagged(v, p, PROBLEM_KINDS, None, |kind| match kind {
        "least_squares" => &["x", "y"],
        "quadratic" => &["h", "centers"],
        "logistic" => &["x", "y", "l2"],
        "random_least_squares" => &["n", "d", "noise", "kappa", "w_true", "seed", "sorted"],
        "random_quadratic" => &["n", "d", "kappa", "spread", "angle", "center", "seed"],
        _ => &["n", "d", "separation", "l2", "seed"],
    })?;
    use super::{d_angle, d_kappa, d_l2, d_n, d_one, d_one_f, d_two};
    Ok(match kind {
        "least_squares" => ProblemSpec::LeastSquares {
            x: req(m, p, "x", matrix)?,
            y: req(m, p, "y", vector)?,
        },
        "quadratic" => ProblemSpec::Quadratic {
            h: req(m, p, "h", matrix)?,
            centers: req(m, p, "centers", matrix)?,
        },
        "logistic" => ProblemSpec::Logistic {
            x: req(m, p, "x", matrix)?,
            y: req(m, p, "y", vector)?,
            l2: f64_or(m, p, "l2", 0.0)?,
        },
        "random_least_squares" => ProblemSpec::RandomLeastSquares {
            n: u64_or(m, p, "n", d_n())?,
            d: u64_or(m, p, "d", d_one())?,
            noise: f64_or(m, p, "noise", d_one_f())?,
            kappa: f64_or(m, p, "kappa", d_one_f())?,
            w_true: opt(m, p, "w_true", vector)?,
            seed: seed_or(m, p)?,
            sorted: match m.get("sorted") {
                None => false,
                Some(Value::Bool(b)) => *b,
                Some(v) => return Err(invalid_type(&join(p, "sorted"), v, "a boolean")),
            },
        },
        "random_quadratic" => ProblemSpec::RandomQuadratic {
            n: u64_or(m, p, "n", d_n())?,
            d: u64_or(m, p, "d", d_two())?,
            kappa: f64_or(m, p, "kappa", d_kappa())?,
            spread: f64_or(m, p, "spread", d_one_f())?,
            angle: f64_or(m, p, "angle", d_angle())?,
            center: opt(m, p, "center", vector)?,
            seed: seed_or(m, p)?,
        },
        _ => ProblemSpec::RandomLogistic {
            n: u64_or(m, p, "n", d_n())?,
            d: u64_or(m, p, "d", d_two())?,
            separation: f64_or(m, p, "separation", d_one_f())?,
            l2: f64_or(m, p, "l2", d_l2())?,
            seed: seed_or(m, p)?,
        },
    })
}

const METHOD: &[&str] = &[
    "kind",
    "lr",
    "batch",
    "sampling",
    "momentum",
    "dampening",
    "nesterov",
    "inner",
    "sample_weights",
    "importance_weighting",
];

fn method(v: &Value, p: &str) -> Res<MethodSpec> {
    let m = object(v, p, "a method object", METHOD)?;
    let d = MethodSpec::default();
    Ok(MethodSpec {
        kind: match m.get("kind") {
            None => d.kind,
            Some(v) => match variant(v, &join(p, "kind"), METHOD_KINDS)? {
                "gd" => MethodKind::Gd,
                "sgd" => MethodKind::Sgd,
                "svrg" => MethodKind::Svrg,
                "sag" => MethodKind::Sag,
                _ => MethodKind::Saga,
            },
        },
        lr: f64_or(m, p, "lr", d.lr)?,
        batch: u64_or(m, p, "batch", d.batch)?,
        sampling: match m.get("sampling") {
            None => d.sampling,
            Some(v) => match variant(v, &join(p, "sampling"), SAMPLINGS)? {
                "with_replacement" => Sampling::WithReplacement,
                "without_replacement" => Sampling::WithoutReplacement,
                "shuffle_once" => Sampling::ShuffleOnce,
                _ => Sampling::Cyclic,
            },
        },
        momentum: f64_or(m, p, "momentum", d.momentum)?,
        dampening: f64_or(m, p, "dampening", d.dampening)?,
        nesterov: match m.get("nesterov") {
            None => d.nesterov,
            Some(Value::Bool(b)) => *b,
            Some(v) => return Err(invalid_type(&join(p, "nesterov"), v, "a boolean")),
        },
        inner: opt(m, p, "inner", u64)?,
        sample_weights: opt(m, p, "sample_weights", vector)?,
        importance_weighting: match m.get("importance_weighting") {
            None | Some(Value::Null) => d.importance_weighting,
            Some(Value::Bool(b)) => *b,
            Some(v) => {
                return Err(invalid_type(
                    &join(p, "importance_weighting"),
                    v,
                    "a boolean",
                ))
            }
        },
    })
}

const METHOD_KINDS: &[&str] = &["gd", "sgd", "svrg", "sag", "saga"];
const SAMPLINGS: &[&str] = &[
    "with_replacement",
    "without_replacement",
    "shuffle_once",
    "cyclic",
];
const SCHEDULE_KINDS: &[&str] = &[
    "constant",
    "inverse_time",
    "inverse_sqrt",
    "exponential",
    "step",
    "cosine",
];

fn schedule(v: &Value, p: &str) -> Res<Schedule> {
    let (kind, m) = tagged(v, p, SCHEDULE_KINDS, None, |kind| match kind {
        "inverse_time" | "inverse_sqrt" => &["t0"],
        "exponential" => &["gamma"],
        "step" => &["every", "gamma"],
        "cosine" => &["steps"],
        _ => &[],
    })?;
    use crate::schedule::{default_every, default_exp_gamma, default_step_gamma, default_t0};
    Ok(match kind {
        "constant" => Schedule::Constant,
        "inverse_time" => Schedule::InverseTime {
            t0: f64_or(m, p, "t0", default_t0())?,
        },
        "inverse_sqrt" => Schedule::InverseSqrt {
            t0: f64_or(m, p, "t0", default_t0())?,
        },
        "exponential" => Schedule::Exponential {
            gamma: f64_or(m, p, "gamma", default_exp_gamma())?,
        },
        "step" => Schedule::Step {
            every: u64_or(m, p, "every", default_every())?,
            gamma: f64_or(m, p, "gamma", default_step_gamma())?,
        },
        _ => Schedule::Cosine {
            steps: opt(m, p, "steps", u64)?,
        },
    })
}

fn averaging(v: &Value, p: &str) -> Res<Averaging> {
    let (kind, m) = tagged(v, p, &["none", "polyak", "ema"], None, |kind| match kind {
        "polyak" => &["start"],
        "ema" => &["decay"],
        _ => &[],
    })?;
    Ok(match kind {
        "none" => Averaging::None,
        "polyak" => Averaging::Polyak {
            start: u64_or(m, p, "start", 0)?,
        },
        _ => Averaging::Ema {
            decay: f64_or(m, p, "decay", crate::averaging::default_decay())?,
        },
    })
}

const VARIANT: &[&str] = &["label", "method", "schedule", "averaging", "steps"];

fn compare(v: &Value, p: &str) -> Res<Vec<VariantSpec>> {
    let Value::Array(a) = v else {
        return Err(invalid_type(p, v, "a sequence of variants"));
    };
    a.iter()
        .enumerate()
        .map(|(i, v)| {
            let p = format!("{p}[{i}]");
            let m = object(v, &p, "a variant object", VARIANT)?;
            Ok(VariantSpec {
                label: match m.get("label") {
                    Some(Value::String(s)) => s.clone(),
                    Some(v) => return Err(invalid_type(&join(&p, "label"), v, "a string")),
                    None => return Err(missing(&p, "label")),
                },
                method: opt(m, &p, "method", method)?,
                schedule: opt(m, &p, "schedule", schedule)?,
                averaging: opt(m, &p, "averaging", averaging)?,
                steps: opt(m, &p, "steps", u64)?,
            })
        })
        .collect()
}

fn lab_view(v: &Value, p: &str) -> Res<LabView> {
    let m = object(
        v,
        p,
        "a lab object",
        &["id", "lr2", "shown", "x_axis", "target"],
    )?;
    Ok(LabView {
        id: match m.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(v) => return Err(invalid_type(&join(p, "id"), v, "a string")),
            None => return Err(missing(p, "id")),
        },
        lr2: opt(m, p, "lr2", f64)?,
        shown: opt(m, p, "shown", u64)?,
        x_axis: opt(m, p, "x_axis", |v, p| {
            variant(v, p, super::view::X_AXES).map(str::to_string)
        })?,
        target: opt(m, p, "target", f64)?,
    })
}

// ---- the building blocks ----

/// What a number field expects, in the messages (serde would say "f64" and "u64").
const NUMBER: &str = "a number";
const WHOLE: &str = "a whole number ≥ 0";

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// "`a`", "`a` or `b`", "one of `a`, `b`, `c`" (serde's wording).
fn one_of(names: &[&str]) -> String {
    let q: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match q.len() {
        0 => "nothing".to_string(),
        1 => q[0].clone(),
        2 => format!("{} or {}", q[0], q[1]),
        _ => format!("one of {}", q.join(", ")),
    }
}

fn invalid(path: &str, what: String) -> SpecError {
    if path.is_empty() {
        SpecError::new("", format!("scenario is not valid: {what}"))
    } else {
        SpecError::new(path, format!("is not valid: {what}"))
    }
}

fn missing(path: &str, key: &str) -> SpecError {
    invalid(path, format!("missing field `{key}`"))
}

/// What a value is, as serde words it: `string "fast"`, `integer `-1``, `map`, ….
fn unexpected(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => format!("integer `{u}`"),
            (None, Some(i), _) => format!("integer `{i}`"),
            (_, _, Some(f)) => format!("floating point `{f:?}`"),
            _ => format!("number `{n}`"),
        },
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "sequence".to_string(),
        Value::Object(_) => "map".to_string(),
    }
}

fn invalid_type(path: &str, v: &Value, expected: &str) -> SpecError {
    invalid(
        path,
        format!("invalid type: {}, expected {expected}", unexpected(v)),
    )
}

/// An object whose keys are all in `allowed`.
fn object<'a>(v: &'a Value, path: &str, what: &str, allowed: &[&str]) -> Res<&'a Obj> {
    let Value::Object(m) = v else {
        return Err(invalid_type(path, v, what));
    };
    if let Some(k) = m.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(invalid(
            &join(path, k),
            format!("unknown field `{k}`, expected {}", one_of(allowed)),
        ));
    }
    Ok(m)
}

/// One of `names`, given as a string.
fn variant<'a>(v: &Value, path: &str, names: &[&'a str]) -> Res<&'a str> {
    let Value::String(s) = v else {
        return Err(invalid_type(
            path,
            v,
            &format!("a string, {}", one_of(names)),
        ));
    };
    names.iter().copied().find(|n| n == s).ok_or_else(|| {
        invalid(
            path,
            format!("unknown variant `{s}`, expected {}", one_of(names)),
        )
    })
}

/// An object tagged by its `kind` (one of `kinds`), with the fields `fields(kind)`.
fn tagged<'a, 'k>(
    v: &'a Value,
    path: &str,
    kinds: &[&'k str],
    default: Option<&'k str>,
    fields: impl Fn(&str) -> &'static [&'static str],
) -> Res<(&'k str, &'a Obj)> {
    let Value::Object(m) = v else {
        return Err(invalid_type(path, v, "an object with a `kind`"));
    };
    let kind = match m.get("kind") {
        Some(k) => variant(k, &join(path, "kind"), kinds)?,
        None => default.ok_or_else(|| missing(path, "kind"))?,
    };
    let mut allowed = vec!["kind"];
    allowed.extend_from_slice(fields(kind));
    object(v, path, "", &allowed)?;
    Ok((kind, m))
}

fn f64(v: &Value, path: &str) -> Res<f64> {
    match v {
        // serde_json keeps the number's text (feature `arbitrary_precision`), and
        // `as_f64` parses it with the standard library, correctly rounded: the same
        // parser as the URL's, so a number reads the same from either.
        Value::Number(n) => n.as_f64().ok_or_else(|| {
            invalid(
                path,
                format!("number `{n}` is out of range (an f64 is below 1.8e308 in magnitude)"),
            )
        }),
        _ => Err(invalid_type(path, v, NUMBER)),
    }
}

fn u64(v: &Value, path: &str) -> Res<u64> {
    match v {
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Ok(u),
            (None, Some(i)) if i >= 0 => Ok(i as u64), // -0
            (None, Some(i)) => Err(invalid(
                path,
                format!("invalid value: integer `{i}`, expected {WHOLE}"),
            )),
            _ => Err(invalid_type(path, v, WHOLE)),
        },
        _ => Err(invalid_type(path, v, WHOLE)),
    }
}

fn vector(v: &Value, path: &str) -> Res<Vec<f64>> {
    let Value::Array(a) = v else {
        return Err(invalid_type(path, v, "a sequence of numbers"));
    };
    a.iter()
        .enumerate()
        .map(|(i, x)| f64(x, &format!("{path}[{i}]")))
        .collect()
}

fn matrix(v: &Value, path: &str) -> Res<Vec<Vec<f64>>> {
    let Value::Array(a) = v else {
        return Err(invalid_type(path, v, "a sequence of rows"));
    };
    a.iter()
        .enumerate()
        .map(|(i, row)| vector(row, &format!("{path}[{i}]")))
        .collect()
}

/// A required field.
fn req<T>(m: &Obj, path: &str, key: &str, read: fn(&Value, &str) -> Res<T>) -> Res<T> {
    match m.get(key) {
        Some(v) => read(v, &join(path, key)),
        None => Err(missing(path, key)),
    }
}

/// An optional field: absent or null is `None`.
fn opt<T>(m: &Obj, path: &str, key: &str, read: fn(&Value, &str) -> Res<T>) -> Res<Option<T>> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => read(v, &join(path, key)).map(Some),
    }
}

fn f64_or(m: &Obj, path: &str, key: &str, default: f64) -> Res<f64> {
    m.get(key).map_or(Ok(default), |v| f64(v, &join(path, key)))
}

fn u64_or(m: &Obj, path: &str, key: &str, default: u64) -> Res<u64> {
    m.get(key).map_or(Ok(default), |v| u64(v, &join(path, key)))
}

/// A `seed` field (default 0): an integer, or `"random"` (stored as [`RANDOM_SEED`]).
fn seed_or(m: &Obj, path: &str) -> Res<u64> {
    let p = join(path, "seed");
    match m.get("seed") {
        None => Ok(0),
        Some(Value::String(s)) if s == "random" => Ok(RANDOM_SEED),
        Some(v @ Value::Number(_)) => match u64(v, &p)? {
            // The marker's value is out of range anyway; the range check words it.
            RANDOM_SEED => Err(SpecError::new(
                p,
                format!(
                    "must be an integer from 0 to {} (2^53 − 1), got {RANDOM_SEED}",
                    super::limits::MAX_SEED
                ),
            )),
            n => Ok(n),
        },
        Some(v) => Err(invalid_type(&p, v, &format!("{WHOLE} or \"random\""))),
    }
}
