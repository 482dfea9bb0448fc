//! The gd-vs-sgd lab (#9): GD's curve is the core's GD run bit for bit, paying n
//! evaluations a step, SGD's mean is the core's runs averaged independently, paying b a
//! step; the data sets are the first n samples of one problem; the crossing ε falls as
//! n grows and sits within a small factor of the lecture's 1/n; the table reads its
//! numbers from those curves; slices of any size give the same bits; bad scenarios are
//! refused with a message.

mod support;

use sgd_lab::lab::gd_vs_sgd::race::{checkpoints, Race};
use sgd_lab::lab::gd_vs_sgd::GdVsSgdLab;
use sgd_lab::lab::{self, Lab};
use sgd_lab::method::MethodKind;
use sgd_lab::run::Run;
use sgd_lab::schedule::Schedule;
use support::{assert_texts_finite, computed, pairs};

fn lab_of(q: &[(&str, &str)]) -> Lab {
    let mut query = vec![("lab", "gd-vs-sgd")];
    query.extend_from_slice(q);
    computed(&query)
}

fn sim(l: &Lab) -> &GdVsSgdLab {
    l.downcast::<GdVsSgdLab>().unwrap()
}

/// The lab at the end of its clock.
fn played(q: &[(&str, &str)]) -> Lab {
    let mut l = lab_of(q);
    while l.advance(1000) > 0 {}
    l
}

#[test]
fn gd_is_the_core_s_gd_run_paying_n_a_step_and_sgd_pays_b() {
    let l = lab_of(&[("n", "1000"), ("batch", "4"), ("runs", "3")]);
    for r in sim(&l).races() {
        // GD: the core's own GD at 1/L_s, bit for bit, n evaluations a step.
        let mut s = l.scenario().clone();
        if let sgd_lab::scenario::ProblemSpec::RandomLeastSquares { n, .. } = &mut s.problem {
            *n = r.n;
        }
        s.method.kind = MethodKind::Gd;
        s.method.lr = r.gd_lr;
        s.schedule = Schedule::Constant;
        s.steps = r.gd_total;
        let mut gd = Run::new(&s.build().unwrap(), 0);
        assert_eq!(r.gd_gaps.len() as u64, r.gd_total + 1);
        for (t, g) in r.gd_gaps.iter().enumerate().skip(1) {
            gd.step();
            assert_eq!(gd.grad_evals(), r.n * t as u64);
            assert_eq!(gd.gap().to_bits(), g.to_bits(), "n {} step {t}", r.n);
        }
        // SGD: b = 4 evaluations a step, the x-axis's end in steps.
        assert_eq!(r.b, 4);
        assert_eq!(r.sgd_total, (r.n * r.gd_total).div_ceil(4));
        let mut s = l.scenario().clone();
        if let sgd_lab::scenario::ProblemSpec::RandomLeastSquares { n, .. } = &mut s.problem {
            *n = r.n;
        }
        let mut setup = s.build().unwrap();
        setup.scenario.steps = r.sgd_total;
        // The mean over the runs at every checkpoint, computed here run by run.
        let mut sums = vec![0.0; r.marks.len()];
        for run in 0..3 {
            let mut x = Run::new(&setup, run);
            for (k, &t) in r.marks.iter().enumerate() {
                while x.t() < t {
                    x.step();
                }
                assert_eq!(x.grad_evals(), 4 * t);
                sums[k] += x.gap();
            }
        }
        let mean = r.sgd_mean();
        assert_eq!(mean.len(), r.marks.len());
        for (k, m) in mean.iter().enumerate() {
            assert_eq!(m.to_bits(), (sums[k] / 3.0).to_bits(), "n {} mark {k}", r.n);
            assert_eq!(r.sgd_work(k), 4 * r.marks[k]);
        }
    }
}

#[test]
fn the_data_sets_are_the_first_n_samples_of_one_problem() {
    let l = lab_of(&[("n", "10000"), ("runs", "1")]);
    let races = sim(&l).races();
    assert_eq!(
        races.iter().map(|r| r.n).collect::<Vec<_>>(),
        [100, 1000, 10_000]
    );
    let big = &races[2].problem;
    for r in &races[..2] {
        for i in [0, 1, r.n as usize / 2, r.n as usize - 1] {
            for w in [[0.3, -1.0], [2.0, 0.5]] {
                assert_eq!(
                    r.problem.loss_i(&w, i).to_bits(),
                    big.loss_i(&w, i).to_bits()
                );
            }
        }
    }
    // Same distribution: the smoothness of each data set is within 5 % of the largest's.
    for r in races {
        assert!((r.l_s / races[2].l_s - 1.0).abs() < 0.05, "{}", r.l_s);
    }
}

