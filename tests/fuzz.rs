#![cfg(not(target_arch = "wasm32"))]
//! Arbitrary and mutated scenario documents: the parser, the validator, the simulator
//! and the theory must answer every one with a result or a SpecError, never a panic,
//! and never print a non-finite number.

use proptest::prelude::*;
use serde_json::Value;
use sgd_lab::presets::PRESETS;
use sgd_lab::report::run_result;
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
    let work = sc.runs * sc.steps.max(1) * (setup.problem.n() as u64).max(1);
    if work > 2_000_000 {
        return;
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
}
