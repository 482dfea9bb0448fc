//! The `per-sample` and `step-size` labs against independent computations: the zone
//! of confusion and w* from the data, SGD staying in the zone while GD converges,
//! clicks and drags that edit the data or the start point, custom data through the
//! URL, the stationary spread of SGD against the exact Lyapunov solution, and CSVs that
//! equal what `sgd-lab run` computes for the exported scenario.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use sgd_lab::chart::ChartFrame;
use sgd_lab::lab::per_sample::PerSample;
use sgd_lab::lab::step_size::StepSize;
use sgd_lab::lab::{self, Lab};
use sgd_lab::run::simulate;
use sgd_lab::scenario::ProblemSpec;
use sgd_lab::theory::theory;
use sgd_lab::Scenario;

fn pairs(q: &[(&str, &str)]) -> Vec<(String, String)> {
    q.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn from_query(q: &[(&str, &str)]) -> Scenario {
    let got = lab::from_query(&pairs(q)).unwrap();
    assert!(got.warnings.is_empty(), "{:?}", got.warnings);
    got.scenario
}

fn per_sample(l: &Lab) -> &PerSample {
    l.downcast::<PerSample>().expect("the per-sample lab")
}

fn step_size(l: &Lab) -> &StepSize {
    l.downcast::<StepSize>().expect("the step-size lab")
}

use support::svg;

/// No NaN in any text the lab shows, and every chart draws without one.
fn assert_no_nan(l: &Lab) {
    support::assert_texts_finite(l);
    for c in l.charts() {
        let (doc, _) = svg(l, c.id, (800, 500));
        assert!(!doc.contains("NaN"), "{} {}", l.id(), c.id);
    }
}

fn fact(l: &Lab, starts: &str) -> String {
    l.caption()
        .facts
        .into_iter()
        .find(|(k, _)| k.starts_with(starts))
        .unwrap_or_else(|| panic!("no fact {starts}"))
        .1
}

// ---------------------------------------------------------------------------------
// per-sample

#[test]
fn per_sample_zone_and_optimum_match_theory_and_the_data() {
    let s = lab::default_scenario("per-sample").unwrap();
    let l = Lab::new(&s).unwrap();
    let p = per_sample(&l);
    let th = theory(&s.build().unwrap());
    let [lo, hi] = th.zone_of_confusion.unwrap();
    assert_eq!(p.zone(), (lo, hi));
    assert_eq!(p.w_star(), th.optimum.w[0]);
    // Independently, from the preset's data: w*_i = y_i/x_i and w* = Σ x y / Σ x².
    let ProblemSpec::LeastSquares { x, y } = &s.problem else {
        panic!()
    };
    let ws: Vec<f64> = x.iter().zip(y).map(|(x, y)| y / x[0]).collect();
    let min = ws.iter().copied().fold(f64::INFINITY, f64::min);
    let max = ws.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    assert_eq!((min, max), (lo, hi));
    let sxy: f64 = x.iter().zip(y).map(|(x, y)| x[0] * y).sum();
    let sxx: f64 = x.iter().map(|x| x[0] * x[0]).sum();
    assert!((p.w_star() - sxy / sxx).abs() < 1e-14);
    // The caption shows those numbers.
    assert_eq!(fact(&l, "zone of confusion"), "[1, 2.7]");
    assert_eq!(fact(&l, "w*"), format!("{:.3}", sxy / sxx));
    assert!(l.caption().text.contains("[1, 2.7]"));
    assert_no_nan(&l);
}

#[test]
fn sgd_bounces_in_the_zone_forever_while_gd_converges() {
    // η = 0.3 ≤ 1/max x_i² ≈ 0.51: no step goes past its sample's minimiser, so the
    // margin is 0 and SGD never leaves the zone once inside.
    let mut s = lab::default_scenario("per-sample").unwrap();
    s.steps = 20_000;
    let mut l = Lab::new(&s).unwrap();
    assert_eq!(l.advance(20_000), 20_000);
    assert!(l.status().done && l.status().diverged.is_none());
    let p = per_sample(&l);
    let (a, b) = p.zone();
    assert_eq!(p.margin(), 0.0);
    assert!((p.gd_w() - p.w_star()).abs() <= 1e-10, "{}", p.gd_w());
    let (a_t, a_w) = p.sgd_history();
    assert!(a_t.len() <= 4096, "history is capped: {}", a_t.len());
    assert_eq!(*a_t.last().unwrap(), 20_000.0);
    // Every step of the run, independently: in the zone from the first entry on.
    let tr = simulate(&s.build().unwrap(), 0);
    let inside = |w: f64| w >= a && w <= b;
    let first = (0..tr.len()).find(|&t| inside(tr.point(t)[0])).unwrap();
    assert!(first < 20, "enters the zone quickly, at step {first}");
    for t in first..tr.len() {
        assert!(
            inside(tr.point(t)[0]),
            "w_{t} = {} left the zone",
            tr.point(t)[0]
        );
    }
    // The lab's recorded points are points of that run.
    for (k, &t) in a_t.iter().enumerate() {
        assert_eq!(a_w[k], tr.point(t as usize)[0]);
    }
    // And it never settles: the last 1000 iterates spread over a good part of the zone.
    let last: Vec<f64> = (tr.len() - 1000..tr.len())
        .map(|t| tr.point(t)[0])
        .collect();
    let mean = last.iter().sum::<f64>() / 1000.0;
    let sd = (last.iter().map(|w| (w - mean).powi(2)).sum::<f64>() / 1000.0).sqrt();
    assert!(sd > 0.1 * (b - a), "sd {sd}");
    // The long-run mean gap against the exact stationary value η σ0/(2A − η mean x⁴)·A/2.
    let (xs, ys): (Vec<f64>, Vec<f64>) = match &s.problem {
        ProblemSpec::LeastSquares { x, y } => (x.iter().map(|r| r[0]).collect(), y.clone()),
        _ => panic!(),
    };
    let n = xs.len() as f64;
    let w = p.w_star();
    let a2 = xs.iter().map(|x| x * x).sum::<f64>() / n;
    let x4 = xs.iter().map(|x| x.powi(4)).sum::<f64>() / n;
    let s0 = xs
        .iter()
        .zip(&ys)
        .map(|(x, y)| (x * (x * w - y)).powi(2))
        .sum::<f64>()
        / n;
    let eta = s.method.lr;
    let want = 0.5 * a2 * eta * s0 / (2.0 * a2 - eta * x4);
    let got = tr.gap[1000..].iter().sum::<f64>() / (tr.len() - 1000) as f64;
    // 19 000 steps, autocorrelation ≈ 1/(2ηA) ≈ 2 steps: the time average is within a
    // few per cent; 10 % is several standard errors.
    assert!((got / want - 1.0).abs() < 0.1, "{got} vs {want}");
    assert_no_nan(&l);
}

#[test]
fn above_one_over_max_x2_sgd_stays_within_the_stated_margin() {
    // η = 0.7: η max x_i² = 1.372, so a step can overshoot by c = 0.372 and the margin
    // is c (b − a)/(1 − c). The steepest sample (x = 1.4) has its minimiser at the
    // zone's lower edge, so overshooting it leaves the zone.
    let s = from_query(&[
        ("lab", "per-sample"),
        ("lr", "0.7"),
        ("points", "1.4:1.4,1:3,1.2:2.4,0.9:1.8"),
        ("steps", "20000"),
    ]);
    let l = Lab::new(&s).unwrap();
    let p = per_sample(&l);
    let (a, b) = p.zone();
    let c = 0.7 * 1.4f64.powi(2) - 1.0;
    let m = c * (b - a) / (1.0 - c);
    assert!((p.margin() - m).abs() < 1e-12);
    let tr = simulate(&s.build().unwrap(), 0);
    let first = (0..tr.len())
        .find(|&t| (a..=b).contains(&tr.point(t)[0]))
        .unwrap();
    let mut outside = 0;
    for t in first..tr.len() {
        let w = tr.point(t)[0];
        assert!(w >= a - m && w <= b + m, "w_{t} = {w}");
        outside += (!(a..=b).contains(&w)) as usize;
    }
    assert!(outside > 0, "the margin is needed at this step");
    // The caption says what the zoom shows, without a bound looser than the zone.
    let text = l.caption().text;
    assert!(
        text.contains("step a little outside the shaded zone"),
        "{text}"
    );
    assert!(!shows(&text, m), "the margin {m} is not in: {text}");
}

#[test]
fn outside_the_zone_every_sample_pulls_the_same_way_and_the_caption_says_where() {
    let s = lab::default_scenario("per-sample").unwrap();
    let mut l = Lab::new(&s).unwrap();
    // w0 = −0.5 is left of the zone: every per-sample gradient is negative there.
    let p = per_sample(&l);
    assert!(p.sgd_w() < p.zone().0);
    let ProblemSpec::LeastSquares { x, y } = &s.problem else {
        panic!()
    };
    for (x, y) in x.iter().zip(y) {
        assert!(x[0] * (x[0] * p.sgd_w() - y) < 0.0);
    }
    assert!(l.caption().text.contains("left of the zone"));
    l.advance(100);
    assert!(l
        .caption()
        .text
        .contains("inside the zone: the samples disagree"));
}

#[test]
fn a_click_adds_a_sample_and_a_drag_moves_one() {
    let s = lab::default_scenario("per-sample").unwrap();
    let l = Lab::new(&s).unwrap();
    // An empty spot of the data chart.
    let s2 = l.click("data", 0.3, 2.5).expect("adds a sample");
    let l2 = Lab::new(&s2).unwrap();
    let p2 = per_sample(&l2);
    let th = theory(&s2.build().unwrap());
    let ws: Vec<f64> = serde_json::from_value(th.per_sample_minimizers.unwrap()).unwrap();
    assert_eq!(ws.len(), 9);
    // Clicks are rounded to 1/1000 of the axis span: here exactly (0.3, 2.5).
    assert_eq!(ws[8], 2.5 / 0.3);
    assert_eq!(p2.zone(), (1.0, 2.5 / 0.3));
    assert_eq!(
        lab::to_query(&s2)
            .iter()
            .find(|(k, _)| k == "dataset")
            .unwrap()
            .1,
        "custom"
    );
    // A click on a dot (1.2, 3.0) adds nothing (that is a drag), nor one on x = 0.
    assert!(l.click("data", 1.205, 2.99).is_none());
    assert!(l.click("data", 0.0, 1.0).is_none());
    // A click on the parabolas sets the start point instead.
    let s_w0 = l.click("parabolas", 0.7512345, 2.5).unwrap();
    assert_eq!(s_w0.w0, Some(vec![0.751]));
    assert_eq!(
        Scenario {
            w0: s.w0.clone(),
            ..s_w0
        },
        s
    );
    assert!(l.click("gap", 0.3, 2.5).is_none());
    // A drag moves the nearest sample: (1.2, 3) → (1.5, 1).
    let s3 = l
        .drag("data", (1.21, 2.98), (1.5, 1.0))
        .expect("grabs a dot");
    let ProblemSpec::LeastSquares { x, y } = &s3.problem else {
        panic!()
    };
    assert_eq!(x.len(), 8);
    assert_eq!((x[2][0], y[2]), (1.5, 1.0));
    let mut rest = s.clone();
    if let ProblemSpec::LeastSquares { x, y } = &mut rest.problem {
        x[2] = vec![1.5];
        y[2] = 1.0;
    }
    assert_eq!(s3, rest, "only that sample moved");
    let l3 = Lab::new(&s3).unwrap();
    assert_eq!(per_sample(&l3).zone(), (1.0 / 1.5, 2.7));
    // Nothing is grabbed far from every dot.
    assert!(l.drag("data", (0.2, 3.3), (1.0, 1.0)).is_none());
    // At 50 samples a click adds nothing more.
    let pts: Vec<String> = (0..50)
        .map(|k| format!("{}:{}", 1.0 + k as f64 / 50.0, 2.0))
        .collect();
    let full = from_query(&[("lab", "per-sample"), ("points", &pts.join(","))]);
    let lf = Lab::new(&full).unwrap();
    assert!(lf.click("data", 0.3, 2.5).is_none());
    let too_many = format!("{},3:1", pts.join(","));
    let got = lab::from_query(&pairs(&[("lab", "per-sample"), ("points", &too_many)])).unwrap();
    assert!(
        got.warnings[0].contains("at most 50 points"),
        "{:?}",
        got.warnings
    );
}

#[test]
fn custom_data_survive_the_url_round_trip_exactly() {
    let s = lab::default_scenario("per-sample").unwrap();
    let l = Lab::new(&s).unwrap();
    let s2 = l.click("data", 0.3, 2.5).unwrap();
    let l2 = Lab::new(&s2).unwrap();
    let s3 = l2.drag("data", (0.6, 0.9), (0.45, 1.234)).unwrap();
    for sc in [&s2, &s3] {
        let q = lab::to_query(sc);
        let back = lab::from_query(&q).unwrap();
        assert!(back.warnings.is_empty(), "{:?}", back.warnings);
        assert_eq!(&back.scenario, sc);
    }
    // Awkward binary fractions travel exactly too.
    let pts = "0.30000000000000004:-1e-7,1.0000000000000002:2.5,-0.7:123456.789";
    let s4 = from_query(&[
        ("lab", "per-sample"),
        ("dataset", "custom"),
        ("points", pts),
    ]);
    let ProblemSpec::LeastSquares { x, y } = &s4.problem else {
        panic!()
    };
    assert_eq!(x[0][0], 0.1 + 0.2);
    assert_eq!(y[0], -1e-7);
    assert_eq!(x[1][0], 1.0000000000000002);
    let back = lab::from_query(&lab::to_query(&s4)).unwrap();
    assert_eq!(back.scenario, s4);
    // Random data are carried by their generator's knobs.
    let r = from_query(&[
        ("lab", "per-sample"),
        ("dataset", "random"),
        ("n", "30"),
        ("spread", "2"),
        ("data_seed", "7"),
    ]);
    assert_eq!(
        r.problem,
        ProblemSpec::RandomLeastSquares {
            n: 30,
            d: 1,
            noise: 2.0,
            kappa: 1.0,
            w_true: None,
            seed: 7,
            sorted: false
        }
    );
    let q = lab::to_query(&r);
    assert!(q.contains(&("points".to_string(), String::new())));
    assert_eq!(lab::from_query(&q).unwrap().scenario, r);
    // Picking "lecture" again restores the preset's samples (and empties `points`).
    let knobs = lab::knobs("per-sample").unwrap();
    let dataset = knobs.iter().find(|k| k.key == "dataset").unwrap();
    let mut back = s4.clone();
    dataset.apply(&mut back, "lecture").unwrap();
    assert_eq!(back.problem, s.problem);
    assert!(lab::to_query(&back).contains(&("points".to_string(), String::new())));
    // "custom" keeps the current samples as editable points (random ones written out).
    let mut c = r.clone();
    dataset.apply(&mut c, "custom").unwrap();
    let ProblemSpec::LeastSquares { x, .. } = &c.problem else {
        panic!()
    };
    assert_eq!(x.len(), 30);
}

#[test]
fn per_sample_divergence_says_which_run_and_why() {
    // L_s = (1.5² + 1.4²)/2 = 2.105: GD at η = 2 is unstable (2/L_s = 0.950).
    let s = from_query(&[
        ("lab", "per-sample"),
        ("lr", "2"),
        ("points", "1.5:3,1.4:2"),
        ("steps", "5000"),
    ]);
    let mut l = Lab::new(&s).unwrap();
    l.advance(5000);
    let st = l.status();
    let msg = st.diverged.expect("diverges");
    assert!(
        msg.contains("GD diverged at step") && msg.contains("is above 2/L_s = 0.9501"),
        "{msg}"
    );
    assert!(msg.contains("SGD diverged at step"), "{msg}");
    assert!(st.done);
    assert!(l.caption().text.contains("diverged"));
    assert_no_nan(&l);
}

// ---------------------------------------------------------------------------------
// step-size

#[test]
fn both_step_sizes_use_run_r_s_samples() {
    let s = lab::default_scenario("step-size").unwrap();
    let mut l = Lab::new(&s).unwrap();
    l.advance(40);
    let setup = s.build().unwrap();
    let mut setup2 = setup.clone();
    setup2.scenario.method.lr = s.lab.as_ref().unwrap().lr2.unwrap();
    let (small, large) = step_size(&l).current_points();
    assert_eq!(small.len(), s.runs as usize);
    for r in 0..s.runs {
        let a = simulate(&setup, r);
        let b = simulate(&setup2, r);
        assert_eq!(a.indices, b.indices, "path {r}: same samples");
        assert_eq!(small[r as usize].as_slice(), a.point(40));
        assert_eq!(large[r as usize].as_slice(), b.point(40));
    }
    assert_no_nan(&l);
}

#[test]
fn the_small_step_is_tighter_and_the_spread_grows_with_the_step() {
    let (e1, e2) = (0.1, 0.5);
    let s = from_query(&[
        ("lab", "step-size"),
        ("lr", "0.1"),
        ("lr2", "0.5"),
        ("runs", "10"),
        ("steps", "6000"),
    ]);
    let mut l = Lab::new(&s).unwrap();
    l.advance(6000);
    let p = step_size(&l);
    let (m1, m2) = p.measured_spread();
    let (m1, m2) = (m1.unwrap(), m2.unwrap());
    let (p1, p2) = p.stationary_spread();
    let (p1, p2) = (p1.unwrap(), p2.unwrap());
    // The exact stationary ratio lies between η₂/η₁ and η₂/η₁ · 2/(2 − η₂ L_s), L_s = 1.
    let ls = theory(&s.build().unwrap()).smoothness;
    assert!((ls - 1.0).abs() < 1e-12);
    let ratio = p2 / p1;
    assert!(
        ratio >= e2 / e1 && ratio <= e2 / e1 * 2.0 / (2.0 - e2 * ls),
        "{ratio}"
    );
    // Independently of the lab's recorder: the time average of ‖w_t − w*‖² over the
    // second half (3000 steps) of 10 simulated runs, against the Lyapunov solution.
    // The slowest mode's autocorrelation time is ≈ 1/(2 η m) = 25 steps for η₁ (5 for
    // η₂), so the average has ≳ 10·3000/50 = 600 independent terms and a relative
    // standard error ≲ √(2/600) ≈ 6 %: 15 % is 2.5 standard errors.
    let w = p.w_star();
    let setup = s.build().unwrap();
    let mut setup2 = setup.clone();
    setup2.scenario.method.lr = e2;
    let long_run = |st: &sgd_lab::scenario::Setup| {
        let mut sum = 0.0;
        let mut k = 0.0;
        for r in 0..10 {
            let tr = simulate(st, r);
            for t in 3000..tr.len() {
                let q = tr.point(t);
                sum += (q[0] - w[0]).powi(2) + (q[1] - w[1]).powi(2);
                k += 1.0;
            }
        }
        sum / k
    };
    let (l1, l2) = (long_run(&setup), long_run(&setup2));
    assert!((l1 / p1 - 1.0).abs() < 0.15, "η₁: {l1} vs {p1}");
    assert!((l2 / p2 - 1.0).abs() < 0.15, "η₂: {l2} vs {p2}");
    // The caption's measurement (10 paths × the last 200 steps: ≈ 80 independent terms
    // for η₁, a relative standard error ≈ 16 %, ≈ 22 % on the ratio): the small step is
    // tighter, and the ratio is the step ratio to within a factor 1.6 (about two
    // standard errors of the ratio either way, plus the 33 % the exact ratio may exceed
    // η₂/η₁ by).
    assert!(m1 < m2, "{m1} {m2}");
    let measured = m2 / m1;
    assert!(
        measured > e2 / e1 / 1.6 && measured < e2 / e1 * 1.6 * 4.0 / 3.0,
        "measured ratio {measured}"
    );
    // The minimisers' region does not depend on the step.
    let s_big = from_query(&[("lab", "step-size"), ("lr", "0.01"), ("lr2", "1.5")]);
    let lb = Lab::new(&s_big).unwrap();
    assert_eq!(step_size(&lb).centre_spread(), p.centre_spread());
    let shown = fact(&l, "long-run E‖w − w*‖², η₂");
    assert!(
        shows(&shown, p2),
        "the caption shows the exact value {p2}: {shown}"
    );
    assert_no_nan(&l);
}

/// Every number written in a text ("1.234", "−0.5", "2.1e-3").
fn numbers_in(text: &str) -> Vec<f64> {
    text.replace('−', "-")
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == 'e'))
        .filter_map(|w| w.trim_matches(|c| c == '.' || c == 'e').parse().ok())
        .collect()
}

