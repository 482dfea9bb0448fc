//! The variance-reduction lab (#10): at its defaults SVRG, SAG and SAGA end far below
//! SGD's floor at equal gradient evaluations, SGD ends at its floor (the exact level of
//! tests/theory_pair.rs), the knobs reach every variant, the caption quotes the means
//! the CSV holds, the map frames SGD's cloud, and its CSV is what `sgd-lab run
//! --summary` prints.

mod support;

use sgd_lab::expectation::stationary_gap;
use sgd_lab::lab::{self, Lab};
use sgd_lab::method::MethodKind;
use support::{assert_texts_finite, assert_variants_csv_is_cli, csv_cells, pairs, svg};

fn finished(q: &[(&str, &str)]) -> Lab {
    let mut l = support::computed(q);
    l.advance(1_000_000);
    l
}

/// (variant, step, grad_evals-free) → mean gap, from the CSV.
fn means(l: &Lab) -> std::collections::BTreeMap<String, Vec<f64>> {
    let csv = l.csv();
    let mut lines = csv.lines();
    let header = csv_cells(lines.next().unwrap());
    let (cv, cm) = (
        header.iter().position(|h| h == "variant").unwrap(),
        header.iter().position(|h| h == "mean_gap").unwrap(),
    );
    let mut out: std::collections::BTreeMap<String, Vec<f64>> = Default::default();
    for line in lines {
        let c = csv_cells(line);
        out.entry(c[cv].clone())
            .or_default()
            .push(c[cm].parse().unwrap());
    }
    out
}

#[test]
fn at_equal_work_the_variance_reduced_methods_end_far_below_sgd_s_floor() {
    let l = finished(&[("lab", "variance-reduction")]);
    let m = means(&l);
    let steps = l.scenario().steps as usize;
    let n = 100usize;
    // Gradient evaluations after t steps: SGD t; SVRG n per snapshot (every 100 steps,
    // from step 0) plus 2 a step; SAG and SAGA n + t.
    let sgd_budget = steps;
    let svrg_steps = (0..=steps)
        .take_while(|t| n * t.div_ceil(100).max(1) + 2 * t <= sgd_budget)
        .last()
        .unwrap();
    let saga_steps = sgd_budget - n;
    let setup = l.scenario().build().unwrap();
    let sgd_setup = setup
        .variant_setups()
        .into_iter()
        .find(|v| v.setup.scenario.method.kind == MethodKind::Sgd)
        .unwrap()
        .setup;
    let floor = stationary_gap(&sgd_setup).unwrap();
    // SGD at its floor: the mean of its last 500 steps within 25 % of the exact level
    // (20 runs of a noisy stationary process).
    let tail = &m["SGD"][steps - 500..];
    let sgd_end = tail.iter().sum::<f64>() / tail.len() as f64;
    assert!(
        (sgd_end / floor - 1.0).abs() < 0.25,
        "SGD {sgd_end} vs floor {floor}"
    );
    for (name, at) in [
        ("SVRG", svrg_steps),
        ("SAG", saga_steps),
        ("SAGA", saga_steps),
    ] {
        let g = m[name][at];
        // Below 10⁻¹² within the budget shown (the lab's issue asks for it).
        assert!(
            g < floor / 100.0 && g < 1e-12,
            "{name} at step {at}: {g} vs SGD's floor {floor}"
        );
    }
    // SGD with 1/t steps ends under SGD's floor, but far above the linear methods.
    let decayed = m["SGD, 1/t"][steps];
    assert!(
        decayed < floor / 3.0 && decayed > 1e-6,
        "SGD, 1/t at the end: {decayed} vs floor {floor}"
    );
    // Linear convergence: SVRG's and SAGA's log gap falls by as much in the second
    // third of their run as in the first (within a factor 3), where SGD's stalls.
    for name in ["SVRG", "SAGA"] {
        let g = &m[name];
        let (a, b, c) = (g[100].ln(), g[400].ln(), g[700].ln());
        let (d1, d2) = (a - b, b - c);
        assert!(
            d1 > 1.0 && d2 > d1 / 3.0 && d2 < 3.0 * d1,
            "{name}: {d1} then {d2}"
        );
    }
    assert_texts_finite(&l);
}

