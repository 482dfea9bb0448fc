//! The sandbox: variants side by side on the same samples. Its numbers against
//! stand-alone runs (each variant simulated alone by `run::simulate`) and against the
//! real command line; its link (every knob, six variants under 1 500 characters); its
//! knobs that follow the problem; a variant that diverges stopping alone; and every
//! chart drawn with data for d = 1, 2 and 3.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use sgd_lab::lab::{self, link, Lab};
use sgd_lab::run::simulate;
use sgd_lab::schedule::Schedule;
use sgd_lab::Scenario;
use support::{assert_texts_finite, assert_variants_csv_is_cli, svg};

fn pairs(q: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out = vec![("lab".to_string(), "sandbox".to_string())];
    out.extend(q.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    out
}

/// The sandbox opened from a link, with every run computed.
fn open(q: &[(&str, &str)]) -> Lab {
    let got = lab::from_query(&pairs(q)).unwrap();
    assert!(got.warnings.is_empty(), "{q:?}: {:?}", got.warnings);
    let mut l = Lab::from_setup(&got.setup).unwrap();
    while l.status().progress < 1.0 {
        l.work(100_000);
    }
    l
}

/// Mean gap per step of a variant, from its runs simulated one by one.
fn mean_alone(s: &Scenario, averaged: bool) -> Vec<f64> {
    let setup = s.build().unwrap();
    let mut sum = vec![0.0; s.steps as usize + 1];
    for r in 0..s.runs {
        let tr = simulate(&setup, r);
        let g = if averaged {
            tr.avg_gap.unwrap()
        } else {
            tr.gap
        };
        for (a, b) in sum.iter_mut().zip(&g) {
            *a += b;
        }
    }
    sum.iter().map(|v| v / s.runs as f64).collect()
}

/// The number after `label` in `text` ("… SGD is lowest (0.0123) …").
fn number_after(text: &str, label: &str) -> f64 {
    let rest = &text[text
        .find(label)
        .unwrap_or_else(|| panic!("{label} in {text}"))
        + label.len()..];
    let start = rest.find(|c: char| c.is_ascii_digit()).unwrap();
    let tail = &rest[start..];
    // Up to the closing bracket or the separator: "0.0123" or "1.5 × 10⁻⁶".
    // A plain number, then " × 10ᵏ" if it is written as a power of ten.
    let plain = |t: &str| {
        t.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
            .unwrap_or(t.len())
    };
    let mut end = plain(tail);
    if let Some(rest) = tail[end..].strip_prefix(" × 10") {
        let sup = rest
            .find(|c: char| !"⁻⁰¹²³⁴⁵⁶⁷⁸⁹".contains(c))
            .unwrap_or(rest.len());
        end += " × 10".len() + sup;
    }
    sgd_lab::lab::parse_shown(&tail[..end]).unwrap_or_else(|| panic!("{}", &tail[..end]))
}

#[test]
fn the_caption_ranks_the_variants_by_their_mean_over_runs_simulated_alone() {
    let mut l = open(&[("steps", "300"), ("runs", "12")]);
    l.advance(300);
    let cap = l.caption();
    let variants = l.scenario().variants();
    assert_eq!(variants.len(), 4);
    let finals: Vec<(String, f64)> = variants
        .iter()
        .map(|v| {
            let averaged = v.scenario.averaging != Default::default();
            (v.label.clone(), mean_alone(&v.scenario, averaged)[300])
        })
        .collect();
    let lowest = finals.iter().min_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
    let highest = finals.iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
    // The defaults tell the sandbox's story: SVRG reaches w*, averaging sits below
    // the constant step's floor, and the constant step stays highest.
    assert_eq!(lowest.0, "SVRG");
    assert_eq!(highest.0, "SGD");
    let avg = finals.iter().find(|f| f.0 == "SGD, averaged").unwrap().1;
    assert!(avg < highest.1 / 5.0, "averaging: {avg} vs {}", highest.1);
    let said = format!("At step 300 {} is lowest (", lowest.0);
    assert!(cap.text.contains(&said), "{}", cap.text);
    let got = number_after(&cap.text, &said);
    assert!(
        (got - lowest.1).abs() <= 5e-4 * lowest.1.abs().max(1e-300),
        "{got} vs {}",
        lowest.1
    );
    let got = number_after(&cap.text, &format!("and {} highest (", highest.0));
    assert!(
        (got - highest.1).abs() <= 5e-4 * highest.1,
        "{got} vs {}",
        highest.1
    );
    // The facts hold every variant's mean at the step, and its cost in evaluations.
    for (label, want) in &finals {
        let (_, v) = cap
            .facts
            .iter()
            .find(|(k, _)| k == &format!("{label}: mean gap at t = 300"))
            .unwrap_or_else(|| panic!("{label}: {:?}", cap.facts));
        let got = number_after(v, "");
        assert!(
            (got - want).abs() <= 5e-4 * want.abs(),
            "{label}: {got} vs {want}"
        );
    }
    // SGD evaluates one gradient a step; SVRG 50 at each snapshot plus 2 a step.
    let fact = |label: &str| {
        cap.facts
            .iter()
            .find(|(k, _)| k == &format!("{label}: mean gap at t = 300"))
            .unwrap()
            .1
            .clone()
    };
    assert!(
        fact("SGD").ends_with("after 300 gradient evaluations"),
        "{}",
        fact("SGD")
    );
    assert!(
        fact("SVRG").ends_with(&format!("after {} gradient evaluations", 50 * 6 + 2 * 300)),
        "{}",
        fact("SVRG")
    );
    assert!(cap.text.contains("Their costs differ"), "{}", cap.text);
    assert_texts_finite(&l);
}

#[test]
fn the_csv_is_what_sgd_lab_run_prints_for_the_exported_scenario_cell_by_cell() {
    let mut l = open(&[
        ("steps", "60"),
        ("runs", "9"),
        (
            "variants",
            "Plain, with a comma: sgd lr=0.2; Ball: sgd lr=0.1 momentum=0.5 batch=2; GD: gd lr=0.5; Avg: sgd lr=0.2 ema decay=0.8",
        ),
    ]);
    l.advance(60);
    // Mean, std, min and max of each of the 4 variants at 61 steps, and the EMA's
    // averaged mean.
    assert_eq!(assert_variants_csv_is_cli(&l, "sandbox"), 4 * 61 * 4 + 61);
}

#[test]
fn a_link_carries_six_variants_in_under_1500_characters_and_reads_back_exactly() {
    let six = "SGD: sgd lr=0.05; Mini-batch 8: sgd lr=0.05 batch=8 without_replacement; Nesterov: sgd lr=0.02 momentum=0.9 nesterov; SVRG: svrg lr=0.05 inner=100; SAGA, 1/t: saga lr=0.05 inverse_time t0=50 polyak start=200; GD, cosine: gd lr=0.5 cosine ema decay=0.95";
    let l = open(&[
        ("problem", "least_squares"),
        ("n", "200"),
        ("d", "3"),
        ("kappa", "20"),
        ("noise", "0.5"),
        ("w0", "1,2,-3"),
        ("variants", six),
        ("x", "grad_evals"),
    ]);
    let q = lab::to_query(l.scenario());
    let url: String = q
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&");
    assert!(url.len() < 1500, "{} characters: {url}", url.len());
    assert!(
        url.contains("variants=SGD%3A+sgd+lr%3D0.05%3B+Mini-batch+8"),
        "{url}"
    );
    // The knobs of another problem are not in it.
    for key in ["spread", "separation", "points"] {
        assert!(!q.iter().any(|(k, _)| k == key), "{key} in {q:?}");
    }
    let back = link::from_pairs(&q, link::Source::Url).unwrap();
    assert!(back.warnings.is_empty(), "{:?}", back.warnings);
    assert_eq!(&back.scenario, l.scenario());
    assert_eq!(back.scenario.variant_count(), 6);
    assert_eq!(
        sgd_lab::lab::sandbox::x_axis_of(&back.scenario).id(),
        "grad_evals"
    );
}

/// application/x-www-form-urlencoded, as the page's URLSearchParams writes it.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                (b as char).to_string()
            }
            b' ' => "+".to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn the_knobs_follow_the_problem_and_a_knob_of_another_problem_is_named() {
    let shown =
        |s: &Scenario| -> Vec<&'static str> { lab::knobs_for(s).iter().map(|k| k.key).collect() };
    let l = open(&[]);
    assert_eq!(
        shown(l.scenario()),
        [
            "problem",
            "n",
            "d",
            "kappa",
            "spread",
            "data_seed",
            "w0",
            "steps",
            "runs",
            "seed",
            "x",
            "variants"
        ]
    );
    let l = open(&[("problem", "logistic"), ("separation", "3")]);
    assert_eq!(
        shown(l.scenario())[..5],
        ["problem", "n", "d", "separation", "data_seed"]
    );
    let got = lab::from_query(&pairs(&[("problem", "logistic"), ("spread", "2")])).unwrap();
    assert_eq!(
        got.warnings,
        ["URL parameter spread \"2\" was not used: it applies only to problem=quadratic, and the problem is logistic"]
    );
    let l = open(&[("points", "1:1,2:2.5,0.5:0.2")]);
    assert_eq!(shown(l.scenario())[..2], ["problem", "points"]);
    assert_eq!(l.scenario().w0.as_deref(), Some(&[-0.5][..]));
    // A page edit that would leave a variant's batch above n says so and changes nothing.
    let s = open(&[("variants", "B: sgd lr=0.1 batch=8")])
        .scenario()
        .clone();
    assert_eq!(
        link::set_knob("sandbox", &s, "n", "5").unwrap_err(),
        "n must be at least the batch of variant \"B\" (8), got 5; lower its batch first"
    );
    assert_eq!(
        link::set_knob("sandbox", &s, "variants", "A: sgd; A: gd").unwrap_err(),
        "variants variant 2: the label \"A\" is used twice; each variant needs its own"
    );
    // A new dimension gets a start point of that dimension.
    let s = link::set_knob("sandbox", &s, "d", "4").unwrap();
    assert_eq!(s.w0.as_deref(), Some(&[-3.0, 3.0, -3.0, 3.0][..]));
    assert!(s.build().is_ok());
}

