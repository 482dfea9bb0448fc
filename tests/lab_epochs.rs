//! The epochs lab (#10): the fraction of samples seen against 1 − (1 − 1/n)^(nk); each
//! epoch of reshuffling a permutation and shuffle-once the same one every epoch; the
//! strip is the samples the runs drew; at small steps reshuffling's floor is below
//! sampling with replacement's and falls like η² while the other falls like η (the
//! measured floor with replacement against its exact level); sorted data bias cyclic
//! order; the knobs keep the epochs; the caption quotes what is drawn.

mod support;

use sgd_lab::expectation::stationary_gap;
use sgd_lab::lab::epochs::floors::Floors;
use sgd_lab::lab::epochs::seen::{
    epoch_counts, expected_fraction_with_replacement, mean_fraction_seen, steps_per_epoch, Draws,
};
use sgd_lab::lab::{self, Lab};
use sgd_lab::run::Run;
use sgd_lab::sampler::Sampling;
use sgd_lab::scenario::Setup;
use support::{assert_texts_finite, assert_variants_csv_is_cli, computed, pairs};

fn setups(q: &[(&str, &str)]) -> Vec<(String, Setup)> {
    let got = lab::from_query(&pairs(q)).unwrap();
    assert!(got.warnings.is_empty(), "{:?}", got.warnings);
    got.scenario
        .build()
        .unwrap()
        .variant_setups()
        .into_iter()
        .map(|v| (v.label, v.setup))
        .collect()
}

#[test]
fn the_fraction_seen_with_replacement_follows_1_minus_1_minus_1_over_n_to_the_nk() {
    let (n, runs) = (50usize, 4000u64);
    let f = mean_fraction_seen(Sampling::WithReplacement, n, 1, 3, runs, 3 * n as u64);
    for k in 1..=3usize {
        let want = expected_fraction_with_replacement(n, (k * n) as f64);
        // The closed form, independently: 1 − (1 − 1/n)^(kn).
        let direct = 1.0 - (1.0 - 1.0 / n as f64).powi((k * n) as i32);
        assert!((want - direct).abs() < 1e-14, "{want} vs {direct}");
        // The fraction of one run has a standard deviation below 0.07 (n = 50); the
        // mean of 4000 runs is within 4 standard errors.
        let se = 0.07 / (runs as f64).sqrt();
        let got = f[k * n];
        assert!((got - want).abs() < 4.0 * se, "k = {k}: {got} vs {want}");
    }
    // 1 − e^(−1) ≈ 0.632 after one epoch: a third of the samples still unseen.
    assert!((f[n] - 0.636).abs() < 0.01, "{}", f[n]);
    // Without replacement the first epoch sees a new sample every step: exactly t/n,
    // and all of them at its end, in every run.
    for mode in [
        Sampling::WithoutReplacement,
        Sampling::ShuffleOnce,
        Sampling::Cyclic,
    ] {
        let g = mean_fraction_seen(mode, n, 1, 3, 20, 2 * n as u64);
        // (A mean of 20 equal values: exact to rounding.)
        for t in [1, 17, n, 2 * n] {
            let want = t.min(n) as f64 / n as f64;
            assert!((g[t] - want).abs() < 1e-14, "{mode:?} t = {t}: {}", g[t]);
        }
    }
}

#[test]
fn each_epoch_of_reshuffling_is_a_permutation_and_shuffle_once_repeats_its_own() {
    let (n, b) = (23usize, 5usize);
    let spe = steps_per_epoch(n, b) as usize;
    assert_eq!(spe, 5);
    let epochs = 6;
    let order = |d: &Draws, e: usize| -> Vec<u32> {
        (e * spe..(e + 1) * spe)
            .flat_map(|t| d.batch(t).to_vec())
            .collect()
    };
    let re = Draws::replay(
        Sampling::WithoutReplacement,
        n,
        b,
        9,
        2,
        (epochs * spe) as u64,
    );
    let once = Draws::replay(Sampling::ShuffleOnce, n, b, 9, 2, (epochs * spe) as u64);
    let all: Vec<u32> = (0..n as u32).collect();
    let mut orders = Vec::new();
    for e in 0..epochs {
        let mut o = order(&re, e);
        orders.push(o.clone());
        o.sort();
        assert_eq!(o, all, "reshuffled epoch {e} is a permutation");
        assert_eq!(order(&once, e), order(&once, 0), "shuffle once: epoch {e}");
        // The strip at the epoch's last step: every sample exactly once.
        let (k, c) = epoch_counts(&re, n, b, ((e + 1) * spe) as u64);
        assert_eq!(k, e as u64);
        assert!(c.iter().all(|&x| x == 1), "epoch {e}: {c:?}");
    }
    // Reshuffled: fresh orders (six equal ones among 23! would be a broken shuffle).
    assert!(orders.windows(2).all(|w| w[0] != w[1]), "{orders:?}");
    // Sorted once: not the identity.
    assert_ne!(order(&once, 0), all);
}

