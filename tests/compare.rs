//! Variants (`compare`): each is bit for bit its stand-alone scenario (common random
//! numbers), the core API the lab engine uses, the per-variant theory and CSV, and the
//! messages for bad variants, word for word.

mod common;
use common::{rejection, setup};
use serde_json::{json, Value};
use sgd_lab::ensemble::LANES;
use sgd_lab::report::{compare_result, compare_theory, run_result, trajectory_csv, variants_csv};
use sgd_lab::run::simulate;
use sgd_lab::scenario::{method_label, MAX_VARIANTS};
use sgd_lab::theory::{max_stable_lr, theory};
use sgd_lab::Scenario;
use std::sync::Arc;

/// The stand-alone scenario of variant `i`, made from the JSON alone: the base document
/// without `compare`, with the fields the variant names put in their place.
fn stand_alone(doc: &Value, i: usize) -> Value {
    let mut base = doc.clone();
    let o = base.as_object_mut().unwrap();
    let variant = o.remove("compare").unwrap()[i].clone();
    for (k, v) in variant.as_object().unwrap() {
        if k != "label" {
            o.insert(k.clone(), v.clone());
        }
    }
    base
}

/// Every variant's result, as `sgd-lab run` prints it, against the stand-alone run.
fn assert_variants_are_stand_alone_runs(doc: &Value, summary: bool) {
    let s = setup(&doc.to_string());
    let got = serde_json::to_value(compare_result(&s, summary)).unwrap();
    let n = doc["compare"].as_array().unwrap().len();
    assert_eq!(got["variants"].as_array().unwrap().len(), n);
    for i in 0..n {
        let alone = setup(&stand_alone(doc, i).to_string());
        let want = serde_json::to_string(&run_result(&alone, summary)).unwrap();
        let mut v = got["variants"][i].clone();
        let label = v.as_object_mut().unwrap().remove("label").unwrap();
        assert_eq!(label, doc["compare"][i]["label"]);
        // The same keys with the same numbers, as text (so bit for bit).
        assert_eq!(
            v.to_string(),
            serde_json::to_string(&serde_json::from_str::<Value>(&want).unwrap()).unwrap(),
            "variant {i} of {doc}"
        );
        assert_eq!(got["optimum"], v["optimum"]);
    }
}

fn base_1d(runs: u64) -> Value {
    json!({
        "problem": {"kind": "random_least_squares", "n": 30, "d": 1, "noise": 1.0, "seed": 4},
        "method": {"kind": "sgd", "lr": 0.05},
        "w0": [-3.0], "steps": 60, "runs": runs, "seed": 17
    })
}

fn with_compare(mut doc: Value, variants: Value) -> Value {
    doc["compare"] = variants;
    doc
}

#[test]
fn variants_are_their_stand_alone_scenarios_bit_for_bit() {
    let variants = json!([
        {"label": "base"},
        {"label": "gd", "method": {"kind": "gd", "lr": 0.3}},
        {"label": "momentum", "method": {"lr": 0.02, "momentum": 0.9}},
        {"label": "nesterov b=4", "method": {"lr": 0.02, "batch": 4, "momentum": 0.5, "nesterov": true, "sampling": "without_replacement"}},
        {"label": "svrg", "method": {"kind": "svrg", "lr": 0.1, "inner": 10}},
        {"label": "saga", "method": {"kind": "saga", "lr": 0.05}},
        {"label": "1/t", "schedule": {"kind": "inverse_time", "t0": 5}},
        {"label": "ema", "averaging": {"kind": "ema", "decay": 0.8}, "schedule": {"kind": "step", "every": 20, "gamma": 0.5}}
    ]);
    // One run; a few runs (each in full); an ensemble large enough for the interleaved
    // kernel (plain 1-D SGD takes it beyond the kept runs), with and without --summary.
    for (runs, summary) in [
        (1, false),
        (3, false),
        (3 + 2 * LANES as u64, true),
        (5, true),
    ] {
        let doc = with_compare(base_1d(runs), variants.clone());
        assert_variants_are_stand_alone_runs(&doc, summary);
    }
    // In 2-D, on a quadratic with polyak averaging and cyclic sampling.
    let doc = json!({
        "problem": {"kind": "random_quadratic", "n": 12, "d": 2, "kappa": 8, "seed": 2},
        "w0": [2.0, -1.0], "steps": 40, "runs": 4, "seed": 3,
        "compare": [
            {"label": "cyclic", "method": {"sampling": "cyclic", "lr": 0.05}},
            {"label": "polyak", "averaging": {"kind": "polyak", "start": 10}},
            {"label": "sag", "method": {"kind": "sag", "lr": 0.02}, "schedule": {"kind": "cosine"}},
            {"label": "b=4, a quarter of the steps", "method": {"lr": 0.05, "batch": 4}, "steps": 10}
        ]
    });
    assert_variants_are_stand_alone_runs(&doc, false);
}

