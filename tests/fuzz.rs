#![cfg(not(target_arch = "wasm32"))]
//! Arbitrary and mutated scenario documents: the parser, the validator, the simulator
//! and the theory must answer every one with a result or a SpecError, never a panic,
//! and never print a non-finite number. Scenarios with `compare` too: every variant of
//! one that is accepted is, bit for bit, its stand-alone scenario.

use proptest::prelude::*;
use serde_json::Value;
use sgd_lab::presets::PRESETS;
use sgd_lab::report::{compare_result, compare_theory, run_result};
use sgd_lab::theory::theory;
use sgd_lab::Scenario;

/// Values a mutation can put anywhere.
fn pool(k: u8) -> Value {
    match k % 24 {
        0 => Value::Null,
        1 => serde_json::json!(-1),
        2 => serde_json::json!(0),
        3 => serde_json::json!(1e308),
        4 => serde_json::json!(-1e-308),
        5 => serde_json::json!(0.5),
        6 => serde_json::json!(1e9),
        7 => serde_json::json!(u64::MAX),
        8 => serde_json::json!(3),
        9 => serde_json::json!("sgd"),
        10 => serde_json::json!("svrg"),
        11 => serde_json::json!(true),
        12 => serde_json::json!([]),
        13 => serde_json::json!([[]]),
        14 => serde_json::json!({}),
        15 => serde_json::json!([[1e6, -1e6], [0, 0]]),
        16 => serde_json::json!("least_squares"),
        17 => serde_json::json!("quadratic"),
        18 => serde_json::json!("random_logistic"),
        19 => serde_json::json!(1000000),
        20 => serde_json::json!(2),
        21 => serde_json::json!(-0.0),
        22 => serde_json::json!("without_replacement"),
        _ => serde_json::json!(0.999999),
    }
}

/// Applies one mutation to the node reached by `sel` (a walk through the tree).
fn mutate(v: &mut Value, mut sel: u64, op: u8, val: u8) {
    let mut node = v;
    loop {
        let next_len = match node {
            Value::Object(m) => m.len(),
            Value::Array(a) => a.len(),
            _ => 0,
        };
        if next_len == 0 || sel % 3 == 0 {
            break;
        }
        sel /= 3;
        let k = (sel as usize) % next_len;
        sel /= next_len as u64 + 1;
        node = match node {
            Value::Object(m) => m.values_mut().nth(k).unwrap(),
            Value::Array(a) => &mut a[k],
            _ => unreachable!(),
        };
    }
    match (op % 4, &mut *node) {
        (0, Value::Object(m)) if !m.is_empty() => {
            let key = m.keys().nth(val as usize % m.len()).unwrap().clone();
            m.remove(&key);
        }
        (1, Value::Array(a)) if !a.is_empty() => {
            a.pop();
        }
        (2, Value::Array(a)) if !a.is_empty() => {
            let first = a[0].clone();
            a.push(first);
        }
        _ => *node = pool(val),
    }
}

/// Parse, validate, and where small enough simulate and compute the theory.
fn exercise(text: &str) {
    let Ok(s) = Scenario::from_json(text) else {
        return;
    };
    let Ok(setup) = s.build() else { return };
    let sc = &setup.scenario;
    let work =
        sc.variant_count() as u64 * sc.runs * sc.steps.max(1) * (setup.problem.n() as u64).max(1);
    if work > 2_000_000 {
        return;
    }
    if sc.is_compare() {
        return exercise_compare(text, &setup);
    }
    let res = run_result(&setup, true);
    let out = serde_json::to_string(&res).unwrap();
    // serde_json prints a non-finite f64 as null; fields that may be null are named.
    let stripped = out.replace("\"diverged_at\":null", "");
    assert!(
        !stripped.contains("null"),
        "non-finite number in {out:.300}"
    );
    check_theory(&serde_json::to_value(theory(&setup)).unwrap(), text);
}

