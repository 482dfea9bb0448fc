//! Theory numbers against independent computations, and the bound against the truth.

mod common;
use common::{close, setup};
use sgd_lab::ensemble::Ensemble;
use sgd_lab::problem::Problem;
use sgd_lab::run::simulate;
use sgd_lab::theory::theory;

#[test]
fn smoothness_strong_convexity_and_kappa_of_a_2x2_quadratic() {
    // H = [[3, 1], [1, 3]] has eigenvalues 2 and 4.
    let s = setup(
        r#"{"problem": {"kind": "quadratic", "h": [[3, 1], [1, 3]], "centers": [[0, 0], [2, 0]]}, "method": {"lr": 0.1}}"#,
    );
    let th = theory(&s);
    assert!(close(th.smoothness, 4.0, 1e-14) && close(th.strong_convexity, 2.0, 1e-14));
    assert!(close(th.condition_number.unwrap(), 2.0, 1e-14));
    assert!(close(th.max_stable_lr, 0.5, 1e-14));
    // σ0 = mean ‖H (w* − c_i)‖² with w* = (1, 0): H(±1, 0) = ±(3, 1) → 10.
    assert!(close(th.sigma0, 10.0, 1e-14));
    // For this problem E‖∇l_i‖² = ‖∇L‖² + σ0 exactly: the pair (σ0, M_G) with any M_G ≥ 1.
    let sig = th.sigma.unwrap();
    assert!(close(sig.m_g_min, 1.0, 1e-12) && close(sig.m, 10.0, 1e-12));
}

#[test]
fn max_stable_lr_separates_convergence_from_divergence() {
    let json = |lr: f64| {
        format!(
            r#"{{"problem": {{"kind": "random_least_squares", "n": 20, "d": 2, "kappa": 5, "seed": 3}}, "method": {{"kind": "gd", "lr": {lr}}}, "w0": [1, 1], "steps": 3000}}"#
        )
    };
    let lim = theory(&setup(&json(0.1))).max_stable_lr;
    let below = simulate(&setup(&json(0.98 * lim)), 0);
    let above = simulate(&setup(&json(1.02 * lim)), 0);
    let far_above = simulate(&setup(&json(1.5 * lim)), 0);
    assert!(below.diverged_at.is_none() && *below.gap.last().unwrap() < 1e-6);
    // Just above, the error grows by |1 − 1.02·2| = 1.04 per step along the top eigenvector.
    assert!(
        *above.gap.last().unwrap() > 1e20 * above.gap[0],
        "GD above 2/L_s must grow"
    );
    assert!(
        far_above.diverged_at.is_some(),
        "GD far above 2/L_s must overflow and stop"
    );
}

#[test]
fn zone_of_confusion_of_the_per_sample_preset() {
    let s = sgd_lab::presets::find("per-sample")
        .unwrap()
        .scenario()
        .build()
        .unwrap();
    let th = theory(&s);
    let ws: Vec<f64> = serde_json::from_value(th.per_sample_minimizers.unwrap()).unwrap();
    let Problem::LeastSquares(ls) = &*s.problem else {
        panic!()
    };
    for (i, w) in ws.iter().enumerate() {
        assert_eq!(*w, ls.target(i) / ls.row(i)[0]);
    }
    let [lo, hi] = th.zone_of_confusion.unwrap();
    assert!(close(lo, 1.0, 1e-15) && close(hi, 2.7, 1e-15), "{lo} {hi}");
    // w* is inside the zone.
    assert!(lo < th.optimum.w[0] && th.optimum.w[0] < hi);
}

/// E‖∇l_i(w)‖² and ‖∇L(w)‖² at w, computed from the data directly.
fn moments_at(p: &Problem, w: &[f64]) -> (f64, f64) {
    let d = p.d();
    let mut full = vec![0.0; d];
    p.grad(w, &mut full);
    let mut second = 0.0;
    for i in 0..p.n() {
        let mut g = vec![0.0; d];
        p.add_grad_i(w, i, 1.0, &mut g);
        second += g.iter().map(|v| v * v).sum::<f64>() / p.n() as f64;
    }
    (second, full.iter().map(|v| v * v).sum())
}

