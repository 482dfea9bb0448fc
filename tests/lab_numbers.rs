//! The numbers a student reads in the labs' captions, against computations of our own:
//! per-sample's long-run mean gap (any batch) and step-size's long-run spreads come
//! from exact stationary moments derived here independently of the labs' formulas.
#![cfg(not(target_arch = "wasm32"))]

use sgd_lab::lab::{self, Lab};

fn pairs(q: &[(&str, &str)]) -> Vec<(String, String)> {
    q.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn fact(l: &Lab, starts: &str) -> Option<f64> {
    l.caption()
        .facts
        .into_iter()
        .find(|(k, _)| k.starts_with(starts))
        .map(|(_, v)| lab::parse_shown(&v).unwrap_or_else(|| panic!("{starts}: {v}")))
}

/// Captions show 4 significant digits.
fn assert_shown(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() <= 6e-4 * want.abs(),
        "{what}: caption {got}, computed {want}"
    );
}

/// SGD with replacement on a 1-D least squares problem, w ← w − η mean_batch (a_j w −
/// β_j) with a_j = x_j², β_j = x_j y_j: the stationary first and second moments of w
/// solve m1 = E[1 − ηĀ] m1 + η E[B̄] and m2 = E[(1 − ηĀ)²] m2 + 2η E[(1 − ηĀ) B̄] m1 +
/// η² E[B̄²], where a mean of b independent draws has E[Ā²] = ā² + var(a)/b and so on.
/// Returns ½ A E[(w − w*)²] (A = ā is L's curvature), or None when E[(1 − ηĀ)²] ≥ 1.
fn long_run_gap_1d(a: &[f64], beta: &[f64], eta: f64, b: f64) -> Option<f64> {
    let n = a.len() as f64;
    let mean = |v: &dyn Fn(usize) -> f64| (0..a.len()).map(v).sum::<f64>() / n;
    let (ma, mb) = (mean(&|i| a[i]), mean(&|i| beta[i]));
    let var_a = mean(&|i| (a[i] - ma).powi(2));
    let var_b = mean(&|i| (beta[i] - mb).powi(2));
    let cov = mean(&|i| (a[i] - ma) * (beta[i] - mb));
    let (ea2, eb2, eab) = (ma * ma + var_a / b, mb * mb + var_b / b, ma * mb + cov / b);
    let contraction = 1.0 - 2.0 * eta * ma + eta * eta * ea2; // E[(1 − ηĀ)²]
    if contraction >= 1.0 {
        return None;
    }
    let m1 = mb / ma;
    let m2 = (2.0 * eta * (mb - eta * eab) * m1 + eta * eta * eb2) / (1.0 - contraction);
    Some(0.5 * ma * (m2 - m1 * m1))
}

#[test]
fn per_sample_long_run_gap_is_the_exact_stationary_mean_for_every_batch() {
    let cases: &[&[(&str, &str)]] = &[
        &[("lab", "per-sample")],
        &[("lab", "per-sample"), ("lr", "0.9")],
        &[("lab", "per-sample"), ("lr", "0.02")],
        &[
            ("lab", "per-sample"),
            ("n", "12"),
            ("spread", "2"),
            ("data_seed", "5"),
            ("lr", "0.3"),
        ],
        &[
            ("lab", "per-sample"),
            ("points", "0.5:1,2:2.5,1.5:0,-1:1"),
            ("lr", "0.4"),
        ],
    ];
    let mut seen = 0;
    for q in cases {
        for batch in [1u64, 2, 3] {
            let mut s = lab::from_query(&pairs(q)).unwrap();
            assert!(s.warnings.is_empty(), "{q:?}: {:?}", s.warnings);
            s.scenario.method.batch = batch;
            let setup = s.scenario.build().unwrap();
            // a_i and β_i from the problem's own per-sample gradients (g_i(w) = a_i w − β_i).
            let n = setup.problem.n();
            let g = |w: f64, i: usize| {
                let mut out = [0.0];
                setup.problem.add_grad_i(&[w], i, 1.0, &mut out);
                out[0]
            };
            let a: Vec<f64> = (0..n).map(|i| g(1.0, i) - g(0.0, i)).collect();
            let beta: Vec<f64> = (0..n).map(|i| -g(0.0, i)).collect();
            let want = long_run_gap_1d(&a, &beta, s.scenario.method.lr, batch as f64);
            let l = Lab::new(&s.scenario).unwrap();
            let got = fact(&l, "SGD's mean gap in the long run");
            match (got, want) {
                (Some(got), Some(want)) => {
                    assert_shown(got, want, &format!("{q:?} b = {batch}"));
                    seen += 1;
                }
                (None, None) => {}
                _ => panic!("{q:?} b = {batch}: caption {got:?}, computed {want:?}"),
            }
        }
    }
    assert!(seen >= 12, "only {seen} cases had a long-run gap");
}