#[test]
fn a_variant_that_diverges_stops_alone_where_its_run_alone_diverges() {
    let mut l = open(&[
        ("steps", "200"),
        ("runs", "5"),
        ("variants", "Fine: sgd lr=0.1; Too large: gd lr=4"),
    ]);
    l.advance(200);
    let bad = l.scenario().variants()[1].scenario.clone();
    let at = simulate(&bad.build().unwrap(), 0)
        .diverged_at
        .expect("η = 4 > 2/L_s = 2 diverges");
    let msg = l.status().diverged.expect("the status says so");
    assert!(
        msg.starts_with(&format!(
            "Too large diverged in run 1 at step {at} (η = 4; GD is stable only below 2/L_s = "
        )),
        "{msg}"
    );
    assert!(msg.ends_with("the other variants go on."), "{msg}");
    assert!(l.status().done);
    // The other variant's numbers run to the end.
    assert!(l
        .caption()
        .facts
        .iter()
        .any(|(k, _)| k == "Fine: mean gap at t = 200"));
    for chart in ["gap", "iterates", "lr"] {
        let (doc, _) = svg(&l, chart, (640, 400));
        assert!(
            doc.contains("<polyline") || doc.contains("<path"),
            "{chart}"
        );
    }
    assert_texts_finite(&l);
}

