//! The wasm binding's own logic (src/wasm.rs), in WebAssembly under node: the lab
//! handle built from URL pairs and from a scenario file, knob changes that fail
//! without changing anything, and the JSON the page reads. Drawing needs a canvas and
//! is covered by the browser tests (tests/browser/labs.test.mjs).
//!   CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!     cargo test --release --target wasm32-unknown-unknown --test wasm_binding
#![cfg(target_arch = "wasm32")]

use serde_json::Value;
use sgd_lab::wasm::{lab_catalogue, LabBuild, LabHandle};
use wasm_bindgen::{JsCast, JsError, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn message(e: JsError) -> String {
    JsValue::from(e)
        .dyn_into::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_default()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// A value the binding returns, as JSON (through the engine's own `JSON.stringify`).
fn js(v: JsValue) -> Value {
    let text: String = js_sys::JSON::stringify(&v)
        .map(String::from)
        .unwrap_or_else(|_| panic!("not serialisable: {v:?}"));
    json(&text)
}

/// `[[k, v], …]` as the array of arrays the page passes to `from_query`.
fn pairs_value(pairs: &[Vec<String>]) -> JsValue {
    serde_wasm_bindgen::to_value(pairs).unwrap()
}

/// A JavaScript value from JSON text (what the page would build by hand).
fn parse(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap_or_else(|_| panic!("not JSON: {text}"))
}

fn ready() -> Vec<String> {
    js(lab_catalogue())
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["ready"] == Value::Bool(true))
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect()
}

fn open(id: &str, extra: &[(&str, &str)]) -> LabHandle {
    let mut pairs = vec![vec!["lab".to_string(), id.to_string()]];
    pairs.extend(
        extra
            .iter()
            .map(|(k, v)| vec![k.to_string(), v.to_string()]),
    );
    LabHandle::from_query(pairs_value(&pairs)).unwrap_or_else(|e| panic!("{id}: {}", message(e)))
}

fn query_value(h: &LabHandle, key: &str) -> String {
    js(h.query())
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p[0] == key)
        .map(|p| p[1].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("no {key} in {}", js(h.query())))
}

#[wasm_bindgen_test]
fn the_catalogue_lists_every_lab_with_its_ready_flag() {
    let cat = js(lab_catalogue());
    let labs = cat.as_array().unwrap();
    let ids: Vec<&str> = labs.iter().map(|l| l["id"].as_str().unwrap()).collect();
    // Lecture order (shared/LABS.md), then the sandbox.
    assert_eq!(
        ids,
        [
            "epochs",
            "per-sample",
            "step-size",
            "expected-loss",
            "noise-assumptions",
            "descent-lemma",
            "decay",
            "mini-batch",
            "gd-vs-sgd",
            "averaging",
            "momentum",
            "variance-reduction",
            "sandbox"
        ]
    );
    // What the landing page shows comes from here: every row has its words.
    for l in labs {
        for key in ["title", "part", "teaser"] {
            assert!(l[key].as_str().is_some_and(|v| v.len() > 3), "{l}: {key}");
        }
        assert!(l["time"].is_string() && l["ready"].is_boolean(), "{l}");
        // A built lab's picture (www/thumbs/<id>.svg): its chart and alt text; none
        // for the others.
        if l["ready"] == true {
            assert!(l["thumb"]["chart"].is_string(), "{l}");
            assert!(
                l["thumb"]["alt"].as_str().is_some_and(|a| a.len() > 60),
                "{l}"
            );
        } else {
            assert!(l["thumb"].is_null(), "{l}");
        }
    }
    assert_eq!(labs[9]["title"], "Iterate averaging");
    assert_eq!(labs[1]["part"], "SGD for least squares (11:49)");
    assert_eq!(
        ready(),
        [
            "epochs",
            "per-sample",
            "step-size",
            "expected-loss",
            "noise-assumptions",
            "descent-lemma",
            "decay",
            "mini-batch",
            "gd-vs-sgd",
            "averaging",
            "momentum",
            "variance-reduction",
            "sandbox"
        ]
    );
    // Every ready lab opens.
    for id in ready() {
        assert_eq!(query_value(&open(&id, &[]), "lab"), id);
    }
}

