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
    /// On or off: `true` or `false` (a checkbox).
    Bool,
    /// A point: numbers separated by commas, each finite with |value| ≤ 1e6 (the lab
    /// checks the dimension); `hint` says the format, e.g. `x,y`.
    Vector { hint: &'static str },
    /// Free text the lab parses itself (points); `hint` says the format.
    Text { hint: &'static str },
    /// The sandbox's variants: text (`Name: method …; Name: …`) that the page edits
    /// one variant per row, with at most `max` rows.
    Variants { hint: &'static str, max: usize },
}

pub type Getter = fn(&Scenario) -> String;
/// Writes a value that [`Knob::parse`] accepted into the scenario.
pub type Setter = fn(&mut Scenario, &KnobValue) -> Result<(), String>;

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

/// A knob's value, parsed and checked against its kind ([`Knob::parse`]).
#[derive(Clone, Debug, PartialEq)]
pub enum KnobValue {
    Number(f64),
    Integer(i64),
    /// One of the knob's options (its value).
    Choice(&'static str),
    Bool(bool),
    /// A point's coordinates (as many as were written).
    Vector(Vec<f64>),
    /// Text the lab parses itself (trimmed).
    Text(String),
}

impl KnobValue {
    /// A number knob's value.
    pub fn number(&self) -> Result<f64, String> {
        match self {
            KnobValue::Number(v) => Ok(*v),
            _ => Err("is not a number".to_string()),
        }
    }

    /// An integer knob's value, as the field's type.
    pub fn whole<T: TryFrom<i64>>(&self) -> Result<T, String> {
        match self {
            KnobValue::Integer(v) => T::try_from(*v).ok(),
            _ => None,
        }
        .ok_or_else(|| "is not a whole number".to_string())
    }

    /// A bool knob's value.
    pub fn flag(&self) -> Result<bool, String> {
        match self {
            KnobValue::Bool(b) => Ok(*b),
            _ => Err("is not true or false".to_string()),
        }
    }

    /// A vector knob's value with exactly `d` coordinates; the error is the rest of a
    /// sentence that starts with the knob's key.
    pub fn vector(&self, d: usize) -> Result<Vec<f64>, String> {
        match self {
            KnobValue::Vector(v) if v.len() == d => Ok(v.clone()),
            _ => Err(format!(
                "must be {} with |value| ≤ 1e6, got {}",
                numbers(d),
                quote(&self.to_raw())
            )),
        }
    }

    /// A choice's or a text knob's value.
    pub fn text(&self) -> &str {
        match self {
            KnobValue::Choice(v) => v,
            KnobValue::Text(t) => t,
            _ => "",
        }
    }

    /// The value as the URL and the controls show it.
    pub fn to_raw(&self) -> String {
        match self {
            KnobValue::Number(v) => fmt_number(*v),
            KnobValue::Integer(v) => v.to_string(),
            KnobValue::Choice(v) => v.to_string(),
            KnobValue::Bool(b) => b.to_string(),
            KnobValue::Vector(v) => fmt_vector(v),
            KnobValue::Text(t) => t.clone(),
        }
    }
}

impl Knob {
    /// Parses and range-checks `raw` for this knob, once; the error is the rest of a
    /// sentence that starts with the knob's key ("must be a number from 0.001 to 10,
    /// got abc").
    pub fn parse(&self, raw: &str) -> Result<KnobValue, String> {
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
                Ok(KnobValue::Number(v))
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
                Ok(KnobValue::Integer(v))
            }
            KnobKind::Choice { options } => {
                if let Some((v, _)) = options.iter().find(|(v, _)| *v == raw) {
                    Ok(KnobValue::Choice(v))
                } else {
                    let allowed: Vec<&str> = options.iter().map(|(v, _)| *v).collect();
                    Err(format!(
                        "must be one of {}, got {}",
                        allowed.join(", "),
                        quote(raw)
                    ))
                }
            }
            KnobKind::Bool => match raw {
                "true" => Ok(KnobValue::Bool(true)),
                "false" => Ok(KnobValue::Bool(false)),
                _ => Err(format!("must be true or false, got {}", quote(raw))),
            },
            KnobKind::Vector { .. } => raw
                .split(',')
                .map(|p| parse_number(p).filter(|v| v.abs() <= 1e6))
                .collect::<Option<Vec<f64>>>()
                .map(KnobValue::Vector)
                .ok_or_else(|| {
                    format!(
                        "must be numbers separated by commas, each with |value| ≤ 1e6, got {}",
                        quote(raw)
                    )
                }),
            KnobKind::Text { .. } | KnobKind::Variants { .. } => {
                Ok(KnobValue::Text(raw.to_string()))
            }
        }
    }

    /// [`Knob::parse`], as the URL shows the value.
    pub fn check(&self, raw: &str) -> Result<String, String> {
        self.parse(raw).map(|v| v.to_raw())
    }

    /// Checks `raw`, then writes it into the scenario.
    pub fn apply(&self, s: &mut Scenario, raw: &str) -> Result<(), String> {
        let v = self.parse(raw)?;
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

/// "1 number", "2 comma-separated numbers", … (for messages).
fn numbers(d: usize) -> String {
    if d == 1 {
        "1 number".to_string()
    } else {
        format!("{d} comma-separated numbers")
    }
}

/// Parses a comma-separated list of `d` numbers ("1,-2.5").
pub fn parse_vector(raw: &str, d: usize) -> Result<Vec<f64>, String> {
    let bad = || {
        format!(
            "must be {} with |value| ≤ 1e6, got {}",
            numbers(d),
            quote(raw)
        )
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

#[cfg(test)]
mod tests {
    use super::*;

    fn knob(kind: KnobKind) -> Knob {
        Knob {
            key: "k",
            label: "K",
            help: "",
            kind,
            get: |_| String::new(),
            set: |_, _| Ok(()),
        }
    }

    #[test]
    fn parse_gives_typed_values_in_range_and_says_what_is_allowed() {
        let lr = knob(KnobKind::Number {
            min: 0.001,
            max: 4.0,
            step: 0.001,
            log: true,
        });
        assert_eq!(lr.parse(" 0.25 "), Ok(KnobValue::Number(0.25)));
        assert_eq!(lr.parse("4"), Ok(KnobValue::Number(4.0)));
        assert_eq!(lr.check("4.0"), Ok("4".to_string()));
        for bad in ["4.01", "0", "NaN", "inf", "abc", ""] {
            assert_eq!(
                lr.parse(bad),
                Err(format!("must be a number from 0.001 to 4, got \"{bad}\"")),
                "{bad}"
            );
        }
        let runs = knob(KnobKind::Integer { min: 1, max: 500 });
        assert_eq!(runs.parse("500"), Ok(KnobValue::Integer(500)));
        assert_eq!(
            runs.parse("2.5"),
            Err("must be a whole number from 1 to 500, got \"2.5\"".to_string())
        );
        assert!(runs.parse("0").is_err() && runs.parse("501").is_err());
        let sched = knob(KnobKind::Choice {
            options: vec![("constant", "Constant"), ("step", "Step decay")],
        });
        assert_eq!(sched.parse("step"), Ok(KnobValue::Choice("step")));
        assert_eq!(
            sched.parse("Step"),
            Err("must be one of constant, step, got \"Step\"".to_string())
        );
        let text = knob(KnobKind::Text { hint: "x,y" });
        assert_eq!(text.parse(" 1,2 "), Ok(KnobValue::Text("1,2".into())));
    }

    #[test]
    fn bool_and_vector_knobs_parse_once_and_say_what_is_allowed() {
        let on = knob(KnobKind::Bool);
        assert_eq!(on.parse(" true"), Ok(KnobValue::Bool(true)));
        assert_eq!(on.check("false"), Ok("false".to_string()));
        assert_eq!(on.parse("true").unwrap().flag(), Ok(true));
        for bad in ["yes", "1", "True", ""] {
            assert_eq!(
                on.parse(bad),
                Err(format!("must be true or false, got \"{bad}\"")),
                "{bad}"
            );
        }
        let w0 = knob(KnobKind::Vector { hint: "x,y" });
        let v = w0.parse(" -3 , 3.5 ").unwrap();
        assert_eq!(v, KnobValue::Vector(vec![-3.0, 3.5]));
        assert_eq!(v.to_raw(), "-3,3.5");
        assert_eq!(v.vector(2), Ok(vec![-3.0, 3.5]));
        assert_eq!(
            v.vector(1),
            Err("must be 1 number with |value| ≤ 1e6, got \"-3,3.5\"".to_string())
        );
        assert_eq!(
            w0.parse("1,2,3").unwrap().vector(2),
            Err("must be 2 comma-separated numbers with |value| ≤ 1e6, got \"1,2,3\"".to_string())
        );
        for bad in ["1;2", "1,,2", "x, y", "1,NaN", "1,2e7", ""] {
            assert_eq!(
                w0.parse(bad),
                Err(format!(
                    "must be numbers separated by commas, each with |value| ≤ 1e6, got \"{bad}\""
                )),
                "{bad}"
            );
        }
    }
}