/// Whether `text` shows `v` to the captions' 4 significant digits.
fn shows(text: &str, v: f64) -> bool {
    numbers_in(text)
        .iter()
        .any(|x| (x - v).abs() <= 6e-4 * v.abs())
}

#[test]
fn a_click_on_the_map_sets_the_start_point() {
    let s = lab::default_scenario("step-size").unwrap();
    let l = Lab::new(&s).unwrap();
    let (x, y) = (1.23456, -0.98765);
    let s2 = l.click("map", x, y).expect("sets w0");
    let w0 = s2.w0.clone().unwrap();
    // Rounded to 1/1000 of the box's span (≈ 11 here, so to 0.01).
    let ((x0, x1), (y0, y1)) = step_size(&l).base_box();
    let grid = 10f64.powf(((x1 - x0).max(y1 - y0).log10() - 3.0).floor());
    assert_eq!(grid, 0.01);
    assert!((w0[0] - x).abs() <= grid / 2.0 + 1e-15 && (w0[1] - y).abs() <= grid / 2.0 + 1e-15);
    assert_eq!(w0, vec![1.23, -0.99]);
    let mut rest = s2.clone();
    rest.w0 = s.w0.clone();
    assert_eq!(rest, s, "only w0 changed");
    let l2 = Lab::new(&s2).unwrap();
    let (small, large) = step_size(&l2).current_points();
    assert!(small
        .iter()
        .chain(&large)
        .all(|p| p.as_slice() == w0.as_slice()));
    // The URL carries it.
    let q = lab::to_query(&s2);
    assert!(q.contains(&("w0".to_string(), "1.23,-0.99".to_string())));
    assert!(l.click("gap", 1.0, 1.0).is_none());
    assert!(l.drag("map", (0.0, 0.0), (1.0, 1.0)).is_none());
}

