//! Value stability: the results of the presets are pinned. A change here means every
//! saved link now shows something else — update `tests/golden/digests.txt` only on
//! purpose (`UPDATE_GOLDEN=1 cargo test --test golden`), and say so in the commit.
//! `tests/wasm_parity.rs` checks the same file from WebAssembly.

#[test]
fn preset_results_are_pinned() {
    let got = sgd_lab::digest::preset_digests();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/digests.txt");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, &got).unwrap();
    }
    let want = std::fs::read_to_string(path).unwrap();
    assert_eq!(got, want);
    assert!(want.lines().count() >= 6);
}
