//! The interleaved ensemble kernel (kernel/src/lanes.rs) against the generic path
//! (`Ensemble::generic`, i.e. `Run::step`): the same bits for every statistic and the
//! same divergences, whatever the problem, batch, schedule, number of runs (also not
//! a multiple of the lane count), kept trajectories and slicing; and the kernel is
//! used exactly where it applies. Also: a generic step allocates nothing.

use sgd_lab::ensemble::{Ensemble, StepStats, LANES};
use sgd_lab::run::{simulate, Outcome, Run};
use sgd_lab::{Scenario, Setup};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

const LS_1D: &str = r#"{"kind": "random_least_squares", "n": 30, "d": 1, "noise": 1.0, "seed": 3}"#;
const QUAD_1D: &str =
    r#"{"kind": "quadratic", "h": [[1.5]], "centers": [[1.0], [-0.5], [3.0], [0.25], [2.0]]}"#;
/// Widely spread x_i: at a large step, SGD diverges in some runs and not in others.
const LS_SPREAD: &str = r#"{"kind": "least_squares", "x": [[0.3], [0.6], [1.0], [1.8], [2.6]], "y": [0.5, -1.0, 2.0, 1.0, -0.5]}"#;

const CONSTANT: &str = r#"{"kind": "constant"}"#;
const INVERSE_TIME: &str = r#"{"kind": "inverse_time", "t0": 20}"#;

fn setup(problem: &str, method: &str, schedule: &str, runs: u64, steps: u64) -> Setup {
    let json = format!(
        r#"{{"problem": {problem}, "method": {method}, "schedule": {schedule},
            "w0": [1.5], "steps": {steps}, "runs": {runs}, "seed": 11}}"#
    );
    Scenario::from_json(&json)
        .unwrap_or_else(|e| panic!("{e}\n{json}"))
        .build()
        .unwrap_or_else(|e| panic!("{e}\n{json}"))
}

