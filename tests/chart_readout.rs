//! Hover readouts (`Lab::readout`, src/chart/probe.rs): the values under the pointer
//! are the lab's own numbers (decay's means against its CSV, cell for cell), the
//! pointer's coordinates are the frame's, every chart of every lab answers on its plot
//! area and nothing off it, and a map reports each path's current iterate.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use sgd_lab::lab::{self, Lab};
use support::{computed, csv_cells, svg};

const SIZE: (u32, u32) = (800, 500);

#[test]
fn decay_s_readout_is_its_csv() {
    let mut l = computed(&[("lab", "decay")]);
    let steps = l.status().steps;
    l.advance(steps as u32);
    let (_, frame) = svg(&l, "gap", SIZE);
    // mean_gap by (variant, step), from the CSV the page exports.
    let csv = l.csv();
    let mut lines = csv.lines();
    let head = csv_cells(lines.next().unwrap());
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let (cv, cs, cm) = (col("variant"), col("step"), col("mean_gap"));
    let rows: Vec<Vec<String>> = lines.map(csv_cells).collect();
    let variants: Vec<String> = l
        .scenario()
        .variants()
        .iter()
        .map(|v| v.label.clone())
        .collect();
    let mean = |v: usize, t: u64| -> f64 {
        let r = rows
            .iter()
            .find(|r| r[cv] == variants[v] && r[cs] == t.to_string())
            .unwrap();
        r[cm].parse().unwrap()
    };
    let mid_y = (frame.plot.top + frame.plot.bottom) as f64 / 2.0;
    for t in [3u64, 40, 700, steps] {
        let (px, _) = frame.pixel(t as f64, 1.0).unwrap();
        let r = l.readout("gap", SIZE, None, (px, mid_y)).unwrap();
        assert_eq!(r.x_label, "step t");
        assert!(r.log_x && r.log_y);
        let bold: Vec<_> = r
            .rows
            .iter()
            .filter(|row| !row.label.contains('∝'))
            .collect();
        assert_eq!(bold.len(), 5, "t = {t}: {:?}", r.rows);
        for (v, row) in bold.iter().enumerate() {
            assert!(row
                .label
                .starts_with(variants[v].split(':').next().unwrap()));
            assert_eq!(row.x, t as f64, "{}", row.label);
            assert_eq!(row.y, Some(mean(v, t)), "{} at t = {t}", row.label);
            let (qx, qy) = frame.pixel(t as f64, mean(v, t)).unwrap();
            assert_eq!(row.px, Some((qx, qy)));
            assert!(!row.point);
        }
    }
    // The dashed 1/t reference, read where the pointer is, is c/t on log–log axes.
    let (px, _) = frame.pixel(100.0, 1.0).unwrap();
    let r = l.readout("gap", SIZE, None, (px, mid_y)).unwrap();
    let reference = r.rows.iter().find(|row| row.label.contains('∝')).unwrap();
    let c = mean(3, steps) * steps as f64;
    assert!((reference.x - 100.0).abs() < 1e-6, "{reference:?}");
    let ratio = reference.y.unwrap() * reference.x / c;
    assert!((ratio - 1.0).abs() < 1e-9, "{ratio}");
    // Only what is drawn is read: at step 10 of the animation, step 700 is not there
    // yet, and the nearest drawn point is step 10.
    l.reset();
    l.advance(10);
    let (_, frame) = svg(&l, "gap", SIZE);
    let (px, _) = frame.pixel(700.0, 1.0).unwrap();
    let r = l.readout("gap", SIZE, None, (px, mid_y)).unwrap();
    assert!(r.rows.len() >= 5);
    for (v, row) in r.rows.iter().take(5).enumerate() {
        assert_eq!((row.x, row.y), (10.0, Some(mean(v, 10))));
    }
}

#[test]
fn every_chart_reads_its_pointer_and_nothing_off_the_plot() {
    let mut missing = Vec::new();
    for entry in lab::registry::LABS {
        let mut l = Lab::new(&lab::default_scenario(entry.id).unwrap()).unwrap();
        while l.work(100_000) < 1.0 {}
        l.advance(25);
        for c in l.charts() {
            let (_, f) = svg(&l, c.id, SIZE);
            let p = f.plot;
            let at = (
                p.left as f64 + 0.37 * (p.right - p.left) as f64,
                p.top as f64 + 0.61 * (p.bottom - p.top) as f64,
            );
            let Some(r) = l.readout(c.id, SIZE, None, at) else {
                missing.push(format!("{} {}", entry.id, c.id));
                continue;
            };
            let (x, y) = f.coord(at.0, at.1).unwrap();
            assert_eq!((r.x, r.y), (x, y), "{} {}", entry.id, c.id);
            assert_eq!(r.plot, (p.left, p.top, p.right, p.bottom));
            for row in &r.rows {
                assert!(!row.label.is_empty());
                assert!(row.x.is_finite(), "{} {}: {row:?}", entry.id, c.id);
                if let (Some(y), Some(px)) = (row.y, row.px) {
                    let q = f.pixel(row.x, y).unwrap();
                    assert!((q.0 - px.0).abs() < 1e-9 && (q.1 - px.1).abs() < 1e-9);
                }
            }
            assert_eq!(
                l.readout(c.id, SIZE, None, (1.0, 1.0)),
                None,
                "{} {}",
                entry.id,
                c.id
            );
        }
    }
    assert!(
        missing.is_empty(),
        "no readout inside the plot: {missing:?}"
    );
}

