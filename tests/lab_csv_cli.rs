//! Every lab's CSV export against the real command line: the lab's exported scenario is
//! written to a file, `sgd-lab run` (or `run --summary` for ensembles) reads it in a
//! separate process, and every cell of the CSV must be the number the CLI printed,
//! bit for bit — at the defaults, after knob changes, and after an import that adds
//! averaging (the avg_* columns).
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use sgd_lab::averaging::Averaging;
use sgd_lab::lab::{self, Lab};
use sgd_lab::Scenario;
use std::process::Command;

fn pairs(q: &[(&str, &str)]) -> Vec<(String, String)> {
    q.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// What `sgd-lab run [--summary] FILE` prints for this scenario (`sgd-lab theory
/// FILE` when `summary` is `None`).
fn cli(s: &Scenario, summary: Option<bool>, name: &str) -> Value {
    let dir = std::env::temp_dir().join(format!("sgd-lab-csv-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}.json"));
    std::fs::write(&file, s.to_json()).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sgd-lab"));
    match summary {
        None => cmd.arg("theory"),
        Some(false) => cmd.arg("run"),
        Some(true) => cmd.arg("run").arg("--summary"),
    };
    let out = cmd.arg(&file).output().unwrap();
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn num(v: &Value, what: &str) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{what}: {v}"))
}

/// Compares every cell of `csv` with the CLI's JSON `res`, column by column.
fn assert_csv_is_cli(csv: &str, res: &Value, name: &str) {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    // Rows per run (step-size exports every run of η₁, with a `run` column).
    let mut rows_of_run: Vec<usize> = Vec::new();
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells.len(), header.len(), "{name}: {line}");
        let r: usize = if header[0] == "run" {
            cells[0].parse().unwrap()
        } else {
            0
        };
        if rows_of_run.len() <= r {
            rows_of_run.resize(r + 1, 0);
        }
        let t = rows_of_run[r];
        rows_of_run[r] += 1;
        let run = &res["runs"][r];
        for (col, cell) in header.iter().zip(&cells) {
            let at = format!("{name} run {r} row {t} column {col}");
            let want: Option<f64> = match *col {
                "run" => Some(r as f64),
                "step" => Some(t as f64),
                "loss" | "gap" | "avg_gap" => Some(num(&run[*col][t], &at)),
                "grad_evals" => Some(num(&run["grad_evals"][t], &at)),
                "lr" if t == 0 => None,
                "lr" => Some(num(&run["lr"][t - 1], &at)),
                "indices" => {
                    let want = if t == 0 {
                        String::new()
                    } else {
                        run["indices"][t - 1]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|i| i.to_string())
                            .collect::<Vec<_>>()
                            .join(" ")
                    };
                    assert_eq!(*cell, want, "{at}");
                    continue;
                }
                "mean_gap" | "std_gap" | "min_gap" | "max_gap" | "mean_avg_gap" => {
                    Some(num(&res[*col][t], &at))
                }
                // expected-loss's theory columns, against `sgd-lab theory`.
                "bound" | "bound_floor" | "bound_geometric" => {
                    let b = &res["theory"]["bound"];
                    if b.is_null() {
                        None
                    } else if *col == "bound" {
                        Some(num(&b["curve"][t], &at))
                    } else if *col == "bound_floor" {
                        Some(num(&b["floor"], &at))
                    } else {
                        // (1 − ηm)^t (L(w0) − L*): the power's last bit may differ
                        // between libm and std, so to 1e-14.
                        let (rate, gap0) = (num(&b["rate"], &at), num(&b["initial_gap"], &at));
                        let want = rate.powi(t as i32) * gap0;
                        let got: f64 = cell.parse().unwrap();
                        assert!((got - want).abs() <= 1e-14 * want, "{at}: {got} vs {want}");
                        continue;
                    }
                }
                // Not printed by the CLI: tests/lab_expected_loss.rs checks them against
                // the recursion and the runs' own quantiles.
                "band_lo" | "band_hi" | "exact_mean_gap" => continue,
                c if c.starts_with("avg_w") => {
                    let k: usize = c[5..].parse().unwrap();
                    Some(num(&run["avg_w"][t][k], &at))
                }
                c if c.starts_with('w') => {
                    let k: usize = c[1..].parse().unwrap();
                    Some(num(&run["w"][t][k], &at))
                }
                other => panic!("{name}: unknown column {other}"),
            };
            match want {
                None => assert_eq!(*cell, "", "{at}"),
                Some(w) => {
                    let got: f64 = cell.parse().unwrap_or_else(|_| panic!("{at}: {cell}"));
                    assert_eq!(got.to_bits(), w.to_bits(), "{at}: CSV {got}, CLI {w}");
                }
            }
        }
    }
    if header.contains(&"mean_gap") {
        let want = res["mean_gap"].as_array().unwrap().len();
        assert_eq!(rows_of_run, vec![want], "{name}: one row per step");
    } else {
        let runs = res["runs"].as_array().unwrap();
        assert_eq!(rows_of_run.len(), runs.len(), "{name}: every run");
        for (r, rows) in rows_of_run.iter().enumerate() {
            assert_eq!(
                *rows,
                runs[r]["gap"].as_array().unwrap().len(),
                "{name} run {r}"
            );
        }
    }
}