/// Σ_k A^k Q (Aᵀ)^k for a 2×2 A with spectral radius < 1, by doubling (P ← P + M P Mᵀ,
/// M ← M²): a different road to the stationary covariance than solving the Lyapunov
/// equation.
fn lyapunov_by_doubling(a: [[f64; 2]; 2], q: [[f64; 2]; 2]) -> [[f64; 2]; 2] {
    let mul = |x: [[f64; 2]; 2], y: [[f64; 2]; 2]| {
        let mut z = [[0.0; 2]; 2];
        for i in 0..2 {
            for j in 0..2 {
                z[i][j] = x[i][0] * y[0][j] + x[i][1] * y[1][j];
            }
        }
        z
    };
    let tr = |x: [[f64; 2]; 2]| [[x[0][0], x[1][0]], [x[0][1], x[1][1]]];
    let (mut p, mut m) = (q, a);
    for _ in 0..64 {
        let add = mul(mul(m, p), tr(m));
        for i in 0..2 {
            for j in 0..2 {
                p[i][j] += add[i][j];
            }
        }
        m = mul(m, m);
    }
    p
}

#[test]
fn step_size_long_run_spreads_are_the_stationary_covariances() {
    let cases: &[&[(&str, &str)]] = &[
        &[("lab", "step-size")],
        &[
            ("lab", "step-size"),
            ("kappa", "50"),
            ("lr", "0.01"),
            ("lr2", "0.03"),
        ],
        &[("lab", "step-size"), ("spread", "3"), ("batch", "4")],
        &[
            ("lab", "step-size"),
            ("kappa", "2"),
            ("lr", "0.2"),
            ("lr2", "0.9"),
            ("batch", "2"),
        ],
    ];
    for q in cases {
        let s = lab::from_query(&pairs(q)).unwrap();
        assert!(s.warnings.is_empty(), "{q:?}: {:?}", s.warnings);
        let setup = s.scenario.build().unwrap();
        let p = &setup.problem;
        let h = p.constant_hessian().expect("a quadratic").to_vec();
        let w_star = p.optimum().to_vec();
        // The noise of one draw at w*: ξ_i = ∇l_i(w*) (mean 0), its covariance Σ.
        let n = p.n();
        let mut sigma = [[0.0; 2]; 2];
        for i in 0..n {
            let mut xi = [0.0; 2];
            p.add_grad_i(&w_star, i, 1.0, &mut xi);
            for r in 0..2 {
                for c in 0..2 {
                    sigma[r][c] += xi[r] * xi[c] / n as f64;
                }
            }
        }
        let l = Lab::new(&s.scenario).unwrap();
        let b = s.scenario.method.batch as f64;
        let lrs = [
            ("long-run E‖w − w*‖², η₁", s.scenario.method.lr),
            (
                "long-run E‖w − w*‖², η₂",
                s.scenario.lab.as_ref().and_then(|v| v.lr2).unwrap(),
            ),
        ];
        for (name, eta) in lrs {
            let a = [
                [1.0 - eta * h[0], -eta * h[1]],
                [-eta * h[2], 1.0 - eta * h[3]],
            ];
            let noise = [
                [eta * eta / b * sigma[0][0], eta * eta / b * sigma[0][1]],
                [eta * eta / b * sigma[1][0], eta * eta / b * sigma[1][1]],
            ];
            let pm = lyapunov_by_doubling(a, noise);
            let want = pm[0][0] + pm[1][1];
            let got = fact(&l, name).unwrap_or_else(|| panic!("{q:?}: no fact {name}"));
            assert_shown(got, want, &format!("{q:?} {name}"));
        }
    }
}

