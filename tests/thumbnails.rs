#![cfg(not(target_arch = "wasm32"))]
//! The landing page's pictures (`sgd-lab thumbs`, `lab::thumbnail`): each built lab's
//! main chart at its defaults at the end, drawn by the lab's own code. Checked here:
//! the recording loses nothing of the chart but its text (replayed, it is byte for
//! byte the chart drawn straight on plotters' SVG backend), the thumbnail's lines,
//! areas and markers are the chart's (shifted to the plot area), it has no text, its
//! lines are thicker, and the command line writes exactly these files.

use plotters::prelude::*;
use sgd_lab::chart::thumb::{full_svg, kept, Color, Op, Stroke, THICKER};
use sgd_lab::chart::PixelRect;
use sgd_lab::lab::{self, registry, thumbnail, Lab};
use std::collections::HashSet;
use std::process::Command;

/// The lab as the browser shows it at its defaults: work done, played to the end.
fn lab_at_end(id: &str) -> Lab {
    let mut l = Lab::new(&lab::default_scenario(id).unwrap()).unwrap();
    while l.work(1000) < 1.0 {}
    while l.status().t < l.status().steps && l.advance(u32::MAX) > 0 {}
    l
}

/// Chart `chart` of `l` drawn straight on an SVG of `size`, laid out for `text_px`.
fn direct_svg(l: &Lab, chart: &str, size: (u32, u32), text_px: f64) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        l.draw(chart, &root, Some(text_px)).unwrap();
        root.present().unwrap();
    }
    svg
}

/// `svg` without its `<text …>…</text>` elements.
fn without_text(svg: &str) -> String {
    let mut out = String::new();
    let mut rest = svg;
    while let Some(a) = rest.find("<text") {
        out.push_str(&rest[..a]);
        let b = rest[a..].find("</text>").expect("a text element ends") + a + "</text>".len();
        rest = rest[b..].strip_prefix('\n').unwrap_or(&rest[b..]);
    }
    out.push_str(rest);
    out
}

/// The value of attribute `name` in one SVG element's text.
fn attr<'a>(el: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let a = el.find(&key)? + key.len();
    Some(&el[a..a + el[a..].find('"')?])
}