#[test]
fn the_knobs_reach_every_variant_and_the_csv_is_the_cli_s() {
    let l = finished(&[
        ("lab", "variance-reduction"),
        ("lr", "0.05"),
        ("inner", "50"),
        ("runs", "4"),
        ("steps", "300"),
    ]);
    let s = l.scenario();
    let variants = s.compare.as_ref().unwrap();
    assert_eq!(
        variants
            .iter()
            .map(|v| v.label.as_str())
            .collect::<Vec<_>>(),
        ["SGD", "SGD, 1/t", "SVRG", "SAG", "SAGA"]
    );
    for v in variants {
        let m = v.method.as_ref().unwrap();
        assert_eq!(m.lr, 0.05, "{}", v.label);
        if m.kind == MethodKind::Svrg {
            assert_eq!(m.inner, Some(50));
        }
    }
    assert!(assert_variants_csv_is_cli(&l, "variance-reduction-knobs") > 1000);
    // The URL carries exactly the knobs.
    let q = lab::to_query(s);
    for (k, v) in [
        ("lr", "0.05"),
        ("inner", "50"),
        ("runs", "4"),
        ("steps", "300"),
    ] {
        assert!(q.contains(&(k.into(), v.into())), "{k}: {q:?}");
    }
}

/// The `methods` knob picks the set beside SGD, keeping the step and SVRG's inner
/// loop; `inner` applies only while SVRG is shown, and a link that sets it otherwise is
/// told why.
#[test]
fn the_methods_knob_picks_the_set_and_inner_follows_svrg() {
    let labels = |q: &[(&str, &str)]| {
        let got = lab::from_query(&pairs(q)).unwrap();
        let s = got.scenario;
        let l: Vec<String> = s
            .compare
            .iter()
            .flatten()
            .map(|v| v.label.clone())
            .collect();
        (l, s, got.warnings)
    };
    let (l, s, w) = labels(&[
        ("lab", "variance-reduction"),
        ("lr", "0.2"),
        ("methods", "svrg"),
        ("inner", "40"),
    ]);
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(l, ["SGD", "SVRG"]);
    for v in s.compare.iter().flatten() {
        let m = v.method.as_ref().unwrap();
        assert_eq!(m.lr, 0.2, "{}", v.label);
    }
    assert_eq!(
        s.compare.as_ref().unwrap()[1]
            .method
            .as_ref()
            .unwrap()
            .inner,
        Some(40)
    );
    let q = lab::to_query(&s);
    assert!(q.contains(&("methods".into(), "svrg".into())), "{q:?}");
    let (l, s, w) = labels(&[
        ("lab", "variance-reduction"),
        ("methods", "saga"),
        ("inner", "40"),
    ]);
    assert_eq!(l, ["SGD", "SAGA"]);
    assert!(!lab::to_query(&s).iter().any(|(k, _)| k == "inner"));
    assert!(
        w.len() == 1 && w[0].contains("inner") && w[0].contains("SVRG is not among"),
        "{w:?}"
    );
    let (_, _, w) = labels(&[("lab", "variance-reduction"), ("methods", "momentum")]);
    assert!(
        w.len() == 1 && w[0].contains("all, constant, svrg, sag, saga"),
        "{w:?}"
    );
    // Each set runs, and its table names what each shown method stores.
    let l = finished(&[
        ("lab", "variance-reduction"),
        ("methods", "sag"),
        ("runs", "2"),
        ("steps", "300"),
    ]);
    let table = l.table().expect("a table of memory and cost");
    let methods: Vec<&str> = table.rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(methods, ["SGD", "SAG"]);
    assert_eq!(table.head[2], "numbers stored");
    // SGD keeps w (d = 2 numbers); SAG n = 100 gradients of d = 2 numbers, and w.
    assert_eq!(table.rows[0][2], "2");
    assert_eq!(table.rows[1][2], "202");
    assert_eq!(table.rows[1][4], "n = 100 once, at the start");
    // SVRG: w, w̃ and ∇L(w̃); n at every snapshot.
    let l = finished(&[
        ("lab", "variance-reduction"),
        ("methods", "svrg"),
        ("runs", "2"),
        ("steps", "300"),
        ("inner", "50"),
    ]);
    let t = l.table().unwrap();
    assert_eq!(
        t.rows[1][..4],
        ["SVRG", "w, a snapshot w̃ and ∇L(w̃)", "6", "2"]
    );
    assert_eq!(t.rows[1][4], "n = 100 at every snapshot (every 50 steps)");
}