#[wasm_bindgen_test]
fn every_ready_lab_opens_from_its_url_and_answers_in_objects() {
    for id in ready() {
        let mut h = open(&id, &[]);
        assert_eq!(h.id(), id);
        assert_eq!(js(h.warnings()), serde_json::json!([]), "{id}");
        let q = js(h.query());
        assert_eq!(q[0], serde_json::json!(["lab", id]));
        let knobs = js(h.knobs());
        assert_eq!(
            q.as_array().unwrap().len(),
            knobs.as_array().unwrap().len() + 1,
            "{id}"
        );
        for k in knobs.as_array().unwrap() {
            assert!(
                k["label"].as_str().is_some_and(|s| !s.is_empty()),
                "{id}: {k}"
            );
            assert!(
                k["help"].as_str().is_some_and(|s| !s.is_empty()),
                "{id}: {k}"
            );
            assert!(
                ["number", "integer", "choice", "text", "bool", "vector", "variants"]
                    .contains(&k["type"].as_str().unwrap()),
                "{id}: {k}"
            );
        }
        let charts = js(h.charts());
        assert!(!charts.as_array().unwrap().is_empty(), "{id}");
        for c in charts.as_array().unwrap() {
            assert!(
                c["heatmap"].is_boolean() && c["click"].is_string(),
                "{id}: {c}"
            );
            // Before a drawing there is no frame: a click does nothing (and says so).
            let chart = c["id"].as_str().unwrap();
            assert!(h.frame(chart).is_null());
            assert!(!h.click(chart, 10.0, 10.0).unwrap());
            assert!(!h.drag(chart, 10.0, 10.0, 20.0, 20.0).unwrap());
        }
        while h.work(1000) < 1.0 {}
        let s = js(h.status());
        assert_eq!(s["t"], 0, "{id}");
        assert_eq!(s["progress"], 1.0, "{id}");
        assert_eq!(h.advance(5), 5, "{id}");
        assert_eq!(js(h.status())["t"], 5, "{id}");
        h.reset();
        assert_eq!(js(h.status())["t"], 0, "{id}");
        let cap = js(h.caption());
        assert!(cap["text"].as_str().is_some_and(|s| !s.is_empty()), "{id}");
        assert!(cap["facts"].is_array(), "{id}");
        assert!(!h.describe().is_empty() && !h.csv().is_empty(), "{id}");
        // The export reads back as the same lab with no warning.
        let again = LabHandle::from_scenario(&h.scenario_json(), None).unwrap();
        assert_eq!(js(again.query()), js(h.query()), "{id}");
        assert_eq!(again.query_string(), h.query_string(), "{id}");
        assert_eq!(js(again.warnings()), serde_json::json!([]), "{id}");
    }
}

