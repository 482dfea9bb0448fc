//! The sandbox's variants as one line of text each, for the URL and the page:
//!
//! ```text
//! SGD: sgd lr=0.1
//! Heavy ball: sgd lr=0.05 momentum=0.9
//! Averaged: sgd lr=0.1 batch=4 without_replacement polyak start=100
//! 1/t: sgd lr=0.5 inverse_time t0=20
//! ```
//!
//! `label:` (optional; without it the label is the rest of the line) then the method
//! as [`method_label`] writes it — its kind (`gd`, `sgd`, `svrg`, `sag`, `saga`),
//! `lr=`, `batch=`, a sampling (`with_replacement`, `without_replacement`, `shuffle_once`, `cyclic`),
//! `momentum=`, `dampening=`, `nesterov`, `inner=` — then, when not constant, a schedule
//! (`inverse_time`, `inverse_sqrt`, `exponential`, `step`, `cosine`, with `t0=`,
//! `gamma=`, `every=`) and, when there is one, an averaging (`polyak` with `start=`,
//! `ema` with `decay=`). Fields not written take the format's defaults (docs/SCENARIO.md).
//! Variants are separated by `;` in the `variants` knob. Reading checks every value with
//! the scenario's own checks, so a line that reads is a variant that runs.

use crate::averaging::Averaging;
use crate::error::num;
use crate::lab::knob::{parse_number, quote};
use crate::method::{MethodKind, MethodSpec};
use crate::sampler::Sampling;
use crate::scenario::{check_averaging, check_method, check_schedule, VariantSpec};
use crate::schedule::Schedule;

/// Most variants the sandbox shows side by side.
pub const MAX: usize = 6;
/// Longest label, in characters.
pub const MAX_LABEL: usize = 32;

const METHODS: &[(&str, MethodKind)] = &[
    ("gd", MethodKind::Gd),
    ("sgd", MethodKind::Sgd),
    ("svrg", MethodKind::Svrg),
    ("sag", MethodKind::Sag),
    ("saga", MethodKind::Saga),
];
const SAMPLINGS: &[(&str, Sampling)] = &[
    ("with_replacement", Sampling::WithReplacement),
    ("without_replacement", Sampling::WithoutReplacement),
    ("shuffle_once", Sampling::ShuffleOnce),
    ("cyclic", Sampling::Cyclic),
];
const SCHEDULES: &[&str] = &[
    "constant",
    "inverse_time",
    "inverse_sqrt",
    "exponential",
    "step",
    "cosine",
];
const AVERAGINGS: &[&str] = &["polyak", "ema"];

/// Every word a line may hold after the method kind, for the message about a stray one.
const WORDS: &str = "lr=, batch=, momentum=, dampening=, nesterov, inner=, with_replacement, without_replacement, shuffle_once, cyclic, a schedule (inverse_time, inverse_sqrt, exponential, step, cosine, with t0=, gamma=, every=) or an averaging (polyak start=, ema decay=)";

/// The line of a variant (its label, then its fields).
pub fn format(v: &VariantSpec) -> String {
    let m = v.method.clone().unwrap_or_default();
    let mut out = format!("{}: {}", v.label, crate::scenario::method_label(&m));
    match v.schedule.as_ref().unwrap_or(&Schedule::Constant) {
        Schedule::Constant => {}
        Schedule::InverseTime { t0 } => out += &format!(" inverse_time t0={}", num(*t0)),
        Schedule::InverseSqrt { t0 } => out += &format!(" inverse_sqrt t0={}", num(*t0)),
        Schedule::Exponential { gamma } => out += &format!(" exponential gamma={}", num(*gamma)),
        Schedule::Step { every, gamma } => {
            out += &format!(" step every={every} gamma={}", num(*gamma))
        }
        Schedule::Cosine { steps: None } => out += " cosine",
        Schedule::Cosine { steps: Some(k) } => out += &format!(" cosine steps={k}"),
    }
    match v.averaging.as_ref().unwrap_or(&Averaging::None) {
        Averaging::None => {}
        Averaging::Polyak { start } => out += &format!(" polyak start={start}"),
        Averaging::Ema { decay } => out += &format!(" ema decay={}", num(*decay)),
    }
    out
}

