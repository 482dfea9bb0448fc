//! The ensemble's per-step mean and spread, computed without cancellation (issue #13):
//! the cases where E[v²] − E[v]² failed, against an exact computation over the runs'
//! own gaps (each run simulated on its own).

use sgd_lab::ensemble::Ensemble;
use sgd_lab::report::run_result;
use sgd_lab::run::simulate;
use sgd_lab::{Scenario, Setup};

/// 2-D least squares whose targets are scaled by 1000: gaps of about 2 × 10⁵ from
/// w0 = (300, −200).
fn scaled_least_squares(method: &str, runs: u64, steps: u64) -> Setup {
    let n = 20;
    let x: Vec<String> = (0..n)
        .map(|i| {
            let a = 0.5 + (i as f64 * 0.37) % 1.3;
            let b = -0.8 + (i as f64 * 0.61) % 1.7;
            format!("[{a}, {b}]")
        })
        .collect();
    let y: Vec<String> = (0..n)
        .map(|i| format!("{}", 1000.0 * ((i as f64 * 0.83) % 2.1 - 1.0)))
        .collect();
    let json = format!(
        r#"{{"problem": {{"kind": "least_squares", "x": [{}], "y": [{}]}},
            "method": {method}, "w0": [300, -200], "steps": {steps}, "runs": {runs}, "seed": 5}}"#,
        x.join(", "),
        y.join(", ")
    );
    Scenario::from_json(&json).unwrap().build().unwrap()
}

/// Mean and population standard deviation in exact integer arithmetic: every finite
/// f64 is an integer multiple of 2^e for the smallest exponent e among the values, so
/// the deviations from the first value, their sum and their sum of squares are exact
/// integers. (A floating-point two-pass over gaps of 10¹⁰ is itself off in the 4th
/// digit of a spread of 0.1: its first pass rounds the sum.)
fn exact_mean_std(v: &[f64]) -> (f64, f64) {
    let parts = |x: f64| -> (i128, i32) {
        assert!(x.is_finite() && x > 0.0);
        let bits = x.to_bits();
        let exp = ((bits >> 52) & 0x7ff) as i32;
        let mant = (bits & ((1 << 52) - 1)) as i128;
        if exp == 0 {
            (mant, -1074)
        } else {
            (mant | (1 << 52), exp - 1075)
        }
    };
    let e_min = v.iter().map(|&x| parts(x).1).min().unwrap();
    let k: Vec<i128> = v
        .iter()
        .map(|&x| {
            let (m, e) = parts(x);
            m.checked_shl((e - e_min) as u32).unwrap()
        })
        .collect();
    let n = v.len() as i128;
    let d: Vec<i128> = k.iter().map(|&ki| ki - k[0]).collect();
    let s1: i128 = d.iter().sum();
    let s2: i128 = d.iter().map(|&x| x.checked_mul(x).unwrap()).sum();
    let scale = 2f64.powi(e_min);
    let mean = v[0] + s1 as f64 * scale / n as f64;
    let var_n2 = n.checked_mul(s2).unwrap() - s1 * s1;
    let std = (var_n2 as f64).sqrt() / n as f64 * scale;
    (mean, std)
}

