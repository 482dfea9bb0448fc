//! Non-uniform sampling (#9, for noise-assumptions): `method.sample_weights` draws
//! sample i with probability p_i (chi-square on the frequencies); without importance
//! weighting SGD goes to the minimiser of Σ p_i l_i, with it (each gradient scaled by
//! 1/(n p_i)) back to w* (long-run averages against both closed-form minimisers); the
//! weighted estimate is unbiased over all indices exactly; fields, messages, labels.

mod common;
use common::{rejection, setup};
use sgd_lab::method::Estimator;
use sgd_lab::rng::Rng;
use sgd_lab::run::{Outcome, Run};
use sgd_lab::sampler::{Sampler, Sampling};
use sgd_lab::scenario::method_label;
use sgd_lab::Scenario;

const WEIGHTS: [f64; 12] = [5.0, 5.0, 5.0, 5.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0];

/// For the long runs: every sample can be drawn (importance weighting then targets
/// w* itself; a sample of weight 0 would drop out of the objective).
const POSITIVE: [f64; 12] = [5.0, 5.0, 5.0, 5.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5];

fn normalised(w: &[f64]) -> Vec<f64> {
    let total: f64 = w.iter().sum();
    w.iter().map(|v| v / total).collect()
}

fn probabilities() -> Vec<f64> {
    normalised(&WEIGHTS)
}

fn chi_square(counts: &[u64], p: &[f64], draws: u64) -> f64 {
    counts
        .iter()
        .zip(p)
        .filter(|(_, &p)| p > 0.0)
        .map(|(&o, &p)| {
            let e = p * draws as f64;
            (o as f64 - e).powi(2) / e
        })
        .sum()
}

#[test]
fn drawn_frequencies_match_the_probabilities() {
    let p = probabilities();
    let draws = 120_000u64;
    for seed in [1u64, 2, 3] {
        let mut rng = Rng::for_run(seed, 0);
        let mut s = Sampler::new(Sampling::WithReplacement, 12, 4).with_probabilities(&p);
        let mut counts = [0u64; 12];
        let mut batch = Vec::new();
        for _ in 0..draws / 4 {
            s.next_batch(&mut rng, &mut batch);
            assert_eq!(batch.len(), 4);
            for &i in &batch {
                counts[i as usize] += 1;
            }
        }
        assert_eq!(counts[11], 0, "weight 0 is never drawn");
        // 10 degrees of freedom: P(χ² > 29.59) = 0.001.
        let chi = chi_square(&counts, &p, draws);
        assert!(chi < 29.59, "seed {seed}: χ² = {chi}, counts {counts:?}");
        // The test can fail: the same counts are far from uniform.
        let uniform = vec![1.0 / 11.0; 11];
        assert!(chi_square(&counts[..11], &uniform, draws) > 1000.0);
    }
}

/// The minimiser of Σ q_i ½ (x_iᵀw − y_i)² in 2-D, solved by hand (Cramer's rule).
fn weighted_minimiser(rows: &[[f64; 2]], y: &[f64], q: &[f64]) -> [f64; 2] {
    let (mut a, mut b, mut c, mut r0, mut r1) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for ((x, &y), &q) in rows.iter().zip(y).zip(q) {
        a += q * x[0] * x[0];
        b += q * x[0] * x[1];
        c += q * x[1] * x[1];
        r0 += q * x[0] * y;
        r1 += q * x[1] * y;
    }
    let det = a * c - b * b;
    [(c * r0 - b * r1) / det, (a * r1 - b * r0) / det]
}