/// Writes every variant whole (its method, schedule and averaging named, none taken
/// from the base) and the base as the first variant, so that a scenario read back from
/// its link is the same value: the base's own fields are not shown by any knob.
pub fn normalize(s: &mut crate::scenario::Scenario) {
    let Some(list) = s.compare.as_mut() else {
        return;
    };
    for v in list.iter_mut() {
        v.method.get_or_insert_with(|| s.method.clone());
        v.schedule.get_or_insert_with(|| s.schedule.clone());
        v.averaging.get_or_insert_with(|| s.averaging.clone());
    }
    if let Some(first) = list.first() {
        s.method = first.method.clone().unwrap_or_default();
        s.schedule = first.schedule.clone().unwrap_or_default();
        s.averaging = first.averaging.clone().unwrap_or_default();
    }
}

/// All variants, separated by "; ".
pub fn format_all(list: &[VariantSpec]) -> String {
    list.iter().map(format).collect::<Vec<_>>().join("; ")
}

/// Reads the `variants` knob: 1 to [`MAX`] lines separated by `;`, with unique labels,
/// each checked for a problem of `n` samples. The error is the rest of a sentence that
/// starts with the knob's key.
pub fn parse_all(raw: &str, n: u64) -> Result<Vec<VariantSpec>, String> {
    let lines: Vec<&str> = raw
        .split(';')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() || lines.len() > MAX {
        return Err(format!(
            "must hold 1 to {MAX} variants separated by \";\", got {}",
            lines.len()
        ));
    }
    let mut out: Vec<VariantSpec> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let v = parse(line, n).map_err(|e| format!("variant {}: {e}", i + 1))?;
        if out.iter().any(|o| o.label == v.label) {
            return Err(format!(
                "variant {}: the label {} is used twice; each variant needs its own",
                i + 1,
                quote(&v.label)
            ));
        }
        out.push(v);
    }
    Ok(out)
}

