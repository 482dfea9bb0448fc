//! The averaging lab (#10): at its defaults (constant step) the last iterate ends at
//! its exact floor while the Polyak and tail averages end far below it; the EMA starts
//! at w₀ and is above the last iterate early; with 1/t steps every curve falls; the
//! knobs reach every variant, the caption quotes the CSV's numbers, and the CSV is
//! what `sgd-lab run --summary` prints.

mod support;

use sgd_lab::averaging::Averaging;
use sgd_lab::expectation::stationary_gap;
use sgd_lab::lab::{self, Lab};
use sgd_lab::schedule::Schedule;
use std::collections::BTreeMap;
use support::{assert_texts_finite, assert_variants_csv_is_cli, csv_cells};

fn finished(q: &[(&str, &str)]) -> Lab {
    support::computed(q)
}

/// variant → mean gap per step, from the CSV.
fn means(l: &Lab) -> BTreeMap<String, Vec<f64>> {
    let csv = l.csv();
    let mut lines = csv.lines();
    let header = csv_cells(lines.next().unwrap());
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let (cv, cm) = (col("variant"), col("mean_gap"));
    let cavg = header.iter().position(|h| h == "mean_avg_gap");
    let mut out: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for line in lines {
        let c = csv_cells(line);
        // An averaged variant is its average: the CSV's mean_avg_gap column.
        let g = cavg
            .and_then(|i| c[i].parse::<f64>().ok())
            .unwrap_or_else(|| c[cm].parse().unwrap());
        out.entry(c[cv].clone()).or_default().push(g);
    }
    out
}

/// A number as the labs print it: "0.01203" or "7.163 × 10⁻⁴".
fn shown_number(text: &str) -> f64 {
    let (m, e) = text.split_once(" × 10").unwrap_or((text, "⁰"));
    let exp: String = e
        .chars()
        .map(|c| match c {
            '⁻' => '-',
            c => "⁰¹²³⁴⁵⁶⁷⁸⁹"
                .chars()
                .position(|d| d == c)
                .map(|i| char::from(b'0' + i as u8))
                .unwrap_or(c),
        })
        .collect();
    m.parse::<f64>().unwrap() * 10f64.powi(exp.parse().unwrap())
}

fn tail_mean(v: &[f64], k: usize) -> f64 {
    v[v.len() - k..].iter().sum::<f64>() / k as f64
}

#[test]
fn at_a_constant_step_the_averages_end_far_below_the_last_iterate_s_floor() {
    let l = finished(&[("lab", "averaging")]);
    let m = means(&l);
    let setup = l.scenario().build().unwrap();
    let last_setup = setup
        .variant_setups()
        .into_iter()
        .find(|v| v.label == "last iterate")
        .unwrap()
        .setup;
    let floor = stationary_gap(&last_setup).unwrap();
    // The last iterate at its floor: its last 500 steps' mean within 25 % of the exact
    // level (50 runs of a stationary process).
    let last = tail_mean(&m["last iterate"], 500);
    assert!(
        (last / floor - 1.0).abs() < 0.25,
        "last {last} vs floor {floor}"
    );
    let end = |v: &str| *m[v].last().unwrap();
    for v in ["Polyak average", "tail average"] {
        assert!(end(v) < floor / 30.0, "{v}: {} vs floor {floor}", end(v));
    }
    // The EMA averages over ~1/(1 − β) = 50 steps: lower than the last iterate, but it
    // keeps a floor of its own, above the running averages'.
    assert!(end("EMA") < floor / 3.0, "EMA {}", end("EMA"));
    assert!(end("EMA") > end("Polyak average"), "EMA {}", end("EMA"));
    // The running average goes on converging: like 1/t, so from step 1000 to 2000 its
    // gap falls by about 2 (between 1.3 and 4).
    let p = &m["Polyak average"];
    let r = p[1000] / p[2000];
    assert!((1.3..4.0).contains(&r), "Polyak 1000 → 2000: ratio {r}");
    assert_texts_finite(&l);
}

#[test]
fn the_ema_starts_at_w0_and_the_tail_average_at_step_k() {
    let l = finished(&[("lab", "averaging"), ("runs", "20"), ("steps", "400")]);
    let m = means(&l);
    // u₀ = w₀: every curve starts at the same gap.
    let g0 = m["last iterate"][0];
    for v in ["Polyak average", "tail average", "EMA"] {
        assert_eq!(m[v][0], g0, "{v}");
    }
    // Early, the EMA still carries w₀: above the last iterate at step 20.
    assert!(
        m["EMA"][20] > 2.0 * m["last iterate"][20],
        "{} vs {}",
        m["EMA"][20],
        m["last iterate"][20]
    );
    // Before k = 200 the tail average is the last iterate itself.
    for t in [1, 50, 199] {
        assert_eq!(m["tail average"][t], m["last iterate"][t], "step {t}");
    }
    assert!(m["tail average"][399] < m["last iterate"][399] / 5.0);
}

