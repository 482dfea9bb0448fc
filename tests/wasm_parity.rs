//! The same presets give the same bits in WebAssembly as natively (see golden.rs).
//! Run with `scripts/test-wasm.sh` (wasm-bindgen-test in node).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn preset_results_match_the_native_digests() {
    assert_eq!(
        sgd_lab::digest::preset_digests(),
        include_str!("golden/digests.txt")
    );
}

/// `draw_seed` works in WebAssembly (getrandom's `wasm_js`: crypto.getRandomValues).
#[wasm_bindgen_test]
fn seeds_are_drawn_in_webassembly_too() {
    use sgd_lab::scenario::{draw_seed, limits::MAX_SEED};
    let draws: Vec<u64> = (0..8).map(|_| draw_seed()).collect();
    assert!(draws.iter().all(|&d| d <= MAX_SEED), "{draws:?}");
    // Eight 53-bit draws are all different but with probability below 1e-14.
    let mut u = draws.clone();
    u.sort_unstable();
    u.dedup();
    assert_eq!(u.len(), 8);
}

/// A compared variant is its stand-alone scenario in WebAssembly too.
#[wasm_bindgen_test]
fn variants_are_stand_alone_runs_in_webassembly_too() {
    use sgd_lab::report::{compare_result, run_result};
    use sgd_lab::Scenario;
    let base = r#""problem": {"kind": "random_quadratic", "n": 10, "seed": 1}, "w0": [1, -1], "steps": 40, "runs": 20, "seed": 2"#;
    let method = r#"{"lr": 0.02, "momentum": 0.9}"#;
    let both = Scenario::from_json(&format!(
        r#"{{{base}, "compare": [{{"label": "plain"}}, {{"label": "heavy", "method": {method}}}]}}"#
    ))
    .unwrap()
    .build()
    .unwrap();
    let alone = Scenario::from_json(&format!(r#"{{{base}, "method": {method}}}"#))
        .unwrap()
        .build()
        .unwrap();
    let got = compare_result(&both, true);
    assert_eq!(
        serde_json::to_string(&got.variants[1].result).unwrap(),
        serde_json::to_string(&run_result(&alone, true)).unwrap()
    );
}
