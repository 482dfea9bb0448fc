#![cfg(not(target_arch = "wasm32"))]
//! The `sgd-lab` binary: output shapes, determinism, and one-line errors with status 2.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn sgd_lab(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sgd-lab"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        // The program may exit (rightly) before reading its input: a broken pipe is fine.
        let _ = child.stdin.take().unwrap().write_all(text.as_bytes());
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn json_of(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A failing call: exit status 2 and exactly one line on stderr, no panic text.
fn one_line_error(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(2),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let err = String::from_utf8(out.stderr.clone()).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
    err.trim_end().to_string()
}

const DOC: &str = r#"{"problem": {"kind": "least_squares", "x": [[1.0], [2.0], [0.5]], "y": [1.0, 3.0, 2.0]},
  "method": {"kind": "sgd", "lr": 0.1, "batch": 1}, "averaging": {"kind": "ema", "decay": 0.9},
  "w0": [0.0], "steps": 20, "runs": 3, "seed": 5}"#;

#[test]
fn run_prints_the_documented_result() {
    let v = json_of(&sgd_lab(&["run", "-"], Some(DOC)));
    // w* = Σ x y / Σ x² = (1 + 6 + 1)/(1 + 4 + 0.25).
    let ws = v["optimum"]["w"][0].as_f64().unwrap();
    assert!((ws - 8.0 / 5.25).abs() < 1e-15);
    assert!(v["optimum"]["loss"].as_f64().unwrap() > 0.0);
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 3);
    for r in runs {
        assert_eq!(r["w"].as_array().unwrap().len(), 21);
        assert_eq!(r["w"][0], serde_json::json!([0.0]));
        for key in ["loss", "gap", "grad_evals", "avg_gap"] {
            assert_eq!(r[key].as_array().unwrap().len(), 21, "{key}");
        }
        assert_eq!(r["avg_w"].as_array().unwrap().len(), 21);
        assert_eq!(r["lr"].as_array().unwrap().len(), 20);
        assert_eq!(r["indices"].as_array().unwrap().len(), 20);
        assert!(r["indices"]
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b.as_array().unwrap().len() == 1));
        assert!(r["diverged_at"].is_null());
        assert_eq!(r["grad_evals"][20], 20);
    }
    // The mean gap is the mean of the runs' gaps.
    for t in [0, 7, 20] {
        let m: f64 = runs
            .iter()
            .map(|r| r["gap"][t].as_f64().unwrap())
            .sum::<f64>()
            / 3.0;
        assert!((v["mean_gap"][t].as_f64().unwrap() - m).abs() <= 1e-15 * m.max(1e-300));
    }
    assert_eq!(v["mean_avg_gap"].as_array().unwrap().len(), 21);
}

#[test]
fn run_is_byte_identical_across_invocations_and_files_equal_stdin() {
    let a = sgd_lab(&["run", "-"], Some(DOC));
    let b = sgd_lab(&["run", "-"], Some(DOC));
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
    let path = std::env::temp_dir().join(format!("sgd-lab-cli-{}.json", std::process::id()));
    std::fs::write(&path, DOC).unwrap();
    let c = sgd_lab(&["run", path.to_str().unwrap()], None);
    std::fs::remove_file(&path).ok();
    assert_eq!(a.stdout, c.stdout);
}

#[test]
fn summary_keeps_a_few_runs_of_a_large_ensemble() {
    let doc = r#"{"problem": {"kind": "random_least_squares", "n": 100, "seed": 1}, "method": {"lr": 0.05}, "w0": [-3], "steps": 1000, "runs": 10000}"#;
    let err = one_line_error(&sgd_lab(&["run", "-"], Some(doc)));
    assert!(err.contains("--summary"), "{err}");
    let out = sgd_lab(&["run", "--summary", "-"], Some(doc));
    assert!(out.stdout.len() < 400_000, "{} bytes", out.stdout.len());
    let v = json_of(&out);
    assert_eq!(v["runs_total"], 10000);
    assert_eq!(v["runs"].as_array().unwrap().len(), 3);
    assert_eq!(v["mean_gap"].as_array().unwrap().len(), 1001);
}

