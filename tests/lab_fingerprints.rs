//! Byte-identical refactoring: every chart's SVG, every CSV, caption, status and text
//! description of each lab (at defaults and a handful of knob settings, at several
//! steps, one diverging per lab where the knobs allow), and `sgd-lab render` of every
//! preset, are hashed (FNV-1a 64) into `tests/fingerprints/labs.txt`. A change here
//! means the labs draw or say something else. Rewrite the file only on purpose
//! (`UPDATE_FINGERPRINTS=1 cargo test --test lab_fingerprints`, refused under CI) and
//! say which fingerprints changed, and why, in the commit.
#![cfg(not(target_arch = "wasm32"))]

use plotters::prelude::*;
use sgd_lab::digest::fnv1a64;
use sgd_lab::lab::{self, Lab};
use std::fmt::Write as _;

/// (case name, URL parameters after `lab`).
const CASES: &[(&str, &[(&str, &str)])] = &[
    ("per-sample", &[]),
    (
        "per-sample",
        &[
            ("dataset", "random"),
            ("n", "7"),
            ("spread", "2.5"),
            ("data_seed", "9"),
        ],
    ),
    ("per-sample", &[("lr", "0.05"), ("w0", "2"), ("seed", "4")]),
    // Every sample has L_s = x² ≥ 2.25: lr 2 diverges.
    (
        "per-sample",
        &[("points", "1.5:1,2:3,1.8:2"), ("lr", "2"), ("steps", "300")],
    ),
    ("step-size", &[]),
    (
        "step-size",
        &[
            ("lr", "0.02"),
            ("lr2", "0.5"),
            ("runs", "1"),
            ("kappa", "20"),
        ],
    ),
    (
        "step-size",
        &[("spread", "0"), ("batch", "4"), ("seed", "8")],
    ),
    // The large step diverges, the small one does not.
    ("step-size", &[("lr2", "2.5"), ("steps", "300")]),
    ("decay", &[]),
    ("decay", &[("runs", "5"), ("steps", "300")]),
    ("decay", &[("fast", "0.995"), ("runs", "3")]),
    ("decay", &[("slow_t0", "5"), ("t0", "5"), ("runs", "3")]),
    (
        "decay",
        &[("every", "150"), ("gamma", "0.3"), ("runs", "3")],
    ),
    // η = 4 > 2/L_s: the constant step diverges, the decaying ones in time or not.
    ("decay", &[("lr", "4"), ("steps", "1000"), ("runs", "3")]),
    ("expected-loss", &[("runs", "60")]),
    (
        "expected-loss",
        &[
            ("runs", "25"),
            ("shown", "0"),
            ("batch", "5"),
            ("steps", "120"),
        ],
    ),
    (
        "expected-loss",
        &[
            ("runs", "30"),
            ("lr", "4"),
            ("steps", "800"),
            ("shown", "3"),
        ],
    ),
    ("sandbox", &[("runs", "6")]),
    (
        "sandbox",
        &[
            ("problem", "logistic"),
            ("d", "3"),
            ("x", "grad_evals"),
            (
                "variants",
                "SGD: sgd lr=0.5; GD: gd lr=1; SAGA: saga lr=0.5 batch=4",
            ),
        ],
    ),
    // GD at η = 4 > 2/L_s diverges; SGD at 0.1 goes on.
    (
        "sandbox",
        &[
            ("problem", "points"),
            ("runs", "3"),
            (
                "variants",
                "Fine: sgd lr=0.1; Too large: gd lr=4 polyak start=5",
            ),
        ],
    ),
    ("averaging", &[("runs", "4"), ("steps", "600")]),
    (
        "averaging",
        &[
            ("schedule", "inverse_time"),
            ("start", "50"),
            ("beta", "0.9"),
            ("runs", "3"),
        ],
    ),
    // η = 2 is past 2/L: the iterate, and so every average, overflows by step 2000.
    (
        "averaging",
        &[("lr", "2"), ("runs", "2"), ("steps", "2000")],
    ),
    ("variance-reduction", &[("runs", "4"), ("steps", "600")]),
    (
        "variance-reduction",
        &[
            ("lr", "0.05"),
            ("inner", "20"),
            ("runs", "3"),
            ("seed", "7"),
        ],
    ),
    // η = 2, the largest the knob allows, is past 2/L: SGD overflows by step 2000.
    (
        "variance-reduction",
        &[("lr", "2"), ("runs", "2"), ("steps", "2000")],
    ),
    ("gd-vs-sgd", &[("n", "1000"), ("runs", "3"), ("batch", "2")]),
];

/// The SVG of a chart, or the drawing error (pinned as well: a refactor keeps it).
fn svg(lab: &Lab, chart: &str) -> String {
    let mut svg = String::new();
    let drawn = {
        let root = SVGBackend::with_string(&mut svg, (800, 500)).into_drawing_area();
        let drawn = lab.draw(chart, &root, None);
        root.present().unwrap();
        drawn
    };
    match drawn {
        Ok(_) => svg,
        Err(e) => format!("error: {e}"),
    }
}

