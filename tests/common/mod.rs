#![allow(dead_code)]
use sgd_lab::{Scenario, Setup};

/// Parses and validates a scenario, panicking with the error's text.
pub fn setup(json: &str) -> Setup {
    Scenario::from_json(json)
        .unwrap_or_else(|e| panic!("parse: {e}"))
        .build()
        .unwrap_or_else(|e| panic!("build: {e}"))
}

/// The validation error's text of a scenario that must be rejected.
pub fn rejection(json: &str) -> String {
    match Scenario::from_json(json) {
        Err(e) => e.to_string(),
        Ok(s) => match s.build() {
            Err(e) => e.to_string(),
            Ok(_) => panic!("accepted: {json}"),
        },
    }
}

pub fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1e-300)
}
