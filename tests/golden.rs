//! Value stability: the results of the presets are pinned. A change here means every
//! saved link now shows something else — update `tests/golden/digests.txt` only on
//! purpose (`UPDATE_GOLDEN=1 cargo test --test golden`), and say so in the commit.
//! `tests/wasm_parity.rs` checks the same file from WebAssembly. The pins only catch
//! change; what stands behind the numbers are the independent checks: the closed
//! forms and exact recursions (closed_forms.rs, theory.rs), the kernel against the
//! generic path (ensemble_lanes.rs), the statistics against two passes
//! (ensemble_stats.rs) and the Python replay (tests/external).

#[test]
fn preset_results_are_pinned() {
    let got = sgd_lab::digest::preset_digests();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/digests.txt");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        // Writing the pins from the code's own output proves nothing; never in CI.
        assert!(
            std::env::var_os("CI").is_none(),
            "UPDATE_GOLDEN is refused under CI: update the pins on purpose, locally"
        );
        std::fs::write(path, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(path).unwrap();
    assert_eq!(got, want);
    assert!(want.lines().count() >= 6);
}
