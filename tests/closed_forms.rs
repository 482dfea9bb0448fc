//! Methods against closed forms and hand-worked sequences.

mod common;
use common::{close, setup};
use sgd_lab::method::{Estimator, MethodKind, MethodSpec, Optimizer};
use sgd_lab::run::simulate;

#[test]
fn gd_on_a_quadratic_follows_the_closed_form() {
    // w_t − w* = (I − ηH)^t (w_0 − w*), with w* the mean of the centres.
    let s = setup(
        r#"{"problem": {"kind": "quadratic", "h": [[2.0, 0.5], [0.5, 1.0]], "centers": [[1.0, 0.0], [3.0, 2.0], [-1.0, 1.0]]},
            "method": {"kind": "gd", "lr": 0.3}, "w0": [4.0, -3.0], "steps": 40}"#,
    );
    let w_star = [1.0, 1.0];
    assert_eq!(s.problem.optimum(), &w_star);
    let tr = simulate(&s, 0);
    let (h, eta) = ([[2.0, 0.5], [0.5, 1.0]], 0.3);
    let mut e = [4.0 - 1.0, -3.0 - 1.0];
    for t in 0..=40 {
        let w = tr.point(t);
        for k in 0..2 {
            assert!(
                (w[k] - w_star[k] - e[k]).abs() < 1e-12,
                "t={t} k={k}: {} vs {}",
                w[k] - w_star[k],
                e[k]
            );
        }
        // The gap is ½ eᵀHe.
        let gap = 0.5
            * (e[0] * (h[0][0] * e[0] + h[0][1] * e[1]) + e[1] * (h[1][0] * e[0] + h[1][1] * e[1]));
        assert!(close(tr.gap[t], gap, 1e-10) || (tr.gap[t] - gap).abs() < 1e-15);
        e = [
            e[0] - eta * (h[0][0] * e[0] + h[0][1] * e[1]),
            e[1] - eta * (h[1][0] * e[0] + h[1][1] * e[1]),
        ];
    }
    // GD pays n = 3 evaluations per step and draws no index.
    assert_eq!(tr.grad_evals[40], 120);
    assert!(tr.indices.iter().all(|i| i.is_empty()));
}

#[test]
#[allow(clippy::needless_range_loop)] // row-operation indices read best as written
fn least_squares_optimum_solves_the_normal_equations() {
    let s = setup(
        r#"{"problem": {"kind": "random_least_squares", "n": 30, "d": 3, "noise": 0.5, "kappa": 50, "seed": 9}}"#,
    );
    let sgd_lab::problem::Problem::LeastSquares(ls) = &*s.problem else {
        panic!()
    };
    let w = s.problem.optimum();
    // Residual of the normal equations Xᵀ(Xw − y)/n is at rounding level.
    let mut res = [0.0; 3];
    for i in 0..30 {
        let x = ls.row(i);
        let r = x[0] * w[0] + x[1] * w[1] + x[2] * w[2] - ls.target(i);
        for k in 0..3 {
            res[k] += x[k] * r / 30.0;
        }
    }
    assert!(res.iter().all(|r| r.abs() < 1e-14), "{res:?}");
    // And an independent solve (Gaussian elimination with partial pivoting).
    let mut a = [[0.0; 4]; 3];
    for i in 0..30 {
        let x = ls.row(i);
        for r in 0..3 {
            for c in 0..3 {
                a[r][c] += x[r] * x[c];
            }
            a[r][3] += x[r] * ls.target(i);
        }
    }
    for col in 0..3 {
        let piv = (col..3)
            .max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))
            .unwrap();
        a.swap(col, piv);
        for r in col + 1..3 {
            let f = a[r][col] / a[col][col];
            for c in col..4 {
                a[r][c] -= f * a[col][c];
            }
        }
    }
    let mut x = [0.0; 3];
    for r in (0..3).rev() {
        x[r] = (a[r][3] - (r + 1..3).map(|c| a[r][c] * x[c]).sum::<f64>()) / a[r][r];
    }
    for k in 0..3 {
        assert!(close(w[k], x[k], 1e-10), "{w:?} vs {x:?}");
    }
    // L* is the mean half squared residual at w*.
    let l_star: f64 = (0..30)
        .map(|i| {
            let r: f64 = ls.row(i).iter().zip(w).map(|(a, b)| a * b).sum::<f64>() - ls.target(i);
            0.5 * r * r
        })
        .sum::<f64>()
        / 30.0;
    assert!(close(s.problem.min_loss(), l_star, 1e-13));
}