/// Lines named by direct labels rather than a legend (rule 8) are named by them in the
/// readout: expected-loss's mean and its four theory curves.
#[test]
fn lines_with_direct_labels_are_read_by_their_label() {
    let mut l = computed(&[("lab", "expected-loss")]);
    l.advance(l.status().steps as u32);
    let (_, f) = svg(&l, "gap", SIZE);
    let p = f.plot;
    let at = (
        p.left as f64 + 0.6 * (p.right - p.left) as f64,
        (p.top + p.bottom) as f64 / 2.0,
    );
    let r = l.readout("gap", SIZE, None, at).unwrap();
    let labels: Vec<&str> = r.rows.iter().map(|row| row.label.as_str()).collect();
    for want in ["mean of", "exact E[L(w_t)]", "bound", "floor", "geometric"] {
        assert!(
            labels.iter().any(|l| l.contains(want)),
            "{want} not in {labels:?}"
        );
    }
    assert_eq!(labels.len(), 5, "{labels:?}");
}

#[test]
fn a_map_reads_each_path_s_current_iterate() {
    let mut l = computed(&[("lab", "step-size")]);
    l.advance(30);
    let (_, f) = svg(&l, "map", SIZE);
    let p = f.plot;
    let at = (
        (p.left + p.right) as f64 / 2.0,
        (p.top + p.bottom) as f64 / 2.0,
    );
    let r = l.readout("map", SIZE, None, at).unwrap();
    let points: Vec<_> = r.rows.iter().filter(|row| row.point).collect();
    assert!(!points.is_empty(), "{:?}", r.rows);
    // η₁'s first run's iterate at step 30, from the CSV.
    let csv = l.csv();
    let mut lines = csv.lines();
    let head = csv_cells(lines.next().unwrap());
    let col = |name: &str| head.iter().position(|h| h == name);
    let (Some(cs), Some(w0), Some(w1)) = (col("step"), col("w0"), col("w1")) else {
        panic!("step-size CSV header: {head:?}");
    };
    let row30 = lines
        .map(csv_cells)
        .find(|r| r[cs] == "30" && col("run").map_or(true, |k| r[k] == "0"))
        .unwrap();
    let w: (f64, f64) = (row30[w0].parse().unwrap(), row30[w1].parse().unwrap());
    let small = points.iter().find(|r| r.label.starts_with("η₁")).unwrap();
    assert_eq!((small.x, small.y), (w.0, Some(w.1)));
    assert!(points.iter().any(|r| r.label.starts_with("η₂")));
}

/// Charts drawn by a lab's own code read their values too: descent-lemma's bar under
/// the pointer is that sample's change of L in the lab's CSV; per-sample's average
/// L(w) at the pointer's w is the data's mean loss there.
#[test]
fn bars_and_parabolas_read_their_values() {
    let mut l = computed(&[("lab", "descent-lemma")]);
    l.advance(12);
    let (_, f) = svg(&l, "changes", SIZE);
    let csv = l.csv();
    let mut lines = csv.lines();
    let head = csv_cells(lines.next().unwrap());
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let rows: Vec<Vec<String>> = lines.map(csv_cells).collect();
    let mid_y = (f.plot.top + f.plot.bottom) as f64 / 2.0;
    for sample in [1usize, 7, 20] {
        let (px, _) = f.pixel(sample as f64, 0.0).unwrap();
        let r = l.readout("changes", SIZE, None, (px, mid_y)).unwrap();
        let bar = &r.rows[0];
        assert_eq!(bar.label, r.y_label);
        let want: f64 = rows
            .iter()
            // (bars are drawn at 1 … n; the CSV counts samples from 0)
            .find(|c| c[col("sample")] == (sample - 1).to_string() && c[col("step")] == "12")
            .map(|c| c[col("loss_change")].parse().unwrap())
            .unwrap();
        assert_eq!(
            (bar.x, bar.y),
            (sample as f64, Some(want)),
            "sample {sample}"
        );
    }

    let mut l = computed(&[("lab", "per-sample")]);
    l.advance(5);
    let problem = l.scenario().build().unwrap().problem;
    let (_, f) = svg(&l, "parabolas", SIZE);
    for frac in [0.2, 0.5, 0.8] {
        let at = (
            f.plot.left as f64 + frac * (f.plot.right - f.plot.left) as f64,
            (f.plot.top + f.plot.bottom) as f64 / 2.0,
        );
        let r = l.readout("parabolas", SIZE, None, at).unwrap();
        let avg = r
            .rows
            .iter()
            .find(|row| row.label == "average L(w)")
            .unwrap();
        let want = problem.loss(&[r.x]);
        assert!(
            (avg.y.unwrap() - want).abs() <= 1e-9 * want.abs().max(1.0),
            "L({}) = {want}, read {:?}",
            r.x,
            avg.y
        );
        assert!(r.rows.iter().any(|row| row.label.ends_with("(just used)")));
    }
}
