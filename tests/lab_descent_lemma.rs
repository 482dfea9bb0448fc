//! The descent-lemma lab (#9): every sample's change of the loss after one step against
//! an independent computation from the data; the mean change never above the lemma's
//! bound with the theory's valid pair (M, M_G) on a grid of w, step sizes and data;
//! far from w* every sample helps, at w* every sample hurts and the mean is positive;
//! the CSV's rows, clicks and drags, divergence, and the words.

mod support;

use sgd_lab::chart::per_sample::samples_of;
use sgd_lab::lab::descent_lemma::{bound, changes, grad_norm2, DescentLemma};
use sgd_lab::lab::{self, LabSim};
use sgd_lab::theory::theory;
use support::{assert_texts_finite, pairs};

fn lab_of(q: &[(&str, &str)]) -> DescentLemma {
    let mut query = vec![("lab", "descent-lemma")];
    query.extend_from_slice(q);
    let got = lab::from_query(&pairs(&query)).unwrap();
    assert!(got.warnings.is_empty(), "{:?}", got.warnings);
    DescentLemma::new(&got.scenario.build().unwrap()).unwrap()
}

/// L(w) = (1/2n) Σ (x_j w − y_j)², straight from the data.
fn loss(xs: &[f64], ys: &[f64], w: f64) -> f64 {
    xs.iter()
        .zip(ys)
        .map(|(x, y)| (x * w - y).powi(2))
        .sum::<f64>()
        / (2.0 * xs.len() as f64)
}

#[test]
fn every_change_is_the_loss_after_the_step_minus_the_loss_before() {
    for (seed, eta) in [("4", 0.3), ("9", 0.05), ("2", 1.1)] {
        let l = lab_of(&[("data_seed", seed)]);
        let setup = l.scenario().clone().build().unwrap();
        let (xs, ys) = samples_of(&setup.problem).unwrap();
        for w in [-3.0, 0.2, 1.0, 4.5] {
            let got = changes(&setup.problem, &[w], eta);
            for (i, (x, y)) in xs.iter().zip(&ys).enumerate() {
                let g = x * (x * w - y);
                let want = loss(&xs, &ys, w - eta * g) - loss(&xs, &ys, w);
                let tol = 1e-10 * (1.0 + want.abs() + loss(&xs, &ys, w));
                assert!(
                    (got[i] - want).abs() <= tol,
                    "seed {seed}, w {w}, i {i}: {} vs {want}",
                    got[i]
                );
            }
        }
    }
}

