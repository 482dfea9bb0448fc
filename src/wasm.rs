//! The WebAssembly binding: handles and conversions only; the logic lives in the core.
//!
//! Every fallible export returns `Result<_, JsError>`, so JavaScript receives a real
//! `Error` whose message is the core's [`SpecError`](crate::SpecError) text (it names
//! the field, the value and what is allowed).

use crate::presets;
use crate::scenario::Scenario;
use wasm_bindgen::prelude::*;

/// The crate version, e.g. `0.1.0` (shown in the page footer).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The scenario JSON of the built-in preset `name` (a lab id such as `per-sample`).
#[wasm_bindgen]
pub fn preset_json(name: &str) -> Result<String, JsError> {
    presets::find(name)
        .map(|p| p.json.to_string())
        .ok_or_else(|| {
            let known: Vec<&str> = presets::PRESETS.iter().map(|p| p.name).collect();
            JsError::new(&format!(
                "unknown preset {name:?}; known presets: {}",
                known.join(", ")
            ))
        })
}

/// Parses and validates a scenario; returns it normalised (defaults filled in, pretty
/// JSON), or an `Error` whose message is the validation error.
#[wasm_bindgen]
pub fn validate_scenario(json: &str) -> Result<String, JsError> {
    let scenario = Scenario::from_json(json).map_err(|e| JsError::new(&e.to_string()))?;
    let setup = scenario.build().map_err(|e| JsError::new(&e.to_string()))?;
    Ok(setup.scenario.to_json())
}
