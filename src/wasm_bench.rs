//! Benchmark exports for `www/bench.html` (scripts/bench-web.sh): the core's ensemble
//! in WebAssembly, and its data, so that a plain-JavaScript loop can run the very same
//! problem beside it. Handles and conversions only, like `wasm.rs`.

use crate::ensemble::Ensemble;
use crate::presets;
use crate::scenario::Setup;
use wasm_bindgen::prelude::*;

fn bench_setup(runs: u32, steps: u32) -> Result<Setup, JsError> {
    let mut s = presets::find("bench-ensemble")
        .ok_or_else(|| JsError::new("no bench-ensemble preset"))?
        .scenario();
    s.runs = runs as u64;
    s.steps = steps as u64;
    s.build().map_err(|e| JsError::new(&e.to_string()))
}

/// Runs the benchmark ensemble (1-D least squares, n = 100) with `runs` × `steps`,
/// recording the mean gap at every step, and returns the mean gap at the last step
/// (the caller times the call and checks the number).
#[wasm_bindgen]
pub fn bench_ensemble(runs: u32, steps: u32) -> Result<f64, JsError> {
    let setup = bench_setup(runs, steps)?;
    let mut ens = Ensemble::new(&setup, 0);
    ens.finish();
    Ok(ens.mean_gap().last().copied().unwrap_or(f64::NAN))
}

/// The benchmark's data and settings as JSON: `x`, `y` (the samples), `w_star`, `h`
/// (L = L* + ½ h (w − w*)²), `lr`, `w0`.
#[wasm_bindgen]
pub fn bench_data() -> Result<String, JsError> {
    let setup = bench_setup(1, 1)?;
    let crate::problem::Problem::LeastSquares(ls) = &*setup.problem else {
        return Err(JsError::new(
            "the bench-ensemble preset is not least squares",
        ));
    };
    let n = ls.n();
    Ok(serde_json::json!({
        "x": (0..n).map(|i| ls.row(i)[0]).collect::<Vec<_>>(),
        "y": (0..n).map(|i| ls.target(i)).collect::<Vec<_>>(),
        "w_star": setup.problem.optimum()[0],
        "h": ls.h()[0],
        "lr": setup.scenario.method.lr,
        "w0": setup.w0[0],
    })
    .to_string())
}
