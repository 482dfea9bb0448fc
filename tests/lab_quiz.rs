//! Predict, then reveal (#11): each lab's questions are answered by the run on screen,
//! not by a stored key. Every verdict is checked here against a computation of our
//! own (the data's zone and w*, the CSV's means, the exact floor at η/2), is absent
//! until the run has ended, and changes with the knobs that change the answer.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use sgd_lab::expectation::stationary_gap;
use sgd_lab::lab::{quiz, Lab};
use support::{computed, csv_cells};

fn to_end(mut l: Lab) -> Lab {
    while !l.status().done {
        l.advance(1_000_000);
    }
    l
}

fn answer(l: &Lab, q: usize) -> usize {
    let item = &l.quiz()[q];
    let v = item
        .verdict
        .as_ref()
        .expect("a verdict at the end of the run");
    assert!(v.answer < item.question.choices.len());
    assert!(
        !v.why.contains("NaN") && !v.why.contains("inf"),
        "{}",
        v.why
    );
    v.answer
}

/// variant → mean gap per step, from the CSV.
fn means(l: &Lab) -> std::collections::BTreeMap<String, Vec<f64>> {
    means_of(l, "mean_gap")
}

/// variant → column `column` per step, from the CSV (empty cells skipped).
fn means_of(l: &Lab, column: &str) -> std::collections::BTreeMap<String, Vec<f64>> {
    let csv = l.csv();
    let mut lines = csv.lines();
    let header = csv_cells(lines.next().unwrap());
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let (cv, cm) = (col("variant"), col(column));
    let mut out: std::collections::BTreeMap<String, Vec<f64>> = Default::default();
    for line in lines {
        let c = csv_cells(line);
        if let Ok(v) = c[cm].parse() {
            out.entry(c[cv].clone()).or_default().push(v);
        }
    }
    out
}

#[test]
fn every_lab_s_quiz_is_its_registry_questions_and_is_silent_before_the_run() {
    let with: Vec<&str> = sgd_lab::lab::registry::LABS
        .iter()
        .map(|l| l.id)
        .filter(|id| !quiz::questions(id).is_empty())
        .collect();
    assert!(with.len() >= 8, "{with:?}");
    for id in with {
        let l = computed(&[("lab", id)]);
        let items = l.quiz();
        assert_eq!(items.len(), quiz::questions(id).len(), "{id}");
        assert!(!items.is_empty(), "{id}");
        for item in &items {
            assert!(item.verdict.is_none(), "{id}: no verdict at step 0");
        }
    }
    assert!(computed(&[("lab", "sandbox")]).quiz().is_empty());
}

#[test]
fn per_sample_says_where_sgd_s_last_iterates_are_against_the_data_s_own_zone() {
    // The lecture's data: w*_i = y_i/x_i; w* = Σ x y / Σ x²; the last 25 iterates from
    // the CSV (steps 176–200).
    let l = to_end(computed(&[("lab", "per-sample")]));
    let csv = l.csv();
    let head = csv_cells(csv.lines().next().unwrap());
    let w_col = head.iter().position(|h| h == "w0").unwrap();
    let ws_run: Vec<f64> = csv
        .lines()
        .skip(1)
        .map(|r| csv_cells(r)[w_col].parse().unwrap())
        .collect();
    let last = &ws_run[ws_run.len() - 25..];
    let (x, y) = (
        [1.0, 0.8, 1.2, 0.6, 1.1, 0.9, 1.4, 0.7],
        [1.0, 1.6, 3.0, 0.9, 1.65, 2.25, 2.1, 1.89],
    );
    let slopes: Vec<f64> = x.iter().zip(&y).map(|(a, b)| b / a).collect();
    let (lo, hi) = slopes
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), &s| (a.min(s), b.max(s)));
    let ws =
        x.iter().zip(&y).map(|(a, b)| a * b).sum::<f64>() / x.iter().map(|a| a * a).sum::<f64>();
    let far = last.iter().map(|w| (w - ws).abs()).fold(0.0, f64::max);
    let inside = last.iter().filter(|w| (lo..=hi).contains(*w)).count();
    assert!(far > 0.05, "the default run still bounces ({far})");
    assert_eq!(inside, 25, "inside the zone [{lo}, {hi}]");
    assert_eq!(
        answer(&l, 0),
        1,
        "{}",
        l.quiz()[0].verdict.as_ref().unwrap().why
    );
    // Samples that all agree (w*_i = 2 for each): SGD settles at w*.
    let agree = to_end(computed(&[
        ("lab", "per-sample"),
        ("points", "1:2,2:4,0.5:1"),
        ("steps", "400"),
    ]));
    assert_eq!(
        answer(&agree, 0),
        0,
        "{}",
        agree.quiz()[0].verdict.as_ref().unwrap().why
    );
    // A step past 2/max x_i² throws SGD out of the zone (it diverges: no verdict) —
    // just below, it leaves the zone often.
    let wild = to_end(computed(&[("lab", "per-sample"), ("lr", "0.98")]));
    let v = wild.quiz()[0]
        .verdict
        .clone()
        .expect("finite: below 2/max x²");
    eprintln!("lr 0.98: {}", v.why);
    assert_eq!(v.answer, 2, "{}", v.why);
}