#[test]
fn decay_sums_of_steps_and_their_limits_are_what_the_schedules_give() {
    // η_t written out here for the five schedules the lab compares (t = 0 first).
    for (q, t) in [
        (vec![("lab", "decay")], 40u32),
        (
            vec![
                ("lab", "decay"),
                ("lr", "0.3"),
                ("t0", "7"),
                ("fast", "0.9"),
            ],
            333,
        ),
    ] {
        let s = lab::from_query(&pairs(&q)).unwrap();
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);
        let mut l = Lab::new(&s.scenario).unwrap();
        assert_eq!(l.advance(t), t);
        let eta = s.scenario.method.lr;
        let facts = l.caption().facts;
        assert_eq!(facts.len(), 5, "{facts:?}");
        for (label, value) in &facts {
            let rate: Box<dyn Fn(f64) -> f64> = if label == "constant" {
                Box::new(|_| eta)
            } else if let Some(g) = label.strip_prefix("too fast: γ = ") {
                let g: f64 = g.parse().unwrap();
                Box::new(move |k| eta * g.powf(k))
            } else if let Some(t0) = label.strip_prefix("too slow: 1/√t, t0 = ") {
                let t0: f64 = t0.parse().unwrap();
                Box::new(move |k| eta / (1.0 + k / t0).sqrt())
            } else if let Some(t0) = label.strip_prefix("1/t, t0 = ") {
                let t0: f64 = t0.parse().unwrap();
                Box::new(move |k| eta / (1.0 + k / t0))
            } else if let Some(rest) = label.strip_prefix("step decay: ×") {
                let (g, every) = rest.split_once(" every ").unwrap();
                let (g, every): (f64, f64) = (g.parse().unwrap(), every.parse().unwrap());
                Box::new(move |k| eta * g.powf((k / every).floor()))
            } else {
                panic!("unexpected schedule {label}")
            };
            let s1: f64 = (0..t).map(|k| rate(k as f64)).sum();
            let s2: f64 = (0..t).map(|k| rate(k as f64).powi(2)).sum();
            // Where the sums go: ∞ unless the steps shrink geometrically; Σ η_t² is
            // finite for 1/t too.
            let geometric = label.starts_with("too fast") || label.starts_with("step");
            let lim1 = if geometric { "finite" } else { "∞" };
            let lim2 = if geometric || label.starts_with("1/t") {
                "finite"
            } else {
                "∞"
            };
            // "Σ η_t = 12.34 (→ ∞), Σ η_t² = 0.5678 (→ finite)", 4 significant digits.
            let read = |after: &str| -> (f64, String) {
                let rest = &value[value.find(after).unwrap() + after.len()..];
                let (n, tail) = rest.split_once(" (→ ").unwrap();
                (
                    lab::parse_shown(n).unwrap(),
                    tail.split(')').next().unwrap().to_string(),
                )
            };
            let (got1, l1) = read("Σ η_t = ");
            let (got2, l2) = read("Σ η_t² = ");
            assert!(
                (got1 - s1).abs() <= 5e-4 * s1,
                "{label} after {t}: Σ η_t {got1} vs {s1}"
            );
            assert!(
                (got2 - s2).abs() <= 5e-4 * s2,
                "{label} after {t}: Σ η_t² {got2} vs {s2}"
            );
            assert_eq!((l1.as_str(), l2.as_str()), (lim1, lim2), "{label}");
        }
    }
}

fn fact_text(l: &Lab, starts: &str) -> Option<String> {
    l.caption()
        .facts
        .into_iter()
        .find(|(k, _)| k.starts_with(starts))
        .map(|(_, v)| v)
}

