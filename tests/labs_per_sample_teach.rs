//! `per-sample` as a lesson (issue #8): the zoom on the zone with SGD's trail and the
//! histogram of its iterates (against `simulate`), η past 2/L_s and GD's divergence at
//! the step of the stand-alone GD run, the caption at spread 0, legends replaced by
//! direct labels, slow motion by default.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use sgd_lab::lab::per_sample::{PerSample, BINS, SLOW_MOTION, TRAIL};
use sgd_lab::lab::{self, Lab};
use sgd_lab::method::MethodKind;
use sgd_lab::run::simulate;
use sgd_lab::Scenario;

fn from_query(q: &[(&str, &str)]) -> Scenario {
    let pairs: Vec<(String, String)> = q
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let got = lab::from_query(&pairs).unwrap();
    assert!(got.warnings.is_empty(), "{:?}", got.warnings);
    got.scenario
}

fn per_sample(l: &Lab) -> &PerSample {
    l.downcast::<PerSample>().expect("the per-sample lab")
}

use support::svg;

/// The texts of an SVG document.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = &t[t.find('>')? + 1..];
            Some(body[..body.find("</text>")?].trim().to_string())
        })
        .collect()
}

#[test]
fn trail_and_histogram_hold_exactly_the_iterates_of_the_run() {
    let s = lab::default_scenario("per-sample").unwrap();
    let tr = simulate(&s.build().unwrap(), 0);
    let mut l = Lab::new(&s).unwrap();
    // At the start: no trail, one iterate (w0) counted.
    let (bins, out) = per_sample(&l).histogram();
    assert_eq!(bins.iter().sum::<u64>() + out.0 + out.1, 1);
    assert!(per_sample(&l).trail().is_empty());
    let mut t = 0;
    for chunk in [1, 5, 30, 101, 63] {
        t += l.advance(chunk) as usize;
        let p = per_sample(&l);
        assert_eq!(p.sgd_w(), tr.point(t)[0]);
        // The trail: w_{t−k} … w_{t−1}, exactly.
        let k = t.min(TRAIL);
        let want: Vec<f64> = (t - k..t).map(|j| tr.point(j)[0]).collect();
        assert_eq!(p.trail(), &want[..], "trail at t = {t}");
        // The histogram: w_0 … w_t binned independently over the zoom's w range.
        let ((lo, hi), _) = p.zoom();
        let mut want = vec![0u64; BINS];
        let (mut left, mut right) = (0, 0);
        for j in 0..=t {
            let w = tr.point(j)[0];
            if w < lo {
                left += 1;
            } else if w > hi {
                right += 1;
            } else {
                let b = ((w - lo) / (hi - lo) * BINS as f64) as usize;
                want[b.min(BINS - 1)] += 1;
            }
        }
        let (bins, out) = p.histogram();
        assert_eq!(bins, &want[..], "histogram at t = {t}");
        assert_eq!(out, (left, right));
        assert_eq!(bins.iter().sum::<u64>() + left + right, t as u64 + 1);
    }
    assert_eq!(t, 200);
    // The histogram fills the zone: SGD (started left of it, at −0.5) spends most of
    // the run inside, over many bins.
    let p = per_sample(&l);
    let ((lo, hi), _) = p.zoom();
    let (a, b) = p.zone();
    let (bins, out) = p.histogram();
    let inside: u64 = bins
        .iter()
        .enumerate()
        .filter(|(k, _)| {
            let mid = lo + (hi - lo) * (*k as f64 + 0.5) / BINS as f64;
            mid > a && mid < b
        })
        .map(|(_, c)| c)
        .sum();
    assert!(inside >= 180, "{inside} of 201 inside the zone");
    assert!(out.0 >= 1, "w0 = −0.5 is left of the zoom");
    assert!(bins.iter().filter(|&&c| c > 0).count() >= 15, "{bins:?}");
    // Reset empties both.
    l.reset();
    let (bins, out) = per_sample(&l).histogram();
    assert_eq!(bins.iter().sum::<u64>() + out.0 + out.1, 1);
    assert!(per_sample(&l).trail().is_empty());
}

