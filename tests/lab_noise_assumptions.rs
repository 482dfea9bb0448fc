//! The noise-assumptions lab (#9): the mean of the drawn gradients is ∇L at every w
//! (uniform, and skewed with importance weighting) and is not under skewed sampling;
//! at w* the pulls average to zero and σ0 is their mean squared length, computed from
//! the data alone; the ratio E‖∇l_i‖²/‖∇L‖² is ≥ 1 (Jensen) and within the valid
//! (M, M_G) everywhere; the running σ0 estimate converges to σ0 (or, skewed, to its
//! biased limit); the knobs, the CSV, clicks.

mod support;

use sgd_lab::chart::per_sample::samples_of;
use sgd_lab::lab::noise_assumptions::{pulls, skewed_weights, NoiseAssumptions};
use sgd_lab::lab::{self, LabSim};
use sgd_lab::problem::Problem;
use support::{assert_texts_finite, pairs};

fn lab_of(q: &[(&str, &str)]) -> NoiseAssumptions {
    let mut query = vec![("lab", "noise-assumptions")];
    query.extend_from_slice(q);
    let got = lab::from_query(&pairs(&query)).unwrap();
    assert!(got.warnings.is_empty(), "{:?}", got.warnings);
    NoiseAssumptions::new(&got.scenario.build().unwrap()).unwrap()
}

fn grid() -> Vec<[f64; 2]> {
    let mut out = Vec::new();
    for a in -6..=6 {
        for b in -6..=6 {
            out.push([0.5 * a as f64 + 0.13, 0.5 * b as f64 + 1.07]);
        }
    }
    out
}

#[test]
fn the_drawn_mean_is_the_full_gradient_unless_sampling_is_skewed() {
    let norm = |v: (f64, f64)| (v.0 * v.0 + v.1 * v.1).sqrt();
    for (q, unbiased) in [
        (vec![], true),
        (vec![("skewed", "true"), ("importance", "true")], true),
        (vec![("skewed", "true")], false),
    ] {
        let l = lab_of(&q);
        let mut worst = 0.0f64;
        for w in grid() {
            let (m, f) = (l.drawn_mean(&w), l.full_pull(&w));
            let off = norm((m.0 - f.0, m.1 - f.1)) / norm(f).max(1e-12);
            worst = worst.max(off);
        }
        if unbiased {
            assert!(worst < 1e-12, "{q:?}: off by {worst}");
        } else {
            assert!(worst > 0.1, "{q:?}: skewed draws are biased: {worst}");
        }
    }
}

#[test]
fn at_w_star_the_pulls_average_to_zero_and_sigma0_is_their_mean_square() {
    let l = lab_of(&[]);
    let s = l.scenario().clone().build().unwrap();
    let Problem::LeastSquares(ls) = &*s.problem else {
        panic!()
    };
    let w = l.theory().optimum.w.clone();
    // From the data alone: g_i = x_i (x_iᵀ w* − y_i).
    let mut mean = [0.0; 2];
    let mut sq = 0.0;
    for i in 0..ls.n() {
        let x = ls.row(i);
        let r = x[0] * w[0] + x[1] * w[1] - ls.target(i);
        let g = [x[0] * r, x[1] * r];
        mean[0] += g[0] / ls.n() as f64;
        mean[1] += g[1] / ls.n() as f64;
        sq += (g[0] * g[0] + g[1] * g[1]) / ls.n() as f64;
    }
    assert!(mean[0].abs() < 1e-12 && mean[1].abs() < 1e-12, "{mean:?}");
    assert!(
        (l.sigma0() - sq).abs() < 1e-12 * sq,
        "{} vs {sq}",
        l.sigma0()
    );
    assert!(sq > 0.5, "the pulls at w* are not zero: σ0 = {sq}");
    let p = pulls(&s.problem, &w);
    assert!(p.iter().filter(|g| g.0.hypot(g.1) > 0.1).count() >= 6);
    // With every sample agreeing (spread 0) there is nothing left at w*.
    let calm = lab_of(&[("spread", "0")]);
    assert!(calm.sigma0() < 1e-20, "{}", calm.sigma0());
    // samples_of is for 1-D: not this lab's problem.
    assert!(samples_of(&s.problem).is_none());
}

