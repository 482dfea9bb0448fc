//! Bars and horizontal levels over a chart frame that `line::draw` laid out: a bar
//! per item from 0 to its value (the descent lemma's change per sample), and levels
//! drawn on top of them (a mean, a bound), solid or dashed.

use super::{probe, ChartFrame};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, PathElement, RGBColor, Rectangle};
use plotters::style::Color;

/// One bar: centred at `x`, from 0 to `y`, in `color`.
#[derive(Clone, Copy, Debug)]
pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub color: RGBColor,
}

fn err(e: impl std::fmt::Display) -> String {
    format!("drawing the chart failed: {e}")
}

/// Draws `bars`, each `width` data units wide, clipped to the plot area.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &ChartFrame,
    bars: &[Bar],
    width: f64,
) -> Result<(), String> {
    let base = area.get_base_pixel();
    let p = &frame.plot;
    let (y_lo, y_hi) = frame.y_range;
    let zero = 0.0f64.clamp(y_lo.min(y_hi), y_lo.max(y_hi));
    // Under a probe: the bar under the pointer, named by the y axis.
    if let Some(((x, _), probed)) = probe::pointer().filter(|(_, f)| f == frame) {
        if let Some(b) = bars.iter().find(|b| (x - b.x).abs() <= width / 2.0) {
            probe::add(probe::Row::value(
                probe::y_label().unwrap_or_default(),
                b.color,
                (b.x, b.y),
                probed.pixel(b.x, b.y),
            ));
        }
    }
    for b in bars {
        let y = b.y.clamp(y_lo.min(y_hi), y_lo.max(y_hi));
        let (Some((x0, y0)), Some((x1, y1))) = (
            frame.pixel(b.x - width / 2.0, zero),
            frame.pixel(b.x + width / 2.0, y),
        ) else {
            continue;
        };
        let clamp_x = |v: f64| (v.round() as i32).clamp(p.left, p.right);
        let clamp_y = |v: f64| (v.round() as i32).clamp(p.top, p.bottom);
        let (l, r) = (clamp_x(x0), clamp_x(x1).max(clamp_x(x0) + 1));
        let (t, btm) = (clamp_y(y0.min(y1)), clamp_y(y0.max(y1)));
        area.draw(&Rectangle::new(
            [
                (l - base.0, t - base.1),
                (r - base.0, btm.max(t + 1) - base.1),
            ],
            b.color.filled(),
        ))
        .map_err(err)?;
    }
    Ok(())
}

/// A horizontal level at `y` across the plot area, `px` pixels thick, dashed or not.
pub fn level<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &ChartFrame,
    y: f64,
    color: RGBColor,
    px: u32,
    dashed: bool,
) -> Result<(), String> {
    let base = area.get_base_pixel();
    let p = &frame.plot;
    let Some((_, py)) = frame.pixel(frame.x_range.0, y) else {
        return Ok(());
    };
    let py = py.round() as i32;
    if py < p.top || py > p.bottom {
        return Ok(());
    }
    let style = color.stroke_width(px);
    let seg = if dashed { 8 } else { p.right - p.left };
    let mut x = p.left;
    while x < p.right {
        let end = (x + seg).min(p.right);
        area.draw(&PathElement::new(
            vec![(x - base.0, py - base.1), (end - base.0, py - base.1)],
            style,
        ))
        .map_err(err)?;
        x += if dashed { 2 * seg - 2 } else { seg };
    }
    Ok(())
}