#[test]
fn the_zoom_frames_the_zone_its_parabola_bottoms_and_the_iterates() {
    let s = lab::default_scenario("per-sample").unwrap();
    let tr = simulate(&s.build().unwrap(), 0);
    let mut l = Lab::new(&s).unwrap();
    l.advance(200);
    let p = per_sample(&l);
    let (a, b) = p.zone();
    let (_, full) = svg(&l, "parabolas", (900, 600));
    let (doc, f) = svg(&l, "zone", (900, 600));
    let (x0, x1) = f.x_range;
    assert!(x0 < a && b < x1 && x0 < p.w_star() && p.w_star() < x1);
    // A zoom: at most half the full view's width, and a loss axis from the parabolas'
    // bottoms (0) to at most a third of the full view's.
    assert!(
        x1 - x0 <= 0.5 * (full.x_range.1 - full.x_range.0),
        "{f:?} {full:?}"
    );
    assert_eq!(f.y_range.0, 0.0);
    assert!(f.y_range.1 <= full.y_range.1 / 3.0, "{f:?} {full:?}");
    // L at the zone's edges is inside the frame.
    let l_at = |w: f64| s.build().unwrap().problem.loss(&[w]);
    assert!(l_at(a) < f.y_range.1 && l_at(b) < f.y_range.1);
    // Every iterate once SGD has entered the zone lies in the zoom.
    let first = (0..tr.len())
        .find(|&t| (a..=b).contains(&tr.point(t)[0]))
        .unwrap();
    for t in first..tr.len() {
        let w = tr.point(t)[0];
        assert!(x0 <= w && w <= x1, "w_{t} = {w} outside {:?}", f.x_range);
    }
    // The histogram bars are drawn (filled rects in the SGD colour) and labelled.
    assert!(doc.matches("<rect").count() >= 15);
    let t = texts(&doc);
    assert!(
        t.iter().any(|s| s.contains("bars: where its w_t fell")),
        "{t:?}"
    );
}

#[test]
fn above_two_over_ls_gd_diverges_at_the_step_of_the_stand_alone_gd_run() {
    // The lecture's data: L_s = mean x_i² = 0.9888, 2/L_s = 2.023; η = 2.2 is allowed.
    let s = from_query(&[("lab", "per-sample"), ("lr", "2.2"), ("steps", "2000")]);
    let mut gd = s.clone();
    gd.method.kind = MethodKind::Gd;
    let gd_tr = simulate(&gd.build().unwrap(), 0);
    let at = gd_tr.diverged_at.expect("GD at η = 2.2 > 2/L_s diverges");
    let sgd_at = simulate(&s.build().unwrap(), 0).diverged_at;
    let mut l = Lab::new(&s).unwrap();
    let p = per_sample(&l);
    let two_over_ls = 2.0 / p.theory().smoothness;
    assert!((two_over_ls - 2.0226).abs() < 1e-3, "{two_over_ls}");
    assert!(l.caption().text.contains("above 2/L_s = 2.023"));
    l.advance(2000);
    let st = l.status();
    let msg = st.diverged.expect("diverged");
    assert!(msg.contains(&format!("GD diverged at step {at}:")), "{msg}");
    if let Some(sa) = sgd_at {
        assert!(
            msg.contains(&format!("SGD diverged at step {sa}:")),
            "{msg}"
        );
    }
    assert!(st.done);
    // The GD dot is pinned to the edge of the view and labelled with its w.
    let (doc, f) = svg(&l, "parabolas", (900, 600));
    let w = per_sample(&l).gd_w();
    assert!(!(f.x_range.0..=f.x_range.1).contains(&w), "{w}");
    let t = texts(&doc);
    assert!(t.iter().any(|s| s.starts_with("GD (w = ")), "{t:?}");
    // The knob goes past 2/L_s.
    let knobs = lab::knobs("per-sample").unwrap();
    let lr = knobs.iter().find(|k| k.key == "lr").unwrap();
    match &lr.kind {
        sgd_lab::lab::knob::KnobKind::Number { max, .. } => assert!(*max > two_over_ls),
        _ => panic!("lr is a number"),
    }
}