#[wasm_bindgen_test]
fn bad_url_parameters_become_warnings_and_the_defaults_run() {
    let h = open("decay", &[("lr", "banana"), ("foo", "1")]);
    let w = js(h.warnings());
    let w: Vec<&str> = w
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(
        w[0].starts_with("URL parameter lr must be a number from 0.001 to 4, got \"banana\""),
        "{}",
        w[0]
    );
    assert!(w[1].contains("\"foo\" is not known"), "{}", w[1]);
    assert_eq!(query_value(&h, "lr"), "0.5");
    // Only an unknown lab fails (every lab of the catalogue is ready).
    let err = message(
        LabHandle::from_query(parse(r#"[["lab","nope"]]"#))
            .err()
            .unwrap(),
    );
    assert!(
        err.starts_with("lab must be one of ") && err.ends_with("got \"nope\""),
        "{err}"
    );
    for bad in [
        r#""lab=decay""#,
        r#"{"lab": "decay"}"#,
        r#"[["lab", 3]]"#,
        r#"[["lab", "decay", "x"]]"#,
        r#"["lab"]"#,
    ] {
        let err = message(LabHandle::from_query(parse(bad)).err().unwrap());
        assert!(
            err.starts_with("URL parameters are not a list"),
            "{bad}: {err}"
        );
    }
}

#[wasm_bindgen_test]
fn a_bad_knob_value_changes_nothing_and_says_what_is_allowed() {
    let mut h = open("expected-loss", &[]);
    let before = js(h.query());
    let err = message(h.set_knob("lr", "abc").err().unwrap());
    assert_eq!(err, "lr must be a number from 0.001 to 4, got \"abc\"");
    assert_eq!(js(h.query()), before);
    let err = message(h.set_knob("colour", "red").err().unwrap());
    assert!(
        err.starts_with("the expected-loss lab has no knob \"colour\" (it has: lr, "),
        "{err}"
    );
    assert_eq!(js(h.query()), before);
    h.set_knob("lr", " 0.100 ").unwrap();
    assert_eq!(query_value(&h, "lr"), "0.1");
    h.set_knob("runs", "200").unwrap();
    assert_eq!(query_value(&h, "runs"), "200");
    assert_eq!(js(h.status())["t"], 0);
}

#[wasm_bindgen_test]
fn a_scenario_file_opens_in_its_lab_or_in_the_current_one() {
    let decay = open("decay", &[("seed", "7")]);
    let file = decay.scenario_json();
    // Without `lab`, the file opens in the page's lab …
    let mut v = json(&file);
    v.as_object_mut().unwrap().remove("lab");
    let bare = v.to_string();
    let h = LabHandle::from_scenario(&bare, Some("decay".into())).unwrap();
    assert_eq!(h.id(), "decay");
    assert_eq!(query_value(&h, "seed"), "7");
    // … and without a page lab it says what is missing.
    let err = message(LabHandle::from_scenario(&bare, None).err().unwrap());
    assert!(err.starts_with("lab is missing"), "{err}");
    // An unknown lab, bad JSON, a bad value: the core's message.
    let mut v = json(&file);
    v["lab"]["id"] = "no-such-lab".into();
    let err = message(
        LabHandle::from_scenario(&v.to_string(), None)
            .err()
            .unwrap(),
    );
    assert!(err.contains("\"no-such-lab\""), "{err}");
    let err = message(
        LabHandle::from_scenario("{\"problem\": ", None)
            .err()
            .unwrap(),
    );
    assert!(err.starts_with("scenario is not valid JSON"), "{err}");
    let mut v = json(&file);
    v["method"]["lr"] = (-1.0).into();
    let err = message(
        LabHandle::from_scenario(&v.to_string(), None)
            .err()
            .unwrap(),
    );
    assert_eq!(err, "method.lr must be a finite number > 0, got -1");
    // A value no knob can show is used, with a warning that a link will not keep it.
    let mut v = json(&file);
    v["method"]["lr"] = 5.0.into();
    let h = LabHandle::from_scenario(&v.to_string(), None).unwrap();
    assert_eq!(json(&h.scenario_json())["method"]["lr"], 5.0);
    let w = js(h.warnings()).to_string();
    assert!(
        w.contains("a link or a reload keeps only the knobs") && w.contains("lr must be"),
        "{w}"
    );
}

/// A large imported problem built in slices (`LabBuild`, #12) is the lab built at once;
/// a file the build rejects says why at the end, as `from_scenario` does.
#[wasm_bindgen_test]
fn a_lab_built_in_slices_is_the_lab_opened_at_once() {
    let w0 = vec!["0"; 16].join(",");
    let file = |problem: &str| {
        format!(
            r#"{{"problem": {problem}, "method": {{"kind": "sgd", "lr": 0.01, "batch": 1}}, "w0": [{w0}],
                "steps": 100, "runs": 10, "seed": 3, "lab": {{"id": "expected-loss"}}}}"#
        )
    };
    let ls = file(
        r#"{"kind": "random_least_squares", "n": 4000, "d": 16, "noise": 1, "kappa": 10, "seed": 1}"#,
    );
    sgd_lab::scenario::forget_problems();
    let once = LabHandle::from_scenario(&ls, None).unwrap();
    sgd_lab::scenario::forget_problems();
    let mut build = LabBuild::from_scenario(&ls, None).unwrap();
    assert_eq!(build.doing(), "", "nothing is done before the first step");
    let mut steps = 0;
    let mut said = Vec::new();
    // A tenth of a millisecond a step: the loops look at the clock every 20 000 units.
    while !build.step(0.1) {
        steps += 1;
        said.push(build.doing());
    }
    assert!(
        steps >= 10,
        "{steps} steps for 4000 × 16 (XᵀX alone is 1 024 000 units)"
    );
    assert!(
        said.iter().any(|d| d.starts_with("generating the data: ")),
        "{said:?}"
    );
    assert!(
        said.iter()
            .any(|d| d.starts_with("forming XᵀX: ") && d.ends_with(" %")),
        "{said:?}"
    );
    assert!(build.spent() > 1_024_000.0);
    let sliced = build.finish().unwrap();
    assert_eq!(sliced.scenario_json(), once.scenario_json());
    assert_eq!(sliced.describe(), once.describe());
    assert_eq!(sliced.csv(), once.csv());
    assert_eq!(js(sliced.warnings()), js(once.warnings()));
    // Separable data without regularisation: the build's own message, at the end.
    let separable = file(
        r#"{"kind": "random_logistic", "n": 400, "d": 16, "separation": 8, "l2": 0, "seed": 1}"#,
    );
    let want = message(LabHandle::from_scenario(&separable, None).err().unwrap());
    sgd_lab::scenario::forget_problems();
    let mut build = LabBuild::from_scenario(&separable, None).unwrap();
    while !build.step(0.1) {}
    assert_eq!(message(build.finish().err().unwrap()), want);
    // A document that cannot be read fails at once.
    let err = message(
        LabBuild::from_scenario("{\"problem\": ", None)
            .err()
            .unwrap(),
    );
    assert!(err.starts_with("scenario is not valid JSON"), "{err}");
}