/// A compare scenario: no non-finite number, and each variant is the scenario made
/// from the document by putting the variant's fields in place of the base's.
fn exercise_compare(text: &str, setup: &sgd_lab::Setup) {
    let res = serde_json::to_value(compare_result(setup, true)).unwrap();
    let out = res.to_string();
    assert!(
        !out.replace("\"diverged_at\":null", "").contains("null"),
        "non-finite number in {out:.300}"
    );
    let doc: Value = serde_json::from_str(text).unwrap();
    let variants = doc["compare"].as_array().unwrap();
    for (i, variant) in variants.iter().enumerate() {
        let mut alone = doc.clone();
        let o = alone.as_object_mut().unwrap();
        o.remove("compare");
        for (k, v) in variant.as_object().unwrap() {
            // null is "left out": the base's field stays.
            if k != "label" && !v.is_null() {
                o.insert(k.clone(), v.clone());
            }
        }
        let alone = Scenario::from_json(&alone.to_string())
            .and_then(|s| s.build())
            .unwrap_or_else(|e| panic!("variant {i} accepted in compare, refused alone: {e}"));
        let mut got = res["variants"][i].clone();
        got.as_object_mut().unwrap().remove("label");
        assert_eq!(
            got,
            serde_json::to_value(run_result(&alone, true)).unwrap(),
            "variant {i}"
        );
    }
    let th = serde_json::to_value(compare_theory(setup)).unwrap();
    assert_eq!(th["variants"].as_array().unwrap().len(), variants.len());
    for v in th["variants"].as_array().unwrap() {
        assert!(
            v["max_stable_lr"].is_null() || v["max_stable_lr"].as_f64().is_some_and(f64::is_finite)
        );
    }
}