#[test]
fn at_spread_zero_the_caption_says_sgd_settles() {
    let s = from_query(&[
        ("lab", "per-sample"),
        ("dataset", "random"),
        ("spread", "0"),
        ("n", "8"),
    ]);
    let mut l = Lab::new(&s).unwrap();
    let p = per_sample(&l);
    assert!(p.agree(), "zone {:?}", p.zone());
    let text = l.caption().text;
    assert!(text.contains("the samples agree"), "{text}");
    assert!(text.contains("settle"), "{text}");
    assert!(!text.contains("disagree"), "{text}");
    assert!(!text.contains("never settles"), "{text}");
    assert!(!text.contains("keeps bouncing"), "{text}");
    l.advance(s.steps as u32);
    let p = per_sample(&l);
    // And on screen it does: SGD ends at w* (to 1e-9 of its scale).
    let ws = p.w_star();
    assert!(
        (p.sgd_w() - ws).abs() <= 1e-9 * ws.abs().max(1.0),
        "{} vs {ws}",
        p.sgd_w()
    );
    assert!(l.caption().text.contains("SGD has settled"));
    // With a spread, the caption says the opposite.
    let s1 = from_query(&[("lab", "per-sample"), ("dataset", "random"), ("n", "8")]);
    let t1 = Lab::new(&s1).unwrap().caption().text;
    assert!(
        t1.contains("disagree") && t1.contains("never settles"),
        "{t1}"
    );
}

#[test]
fn legends_are_gone_and_direct_labels_sit_inside_the_plot() {
    let s = lab::default_scenario("per-sample").unwrap();
    let mut l = Lab::new(&s).unwrap();
    l.advance(40);
    for chart in ["parabolas", "zone", "data"] {
        let (doc, f) = svg(&l, chart, (900, 600));
        let t = texts(&doc);
        for legend in [
            "each sample's loss",
            "SGD iterate",
            "GD iterate",
            "the sample SGD just used",
            "average L(w)",
        ] {
            assert!(!t.iter().any(|s| s == legend), "{chart}: legend {legend}");
        }
        assert!(
            !t.iter().any(|s| s.starts_with("y = w* x")),
            "{chart}: {t:?}"
        );
        // Every direct label is drawn inside the plot area.
        for (label, want) in [
            ("parabolas", vec!["average L", "w*", "zone of confusion"]),
            ("zone", vec!["average L", "w*"]),
            ("data", vec!["w* = 1.836"]),
        ] {
            if label != chart {
                continue;
            }
            for w in want {
                let at = doc
                    .split("<text")
                    .find(|seg| {
                        seg.find('>')
                            .and_then(|i| seg[i + 1..].split("</text>").next())
                            .is_some_and(|b| b.trim() == w)
                    })
                    .unwrap_or_else(|| panic!("{chart}: no label {w}: {t:?}"));
                let num = |key: &str| -> f64 {
                    let i = at.find(key).unwrap() + key.len();
                    at[i..].split('"').next().unwrap().parse().unwrap()
                };
                let (x, y) = (num("x=\""), num("y=\""));
                assert!(
                    f.contains(x, y),
                    "{chart}: {w} at ({x}, {y}) outside {:?}",
                    f.plot
                );
            }
        }
    }
}

#[test]
fn the_lab_asks_for_slow_motion() {
    let s = lab::default_scenario("per-sample").unwrap();
    let l = Lab::new(&s).unwrap();
    assert_eq!(l.steps_per_second(), Some(SLOW_MOTION));
    // GD at the default η = 0.3 needs ≥ 10 steps to come within 1 % of w* from w0:
    // at this speed that is ≥ 2 s of sliding (not a quarter second).
    let mut gd = s.clone();
    gd.method.kind = MethodKind::Gd;
    let tr = simulate(&gd.build().unwrap(), 0);
    let p = per_sample(&l);
    let d0 = (tr.point(0)[0] - p.w_star()).abs();
    let n = (0..tr.len())
        .find(|&t| (tr.point(t)[0] - p.w_star()).abs() < 0.01 * d0)
        .unwrap();
    assert!(n as f64 / SLOW_MOTION >= 2.0, "{n} steps");
    let other = Lab::new(&lab::default_scenario("expected-loss").unwrap()).unwrap();
    assert_eq!(other.steps_per_second(), None);
}
