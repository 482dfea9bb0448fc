//! The labs as the browser drives them, natively: URL round trips, messages for bad
//! parameters, animation, charts drawn (to SVG here, to a canvas in the browser), and
//! exported numbers that match the CLI's for the exported scenario.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use plotters::prelude::*;
use sgd_lab::lab::{self, Lab};
use sgd_lab::report::run_result;
use sgd_lab::run::simulate;
use sgd_lab::Scenario;

fn pairs(q: &[(&str, &str)]) -> Vec<(String, String)> {
    q.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn ready() -> impl Iterator<Item = &'static str> {
    lab::registry::ready_ids()
}

/// Marks of data in an SVG chart: lines through at least 10 points, or dots (axes,
/// ticks and grid lines are 2-point lines and count for nothing).
fn data_marks(svg: &str) -> usize {
    let long_lines = svg
        .split("<polyline")
        .skip(1)
        .filter(|el| {
            el.split("points=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .is_some_and(|pts| pts.split_whitespace().count() >= 10)
        })
        .count();
    let dots = svg.matches("<circle").count();
    // Cells of a strip or bars of a histogram: many rectangles (a frame has a few).
    let cells = svg.matches("<rect").count();
    long_lines + if dots >= 3 { dots } else { 0 } + if cells >= 20 { cells } else { 0 }
}

#[test]
fn an_axes_only_chart_has_no_data_marks() {
    // The check above must be able to fail: a chart frame with nothing in it.
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (400, 300)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .x_label_area_size(30)
            .y_label_area_size(30)
            .build_cartesian_2d(0.0..1.0, 0.0..1.0)
            .unwrap();
        chart.configure_mesh().draw().unwrap();
        root.present().unwrap();
    }
    assert_eq!(data_marks(&svg), 0);
}

/// Draws every chart of a lab to SVG and returns the documents.
fn svgs(lab: &Lab) -> Vec<String> {
    lab.charts()
        .iter()
        .map(|c| {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, (800, 500)).into_drawing_area();
                lab.draw(c.id, &root, None)
                    .unwrap_or_else(|e| panic!("{} {}: {e}", lab.id(), c.id));
                root.present().unwrap();
            }
            svg
        })
        .collect()
}

#[test]
fn every_knob_survives_the_url_round_trip() {
    for id in ready() {
        let s = lab::default_scenario(id).unwrap();
        let q = lab::to_query(&s);
        assert_eq!(q[0], ("lab".to_string(), id.to_string()));
        assert_eq!(
            q.len(),
            lab::knobs_for(&s).len() + 1,
            "{id}: every knob that applies is in the URL"
        );
        // Only the sandbox leaves knobs out: those of the problems it does not show.
        let left_out: Vec<&str> = lab::knobs(id)
            .unwrap()
            .iter()
            .map(|k| k.key)
            .filter(|k| !q.iter().any(|(key, _)| key == k))
            .collect();
        let want: &[&str] = if id == "sandbox" {
            &["noise", "separation", "points"]
        } else {
            &[]
        };
        assert_eq!(left_out, want, "{id}");
        let back = lab::from_query(&q).unwrap();
        assert!(back.warnings.is_empty(), "{id}: {:?}", back.warnings);
        assert_eq!(lab::to_query(&back.scenario), q, "{id}");
        // A changed knob comes back changed.
        let mut q2 = q.clone();
        let seed = q2.iter_mut().find(|(k, _)| k == "seed").unwrap();
        seed.1 = "12345".into();
        let back = lab::from_query(&q2).unwrap();
        assert_eq!(back.scenario.seed, 12345, "{id}");
        // And through JSON export/import too.
        let json = back.scenario.to_json();
        assert_eq!(Scenario::from_json(&json).unwrap(), back.scenario, "{id}");
    }
}

#[test]
fn bad_url_parameters_say_what_is_allowed_and_keep_the_default() {
    let got = lab::from_query(&pairs(&[
        ("lab", "expected-loss"),
        ("lr", "banana"),
        ("runs", "0"),
        ("colour", "red"),
    ]))
    .unwrap();
    let def = lab::default_scenario("expected-loss").unwrap();
    assert_eq!(got.scenario.method.lr, def.method.lr);
    assert_eq!(got.scenario.runs, def.runs);
    assert_eq!(got.warnings.len(), 3, "{:?}", got.warnings);
    assert!(
        got.warnings[0].starts_with(
            "URL parameter lr must be a number from 0.001 to 4, got \"banana\"; using 0.05"
        ),
        "{}",
        got.warnings[0]
    );
    assert!(
        got.warnings[1]
            .starts_with("URL parameter runs must be a whole number from 1 to 10000, got \"0\""),
        "{}",
        got.warnings[1]
    );
    assert!(
        got.warnings[2].contains("\"colour\" is not known") && got.warnings[2].contains("lr"),
        "{}",
        got.warnings[2]
    );
    let err = lab::from_query(&pairs(&[("lab", "nope")]))
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.starts_with("lab must be one of ")
            && err.contains("expected-loss, noise-assumptions, descent-lemma, decay")
            && err.ends_with("got \"nope\""),
        "{err}"
    );
    // The largest batch the knob allows is n itself (full-batch SGD): accepted.
    let got = lab::from_query(&pairs(&[
        ("lab", "expected-loss"),
        ("batch", "100"),
        ("lr", "0.5"),
    ]))
    .unwrap();
    assert!(got.warnings.is_empty(), "{:?}", got.warnings);
}