/// Variants a compare list is made of before mutation.
fn variant(k: u8) -> Value {
    match k % 8 {
        0 => serde_json::json!({"label": "base"}),
        1 => serde_json::json!({"label": "gd", "method": {"kind": "gd", "lr": 0.3}}),
        2 => serde_json::json!({"label": "momentum", "method": {"lr": 0.02, "momentum": 0.9}}),
        3 => {
            serde_json::json!({"label": "nesterov", "method": {"lr": 0.05, "momentum": 0.5, "nesterov": true, "batch": 2}})
        }
        4 => serde_json::json!({"label": "svrg", "method": {"kind": "svrg", "inner": 5}}),
        5 => serde_json::json!({"label": "1/t", "schedule": {"kind": "inverse_time", "t0": 3}}),
        6 => serde_json::json!({"label": "polyak", "averaging": {"kind": "polyak", "start": 4}}),
        _ => {
            serde_json::json!({"label": "saga ema", "method": {"kind": "saga"}, "averaging": {"kind": "ema"}})
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        exercise(&text);
    }

    #[test]
    fn json_shaped_noise_never_panics(text in r#"[\{\}\[\]":,0-9a-z_.\- e]{0,120}"#) {
        exercise(&text);
    }

    #[test]
    fn mutated_presets_never_panic(
        which in 0usize..PRESETS.len(),
        muts in proptest::collection::vec((any::<u64>(), any::<u8>(), any::<u8>()), 1..5),
    ) {
        let mut v: Value = serde_json::from_str(PRESETS[which].json).unwrap();
        // Keep the expensive presets cheap enough to simulate.
        if let Some(o) = v.as_object_mut() {
            o.insert("runs".into(), serde_json::json!(2));
            o.insert("steps".into(), serde_json::json!(30));
        }
        for (sel, op, val) in muts {
            mutate(&mut v, sel, op, val);
        }
        exercise(&v.to_string());
    }

    #[test]
    fn mutated_compare_scenarios_never_panic_and_match_their_stand_alone_runs(
        which in 0usize..PRESETS.len(),
        picks in proptest::collection::vec(any::<u8>(), 1..5),
        muts in proptest::collection::vec((any::<u64>(), any::<u8>(), any::<u8>()), 0..4),
    ) {
        let mut v: Value = serde_json::from_str(PRESETS[which].json).unwrap();
        if let Some(o) = v.as_object_mut() {
            o.insert("runs".into(), serde_json::json!(2));
            o.insert("steps".into(), serde_json::json!(30));
            // Labels made unique by position; duplicates come from the mutations.
            let list: Vec<Value> = picks.iter().enumerate().map(|(i, &k)| {
                let mut x = variant(k);
                x["label"] = format!("{i} {}", x["label"].as_str().unwrap()).into();
                x
            }).collect();
            o.insert("compare".into(), Value::Array(list));
        }
        for (sel, op, val) in muts {
            mutate(&mut v, sel, op, val);
        }
        exercise(&v.to_string());
    }
}

/// Every number in the theory's JSON is finite (serde_json prints a non-finite f64 as
/// null), nulls stand only where the format allows "none", and the numbers keep the
/// relations the theory promises.
fn check_theory(th: &Value, context: &str) {
    fn walk(v: &Value, path: &str, context: &str) {
        match v {
            // Optional parts of the theory: absent (null) when they do not apply; a
            // sample with x_i = 0 has no minimiser of its own.
            Value::Null => assert!(
                [
                    "condition_number",
                    "sigma",
                    "per_sample_minimizers",
                    "zone_of_confusion",
                    "bound",
                    "bound_note",
                ]
                .iter()
                .any(|k| path == *k || path.starts_with(&format!("{k}["))),
                "null (a non-finite number?) at {path} in {context}"
            ),
            Value::Number(n) => assert!(
                n.as_f64().is_some_and(f64::is_finite),
                "{path} = {n} in {context}"
            ),
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, &format!("{path}[{i}]"), context);
                }
            }
            Value::Object(m) => {
                for (k, x) in m {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    walk(x, &p, context);
                }
            }
            _ => {}
        }
    }
    walk(th, "", context);
    let f = |v: &Value| v.as_f64().unwrap();
    let (ls, mu) = (f(&th["smoothness"]), f(&th["strong_convexity"]));
    assert!(
        ls > 0.0 && mu >= 0.0 && mu <= ls * (1.0 + 1e-12),
        "{context}"
    );
    assert!(f(&th["max_stable_lr"]) > 0.0, "{context}");
    assert!(f(&th["initial_gap"]) >= 0.0, "{context}");
    if let Some(z) = th["zone_of_confusion"].as_array() {
        assert!(f(&z[0]) <= f(&z[1]), "{context}");
    }
    if let Some(s) = th["sigma"].as_object() {
        assert!(
            f(&s["m_g"]) >= f(&s["m_g_min"]) && f(&s["m"]) >= 0.0,
            "{context}"
        );
    }
    if let Some(b) = th["bound"].as_object() {
        let (floor, rate) = (f(&b["floor"]), f(&b["rate"]));
        assert!(floor >= 0.0 && (0.0..1.0).contains(&rate), "{context}");
        let curve = b["curve"].as_array().unwrap();
        assert!(!curve.is_empty(), "{context}");
        // The bound contracts towards its floor and never goes below it.
        for c in curve {
            assert!(f(c) >= floor * (1.0 - 1e-12), "{context}");
        }
    }
}

