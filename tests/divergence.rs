//! Divergence on every path: each method (GD, SGD, momentum, Nesterov, SVRG, SAG,
//! SAGA), with and without averaging, on least squares, quadratics and logistic
//! regression, stops at the step whose gap leaves the representable range, says so,
//! and records only finite numbers before it. Where a closed form or an independent
//! recurrence gives that step, it is checked against it.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::json;
use sgd_lab::report::run_result;
use sgd_lab::run::{simulate, MAX_GAP};
use sgd_lab::Scenario;

fn setup(doc: serde_json::Value) -> sgd_lab::Setup {
    Scenario::from_json(&doc.to_string())
        .and_then(|s| s.build())
        .unwrap_or_else(|e| panic!("{e}: {doc}"))
}

/// A 1-D quadratic ½ h (w − c_i)² with h = 2 and centres 0, 1, 2 (w* = 1).
fn quad(method: serde_json::Value, averaging: serde_json::Value, steps: u64) -> serde_json::Value {
    json!({
        "problem": {"kind": "quadratic", "h": [[2.0]], "centers": [[0.0], [1.0], [2.0]]},
        "method": method, "averaging": averaging, "w0": [3.0], "steps": steps, "runs": 1, "seed": 7,
    })
}

/// The first step t ≥ 1 at which ½ h e_t² leaves (MAX_GAP or non-finite), for the
/// error recurrence e_{t+1} = a e_t + b e_{t−1} with e_0 = e_1's predecessor handled by
/// the caller through `first`.
fn first_escape(
    h: f64,
    mut e: f64,
    mut e_prev: f64,
    a: f64,
    b: f64,
    max_steps: u64,
) -> Option<u64> {
    for t in 1..=max_steps {
        let next = a * e + b * e_prev;
        e_prev = e;
        e = next;
        let gap = 0.5 * h * e * e;
        if gap.is_nan() || gap > MAX_GAP {
            return Some(t);
        }
    }
    None
}

/// The checks every diverging run must pass; returns the step it names.
fn assert_diverges_cleanly(doc: serde_json::Value) -> u64 {
    let s = setup(doc.clone());
    let tr = simulate(&s, 0);
    let at = tr
        .diverged_at
        .unwrap_or_else(|| panic!("did not diverge: {doc}"));
    // The run stopped there: points 0 … at − 1 are recorded, all finite.
    assert_eq!(tr.gap.len() as u64, at, "{doc}");
    assert!(
        tr.gap.iter().all(|g| g.is_finite() && *g <= MAX_GAP),
        "{doc}"
    );
    assert!(tr.w.iter().all(|v| v.is_finite()), "{doc}");
    if let Some(avg) = &tr.avg_gap {
        assert_eq!(avg.len(), tr.gap.len(), "{doc}");
        assert!(avg.iter().all(|g| g.is_finite()), "{doc}");
    }
    // What the command line prints for it: the step, and no non-finite number.
    let out = serde_json::to_value(run_result(&s, false)).unwrap();
    assert_eq!(out["runs"][0]["diverged_at"], json!(at), "{doc}");
    let text = out.to_string();
    assert!(
        !text.replace("\"diverged_at\":", "").contains("null"),
        "{text:.300}"
    );
    at
}

