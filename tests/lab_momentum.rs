//! The momentum lab (#10): without noise the measured rates are the theory's (GD
//! 1 − 1/κ, Nesterov about 1 − 1/√κ, heavy ball (√κ − 1)/(√κ + 1)); with noise SGD
//! and momentum at the same effective step settle at the same floor (SGD's exact one),
//! momentum at SGD's lr at a floor about 1/(1 − β) higher; with identical samples
//! (gradient diversity 0) momentum at SGD's lr converges many times faster; the knobs
//! rewrite every variant; the caption quotes what is drawn.

mod support;

use sgd_lab::expectation::stationary_gap;
use sgd_lab::lab::momentum::{heavy_ball, nesterov};
use sgd_lab::lab::{self, Lab};
use support::{assert_texts_finite, assert_variants_csv_is_cli, computed, csv_cells, pairs};

/// variant → mean gap per step, from the CSV.
fn means(l: &Lab) -> std::collections::BTreeMap<String, Vec<f64>> {
    let csv = l.csv();
    let mut lines = csv.lines();
    let header = csv_cells(lines.next().unwrap());
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let (cv, cm) = (col("variant"), col("mean_gap"));
    let mut out: std::collections::BTreeMap<String, Vec<f64>> = Default::default();
    for line in lines {
        let c = csv_cells(line);
        out.entry(c[cv].clone())
            .or_default()
            .push(c[cm].parse().unwrap());
    }
    out
}

fn tail(v: &[f64], k: usize) -> f64 {
    v[v.len() - k..].iter().sum::<f64>() / k as f64
}

fn fact(l: &Lab, key: &str) -> String {
    l.caption()
        .facts
        .into_iter()
        .find(|(k, _)| k == key)
        .unwrap_or_else(|| panic!("no fact {key}"))
        .1
}

#[test]
fn without_noise_the_rates_are_the_theory_s() {
    for kappa in [30.0f64, 100.0, 1000.0] {
        let k = kappa.to_string();
        let l = computed(&[
            ("lab", "momentum"),
            ("kappa", &k),
            ("steps", "3000"),
            ("runs", "2"),
        ]);
        let rate = |v: &str| -> f64 {
            fact(&l, &format!("{v}: measured rate per step"))
                .parse()
                .unwrap()
        };
        let r = kappa.sqrt();
        // GD at 1/L on a quadratic with m = 1/κ: the slow mode contracts by exactly 1 − 1/κ.
        assert!(
            (rate("GD") - (1.0 - 1.0 / kappa)).abs() < 2e-3 / kappa.sqrt(),
            "κ {kappa}: GD {}",
            rate("GD")
        );
        // Heavy ball with its tuning: every mode at √β = (√κ − 1)/(√κ + 1) (up to a
        // polynomial factor: within 1.5/√κ of it).
        let hb = (r - 1.0) / (r + 1.0);
        assert!(
            (rate("heavy ball") - hb).abs() < 1.5 / r,
            "κ {kappa}: heavy ball {} vs {hb}",
            rate("heavy ball")
        );
        // Nesterov with η = 1/L, μ = (√κ − 1)/(√κ + 1): about 1 − 1/√κ.
        let n = rate("Nesterov");
        assert!(
            n > 1.0 - 1.5 / r && n < 1.0 - 0.6 / r,
            "κ {kappa}: Nesterov {n}"
        );
        // Accelerated: far fewer steps to divide the distance by 10⁶, by about √κ.
        let steps = |v: &str| -> f64 {
            fact(&l, &format!("{v}: steps to divide the distance by 10⁶"))
                .parse()
                .unwrap()
        };
        if kappa <= 100.0 {
            let speedup = steps("GD") / steps("Nesterov");
            assert!(
                speedup > 0.5 * r && speedup < 2.0 * r,
                "κ {kappa}: speed-up {speedup}"
            );
        }
    }
    // The tunings themselves (to 12 significant digits).
    let (a, b) = heavy_ball(100.0);
    assert!((a - 4.0 / 1.21).abs() < 1e-10, "{a}");
    assert!((b - (9.0f64 / 11.0).powi(2)).abs() < 1e-11, "{b}");
    assert!((nesterov(100.0).1 - 9.0 / 11.0).abs() < 1e-11);
}

