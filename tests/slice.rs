//! Building a scenario in slices (src/slice.rs, #12): the lab a page gets after many
//! short runs of a job is the lab built in one go, bit for bit, and no run spends much
//! more than its budget.

use sgd_lab::lab::{self, Lab};
use sgd_lab::scenario::{forget_problems, Scenario};
use sgd_lab::slice::Job;

/// What a lab shows at step 0, and the theory of its scenario.
fn picture(lab: &Lab) -> String {
    let setup = lab.scenario().build().expect("a lab's scenario builds");
    let theory = serde_json::to_string(&sgd_lab::theory::theory(&setup)).unwrap();
    format!(
        "{}\n{}\n{}\n{theory}\n{:?}",
        lab.scenario().to_json(),
        lab.describe(),
        lab.csv(),
        setup.problem.optimum()
    )
}

/// The lab built in slices of `budget` units; the job, to look at.
fn sliced(s: &Scenario, budget: u64) -> (Lab, Job) {
    forget_problems();
    let mut job = Job::new();
    let lab = loop {
        if let Some(lab) = job.run(budget, || Lab::new(s)) {
            break lab.expect("the scenario builds");
        }
        assert!(job.runs() < 1_000_000, "a job must end");
    };
    (lab, job)
}

fn plain(s: &Scenario) -> Lab {
    forget_problems();
    Lab::new(s).expect("the scenario builds")
}

fn big(problem: &str, d: usize, lab: &str) -> Scenario {
    let w0 = vec!["0"; d].join(",");
    let compare = if lab == "sandbox" {
        r#""compare": [{"label": "SGD"}],"#
    } else {
        ""
    };
    Scenario::from_json(&format!(
        r#"{{"problem": {problem}, "method": {{"kind": "sgd", "lr": 0.01, "batch": 1}}, "w0": [{w0}],
            "steps": 200, "runs": 20, "seed": 3, {compare} "lab": {{"id": "{lab}"}}}}"#
    ))
    .unwrap()
}

#[test]
fn every_lab_built_in_slices_is_the_lab_built_at_once() {
    for id in lab::registry::ready_ids() {
        let s = lab::default_scenario(id).unwrap();
        let want = picture(&plain(&s));
        let units = sliced(&s, u64::MAX).1.spent();
        // Down to one unit a slice (a cut after every row), as long as that stays a few
        // thousand runs.
        for budget in [1u64, 37, 5_000, units / 50 + 1] {
            if units / budget > 20_000 {
                continue;
            }
            let (lab, job) = sliced(&s, budget);
            assert_eq!(picture(&lab), want, "{id}, budget {budget}");
            assert!(job.spent() > 0 || budget > 1, "{id}: no loop was sliced");
        }
    }
}

#[test]
fn large_problems_in_slices_are_the_same_bits_and_each_slice_stays_near_its_budget() {
    let cases = [
        (
            r#"{"kind": "random_least_squares", "n": 3000, "d": 24, "noise": 1, "kappa": 10, "seed": 1}"#,
            24,
            "expected-loss",
        ),
        (
            r#"{"kind": "random_logistic", "n": 3000, "d": 16, "separation": 1, "l2": 0.01, "seed": 1}"#,
            16,
            "expected-loss",
        ),
        (
            r#"{"kind": "random_quadratic", "n": 5000, "d": 24, "kappa": 10, "spread": 1, "seed": 1}"#,
            24,
            "decay",
        ),
        (
            r#"{"kind": "random_logistic", "n": 2000, "d": 8, "separation": 1, "l2": 0.01, "seed": 2}"#,
            8,
            "sandbox",
        ),
    ];
    for (problem, d, id) in cases {
        let s = big(problem, d, id);
        let want = picture(&plain(&s));
        let budget = 200_000;
        let (lab, job) = sliced(&s, budget);
        assert_eq!(picture(&lab), want, "{problem}");
        // A row costs at most 2d² + 4d units.
        let row = (2 * d * d + 4 * d) as u64;
        assert!(
            job.most_in_one_run() < budget + row,
            "{problem}: {} units in one run",
            job.most_in_one_run()
        );
        let runs = job.runs() as u64;
        assert!(runs >= job.spent() / (budget + row), "{problem}");
        assert!(runs >= 5, "{problem}: only {runs} runs");
        // Done in one piece it is one run.
        let (_, once) = sliced(&s, u64::MAX);
        assert_eq!(once.runs(), 1);
        assert_eq!(
            once.spent(),
            job.spent(),
            "{problem}: the work is done once either way"
        );
    }
}

#[test]
fn a_problem_built_once_is_not_built_again_for_another_knob() {
    let s = big(
        r#"{"kind": "random_least_squares", "n": 2000, "d": 16, "noise": 1, "kappa": 10, "seed": 1}"#,
        16,
        "expected-loss",
    );
    let (_, first) = sliced(&s, u64::MAX);
    let mut t = s.clone();
    t.method.lr = 0.02;
    let mut job = Job::new();
    job.run(u64::MAX, || Lab::new(&t).unwrap());
    // The problem's loops (generating, XᵀX, Xᵀy, refining twice, L*) are not run again:
    // only the lab's own (the theory's).
    assert!(
        job.spent() < first.spent() / 2,
        "{} of {}",
        job.spent(),
        first.spent()
    );
}