#[test]
fn the_map_box_stays_fixed_and_the_heat_map_lines_up() {
    let s = lab::default_scenario("step-size").unwrap();
    let mut l = Lab::new(&s).unwrap();
    let (_, before) = svg(&l, "map", (900, 600));
    let b0 = step_size(&l).base_box();
    l.advance(300);
    let (doc, after) = svg(&l, "map", (900, 600));
    assert_eq!(before, after);
    assert_eq!(step_size(&l).base_box(), b0);
    // The box holds w0, every centre and w*.
    let ((x0, x1), (y0, y1)) = after_ranges(&after);
    let th = theory(&s.build().unwrap());
    let centres: Vec<Vec<f64>> = serde_json::from_value(th.per_sample_minimizers.unwrap()).unwrap();
    for c in centres
        .iter()
        .chain([&th.optimum.w, s.w0.as_ref().unwrap()])
    {
        assert!(c[0] > x0 && c[0] < x1 && c[1] > y0 && c[1] < y1, "{c:?}");
    }
    // Equal scales on both axes.
    let ux = (x1 - x0) / (after.plot.right - after.plot.left) as f64;
    let uy = (y1 - y0) / (after.plot.bottom - after.plot.top) as f64;
    assert!((ux / uy - 1.0).abs() < 1e-9);
    // SVG shows contour lines (coloured) on white.
    assert!(doc.matches("<polyline").count() > 20);
    let (rect, rgba) = l.heatmap("map", 900, 600, None).unwrap();
    assert_eq!(rect, after.plot);
    assert_eq!(rgba.len(), (rect.width() * rect.height() * 4) as usize);
    assert!(l.heatmap("gap", 900, 600, None).is_none());
    assert!(l.charts().iter().any(|c| c.id == "map" && c.heatmap));
}