#[test]
fn every_ready_lab_animates_and_draws() {
    for id in ready() {
        let s = lab::default_scenario(id).unwrap();
        let mut l = Lab::new(&s).unwrap();
        while l.work(10_000) < 1.0 {}
        assert_eq!(l.status().t, 0, "{id}");
        let before = svgs(&l);
        let taken = l.advance(25);
        assert_eq!(taken, 25, "{id}");
        assert_eq!(l.status().t, 25, "{id}");
        let after = svgs(&l);
        assert!(!l.charts().is_empty(), "{id}");
        for a in &after {
            assert!(data_marks(a) > 0, "{id}: a chart with axes but no data");
        }
        assert_ne!(before, after, "{id}: stepping changes the picture");
        assert!(
            !l.caption().text.is_empty() && !l.describe().is_empty(),
            "{id}"
        );
        support::assert_texts_finite(&l);
        l.reset();
        assert_eq!(l.status().t, 0, "{id}");
    }
}

#[test]
fn expected_loss_csv_matches_the_cli_result() {
    let mut s = lab::default_scenario("expected-loss").unwrap();
    s.runs = 200;
    let mut l = Lab::new(&s).unwrap();
    while l.work(50) < 1.0 {}
    let csv = l.csv();
    let res = run_result(&s.build().unwrap(), true);
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), res.mean_gap.len());
    for (t, row) in rows.iter().enumerate() {
        let cols: Vec<f64> = row.split(',').map(|c| c.parse().unwrap()).collect();
        assert_eq!(cols[0] as usize, t);
        assert_eq!(cols[1], res.mean_gap[t], "t={t}");
        assert_eq!(cols[2], res.std_gap[t], "t={t}");
    }
}

/// `LAB_SVG_DIR=/tmp/labs cargo test --test labs write_svgs` writes every chart of every
/// lab (after 60 steps) as SVG, for looking at them while developing.
#[test]
fn write_svgs() {
    let Some(dir) = std::env::var_os("LAB_SVG_DIR") else {
        return;
    };
    std::fs::create_dir_all(&dir).unwrap();
    for id in ready() {
        let mut l = Lab::new(&lab::default_scenario(id).unwrap()).unwrap();
        while l.work(10_000) < 1.0 {}
        l.advance(60);
        for (c, svg) in l.charts().iter().zip(svgs(&l)) {
            assert!(data_marks(&svg) > 0, "{id} {}", c.id);
            std::fs::write(
                std::path::Path::new(&dir).join(format!("{id}-{}.svg", c.id)),
                svg,
            )
            .unwrap();
        }
    }
}

/// Runs a lab to its end: background work first, then every step.
fn run_to_end(l: &mut Lab) {
    while l.status().progress < 1.0 {
        l.work(1_000_000);
    }
    while !l.status().done {
        if l.advance(10_000) == 0 {
            break;
        }
    }
}

/// No chart of the lab draws a NaN.
fn assert_charts_finite(l: &Lab) {
    for (c, doc) in l.charts().iter().zip(svgs(l)) {
        assert!(
            !doc.contains("NaN") && !doc.contains("inf"),
            "{} {}",
            l.id(),
            c.id
        );
    }
}

#[test]
fn expected_loss_names_the_first_run_that_diverged_and_cuts_the_mean_there() {
    let q = pairs(&[
        ("lab", "expected-loss"),
        ("lr", "4"),
        ("runs", "20"),
        ("steps", "300"),
    ]);
    let s = lab::from_query(&q).unwrap();
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    let mut l = Lab::new(&s.scenario).unwrap();
    run_to_end(&mut l);
    // Independently: every run on its own, the earliest divergence (ties: lowest run).
    let setup = s.scenario.build().unwrap();
    let (step, run) = (0..20)
        .filter_map(|r| simulate(&setup, r).diverged_at.map(|at| (at, r)))
        .min()
        .expect("η = 4 diverges");
    let msg = l
        .status()
        .diverged
        .expect("expected-loss says a run diverged");
    assert!(
        msg.starts_with(&format!(
            "Run {} diverged at step {step}: η = 4 is too large (GD is stable only below 2/L_s = ",
            run + 1
        )) && msg.ends_with(&format!("so the mean is shown up to step {}.", step - 1)),
        "{msg}"
    );
    support::assert_texts_finite(&l);
    assert_charts_finite(&l);
}

