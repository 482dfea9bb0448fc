//! Knobs: the controls of a lab, each tied to one field of the scenario. One table
//! per lab drives the controls the page shows, the URL keys, and the messages for a
//! bad value — so a link, an import and a slider all go through the same checks.

use crate::error::num;
use crate::scenario::Scenario;
use serde::Serialize;

/// What a knob accepts.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum KnobKind {
    /// A number in [min, max]; `log` asks the page for a logarithmic slider.
    Number {
        min: f64,
        max: f64,
        step: f64,
        log: bool,
    },
    /// An integer in [min, max].
    Integer { min: i64, max: i64 },
    /// One of a few named values: (value, label).
    Choice {
        options: Vec<(&'static str, &'static str)>,
    },
    /// Free text the lab parses itself (points, vectors); `hint` says the format.
    Text { hint: &'static str },
}

pub type Getter = fn(&Scenario) -> String;
pub type Setter = fn(&mut Scenario, &str) -> Result<(), String>;

/// One control of a lab.
#[derive(Clone, Serialize)]
pub struct Knob {
    /// URL key and control id.
    pub key: &'static str,
    /// Visible label.
    pub label: &'static str,
    /// One sentence for the control's description (screen readers, tooltips).
    pub help: &'static str,
    #[serde(flatten)]
    pub kind: KnobKind,
    #[serde(skip)]
    pub get: Getter,
    #[serde(skip)]
    pub set: Setter,
}

impl Knob {
    /// Parses and range-checks `raw` for this knob; the error is the rest of a sentence
    /// that starts with the knob's key ("must be a number from 0.001 to 10, got abc").
    pub fn check(&self, raw: &str) -> Result<String, String> {
        let raw = raw.trim();
        match &self.kind {
            KnobKind::Number { min, max, .. } => {
                let v = parse_number(raw)
                    .filter(|v| *v >= *min && *v <= *max)
                    .ok_or_else(|| {
                        format!(
                            "must be a number from {} to {}, got {}",
                            num(*min),
                            num(*max),
                            quote(raw)
                        )
                    })?;
                Ok(fmt_number(v))
            }
            KnobKind::Integer { min, max } => {
                let v = raw
                    .parse::<i64>()
                    .ok()
                    .filter(|v| v >= min && v <= max)
                    .ok_or_else(|| {
                        format!(
                            "must be a whole number from {min} to {max}, got {}",
                            quote(raw)
                        )
                    })?;
                Ok(v.to_string())
            }
            KnobKind::Choice { options } => {
                if options.iter().any(|(v, _)| *v == raw) {
                    Ok(raw.to_string())
                } else {
                    let allowed: Vec<&str> = options.iter().map(|(v, _)| *v).collect();
                    Err(format!(
                        "must be one of {}, got {}",
                        allowed.join(", "),
                        quote(raw)
                    ))
                }
            }
            KnobKind::Text { .. } => Ok(raw.to_string()),
        }
    }

    /// Checks `raw`, then writes it into the scenario.
    pub fn apply(&self, s: &mut Scenario, raw: &str) -> Result<(), String> {
        let v = self.check(raw)?;
        (self.set)(s, &v)
    }
}

/// A number as the URL and the controls show it: the shortest form that reads back
/// to the same f64.
pub fn fmt_number(v: f64) -> String {
    if v == v.trunc() && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

pub fn parse_number(raw: &str) -> Option<f64> {
    raw.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A user's text quoted for a message, cut short if long.
pub fn quote(raw: &str) -> String {
    let cut: String = raw.chars().take(40).collect();
    if cut.len() < raw.len() {
        format!("\"{cut}…\"")
    } else {
        format!("\"{cut}\"")
    }
}

/// Parses a comma-separated list of `d` numbers ("1,-2.5").
pub fn parse_vector(raw: &str, d: usize) -> Result<Vec<f64>, String> {
    let bad = || {
        let what = if d == 1 {
            "1 number".to_string()
        } else {
            format!("{d} comma-separated numbers")
        };
        format!("must be {what} with |value| ≤ 1e6, got {}", quote(raw))
    };
    let parts: Vec<&str> = raw.split(',').map(str::trim).collect();
    if parts.len() != d {
        return Err(bad());
    }
    parts
        .iter()
        .map(|p| parse_number(p).filter(|v| v.abs() <= 1e6).ok_or_else(bad))
        .collect()
}

pub fn fmt_vector(v: &[f64]) -> String {
    v.iter()
        .map(|x| fmt_number(*x))
        .collect::<Vec<_>>()
        .join(",")
}
