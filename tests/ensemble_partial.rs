//! `Ensemble::advance_steps` (issue #12): work in slices of a few steps of one run,
//! resumed by the next call, gives the same bits as the whole ensemble at once —
//! statistics, kept trajectories and divergences — for the generic path (logistic,
//! averaging, a diverging step) and the interleaved kernel, whatever the slice size,
//! and mixed with whole-run slices (`advance`).

use sgd_lab::ensemble::{Ensemble, StepStats};
use sgd_lab::{Scenario, Setup};

fn setup(problem: &str, extra: &str, runs: u64, steps: u64, d: usize) -> Setup {
    let w0 = vec!["0.5"; d].join(",");
    let json = format!(
        r#"{{"problem": {problem}, "method": {{"kind": "sgd", "lr": 0.4, "batch": 2}},
            {extra} "w0": [{w0}], "steps": {steps}, "runs": {runs}, "seed": 7}}"#
    );
    Scenario::from_json(&json)
        .unwrap_or_else(|e| panic!("{e}\n{json}"))
        .build()
        .unwrap_or_else(|e| panic!("{e}\n{json}"))
}

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

fn same_stats(a: &StepStats, b: &StepStats, what: &str) {
    assert_eq!(bits(&a.sum), bits(&b.sum), "{what}: sum");
    assert_eq!(bits(&a.sum_sq), bits(&b.sum_sq), "{what}: sum_sq");
    assert_eq!(bits(&a.shift), bits(&b.shift), "{what}: shift");
    assert_eq!(bits(&a.min), bits(&b.min), "{what}: min");
    assert_eq!(bits(&a.max), bits(&b.max), "{what}: max");
    assert_eq!(a.count, b.count, "{what}: count");
}

fn same(a: &Ensemble, b: &Ensemble, what: &str) {
    assert_eq!(a.runs_done(), b.runs_done(), "{what}");
    same_stats(a.gap_stats(), b.gap_stats(), what);
    match (a.avg_gap_stats(), b.avg_gap_stats()) {
        (Some(x), Some(y)) => same_stats(x, y, &format!("{what} (averaged)")),
        (None, None) => {}
        _ => panic!("{what}: averaged stats on one side only"),
    }
    assert_eq!(a.diverged(), b.diverged(), "{what}");
    assert_eq!(a.kept().len(), b.kept().len(), "{what}");
    for (x, y) in a.kept().iter().zip(b.kept()) {
        assert_eq!(bits(&x.w), bits(&y.w), "{what}: kept w");
        assert_eq!(bits(&x.gap), bits(&y.gap), "{what}: kept gap");
        assert_eq!(x.indices, y.indices, "{what}: kept indices");
        assert_eq!(x.diverged_at, y.diverged_at, "{what}");
    }
}

/// Sliced by `budget` run-steps (counting calls), against the whole at once.
fn check(s: &Setup, keep: usize, budget: u64, what: &str) -> u64 {
    let mut whole = Ensemble::new(s, keep);
    whole.finish();
    let mut sliced = Ensemble::new(s, keep);
    let mut calls = 0;
    let mut last = -1.0;
    while !sliced.is_done() {
        sliced.advance_steps(budget);
        calls += 1;
        let p = sliced.runs_progress();
        assert!(p > last, "{what}: progress must grow, {p} after {last}");
        last = p;
        assert!(calls < 10_000_000, "{what}: no end");
    }
    same(&sliced, &whole, &format!("{what}, budget {budget}"));
    calls
}

const LOGISTIC: &str =
    r#"{"kind": "random_logistic", "n": 40, "d": 3, "separation": 1, "l2": 0.01, "seed": 2}"#;
const LS_SPREAD: &str = r#"{"kind": "least_squares", "x": [[0.3], [0.6], [1.0], [1.8], [2.6]], "y": [0.5, -1.0, 2.0, 1.0, -0.5]}"#;
const LS_1D: &str = r#"{"kind": "random_least_squares", "n": 30, "d": 1, "noise": 1.0, "seed": 3}"#;