/// Decay plays a long run to its end, where every schedule's mean is that of its runs
/// alone (the ordering, the CSV and divergence: tests/lab_decay.rs).
#[test]
fn decay_plays_a_long_run_and_ends_where_sgd_lab_run_ends() {
    let q = pairs(&[("lab", "decay"), ("steps", "12000"), ("runs", "2")]);
    let s = lab::from_query(&q).unwrap().scenario;
    let mut l = Lab::new(&s).unwrap();
    run_to_end(&mut l);
    while l.advance(5000) > 0 {}
    assert!(l.status().done);
    let one_over_t = &s.variants()[3];
    assert_eq!(one_over_t.label, "1/t");
    let setup = one_over_t.scenario.build().unwrap();
    let runs: Vec<_> = (0..2).map(|r| simulate(&setup, r)).collect();
    assert_eq!(runs[0].gap.len(), 12001);
    let want = (runs[0].gap[12000] + runs[1].gap[12000]) / 2.0;
    let text = l.describe();
    let shown = text
        .split("1/t, t0 = 20 has mean gap ")
        .nth(1)
        .and_then(|r| r.split(';').next())
        .and_then(sgd_lab::lab::parse_shown)
        .unwrap_or_else(|| panic!("{text}"));
    assert!((shown - want).abs() <= 5e-4 * want, "{shown} vs {want}");
    assert_eq!(svgs(&l).len(), 2);
}

/// A lab is its module and its registry row: the registry's constructor gives the lab
/// behind one interface, named by the row's id, and a test can still reach the lab's
/// own type.
#[test]
fn every_ready_lab_is_made_by_its_registry_row() {
    for id in ready() {
        let l = Lab::new(&lab::default_scenario(id).unwrap()).unwrap();
        assert_eq!(l.id(), id);
        assert_eq!(l.scenario().lab.as_ref().unwrap().id, id);
    }
    let decay = Lab::new(&lab::default_scenario("decay").unwrap()).unwrap();
    assert!(decay.downcast::<sgd_lab::lab::decay::Decay>().is_some());
    assert!(decay.downcast::<sgd_lab::lab::sandbox::Sandbox>().is_none());
}

/// Before the first slice of background work (no run computed yet) every chart of every
/// ready lab draws, at its defaults and with each number knob at either end — the page
/// draws at once, and an ensemble lab's mean is empty then.
#[test]
fn every_chart_draws_before_any_run_is_computed() {
    use sgd_lab::lab::knob::KnobKind;
    let mut drawn = 0;
    for id in ready() {
        let mut queries = vec![vec![]];
        for k in lab::knobs(id).unwrap() {
            if let KnobKind::Number { min, max, .. } = k.kind {
                queries.push(vec![(k.key.to_string(), min.to_string())]);
                queries.push(vec![(k.key.to_string(), max.to_string())]);
            }
        }
        for q in queries {
            let mut p = vec![("lab".to_string(), id.to_string())];
            p.extend(q.iter().cloned());
            let l = Lab::new(&lab::from_query(&p).unwrap().scenario).unwrap();
            for c in l.charts() {
                let mut doc = String::new();
                let root = SVGBackend::with_string(&mut doc, (640, 480)).into_drawing_area();
                let r = l.draw(c.id, &root, None);
                assert!(r.is_ok(), "{id} {q:?} {}: {:?}", c.id, r.err());
                drawn += 1;
            }
        }
    }
    assert!(drawn > 50, "{drawn} charts drawn");
}

/// The exported scenario of every ready lab at its defaults reads back (as the page's
/// import does) as the very value its link gives: nothing the knobs do not show. A
/// variant written with fewer fields than the lab fills in was read back as "sets
/// things the lab's knobs do not show" (variance-reduction, seen in wasm).
#[test]
fn every_lab_s_export_is_what_its_link_keeps() {
    for id in ready() {
        let got = lab::from_query(&pairs(&[("lab", id)])).unwrap();
        let l = Lab::new(&got.scenario).unwrap();
        let s = Scenario::from_json(&l.scenario().to_json()).unwrap();
        let setup = s.build().unwrap();
        let back = Lab::from_setup(&setup).unwrap();
        let again = lab::link::reread(back.scenario(), &setup).unwrap();
        assert!(again.warnings.is_empty(), "{id}: {:?}", again.warnings);
        assert!(again.scenario == *back.scenario(), "{id}");
    }
}
