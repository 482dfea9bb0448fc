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
