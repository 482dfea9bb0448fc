//! What building a large lab in slices costs (#12, src/slice.rs), natively: the
//! expected-loss lab of a 15 625 × 64 problem built in one piece and in slices of
//! several budgets, side by side, medians of 5. Prints the runs, the units, the time
//! and the longest single run.
//!   cargo run --release --example build_slices
use sgd_lab::lab::Lab;
use sgd_lab::scenario::{forget_problems, Scenario};
use sgd_lab::slice::Job;
use std::time::Instant;

fn scenario(kind: &str) -> Scenario {
    let w0 = vec!["0"; 64].join(",");
    let problem = match kind {
        "least squares" => {
            r#"{"kind": "random_least_squares", "n": 15625, "d": 64, "noise": 1, "kappa": 10, "seed": 1}"#
        }
        _ => {
            r#"{"kind": "random_logistic", "n": 15625, "d": 64, "separation": 1, "l2": 0.01, "seed": 1}"#
        }
    };
    Scenario::from_json(&format!(
        r#"{{"problem": {problem}, "method": {{"kind": "sgd", "lr": 0.01, "batch": 1}}, "w0": [{w0}],
            "steps": 10000, "runs": 10000, "seed": 1, "lab": {{"id": "expected-loss"}}}}"#
    ))
    .expect("the benchmark's scenario is valid")
}

/// (ms in all, runs, units, ms of the longest run)
fn build(s: &Scenario, budget: u64) -> (f64, u32, u64, f64) {
    forget_problems();
    let mut job = Job::new();
    let t0 = Instant::now();
    let mut longest = 0.0f64;
    loop {
        let t = Instant::now();
        let done = job.run(budget, || Lab::new(s)).is_some();
        let ms = t.elapsed().as_secs_f64() * 1e3;
        if std::env::var("SHOW_LONG").is_ok() && ms > 4.0 {
            eprintln!(
                "run {} took {ms:.1} ms, stopped at {:?}",
                job.runs(),
                job.at()
            );
        }
        longest = longest.max(ms);
        if done {
            break;
        }
    }
    (
        t0.elapsed().as_secs_f64() * 1e3,
        job.runs(),
        job.spent(),
        longest,
    )
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    for kind in ["least squares", "logistic"] {
        let s = scenario(kind);
        println!("expected-loss, {kind} 15 625 × 64:");
        println!(
            "  {:>14} {:>7} {:>12} {:>10} {:>12} {:>8}",
            "budget", "runs", "units", "median", "longest run", "÷ once"
        );
        let budgets = [u64::MAX, 4_000_000, 1_000_000, 250_000];
        let mut times: Vec<Vec<f64>> = vec![Vec::new(); budgets.len()];
        let mut last = vec![(0, 0, 0.0); budgets.len()];
        // Interleaved, so that every budget sees the same machine.
        for _ in 0..5 {
            for (k, &b) in budgets.iter().enumerate() {
                let (ms, runs, units, longest) = build(&s, b);
                times[k].push(ms);
                last[k] = (runs, units, longest.max(last[k].2));
            }
        }
        let once = median(times[0].clone());
        for (k, &b) in budgets.iter().enumerate() {
            let m = median(times[k].clone());
            let name = if b == u64::MAX {
                "one piece".to_string()
            } else {
                b.to_string()
            };
            println!(
                "  {name:>14} {:>7} {:>12} {:>8.1} ms {:>9.1} ms {:>8.2}",
                last[k].0,
                last[k].1,
                m,
                last[k].2,
                m / once
            );
        }
    }
}