fn check(q: &[(&str, &str)], averaging: Option<Averaging>, name: &str) {
    let got = lab::from_query(&pairs(q)).unwrap();
    assert!(got.warnings.is_empty(), "{name}: {:?}", got.warnings);
    let mut s = got.scenario;
    if let Some(a) = averaging {
        // As an imported file would: a setting the knobs do not show.
        s.averaging = a;
    }
    let mut l = Lab::new(&s).unwrap();
    while l.status().progress < 1.0 {
        l.work(1_000_000);
    }
    l.advance(7);
    let csv = l.csv();
    let ensemble = csv.starts_with("step,mean_gap");
    let mut res = cli(l.scenario(), Some(ensemble), name);
    let header = csv.lines().next().unwrap();
    if header.contains(",bound") {
        res["theory"] = cli(l.scenario(), None, name);
    }
    assert_eq!(
        header.contains("avg"),
        l.scenario().averaging != Averaging::None,
        "{name}: averaging adds its columns: {header}"
    );
    assert_csv_is_cli(&csv, &res, name);
}

#[test]
fn every_lab_s_csv_is_what_the_command_line_prints_for_its_exported_scenario() {
    let polyak = || Some(Averaging::Polyak { start: 5 });
    let ema = Some(Averaging::Ema { decay: 0.8 });
    check(&[("lab", "per-sample")], None, "per-sample-defaults");
    check(
        &[
            ("lab", "per-sample"),
            ("lr", "0.7"),
            ("n", "12"),
            ("spread", "2"),
            ("data_seed", "3"),
            ("steps", "40"),
        ],
        None,
        "per-sample-knobs",
    );
    check(
        &[("lab", "per-sample"), ("steps", "30")],
        polyak(),
        "per-sample-polyak",
    );
    check(&[("lab", "step-size")], None, "step-size-defaults");
    check(
        &[
            ("lab", "step-size"),
            ("kappa", "20"),
            ("lr", "0.02"),
            ("lr2", "0.5"),
            ("batch", "3"),
            ("seed", "9"),
        ],
        None,
        "step-size-knobs",
    );
    check(&[("lab", "step-size")], ema, "step-size-ema");
    // decay and the sandbox export a `variant` column: tests/lab_decay.rs and
    // tests/lab_sandbox.rs compare them with `sgd-lab run --summary`.
    check(
        &[("lab", "expected-loss"), ("runs", "30"), ("steps", "80")],
        None,
        "expected-loss-small",
    );
    check(
        &[
            ("lab", "expected-loss"),
            ("runs", "25"),
            ("steps", "60"),
            ("lr", "0.2"),
            ("batch", "4"),
            ("seed", "3"),
        ],
        None,
        "expected-loss-knobs",
    );
    check(
        &[("lab", "expected-loss"), ("runs", "20"), ("steps", "50")],
        polyak(),
        "expected-loss-polyak",
    );
}
