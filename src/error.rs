//! The one error type that crosses every edge (CLI, wasm, URL): it names the field
//! path, what was wrong with the value and what is allowed.

use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub struct SpecError {
    /// Dotted path of the offending field, e.g. `method.lr` or `problem.x[3][0]`.
    pub path: String,
    /// The rest of the sentence: `must be a finite number > 0, got -1`.
    pub message: String,
}

impl SpecError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> SpecError {
        SpecError {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{} {}", self.path, self.message)
        }
    }
}

impl std::error::Error for SpecError {}

/// Formats a number the way messages quote it: `-1`, `0.5`, `1e300`, `NaN`.
pub fn num(v: f64) -> String {
    if v.is_finite() && v == v.trunc() && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}
