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

/// The text of `"key":` up to the next top-level key `next` in a one-line JSON object.
fn field_text<'a>(text: &'a str, key: &str, next: &str) -> &'a str {
    let start = text.find(&format!("\"{key}\":")).unwrap() + key.len() + 3;
    let end = start + text[start..].find(&format!(",\"{next}\":")).unwrap();
    &text[start..end]
}

const COMPARE: &str = r#"{"problem": {"kind": "random_least_squares", "n": 40, "d": 1, "seed": 3},
  "method": {"lr": 0.05}, "w0": [-2], "steps": 30, "runs": 12, "seed": 8,
  "compare": [
    {"label": "plain"},
    {"label": "momentum 0.9", "method": {"lr": 0.01, "momentum": 0.9}},
    {"label": "svrg", "method": {"kind": "svrg", "lr": 0.1}},
    {"label": "1/t, polyak", "schedule": {"kind": "inverse_time", "t0": 5}, "averaging": {"kind": "polyak", "start": 10}}
  ]}"#;

/// COMPARE's variant `i` written as a scenario of its own.
fn compare_variant(i: usize) -> String {
    let mut v: serde_json::Value = serde_json::from_str(COMPARE).unwrap();
    let o = v.as_object_mut().unwrap();
    let variant = o.remove("compare").unwrap()[i].clone();
    for (k, x) in variant.as_object().unwrap() {
        if k != "label" {
            o.insert(k.clone(), x.clone());
        }
    }
    v.to_string()
}

#[test]
fn run_with_compare_prints_every_variant_as_its_own_run_byte_for_byte() {
    for flags in [&["run", "-"][..], &["run", "-", "--summary"][..]] {
        let out = sgd_lab(flags, Some(COMPARE));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        // {"optimum": …, "variants": [{"label": …, <the stand-alone result's keys>}, …]}
        let mut want = String::new();
        for i in 0..4 {
            let alone = sgd_lab(flags, Some(&compare_variant(i)));
            let alone = String::from_utf8(alone.stdout).unwrap();
            if i == 0 {
                want = format!(
                    "{{\"optimum\":{},\"variants\":[",
                    field_text(&alone, "optimum", "runs_total")
                );
            } else {
                want.push(',');
            }
            let label = serde_json::from_str::<serde_json::Value>(COMPARE).unwrap()["compare"][i]
                ["label"]
                .to_string();
            want += &format!("{{\"label\":{label},{}", &alone.trim_end()[1..]);
        }
        want += "]}\n";
        assert_eq!(text, want, "{flags:?}");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let kept = if flags.len() == 3 { 3 } else { 12 };
        assert_eq!(v["variants"][3]["runs"].as_array().unwrap().len(), kept);
        assert_eq!(v["variants"][3]["runs_total"], 12);
        assert!(v["variants"][3]["mean_avg_gap"].is_array());
    }
    // The size limit counts every variant's points.
    let big = COMPARE.replace(
        r#""steps": 30, "runs": 12"#,
        r#""steps": 1000, "runs": 600"#,
    );
    let err = one_line_error(&sgd_lab(&["run", "-"], Some(&big)));
    assert_eq!(err, "sgd-lab: variants × runs × (steps + 1) = 2402400 is more than 2000000 points for a full result; add --summary");
}

#[test]
fn theory_with_compare_reports_the_bound_and_stable_step_per_variant() {
    let v = json_of(&sgd_lab(&["theory", "-"], Some(COMPARE)));
    let plain = json_of(&sgd_lab(&["theory", "-"], Some(&compare_variant(0))));
    assert_eq!(v["smoothness"], plain["smoothness"]);
    assert_eq!(v["max_stable_lr"], plain["max_stable_lr"]);
    assert!(v.get("bound").is_none());
    let vs = v["variants"].as_array().unwrap();
    assert_eq!(vs.len(), 4);
    assert_eq!(vs[0]["label"], "plain");
    assert_eq!(vs[0]["bound"], plain["bound"]);
    assert!(vs[0]["bound"]["curve"].is_array());
    assert_eq!(
        vs[1]["bound_note"],
        "the bound is for plain SGD, without momentum"
    );
    assert_eq!(vs[2]["bound_note"], "the bound is for GD and plain SGD");
    assert_eq!(vs[3]["bound_note"], "the bound is for a constant step size");
    let ls = v["smoothness"].as_f64().unwrap();
    assert_eq!(vs[0]["max_stable_lr"].as_f64().unwrap(), 2.0 / ls);
    assert_eq!(vs[1]["max_stable_lr"].as_f64().unwrap(), 2.0 * 1.9 / ls);
}

#[test]
fn a_random_seed_is_drawn_printed_and_reproduces_the_run() {
    let doc = r#"{"problem": {"kind": "random_least_squares", "n": 30, "seed": "random"},
      "method": {"lr": 0.1}, "steps": 25, "runs": 4, "seed": "random"}"#;
    let first = sgd_lab(&["run", "-"], Some(doc));
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let first = String::from_utf8(first.stdout).unwrap();
    let v: serde_json::Value = serde_json::from_str(&first).unwrap();
    let scenario = &v["scenario"];
    let max = (1u64 << 53) - 1;
    let seed = scenario["seed"].as_u64().expect("a number");
    let data_seed = scenario["problem"]["seed"].as_u64().expect("a number");
    assert!(seed <= max && data_seed <= max, "{seed} {data_seed}");
    // The printed scenario runs to the same result (without "scenario": nothing drawn),
    // twice alike.
    let again = sgd_lab(&["run", "-"], Some(&scenario.to_string()));
    let again = String::from_utf8(again.stdout).unwrap();
    let third =
        String::from_utf8(sgd_lab(&["run", "-"], Some(&scenario.to_string())).stdout).unwrap();
    assert_eq!(again, third);
    let result = again.trim_end().strip_suffix('}').unwrap();
    assert!(
        first.starts_with(&format!("{result},\"scenario\":{{")),
        "{first:.200}"
    );
    // A second draw differs (the chance of equal 53-bit draws is 2^-53).
    let other = json_of(&sgd_lab(&["run", "-"], Some(doc)));
    assert_ne!(other["scenario"]["seed"], scenario["seed"]);
    // theory prints the scenario too; render names the drawn numbers on stderr.
    let th = json_of(&sgd_lab(&["theory", "-"], Some(doc)));
    assert!(th["scenario"]["problem"]["seed"].as_u64().unwrap() <= max);
    let svg = sgd_lab(&["render", "-", "--out", "-"], Some(doc));
    assert!(
        svg.status.success(),
        "{}",
        String::from_utf8_lossy(&svg.stderr)
    );
    let note = String::from_utf8(svg.stderr).unwrap();
    assert!(
        note.starts_with("sgd-lab: \"random\" drawn: seed = "),
        "{note}"
    );
    assert!(note.contains(", problem.seed = "), "{note}");
}