#[test]
fn the_crossing_falls_as_n_grows_near_the_lecture_s_one_over_n() {
    let l = played(&[]);
    let g = sim(&l);
    let crossings: Vec<(u64, f64, u64)> = g
        .races()
        .iter()
        .map(|r| {
            let c = r.crossover().expect("GD overtakes SGD on every data set");
            (r.n, c.epsilon, c.work)
        })
        .collect();
    assert_eq!(crossings.len(), 4);
    for w in crossings.windows(2) {
        assert!(w[1].1 < w[0].1 / 3.0, "{w:?}");
        assert!(w[1].2 > w[0].2, "{w:?}");
    }
    for &(n, eps, _) in &crossings {
        let scaled = eps * n as f64;
        assert!((0.03..3.0).contains(&scaled), "n {n}: ε n = {scaled}");
    }
    // The crossing is where GD's staircase first gets below SGD's mean: just before
    // it (the step before), GD was above SGD at its own evaluations.
    for r in g.races() {
        let c = r.crossover().unwrap();
        let mean = r.sgd_mean();
        let t = c.gd_step as usize;
        assert!(r.gd_gaps[t] < c.epsilon);
        if t > 1 {
            let before = r.sgd_mean_at((r.n * (t as u64 - 1)) as f64, &mean).unwrap();
            assert!(r.gd_gaps[t - 1] >= before, "n {}", r.n);
        }
        // ε is SGD's mean at n·t evaluations, between the checkpoints around it.
        let k = (0..mean.len()).find(|&k| r.sgd_work(k) >= c.work).unwrap();
        let (lo, hi) = (mean[k].min(mean[k - 1]), mean[k].max(mean[k - 1]));
        assert!(c.epsilon >= lo && c.epsilon <= hi, "n {}", r.n);
    }
}

#[test]
fn the_table_says_which_is_cheaper_from_the_curves() {
    let l = played(&[("target", "0.0001")]);
    let g = sim(&l);
    let t = l.table().expect("a table");
    assert_eq!(t.head.len(), 7);
    assert_eq!(t.rows.len(), 4);
    for (row, r) in t.rows.iter().zip(g.races()) {
        assert_eq!(row.len(), 7);
        // GD's steps: the first step at or below ε, read from the curve here.
        let gd = r.gd_gaps.iter().position(|&x| x <= 1e-4).unwrap() as u64;
        let mean = r.sgd_mean();
        // SGD runs as far as GD's passes go on this data set; on 100 samples its mean
        // is not at 10⁻⁴ by then, and the table says "more than" the axis's end.
        let sgd = match mean.iter().position(|&x| x <= 1e-4) {
            Some(k) => r.marks[k],
            None => {
                assert!(
                    row[3].starts_with(&format!("> {}", r.sgd_total)) || row[3].starts_with("> "),
                    "{row:?}"
                );
                assert!(row[5].starts_with("GD (SGD not there"), "{row:?}");
                u64::MAX / r.b
            }
        };
        assert!(row[1].starts_with(&format!("{gd} (")), "{row:?}");
        // The lecture's order beside it: κ ln(1/ε), to two digits.
        let order = r.kappa * (1e4f64).ln();
        assert!(
            row[1].ends_with(&format!("({:.0})", order)),
            "{row:?} vs {order}"
        );
        let want = if gd * r.n < sgd * r.b { "GD" } else { "SGD" };
        assert!(row[5].starts_with(want), "n {}: {row:?}", r.n);
    }
    // At the defaults (ε = 10⁻⁴): GD is cheaper on 100 and 1000 samples, SGD on 10⁴
    // and more — the split at n ≈ 1/ε.
    let cheaper: Vec<&str> = t
        .rows
        .iter()
        .map(|r| r[5].split([',', ' ']).next().unwrap())
        .collect();
    assert_eq!(cheaper, ["GD", "GD", "SGD", "SGD"], "{:?}", t.rows);
    // As CSV: the headings, then one line a data set.
    let csv = t.csv();
    assert_eq!(csv.lines().count(), 5);
    assert!(csv.lines().next().unwrap().starts_with("n,GD steps"));
}

#[test]
fn slices_of_any_size_give_the_same_bits_and_progress_grows() {
    let whole = lab_of(&[("n", "10000"), ("runs", "2")]);
    let got = lab::from_query(&pairs(&[
        ("lab", "gd-vs-sgd"),
        ("n", "10000"),
        ("runs", "2"),
    ]))
    .unwrap();
    let mut sliced = Lab::new(&got.scenario).unwrap();
    let (mut last, mut slices) = (-1.0, 0);
    loop {
        let p = sliced.work(997);
        assert!(p > last, "{last} → {p}");
        last = p;
        slices += 1;
        if p >= 1.0 {
            break;
        }
    }
    assert!(slices > 100, "{slices}");
    assert_eq!(whole.csv(), sliced.csv());
}