#[test]
fn theory_prints_the_named_numbers() {
    let v = json_of(&sgd_lab(&["theory", "-"], Some(DOC)));
    for key in [
        "optimum",
        "smoothness",
        "strong_convexity",
        "condition_number",
        "sigma0",
        "sigma",
        "per_sample_minimizers",
        "zone_of_confusion",
        "max_stable_lr",
    ] {
        assert!(v.get(key).is_some(), "{key} missing");
    }
    // h = mean x² = 5.25/3: L_s = m = h, κ = 1, 2/L_s.
    let h = 5.25 / 3.0;
    assert!((v["smoothness"].as_f64().unwrap() - h).abs() < 1e-15);
    assert!((v["max_stable_lr"].as_f64().unwrap() - 2.0 / h).abs() < 1e-14);
    assert_eq!(v["zone_of_confusion"], serde_json::json!([1.0, 4.0]));
}

#[test]
fn presets_list_and_print_scenarios_that_run() {
    let out = sgd_lab(&["presets"], None);
    let list = String::from_utf8(out.stdout).unwrap();
    for id in ["per-sample", "step-size", "decay", "expected-loss"] {
        assert!(list.lines().any(|l| l.starts_with(id)), "{id} not listed");
    }
    let preset = sgd_lab(&["preset", "step-size"], None);
    let text = String::from_utf8(preset.stdout).unwrap();
    let v = json_of(&sgd_lab(&["run", "-"], Some(&text)));
    assert_eq!(v["runs"][0]["w"].as_array().unwrap().len(), 301);
    let err = one_line_error(&sgd_lab(&["preset", "nope"], None));
    assert!(err.contains("per-sample"), "{err}");
}

#[test]
fn bad_input_is_one_line_with_status_2() {
    let cases: &[(&[&str], Option<&str>, &str)] = &[
        (
            &["run", "-"],
            Some(
                r#"{"problem": {"kind": "least_squares", "x": [[1.0]], "y": [1.0]}, "method": {"lr": -1}}"#,
            ),
            "sgd-lab: method.lr must be a finite number > 0, got -1",
        ),
        (
            &["run", "-"],
            Some("garbage"),
            "sgd-lab: scenario is not valid JSON",
        ),
        (
            &["run", "-"],
            Some(""),
            "sgd-lab: scenario is not valid JSON",
        ),
        (
            &["run", "/nonexistent/s.json"],
            None,
            "sgd-lab: cannot read /nonexistent/s.json",
        ),
        (&["run"], None, "sgd-lab: run needs a scenario FILE"),
        (
            &["run", "-", "--sumary"],
            Some(DOC),
            "sgd-lab: run: unknown option --sumary",
        ),
        (
            &["frobnicate"],
            None,
            "sgd-lab: unknown command \"frobnicate\"",
        ),
        (
            &["theory", "-"],
            Some(r#"{"problem": {"kind": "quadratic", "h": [[0]], "centers": [[1]]}}"#),
            "sgd-lab: problem.h must be positive definite",
        ),
    ];
    for (args, stdin, want) in cases {
        let err = one_line_error(&sgd_lab(args, *stdin));
        assert!(err.starts_with(want), "{args:?}: {err}");
    }
}

#[test]
fn a_diverging_run_reports_its_step_and_prints_no_nan() {
    let doc = r#"{"problem": {"kind": "least_squares", "x": [[1.0], [2.0]], "y": [1.0, 2.0]}, "method": {"kind": "gd", "lr": 10}, "steps": 1000}"#;
    let out = sgd_lab(&["run", "-"], Some(doc));
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    // serde_json would print a non-finite number as null: the only nulls allowed are fields that may be null.
    assert_eq!(text.matches("null").count(), 0, "{text}");
    let v = json_of(&out);
    let at = v["runs"][0]["diverged_at"].as_u64().expect("diverged");
    assert_eq!(v["runs"][0]["w"].as_array().unwrap().len() as u64, at);
    assert_eq!(v["diverged"][0]["step"].as_u64(), Some(at));
    assert!(v["runs"][0]["gap"]
        .as_array()
        .unwrap()
        .iter()
        .all(|g| g.as_f64().unwrap().is_finite()));
}