#[test]
fn the_second_moment_pair_holds_everywhere_and_sigma0_alone_does_not() {
    for (seed, d) in [(1, 1), (2, 2), (3, 3)] {
        let s = setup(&format!(
            r#"{{"problem": {{"kind": "random_least_squares", "n": 15, "d": {d}, "noise": 1.0, "kappa": 4, "seed": {seed}}}}}"#
        ));
        let p = &*s.problem;
        let th = theory(&s);
        let pair = th.sigma.unwrap();
        assert!(pair.m_g_min >= 1.0, "Jensen: σ ≥ 1");
        let ws = p.optimum().to_vec();
        // Directions and scales: the inequality must hold at every w.
        let mut rng = sgd_lab::rng::Rng::for_data(seed);
        let mut sigma0_fails = false;
        for k in 0..4000 {
            let scale = 10f64.powf(-4.0 + 6.0 * (k as f64 / 4000.0));
            let w: Vec<f64> = ws.iter().map(|v| v + scale * rng.normal()).collect();
            let (second, grad2) = moments_at(p, &w);
            assert!(
                second <= pair.m + pair.m_g * grad2 + 1e-12 * second,
                "d={d} at {w:?}: {second} > {} + {}·{grad2}",
                pair.m,
                pair.m_g
            );
            if second > th.sigma0 + pair.m_g * grad2 {
                sigma0_fails = true;
            }
        }
        // The middle term 2eᵀE[‖x‖² r x] makes M = σ0 too small near w*, as LABS.md says.
        assert!(pair.m > th.sigma0);
        assert!(
            sigma0_fails,
            "d={d}: expected some w where σ0 + M_G‖∇L‖² is exceeded"
        );
    }
}

/// Exact E[gap_t] of 1-D least-squares SGD with batch b drawn with replacement.
fn exact_mean_gap(s: &sgd_lab::Setup) -> Vec<f64> {
    let Problem::LeastSquares(ls) = &*s.problem else {
        panic!()
    };
    let n = ls.n();
    let (eta, b) = (s.scenario.method.lr, s.scenario.method.batch as f64);
    let ws = s.problem.optimum()[0];
    let mean = |f: &dyn Fn(f64, f64) -> f64| {
        (0..n).map(|i| f(ls.row(i)[0], ls.target(i))).sum::<f64>() / n as f64
    };
    let h = mean(&|x, _| x * x);
    let var_a = mean(&|x, _| (x * x - h).powi(2));
    let e_as = mean(&|x, y| x * x * x * (x * ws - y));
    let e_s2 = mean(&|x, y| (x * (x * ws - y)).powi(2));
    let a = (1.0 - eta * h).powi(2) + eta * eta * var_a / b;
    let bb = -eta * e_as / b;
    let c = e_s2 / b;
    let e0 = s.w0[0] - ws;
    let (mut m1, mut m2) = (e0, e0 * e0);
    (0..=s.scenario.steps)
        .map(|_| {
            let g = 0.5 * h * m2;
            m2 = a * m2 - 2.0 * eta * bb * m1 + eta * eta * c;
            m1 *= 1.0 - eta * h;
            g
        })
        .collect()
}