#[test]
fn variants_share_the_random_numbers_of_each_run() {
    // Two SGD steps and a momentum variant with the same sampling: run r of each draws
    // the same indices at every step, and run r differs from run r + 1.
    let doc = with_compare(
        base_1d(3),
        json!([
            {"label": "small", "method": {"lr": 0.01}},
            {"label": "large", "method": {"lr": 0.4}},
            {"label": "heavy", "method": {"lr": 0.01, "momentum": 0.9}}
        ]),
    );
    let s = setup(&doc.to_string());
    let vs = s.variant_setups();
    for r in 0..3 {
        let idx: Vec<_> = vs.iter().map(|v| simulate(&v.setup, r).indices).collect();
        assert_eq!(idx[0].len(), 60);
        assert_eq!(idx[0], idx[1], "run {r}");
        assert_eq!(idx[0], idx[2], "run {r}");
        assert_ne!(idx[0], simulate(&vs[0].setup, r + 1).indices);
        // …while the paths differ (the step sizes do).
        assert_ne!(simulate(&vs[0].setup, r).w, simulate(&vs[1].setup, r).w);
    }
}

#[test]
fn the_api_builds_the_problem_once_and_derives_labels() {
    let doc = with_compare(
        base_1d(2),
        json!([{"label": "a"}, {"label": "b", "method": {"kind": "gd", "lr": 0.5}}]),
    );
    let s = setup(&doc.to_string());
    let vs = s.variant_setups();
    assert_eq!(vs.len(), 2);
    for v in &vs {
        assert!(Arc::ptr_eq(&v.setup.problem, &s.problem), "{}", v.label);
        assert_eq!(v.setup.w0, vec![-3.0]);
        assert!(v.setup.scenario.compare.is_none());
        assert_eq!(
            (
                v.setup.scenario.steps,
                v.setup.scenario.runs,
                v.setup.scenario.seed
            ),
            (60, 2, 17)
        );
    }
    assert_eq!(vs[0].setup.scenario.method, s.scenario.method);
    assert_eq!(vs[1].setup.scenario.method.lr, 0.5);
    // A variant's method replaces the base method whole: batch, momentum… are the
    // defaults, not the base's.
    let doc = json!({"problem": {"kind": "random_quadratic"}, "method": {"lr": 0.01, "batch": 3, "momentum": 0.5},
        "compare": [{"label": "x", "method": {"lr": 0.2}}]});
    let v = &setup(&doc.to_string()).variant_setups()[0];
    assert_eq!(
        (
            v.setup.scenario.method.batch,
            v.setup.scenario.method.momentum
        ),
        (1, 0.0)
    );
    // Without compare: one implicit variant, the scenario itself, labelled by its method.
    let plain = setup(&base_1d(1).to_string());
    let one = plain.variant_setups();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].label, "sgd lr=0.05");
    assert_eq!(one[0].setup.scenario, plain.scenario);
    assert_eq!(plain.scenario.variants()[0].label, "sgd lr=0.05");
    assert!(!plain.scenario.is_compare());
    assert_eq!(plain.scenario.variant_count(), 1);
}