#[test]
fn decay_names_the_schedule_with_the_lowest_mean_in_the_csv() {
    let l = to_end(computed(&[("lab", "decay")]));
    let m = means(&l);
    let (lowest, _) = m.iter().map(|(k, v)| (k.clone(), *v.last().unwrap())).fold(
        (String::new(), f64::MAX),
        |a, b| if b.1 < a.1 { b } else { a },
    );
    let order = ["constant", "too fast", "too slow", "1/t", "step"];
    let want = order
        .iter()
        .position(|o| lowest.starts_with(o))
        .unwrap_or_else(|| panic!("{lowest}"));
    assert_eq!(want, 3, "the defaults end with 1/t lowest ({lowest})");
    assert_eq!(answer(&l, 0), want);
    // A 1/t schedule whose t0 is huge is a constant step that never decays: it no
    // longer ends lowest, and the verdict follows.
    let slow = to_end(computed(&[("lab", "decay"), ("t0", "10000")]));
    assert_ne!(
        answer(&slow, 0),
        3,
        "{}",
        slow.quiz()[0].verdict.as_ref().unwrap().why
    );
}

#[test]
fn expected_loss_compares_the_exact_floors_at_eta_and_half_eta() {
    let l = to_end(computed(&[("lab", "expected-loss")]));
    let setup = l.scenario().build().unwrap();
    let here = stationary_gap(&setup).unwrap();
    let mut half = setup.clone();
    half.scenario.method.lr /= 2.0;
    let there = stationary_gap(&half).unwrap();
    // Small η: the floor is about proportional to η.
    assert!((there / here - 0.5).abs() < 0.1, "{there} / {here}");
    assert_eq!(answer(&l, 0), 0);
    assert_eq!(answer(&l, 0), quiz::compare(there / here));
}

#[test]
fn momentum_matched_step_is_the_same_floor_same_lr_higher_and_lower_with_agreeing_samples() {
    let l = to_end(computed(&[("lab", "momentum")]));
    assert_eq!(
        answer(&l, 0),
        1,
        "{}",
        l.quiz()[0].verdict.as_ref().unwrap().why
    );
    assert_eq!(
        answer(&l, 1),
        2,
        "{}",
        l.quiz()[1].verdict.as_ref().unwrap().why
    );
    // Against the CSV: the last fifth of the run, at most 200 steps.
    let m = means(&l);
    let tail = |v: &[f64]| {
        let k = ((v.len() - 1) / 5).clamp(1, 200);
        v[v.len() - k..].iter().sum::<f64>() / k as f64
    };
    let r = tail(&m["SGD + momentum, same lr"]) / tail(&m["SGD"]);
    assert_eq!(quiz::compare(r), 2, "ratio {r}");
    let agree = to_end(computed(&[
        ("lab", "momentum"),
        ("diversity", "0"),
        ("runs", "2"),
    ]));
    assert_eq!(
        answer(&agree, 1),
        0,
        "{}",
        agree.quiz()[1].verdict.as_ref().unwrap().why
    );
}