fn after_ranges(f: &ChartFrame) -> ((f64, f64), (f64, f64)) {
    (f.x_range, f.y_range)
}

#[test]
fn step_size_divergence_says_which_path_and_why() {
    let s = from_query(&[("lab", "step-size"), ("lr2", "2.2"), ("steps", "2000")]);
    let mut l = Lab::new(&s).unwrap();
    l.advance(2000);
    let msg = l.status().diverged.expect("η₂ above 2/L_s diverges");
    // The caption and the titles do not promise a wide cloud for a step that leaves.
    let text = l.caption().text;
    assert!(
        text.contains("The larger step (η₂) is at or above 2/L_s = 2: it does not settle in a cloud, it leaves; the smaller (η₁) settles."),
        "{text}"
    );
    assert!(!text.contains("wanders in a wide cloud"), "{text}");
    assert!(svg(&l, "map", (900, 600))
        .0
        .contains("Large η₂ ≥ 2/L_s leaves the map; small η₁ settles"));
    assert!(svg(&l, "gap", (900, 600))
        .0
        .contains("Gap: large η₂ ≥ 2/L_s grows without bound"));
    assert!(
        msg.starts_with("Path ")
            && msg.contains(" of η₂ diverged at step ")
            && msg.contains("η = 2.2 is above 2/L_s = 2"),
        "{msg}"
    );
    assert!(!msg.contains("η₁"), "the small step is fine: {msg}");
    assert!(l.status().done);
    let (m1, m2) = step_size(&l).measured_spread();
    assert!(m1.is_some() && m2.is_none());
    assert_no_nan(&l);
}