fn line(out: &mut String, what: &str, text: &str) {
    writeln!(
        out,
        "{what} {:016x} {}",
        fnv1a64(text.as_bytes()),
        text.len()
    )
    .unwrap();
}

/// Every output of a lab in its current state.
fn snapshot(out: &mut String, name: &str, lab: &Lab) {
    let st = lab.status();
    line(out, &format!("{name} status"), &format!("{st:?}"));
    for c in lab.charts() {
        let svg = svg(lab, c.id);
        let what = match svg.starts_with("error: ") {
            true => format!("{name} svg:{} (not drawn)", c.id),
            false => format!("{name} svg:{}", c.id),
        };
        line(out, &what, &svg);
    }
    line(out, &format!("{name} csv"), &lab.csv());
    line(
        out,
        &format!("{name} caption"),
        &format!("{:?}", lab.caption()),
    );
    line(out, &format!("{name} describe"), &lab.describe());
}

fn lab_fingerprints() -> String {
    let mut out = String::new();
    for (k, (id, knobs)) in CASES.iter().enumerate() {
        let mut q = vec![("lab".to_string(), id.to_string())];
        q.extend(knobs.iter().map(|(a, b)| (a.to_string(), b.to_string())));
        let got = lab::from_query(&q).unwrap();
        assert!(
            got.warnings.is_empty(),
            "{id} {knobs:?}: {:?}",
            got.warnings
        );
        let mut lab = Lab::new(&got.scenario).unwrap();
        let steps = lab.status().steps;
        let name = format!("{k:02} {id}");
        snapshot(&mut out, &format!("{name} t=0"), &lab);
        while lab.work(50) < 1.0 {}
        lab.advance((steps / 3) as u32);
        snapshot(&mut out, &format!("{name} t={}", lab.status().t), &lab);
        while !lab.status().done {
            if lab.advance(1000) == 0 {
                break;
            }
        }
        snapshot(&mut out, &format!("{name} end"), &lab);
        lab.reset();
        line(
            &mut out,
            &format!("{name} reset status"),
            &format!("{:?}", lab.status()),
        );
    }
    out
}

/// `sgd-lab render` of every preset, as the command writes it.
fn render_fingerprints() -> String {
    let mut out = String::new();
    let dir = std::env::temp_dir().join(format!("sgd-lab-fp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for p in sgd_lab::presets::PRESETS {
        let file = dir.join(format!("{}.json", p.name));
        std::fs::write(&file, p.scenario().to_json()).unwrap();
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_sgd-lab"))
            .args(["render", file.to_str().unwrap(), "--out", "-"])
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{}: {}",
            p.name,
            String::from_utf8_lossy(&o.stderr)
        );
        line(
            &mut out,
            &format!("render {}", p.name),
            &String::from_utf8(o.stdout).unwrap(),
        );
    }
    std::fs::remove_dir_all(&dir).ok();
    out
}

#[test]
fn lab_and_render_outputs_are_fingerprinted() {
    let got = lab_fingerprints() + &render_fingerprints();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fingerprints/labs.txt");
    if std::env::var_os("UPDATE_FINGERPRINTS").is_some() {
        // Writing the fingerprints from the code's own output proves nothing; never in CI.
        assert!(
            std::env::var_os("CI").is_none(),
            "UPDATE_FINGERPRINTS is refused under CI: update the fingerprints on purpose, locally"
        );
        std::fs::write(path, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(path).unwrap();
    let differ: Vec<String> = got
        .lines()
        .zip(want.lines())
        .filter(|(g, w)| g != w)
        .map(|(g, w)| format!("  now  {g}\n  was  {w}"))
        .collect();
    assert!(
        differ.is_empty() && got.lines().count() == want.lines().count(),
        "{} fingerprints changed ({} now, {} pinned):\n{}",
        differ.len(),
        got.lines().count(),
        want.lines().count(),
        differ.join("\n")
    );
    // Every lab and every preset is covered, and the diverging cases do diverge.
    assert!(want.lines().count() > 200);
    for id in [
        "per-sample",
        "step-size",
        "decay",
        "expected-loss",
        "averaging",
        "variance-reduction",
    ] {
        assert!(want.contains(&format!(" {id} end svg:")), "{id}");
    }
}

#[test]
fn the_diverging_cases_diverge() {
    for (id, knobs) in CASES.iter().filter(|(_, k)| {
        k.iter()
            .any(|(a, b)| (*a == "lr" && (*b == "2" || *b == "4")) || (*a == "lr2" && *b == "2.5"))
    }) {
        let mut q = vec![("lab".to_string(), id.to_string())];
        q.extend(knobs.iter().map(|(a, b)| (a.to_string(), b.to_string())));
        let mut lab = Lab::new(&lab::from_query(&q).unwrap().scenario).unwrap();
        while lab.work(50) < 1.0 {}
        while !lab.status().done && lab.advance(1000) > 0 {}
        let st = lab.status();
        assert!(st.diverged.is_some(), "{id} {knobs:?}: {st:?}");
    }
}