#[test]
fn step_size_names_the_wider_cloud_from_the_paths_own_distances() {
    let l = to_end(computed(&[("lab", "step-size")]));
    let ss = l.downcast::<sgd_lab::lab::step_size::StepSize>().unwrap();
    // Our own: the paths' last points (η₁'s, η₂'s) against w*.
    let (p1, p2) = ss.current_points();
    let w = ss.w_star();
    let d2 = |ps: &[[f64; 2]]| {
        ps.iter()
            .map(|p| (p[0] - w[0]).powi(2) + (p[1] - w[1]).powi(2))
            .sum::<f64>()
            / ps.len() as f64
    };
    assert!(
        d2(&p2) > d2(&p1),
        "the large step ends farther out: {} vs {}",
        d2(&p2),
        d2(&p1)
    );
    assert_eq!(
        answer(&l, 0),
        1,
        "{}",
        l.quiz()[0].verdict.as_ref().unwrap().why
    );
    // The same step twice: the same cloud.
    let same = to_end(computed(&[("lab", "step-size"), ("lr2", "0.1")]));
    assert_eq!(
        answer(&same, 0),
        2,
        "{}",
        same.quiz()[0].verdict.as_ref().unwrap().why
    );
    // The order swapped: η₁ the larger.
    let swapped = to_end(computed(&[
        ("lab", "step-size"),
        ("lr", "0.9"),
        ("lr2", "0.1"),
    ]));
    assert_eq!(
        answer(&swapped, 0),
        0,
        "{}",
        swapped.quiz()[0].verdict.as_ref().unwrap().why
    );
}

#[test]
fn mini_batch_compares_the_floors_with_b_and_its_square_root() {
    // Same η (the floors view): the floor falls about as 1/b (the lecture, 54:48).
    let l = to_end(computed(&[("lab", "mini-batch")]));
    let v = l.quiz()[0].verdict.clone().expect("a verdict");
    assert_eq!(v.answer, 0, "{}", v.why);
    // Our own check from the CSV: b = 1's and b = 16's mean gaps over the last third.
    let m = means(&l);
    let tail = |v: &[f64]| {
        let k = v.len() / 3;
        v[v.len() - k..].iter().sum::<f64>() / k as f64
    };
    let r = tail(&m["b = 1"]) / tail(&m["b = 16"]);
    assert!(r > 8.0 && r < 32.0, "b = 1 / b = 16: {r}");
    // η ∝ b (linear scaling): η/b is the same, so is the zone: about the same floor.
    let lin = to_end(computed(&[("lab", "mini-batch"), ("mode", "linear")]));
    let v = lin.quiz()[0].verdict.clone().expect("a verdict");
    assert_eq!(v.answer, 2, "{}", v.why);
}

#[test]
fn averaging_compares_the_polyak_average_with_the_last_iterate_from_the_csv() {
    // The last iterate's mean gap, and the average's (the CSV's mean_avg_gap).
    let l = to_end(computed(&[("lab", "averaging")]));
    let (m, a) = (means(&l), means_of(&l, "mean_avg_gap"));
    let (last, avg) = (
        *m["last iterate"].last().unwrap(),
        *a["Polyak average"].last().unwrap(),
    );
    assert!(
        avg < last / 1.5,
        "constant step: the average below the floor ({avg} vs {last})"
    );
    assert_eq!(answer(&l, 0), quiz::compare(avg / last));
    assert_eq!(answer(&l, 0), 0);
    // A short run: the average still carries w0.
    let short = to_end(computed(&[("lab", "averaging"), ("steps", "10")]));
    let (m, a) = (means(&short), means_of(&short, "mean_avg_gap"));
    let r = a["Polyak average"].last().unwrap() / m["last iterate"].last().unwrap();
    assert!(r > 1.5, "after 10 steps the average is still above: {r}");
    assert_eq!(answer(&short, 0), 2);
}

#[test]
fn variance_reduction_names_the_lowest_method_at_the_common_budget() {
    let l = to_end(computed(&[("lab", "variance-reduction")]));
    let v = l.quiz()[0].verdict.clone().expect("a verdict");
    assert_eq!(v.answer, 2, "{}", v.why);
    // Our own: the CSV's last mean gaps; the variance-reduced ones are far below SGD's
    // (they reach w* to rounding while SGD stays at its floor).
    let m = means(&l);
    let sgd = *m["SGD"].last().unwrap();
    let vr = ["SVRG", "SAG", "SAGA"].map(|k| *m[k].last().unwrap());
    assert!(vr.iter().all(|g| *g < sgd * 1e-3), "SGD {sgd}, VR {vr:?}");
}