#[test]
fn weighted_sgd_goes_to_the_weighted_minimiser_and_importance_weighting_back_to_w_star() {
    let rows: Vec<[f64; 2]> = (0..12)
        .map(|i| {
            let t = i as f64;
            [
                1.0 + 0.3 * (t * 1.7).sin(),
                0.5 * (t * 0.9).cos() + 0.1 * t - 0.5,
            ]
        })
        .collect();
    let y: Vec<f64> = (0..12)
        .map(|i| [2.0, -1.0, 0.5, 3.0][i % 4] + 0.2 * i as f64)
        .collect();
    let uniform = vec![1.0 / 12.0; 12];
    let w_star = weighted_minimiser(&rows, &y, &uniform);
    let w_p = weighted_minimiser(&rows, &y, &normalised(&POSITIVE));
    let apart = ((w_star[0] - w_p[0]).powi(2) + (w_star[1] - w_p[1]).powi(2)).sqrt();
    assert!(apart > 0.3, "the two minimisers differ: {w_star:?} {w_p:?}");
    let x: Vec<String> = rows
        .iter()
        .map(|r| format!("[{}, {}]", r[0], r[1]))
        .collect();
    let y_text: Vec<String> = y.iter().map(|v| v.to_string()).collect();
    let weights: Vec<String> = POSITIVE.iter().map(|v| v.to_string()).collect();
    let average = |extra: &str| -> [f64; 2] {
        let s = setup(&format!(
            r#"{{"problem": {{"kind": "least_squares", "x": [{}], "y": [{}]}},
                "method": {{"kind": "sgd", "lr": 0.01{extra}}}, "w0": [0, 0], "steps": 400000, "seed": 5}}"#,
            x.join(", "),
            y_text.join(", "),
        ));
        let mut run = Run::new(&s, 0);
        let (mut sum, mut k) = ([0.0; 2], 0.0);
        while run.step() == Outcome::Stepped {
            if run.t() > 20_000 {
                sum[0] += run.w()[0];
                sum[1] += run.w()[1];
                k += 1.0;
            }
        }
        [sum[0] / k, sum[1] / k]
    };
    let dist = |a: [f64; 2], b: [f64; 2]| ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt();
    let w = format!(r#", "sample_weights": [{}]"#, weights.join(", "));
    let cases = [
        ("uniform", average(""), w_star, w_p),
        ("weighted", average(&w), w_p, w_star),
        (
            "weighted, importance weighting",
            average(&format!(r#"{w}, "importance_weighting": true"#)),
            w_star,
            w_p,
        ),
    ];
    for (name, got, right, wrong) in cases {
        println!(
            "{name}: average {got:?}, {} from its target, {} from the other (apart {apart})",
            dist(got, right),
            dist(got, wrong)
        );
        assert!(
            dist(got, right) < 0.1 * apart && dist(got, wrong) > 0.5 * apart,
            "{name}: average {got:?}, expected {right:?} (not {wrong:?})"
        );
    }
}

#[test]
fn importance_weighting_is_unbiased_over_all_indices_exactly() {
    let s = setup(
        r#"{"problem": {"kind": "random_least_squares", "n": 12, "d": 3, "seed": 8}, "w0": [0.3, -1.2, 2.0]}"#,
    );
    let p = probabilities();
    let n = 12.0;
    let scale: Vec<f64> = p
        .iter()
        .map(|&q| if q > 0.0 { 1.0 / (n * q) } else { 0.0 })
        .collect();
    let w = [0.7, -0.4, 1.9];
    let mut full = vec![0.0; 3];
    s.problem.grad(&w, &mut full);
    let (mut iw, mut plain) = (vec![0.0; 3], vec![0.0; 3]);
    let mut g = vec![0.0; 3];
    let mut weighted = Estimator::sgd_weighted(scale);
    let mut unweighted = Estimator::sgd();
    for i in 0..12u32 {
        weighted.estimate(&s.problem, &w, &[i], 0, &mut g);
        for k in 0..3 {
            iw[k] += p[i as usize] * g[k];
        }
        unweighted.estimate(&s.problem, &w, &[i], 0, &mut g);
        for k in 0..3 {
            plain[k] += p[i as usize] * g[k];
        }
    }
    // Sample 11 (weight 0) is never drawn: the weighted mean is ∇L without its term
    // (1/n) ∇l_11; below, with every weight positive, it is ∇L itself.
    let mut with_all = full.clone();
    let mut g11 = vec![0.0; 3];
    s.problem.add_grad_i(&w, 11, 1.0 / n, &mut g11);
    for k in 0..3 {
        with_all[k] -= g11[k];
    }
    for k in 0..3 {
        assert!(
            (iw[k] - with_all[k]).abs() < 1e-12 * (1.0 + full[k].abs()),
            "{iw:?} vs {with_all:?}"
        );
    }
    let gap: f64 = (0..3).map(|k| (plain[k] - full[k]).abs()).sum();
    assert!(
        gap > 1e-3,
        "without importance weighting the estimate is biased: {plain:?} {full:?}"
    );
    // With every weight positive the weighted estimate's mean is ∇L itself.
    let q = vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    let total: f64 = q.iter().sum();
    let pq: Vec<f64> = q.iter().map(|v| v / total).collect();
    let mut est = Estimator::sgd_weighted(pq.iter().map(|&v| 1.0 / (n * v)).collect());
    let mut mean = vec![0.0; 3];
    for i in 0..12u32 {
        est.estimate(&s.problem, &w, &[i], 0, &mut g);
        for k in 0..3 {
            mean[k] += pq[i as usize] * g[k];
        }
    }
    for k in 0..3 {
        assert!(
            (mean[k] - full[k]).abs() < 1e-12 * (1.0 + full[k].abs()),
            "{mean:?} vs {full:?}"
        );
    }
}

#[test]
fn bad_weights_are_named_and_the_fields_round_trip() {
    let base = r#""problem": {"kind": "random_least_squares", "n": 12, "d": 2}"#;
    let cases = [
        (r#"{"sample_weights": [1, 2, 3]}"#, "method.sample_weights must have n = 12 entries, got 3"),
        (
            r#"{"sample_weights": [1, 1, -1, 1, 1, 1, 1, 1, 1, 1, 1, 1]}"#,
            "method.sample_weights[2] must be a finite number ≥ 0, got -1",
        ),
        (
            r#"{"sample_weights": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]}"#,
            "method.sample_weights must have a positive sum (they are normalised to probabilities), got 0",
        ),
        (
            r#"{"importance_weighting": true}"#,
            "method.importance_weighting needs method.sample_weights (it corrects non-uniform sampling; with uniform sampling it changes nothing)",
        ),
        (
            r#"{"sampling": "cyclic", "sample_weights": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]}"#,
            "method.sample_weights applies to SGD sampling with replacement only (kind sgd, sampling with_replacement)",
        ),
        (
            r#"{"importance_weighting": 1}"#,
            "method.importance_weighting is not valid: invalid type: integer `1`, expected a boolean",
        ),
    ];
    for (method, want) in cases {
        assert_eq!(
            rejection(&format!(r#"{{{base}, "method": {method}}}"#)),
            want,
            "{method}"
        );
    }
    let doc = format!(
        r#"{{{base}, "method": {{"sample_weights": [5, 5, 5, 1, 1, 1, 1, 1, 1, 1, 1, 1], "importance_weighting": true}}}}"#
    );
    let s = Scenario::from_json(&doc).unwrap();
    assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s);
    assert_eq!(
        method_label(&s.method),
        "sgd lr=0.1 weighted importance_weighting"
    );
    let plain = Scenario::from_json(&format!("{{{base}}}")).unwrap();
    assert!(!plain.to_json().contains("weight"));
    // The exact expectation and the lecture's bound are for uniform sampling.
    let built = s.build().unwrap();
    let why = sgd_lab::expectation::exact_mean_gap(&built).err().unwrap();
    assert_eq!(why, "it is computed for samples drawn uniformly");
    let th = sgd_lab::theory::theory(&built);
    assert_eq!(
        th.bound_note.as_deref(),
        Some("the bound assumes samples drawn uniformly")
    );
}
