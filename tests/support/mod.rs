//! Checks shared by the lab tests.
#![allow(dead_code)]

use plotters::prelude::*;
use sgd_lab::chart::ChartFrame;
use sgd_lab::lab::{non_finite_shown, Lab};

/// Every text the lab shows — caption, facts, text description, status — without a
/// non-finite number: guarded on the values (the lab's number formatter counts the
/// non-finite ones it is given) and on every spelling one could take on screen
/// ("NaN", "inf", "undefined", "null"). Returns the texts.
pub fn assert_texts_finite(l: &Lab) -> Vec<String> {
    let before = non_finite_shown();
    let cap = l.caption();
    let mut texts = vec![cap.text.clone(), l.describe()];
    texts.extend(cap.facts.iter().map(|(k, v)| format!("{k}: {v}")));
    texts.extend(l.status().diverged);
    assert_eq!(
        non_finite_shown(),
        before,
        "{}: a non-finite number was formatted for the screen:\n{}",
        l.id(),
        texts.join("\n")
    );
    for t in &texts {
        for word in ["NaN", "undefined", "null"] {
            assert!(!t.contains(word), "{}: {word} in {t}", l.id());
        }
        assert!(
            !t.split(|c: char| !c.is_alphanumeric())
                .any(|w| w == "inf" || w == "Infinity"),
            "{}: inf in {t}",
            l.id()
        );
    }
    texts
}

/// Draws a chart to SVG; returns the document and the frame.
pub fn svg(l: &Lab, chart: &str, size: (u32, u32)) -> (String, ChartFrame) {
    let mut s = String::new();
    let f;
    {
        let root = SVGBackend::with_string(&mut s, size).into_drawing_area();
        f = l.draw(chart, &root, None).unwrap();
        root.present().unwrap();
    }
    (s, f)
}

/// Splits one CSV line (RFC 4180 quotes).
pub fn csv_cells(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                out.last_mut().unwrap().push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(String::new()),
            c => out.last_mut().unwrap().push(c),
        }
    }
    out
}

/// What `sgd-lab run --summary FILE` prints for scenario `s` (the real binary, in a
/// process of its own).
#[cfg(not(target_arch = "wasm32"))]
pub fn cli_summary(s: &sgd_lab::Scenario, name: &str) -> serde_json::Value {
    let dir = std::env::temp_dir().join(format!("sgd-lab-support-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}.json"));
    std::fs::write(&file, s.to_json()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sgd-lab"))
        .args(["run", "--summary"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A lab's CSV with a `variant` column against `sgd-lab run --summary` of its
/// scenario: every cell bit for bit, a row per step of every variant. Returns the
/// number of cells compared.
#[cfg(not(target_arch = "wasm32"))]
pub fn assert_variants_csv_is_cli(l: &Lab, name: &str) -> usize {
    let res = cli_summary(l.scenario(), name);
    let variants = res["variants"].as_array().unwrap();
    let csv = l.csv();
    let mut lines = csv.lines();
    let header = csv_cells(lines.next().unwrap());
    assert_eq!(header[..2], ["variant", "step"], "{name}");
    let mut rows = vec![0usize; variants.len()];
    let mut cells = 0;
    for line in lines {
        let c = csv_cells(line);
        assert_eq!(c.len(), header.len(), "{name}: {line}");
        let i = variants
            .iter()
            .position(|v| v["label"] == c[0].as_str())
            .unwrap_or_else(|| panic!("{name}: label {}", c[0]));
        let t = rows[i];
        rows[i] += 1;
        assert_eq!(c[1], t.to_string(), "{name}");
        for (col, cell) in header.iter().zip(&c).skip(2) {
            match variants[i].get(col.as_str()) {
                Some(serde_json::Value::Array(a)) => {
                    let want = a[t].as_f64().unwrap();
                    let got: f64 = cell.parse().unwrap();
                    assert_eq!(
                        got.to_bits(),
                        want.to_bits(),
                        "{name}: {} {col} at {t}",
                        c[0]
                    );
                    cells += 1;
                }
                _ => assert_eq!(cell, "", "{name}: {} {col}: a variant without it", c[0]),
            }
        }
    }
    for (v, r) in variants.iter().zip(&rows) {
        assert_eq!(
            *r,
            v["mean_gap"].as_array().unwrap().len(),
            "{name}: {}",
            v["label"]
        );
    }
    cells
}

/// URL parameters as the lab reads them.
#[allow(dead_code)]
pub fn pairs(q: &[(&str, &str)]) -> Vec<(String, String)> {
    q.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The lab a link opens (no warning allowed), with every run computed, at step 0.
#[allow(dead_code)]
pub fn computed(q: &[(&str, &str)]) -> Lab {
    let got = sgd_lab::lab::from_query(&pairs(q)).unwrap();
    assert!(got.warnings.is_empty(), "{:?}", got.warnings);
    let mut l = Lab::new(&got.scenario).unwrap();
    while l.status().progress < 1.0 {
        l.work(1_000_000);
    }
    l
}