/// Reads one line; `n` is the problem's number of samples (a batch may not exceed it).
pub fn parse(line: &str, n: u64) -> Result<VariantSpec, String> {
    let (label, rest) = match line.split_once(':') {
        Some((l, r)) => (l.trim().to_string(), r.trim()),
        None => (String::new(), line.trim()),
    };
    let mut words = rest.split_whitespace();
    let kind_word = words.next().unwrap_or("");
    let kind = METHODS
        .iter()
        .find(|(w, _)| *w == kind_word)
        .map(|(_, k)| *k)
        .ok_or_else(|| {
            format!(
                "must start with a method (gd, sgd, svrg, sag or saga), got {}",
                quote(kind_word)
            )
        })?;
    let mut m = MethodSpec {
        kind,
        ..MethodSpec::default()
    };
    let mut schedule: Option<&str> = None;
    let mut averaging: Option<&str> = None;
    let (mut t0, mut gamma, mut every, mut steps) = (None, None, None, None);
    let (mut start, mut decay) = (None, None);
    let mut seen: Vec<&str> = Vec::new();
    for w in words {
        let (key, value) = match w.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (w, None),
        };
        if seen.contains(&key) {
            return Err(format!("{} is given twice", quote(key)));
        }
        seen.push(key);
        let number = || -> Result<f64, String> {
            value
                .and_then(parse_number)
                .ok_or_else(|| format!("{key}= must be followed by a number, got {}", quote(w)))
        };
        let whole = || -> Result<u64, String> {
            value.and_then(|v| v.parse::<u64>().ok()).ok_or_else(|| {
                format!(
                    "{key}= must be followed by a whole number, got {}",
                    quote(w)
                )
            })
        };
        match (key, value.is_some()) {
            ("lr", true) => m.lr = number()?,
            ("batch", true) => m.batch = whole()?,
            ("momentum", true) => m.momentum = number()?,
            ("dampening", true) => m.dampening = number()?,
            ("inner", true) => m.inner = Some(whole()?),
            ("nesterov", false) => m.nesterov = true,
            ("t0", true) => t0 = Some(number()?),
            ("gamma", true) => gamma = Some(number()?),
            ("every", true) => every = Some(whole()?),
            ("steps", true) => steps = Some(whole()?),
            ("start", true) => start = Some(whole()?),
            ("decay", true) => decay = Some(number()?),
            (k, false) if SAMPLINGS.iter().any(|(s, _)| *s == k) => {
                if seen
                    .iter()
                    .filter(|s| SAMPLINGS.iter().any(|(x, _)| x == *s))
                    .count()
                    > 1
                {
                    return Err("names two samplings; pick one".to_string());
                }
                m.sampling = SAMPLINGS.iter().find(|(s, _)| *s == k).unwrap().1;
            }
            (k, false) if SCHEDULES.contains(&k) => {
                if schedule.replace(k).is_some() {
                    return Err("names two schedules; pick one".to_string());
                }
            }
            (k, false) if AVERAGINGS.contains(&k) => {
                if averaging.replace(k).is_some() {
                    return Err("names two averagings; pick one".to_string());
                }
            }
            _ => {
                return Err(format!(
                    "does not know {}; after the method it takes {WORDS}",
                    quote(w)
                ))
            }
        }
    }
    use crate::schedule::{default_every, default_exp_gamma, default_step_gamma, default_t0};
    let owner = |param: &str, value: bool, owners: &str, named: bool| -> Result<(), String> {
        if value && !named {
            Err(format!(
                "{param}= belongs to {owners}, which the line does not name"
            ))
        } else {
            Ok(())
        }
    };
    let sch = schedule.unwrap_or("constant");
    owner(
        "t0",
        t0.is_some(),
        "inverse_time or inverse_sqrt",
        matches!(sch, "inverse_time" | "inverse_sqrt"),
    )?;
    owner(
        "gamma",
        gamma.is_some(),
        "exponential or step",
        matches!(sch, "exponential" | "step"),
    )?;
    owner("every", every.is_some(), "step", sch == "step")?;
    owner("steps", steps.is_some(), "cosine", sch == "cosine")?;
    owner(
        "start",
        start.is_some(),
        "polyak",
        averaging == Some("polyak"),
    )?;
    owner("decay", decay.is_some(), "ema", averaging == Some("ema"))?;
    let schedule = match sch {
        "constant" => Schedule::Constant,
        "inverse_time" => Schedule::InverseTime {
            t0: t0.unwrap_or(default_t0()),
        },
        "inverse_sqrt" => Schedule::InverseSqrt {
            t0: t0.unwrap_or(default_t0()),
        },
        "exponential" => Schedule::Exponential {
            gamma: gamma.unwrap_or(default_exp_gamma()),
        },
        "step" => Schedule::Step {
            every: every.unwrap_or(default_every()),
            gamma: gamma.unwrap_or(default_step_gamma()),
        },
        _ => Schedule::Cosine { steps },
    };
    let averaging = match averaging {
        None => Averaging::None,
        Some("polyak") => Averaging::Polyak {
            start: start.unwrap_or(0),
        },
        Some(_) => Averaging::Ema {
            decay: decay.unwrap_or(crate::averaging::default_decay()),
        },
    };
    // The scenario's own checks, with the line's words as the path.
    let rest_of = |e: crate::error::SpecError| {
        let key = e.path.rsplit('.').next().unwrap_or("").to_string();
        format!("{key} {}", e.message)
    };
    check_method(&m, n, "method").map_err(rest_of)?;
    check_schedule(&schedule, "schedule").map_err(rest_of)?;
    check_averaging(&averaging, "averaging").map_err(rest_of)?;
    let label = if label.is_empty() {
        rest.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        label
    };
    if label.chars().count() > MAX_LABEL {
        return Err(format!(
            "the label {} is longer than {MAX_LABEL} characters",
            quote(&label)
        ));
    }
    if label.contains(';') {
        return Err(format!("the label {} may not hold \";\"", quote(&label)));
    }
    Ok(VariantSpec {
        label,
        method: Some(m),
        schedule: Some(schedule),
        averaging: Some(averaging),
        steps: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_reads_back_from_what_it_writes() {
        for line in [
            "SGD: sgd lr=0.1",
            "Heavy ball: sgd lr=0.05 momentum=0.9",
            "Nesterov: sgd lr=0.05 momentum=0.9 nesterov",
            "Averaged: sgd lr=0.1 batch=4 without_replacement polyak start=100",
            "1/t: sgd lr=0.5 inverse_time t0=20",
            "Steps: sgd lr=0.5 step every=50 gamma=0.3 ema decay=0.95",
            "GD: gd lr=0.5",
            "SVRG: svrg lr=0.1 inner=20",
            "SAGA: saga lr=0.1 batch=2 cyclic cosine",
        ] {
            let v = parse(line, 50).unwrap_or_else(|e| panic!("{line}: {e}"));
            assert_eq!(format(&v), line);
        }
        // Order of words is free; defaults are not written back.
        let v = parse("x: sgd polyak momentum=0.5 lr=0.2 with_replacement", 10).unwrap();
        assert_eq!(format(&v), "x: sgd lr=0.2 momentum=0.5 polyak start=0");
        assert_eq!(v.method.as_ref().unwrap().momentum, 0.5);
        // No label: the line is its own label.
        assert_eq!(parse("sgd lr=0.3", 10).unwrap().label, "sgd lr=0.3");
    }

    #[test]
    fn a_bad_line_says_what_was_wrong_and_what_is_allowed() {
        let err = |line: &str| parse(line, 10).unwrap_err();
        assert_eq!(
            err("A: adam lr=0.1"),
            "must start with a method (gd, sgd, svrg, sag or saga), got \"adam\""
        );
        assert_eq!(
            err("A: sgd lr=-1"),
            "lr must be a finite number > 0, got -1"
        );
        assert_eq!(
            err("A: sgd lr=abc"),
            "lr= must be followed by a number, got \"lr=abc\""
        );
        assert_eq!(
            err("A: sgd batch=11"),
            "batch must be between 1 and n = 10, got 11"
        );
        assert_eq!(
            err("A: sgd momentum=1"),
            "momentum must be in [0, 1), got 1"
        );
        assert_eq!(
            err("A: sgd nesterov"),
            "nesterov needs momentum > 0 and dampening = 0 (as in PyTorch), got momentum 0 and dampening 0"
        );
        assert_eq!(
            err("A: sgd t0=5"),
            "t0= belongs to inverse_time or inverse_sqrt, which the line does not name"
        );
        assert_eq!(err("A: sgd lr=0.1 lr=0.2"), "\"lr\" is given twice");
        assert!(
            err("A: sgd fast").starts_with("does not know \"fast\"; after the method it takes lr=")
        );
        assert_eq!(err("A: sgd ema decay=1"), "decay must be in [0, 1), got 1");
        assert_eq!(
            err("A: sgd step every=0"),
            "every must be an integer ≥ 1, got 0"
        );
        assert!(err(&format!("{}: sgd", "x".repeat(33))).contains("longer than 32"));
    }

    #[test]
    fn the_list_has_one_to_six_variants_with_unique_labels() {
        let two = parse_all("A: sgd lr=0.1; B: gd lr=0.2;", 10).unwrap();
        assert_eq!(format_all(&two), "A: sgd lr=0.1; B: gd lr=0.2");
        assert_eq!(
            parse_all(" ; ", 10).unwrap_err(),
            "must hold 1 to 6 variants separated by \";\", got 0"
        );
        let seven = ["sgd lr=0.1"; 7].join(";");
        assert!(parse_all(&seven, 10).unwrap_err().ends_with("got 7"));
        assert_eq!(
            parse_all("A: sgd; A: gd", 10).unwrap_err(),
            "variant 2: the label \"A\" is used twice; each variant needs its own"
        );
        assert_eq!(
            parse_all("A: sgd; B: sgd lr=0", 10).unwrap_err(),
            "variant 2: lr must be a finite number > 0, got 0"
        );
    }
}