#[test]
fn the_ratio_is_at_least_one_and_within_the_valid_pair() {
    let l = lab_of(&[]);
    let pair = l.theory().sigma.clone().unwrap();
    for w in grid() {
        let r = l.ratio(&w);
        let f = l.full_pull(&w);
        let g2 = f.0 * f.0 + f.1 * f.1;
        assert!(r >= 1.0 - 1e-12, "Jensen at {w:?}: {r}");
        // E‖∇l_i‖² ≤ M + M_G ‖∇L‖² everywhere.
        assert!(
            r * g2 <= pair.m + pair.m_g * g2 + 1e-9,
            "at {w:?}: {} > {}",
            r * g2,
            pair.m + pair.m_g * g2
        );
    }
    // Far away the ratio is below M_G; at w* it is unbounded.
    let far = l.ratio(&[-2.0, 3.0]);
    assert!(far < pair.m_g, "{far}");
    let w = l.theory().optimum.w.clone();
    assert!(l.ratio(&[w[0] + 1e-4, w[1]]) > 1e3 * pair.m_g);
}

#[test]
fn the_running_sigma0_estimate_converges_to_sigma0_or_its_biased_limit() {
    for (q, biased) in [
        (vec![("steps", "5000")], false),
        (vec![("steps", "5000"), ("skewed", "true")], true),
        (
            vec![
                ("steps", "5000"),
                ("skewed", "true"),
                ("importance", "true"),
            ],
            false,
        ),
    ] {
        let mut l = lab_of(&q);
        l.advance(5000);
        let est = l.sigma0_estimate(5000).unwrap();
        let (s0, limit) = (l.sigma0(), l.sigma0_limit());
        println!("{q:?}: estimate {est}, σ0 {s0}, limit {limit}");
        assert!((est / limit - 1.0).abs() < 0.1, "{q:?}: {est} vs {limit}");
        if biased {
            assert!(limit / s0 > 1.2, "{limit} vs {s0}");
            assert!((est / s0 - 1.0).abs() > 0.15, "{est} vs {s0}");
        } else {
            assert!((limit / s0 - 1.0).abs() < 1e-12, "{limit} vs {s0}");
        }
    }
}

#[test]
fn knobs_csv_and_clicks() {
    let l = lab_of(&[("skewed", "true"), ("n", "20")]);
    let w = l.scenario().method.sample_weights.clone().unwrap();
    assert_eq!(w, skewed_weights(20));
    assert_eq!(w.iter().filter(|&&v| v == 5.0).count(), 7);
    let got = lab::from_query(&pairs(&[
        ("lab", "noise-assumptions"),
        ("importance", "true"),
    ]))
    .unwrap();
    assert_eq!(
        got.warnings,
        ["URL parameter importance applies with skewed sampling only (turn it on first); using false"]
    );
    let mut l = lab_of(&[]);
    l.advance(5);
    let csv = l.csv();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "step,w0,w1,gap,sample,p,pull0,pull1,pull_at_opt0,pull_at_opt1"
    );
    assert_eq!(lines.count(), 12);
    let s = l.click("map", 0.51234, -1.98765).unwrap();
    assert_eq!(s.w0.unwrap().len(), 2);
    assert!(l.click("ratio", 0.0, 0.0).is_none());
    for q in [
        vec![],
        vec![("skewed", "true")],
        vec![("skewed", "true"), ("importance", "true")],
    ] {
        let mut q2 = vec![("lab", "noise-assumptions")];
        q2.extend_from_slice(&q);
        let mut l = support::computed(&q2);
        for _ in 0..3 {
            assert_texts_finite(&l);
            l.advance(150);
        }
    }
}