/// One sample, l(w) = ½ w²: the gradient is w itself, so PyTorch's sequences are
/// short enough to write out by hand.
fn momentum_path(extra: &str, steps: u64) -> Vec<f64> {
    let s = setup(&format!(
        r#"{{"problem": {{"kind": "quadratic", "h": [[1.0]], "centers": [[0.0]]}},
             "method": {{"kind": "sgd", "lr": 0.1, {extra}}}, "w0": [1.0], "steps": {steps}}}"#
    ));
    simulate(&s, 0).w
}

#[test]
fn momentum_matches_pytorch_by_hand() {
    // buf_0 = g_0 = 1 → w_1 = 0.9; g_1 = 0.9, buf = 0.9·1 + 0.9 = 1.8 → w_2 = 0.72;
    // g_2 = 0.72, buf = 0.9·1.8 + 0.72 = 2.34 → w_3 = 0.486.
    let w = momentum_path(r#""momentum": 0.9"#, 3);
    for (got, want) in w.iter().zip([1.0, 0.9, 0.72, 0.486]) {
        assert!((got - want).abs() < 1e-15, "{w:?}");
    }
}

#[test]
fn nesterov_matches_pytorch_by_hand() {
    // g_0 = 1, buf = 1, d = 1 + 0.9·1 = 1.9 → w_1 = 0.81;
    // g_1 = 0.81, buf = 0.9 + 0.81 = 1.71, d = 0.81 + 0.9·1.71 = 2.349 → w_2 = 0.5751.
    let w = momentum_path(r#""momentum": 0.9, "nesterov": true"#, 2);
    for (got, want) in w.iter().zip([1.0, 0.81, 0.5751]) {
        assert!((got - want).abs() < 1e-15, "{w:?}");
    }
}

#[test]
fn dampening_applies_from_the_second_step_as_in_pytorch() {
    // buf_0 = g_0 = 1 (no dampening on the first step) → w_1 = 0.9;
    // buf_1 = 0.9·1 + (1 − 0.5)·0.9 = 1.35 → w_2 = 0.765.
    let w = momentum_path(r#""momentum": 0.9, "dampening": 0.5"#, 2);
    for (got, want) in w.iter().zip([1.0, 0.9, 0.765]) {
        assert!((got - want).abs() < 1e-15, "{w:?}");
    }
}

#[test]
fn momentum_on_a_fixed_index_sequence_matches_an_independent_loop() {
    // 2-D least squares, cyclic sampling with b = 2 (indices 0 1, 2 3, 4 0, …):
    // an independent loop of PyTorch's rule must agree to 1e-12.
    let json = r#"{"problem": {"kind": "least_squares", "x": [[1.0, 0.5], [0.2, 2.0], [1.5, -1.0], [-0.5, 0.3], [0.8, 0.8]],
                   "y": [1.0, 2.0, -1.0, 0.5, 0.0]},
                   "method": {"kind": "sgd", "lr": 0.05, "batch": 2, "sampling": "cyclic", "momentum": 0.7, "dampening": 0.1, "nesterov": false},
                   "w0": [0.3, -0.4], "steps": 25}"#;
    for nesterov in [false, true] {
        let json = if nesterov {
            json.replace(
                r#""dampening": 0.1, "nesterov": false"#,
                r#""nesterov": true"#,
            )
        } else {
            json.to_string()
        };
        let s = setup(&json);
        let tr = simulate(&s, 0);
        let x = [[1.0, 0.5], [0.2, 2.0], [1.5, -1.0], [-0.5, 0.3], [0.8, 0.8]];
        let y = [1.0, 2.0, -1.0, 0.5, 0.0];
        let (lr, mu, damp) = (0.05, 0.7, if nesterov { 0.0 } else { 0.1 });
        let mut w = [0.3, -0.4];
        let mut buf: Option<[f64; 2]> = None;
        let order = [0usize, 1, 2, 3, 4];
        let mut pos = 0;
        for t in 0..25 {
            let batch: Vec<usize> = (0..2)
                .map_while(|_| {
                    (pos < 5).then(|| {
                        pos += 1;
                        order[pos - 1]
                    })
                })
                .collect();
            if pos == 5 {
                pos = 0;
            }
            assert_eq!(
                tr.indices[t]
                    .iter()
                    .map(|&i| i as usize)
                    .collect::<Vec<_>>(),
                batch,
                "t={t}"
            );
            let mut g = [0.0; 2];
            for &i in &batch {
                let r = x[i][0] * w[0] + x[i][1] * w[1] - y[i];
                g[0] += r * x[i][0] / batch.len() as f64;
                g[1] += r * x[i][1] / batch.len() as f64;
            }
            let b = match buf {
                None => g,
                Some(b) => [
                    mu * b[0] + (1.0 - damp) * g[0],
                    mu * b[1] + (1.0 - damp) * g[1],
                ],
            };
            buf = Some(b);
            let d = if nesterov {
                [g[0] + mu * b[0], g[1] + mu * b[1]]
            } else {
                b
            };
            w = [w[0] - lr * d[0], w[1] - lr * d[1]];
            let got = tr.point(t + 1);
            assert!(
                (got[0] - w[0]).abs() < 1e-12 && (got[1] - w[1]).abs() < 1e-12,
                "t={t}: {got:?} vs {w:?}"
            );
        }
    }
}

#[test]
fn minibatch_gradient_is_unbiased_over_every_index_choice() {
    let s = setup(
        r#"{"problem": {"kind": "random_least_squares", "n": 5, "d": 2, "noise": 1.0, "seed": 1}}"#,
    );
    let p = &*s.problem;
    let w = [0.7, -1.3];
    let mut full = [0.0; 2];
    p.grad(&w, &mut full);
    // b = 3 with replacement: all 5³ ordered triples are equally likely.
    let mut mean = [0.0; 2];
    let mut g = [0.0; 2];
    let mut est = Estimator::sgd();
    for a in 0..5u32 {
        for b in 0..5u32 {
            for c in 0..5u32 {
                est.estimate(p, &w, &[a, b, c], 0, &mut g);
                mean[0] += g[0] / 125.0;
                mean[1] += g[1] / 125.0;
            }
        }
    }
    assert!(
        close(mean[0], full[0], 1e-12) && close(mean[1], full[1], 1e-12),
        "{mean:?} vs {full:?}"
    );
    // SVRG's estimate is unbiased too (snapshot taken at t = 0 elsewhere).
    let mut svrg = Estimator::svrg(2, 1000);
    svrg.estimate(p, &[0.1, 0.2], &[0], 0, &mut g); // snapshot at (0.1, 0.2)
    let mut mean = [0.0; 2];
    for i in 0..5u32 {
        svrg.estimate(p, &w, &[i], 1, &mut g);
        mean[0] += g[0] / 5.0;
        mean[1] += g[1] / 5.0;
    }
    assert!(
        close(mean[0], full[0], 1e-12) && close(mean[1], full[1], 1e-12),
        "svrg {mean:?} vs {full:?}"
    );
}

#[test]
fn gradient_evaluation_counts() {
    let base = r#"{"problem": {"kind": "random_least_squares", "n": 10, "d": 2, "seed": 1}, "steps": 7, "method": "#;
    let count = |m: &str| {
        *simulate(&setup(&format!("{base}{m}}}")), 0)
            .grad_evals
            .last()
            .unwrap()
    };
    assert_eq!(count(r#"{"kind": "gd", "lr": 0.01}"#), 70); // n per step
    assert_eq!(count(r#"{"kind": "sgd", "lr": 0.01, "batch": 3}"#), 21); // b per step
                                                                         // SVRG, inner 3: snapshots at t = 0, 3, 6 (3 × n) plus 2b per step.
    assert_eq!(
        count(r#"{"kind": "svrg", "lr": 0.01, "batch": 2, "inner": 3}"#),
        30 + 7 * 4
    );
    // SAG / SAGA: the table at w0 (n) plus b per step.
    assert_eq!(count(r#"{"kind": "sag", "lr": 0.01, "batch": 2}"#), 10 + 14);
    assert_eq!(
        count(r#"{"kind": "saga", "lr": 0.01, "batch": 2}"#),
        10 + 14
    );
    // Without replacement, the last batch of an epoch is short: n = 10, b = 4 → 4, 4, 2, 4, 4, 2, 4.
    let tr = simulate(
        &setup(&format!(
            r#"{base}{{"kind": "sgd", "lr": 0.01, "batch": 4, "sampling": "without_replacement"}}}}"#
        )),
        0,
    );
    let sizes: Vec<usize> = tr.indices.iter().map(|b| b.len()).collect();
    assert_eq!(sizes, vec![4, 4, 2, 4, 4, 2, 4]);
    assert_eq!(*tr.grad_evals.last().unwrap(), 24);
}

#[test]
fn saga_by_hand_on_two_samples() {
    // l_i(w) = ½ (w − c_i)², c = (0, 2); w0 = 1, η = 0.5, batch of one index.
    let s = setup(
        r#"{"problem": {"kind": "quadratic", "h": [[1.0]], "centers": [[0.0], [2.0]]}, "w0": [1.0]}"#,
    );
    let p = &*s.problem;
    let spec = MethodSpec {
        kind: MethodKind::Saga,
        lr: 0.5,
        ..MethodSpec::default()
    };
    let mut opt = Optimizer::new(&spec, p);
    let mut w = [1.0];
    // Table at w0: (1, −1), mean 0. Step with i = 0: g = 0 + (1 − 1) = 0 → w stays 1; table unchanged.
    assert_eq!(opt.step(p, &mut w, &[0], 0.5, 0), 3);
    assert_eq!(w, [1.0]);
    // Move w by hand to 3: i = 1: fresh ∇l_1 = 1, g = mean 0 + (1 − (−1)) = 2 → w = 3 − 1 = 2;
    // table becomes (1, 1), mean 1.
    w = [3.0];
    opt.step(p, &mut w, &[1], 0.5, 1);
    assert_eq!(w, [2.0]);
    // i = 0 at w = 2: fresh 2, g = 1 + (2 − 1) = 2 → w = 1 (= w*).
    opt.step(p, &mut w, &[0], 0.5, 2);
    assert_eq!(w, [1.0]);
}

#[test]
fn variance_reduction_converges_linearly_where_sgd_stalls() {
    let base = r#"{"problem": {"kind": "random_least_squares", "n": 50, "d": 2, "noise": 1.0, "kappa": 3, "seed": 2}, "w0": [3.0, -2.0], "steps": 3000, "method": "#;
    let final_gap = |m: &str| {
        *simulate(&setup(&format!("{base}{m}}}")), 0)
            .gap
            .last()
            .unwrap()
    };
    let sgd = final_gap(r#"{"kind": "sgd", "lr": 0.1}"#);
    for m in [
        r#"{"kind": "svrg", "lr": 0.1, "inner": 100}"#,
        r#"{"kind": "saga", "lr": 0.1}"#,
        r#"{"kind": "sag", "lr": 0.05}"#,
    ] {
        let g = final_gap(m);
        assert!(g < 1e-20 && g < sgd * 1e-10, "{m}: {g} (sgd {sgd})");
    }
    assert!(
        sgd > 1e-4,
        "SGD at a constant step stays at its noise floor: {sgd}"
    );
}

#[test]
fn ensemble_mean_gap_matches_the_exact_second_moment_recursion() {
    // 1-D least squares, constant η, batch 1 with replacement: with e = w − w*,
    // a_i = x_i², r_i = x_i w* − y_i, e' = (1 − η a_i) e − η x_i r_i, so
    //   E e'  = (1 − η h) E e,
    //   E e'² = E(1 − ηa)² E e² − 2η E[(1 − ηa) x r] E e + η² E[x² r²],
    // and E[gap] = ½ h E e².
    let runs = 20_000;
    let s = setup(&format!(
        r#"{{"problem": {{"kind": "random_least_squares", "n": 20, "d": 1, "noise": 1.0, "seed": 5}},
            "method": {{"kind": "sgd", "lr": 0.2}}, "w0": [-2.0], "steps": 150, "runs": {runs}, "seed": 3}}"#
    ));
    let sgd_lab::problem::Problem::LeastSquares(ls) = &*s.problem else {
        panic!()
    };
    let (n, eta, ws) = (20, 0.2, s.problem.optimum()[0]);
    let mean = |f: &dyn Fn(f64, f64) -> f64| {
        (0..n).map(|i| f(ls.row(i)[0], ls.target(i))).sum::<f64>() / n as f64
    };
    let h = mean(&|x, _| x * x);
    let a = mean(&|x, _| (1.0 - eta * x * x).powi(2));
    let b = mean(&|x, y| (1.0 - eta * x * x) * x * (x * ws - y));
    let c = mean(&|x, y| (x * (x * ws - y)).powi(2));
    let mut ens = sgd_lab::ensemble::Ensemble::new(&s, 0);
    ens.finish();
    let got = ens.mean_gap();
    let sd = ens.gap_stats().std(151);
    let (mut m1, mut m2) = (-2.0 - ws, (-2.0 - ws) * (-2.0 - ws));
    for t in 0..=150 {
        let exact = 0.5 * h * m2;
        // The ensemble mean's standard error is sd/√R; 5 of them is a 1-in-10⁶ event
        // per step for a correct implementation, and a biased one is off by far more.
        let tol = 5.0 * sd[t] / (runs as f64).sqrt() + 1e-12;
        assert!(
            (got[t] - exact).abs() <= tol,
            "t={t}: mean {} vs exact {exact} (tol {tol})",
            got[t]
        );
        m2 = a * m2 - 2.0 * eta * b * m1 + eta * eta * c;
        m1 *= 1.0 - eta * h;
    }
    // And the floor is really a floor: after 150 steps the exact E gap is still well above 0.
    assert!(0.5 * h * m2 > 1e-3);
}

#[test]
fn schedule_and_averaging_reach_the_trajectory() {
    let s = setup(
        r#"{"problem": {"kind": "quadratic", "h": [[1.0]], "centers": [[0.0]]},
            "method": {"kind": "gd", "lr": 0.5}, "schedule": {"kind": "step", "every": 2, "gamma": 0.5},
            "averaging": {"kind": "polyak", "start": 0}, "w0": [8.0], "steps": 4}"#,
    );
    let tr = simulate(&s, 0);
    assert_eq!(tr.lr, vec![0.5, 0.5, 0.25, 0.25]);
    // w: 8 → 4 → 2 → 1.5 → 1.125; running means 8, 6, 14/3, 15.5/4, 16.625/5.
    assert_eq!(tr.w, vec![8.0, 4.0, 2.0, 1.5, 1.125]);
    let avg = tr.avg_w.unwrap();
    let want = [8.0, 6.0, 14.0 / 3.0, 15.5 / 4.0, 16.625 / 5.0];
    for (g, w) in avg.iter().zip(want) {
        assert!((g - w).abs() < 1e-14, "{avg:?}");
    }
    // The averaged gap is ½ u².
    assert!(close(
        tr.avg_gap.unwrap()[4],
        0.5 * want[4] * want[4],
        1e-14
    ));
}

#[test]
fn a_tail_average_and_an_ema_reach_the_trajectory() {
    // What the averaging lab draws: a tail average from step k (SWA) and an EMA.
    // GD with η = 0.5 on ½ w² halves w: 8, 4, 2, 1, 0.5.
    let scenario = |averaging: &str| {
        setup(&format!(
            r#"{{"problem": {{"kind": "quadratic", "h": [[1.0]], "centers": [[0.0]]}},
                "method": {{"kind": "gd", "lr": 0.5}}, "averaging": {averaging}, "w0": [8.0], "steps": 4}}"#
        ))
    };
    let tail = simulate(&scenario(r#"{"kind": "polyak", "start": 2}"#), 0);
    assert_eq!(tail.w, vec![8.0, 4.0, 2.0, 1.0, 0.5]);
    // u_t = w_t up to k = 2, then the mean of w_2 … w_t: (2 + 1)/2, (2 + 1 + 0.5)/3.
    let want = [8.0, 4.0, 2.0, 1.5, 3.5 / 3.0];
    for (g, w) in tail.avg_w.as_ref().unwrap().iter().zip(want) {
        assert!((g - w).abs() < 1e-15, "tail average {:?}", tail.avg_w);
    }
    // EMA with β = 0.5: u_t = ½ u_{t−1} + ½ w_t from u_0 = w_0.
    let ema = simulate(&scenario(r#"{"kind": "ema", "decay": 0.5}"#), 0);
    let want = [8.0, 6.0, 4.0, 2.5, 1.5];
    for (g, w) in ema.avg_w.as_ref().unwrap().iter().zip(want) {
        assert!((g - w).abs() < 1e-15, "ema {:?}", ema.avg_w);
    }
    assert!(close(ema.avg_gap.unwrap()[4], 0.5 * 1.5 * 1.5, 1e-15));
}

#[test]
fn a_step_too_large_stops_the_run_and_says_when() {
    // l(w) = ½ w², GD with η = 3 multiplies w by −2 each step: finite for a while,
    // then overflows; the run must stop there with no non-finite number recorded.
    let s = setup(
        r#"{"problem": {"kind": "quadratic", "h": [[1.0]], "centers": [[0.0]]}, "method": {"kind": "gd", "lr": 3}, "w0": [1.0], "steps": 5000}"#,
    );
    let tr = simulate(&s, 0);
    let at = tr.diverged_at.expect("diverges");
    // |w_t| = 2^t and the gap ½ w² = 2^(2t−1) passes MAX_GAP = 1e100 first at
    // t = 167 (2^333 ≈ 1.7e100; 2^331 ≈ 4.4e99): w_0 … w_166 are kept.
    assert_eq!(at, 167);
    assert_eq!(tr.len() as u64, at);
    assert!(tr
        .w
        .iter()
        .chain(&tr.gap)
        .chain(&tr.loss)
        .all(|v| v.is_finite()));
}

#[test]
fn run_r_does_not_depend_on_the_number_of_runs() {
    let json = |runs: u64| {
        format!(
            r#"{{"problem": {{"kind": "random_least_squares", "n": 10, "d": 2, "seed": 1}}, "steps": 50, "runs": {runs}, "seed": 42}}"#
        )
    };
    let a = simulate(&setup(&json(1)), 0);
    let b = simulate(&setup(&json(7)), 0);
    let c = simulate(&setup(&json(7)), 5);
    assert_eq!(a, b);
    assert_ne!(a.indices, c.indices);
}

#[test]
fn each_sample_s_loss_by_hand_and_their_mean_is_l() {
    // One sample each, by hand, then the mean over the samples against L(w) (the
    // sandbox and the CLI name the problem by its kind).
    let w = [0.5, -1.0];
    let ls = setup(
        r#"{"problem": {"kind": "least_squares", "x": [[1, 2], [3, -1], [0.5, 0.5]], "y": [1, 2, -1]}}"#,
    );
    // ½(xᵀw − y)²: x = (1, 2): ½(0.5 − 2 − 1)² = 3.125.
    assert!(close(ls.problem.loss_i(&w, 0), 3.125, 1e-15));
    assert_eq!(ls.problem.kind(), "least_squares");
    let q = setup(
        r#"{"problem": {"kind": "quadratic", "h": [[2, 0], [0, 1]], "centers": [[1, 1], [0, -1]]}}"#,
    );
    // ½(w − c)ᵀH(w − c): c = (1, 1): ½(2·0.25 + 4) = 2.25; c = (0, −1): ½(2·0.25) = 0.25.
    assert!(close(q.problem.loss_i(&w, 0), 2.25, 1e-15));
    assert!(close(q.problem.loss_i(&w, 1), 0.25, 1e-15));
    assert_eq!(q.problem.kind(), "quadratic");
    let lg = setup(
        r#"{"problem": {"kind": "logistic", "x": [[1, 2], [-1, 0.5]], "y": [1, -1], "l2": 0.1}}"#,
    );
    assert_eq!(lg.problem.kind(), "logistic");
    for s in [&ls, &q, &lg] {
        let p = &s.problem;
        let mean = (0..p.n()).map(|i| p.loss_i(&w, i)).sum::<f64>() / p.n() as f64;
        assert!(
            close(mean, p.loss(&w), 1e-14),
            "{}: {mean} vs {}",
            p.kind(),
            p.loss(&w)
        );
        assert!(mean > 0.0);
    }
}