#[test]
fn the_clock_reveals_the_axis_evenly_on_its_log_scale() {
    let mut l = lab_of(&[("n", "1000"), ("runs", "2")]);
    let x_max = sim(&l).x_max();
    assert_eq!(x_max, 1000 * sim(&l).races()[1].gd_total);
    assert_eq!(sim(&l).shown_x(), 1);
    let steps = l.status().steps;
    l.advance((steps / 2) as u32);
    // ⌊X^(1/2)⌋ + K/2: even on the log axis, and one evaluation more a tick at least.
    let half = sim(&l).shown_x();
    assert_eq!(half, (x_max as f64).sqrt().floor() as u64 + steps / 2);
    l.reset();
    let mut last = sim(&l).shown_x();
    assert_eq!(last, 1);
    for _ in 0..steps {
        l.advance(1);
        assert!(sim(&l).shown_x() > last);
        last = sim(&l).shown_x();
    }
    assert_eq!(last, x_max);
    l.reset();
    l.advance((steps / 2) as u32);
    // Before the end some crossings are not shown yet; the caption says only those shown.
    let shown = sim(&l).shown_crossings().len();
    while l.advance(1000) > 0 {}
    assert!(l.status().done);
    assert_eq!(sim(&l).shown_crossings().len(), 2);
    assert!(shown < 2);
    let c = l.caption();
    assert!(c.text.contains("GD overtakes SGD at ε ≈"), "{}", c.text);
    assert!(
        c.text.contains("ten times the data moves the crossing"),
        "{}",
        c.text
    );
    assert!(l.status().clock.unwrap().ends_with("gradient evaluations"));
    assert_texts_finite(&l);
}

#[test]
fn checkpoints_cover_every_run_s_steps() {
    let c = checkpoints(3300);
    assert_eq!((c[0], *c.last().unwrap()), (0, 3300));
    let l = lab_of(&[("n", "1000"), ("runs", "1")]);
    for r in sim(&l).races() {
        assert_eq!(*r.marks.last().unwrap(), r.sgd_total);
        assert!(r.is_done());
    }
}

#[test]
fn bad_scenarios_say_what_is_wrong() {
    let base = lab::default_scenario("gd-vs-sgd").unwrap();
    let refuse = |edit: &dyn Fn(&mut sgd_lab::Scenario)| {
        let mut s = base.clone();
        edit(&mut s);
        Lab::new(&s)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    assert!(refuse(&|s| s.method.kind = MethodKind::Gd).starts_with("method must be plain SGD"));
    assert!(refuse(&|s| s.schedule = Schedule::Constant)
        .starts_with("schedule.kind must be inverse_time"));
    assert!(refuse(&|s| s.lab.as_mut().unwrap().target = Some(0.0))
        .starts_with("lab.target must be between 1e-9 and 10"));
    assert!(refuse(&|s| {
        if let sgd_lab::scenario::ProblemSpec::RandomLeastSquares { n, .. } = &mut s.problem {
            *n = 5000;
        }
    })
    .starts_with("problem.n must be 1000, 10000 or 100000"));
    // Too much work: 30 runs with b = 1 fit, a larger problem would not.
    let e = refuse(&|s| {
        s.runs = 30;
        if let sgd_lab::scenario::ProblemSpec::RandomLeastSquares { kappa, .. } = &mut s.problem {
            *kappa = 100.0;
        }
    });
    assert!(e.starts_with("runs asks for"), "{e}");
    // A knob out of range: the message names the range, and nothing changes.
    let got = lab::from_query(&pairs(&[
        ("lab", "gd-vs-sgd"),
        ("n", "500"),
        ("target", "2"),
    ]))
    .unwrap();
    assert_eq!(got.warnings.len(), 2, "{:?}", got.warnings);
    assert!(
        got.warnings[0].contains("1000, 10000, 100000"),
        "{:?}",
        got.warnings
    );
    // The race itself refuses a problem it cannot cut into data sets.
    let mut s = base.clone();
    s.problem = sgd_lab::scenario::ProblemSpec::RandomQuadratic {
        n: 100,
        d: 2,
        kappa: 4.0,
        spread: 1.0,
        angle: 0.0,
        center: None,
        seed: 1,
    };
    let e = Race::new(&s.build().unwrap(), 100)
        .err()
        .unwrap()
        .to_string();
    assert!(
        e.starts_with("problem.kind must be random_least_squares"),
        "{e}"
    );
}
