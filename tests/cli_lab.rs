#![cfg(not(target_arch = "wasm32"))]
//! `sgd-lab lab FILE [--step T] --out DIR`: a lab state as slide figures. The SVGs are
//! the lab's charts at step T and data.csv the lab's CSV export of that state; the
//! browser test (tests/browser/cli-lab.test.mjs) compares data.csv with the CSV the
//! page downloads.

use plotters::prelude::*;
use sgd_lab::lab::{self, Lab};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sgd_lab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sgd-lab"))
        .args(args)
        .output()
        .unwrap()
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("sgd-lab-cli-lab-{}-{name}", std::process::id()));
    std::fs::remove_dir_all(&d).ok();
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The lab as the browser drives it: work done, played to `t`.
fn lab_at(s: &sgd_lab::Scenario, t: u64) -> Lab {
    let mut l = Lab::new(s).unwrap();
    while l.work(1000) < 1.0 {}
    while l.status().t < t && l.advance((t - l.status().t) as u32) > 0 {}
    l
}

fn svg(l: &Lab, chart: &str) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (800, 500)).into_drawing_area();
        l.draw(chart, &root, None).unwrap();
        root.present().unwrap();
    }
    svg
}

fn run(file: &Path, out: &Path, step: Option<u64>) -> Output {
    let step = step.map(|t| t.to_string());
    let mut args = vec![
        "lab",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    if let Some(t) = &step {
        args.extend(["--step", t.as_str()]);
    }
    sgd_lab(&args)
}

#[test]
fn every_ready_lab_writes_its_charts_at_step_t_and_its_csv() {
    let dir = temp("all");
    for id in lab::registry::ready_ids() {
        let q = vec![
            ("lab".to_string(), id.to_string()),
            ("seed".to_string(), "7".to_string()),
        ];
        let mut s = lab::from_query(&q).unwrap().scenario;
        if id == "expected-loss" {
            s.runs = 40; // Quick; the CSV is then the 40 runs' summary.
        }
        let file = dir.join(format!("{id}.json"));
        std::fs::write(&file, s.to_json()).unwrap();
        let t = s.steps / 4;
        let out = dir.join(id);
        let o = run(&file, &out, Some(t));
        assert!(
            o.status.success(),
            "{id}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let l = lab_at(&s, t);
        assert_eq!(l.status().t, t, "{id}");
        let mut names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        let mut want: Vec<String> = l.charts().iter().map(|c| format!("{}.svg", c.id)).collect();
        want.push("data.csv".into());
        // A lab with a table (gd-vs-sgd) writes it too, as the page shows it at step T.
        if let Some(table) = l.table() {
            want.push("table.csv".into());
            let got = std::fs::read_to_string(out.join("table.csv")).unwrap();
            assert_eq!(got, table.csv(), "{id}");
            assert!(got.lines().count() >= 2, "{id}: {got}");
        }
        want.sort();
        assert_eq!(names, want, "{id}");
        for c in l.charts() {
            let got = std::fs::read_to_string(out.join(format!("{}.svg", c.id))).unwrap();
            assert_eq!(got, svg(&l, c.id), "{id} {}", c.id);
        }
        let csv = std::fs::read_to_string(out.join("data.csv")).unwrap();
        assert_eq!(csv, l.csv(), "{id}");
        assert!(csv.lines().count() > 2, "{id}: {csv}");
        // Step T is what is drawn: the end looks different (the runs moved on).
        let end = dir.join(format!("{id}-end"));
        assert!(run(&file, &end, None).status.success());
        let first = &l.charts()[0].id;
        let at_end = std::fs::read_to_string(end.join(format!("{first}.svg"))).unwrap();
        assert_eq!(at_end, svg(&lab_at(&s, s.steps), first), "{id}");
        assert_ne!(at_end, svg(&l, first), "{id}: step {t} and the end differ");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_input_is_named_in_one_line_with_status_2() {
    let dir = temp("bad");
    let plain = dir.join("plain.json");
    std::fs::write(
        &plain,
        sgd_lab::presets::find("decay")
            .unwrap()
            .scenario()
            .to_json(),
    )
    .unwrap();
    let o = run(&plain, &dir.join("x"), None);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("has no \"lab\" part") && err.lines().count() == 1,
        "{err}"
    );

    let with_lab = dir.join("lab.json");
    let s = lab::default_scenario("decay").unwrap();
    std::fs::write(&with_lab, s.to_json()).unwrap();
    let o = run(&with_lab, &dir.join("y"), Some(s.steps + 1));
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(
        err.trim_end(),
        format!(
            "sgd-lab: --step must be a whole number from 0 to {} (the scenario's steps), got {}",
            s.steps,
            s.steps + 1
        )
    );
    assert!(!dir.join("y").exists(), "nothing written on an error");
    std::fs::remove_dir_all(&dir).ok();
}