#[test]
fn gd_vs_sgd_names_the_cheaper_method_as_the_table_does() {
    // At ε = 10⁻⁴ the lecture's split is at n ≈ 1/ε: SGD is cheaper on 10⁵ samples,
    // GD on 10².
    let mut l = computed(&[("lab", "gd-vs-sgd")]);
    l.advance(1_000_000);
    assert_eq!(
        answer(&l, 0),
        1,
        "{}",
        l.quiz()[0].verdict.as_ref().unwrap().why
    );
    assert_eq!(
        answer(&l, 1),
        0,
        "{}",
        l.quiz()[1].verdict.as_ref().unwrap().why
    );
    // The table's "cheaper" column says the same (last row: the largest data set).
    let t = l.table().unwrap();
    let col = t.head.iter().position(|h| h == "cheaper").unwrap();
    assert!(
        t.rows.last().unwrap()[col].starts_with("SGD"),
        "{:?}",
        t.rows
    );
    assert!(
        t.rows.first().unwrap()[col].starts_with("GD"),
        "{:?}",
        t.rows
    );
    // A target well below the largest set's crossing (2.5 × 10⁻⁶): GD wins there too.
    let mut deep = computed(&[("lab", "gd-vs-sgd"), ("target", "1e-7")]);
    deep.advance(1_000_000);
    assert_eq!(
        answer(&deep, 0),
        0,
        "{}",
        deep.quiz()[0].verdict.as_ref().unwrap().why
    );
}

#[test]
fn epochs_compares_the_measured_floors_at_the_smallest_step() {
    // The lecture (08:51): reshuffling does a little better, more so at small steps.
    let l = to_end(computed(&[("lab", "epochs")]));
    let v = l.quiz()[0].verdict.clone().expect("a verdict");
    assert_eq!(v.answer, 0, "{}", v.why);
    // The same ratio as the caption's fact (with/reshuffled at η/27).
    let fact = l
        .caption()
        .facts
        .into_iter()
        .find(|(k, _)| k == "floor ratio with/reshuffled at η/27")
        .map(|(_, v)| sgd_lab::lab::parse_shown(&v).unwrap())
        .expect("the caption's ratio");
    assert!(fact > 1.5, "{fact}");
    assert_eq!(quiz::compare(1.0 / fact), v.answer);
}

#[test]
fn descent_lemma_counts_the_samples_whose_step_raises_the_loss() {
    let l = to_end(computed(&[("lab", "descent-lemma")]));
    let dl = l
        .downcast::<sgd_lab::lab::descent_lemma::DescentLemma>()
        .unwrap();
    // Our own count: L(w − η∇l_i(w)) − L(w) from the problem's losses (not the lab's
    // gaps), at the final w.
    let s = l.scenario().build().unwrap();
    let (p, eta, w) = (&s.problem, s.scenario.method.lr, dl.w());
    let up = (0..p.n())
        .filter(|&i| {
            let mut g = vec![0.0];
            p.add_grad_i(&[w], i, 1.0, &mut g);
            p.loss(&[w - eta * g[0]]) > p.loss(&[w]) + 1e-12
        })
        .count();
    let want = if up == 0 {
        0
    } else if 2 * up < p.n() {
        1
    } else {
        2
    };
    assert!(up > 0, "near w* some samples hurt");
    assert_eq!(
        answer(&l, 0),
        want,
        "{}",
        l.quiz()[0].verdict.as_ref().unwrap().why
    );
    // Ten small steps from far away (w0 = 4): every sample's step still lowers L.
    let far = to_end(computed(&[
        ("lab", "descent-lemma"),
        ("steps", "10"),
        ("lr", "0.01"),
    ]));
    assert_eq!(
        answer(&far, 0),
        0,
        "{}",
        far.quiz()[0].verdict.as_ref().unwrap().why
    );
}

#[test]
fn noise_assumptions_says_where_sgd_settles_under_each_sampling() {
    let uniform = to_end(computed(&[("lab", "noise-assumptions")]));
    assert_eq!(
        answer(&uniform, 0),
        0,
        "{}",
        uniform.quiz()[0].verdict.as_ref().unwrap().why
    );
    let skewed = to_end(computed(&[
        ("lab", "noise-assumptions"),
        ("skewed", "true"),
    ]));
    assert_eq!(
        answer(&skewed, 0),
        1,
        "{}",
        skewed.quiz()[0].verdict.as_ref().unwrap().why
    );
    let fixed = to_end(computed(&[
        ("lab", "noise-assumptions"),
        ("skewed", "true"),
        ("importance", "true"),
    ]));
    assert_eq!(
        answer(&fixed, 0),
        0,
        "{}",
        fixed.quiz()[0].verdict.as_ref().unwrap().why
    );
}