#[wasm_bindgen_test]
fn the_query_string_is_what_url_search_params_writes() {
    // The oracle: the JavaScript engine's own URLSearchParams over the same pairs.
    let encode = js_sys::Function::new_with_args("p", "return new URLSearchParams(p).toString()");
    let mut h = open(
        "per-sample",
        &[("dataset", "custom"), ("points", "1:1, 0.8:1.6,-1.2:3")],
    );
    assert_eq!(js(h.warnings()), serde_json::json!([]));
    let want = encode.call1(&JsValue::NULL, &h.query()).unwrap();
    assert_eq!(h.query_string(), want.as_string().unwrap());
    assert!(
        h.query_string()
            .contains("points=1%3A1%2C0.8%3A1.6%2C-1.2%3A3"),
        "{}",
        h.query_string()
    );
    h.set_knob("lr", "0.125").unwrap();
    let want = encode.call1(&JsValue::NULL, &h.query()).unwrap();
    assert_eq!(h.query_string(), want.as_string().unwrap());
}

#[wasm_bindgen_test]
fn a_random_seed_in_a_file_is_drawn_and_then_shown() {
    let decay = open("decay", &[("seed", "7")]);
    let mut v = json(&decay.scenario_json());
    v["seed"] = "random".into();
    let file = v.to_string();
    let a = LabHandle::from_scenario(&file, None).unwrap();
    let b = LabHandle::from_scenario(&file, None).unwrap();
    let seed_of = |h: &LabHandle| query_value(h, "seed").parse::<u64>().unwrap();
    let (sa, sb) = (seed_of(&a), seed_of(&b));
    // Two draws of 53 bits agree with probability 2^-53.
    assert_ne!(sa, sb);
    assert!(sa < 1 << 53 && sb < 1 << 53);
    // The export shows the number, and reads back as the same state.
    assert_eq!(json(&a.scenario_json())["seed"], serde_json::json!(sa));
    let again = LabHandle::from_scenario(&a.scenario_json(), None).unwrap();
    assert_eq!(seed_of(&again), sa);
    // The page's "New seed": whole numbers below 2^53, not all the same.
    let draws: Vec<f64> = (0..8).map(|_| sgd_lab::wasm::draw_seed()).collect();
    for d in &draws {
        assert!(
            d.fract() == 0.0 && *d >= 0.0 && *d < 9_007_199_254_740_992.0,
            "{d}"
        );
    }
    assert!(draws.windows(2).any(|w| w[0] != w[1]), "{draws:?}");
}