#[test]
fn the_bound_really_bounds_the_exact_expectation() {
    let mut checked = 0;
    for seed in 0..8 {
        for batch in [1, 4] {
            for frac in [0.05, 0.3, 0.9] {
                let json = |lr: f64| {
                    format!(
                        r#"{{"problem": {{"kind": "random_least_squares", "n": 12, "d": 1, "noise": 1.5, "seed": {seed}}},
                             "method": {{"kind": "sgd", "lr": {lr}, "batch": {batch}}}, "w0": [-3.0], "steps": 400}}"#
                    )
                };
                // The largest step the theorem allows for this batch, then a fraction of it.
                let probe = theory(&setup(&json(1e-6)));
                let rho = probe.sigma.as_ref().unwrap().m_g_min;
                let lr_max = 1.0 / (probe.smoothness * (1.0 + (rho - 1.0) / batch as f64));
                let s = setup(&json(frac * lr_max));
                let bound = theory(&s).bound.expect("bound applies");
                let exact = exact_mean_gap(&s);
                for (t, (e, b)) in exact.iter().zip(&bound.curve).enumerate() {
                    assert!(
                        e <= b,
                        "seed {seed} b {batch} η {}: t={t}: E gap {e} > bound {b}",
                        s.scenario.method.lr
                    );
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 48);
}

#[test]
fn the_measured_ensemble_mean_stays_under_the_drawn_curve() {
    let mut s = sgd_lab::presets::find("expected-loss").unwrap().scenario();
    s.runs = 4000;
    let s = s.build().unwrap();
    let bound = theory(&s)
        .bound
        .expect("the expected-loss preset has a bound");
    let mut ens = Ensemble::new(&s, 0);
    ens.finish();
    let mean = ens.mean_gap();
    assert_eq!(mean.len(), bound.curve.len());
    for (t, (m, b)) in mean.iter().zip(&bound.curve).enumerate() {
        assert!(m <= b, "t={t}: mean {m} > bound {b}");
    }
    // And the floor is not vacuous: above the level the exact expectation settles at
    // (the recursion's fixed point), and within a factor 15 of it (10.7 for the preset,
    // κ = 5: the lecture's bound is a worst case).
    let level = sgd_lab::expectation::stationary_gap(&s).expect("a contracting step");
    let ratio = bound.floor / level;
    assert!((1.0..15.0).contains(&ratio), "floor/level = {ratio}");
    assert!(
        (mean.last().unwrap() / level - 1.0).abs() < 0.1,
        "the runs reach it"
    );
}

#[test]
fn no_bound_where_the_theorem_does_not_apply() {
    let th = theory(&setup(
        r#"{"problem": {"kind": "random_least_squares", "n": 10, "seed": 1}, "method": {"lr": 1.9}}"#,
    ));
    assert!(th.bound.is_none());
    assert!(th.bound_note.unwrap().contains("η"));
    let th = theory(&setup(
        r#"{"problem": {"kind": "random_least_squares", "n": 10, "seed": 1}, "method": {"lr": 0.01, "momentum": 0.5}}"#,
    ));
    assert!(th.bound.is_none());
}

#[test]
fn gap_is_accurate_when_it_is_1e_minus_12_of_the_minimum() {
    // x = (1, 1), y = (0, 2): w* = 1, h = 1, L* = ½. At w = 1 + 2⁻²⁰ the gap is exactly
    // ½·2⁻⁴⁰ ≈ 4.5e-13, i.e. 9e-13 of L*; L(w) − L* in floating point would be ~1e-16 off.
    let s = setup(r#"{"problem": {"kind": "least_squares", "x": [[1], [1]], "y": [0, 2]}}"#);
    let w = [1.0 + 2f64.powi(-20)];
    let exact = 0.5 * 2f64.powi(-40);
    assert_eq!(s.problem.optimum(), &[1.0]);
    assert!(close(s.problem.gap(&w), exact, 1e-9));
    // 2-D quadratic with dyadic data: ½ eᵀHe exactly.
    let s = setup(
        r#"{"problem": {"kind": "quadratic", "h": [[2, 0.5], [0.5, 1]], "centers": [[1, 3], [3, 1]]}}"#,
    );
    let e = [2f64.powi(-21), -(2f64.powi(-22))];
    let w = [2.0 + e[0], 2.0 + e[1]];
    let exact = 0.5 * (2.0 * e[0] * e[0] + 2.0 * 0.5 * e[0] * e[1] + e[1] * e[1]);
    assert_eq!(s.problem.min_loss(), 1.0);
    assert!(
        close(s.problem.gap(&w), exact, 1e-9),
        "{} vs {exact}",
        s.problem.gap(&w)
    );
}

#[test]
fn logistic_optimum_and_stable_gap() {
    let s = setup(
        r#"{"problem": {"kind": "random_logistic", "n": 60, "d": 2, "separation": 1.5, "l2": 0.01, "seed": 4}}"#,
    );
    let p = &*s.problem;
    let ws = p.optimum().to_vec();
    let mut g = vec![0.0; 2];
    p.grad(&ws, &mut g);
    assert!(g.iter().all(|v| v.abs() < 1e-12), "{g:?}");
    // Near w*, the gap is ∇L(w*)ᵀe + ½ eᵀ∇²L(w*)e to relative O(‖e‖) (the gradient at the
    // computed w* is ~1e-13, not 0, and at this scale its term matters).
    let e = [3e-8, -2e-8];
    let w = [ws[0] + e[0], ws[1] + e[1]];
    let h = p.hessian(&ws);
    let quad = g[0] * e[0]
        + g[1] * e[1]
        + 0.5 * (e[0] * (h[0] * e[0] + h[1] * e[1]) + e[1] * (h[2] * e[0] + h[3] * e[1]));
    assert!(close(p.gap(&w), quad, 1e-6), "{} vs {quad}", p.gap(&w));
    // Far away it agrees with the plain difference of losses.
    let w = [ws[0] + 2.0, ws[1] - 1.0];
    assert!(close(p.gap(&w), p.loss(&w) - p.min_loss(), 1e-12));
    // Theory: L_s bounds the Hessian everywhere; m = λ.
    let th = theory(&s);
    assert_eq!(th.strong_convexity, 0.01);
    for w in [[0.0, 0.0], [1.0, -1.0], [5.0, 5.0]] {
        let h = p.hessian(&w);
        let (vals, _) = sgd_lab::linalg::sym_eigen(&h, 2);
        assert!(vals[1] <= th.smoothness * (1.0 + 1e-12) && vals[0] >= 0.01 * (1.0 - 1e-12));
    }
}

#[test]
fn separable_logistic_data_without_ridge_is_refused_with_a_reason() {
    let err = common::rejection(
        r#"{"problem": {"kind": "logistic", "x": [[1], [2], [-1], [-3]], "y": [1, 1, -1, -1]}}"#,
    );
    assert!(err.starts_with("problem.l2 must be > 0"), "{err}");
}

#[test]
fn logistic_smoothness_is_a_quarter_of_the_data_s_largest_curvature_plus_l2() {
    // L(w) = (1/n) Σ log(1 + exp(−y_i x_iᵀw)) + (l2/2)‖w‖²: σ' ≤ 1/4, so L_s =
    // λ_max(XᵀX)/(4n) + l2 and m = l2. X written out here, λ_max of the 2×2 in closed form.
    let x = [
        [1.0, 0.5],
        [-0.3, 2.0],
        [0.7, -1.2],
        [-1.5, -0.4],
        [2.2, 0.9],
    ];
    let y = [1.0, -1.0, 1.0, -1.0, 1.0];
    let l2 = 0.05;
    let doc = serde_json::json!({"problem": {"kind": "logistic", "x": x, "y": y, "l2": l2}});
    let s = sgd_lab::Scenario::from_json(&doc.to_string())
        .unwrap()
        .build()
        .unwrap();
    let th = sgd_lab::theory::theory(&s);
    let (mut a, mut b, mut c) = (0.0f64, 0.0f64, 0.0f64);
    for r in &x {
        a += r[0] * r[0];
        b += r[0] * r[1];
        c += r[1] * r[1];
    }
    let n = x.len() as f64;
    let lmax = 0.5 * (a + c) + (0.25 * (a - c) * (a - c) + b * b).sqrt();
    let want = lmax / (4.0 * n) + l2;
    assert!(
        (th.smoothness - want).abs() <= 1e-12 * want,
        "L_s = {}, want {want}",
        th.smoothness
    );
    assert!(
        (th.strong_convexity - l2).abs() <= 1e-15,
        "m = {}",
        th.strong_convexity
    );
}
