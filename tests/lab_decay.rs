//! The decay lab: five schedules as five variants of one scenario. At the defaults the
//! computed means end in the lecture's order; each knob sets its own schedule; the
//! numbers are those of every schedule run alone and of `sgd-lab run --summary`; an
//! older single-schedule file still opens; a diverging schedule stops alone.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use sgd_lab::lab::{self, link, Lab};
use sgd_lab::run::simulate;
use sgd_lab::schedule::Schedule;
use sgd_lab::Scenario;
use support::{assert_texts_finite, assert_variants_csv_is_cli, svg};

fn pairs(q: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out = vec![("lab".to_string(), "decay".to_string())];
    out.extend(q.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    out
}

fn open(q: &[(&str, &str)]) -> Lab {
    let got = lab::from_query(&pairs(q)).unwrap();
    assert!(got.warnings.is_empty(), "{q:?}: {:?}", got.warnings);
    let mut l = Lab::from_setup(&got.setup).unwrap();
    while l.status().progress < 1.0 {
        l.work(1_000_000);
    }
    l
}

/// Mean gap per step of a stand-alone scenario, its runs simulated one by one.
fn mean_alone(s: &Scenario) -> Vec<f64> {
    let setup = s.build().unwrap();
    let mut sum = vec![0.0; s.steps as usize + 1];
    for r in 0..s.runs {
        for (a, b) in sum.iter_mut().zip(&simulate(&setup, r).gap) {
            *a += b;
        }
    }
    sum.iter().map(|v| v / s.runs as f64).collect()
}

#[test]
fn at_the_defaults_the_means_end_in_the_lecture_s_order() {
    let mut l = open(&[]);
    let steps = l.scenario().steps;
    l.advance(steps as u32);
    let variants = l.scenario().variants();
    let labels: Vec<&str> = variants.iter().map(|v| v.label.as_str()).collect();
    assert_eq!(
        labels,
        ["constant", "too fast", "too slow", "1/t", "step decay"]
    );
    // Every schedule's mean, from its stand-alone runs.
    let end: Vec<f64> = variants
        .iter()
        .map(|v| mean_alone(&v.scenario)[steps as usize])
        .collect();
    let [constant, fast, slow, one_over_t, step] = end[..] else {
        unreachable!()
    };
    // Too fast froze above the constant step's floor, too slow still bounces above
    // 1/t, and 1/t is lowest of all.
    assert!(fast > constant, "{end:?}");
    assert!(constant > slow, "{end:?}");
    assert!(slow > one_over_t, "{end:?}");
    assert!(step > one_over_t, "{end:?}");
    // The caption says so, with those numbers (4 significant digits).
    let cap = l.caption();
    assert!(
        cap.text
            .contains(&format!("At step {steps} the picture is the lecture's")),
        "{}",
        cap.text
    );
    for (i, want) in end.iter().enumerate() {
        let fact = &cap.facts[i].1;
        let got =
            sgd_lab::lab::parse_shown(&fact["mean gap ".len()..fact.find(';').unwrap()]).unwrap();
        assert!(
            (got - want).abs() <= 5e-4 * want,
            "{}: {got} vs {want}",
            labels[i]
        );
    }
    assert_texts_finite(&l);
}

#[test]
fn off_the_lecture_s_regime_the_caption_gives_the_order_it_sees() {
    // t0 = 10 000: "1/t" barely decays in 2000 steps and ends near the constant floor.
    let mut l = open(&[("t0", "10000"), ("runs", "5")]);
    l.advance(2000);
    let text = l.caption().text;
    assert!(
        text.contains("At step 2000, from lowest to highest mean gap: "),
        "{text}"
    );
    assert!(!text.contains("the picture is the lecture's"), "{text}");
    assert!(text.contains("the defaults show it"), "{text}");
}

#[test]
fn each_knob_sets_its_own_schedule_and_no_other() {
    let base = lab::default_scenario("decay").unwrap();
    let sched = |s: &Scenario| -> Vec<Schedule> {
        s.compare
            .as_ref()
            .unwrap()
            .iter()
            .map(|v| v.schedule.clone().unwrap())
            .collect()
    };
    let before = sched(&base);
    for (key, value, i, want) in [
        ("fast", "0.8", 1, Schedule::Exponential { gamma: 0.8 }),
        ("slow_t0", "3", 2, Schedule::InverseSqrt { t0: 3.0 }),
        ("t0", "7", 3, Schedule::InverseTime { t0: 7.0 }),
        (
            "every",
            "50",
            4,
            Schedule::Step {
                every: 50,
                gamma: 0.5,
            },
        ),
        (
            "gamma",
            "0.3",
            4,
            Schedule::Step {
                every: 400,
                gamma: 0.3,
            },
        ),
    ] {
        let s = link::set_knob("decay", &base, key, value).unwrap();
        let after = sched(&s);
        for k in 0..5 {
            if k == i {
                assert_eq!(after[k], want, "{key}");
            } else {
                assert_eq!(after[k], before[k], "{key} changed schedule {k}");
            }
        }
        // And the chart's label shows the value set.
        let mut l = Lab::new(&s).unwrap();
        while l.status().progress < 1.0 {
            l.work(1_000_000);
        }
        let fact = &l.caption().facts[i].0;
        assert!(fact.contains(value), "{key}: {fact}");
    }
}

#[test]
fn the_csv_is_what_sgd_lab_run_prints_for_the_exported_scenario() {
    let l = open(&[("runs", "7"), ("steps", "90"), ("t0", "5")]);
    let cells = assert_variants_csv_is_cli(&l, "decay");
    assert_eq!(cells, 5 * 91 * 4);
    // An imported file with averaging: every schedule averages, and the CSV has its column.
    let mut s = l.scenario().clone();
    s.averaging = sgd_lab::averaging::Averaging::Polyak { start: 5 };
    let mut l = Lab::new(&s).unwrap();
    while l.status().progress < 1.0 {
        l.work(1_000_000);
    }
    assert!(l
        .csv()
        .starts_with("variant,step,mean_gap,std_gap,min_gap,max_gap,mean_avg_gap\n"));
    let cells = assert_variants_csv_is_cli(&l, "decay-polyak");
    assert_eq!(cells, 5 * 91 * 5);
}

#[test]
fn an_older_single_schedule_file_opens_with_its_schedule_among_the_five() {
    let mut s = lab::default_scenario("decay").unwrap();
    s.compare = None;
    s.schedule = Schedule::Step {
        every: 50,
        gamma: 0.25,
    };
    let l = Lab::new(&s).unwrap();
    let c = l.scenario().compare.as_ref().unwrap();
    assert_eq!(c.len(), 5);
    assert_eq!(
        c[4].schedule,
        Some(Schedule::Step {
            every: 50,
            gamma: 0.25
        })
    );
    assert_eq!(c[3].schedule, Some(Schedule::InverseTime { t0: 20.0 }));
    // A list that is not the lab's five is refused by name.
    let mut bad = lab::default_scenario("decay").unwrap();
    bad.compare.as_mut().unwrap().pop();
    let err = Lab::new(&bad).err().unwrap().to_string();
    assert!(
        err.starts_with("compare must be the decay lab's five schedules"),
        "{err}"
    );
}

#[test]
fn a_schedule_that_diverges_stops_alone_where_its_run_alone_diverges() {
    let mut l = open(&[("lr", "4"), ("steps", "300"), ("runs", "3")]);
    l.advance(300);
    let msg = l.status().diverged.expect("η = 4 > 2/L_s diverges");
    // The earliest divergence of the constant step's runs, each run alone.
    let constant = l.scenario().variants()[0].scenario.build().unwrap();
    let (at, run) = (0..3)
        .filter_map(|r| simulate(&constant, r).diverged_at.map(|s| (s, r)))
        .min()
        .expect("the constant step diverges alone too");
    assert!(
        msg.starts_with(&format!("The constant schedule diverged in run {} at step {at}: its step η_t = 4 was too large (GD is stable only below 2/L_s = ", run + 1)),
        "{msg}"
    );
    assert!(msg.ends_with("the others go on."), "{msg}");
    // 1/t decays in time and ends with a mean.
    assert!(
        l.caption().facts[3].1.starts_with("mean gap "),
        "{:?}",
        l.caption().facts
    );
    assert_texts_finite(&l);
}

#[test]
fn the_step_size_chart_says_where_too_fast_leaves_it() {
    let mut l = open(&[("fast", "0.8"), ("runs", "2")]);
    l.advance(2000);
    let (doc, _) = svg(&l, "lr", (800, 500));
    // η 0.8^k < 1e-4 η from k = ⌈ln 1e-4 / ln 0.8⌉ = 42.
    let k = (1e-4f64.ln() / 0.8f64.ln()).ceil() as u64;
    assert_eq!(k, 42);
    assert!(
        doc.contains(&format!("too fast: below 10⁻⁴ η from step {k}")),
        "label"
    );
    let (doc, frame) = svg(&l, "gap", (800, 500));
    assert_eq!(frame.x_scale, sgd_lab::chart::AxisScale::Log);
    assert!(doc.contains("slope 1/t"));
    for label in [
        "constant",
        "too fast: γ = 0.8",
        "too slow: 1/√t, t0 = 20",
        "1/t, t0 = 20",
        "step decay: ×0.5 every 400",
    ] {
        assert!(doc.contains(label), "{label}");
    }
}

#[test]
fn at_step_0_the_gap_chart_already_shows_where_every_schedule_starts() {
    // A log x-axis has no step 0: the chart shows step 1, so it is never empty.
    let l = open(&[("runs", "3")]);
    assert_eq!(l.status().t, 0);
    let (doc, _) = svg(&l, "gap", (800, 500));
    for label in ["constant", "too fast: γ = 0.6", "1/t, t0 = 20"] {
        assert!(doc.contains(label), "{label} at step 0");
    }
}