#[test]
fn with_1_over_t_steps_every_curve_falls() {
    let l = finished(&[
        ("lab", "averaging"),
        ("schedule", "inverse_time"),
        ("runs", "30"),
    ]);
    let m = means(&l);
    for (v, g) in &m {
        let (a, b) = (tail_mean(&g[..1000], 100), tail_mean(g, 100));
        assert!(b < a / 1.5, "{v}: {a} at ~1000, {b} at the end");
    }
    let text = l.caption().text;
    assert!(text.contains("same rate, a smaller constant"), "{text}");
    assert!(
        !text.contains("floor"),
        "no floor is claimed for 1/t: {text}"
    );
}

#[test]
fn the_knobs_reach_every_variant_and_the_csv_is_the_cli_s() {
    let q = [
        ("lab", "averaging"),
        ("lr", "0.1"),
        ("schedule", "inverse_time"),
        ("start", "30"),
        ("beta", "0.9"),
        ("runs", "3"),
        ("steps", "200"),
    ];
    let l = finished(&q);
    let s = l.scenario();
    let v = s.compare.as_ref().unwrap();
    let labels: Vec<&str> = v.iter().map(|v| v.label.as_str()).collect();
    assert_eq!(
        labels,
        ["last iterate", "Polyak average", "tail average", "EMA"]
    );
    for x in v {
        assert_eq!(x.method.as_ref().unwrap().lr, 0.1, "{}", x.label);
        assert_eq!(
            x.schedule,
            Some(Schedule::InverseTime { t0: 50.0 }),
            "{}",
            x.label
        );
    }
    assert_eq!(v[2].averaging, Some(Averaging::Polyak { start: 30 }));
    assert_eq!(v[3].averaging, Some(Averaging::Ema { decay: 0.9 }));
    let back = lab::to_query(s);
    for (k, val) in &q[1..] {
        assert!(
            back.contains(&(k.to_string(), val.to_string())),
            "{k}: {back:?}"
        );
    }
    assert!(assert_variants_csv_is_cli(&l, "averaging-knobs") > 500);
    // The caption quotes the CSV's means at the step shown.
    let mut l = l;
    l.advance(120);
    let facts = l.caption().facts;
    let m = means(&l);
    for (label, g) in &m {
        let key = format!("{label}: mean gap at t = 120");
        let shown = &facts
            .iter()
            .find(|(k, _)| *k == key)
            .unwrap_or_else(|| panic!("{key}"))
            .1;
        let v = shown_number(shown);
        assert!(
            (v / g[120] - 1.0).abs() < 1e-3,
            "{key}: {shown} vs {}",
            g[120]
        );
    }
}

#[test]
fn in_1_d_the_averages_also_sit_below_the_last_iterate_s_floor() {
    let l = finished(&[("lab", "averaging"), ("dim", "1"), ("w0", "-3")]);
    let s = l.scenario();
    assert_eq!(s.w0.as_deref(), Some(&[-3.0][..]));
    let setup = s.build().unwrap();
    assert_eq!(setup.problem.d(), 1);
    let last_setup = setup
        .variant_setups()
        .into_iter()
        .find(|v| v.label == "last iterate")
        .unwrap()
        .setup;
    let floor = stationary_gap(&last_setup).unwrap();
    let m = means(&l);
    let last = tail_mean(&m["last iterate"], 500);
    assert!(
        (last / floor - 1.0).abs() < 0.25,
        "last {last} vs floor {floor}"
    );
    for v in ["Polyak average", "tail average"] {
        let end = *m[v].last().unwrap();
        assert!(end < floor / 30.0, "{v}: {end} vs floor {floor}");
    }
    // The second chart is w against t (not a map) and says so in words.
    let (svg, frame) = support::svg(&l, "iterates", (640, 420));
    assert!(frame.x_range.1 >= 1999.0, "{frame:?}");
    assert!(svg.contains("step"), "an axis of steps");
    assert!(l.describe().contains("against t"), "{}", l.describe());
    // Without a start of its own, 1-D starts at −2 (the 2-D preset's start would not fit).
    let got = lab::from_query(&support::pairs(&[("lab", "averaging"), ("dim", "1")])).unwrap();
    assert!(got.warnings.is_empty(), "{:?}", got.warnings);
    assert_eq!(got.scenario.w0.as_deref(), Some(&[-2.0][..]));
}