#[test]
fn the_strip_shows_the_samples_the_runs_drew() {
    for (label, v) in setups(&[("lab", "epochs"), ("batch", "3"), ("epochs", "4")]) {
        let s = &v.scenario;
        let n = v.problem.n();
        let d = Draws::replay(
            s.method.sampling,
            n,
            s.method.batch as usize,
            s.seed,
            0,
            s.steps,
        );
        let mut run = Run::new(&v, 0);
        for t in 0..s.steps as usize {
            run.step();
            assert_eq!(run.last_batch(), d.batch(t), "{label}: step {}", t + 1);
        }
        // The counts of an epoch add up to its draws: ⌈n/b⌉ steps of b with
        // replacement (17 × 3 = 51), each sample once otherwise (the last batch short).
        let spe = steps_per_epoch(n, 3);
        let (_, c) = epoch_counts(&d, n, 3, 2 * spe);
        let want = match s.method.sampling {
            Sampling::WithReplacement => spe as usize * 3,
            _ => n,
        };
        assert_eq!(c.iter().sum::<u32>() as usize, want, "{label}");
    }
}

fn finished_floors(q: &[(&str, &str)]) -> (Vec<String>, Floors, Vec<Setup>) {
    let vs = setups(q);
    let labels = vs.iter().map(|v| v.0.clone()).collect();
    let setups: Vec<Setup> = vs.into_iter().map(|v| v.1).collect();
    let th = sgd_lab::theory::theory(&setups[0]);
    let s = &setups[0].scenario;
    let spe = steps_per_epoch(setups[0].problem.n(), s.method.batch as usize);
    let mut f = Floors::new(&setups, s.method.lr, th.strong_convexity, spe);
    while f.work(1_000_000) < 1.0 {}
    (labels, f, setups)
}

#[test]
fn at_small_steps_reshuffling_s_floor_is_lower_and_falls_like_eta_squared() {
    let (labels, f, setups) = finished_floors(&[("lab", "epochs")]);
    let at = |l: &str| f.of(labels.iter().position(|x| x == l).unwrap());
    let (with, re) = (at("with replacement"), at("reshuffled"));
    assert_eq!(with.len(), 4);
    assert_eq!(re.len(), 4);
    // The measured floor with replacement against its exact level (the second-moment
    // recursion, an independent computation): within 25 % at every η.
    for &(eta, g) in &with {
        let mut s = setups[0].clone();
        s.scenario.method.lr = eta;
        let exact = stationary_gap(&s).unwrap();
        assert!(
            (g / exact - 1.0).abs() < 0.25,
            "η = {eta}: {g} vs exact {exact}"
        );
    }
    // Reshuffling below at every η, and more so the smaller η: at η/27 by more than 8.
    for (w, r) in with.iter().zip(&re) {
        assert!(r.1 < w.1, "η = {}: reshuffled {} vs {}", w.0, r.1, w.1);
    }
    assert!(with[0].1 / re[0].1 > 8.0, "{with:?} {re:?}");
    let (sw, sr) = (Floors::slope(&with).unwrap(), Floors::slope(&re).unwrap());
    assert!((0.85..1.15).contains(&sw), "with replacement: slope {sw}");
    assert!((1.6..2.3).contains(&sr), "reshuffled: slope {sr}");
}