fn sgd(lr: f64, batch: u64) -> String {
    format!(r#"{{"kind": "sgd", "lr": {lr}, "batch": {batch}}}"#)
}

/// Every field, bit for bit (`==` on f64 would let 0.0 equal −0.0).
fn assert_same_bits(a: &StepStats, b: &StepStats, what: &str) {
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<u64>>();
    assert_eq!(bits(&a.shift), bits(&b.shift), "{what}: shift");
    assert_eq!(bits(&a.sum), bits(&b.sum), "{what}: sum");
    assert_eq!(bits(&a.sum_sq), bits(&b.sum_sq), "{what}: sum_sq");
    assert_eq!(bits(&a.min), bits(&b.min), "{what}: min");
    assert_eq!(bits(&a.max), bits(&b.max), "{what}: max");
    assert_eq!(a.count, b.count, "{what}: count");
    assert_eq!(a.hist, b.hist, "{what}: histogram");
}

fn finished(mut e: Ensemble) -> Ensemble {
    e.finish();
    e
}

/// Kernel and generic path agree on everything an ensemble reports.
fn check(s: &Setup, keep: usize, what: &str) -> Ensemble {
    let kernel = finished(Ensemble::new(s, keep));
    let generic = finished(Ensemble::generic(s, keep));
    assert!(kernel.is_interleaved(), "{what}: the kernel should apply");
    assert!(!generic.is_interleaved());
    assert_eq!(kernel.runs_done(), s.scenario.runs, "{what}");
    assert_same_bits(kernel.gap_stats(), generic.gap_stats(), what);
    assert_eq!(kernel.diverged(), generic.diverged(), "{what}: diverged");
    assert_eq!(kernel.complete_len(), generic.complete_len(), "{what}");
    assert_eq!(kernel.kept(), generic.kept(), "{what}: kept trajectories");
    assert_eq!(kernel.kept().len(), keep.min(s.scenario.runs as usize));
    // With the histogram of all runs (expected-loss's band) too.
    let (kq, gq) = (
        finished(Ensemble::new(s, keep).with_quantiles()),
        finished(Ensemble::generic(s, keep).with_quantiles()),
    );
    assert!(kq.gap_stats().hist.is_some());
    assert_same_bits(kq.gap_stats(), gq.gap_stats(), what);
    kernel
}

#[test]
fn kernel_matches_generic_bit_for_bit() {
    for (pname, problem) in [("least squares", LS_1D), ("quadratic", QUAD_1D)] {
        for batch in [1, 3] {
            for (sname, schedule) in [("constant", CONSTANT), ("inverse_time", INVERSE_TIME)] {
                for runs in [1, 7, 8, 21] {
                    for keep in [0, 2] {
                        let what =
                            format!("{pname}, batch {batch}, {sname}, {runs} runs, keep {keep}");
                        let s = setup(problem, &sgd(0.2, batch), schedule, runs, 150);
                        let e = check(&s, keep, &what);
                        assert!(e.diverged().is_empty(), "{what}");
                        assert_eq!(e.gap_stats().count, vec![runs; 151], "{what}");
                    }
                }
            }
        }
    }
}

#[test]
fn zero_and_one_step() {
    for steps in [0, 1, 2] {
        for batch in [1, 3] {
            let s = setup(QUAD_1D, &sgd(0.2, batch), INVERSE_TIME, 19, steps);
            let e = check(&s, 1, &format!("{steps} steps, batch {batch}"));
            assert_eq!(e.gap_stats().count, vec![19; steps as usize + 1]);
        }
    }
}

#[test]
fn slicing_does_not_change_the_bits() {
    let s = setup(LS_1D, &sgd(0.3, 1), CONSTANT, 37, 120);
    let whole = finished(Ensemble::generic(&s, 0));
    for budget in [1, 5, 8, 13] {
        let mut e = Ensemble::new(&s, 2);
        while !e.is_done() {
            e.advance(budget);
        }
        assert_same_bits(
            e.gap_stats(),
            whole.gap_stats(),
            &format!("budget {budget}"),
        );
    }
}

/// Scenarios in which some runs diverge and others do not, at different steps, so
/// that blocks of lanes have lanes dying at different times and lanes surviving.
#[test]
fn divergence_names_the_same_runs_and_steps() {
    // (step, batch, schedule, steps): steps long enough for the first runs to pass
    // MAX_GAP and short enough for others not to.
    let cases = [
        (1.2, 1, CONSTANT, 800),
        (1.08, 3, CONSTANT, 700),
        (1.75, 1, r#"{"kind": "inverse_time", "t0": 2000}"#, 250),
        (1.6, 3, r#"{"kind": "inverse_time", "t0": 2000}"#, 225),
    ];
    for (lr, batch, schedule, steps) in cases {
        for keep in [0, 2] {
            let what = format!("lr {lr}, batch {batch}, {schedule}, keep {keep}");
            let runs = 21;
            let s = setup(LS_SPREAD, &sgd(lr, batch), schedule, runs, steps);
            let e = check(&s, keep, &what);
            let d = e.diverged();
            assert!(
                !d.is_empty() && d.len() < runs as usize,
                "{what}: expected some but not all runs to diverge, got {d:?}"
            );
            // Each run's own simulation says the same.
            let expect: Vec<(u64, u64)> = (0..runs)
                .filter_map(|r| simulate(&s, r).diverged_at.map(|t| (r, t)))
                .collect();
            assert_eq!(d, expect, "{what}");
            // Every point counts the runs that reached it.
            let count = &e.gap_stats().count;
            for t in 0..=steps {
                let reached = runs - d.iter().filter(|&&(_, at)| at <= t).count() as u64;
                assert_eq!(count[t as usize], reached, "{what}: count at step {t}");
            }
            assert_eq!(
                e.complete_len() as u64,
                d.iter().map(|&(_, t)| t).min().unwrap()
            );
        }
    }
}

#[test]
fn a_block_whose_lanes_all_diverge_stops_early_and_agrees() {
    let s = setup(LS_SPREAD, &sgd(3.0, 1), CONSTANT, 16, 3000);
    let e = check(&s, 0, "lr 3");
    assert_eq!(e.diverged().len(), 16);
    assert_eq!(*e.gap_stats().count.last().unwrap(), 0);
}

#[test]
fn kernel_is_used_exactly_where_it_applies() {
    assert_eq!(LANES, 8);
    let cases: [(&str, String, &str, bool); 12] = [
        ("sgd", sgd(0.1, 1), "", true),
        ("sgd b = 3", sgd(0.1, 3), "", true),
        (
            "cyclic",
            r#"{"kind": "sgd", "lr": 0.1, "sampling": "cyclic"}"#.into(),
            "",
            false,
        ),
        (
            "without replacement",
            r#"{"kind": "sgd", "lr": 0.1, "sampling": "without_replacement"}"#.into(),
            "",
            false,
        ),
        (
            "momentum",
            r#"{"kind": "sgd", "lr": 0.1, "momentum": 0.5}"#.into(),
            "",
            false,
        ),
        (
            "nesterov",
            r#"{"kind": "sgd", "lr": 0.1, "momentum": 0.5, "nesterov": true}"#.into(),
            "",
            false,
        ),
        (
            "polyak averaging",
            sgd(0.1, 1),
            r#", "averaging": {"kind": "polyak", "start": 5}"#,
            false,
        ),
        (
            "ema averaging",
            sgd(0.1, 1),
            r#", "averaging": {"kind": "ema", "decay": 0.9}"#,
            false,
        ),
        ("gd", r#"{"kind": "gd", "lr": 0.1}"#.into(), "", false),
        ("svrg", r#"{"kind": "svrg", "lr": 0.1}"#.into(), "", false),
        ("sag", r#"{"kind": "sag", "lr": 0.1}"#.into(), "", false),
        ("saga", r#"{"kind": "saga", "lr": 0.1}"#.into(), "", false),
    ];
    for problem in [LS_1D, QUAD_1D] {
        for (name, method, extra, expect) in &cases {
            let json = format!(
                r#"{{"problem": {problem}, "method": {method}{extra}, "w0": [1.0], "steps": 20, "runs": 16}}"#
            );
            let s = Scenario::from_json(&json).unwrap().build().unwrap();
            assert_eq!(Ensemble::new(&s, 0).is_interleaved(), *expect, "{name}");
            // Where it does not apply, `new` is the generic path itself.
            let e = finished(Ensemble::new(&s, 0));
            let g = finished(Ensemble::generic(&s, 0));
            assert_same_bits(e.gap_stats(), g.gap_stats(), name);
            if *expect {
                check(&s, 0, name);
            }
        }
    }
    // Not 1-D, or not quadratic: generic.
    for problem in [
        r#"{"kind": "random_least_squares", "n": 20, "d": 2, "seed": 1}"#,
        r#"{"kind": "random_quadratic", "n": 20, "d": 2, "seed": 1}"#,
        r#"{"kind": "random_logistic", "n": 20, "d": 1, "seed": 1}"#,
    ] {
        let json = format!(
            r#"{{"problem": {problem}, "method": {{"kind": "sgd", "lr": 0.1}}, "steps": 20, "runs": 16}}"#
        );
        let s = Scenario::from_json(&json).unwrap().build().unwrap();
        assert!(!Ensemble::new(&s, 0).is_interleaved(), "{problem}");
    }
}

// --- No allocation per step -------------------------------------------------------

/// Counts this thread's allocations (tests run on several threads at once).
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn bump() {
    let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
}

fn allocations() -> u64 {
    ALLOCATIONS.with(|c| c.get())
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        bump();
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        bump();
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        bump();
        System.realloc(ptr, layout, new_size)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn a_generic_step_allocates_nothing() {
    let problems = [
        r#"{"kind": "random_least_squares", "n": 50, "d": 3, "seed": 1}"#,
        r#"{"kind": "random_quadratic", "n": 50, "d": 2, "seed": 1}"#,
        r#"{"kind": "random_logistic", "n": 50, "d": 2, "seed": 1}"#,
    ];
    let methods = [
        r#""method": {"kind": "sgd", "lr": 0.05, "batch": 4}"#,
        r#""method": {"kind": "sgd", "lr": 0.05, "batch": 7, "sampling": "without_replacement"}"#,
        r#""method": {"kind": "sgd", "lr": 0.05, "batch": 3, "sampling": "cyclic"}"#,
        r#""method": {"kind": "sgd", "lr": 0.05, "momentum": 0.9, "nesterov": true}"#,
        r#""method": {"kind": "gd", "lr": 0.05}"#,
        r#""method": {"kind": "svrg", "lr": 0.05, "batch": 2, "inner": 10}"#,
        r#""method": {"kind": "sag", "lr": 0.05, "batch": 2}"#,
        r#""method": {"kind": "saga", "lr": 0.05, "batch": 2}"#,
        r#""method": {"kind": "sgd", "lr": 0.05}, "averaging": {"kind": "polyak", "start": 3}"#,
        r#""method": {"kind": "sgd", "lr": 0.05}, "averaging": {"kind": "ema"}, "schedule": {"kind": "cosine"}"#,
    ];
    for problem in problems {
        for method in methods {
            let json = format!(r#"{{"problem": {problem}, {method}, "steps": 400, "runs": 1}}"#);
            let s = Scenario::from_json(&json).unwrap().build().unwrap();
            let mut run = Run::new(&s, 0);
            // The first steps may fill tables (SAG/SAGA) or start an epoch.
            for _ in 0..60 {
                run.step();
            }
            let before = allocations();
            let mut stepped = 0;
            while run.step() == Outcome::Stepped {
                stepped += 1;
            }
            assert_eq!(allocations() - before, 0, "{problem} {method}");
            assert_eq!(stepped, 340, "{problem} {method}");
        }
    }
}

#[test]
fn an_ensemble_allocates_per_run_not_per_step() {
    for (generic, problem) in [(false, LS_1D), (true, LS_1D), (true, QUAD_1D)] {
        let count = |steps: u64| {
            let s = setup(problem, &sgd(0.1, 1), CONSTANT, 21, steps);
            let before = allocations();
            let mut e = if generic {
                Ensemble::generic(&s, 0)
            } else {
                Ensemble::new(&s, 0)
            };
            e.finish();
            allocations() - before
        };
        assert_eq!(count(10), count(2000), "generic {generic} {problem}");
    }
}
