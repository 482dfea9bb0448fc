//! Arrows (a quiver) over a chart frame that `map::draw` or `line::draw` laid out: a
//! shaft from a point and a head at its tip, in data coordinates, clipped to the plot.

use super::ChartFrame;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, PathElement, RGBColor};
use plotters::style::Color;

/// One arrow from `from` to `from + delta`, `px` pixels thick.
#[derive(Clone, Copy, Debug)]
pub struct Arrow {
    pub from: (f64, f64),
    pub delta: (f64, f64),
    pub color: RGBColor,
    pub px: u32,
}

/// Draws `arrows` (a head of about 3 + 2 × thickness pixels; none on an arrow shorter
/// than its head). Arrows whose points are not numbers are skipped.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &ChartFrame,
    arrows: &[Arrow],
) -> Result<(), String> {
    let base = area.get_base_pixel();
    let p = &frame.plot;
    let clip = |(x, y): (f64, f64)| {
        (
            (x.clamp(p.left as f64 - 1e4, p.right as f64 + 1e4).round() as i32) - base.0,
            (y.clamp(p.top as f64 - 1e4, p.bottom as f64 + 1e4).round() as i32) - base.1,
        )
    };
    let inside = |(x, y): (f64, f64)| {
        x >= p.left as f64 && x <= p.right as f64 && y >= p.top as f64 && y <= p.bottom as f64
    };
    for a in arrows {
        let tip = (a.from.0 + a.delta.0, a.from.1 + a.delta.1);
        let (Some(s), Some(e)) = (frame.pixel(a.from.0, a.from.1), frame.pixel(tip.0, tip.1))
        else {
            continue;
        };
        if !inside(s) && !inside(e) {
            continue;
        }
        let style = a.color.stroke_width(a.px);
        area.draw(&PathElement::new(vec![clip(s), clip(e)], style))
            .map_err(|e| format!("drawing the chart failed: {e}"))?;
        let (dx, dy) = (e.0 - s.0, e.1 - s.1);
        let len = (dx * dx + dy * dy).sqrt();
        let head = 3.0 + 2.0 * a.px as f64;
        if len < head || !inside(e) {
            continue;
        }
        let (ux, uy) = (dx / len, dy / len);
        for side in [-1.0, 1.0] {
            // 30° either side of the shaft, pointing back.
            let (c, s30) = (0.866, 0.5 * side);
            let bx = -(ux * c - uy * s30) * head;
            let by = -(uy * c + ux * s30) * head;
            area.draw(&PathElement::new(
                vec![clip(e), clip((e.0 + bx, e.1 + by))],
                style,
            ))
            .map_err(|e| format!("drawing the chart failed: {e}"))?;
        }
    }
    Ok(())
}