#[test]
fn each_path_diverges_where_the_stand_alone_run_does() {
    // Both steps above 2/L_s = 2: every path diverges, each at the step `sgd-lab run`
    // reports for its run (the run's own limit, not one of the lab's).
    let s = from_query(&[
        ("lab", "step-size"),
        ("lr", "2.3"),
        ("lr2", "2.4"),
        ("runs", "4"),
        ("steps", "1000"),
    ]);
    let mut l = Lab::new(&s).unwrap();
    let (ls, mut drawn) = (theory(&s.build().unwrap()).smoothness, 0);
    while l.advance(7) > 0 {
        // Drawn every few steps up to the end, with iterates far off the map (up to
        // ~1e50): they are pinned to its edge, never handed to plotters.
        if drawn % 5 == 0 {
            let (doc, _) = svg(&l, "map", (600, 450));
            if l.status().t > 60 {
                assert!(
                    doc.contains("off the map (pinned to its edge)"),
                    "t = {}",
                    l.status().t
                );
            }
            svg(&l, "gap", (600, 450));
        }
        drawn += 1;
    }
    let setup = s.build().unwrap();
    let mut setup2 = setup.clone();
    setup2.scenario.method.lr = 2.4;
    let (st1, st2) = step_size(&l).stops();
    for (stops, st) in [(&st1, &setup), (&st2, &setup2)] {
        for (r, stop) in stops.iter().enumerate() {
            let alone = simulate(st, r as u64).diverged_at;
            assert!(alone.is_some());
            assert_eq!(
                *stop,
                alone,
                "path {} at η = {}",
                r + 1,
                st.scenario.method.lr
            );
        }
    }
    // The first stand-alone run of η₁ to diverge, as the message names it.
    let first = st1.iter().flatten().min().unwrap();
    assert!(
        *first > 300,
        "the real divergence, not a picture's limit: {first}"
    );
    let msg = l.status().diverged.unwrap();
    assert!(
        msg.contains(&format!("of η₁ diverged at step {first}")),
        "{msg}"
    );
    assert!(msg.contains(&format!("2/L_s = {}", 2.0 / ls)), "{msg}");
    assert_no_nan(&l);
}