#[test]
fn the_mean_change_never_exceeds_the_lemma_s_bound() {
    let mut checked = 0;
    for seed in ["4", "1", "7", "12"] {
        for spread in ["0.3", "1", "3"] {
            let l = lab_of(&[("data_seed", seed), ("spread", spread)]);
            let setup = l.scenario().clone().build().unwrap();
            let th = theory(&setup);
            let w_star = th.optimum.w[0];
            for eta in [0.01, 0.1, 0.3, 1.0] {
                for k in 0..=400 {
                    let w = w_star - 8.0 + 16.0 * k as f64 / 400.0;
                    let c = changes(&setup.problem, &[w], eta);
                    let mean = c.iter().sum::<f64>() / c.len() as f64;
                    let (b, constant) = bound(&th, grad_norm2(&setup.problem, &[w]), eta).unwrap();
                    assert!(
                        mean <= b + 1e-12 * (1.0 + b.abs()),
                        "seed {seed}, spread {spread}, η {eta}, w {w}: {mean} > {b}"
                    );
                    assert!(constant > 0.0);
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 4 * 3 * 4 * 401);
}

#[test]
fn far_away_every_sample_helps_and_at_w_star_every_sample_hurts() {
    let l = lab_of(&[]);
    // The default start, w0 = 4, is outside the zone of confusion: all bars below zero.
    assert_eq!(l.w(), 4.0);
    assert_eq!(l.hurting(), 0);
    let (mean, b) = l.mean_and_bound(4.0);
    assert!(mean < 0.0 && mean <= b.unwrap().0, "{mean}");
    // At w*: ∇L = 0, so a step on sample i changes L by (η²/2) L_s g_i² > 0: every bar
    // is above zero, and so is the mean — the loss of SGD is not monotone.
    let setup = l.scenario().clone().build().unwrap();
    let w_star = setup.problem.optimum()[0];
    let c = changes(&setup.problem, &[w_star], 0.3);
    assert!(c.iter().all(|&v| v > 0.0), "{c:?}");
    let th = theory(&setup);
    let (b, constant) = bound(&th, grad_norm2(&setup.problem, &[w_star]), 0.3).unwrap();
    let mean = c.iter().sum::<f64>() / c.len() as f64;
    assert!(
        mean > 0.0 && mean <= b && (b - constant).abs() < 1e-12,
        "{mean} {b} {constant}"
    );
    // Played from the default start, w enters the zone, some samples hurt, and at some
    // step the expected change is positive; the caption says so.
    let mut l = l;
    let mut seen_positive = false;
    for _ in 0..100 {
        l.advance(1);
        let (m, _) = l.mean_and_bound(l.w());
        if m > 0.0 {
            seen_positive = true;
            assert!(l.hurting() > 0);
            assert!(
                l.caption().text.contains("not monotone"),
                "{}",
                l.caption().text
            );
            break;
        }
    }
    assert!(seen_positive);
}

#[test]
fn the_csv_has_a_row_per_sample_with_its_change() {
    let mut l = lab_of(&[("n", "12")]);
    l.advance(7);
    let csv = l.csv();
    let mut lines = csv.lines();
    assert_eq!(lines.next().unwrap(), "step,w0,gap,sample,x,y,loss_change");
    let rows: Vec<Vec<f64>> = lines
        .map(|r| r.split(',').map(|c| c.parse().unwrap()).collect())
        .collect();
    assert_eq!(rows.len(), 12);
    let c = l.current_changes();
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r[0], 7.0);
        assert_eq!(r[1], l.w());
        assert_eq!(r[3], i as f64);
        assert_eq!(r[6], c[i]);
    }
}

#[test]
fn a_click_or_a_drag_puts_w_there_and_a_huge_step_diverges_with_a_message() {
    let l = lab_of(&[]);
    let s = l.click("loss", 2.34567, 0.0).unwrap();
    assert_eq!(s.w0, Some(vec![2.346]));
    let s = l.drag("loss", (4.0, 1.0), (-1.0, 0.5)).unwrap();
    assert_eq!(s.w0, Some(vec![-1.0]));
    assert!(l.click("changes", 1.0, 0.0).is_none());
    assert!(l.click("loss", f64::NAN, 0.0).is_none());
    // A file can hold a step past the knob's range.
    let mut s = l.scenario().clone();
    s.method.lr = 200.0;
    let mut l = DescentLemma::new(&s.build().unwrap()).unwrap();
    l.advance(1000);
    let st = l.status();
    let d = st.diverged.expect("η = 200 diverges");
    assert!(
        d.starts_with("SGD diverged at step") && d.contains("2/x_i²"),
        "{d}"
    );
    assert!(st.done);
    assert_texts_finite(&lab::Lab::new(l.scenario()).unwrap());
    // Not 1-D least squares: refused with what is needed.
    let two_d = r#"{"problem": {"kind": "random_least_squares", "n": 20, "d": 2}, "lab": {"id": "descent-lemma"}}"#;
    let s = sgd_lab::Scenario::from_json(two_d).unwrap();
    let err = lab::Lab::new(&s).err().unwrap().to_string();
    assert_eq!(
        err,
        "problem must be 1-D least squares in the descent-lemma lab, got least_squares with d = 2"
    );
}