#[test]
fn sorted_data_bias_cyclic_order_and_change_nothing_else() {
    let plain = setups(&[("lab", "epochs")]);
    let sorted = setups(&[("lab", "epochs"), ("sorted", "true")]);
    // Same samples, another order: the same L* and w*.
    let (a, b) = (&plain[0].1.problem, &sorted[0].1.problem);
    // (The solver sums in another order: the last bit may differ.)
    for (x, y) in a.optimum().iter().zip(b.optimum()) {
        assert!((x - y).abs() < 1e-12 * x.abs().max(1.0), "{x} vs {y}");
    }
    let (la, lb) = (a.loss(a.optimum()), b.loss(b.optimum()));
    assert!((la - lb).abs() < 1e-12 * la, "{la} vs {lb}");
    let (labels, f, _) = finished_floors(&[("lab", "epochs"), ("sorted", "true")]);
    let (_, g, _) = finished_floors(&[("lab", "epochs")]);
    let at = |f: &Floors, l: &str| f.of(labels.iter().position(|x| x == l).unwrap());
    let last = |v: Vec<(f64, f64)>| v.last().unwrap().1;
    // Shuffled data: cyclic within a factor 1.6 of reshuffling; sorted: above 3 ×.
    let r = last(at(&g, "cyclic")) / last(at(&g, "reshuffled"));
    assert!(
        (1.0 / 1.6..1.6).contains(&r),
        "shuffled data: cyclic/reshuffled {r}"
    );
    let r = last(at(&f, "cyclic")) / last(at(&f, "reshuffled"));
    assert!(r > 3.0, "sorted data: cyclic/reshuffled {r}");
    // Still like η² (the swing within an epoch is of order η n): a larger constant.
    let s = Floors::slope(&at(&f, "cyclic")).unwrap();
    assert!((1.6..2.3).contains(&s), "sorted cyclic slope {s}");
}

#[test]
fn the_knobs_keep_the_epochs_and_the_batch_is_checked() {
    let got = lab::from_query(&pairs(&[("lab", "epochs"), ("n", "120"), ("batch", "7")])).unwrap();
    assert!(got.warnings.is_empty(), "{:?}", got.warnings);
    let s = &got.scenario;
    // 20 epochs of ⌈120/7⌉ = 18 steps.
    assert_eq!(s.steps, 20 * 18);
    for v in s.compare.as_ref().unwrap() {
        assert_eq!(v.method.as_ref().unwrap().batch, 7, "{}", v.label);
    }
    let got = lab::from_query(&pairs(&[("lab", "epochs"), ("batch", "60")])).unwrap();
    let w = got.warnings.join(" | ");
    assert!(w.contains("batch") && w.contains("at most n = 50"), "{w}");
    let got = lab::from_query(&pairs(&[("lab", "epochs"), ("modes", "orders")])).unwrap();
    let labels: Vec<&str> = got
        .scenario
        .compare
        .iter()
        .flatten()
        .map(|v| v.label.as_str())
        .collect();
    assert_eq!(labels, ["reshuffled", "cyclic"]);
}

fn fact<'a>(facts: &'a [(String, String)], key: &str) -> &'a str {
    facts
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no fact {key} in {facts:?}"))
}

#[test]
fn the_caption_quotes_what_is_drawn_and_the_csv_is_the_cli_s() {
    let mut l: Lab = computed(&[("lab", "epochs"), ("runs", "20")]);
    l.advance(1000);
    let cap = l.caption();
    let f = &cap.facts;
    // The fraction after one epoch, as computed here over the lab's runs.
    let s = l.scenario().clone();
    let frac = mean_fraction_seen(Sampling::WithReplacement, 50, 1, s.seed, 20, 50);
    let shown = fact(f, "with replacement: seen after 1 epochs");
    assert!(
        shown.starts_with(&format!("{:.0} %", 100.0 * frac[50])),
        "{shown} vs {}",
        frac[50]
    );
    assert!(shown.contains("(theory 64 %)"), "{shown}");
    for k in [
        "with replacement: floor slope in η",
        "reshuffled: floor slope in η",
    ] {
        let v: f64 = fact(f, k).parse().unwrap();
        assert!(v > 0.5 && v < 2.5, "{k}: {v}");
    }
    assert!(cap.text.contains("times lower"), "{}", cap.text);
    assert_texts_finite(&l);
    assert!(assert_variants_csv_is_cli(&l, "epochs") > 4 * 1000);
    // Every chart draws, at the start and at the end.
    for chart in ["seen", "fraction", "gap", "floors"] {
        let (svg, frame) = support::svg(&l, chart, (640, 420));
        assert!(svg.len() > 1000 && frame.plot.width() > 100, "{chart}");
    }
}