#[test]
fn every_chart_holds_every_variant_in_one_two_and_three_dimensions() {
    for (q, what) in [
        (vec![("problem", "points")], "d = 1"),
        (vec![], "d = 2"),
        (vec![("problem", "least_squares"), ("d", "3")], "d = 3"),
    ] {
        let mut l = open(&q);
        l.advance(50);
        for chart in ["gap", "iterates", "lr"] {
            let (doc, frame) = svg(&l, chart, (640, 400));
            assert!(frame.plot.width() > 300, "{what} {chart}");
            // Every variant is named by its direct label.
            for v in l.scenario().variants() {
                let label = v.label.replace(',', "");
                assert!(
                    doc.replace(',', "").contains(&label),
                    "{what} {chart}: label {}",
                    v.label
                );
            }
        }
        assert_texts_finite(&l);
    }
}

#[test]
fn an_exported_scenario_reads_back_through_its_link_without_a_word() {
    // The page's import check: what a link keeps of the lab's scenario is all of it.
    let check = |s: &Scenario, what: &str| {
        let setup = s.build().unwrap();
        let l = Lab::from_setup(&setup).unwrap();
        let again = link::reread(l.scenario(), &l.scenario().build().unwrap()).unwrap();
        assert!(again.warnings.is_empty(), "{what}: {:?}", again.warnings);
        assert_eq!(&again.scenario, l.scenario(), "{what}");
    };
    check(open(&[]).scenario(), "defaults");
    check(
        open(&[("variants", "A: sgd lr=0.1; B: gd lr=0.3 ema decay=0.5")]).scenario(),
        "edited",
    );
    // A file whose variants leave fields to the base: each is written whole.
    let mut s = lab::default_scenario("sandbox").unwrap();
    s.schedule = Schedule::InverseTime { t0: 5.0 };
    for v in s.compare.as_mut().unwrap() {
        v.schedule = None;
    }
    let l = Lab::new(&s).unwrap();
    assert!(l
        .scenario()
        .compare
        .as_ref()
        .unwrap()
        .iter()
        .all(|v| v.schedule == Some(Schedule::InverseTime { t0: 5.0 })));
    check(&s, "a file leaving the schedule to its base");
}