#[test]
fn the_caption_compares_at_equal_evaluations_with_the_csv_s_numbers() {
    let l = finished(&[
        ("lab", "variance-reduction"),
        ("runs", "5"),
        ("steps", "600"),
    ]);
    let cap = l.caption();
    let fact = |k: &str| {
        cap.facts
            .iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no fact {k}: {:?}", cap.facts))
    };
    // SGD's 600 evaluations are the common budget; SVRG's mean at the last step within
    // it, from the CSV.
    assert_eq!(fact("gradient evaluations compared"), "600");
    assert!(
        cap.text
            .contains("After 600 gradient evaluations (6 passes over the data)"),
        "{}",
        cap.text
    );
    let m = means(&l);
    let svrg_step = (0..=600usize)
        .take_while(|t| 100 * t.div_ceil(100).max(1) + 2 * t <= 600)
        .last()
        .unwrap();
    let shown = fact("SVRG: mean gap");
    let value: f64 = shown.split(' ').next().unwrap().parse().unwrap();
    let want = m["SVRG"][svrg_step];
    assert!(
        (value / want - 1.0).abs() < 1e-3,
        "{shown} vs {want} at step {svrg_step}"
    );
    assert!(
        shown.ends_with(&format!(
            "after {} evaluations",
            100 * svrg_step.div_ceil(100) + 2 * svrg_step
        )),
        "{shown}"
    );
}

#[test]
fn the_map_frames_sgd_s_cloud_and_a_large_step_is_reported() {
    let l = finished(&[
        ("lab", "variance-reduction"),
        ("runs", "5"),
        ("steps", "400"),
    ]);
    let (_, frame) = svg(&l, "iterates", (600, 600));
    let w = l.scenario().build().unwrap().problem.optimum().to_vec();
    let (xr, yr) = (frame.x_range, frame.y_range);
    // w* in the middle third of the box, and the box much smaller than the way from
    // w0 = (−2, 3).
    for (v, (a, b)) in [(w[0], xr), (w[1], yr)] {
        let f = (v - a) / (b - a);
        assert!((0.33..0.67).contains(&f), "w* at {f} of [{a}, {b}]");
        assert!(b - a < 3.0, "[{a}, {b}]");
    }
    let l = finished(&[
        ("lab", "variance-reduction"),
        ("lr", "2"),
        ("runs", "3"),
        ("steps", "1000"),
    ]);
    let msg = l.status().diverged.expect("η = 2 is beyond 2/L_s");
    assert!(msg.contains("diverged"), "{msg}");
    assert_texts_finite(&l);
}

/// At η = 1 SAG's and SAGA's means grow past the starting gap while SVRG's falls: the
/// caption says which grow (from the numbers it quotes) and never calls a grown method
/// the winner; when every comparison is cut short by divergence it says so instead of
/// "being computed".
#[test]
fn the_caption_names_the_methods_whose_mean_grows() {
    let l = finished(&[
        ("lab", "variance-reduction"),
        ("lr", "1"),
        ("runs", "2"),
        ("steps", "2000"),
    ]);
    let text = l.caption().text;
    let m = means(&l);
    let g0 = m["SGD"][0];
    let end = |v: &str| *m[v].iter().rev().find(|g| g.is_finite()).unwrap();
    let grown: Vec<&str> = ["SGD", "SVRG", "SAG", "SAGA"]
        .into_iter()
        .filter(|v| end(v) > g0)
        .collect();
    assert!(!grown.is_empty() && grown.len() < 4, "{grown:?}");
    let (last, init) = grown.split_last().unwrap();
    let names = match init {
        [] => last.to_string(),
        _ => format!("{} and {last}", init.join(", ")),
    };
    let verb = if grown.len() == 1 { "is" } else { "are" };
    let named = format!("{names} {verb} above the starting gap");
    assert!(text.contains(&named), "{named:?} not in {text}");
    for v in &grown {
        assert!(
            !text.contains(&format!("{v} is ")),
            "{v} called lower: {text}"
        );
    }
    let l = finished(&[
        ("lab", "variance-reduction"),
        ("lr", "2"),
        ("runs", "2"),
        ("steps", "2000"),
    ]);
    let text = l.caption().text;
    assert!(!text.contains("being computed"), "{text}");
    assert!(text.contains("diverged"), "{text}");
}