#[test]
fn implicit_labels_follow_the_documented_rule() {
    let label = |m: &str| {
        let s = Scenario::from_json(&format!(
            r#"{{"problem": {{"kind": "random_quadratic"}}, "method": {m}}}"#
        ))
        .unwrap();
        method_label(&s.method)
    };
    assert_eq!(label("{}"), "sgd lr=0.1");
    assert_eq!(label(r#"{"kind": "gd", "lr": 0.5}"#), "gd lr=0.5");
    assert_eq!(
        label(
            r#"{"lr": 0.05, "batch": 4, "sampling": "without_replacement", "momentum": 0.9, "nesterov": true}"#
        ),
        "sgd lr=0.05 batch=4 without_replacement momentum=0.9 nesterov"
    );
    assert_eq!(
        label(r#"{"kind": "svrg", "inner": 50, "lr": 2}"#),
        "svrg lr=2 inner=50"
    );
    assert_eq!(
        label(r#"{"kind": "saga", "sampling": "cyclic", "momentum": 0.5, "dampening": 0.25}"#),
        "saga lr=0.1 cyclic momentum=0.5 dampening=0.25"
    );
}

#[test]
fn bad_variants_are_named_by_their_path() {
    let base =
        r#""problem": {"kind": "least_squares", "x": [[1.0], [2.0], [0.5]], "y": [1.0, 3.0, 2.0]}"#;
    let nine: Vec<String> = (0..9).map(|k| format!(r#"{{"label": "v{k}"}}"#)).collect();
    let eight: Vec<String> = (0..8).map(|k| format!(r#"{{"label": "v{k}"}}"#)).collect();
    let cases: &[(&str, &str)] = &[
        (r#"[{"label": "a"}, {"label": "b"}, {"label": "c", "method": {"lr": -1}}]"#,
         "compare[2].method.lr must be a finite number > 0, got -1"),
        (r#"[{"label": "a", "method": {"batch": 4}}]"#,
         "compare[0].method.batch must be between 1 and n = 3, got 4"),
        (r#"[{"label": "a"}, {"label": "b", "method": {"momentum": 0.5, "dampening": 0.5, "nesterov": true}}]"#,
         "compare[1].method.nesterov needs momentum > 0 and dampening = 0 (as in PyTorch), got momentum 0.5 and dampening 0.5"),
        (r#"[{"label": "a", "schedule": {"kind": "exponential", "gamma": 1.5}}]"#,
         "compare[0].schedule.gamma must be in (0, 1], got 1.5"),
        (r#"[{"label": "a", "averaging": {"kind": "ema", "decay": 1}}]"#,
         "compare[0].averaging.decay must be in [0, 1), got 1"),
        (r#"[{"label": "a"}, {"label": ""}]"#,
         r#"compare[1].label must not be empty (it names the variant), got """#),
        (r#"[{"label": "SGD"}, {"label": "b"}, {"label": "SGD"}]"#,
         r#"compare[2].label must differ from every other variant's label, got "SGD" (the label of compare[0])"#),
        ("[]", "compare must have between 1 and 8 variants, got 0"),
        (&format!("[{}]", nine.join(", ")), "compare must have between 1 and 8 variants, got 9"),
        (r#"[{"label": "a", "lr": 0.5}]"#,
         "compare[0].lr is not valid: unknown field `lr`, expected one of `label`, `method`, `schedule`, `averaging`, `steps`"),
        (r#"[{"label": "a"}, {"label": "b", "method": {"lerning_rate": 1}}]"#,
         "compare[1].method.lerning_rate is not valid: unknown field `lerning_rate`, expected one of `kind`, `lr`, `batch`, `sampling`, `momentum`, `dampening`, `nesterov`, `inner`, `sample_weights`, `importance_weighting`"),
        (r#"[{"method": {}}]"#, "compare[0] is not valid: missing field `label`"),
        (r#"[{"label": "a"}, {"label": "b", "steps": 2000000}]"#,
         "compare[1].steps must be at most 1000000, got 2000000"),
        (r#"[{"label": "a", "steps": 2.5}]"#,
         "compare[0].steps is not valid: invalid type: floating point `2.5`, expected a whole number ≥ 0"),
        (r#"[{"label": 3}]"#, "compare[0].label is not valid: invalid type: integer `3`, expected a string"),
        (r#"[{"label": "a", "method": {"kind": "adam"}}]"#,
         "compare[0].method.kind is not valid: unknown variant `adam`, expected one of `gd`, `sgd`, `svrg`, `sag`, `saga`"),
        (r#"[{"label": "a", "schedule": {"kind": "step", "every": 0}}]"#,
         "compare[0].schedule.every must be an integer ≥ 1, got 0"),
        (r#"{"label": "a"}"#, "compare is not valid: invalid type: map, expected a sequence of variants"),
        (r#"["a"]"#, r#"compare[0] is not valid: invalid type: string "a", expected a variant object"#),
    ];
    for (compare, want) in cases {
        let got = rejection(&format!(r#"{{{base}, "compare": {compare}}}"#));
        assert_eq!(&got, want, "for {compare}");
    }
    // Eight are allowed; the work of all of them counts against the limit.
    setup(&format!(r#"{{{base}, "compare": [{}]}}"#, eight.join(", ")));
    assert_eq!(MAX_VARIANTS, 8);
    assert_eq!(
        rejection(&format!(r#"{{{base}, "runs": 100000, "steps": 200, "compare": [{}]}}"#, eight.join(", "))),
        "compare has 8 variants, and variants × runs × steps must be at most 100000000, got 8 × 100000 × 200 = 160000000"
    );
    // With steps of their own, the variants' steps add up.
    assert_eq!(
        rejection(&format!(r#"{{{base}, "runs": 100000, "steps": 200, "compare": [{{"label": "a", "steps": 800}}, {{"label": "b"}}, {{"label": "c", "steps": 50}}]}}"#)),
        "compare has 3 variants, and runs × (the variants' steps added up) must be at most 100000000, got 100000 × 1050 = 105000000"
    );
    let s = setup(&format!(
        r#"{{{base}, "runs": 2, "steps": 20, "compare": [{{"label": "a", "steps": 80}}, {{"label": "b"}}]}}"#
    ));
    let steps: Vec<u64> = s
        .variant_setups()
        .iter()
        .map(|v| v.setup.scenario.steps)
        .collect();
    assert_eq!(steps, [80, 20]);
    // null is "left out", as for every optional field.
    let s = setup(&format!(r#"{{{base}, "compare": null}}"#));
    assert!(s.scenario.compare.is_none());
}

#[test]
fn compare_round_trips_and_its_absence_writes_nothing() {
    let doc = with_compare(
        base_1d(2),
        json!([{"label": "a, \"b\""}, {"label": "m", "method": {"kind": "svrg", "lr": 0.2}, "averaging": {"kind": "polyak", "start": 3}}]),
    );
    let s = Scenario::from_json(&doc.to_string()).unwrap();
    assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s);
    let written: Value = serde_json::from_str(&s.to_json()).unwrap();
    assert_eq!(written["compare"][0], json!({"label": "a, \"b\""}));
    assert_eq!(written["compare"][1]["method"]["kind"], "svrg");
    let plain = Scenario::from_json(&base_1d(2).to_string()).unwrap();
    assert!(!plain.to_json().contains("compare"));
}

#[test]
fn theory_reports_the_method_s_numbers_per_variant() {
    let doc = with_compare(
        base_1d(1),
        json!([
            {"label": "sgd"},
            {"label": "b=4", "method": {"lr": 0.2, "batch": 4}},
            {"label": "heavy", "method": {"lr": 0.05, "momentum": 0.8, "dampening": 0.5}},
            {"label": "decay", "schedule": {"kind": "inverse_sqrt"}}
        ]),
    );
    let s = setup(&doc.to_string());
    let got = serde_json::to_value(compare_theory(&s)).unwrap();
    let base = serde_json::to_value(theory(&s)).unwrap();
    // Everything that does not depend on the method is the plain theory's, the same
    // text in the same order (bound and bound_note, its last keys, are only per
    // variant); then the variants.
    let text = serde_json::to_string(&compare_theory(&s)).unwrap();
    let plain = serde_json::to_string(&theory(&s)).unwrap();
    let shared = &plain[..plain.find(",\"bound\":").unwrap()];
    assert!(
        text.starts_with(&format!("{shared},\"variants\":[")),
        "{text:.300}"
    );
    assert!(base["bound"].is_object());
    for i in 0..4 {
        let alone = theory(&setup(&stand_alone(&doc, i).to_string()));
        let v = &got["variants"][i];
        assert_eq!(v["label"], doc["compare"][i]["label"]);
        assert_eq!(
            v["bound"],
            serde_json::to_value(&alone.bound).unwrap(),
            "variant {i}"
        );
        assert_eq!(
            v.get("bound_note"),
            serde_json::to_value(&alone.bound_note)
                .ok()
                .filter(|n| !n.is_null())
                .as_ref()
        );
    }
    assert!(got["variants"][0]["bound"].is_object());
    assert!(got["variants"][3]["bound"].is_null());
    assert_eq!(
        got["variants"][3]["bound_note"],
        "the bound is for a constant step size"
    );
    // The stable step: 2/L_s without momentum; 2(1 + μ)/((1 − τ) L_s) with it.
    let ls = base["smoothness"].as_f64().unwrap();
    assert_eq!(
        got["variants"][0]["max_stable_lr"].as_f64().unwrap(),
        2.0 / ls
    );
    assert_eq!(
        got["variants"][2]["max_stable_lr"].as_f64().unwrap(),
        2.0 * 1.8 / (0.5 * ls)
    );
}

/// GD with momentum on a 1-D quadratic (curvature 2): just below the stable step it
/// converges, just above it the run diverges — for heavy ball, damped heavy ball and
/// Nesterov, and for plain GD.
#[test]
fn the_stable_step_is_where_gd_with_momentum_starts_to_diverge() {
    for (momentum, dampening, nesterov) in [
        (0.0, 0.0, false),
        (0.5, 0.0, false),
        (0.7, 0.4, false),
        (0.5, 0.0, true),
        (0.9, 0.0, true),
    ] {
        let at = |lr: f64| {
            let doc = json!({
                "problem": {"kind": "quadratic", "h": [[2.0]], "centers": [[1.0], [-1.0]]},
                "method": {"kind": "gd", "lr": lr, "momentum": momentum, "dampening": dampening, "nesterov": nesterov},
                "w0": [3.0], "steps": 20000, "runs": 1
            });
            simulate(&setup(&doc.to_string()), 0)
        };
        let probe = setup(&json!({
            "problem": {"kind": "quadratic", "h": [[2.0]], "centers": [[1.0], [-1.0]]},
            "method": {"kind": "gd", "momentum": momentum, "dampening": dampening, "nesterov": nesterov}
        }).to_string());
        let eta = max_stable_lr(&probe.scenario.method, theory(&probe).smoothness).unwrap();
        let below = at(0.99 * eta);
        assert_eq!(
            below.diverged_at, None,
            "μ {momentum} τ {dampening} nesterov {nesterov}"
        );
        assert!(
            *below.gap.last().unwrap() < 1e-6 * below.gap[0],
            "μ {momentum}: {}",
            below.gap.last().unwrap()
        );
        assert!(
            at(1.01 * eta).diverged_at.is_some(),
            "μ {momentum} τ {dampening} nesterov {nesterov}"
        );
    }
    // Dampening 1 with momentum: the gradient only enters once; no step is too large.
    let m = Scenario::from_json(
        r#"{"problem": {"kind": "random_quadratic"}, "method": {"momentum": 0.5, "dampening": 1}}"#,
    )
    .unwrap()
    .method;
    assert_eq!(max_stable_lr(&m, 3.0), None);
}

#[test]
fn csv_of_variants_has_a_leading_variant_column() {
    let doc = with_compare(
        base_1d(1),
        json!([{"label": "plain"}, {"label": "avg, \"ema\"", "averaging": {"kind": "ema"}}]),
    );
    let s = setup(&doc.to_string());
    let tables: Vec<(String, String)> = s
        .variant_setups()
        .iter()
        .map(|v| (v.label.clone(), trajectory_csv(&simulate(&v.setup, 0))))
        .collect();
    let csv = variants_csv(&tables);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "variant,step,w0,loss,gap,lr,indices,grad_evals,avg_w0,avg_gap"
    );
    assert_eq!(lines.len(), 1 + 2 * 61);
    // Every row: the label, then the variant's own row, padded to the header's width.
    for (k, (label, table)) in tables.iter().enumerate() {
        let quoted = if k == 0 {
            "plain".to_string()
        } else {
            r#""avg, ""ema""""#.to_string()
        };
        for (t, row) in table.lines().skip(1).enumerate() {
            let line = lines[1 + k * 61 + t];
            let rest = line
                .strip_prefix(&format!("{quoted},"))
                .unwrap_or_else(|| panic!("{label}: {line}"));
            let pad = if k == 0 { ",," } else { "" };
            assert_eq!(rest, format!("{row}{pad}"));
        }
    }
    // One table: its rows with the label in front, nothing else changed.
    let one = variants_csv(&tables[..1]);
    assert_eq!(one.lines().count(), 62);
    assert!(one
        .lines()
        .skip(1)
        .zip(tables[0].1.lines().skip(1))
        .all(|(a, b)| a == format!("plain,{b}")));
}

/// The example and the messages in docs/SCENARIO.md's section on variants are what the
/// code does.
#[test]
fn the_documented_example_runs_and_its_messages_are_the_real_ones() {
    let doc = include_str!("../docs/SCENARIO.md");
    let section =
        &doc[doc.find("## Variants (`compare`)").unwrap()..doc.find("## Random seeds").unwrap()];
    let blocks: Vec<&str> = section.split("```").collect();
    let example = blocks[1].strip_prefix("json").unwrap();
    let s = setup(example);
    let labels: Vec<String> = s.variant_setups().into_iter().map(|v| v.label).collect();
    assert_eq!(labels, ["SGD", "momentum 0.9", "SVRG", "1/t, averaged"]);
    let messages: Vec<&str> = blocks[3].lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(messages.len(), 6);
    let v: Value = serde_json::from_str(example).unwrap();
    let with = |compare: Value| {
        let mut d = v.clone();
        d["compare"] = compare;
        rejection(&d.to_string())
    };
    let nine: Vec<Value> = (0..9).map(|k| json!({"label": format!("v{k}")})).collect();
    assert_eq!(
        with(json!([{"label": "a"}, {"label": "b"}, {"label": "c", "method": {"lr": -1}}])),
        messages[0]
    );
    assert_eq!(with(json!([{"label": "a"}, {"label": ""}])), messages[1]);
    assert_eq!(
        with(json!([{"label": "SGD"}, {"label": "b"}, {"label": "SGD"}])),
        messages[2]
    );
    assert_eq!(with(Value::Array(nine)), messages[3]);
    assert_eq!(with(json!([{"label": "a", "lr": 0.5}])), messages[4]);
    assert_eq!(
        with(json!([{"label": "a"}, {"label": "b", "steps": 2_000_000}])),
        messages[5]
    );
}