#[test]
fn generic_runs_sliced_by_steps_give_the_same_bits() {
    let s = setup(LOGISTIC, "", 9, 40, 3);
    for budget in [1, 2, 7, 40, 41, 100, 1000] {
        check(&s, 3, budget, "logistic");
    }
    // One unit is one step: a budget of 1 needs about runs × (steps + 1) calls.
    let calls = check(&s, 0, 1, "logistic, nothing kept");
    assert_eq!(calls, 9 * 41);
    let avg = setup(LOGISTIC, r#""averaging": {"kind": "polyak"},"#, 5, 30, 3);
    for budget in [1, 5, 31] {
        check(&avg, 2, budget, "logistic, averaged");
    }
}

#[test]
fn a_diverging_run_sliced_by_steps_gives_the_same_bits() {
    // d = 3 on purpose: the generic path, and a step size at which some runs diverge.
    let s = Scenario::from_json(
        r#"{"problem": {"kind": "least_squares", "x": [[0.3,0,0], [0.6,1,0], [1,0,1], [1.8,0,0], [2.6,1,1]], "y": [0.5, -1.0, 2.0, 1.0, -0.5]},
            "method": {"kind": "sgd", "lr": 1.1, "batch": 1}, "w0": [1,1,1], "steps": 300, "runs": 12, "seed": 5}"#,
    )
    .unwrap()
    .build()
    .unwrap();
    let mut whole = Ensemble::new(&s, 2);
    whole.finish();
    assert!(
        !whole.diverged().is_empty(),
        "the case must diverge somewhere"
    );
    for budget in [1, 3, 50, 301] {
        check(&s, 2, budget, "diverging");
    }
}

#[test]
fn the_kernel_sliced_by_steps_gives_the_same_bits() {
    for problem in [LS_1D, LS_SPREAD] {
        let s = setup(problem, "", 19, 60, 1);
        assert!(Ensemble::new(&s, 0).is_interleaved());
        for budget in [1, 10, 61, 500] {
            check(&s, 3, budget, "kernel");
        }
    }
}

#[test]
fn whole_runs_after_part_of_a_run_give_the_same_bits() {
    let s = setup(LOGISTIC, "", 6, 25, 3);
    let mut whole = Ensemble::new(&s, 2);
    whole.finish();
    let mut mixed = Ensemble::new(&s, 2);
    mixed.advance_steps(10); // run 0 part of the way
    assert_eq!(mixed.runs_done(), 0);
    assert!(mixed.runs_progress() > 0.0 && mixed.runs_progress() < 1.0);
    mixed.advance(2); // ends run 0, then runs 1 and 2
    assert_eq!(mixed.runs_done(), 3);
    mixed.advance_steps(30); // run 3 and part of run 4
    assert_eq!(mixed.runs_done(), 4);
    mixed.finish();
    same(&mixed, &whole, "mixed");
}

/// Before the first run has finished, there is no mean to show (a page once showed
/// "mean gap at t = 0: 0" while the first runs of a large problem computed).
#[test]
fn no_mean_before_the_first_run_has_finished() {
    let s = setup(
        r#"{"kind": "random_least_squares", "n": 50, "d": 2, "noise": 1, "seed": 3}"#,
        "",
        4,
        100,
        2,
    );
    let mut e = Ensemble::generic(&s, 2);
    e.advance_steps(10);
    assert_eq!(e.runs_done(), 0);
    assert_eq!(e.complete_len(), 0);
    assert!(e.mean_gap().is_empty());
    assert!(!e.complete_at(0));
    // One run done: its gap at step 0 is L(w0) − L*, from the problem itself.
    e.advance_steps(91);
    assert_eq!(e.runs_done(), 1);
    assert_eq!(e.complete_len(), 101);
    let p = &s.problem;
    let want = p.gap(&s.w0);
    let got = e.mean_gap()[0];
    assert!(
        (got - want).abs() <= 1e-12 * want.abs().max(1.0),
        "{got} vs {want}"
    );
    assert!(e.complete_at(100));
}
