//! Direct labels (TEACHING.md, rule 8): a line's name written beside its end, in its
//! colour, instead of a legend that covers data. Labels that would overlap are pushed
//! apart vertically, and every label stays inside the plot area.

use super::{auto_text_px, ChartFrame};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, RGBColor, Rectangle, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, IntoFont};

/// One label: its text, the data point it names (a line's end), and its colour.
#[derive(Clone, Debug)]
pub struct EndLabel {
    pub text: String,
    pub at: (f64, f64),
    pub color: RGBColor,
}

/// Where each label goes, in backend pixels: (left x, baseline y) of its text box, for
/// labels of `size` pixels in `frame`'s plot area. Labels whose point cannot be placed
/// (a gap ≤ 0 on a log axis, a non-number) get `None`.
pub fn place(frame: &ChartFrame, labels: &[EndLabel], size: f64) -> Vec<Option<(i32, i32)>> {
    let p = &frame.plot;
    let line = (size * 1.2).ceil() as i32;
    let pad = (size * 0.4).ceil() as i32;
    let mut spots: Vec<(usize, i32, i32)> = Vec::new();
    for (k, l) in labels.iter().enumerate() {
        let Some((px, py)) = frame.pixel(l.at.0, l.at.1) else {
            continue;
        };
        if !(px.is_finite() && py.is_finite()) {
            continue;
        }
        let w = text_width(&l.text, size);
        let (px, py) = (px.clamp(-1e6, 1e6) as i32, py.clamp(-1e6, 1e6) as i32);
        // Right of the point when there is room, else left of it; inside the plot.
        let x = if px + pad + w <= p.right - 2 {
            px + pad
        } else {
            px - pad - w
        };
        let x = x.clamp(p.left + 2, (p.right - w - 2).max(p.left + 2));
        // The baseline a little below the point's height, so the text is centred on it.
        spots.push((k, x, py + line / 3));
    }
    // Push apart: top to bottom, each at least one line below the previous; then back
    // up from the bottom edge if the stack ran out of the plot.
    spots.sort_by_key(|s| s.2);
    let (top, bottom) = (p.top + line, p.bottom - 2);
    for i in 0..spots.len() {
        let min = if i == 0 { top } else { spots[i - 1].2 + line };
        spots[i].2 = spots[i].2.max(min);
    }
    for i in (0..spots.len()).rev() {
        let max = if i + 1 == spots.len() {
            bottom
        } else {
            spots[i + 1].2 - line
        };
        spots[i].2 = spots[i].2.min(max);
    }
    let mut out = vec![None; labels.len()];
    for (k, x, y) in spots {
        out[k] = Some((x, y));
    }
    out
}

/// Width of `text` at `size` pixels, as the charts estimate it (sans-serif).
pub fn text_width(text: &str, size: f64) -> i32 {
    (text.chars().count() as f64 * 0.56 * size).ceil() as i32
}

/// The label text size for a chart drawn on `area` with `text_px`.
pub fn label_px<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, text_px: Option<f64>) -> f64 {
    let (w, h) = area.dim_in_pixel();
    0.85 * text_px
        .filter(|f| f.is_finite() && *f > 0.0)
        .unwrap_or_else(|| auto_text_px(w, h).clamp(7.0, 120.0))
}

/// Draws `labels` beside their points on a chart that `frame` describes (drawn on
/// `area`), each on a translucent white box so that it reads over lines.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &ChartFrame,
    labels: &[EndLabel],
    text_px: Option<f64>,
) -> Result<(), String> {
    let size = label_px(area, text_px);
    let base = area.get_base_pixel();
    let fail = |e: String| format!("drawing the chart failed: {e}");
    // The labels of theory lines a lesson hides go with their lines (an empty text
    // is no label).
    let kept: Vec<EndLabel> = labels
        .iter()
        .filter(|l| !l.text.is_empty() && !super::plot::is_hidden_label(l.at, l.color))
        .cloned()
        .collect();
    let labels = &kept[..];
    for l in labels {
        super::probe::name(&l.text, l.color); // (hover readouts: a line's name)
    }
    for (l, spot) in labels.iter().zip(place(frame, labels, size)) {
        let Some((x, y)) = spot else { continue };
        let (x, y) = (x - base.0, y - base.1);
        let w = text_width(&l.text, size);
        area.draw(&Rectangle::new(
            [(x - 2, y - size as i32 - 1), (x + w + 2, y + 3)],
            plotters::style::WHITE.mix(0.8).filled(),
        ))
        .map_err(|e| fail(e.to_string()))?;
        let style = ("sans-serif", size)
            .into_font()
            .color(&l.color)
            .pos(Pos::new(HPos::Left, VPos::Bottom));
        area.draw(&Text::new(l.text.clone(), (x, y), style))
            .map_err(|e| fail(e.to_string()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{AxisScale, PixelRect};

    fn frame() -> ChartFrame {
        ChartFrame {
            plot: PixelRect {
                left: 50,
                top: 10,
                right: 450,
                bottom: 310,
            },
            x_range: (0.0, 100.0),
            y_range: (1e-4, 1.0),
            y_scale: AxisScale::Log,
            x_scale: AxisScale::Linear,
        }
    }

    fn label(text: &str, at: (f64, f64)) -> EndLabel {
        EndLabel {
            text: text.into(),
            at,
            color: plotters::style::BLACK,
        }
    }

    #[test]
    fn labels_at_one_point_are_stacked_inside_the_plot_without_overlap() {
        let size = 12.0;
        let line = (size * 1.2f64).ceil() as i32;
        // Five lines ending at the same point, at the plot's bottom edge.
        let labels: Vec<EndLabel> = (0..5)
            .map(|k| label(&format!("v{k}"), (100.0, 1e-4)))
            .collect();
        let spots: Vec<(i32, i32)> = place(&frame(), &labels, size)
            .into_iter()
            .flatten()
            .collect();
        assert_eq!(spots.len(), 5);
        let mut ys: Vec<i32> = spots.iter().map(|s| s.1).collect();
        ys.sort();
        for w in ys.windows(2) {
            assert!(w[1] - w[0] >= line, "{ys:?}");
        }
        assert!(*ys.last().unwrap() <= 308 && ys[0] >= 10 + line, "{ys:?}");
        // At the right edge, the text goes to the left of the point and stays inside.
        for (x, _) in &spots {
            assert!(*x >= 52 && x + text_width("v0", size) <= 448, "{x}");
        }
        // A point with no place on a log axis gets no label.
        assert_eq!(
            place(&frame(), &[label("zero", (5.0, 0.0))], size),
            vec![None]
        );
    }

    #[test]
    fn a_lone_label_sits_beside_its_point() {
        let spots = place(&frame(), &[label("SGD", (50.0, 1e-2))], 10.0);
        let (x, y) = spots[0].unwrap();
        // x = 50 is pixel 250; y = 1e-2 is half-way up: pixel 160.
        assert_eq!(x, 250 + 4);
        assert!((160..=166).contains(&y), "{y}");
    }
}