#[test]
fn expected_loss_caption_numbers_are_the_problem_s_and_the_runs_own() {
    let q = pairs(&[("lab", "expected-loss"), ("runs", "40"), ("steps", "200")]);
    let s = lab::from_query(&q).unwrap();
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    let setup = s.scenario.build().unwrap();
    let p = &setup.problem;
    assert_eq!(p.d(), 2, "the default is 2-D, so that κ > 1");
    let n = p.n();
    // H = mean of the per-sample gradients' slopes (read off by probing), L_s and m its
    // eigenvalues (2×2 closed form); σ0 = mean ‖∇l_i(w*)‖².
    let w_star = p.optimum().to_vec();
    let grad = |w: &[f64], i: usize| {
        let mut out = [0.0; 2];
        p.add_grad_i(w, i, 1.0, &mut out);
        out
    };
    let mut h = [[0.0; 2]; 2];
    for i in 0..n {
        let g0 = grad(&w_star, i);
        for k in 0..2 {
            let mut w = w_star.clone();
            w[k] += 1.0;
            let g = grad(&w, i);
            for j in 0..2 {
                h[j][k] += (g[j] - g0[j]) / n as f64;
            }
        }
    }
    let (tr, det) = (h[0][0] + h[1][1], h[0][0] * h[1][1] - h[0][1] * h[1][0]);
    let disc = (tr * tr / 4.0 - det).sqrt();
    let (ls, m) = (tr / 2.0 + disc, tr / 2.0 - disc);
    assert!(ls / m > 2.0, "κ = {}", ls / m);
    let sigma0 = (0..n)
        .map(|i| grad(&w_star, i).iter().map(|v| v * v).sum::<f64>())
        .sum::<f64>()
        / n as f64;
    let mut l = Lab::new(&s.scenario).unwrap();
    while l.status().progress < 1.0 {
        l.work(1_000_000);
    }
    let t = 37;
    assert_eq!(l.advance(t), t);
    assert_shown(fact(&l, "L_s").unwrap(), ls, "L_s");
    assert_shown(fact(&l, "m").unwrap(), m, "m");
    assert_shown(fact(&l, "κ").unwrap(), ls / m, "κ");
    assert_shown(fact(&l, "σ0").unwrap(), sigma0, "σ0");
    // The mean over the runs at step t, each run simulated on its own.
    let mean = (0..40)
        .map(|r| sgd_lab::run::simulate(&setup, r).gap[t as usize])
        .sum::<f64>()
        / 40.0;
    // The exact expectation shown is the recursion's (tests/theory_pair.rs checks it
    // against its own), and the 40 runs' mean is near it (within 4 standard errors).
    let exact = sgd_lab::expectation::exact_mean_gap(&setup).unwrap()[t as usize];
    assert_shown(
        fact(&l, &format!("exact expectation at t = {t}")).unwrap(),
        exact,
        "exact",
    );
    let sd = ((0..40)
        .map(|r| (sgd_lab::run::simulate(&setup, r).gap[t as usize] - mean).powi(2))
        .sum::<f64>()
        / 39.0)
        .sqrt();
    assert!(
        (mean - exact).abs() < 4.0 * sd / 40f64.sqrt(),
        "{mean} vs {exact} ± {sd}"
    );
    assert_shown(
        fact(&l, &format!("mean gap at t = {t}")).unwrap(),
        mean,
        "mean gap",
    );
    let th = sgd_lab::theory::theory(&setup);
    let bound = th.bound.as_ref().expect("a bound at the defaults");
    assert!(fact(&l, &format!("bound at t = {t}")).unwrap() >= mean);
    assert_shown(fact(&l, "floor").unwrap(), bound.floor, "floor");
    assert_shown(
        fact(&l, "M_G").unwrap(),
        1.0 / (0.05 * ls),
        "M_G = 1/(η L_s)",
    );
    assert!(l.describe().contains("The bound is"), "{}", l.describe());
}

#[test]
fn expected_loss_says_why_no_bound_is_drawn() {
    // η = 4 is above what the theorem allows: the caption says so in the theory's words
    // and no bound appears in the facts or the description.
    let q = pairs(&[
        ("lab", "expected-loss"),
        ("lr", "4"),
        ("runs", "5"),
        ("steps", "50"),
    ]);
    let s = lab::from_query(&q).unwrap();
    let th = sgd_lab::theory::theory(&s.scenario.build().unwrap());
    assert!(th.bound.is_none());
    let note = th.bound_note.expect("a reason");
    assert!(!note.is_empty());
    let mut l = Lab::new(&s.scenario).unwrap();
    while l.status().progress < 1.0 {
        l.work(1_000_000);
    }
    l.advance(10);
    let cap = l.caption();
    assert!(
        cap.text.contains(&format!("No bound is drawn: {note}.")),
        "{}",
        cap.text
    );
    assert!(fact_text(&l, "bound at").is_none() && fact_text(&l, "floor").is_none());
    assert!(!l.describe().contains("bound"), "{}", l.describe());
}