#[test]
fn identical_runs_have_zero_spread_and_their_common_mean() {
    let s = scaled_least_squares(r#"{"kind": "gd", "lr": 0.01}"#, 1000, 20);
    let r = run_result(&s, true);
    let one = simulate(&s, 0);
    assert!(
        one.gap[0] > 1e4,
        "the case needs a large gap, got {}",
        one.gap[0]
    );
    assert_eq!(r.mean_gap.len(), 21);
    for t in 0..=20 {
        assert_eq!(r.std_gap[t], 0.0, "step {t}");
        assert_eq!(r.mean_gap[t].to_bits(), one.gap[t].to_bits(), "step {t}");
        assert_eq!(r.min_gap[t], r.max_gap[t]);
    }
}

#[test]
fn a_tiny_spread_on_a_large_gap_matches_an_exact_computation() {
    let runs = 10_000;
    let s = scaled_least_squares(r#"{"kind": "sgd", "lr": 1e-9}"#, runs, 3);
    let mut e = Ensemble::new(&s, 0);
    e.finish();
    let st = e.gap_stats();
    let (mean, std) = (st.mean(4), st.std(4));
    for t in 1..=3 {
        let gaps: Vec<f64> = (0..runs).map(|r| simulate(&s, r).gap[t]).collect();
        let (m, sd) = exact_mean_std(&gaps);
        let (lo, hi) = (st.min[t], st.max[t]);
        assert!(hi > lo && sd > 0.0, "step {t}: the runs must differ");
        assert!(
            (mean[t] - m).abs() <= 1e-9 * m,
            "step {t}: mean {} vs {m}",
            mean[t]
        );
        assert!(
            (std[t] - sd).abs() <= 1e-9 * sd,
            "step {t}: std {} vs exact {sd} (range {})",
            std[t],
            hi - lo
        );
        assert!(std[t] <= hi - lo);
    }
}

#[test]
fn the_mean_lies_within_min_and_max_in_every_preset_and_slicing() {
    for name in ["expected-loss", "step-size", "averaging"] {
        let setup = sgd_lab::presets::find(name)
            .unwrap()
            .scenario()
            .build()
            .unwrap();
        let mut e = Ensemble::new(&setup, 3);
        while !e.is_done() {
            e.advance(37);
        }
        let len = e.complete_len();
        let st = e.gap_stats();
        let (mean, std) = (st.mean(len), st.std(len));
        for t in 0..len {
            assert!(
                st.min[t] <= mean[t] && mean[t] <= st.max[t],
                "{name} step {t}"
            );
            assert!(
                std[t] >= 0.0 && std[t] <= st.max[t] - st.min[t],
                "{name} step {t}"
            );
        }
        // All runs start at w0: step 0 has no spread at all.
        assert_eq!(std[0], 0.0, "{name}");
        assert_eq!(mean[0], st.min[0], "{name}");
    }
}

/// 1-D, where the interleaved kernel computes the ensemble: the same two-pass check.
#[test]
fn the_kernel_keeps_a_tiny_spread_too() {
    let json = r#"{"problem": {"kind": "quadratic", "h": [[2.0]], "centers": [[1000.0], [1000.5], [999.25], [1001.0]]},
        "method": {"kind": "sgd", "lr": 1e-7}, "w0": [-300000], "steps": 4, "runs": 4000, "seed": 9}"#;
    let s = Scenario::from_json(json).unwrap().build().unwrap();
    let mut e = Ensemble::new(&s, 0);
    assert!(e.is_interleaved());
    e.finish();
    let st = e.gap_stats();
    let (mean, std) = (st.mean(5), st.std(5));
    assert_eq!(std[0], 0.0);
    for t in 1..=4 {
        let gaps: Vec<f64> = (0..4000).map(|r| simulate(&s, r).gap[t]).collect();
        let (m, sd) = exact_mean_std(&gaps);
        assert!(
            sd > 0.0 && sd < 1e-6 * m,
            "step {t}: a tiny relative spread"
        );
        assert!((mean[t] - m).abs() <= 1e-9 * m, "step {t}");
        assert!(
            (std[t] - sd).abs() <= 1e-9 * sd,
            "step {t}: {} vs {sd}",
            std[t]
        );
    }
}

#[test]
fn the_quantile_band_brackets_the_runs_own_order_statistics() {
    // Every run kept: the 10 % and 90 % quantiles at each step against the order
    // statistics of the runs' own gaps (the histogram's bins are 2^(1/8) wide).
    let setup = scaled_least_squares(r#"{"kind": "sgd", "lr": 0.05}"#, 40, 30);
    let mut e = Ensemble::new(&setup, 40).with_quantiles();
    e.finish();
    let (lo, hi) = e.gap_quantiles(31, 0.1, 0.9).expect("made with quantiles");
    assert_eq!((lo.len(), hi.len()), (31, 31));
    let bin = 2f64.powf(1.0 / 8.0) * (1.0 + 1e-9);
    for t in [1usize, 5, 15, 30] {
        let mut g: Vec<f64> = e.kept().iter().map(|r| r.gap[t]).collect();
        g.sort_by(|a, b| a.total_cmp(b));
        // Order statistics around the 10 % and 90 % points of 40 values.
        let (q10, q90) = ((g[3], g[4]), (g[35], g[36]));
        assert!(
            lo[t] >= q10.0 / bin && lo[t] <= q10.1 * bin,
            "t = {t}: 10 % {} vs {q10:?}",
            lo[t]
        );
        assert!(
            hi[t] >= q90.0 / bin && hi[t] <= q90.1 * bin,
            "t = {t}: 90 % {} vs {q90:?}",
            hi[t]
        );
        assert!(lo[t] < hi[t], "t = {t}: a band with a width");
    }
    // Without the histogram there is no band.
    let mut plain = Ensemble::new(&setup, 0);
    plain.finish();
    assert!(plain.gap_quantiles(31, 0.1, 0.9).is_none());
}

#[test]
fn progress_counts_the_steps_of_a_run_in_progress() {
    // The generic path computes a run part of the way when the budget ends inside it:
    // progress = runs done + t / (steps + 1).
    let setup = scaled_least_squares(r#"{"kind": "sgd", "lr": 0.05}"#, 3, 99);
    let mut e = Ensemble::generic(&setup, 0);
    assert_eq!(e.runs_progress(), 0.0);
    e.advance_steps(25);
    let p = e.runs_progress();
    assert!(p > 0.0 && p < 1.0, "part of the first run: {p}");
    assert_eq!(
        p * 100.0,
        (p * 100.0).round(),
        "t / (steps + 1) = t / 100: {p}"
    );
    e.advance_steps(100);
    let q = e.runs_progress();
    assert!(
        q > 1.0 && q < 2.0,
        "the first run done, part of the second: {q}"
    );
    assert_eq!(e.runs_done(), 1);
    e.finish();
    assert_eq!(e.runs_progress(), 3.0);
}