fn points(s: &str) -> Vec<(i32, i32)> {
    s.split_whitespace()
        .map(|p| {
            let (x, y) = p.split_once(',').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect()
}

/// Every element of kind `tag` (polyline, polygon, circle) as its geometry shifted by
/// `shift` (consecutive repeated points merged) and its colour attributes.
fn shapes(svg: &str, tag: &str, shift: (i32, i32)) -> Vec<String> {
    svg.lines()
        .filter(|l| l.starts_with(&format!("<{tag} ")))
        .map(|el| {
            let colour = format!(
                "{:?} {:?} {:?}",
                attr(el, "stroke"),
                attr(el, "fill"),
                attr(el, "opacity")
            );
            let geometry = match tag {
                "circle" => {
                    let n = |k| attr(el, k).unwrap().parse::<i32>().unwrap();
                    format!("{},{} r{}", n("cx") + shift.0, n("cy") + shift.1, n("r"))
                }
                _ => {
                    let mut p: Vec<(i32, i32)> = points(attr(el, "points").unwrap())
                        .into_iter()
                        .map(|(x, y)| (x + shift.0, y + shift.1))
                        .collect();
                    p.dedup();
                    format!("{p:?}")
                }
            };
            format!("{geometry} {colour}")
        })
        .collect()
}

#[test]
fn every_built_lab_has_a_picture_of_one_of_its_charts_and_no_other_lab_has_one() {
    for l in registry::LABS {
        assert_eq!(l.ready, l.thumb.is_some(), "{}", l.id);
        if let Some(t) = l.thumb {
            let charts: Vec<&str> = lab_at_end(l.id).charts().iter().map(|c| c.id).collect();
            assert!(
                charts.contains(&t.chart),
                "{}: {} not in {charts:?}",
                l.id,
                t.chart
            );
            assert!(
                t.alt.len() > 60 && !t.alt.contains("NaN"),
                "{}: {}",
                l.id,
                t.alt
            );
        } else {
            assert!(thumbnail::thumbnail(l.id)
                .err()
                .unwrap()
                .contains("has no picture"));
        }
    }
    assert!(thumbnail::thumbnail("nope").is_err());
}

#[test]
fn the_thumbnail_is_the_core_drawing_of_the_chart_at_the_end_cropped_without_text_with_thicker_lines(
) {
    let all = thumbnail::all().unwrap();
    let ids: Vec<&str> = all.iter().map(|t| t.id).collect();
    assert_eq!(ids, registry::ready_ids().collect::<Vec<_>>());
    for t in &all {
        let l = lab_at_end(t.id);
        assert_eq!(t.t, l.status().t, "{}: drawn at the end", t.id);
        assert_eq!(
            t.t,
            l.status().steps,
            "{}: the defaults run to the end",
            t.id
        );
        // The recording is the drawing: replayed, it is the chart drawn on plotters'
        // SVG backend at the same size, byte for byte, less the text.
        let direct = direct_svg(&l, t.chart, t.area, thumbnail::TEXT_PX);
        assert!(direct.contains("<text"), "{}: the chart has text", t.id);
        assert_eq!(
            full_svg(&t.ops, t.area).unwrap(),
            without_text(&direct),
            "{}",
            t.id
        );

        // The picture: the plot area, about 240×160, no text.
        let head = format!(
            "<svg width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\"",
            t.plot.width(),
            t.plot.height(),
            t.plot.width(),
            t.plot.height()
        );
        assert!(t.svg.starts_with(&head), "{}: {}", t.id, &t.svg[..80]);
        let (w, h) = (t.plot.width() as i32, t.plot.height() as i32);
        assert!(
            (230..=250).contains(&w) && (150..=170).contains(&h),
            "{}: {w}×{h}",
            t.id
        );
        assert!(!t.svg.contains("<text"), "{}: no text", t.id);

        // Every line, area and marker of the picture is one of the chart's, moved by
        // the plot area's corner; the colours are the chart's.
        let shift = (t.plot.left, t.plot.top);
        let mut drawn = 0;
        for tag in ["polyline", "polygon", "circle"] {
            let chart: HashSet<String> = shapes(&direct, tag, (0, 0)).into_iter().collect();
            for s in shapes(&t.svg, tag, shift) {
                assert!(
                    chart.contains(&s),
                    "{}: {tag} {s} is not in the chart",
                    t.id
                );
                drawn += 1;
            }
        }
        assert!(drawn >= 5, "{}: only {drawn} shapes", t.id);

        // Each line one pixel thicker than the chart's, but the light grey grid's.
        let widths = |svg: &str, shift: (i32, i32)| -> Vec<(String, u32)> {
            let lines: Vec<&str> = svg
                .lines()
                .filter(|l| l.starts_with("<polyline "))
                .collect();
            let keys = shapes(svg, "polyline", shift);
            lines
                .iter()
                .zip(keys)
                .map(|(l, k)| (k, attr(l, "stroke-width").unwrap().parse().unwrap()))
                .collect()
        };
        let chart_widths: std::collections::HashMap<String, u32> =
            widths(&direct, (0, 0)).into_iter().collect();
        let mut thicker = 0;
        for (k, w) in widths(&t.svg, shift) {
            let grey = k.contains("\"#E1E1E1\"") || k.contains("\"#F2F2F2\"");
            let want = chart_widths[&k] + if grey { 0 } else { THICKER };
            assert_eq!(w, want, "{}: {k}", t.id);
            thicker += usize::from(!grey);
        }
        assert!(THICKER >= 1 && thicker > 0, "{}: it has lines", t.id);
    }
}

#[test]
fn legends_label_boxes_texts_and_what_lies_outside_the_plot_are_left_out() {
    let plot = PixelRect {
        left: 20,
        top: 10,
        right: 220,
        bottom: 150,
    };
    let white = |alpha| Stroke {
        color: Color {
            rgb: (255, 255, 255),
            alpha,
        },
        width: 1,
    };
    let blue = Stroke {
        color: Color {
            rgb: (0, 114, 178),
            alpha: 1.0,
        },
        width: 2,
    };
    let data = Op::Path(vec![(20, 150), (120, 60), (220, 20)], blue);
    let ops = vec![
        data.clone(),
        // A tick label under the plot, and a tick mark outside it.
        Op::Text((30, 160)),
        Op::Line((20, 151), (20, 156), blue),
        // A legend: its box, its border, a swatch and a label.
        Op::Rect((150, 15), (215, 40), white(0.88), true),
        Op::Rect((150, 15), (215, 40), blue, false),
        Op::Line((155, 25), (170, 25), blue),
        Op::Text((175, 25)),
        // The map's zoomed inset: a white box with data in it but no text: kept.
        Op::Rect((25, 100), (70, 145), white(0.94), true),
        Op::Circle((40, 120), 3, blue, true),
    ];
    let k = kept(&ops, &plot);
    assert_eq!(
        k,
        vec![
            data,
            Op::Rect((25, 100), (70, 145), white(0.94), true),
            Op::Circle((40, 120), 3, blue, true),
        ]
    );
}

#[test]
fn sgd_lab_thumbs_writes_every_picture() {
    let dir = std::env::temp_dir().join(format!("sgd-lab-thumbs-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    let out = Command::new(env!("CARGO_BIN_EXE_sgd-lab"))
        .args(["thumbs", "--out", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    let mut want: Vec<String> = registry::ready_ids()
        .map(|id| format!("{id}.svg"))
        .collect();
    want.sort();
    assert_eq!(files, want);
    for t in thumbnail::all().unwrap() {
        let written = std::fs::read_to_string(dir.join(format!("{}.svg", t.id))).unwrap();
        assert_eq!(written, t.svg, "{}", t.id);
    }
    std::fs::remove_dir_all(&dir).ok();

    let bad = Command::new(env!("CARGO_BIN_EXE_sgd-lab"))
        .args(["thumbs", "somewhere"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&bad.stderr).trim(),
        "sgd-lab: thumbs takes --out DIR (the directory to write <lab>.svg to), got \"somewhere\""
    );
}