#[test]
fn a_preset_problem_is_one_choice_with_its_own_start_and_no_knobs_of_its_own() {
    for (value, preset) in [
        ("step-size", "step-size"),
        ("momentum", "momentum"),
        ("variance-reduction", "variance-reduction"),
        ("logistic-preset", "logistic"),
    ] {
        let mut l = open(&[("problem", value), ("steps", "50"), ("runs", "3")]);
        let want = sgd_lab::presets::find(preset).unwrap().scenario();
        assert_eq!(l.scenario().problem, want.problem, "{value}");
        let d = l.scenario().w0.as_ref().unwrap().len();
        assert_eq!(l.scenario().w0, want.w0.or(Some(vec![0.0; d])), "{value}");
        let keys: Vec<&str> = lab::knobs_for(l.scenario()).iter().map(|k| k.key).collect();
        assert_eq!(keys[..2], ["problem", "w0"], "{value}: {keys:?}");
        l.advance(50);
        assert_texts_finite(&l);
        assert_eq!(
            lab::to_query(l.scenario())[1],
            ("problem".to_string(), value.to_string())
        );
    }
    let got = lab::from_query(&pairs(&[("problem", "momentum"), ("kappa", "3")])).unwrap();
    assert_eq!(
        got.warnings,
        ["URL parameter kappa \"3\" was not used: it applies only to problem=quadratic or least_squares, and the problem is momentum"]
    );
}

#[test]
fn the_x_axis_counts_steps_evaluations_samples_or_epochs() {
    // SVRG (inner 50, b = 1) over 400 steps: 8 snapshots of n = 50, and each step
    // evaluates its sample at w and at the snapshot: 400 + 800 evaluations, 400 + 400
    // samples; the SGD variants use 400 of each. The x range is the largest.
    for (x, end) in [
        ("steps", 400.0),
        ("grad_evals", 1200.0),
        ("samples", 800.0),
        ("epochs", 24.0),
    ] {
        let mut l = open(&[("x", x)]);
        l.advance(400);
        let (_, frame) = svg(&l, "gap", (640, 400));
        assert_eq!(frame.x_range, (0.0, end), "{x}");
    }
}