/// A scenario inside every documented limit (docs/SCENARIO.md), built field by field:
/// each one must be accepted, simulated and given a theory. (The noise generators
/// above almost never produce a valid document; this one always does.)
fn valid_scenario() -> impl Strategy<Value = Value> {
    let problem = (0u8..3, 1u64..6, 1u64..4, 0u64..1000, 0u8..4).prop_map(|(k, n, d, seed, x)| {
        let n = n * 4 + d; // n ≥ d + 4: generated least squares has full rank
        match k {
            0 => serde_json::json!({"kind": "random_least_squares", "n": n, "d": d,
                "noise": ([0.0, 0.5, 1.0, 3.0][x as usize]), "kappa": ([1.0, 4.0, 30.0, 1.0][x as usize]), "seed": seed, "sorted": x % 2 == 1}),
            1 => serde_json::json!({"kind": "random_quadratic", "n": n, "d": d,
                "kappa": ([1.0, 10.0, 100.0, 2.0][x as usize]), "spread": ([0.0, 1.0, 2.5, 0.1][x as usize]), "seed": seed}),
            _ => serde_json::json!({"kind": "random_logistic", "n": n, "d": d,
                "separation": ([0.5, 1.0, 3.0, 1.0][x as usize]), "l2": ([0.01, 0.1, 1.0, 0.001][x as usize]), "seed": seed}),
        }
    });
    let method = (
        0u8..5,
        -4.0f64..1.0,
        1u64..5,
        0u8..4,
        0u8..4,
        any::<bool>(),
        1u64..8,
    )
        .prop_map(|(k, log_lr, batch, sampling, mom, nesterov, inner)| {
            let mu = [0.0, 0.5, 0.9, 0.99][mom as usize];
            serde_json::json!({
                "kind": (["gd", "sgd", "svrg", "sag", "saga"][k as usize]),
                "lr": 10f64.powf(log_lr),
                "batch": batch,
                "sampling": (["with_replacement", "without_replacement", "shuffle_once", "cyclic"][sampling as usize]),
                "momentum": mu,
                "nesterov": nesterov && mu > 0.0,
                "inner": inner,
            })
        });
    let schedule = (0u8..6, 1u64..50, 0.5f64..1.0).prop_map(|(k, t, g)| match k {
        0 => serde_json::json!({"kind": "constant"}),
        1 => serde_json::json!({"kind": "inverse_time", "t0": t}),
        2 => serde_json::json!({"kind": "inverse_sqrt", "t0": t}),
        3 => serde_json::json!({"kind": "exponential", "gamma": g}),
        4 => serde_json::json!({"kind": "step", "every": t, "gamma": g}),
        _ => serde_json::json!({"kind": "cosine", "steps": t}),
    });
    let averaging = (0u8..3, 0u64..20, 0.0f64..0.99).prop_map(|(k, start, decay)| match k {
        0 => serde_json::json!({"kind": "none"}),
        1 => serde_json::json!({"kind": "polyak", "start": start}),
        _ => serde_json::json!({"kind": "ema", "decay": decay}),
    });
    (
        problem,
        method,
        schedule,
        averaging,
        0u64..60,
        1u64..4,
        0u64..(1 << 53),
        -3.0f64..3.0,
    )
        .prop_map(|(problem, method, schedule, averaging, steps, runs, seed, w)| {
            let d = problem["d"].as_u64().unwrap() as usize;
            serde_json::json!({
                "problem": problem, "method": method, "schedule": schedule,
                "averaging": averaging, "w0": vec![w; d], "steps": steps, "runs": runs, "seed": seed,
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_scenario_within_the_documented_limits_is_accepted_runs_and_has_a_theory(
        doc in valid_scenario(),
    ) {
        let text = doc.to_string();
        let setup = Scenario::from_json(&text)
            .and_then(|s| s.build())
            .unwrap_or_else(|e| panic!("refused a valid scenario: {e}\n{text}"));
        let out = serde_json::to_string(&run_result(&setup, true)).unwrap();
        prop_assert!(
            !out.replace("\"diverged_at\":null", "").contains("null"),
            "non-finite number in {out:.300}"
        );
        check_theory(&serde_json::to_value(theory(&setup)).unwrap(), &text);
        // The document round-trips: what is printed reads back to the same scenario.
        let again = Scenario::from_json(&setup.scenario.to_json()).unwrap();
        prop_assert_eq!(&again, &setup.scenario);
    }
}
