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
    let th = serde_json::to_value(theory(&setup)).unwrap();
    for key in [
        "smoothness",
        "strong_convexity",
        "sigma0",
        "max_stable_lr",
        "initial_gap",
    ] {
        assert!(
            th[key].as_f64().is_some_and(f64::is_finite),
            "{key} = {}",
            th[key]
        );
    }
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