#[test]
fn gd_momentum_and_svrg_diverge_at_the_step_the_error_recurrence_gives() {
    // 1-D quadratic with one curvature h = 2: ∇L(w) = h (w − 1), so GD's error obeys
    // e ← (1 − η h) e, heavy ball e_{t+1} = (1 − η h + μ) e_t − μ e_{t−1} (buf_0 = g_0
    // makes the first step plain GD), and SVRG's estimate ∇l_i(w) − ∇l_i(w̃) + ∇L(w̃)
    // is exactly ∇L(w) here, so SVRG is GD.
    let h = 2.0;
    for lr in [1.5, 3.0, 10.0] {
        let want = first_escape(h, 2.0, 0.0, 1.0 - lr * h, 0.0, 10_000).unwrap();
        let gd = assert_diverges_cleanly(quad(
            json!({"kind": "gd", "lr": lr}),
            json!({"kind": "none"}),
            10_000,
        ));
        assert_eq!(gd, want, "GD η = {lr}");
        let svrg = assert_diverges_cleanly(quad(
            json!({"kind": "svrg", "lr": lr, "inner": 2}),
            json!({"kind": "none"}),
            10_000,
        ));
        assert_eq!(svrg, want, "SVRG η = {lr}");
        // Any batch: the mean over the batch of ∇l_i(w) − ∇l_i(w̃) is h (w − w̃) too.
        let svrg_b = assert_diverges_cleanly(quad(
            json!({"kind": "svrg", "lr": lr, "inner": 2, "batch": 3}),
            json!({"kind": "none"}),
            10_000,
        ));
        assert_eq!(svrg_b, want, "SVRG batch 3 η = {lr}");
        for avg in [
            json!({"kind": "polyak", "start": 0}),
            json!({"kind": "ema", "decay": 0.9}),
        ] {
            let with =
                assert_diverges_cleanly(quad(json!({"kind": "gd", "lr": lr}), avg.clone(), 10_000));
            assert_eq!(
                with, want,
                "GD η = {lr} with {avg}: averaging does not change w"
            );
        }
        for mu in [0.5, 0.9] {
            // e_1 = (1 − η h) e_0, then the two-term recurrence from (e_1, e_0).
            let e1 = (1.0 - lr * h) * 2.0;
            let want_m = if 0.5 * h * e1 * e1 > MAX_GAP {
                Some(1)
            } else {
                first_escape(h, e1, 2.0, 1.0 - lr * h + mu, -mu, 9_999).map(|t| t + 1)
            };
            let doc = quad(
                json!({"kind": "gd", "lr": lr, "momentum": mu}),
                json!({"kind": "none"}),
                10_000,
            );
            match want_m {
                Some(want_m) => {
                    assert_eq!(
                        assert_diverges_cleanly(doc),
                        want_m,
                        "heavy ball η = {lr}, μ = {mu}"
                    )
                }
                // A root of modulus ≤ 1 (η = 1.5, μ = 0.5: roots −1 and −½): it stays.
                None => assert_eq!(
                    simulate(&setup(doc), 0).diverged_at,
                    None,
                    "η = {lr}, μ = {mu}"
                ),
            }
        }
    }
}

#[test]
fn every_method_and_averaging_stops_cleanly_on_every_problem() {
    let problems = [
        json!({"kind": "random_least_squares", "n": 12, "d": 2, "kappa": 5.0, "seed": 3}),
        json!({"kind": "random_quadratic", "n": 12, "d": 2, "kappa": 10.0, "seed": 3}),
        // The l2 term makes the logistic loss grow quadratically: a step far above
        // 2/l2 diverges although the logistic part's gradient is bounded.
        json!({"kind": "random_logistic", "n": 12, "d": 2, "l2": 1.0, "seed": 3}),
    ];
    let methods = [
        json!({"kind": "gd", "lr": 50.0}),
        json!({"kind": "sgd", "lr": 50.0, "batch": 2}),
        json!({"kind": "sgd", "lr": 50.0, "momentum": 0.9}),
        json!({"kind": "sgd", "lr": 50.0, "momentum": 0.9, "nesterov": true}),
        json!({"kind": "svrg", "lr": 50.0, "inner": 5}),
        json!({"kind": "sag", "lr": 50.0}),
        json!({"kind": "saga", "lr": 50.0}),
    ];
    let averagings = [
        json!({"kind": "none"}),
        json!({"kind": "polyak", "start": 3}),
        json!({"kind": "ema", "decay": 0.5}),
    ];
    for p in &problems {
        for m in &methods {
            for a in &averagings {
                let doc = json!({"problem": p, "method": m, "averaging": a, "w0": [0.5, -0.5],
                                 "steps": 20_000, "runs": 1, "seed": 11});
                let at = assert_diverges_cleanly(doc.clone());
                assert!(at < 20_000, "{doc}");
            }
        }
    }
}