#[test]
fn with_noise_the_same_effective_step_gives_the_same_floor_and_the_same_lr_a_higher_one() {
    let l = computed(&[("lab", "momentum"), ("runs", "60")]);
    let m = means(&l);
    let setup = l.scenario().build().unwrap();
    let sgd = setup
        .variant_setups()
        .into_iter()
        .find(|v| v.label == "SGD")
        .unwrap();
    let floor = stationary_gap(&sgd.setup).unwrap();
    let (s, same, lr) = (
        tail(&m["SGD"], 500),
        tail(&m["SGD + momentum, same effective step"], 500),
        tail(&m["SGD + momentum, same lr"], 500),
    );
    // SGD at its exact floor (60 runs × 500 steps of a stationary process: 20 %).
    assert!((s / floor - 1.0).abs() < 0.2, "SGD {s} vs floor {floor}");
    // Momentum at the same effective step: the same floor within 20 %.
    assert!(
        (same / s - 1.0).abs() < 0.2,
        "same effective step {same} vs SGD {s}"
    );
    // At SGD's lr (effective step 10 η): a floor several times higher (about 1/(1 − β)).
    assert!(lr / s > 4.0 && lr / s < 20.0, "same lr {lr} vs SGD {s}");
    assert_texts_finite(&l);
}

#[test]
fn with_identical_samples_momentum_at_sgd_s_lr_is_many_times_faster() {
    let mut l = computed(&[("lab", "momentum"), ("diversity", "0"), ("runs", "2")]);
    l.advance(2000);
    let m = means(&l);
    let first_below = |v: &str, x: f64| m[v].iter().position(|&g| g < x);
    let sgd = first_below("SGD", 1e-3).expect("SGD reaches 1e-3");
    let mom = first_below("SGD + momentum, same lr", 1e-3).unwrap();
    // Effective step 10× SGD's: the slow mode converges about 10× faster.
    let ratio = sgd as f64 / mom as f64;
    assert!(ratio > 5.0, "SGD {sgd} steps vs momentum {mom}: {ratio}");
    // And momentum at the same effective step is no faster than SGD (within 20 %).
    let same = first_below("SGD + momentum, same effective step", 1e-3).unwrap();
    assert!(
        (same as f64 / sgd as f64 - 1.0).abs() < 0.2,
        "{same} vs {sgd}"
    );
    assert!(
        l.caption().text.contains("pure gain"),
        "{}",
        l.caption().text
    );
}

#[test]
fn the_knobs_rewrite_every_variant_and_the_csv_is_the_cli_s() {
    let q = [
        ("lab", "momentum"),
        ("kappa", "400"),
        ("diversity", "0.5"),
        ("lr", "0.1"),
        ("beta", "0.8"),
        ("batch", "4"),
        ("runs", "3"),
        ("steps", "300"),
    ];
    let got = lab::from_query(&pairs(&q)).unwrap();
    assert!(got.warnings.is_empty(), "{:?}", got.warnings);
    let s = &got.scenario;
    let v = s.compare.as_ref().unwrap();
    let m = |l: &str| {
        v.iter()
            .find(|x| x.label == l)
            .unwrap()
            .method
            .clone()
            .unwrap()
    };
    assert_eq!(m("SGD").lr, 0.1);
    assert_eq!(m("SGD").batch, 4);
    assert_eq!(m("SGD + momentum, same effective step").lr, 0.02);
    assert_eq!(m("SGD + momentum, same effective step").momentum, 0.8);
    assert_eq!(m("SGD + momentum, same lr").lr, 0.1);
    let (a, b) = heavy_ball(400.0);
    assert_eq!((m("heavy ball").lr, m("heavy ball").momentum), (a, b));
    assert!(m("Nesterov").nesterov);
    let back = lab::to_query(s);
    for (k, val) in &q[1..] {
        assert!(
            back.contains(&(k.to_string(), val.to_string())),
            "{k}: {back:?}"
        );
    }
    let bad = lab::from_query(&pairs(&[("lab", "momentum"), ("batch", "80")])).unwrap();
    assert!(
        bad.warnings.join(" ").contains("at most n = 50"),
        "{:?}",
        bad.warnings
    );
    let l = computed(&q);
    assert!(assert_variants_csv_is_cli(&l, "momentum-knobs") > 6 * 300);
    for chart in ["deterministic", "stochastic"] {
        let (svg, frame) = support::svg(&l, chart, (640, 420));
        assert!(svg.len() > 1000 && frame.plot.width() > 100, "{chart}");
    }
}