#[test]
fn one_step_size_diverging_leaves_the_other_to_go_on() {
    let s = from_query(&[
        ("lab", "step-size"),
        ("lr", "0.1"),
        ("lr2", "2.5"),
        ("runs", "3"),
        ("steps", "1500"),
    ]);
    let mut l = Lab::new(&s).unwrap();
    while l.advance(100) > 0 {}
    let (st1, st2) = step_size(&l).stops();
    assert!(st1.iter().all(Option::is_none), "{st1:?}");
    assert!(st2.iter().all(Option::is_some), "{st2:?}");
    assert_eq!(l.status().t, 1500, "η₁'s paths run to the end");
    let (small, _) = step_size(&l).current_points();
    let w = step_size(&l).w_star();
    assert!(small.iter().all(|p| (p[0] - w[0]).hypot(p[1] - w[1]) < 5.0));
    let (m1, m2) = step_size(&l).measured_spread();
    assert!(m1.is_some() && m2.is_none());
}

#[test]
fn the_caption_follows_the_actual_order_of_the_steps() {
    let caption = |lr: &str, lr2: &str| {
        let s = from_query(&[
            ("lab", "step-size"),
            ("lr", lr),
            ("lr2", lr2),
            ("runs", "3"),
        ]);
        let mut l = Lab::new(&s).unwrap();
        l.advance(500);
        // The charts' titles say the same claim in the same order.
        let (map, _) = svg(&l, "map", (900, 600));
        let (gap, _) = svg(&l, "gap", (900, 600));
        let (e1, e2): (f64, f64) = (lr.parse().unwrap(), lr2.parse().unwrap());
        if e1 == e2 {
            assert!(map.contains("the same step, the same cloud"));
            assert!(gap.contains("equal steps settle alike"));
        } else {
            let (small, big) = if e1 < e2 {
                ("η₁", "η₂")
            } else {
                ("η₂", "η₁")
            };
            let m = format!("Small {small}: slow, tight cloud. Large {big}: fast, wide cloud");
            let g = format!("Gap: large {big} falls fast, settles above small {small}");
            assert!(map.contains(&m), "map title: {m}");
            assert!(gap.contains(&g), "gap title: {g}");
        }
        (l.caption().text, step_size(&l).stationary_spread())
    };
    // η₂ < η₁: the larger step is η₁; the ratio is larger over smaller (> 1).
    let (text, (p1, p2)) = caption("0.5", "0.25");
    let (p1, p2) = (p1.unwrap(), p2.unwrap());
    assert!(p1 > p2);
    assert!(
        text.contains("The larger step (η₁) arrives fast")
            && text.contains("the smaller (η₂) is slow"),
        "{text}"
    );
    assert!(!text.contains("The larger step (η₂)"), "{text}");
    let ratio = text
        .split("η₁'s cloud is ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|r| r.parse::<f64>().ok())
        .unwrap_or_else(|| panic!("no ratio in {text}"));
    assert!(
        (ratio / (p1 / p2) - 1.0).abs() < 1e-3 && ratio > 1.0,
        "{ratio} {text}"
    );
    assert!(
        text.contains("for a step 2 times as large: the cloud grows with the step"),
        "{text}"
    );
    // η₂ > η₁: the other way round.
    let (text, _) = caption("0.1", "0.5");
    assert!(text.contains("The larger step (η₂) arrives fast"), "{text}");
    assert!(
        text.contains("η₂'s cloud is ") && text.contains("for a step 5 times as large"),
        "{text}"
    );
    // η₂ = η₁: no claim about a larger step, no ratio.
    let (text, (p1, p2)) = caption("0.3", "0.3");
    assert_eq!(p1, p2);
    assert!(!text.contains("larger step ("), "{text}");
    assert!(
        !text.contains("ratio") && !text.contains("grows with the step"),
        "{text}"
    );
    assert!(text.contains("Both step sizes are equal"), "{text}");
    assert!(shows(&text, p1.unwrap()), "{text}");
}

#[test]
fn default_play_shows_the_large_step_arriving_fast_and_the_small_one_slowly() {
    // The mean iterate follows GD exactly: E e_t = (I − ηH)ᵗ e_0. "Arrived": ‖E e_t‖²
    // below the stationary spread E‖e‖² of that step (the cloud is then what is seen).
    // At the lab's default speed the small step arrives in 3–10 s of play, the large
    // one in well under a third of that.
    let s = lab::default_scenario("step-size").unwrap();
    let l = Lab::new(&s).unwrap();
    let sps = l.steps_per_second().expect("slow motion by default");
    assert!((5.0..60.0).contains(&sps), "{sps}");
    let setup = s.build().unwrap();
    let sgd_lab::problem::Problem::Quadratic(q) = &*setup.problem else {
        panic!("a quadratic")
    };
    let h = q.h().to_vec();
    let w = step_size(&l).w_star();
    let (p1, p2) = step_size(&l).stationary_spread();
    let (e1, e2) = step_size(&l).step_sizes();
    let arrival = |eta: f64, p: f64| -> u64 {
        let mut e = [setup.w0[0] - w[0], setup.w0[1] - w[1]];
        for t in 0..100_000 {
            if e[0] * e[0] + e[1] * e[1] <= p {
                return t;
            }
            e = [
                e[0] - eta * (h[0] * e[0] + h[1] * e[1]),
                e[1] - eta * (h[2] * e[0] + h[3] * e[1]),
            ];
        }
        panic!("never arrives")
    };
    let (t1, t2) = (arrival(e1, p1.unwrap()), arrival(e2, p2.unwrap()));
    let (s1, s2) = (t1 as f64 / sps, t2 as f64 / sps);
    assert!(
        (3.0..=10.0).contains(&s1),
        "small step arrives after {t1} steps = {s1} s"
    );
    assert!(s2 < s1 / 3.0, "large step {s2} s, small {s1} s");
    // The default run is long enough to see the small step's cloud after it arrives.
    assert!(s.steps >= 2 * t1, "{} steps, arrival at {t1}", s.steps);
}

#[test]
fn a_tight_cloud_the_map_would_shrink_to_a_dot_gets_a_zoomed_inset() {
    // η₂ = 1.9 widens the map to the large cloud (sd ≈ 4.2); η₁'s cloud (sd ≈ 0.24)
    // would be a few pixels across: the map adds an inset around w*, magnified.
    let texts_of = |lr2: &str| {
        let s = from_query(&[("lab", "step-size"), ("lr2", lr2), ("runs", "3")]);
        let mut l = Lab::new(&s).unwrap();
        l.advance(300);
        let (doc, f) = svg(&l, "map", (900, 600));
        (l, doc, f)
    };
    let (l, doc, f) = texts_of("1.9");
    let (p1, _) = step_size(&l).stationary_spread();
    let label = doc
        .split("cloud, ×")
        .nth(1)
        .unwrap_or_else(|| panic!("no inset label"));
    let factor: f64 = label.split('<').next().unwrap().trim().parse().unwrap();
    // The inset is 38 % of the plot's shorter side and shows about w* ± 4 sd: its
    // factor is that side over 8 sd in the map's pixels, rounded.
    let ppu = (f.plot.right - f.plot.left) as f64 / (f.x_range.1 - f.x_range.0);
    let side = 0.38 * ((f.plot.right - f.plot.left).min(f.plot.bottom - f.plot.top)) as f64;
    let want = side / (8.0 * p1.unwrap().sqrt()) / ppu;
    assert!(
        (factor - want).abs() <= 0.5 && factor >= 3.0,
        "×{factor}, want {want}"
    );
    // At the defaults (η₂ = 0.9) both clouds are seen on the map: no inset.
    let (_, doc, _) = texts_of("0.9");
    assert!(!doc.contains("cloud, ×"));
}

#[test]
fn at_a_high_condition_number_the_paths_stay_on_the_map() {
    // κ = 50 and 100 tilt and stretch the contours: GD's way in leaves the box of w0
    // and w* (it did at κ = 50: 853 of 60 000 points off the map). Every point of 10
    // paths per step over 3000 steps stays in the box.
    for kappa in ["50", "100"] {
        let s = from_query(&[
            ("lab", "step-size"),
            ("kappa", kappa),
            ("runs", "10"),
            ("steps", "3000"),
        ]);
        let mut l = Lab::new(&s).unwrap();
        let ((x0, x1), (y0, y1)) = step_size(&l).base_box();
        let mut outside = 0;
        while l.advance(1) > 0 {
            let (a, b) = step_size(&l).current_points();
            outside += a
                .iter()
                .chain(&b)
                .filter(|w| !(w[0] > x0 && w[0] < x1 && w[1] > y0 && w[1] < y1))
                .count();
        }
        assert_eq!(outside, 0, "κ = {kappa}");
    }
}

#[test]
fn long_plays_keep_memory_bounded() {
    let s = from_query(&[("lab", "step-size"), ("runs", "10"), ("steps", "20000")]);
    let mut l = Lab::new(&s).unwrap();
    let mut total = 0;
    while total < 20_000 {
        total += l.advance(997);
    }
    assert_eq!(l.status().t, 20_000);
    assert!(step_size(&l).recorded_points() <= 4096);
    let (_, f) = svg(&l, "gap", (800, 500));
    assert_eq!(f.x_range, (0.0, 20_000.0));
}

#[test]
fn step_size_charts_name_their_lines_directly_not_in_a_legend_over_the_data() {
    // Rule 8: no legend box on either chart; each step size is named by a label in its
    // colour, and the dashed levels by their own.
    let s = from_query(&[("lab", "step-size"), ("runs", "3")]);
    let mut l = Lab::new(&s).unwrap();
    l.advance(300);
    let (map, _) = svg(&l, "map", (900, 600));
    let (gap, _) = svg(&l, "gap", (900, 600));
    for doc in [&map, &gap] {
        assert!(doc.contains("η₂ = 0.9") && doc.contains("η₁ = 0.1"));
        assert!(!doc.contains("(3 paths)") && !doc.contains("mean over paths"));
    }
    assert!(map.contains("per-sample minimisers") && !map.contains("contours of L"));
    assert!(gap.contains("η₂ settles (theory)") && gap.contains("η₁ settles (theory)"));
    // At the defaults η₂'s cloud is clearly the wider: its sd at least 3 times η₁'s.
    let (p1, p2) = step_size(&l).stationary_spread();
    assert!(p2.unwrap().sqrt() >= 3.0 * p1.unwrap().sqrt());
}
