//! The ensemble track's CSV of several variants against the real command line: the
//! same scenario with `compare`, read by `sgd-lab run --summary` in a separate process;
//! every cell of every variant's rows must be the number the CLI printed for that
//! variant, bit for bit (a `variant` column first, rows grouped by variant, a diverging
//! variant's rows ending where its mean does, empty avg cells for a variant without
//! averaging).
#![cfg(not(target_arch = "wasm32"))]

use serde_json::{json, Value};
use sgd_lab::lab::engine::ensemble::EnsembleTrack;
use sgd_lab::Scenario;
use std::process::Command;

fn scenario() -> Value {
    json!({
        "problem": {"kind": "least_squares", "x": [[1.5], [2.0], [1.8], [0.4], [1.1]], "y": [1, 3, 2, 0, 1]},
        "method": {"kind": "sgd", "lr": 0.1},
        "w0": [2.5], "steps": 80, "runs": 21, "seed": 11,
        "compare": [
            {"label": "sgd, η = 0.1"},
            {"label": "gd", "method": {"kind": "gd", "lr": 0.2}},
            {"label": "ema", "averaging": {"kind": "ema", "decay": 0.8}},
            {"label": "too large", "method": {"kind": "sgd", "lr": 10.0}}
        ]
    })
}

fn cli(doc: &Value) -> Value {
    let dir = std::env::temp_dir().join(format!("sgd-lab-engine-csv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("compare.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sgd-lab"))
        .args(["run", "--summary"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The label cell (quoted as RFC 4180 says when it holds a comma) and the rest.
fn split_label(line: &str) -> (String, &str) {
    if let Some(rest) = line.strip_prefix('"') {
        let end = rest.find("\",").expect("a closing quote");
        (rest[..end].replace("\"\"", "\""), &rest[end + 2..])
    } else {
        let (l, r) = line.split_once(',').unwrap();
        (l.to_string(), r)
    }
}

#[test]
fn the_csv_of_several_variants_is_what_sgd_lab_run_prints_cell_by_cell() {
    let doc = scenario();
    let setup = Scenario::from_json(&doc.to_string())
        .unwrap()
        .build()
        .unwrap();
    let variants: Vec<(String, _)> = setup
        .variant_setups()
        .into_iter()
        .map(|v| (v.label, v.setup))
        .collect();
    let mut track = EnsembleTrack::new(variants, 5);
    let mut slices = 0;
    while !track.is_done() {
        track.work(150);
        slices += 1;
    }
    assert!(slices > 10, "computed in slices ({slices})");
    let csv = track.csv();
    let res = cli(&doc);
    let want = res["variants"].as_array().unwrap();
    assert_eq!(want.len(), 4);

    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "variant,step,mean_gap,std_gap,min_gap,max_gap,mean_avg_gap"
    );
    let columns = ["mean_gap", "std_gap", "min_gap", "max_gap", "mean_avg_gap"];
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    for line in lines {
        let (label, rest) = split_label(line);
        rows.push((label, rest.split(',').map(str::to_string).collect()));
    }
    let mut at = 0;
    for v in want {
        let label = v["label"].as_str().unwrap();
        let len = v["mean_gap"].as_array().unwrap().len();
        for t in 0..len {
            let (l, cells) = &rows[at];
            assert_eq!(l, label, "rows grouped by variant");
            assert_eq!(cells.len(), 6, "{label} {t}");
            assert_eq!(cells[0], t.to_string());
            for (c, key) in columns.iter().enumerate() {
                let cell = &cells[c + 1];
                match v.get(*key) {
                    Some(col) => {
                        let want = col[t].as_f64().unwrap();
                        let got: f64 = cell.parse().unwrap();
                        assert_eq!(got.to_bits(), want.to_bits(), "{label} {key} at {t}");
                    }
                    None => assert_eq!(cell, "", "{label} has no {key}"),
                }
            }
            at += 1;
        }
    }
    assert_eq!(at, rows.len(), "no rows beyond the CLI's");
    // The diverging variant: its rows end before the last step, and the CLI says why.
    let big = &want[3];
    assert!(!big["diverged"].as_array().unwrap().is_empty());
    assert!(big["mean_gap"].as_array().unwrap().len() < 81);
    assert_eq!(want[0]["mean_gap"].as_array().unwrap().len(), 81);
    assert!(want[2].get("mean_avg_gap").is_some() && want[1].get("mean_avg_gap").is_none());
}
