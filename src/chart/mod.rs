//! Charts, drawn with plotters on any backend: a `<canvas>` in the browser
//! (`plotters_canvas::CanvasBackend`), SVG on the command line (`SVGBackend`).
//!
//! One module per chart, each with one `draw(area, &spec) -> Result<ChartFrame, String>`:
//! - [`line`]: several series against the step (or gradient evaluations), y on a log
//!   axis (loss gaps) or linear (step sizes), with faint / bold / dashed styles and an
//!   optional spread band;
//! - [`per_sample`]: 1-D least squares, every sample's parabola, the average, the zone
//!   of confusion and the SGD and GD iterates;
//! - [`map`]: a 2-D problem's contour lines (and, in the browser, a heat map under
//!   them) with trajectories, per-sample minimisers and w*.
//!
//! A chart takes plain data (slices and the small spec structs of its module) and owns
//! nothing. It never panics: a drawing error comes back as `Err(String)`. The
//! [`ChartFrame`] it returns maps a mouse pixel back to data coordinates
//! ([`ChartFrame::coord`]). Sizes (text, lines, markers) scale with the drawing area,
//! or with `text_px` when the caller knows the device pixel ratio.
//!
//! Nothing here knows the web: the browser passes its own `DrawingArea`.

// Comparisons are written so that NaN fails them (`!(a < b)` is true for NaN).
#![allow(clippy::neg_cmp_op_on_partial_ord)]

pub mod any_backend;
pub mod arrows;
pub mod bars;
pub mod contour;
mod geom;
pub use geom::{power_of_ten, times_ten};
pub mod heatmap;
pub mod labels;
pub mod line;
pub mod map;
pub mod palette;
pub mod per_sample;
mod plot;
pub mod probe;
pub mod strip;
/// Native only: thumbnails are written as SVG at build time.
#[cfg(not(target_arch = "wasm32"))]
pub mod thumb;

pub use plot::{auto_text_px, theory_shown, with_print, with_theory};

#[cfg(test)]
mod test_util;

/// A rectangle of backend pixels, both ends inclusive: the plot area spans columns
/// `left..=right` and rows `top..=bottom` of the canvas (or SVG).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PixelRect {
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
}

impl PixelRect {
    pub fn width(&self) -> u32 {
        (self.right - self.left + 1).max(0) as u32
    }
    pub fn height(&self) -> u32 {
        (self.bottom - self.top + 1).max(0) as u32
    }
}

/// How an axis maps data to position.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AxisScale {
    #[default]
    Linear,
    /// Base-10 logarithmic; values ≤ 0 or non-finite are not drawn.
    Log,
}

/// Where a chart puts its legend (always inside the plot area, on a white box).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LegendPos {
    /// The corner that covers the fewest drawn points (upper right on ties).
    #[default]
    Auto,
    UpperRight,
    UpperLeft,
    LowerRight,
    LowerLeft,
    /// No legend.
    Hidden,
}

/// What a chart drew where: the plot area's pixel rectangle and the data ranges at its
/// edges, enough to turn a mouse position into data coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartFrame {
    /// The plot area in backend pixels (absolute on the canvas, also when the chart
    /// was drawn into a sub-area).
    pub plot: PixelRect,
    /// Data x at `plot.left` and at `plot.right` (data units also on a log axis).
    pub x_range: (f64, f64),
    /// Data y at `plot.bottom` and at `plot.top` (data units also on a log axis).
    pub y_range: (f64, f64),
    pub y_scale: AxisScale,
    pub x_scale: AxisScale,
}

impl ChartFrame {
    fn x_plot_range(&self) -> (f64, f64) {
        match self.x_scale {
            AxisScale::Linear => self.x_range,
            AxisScale::Log => (libm::log10(self.x_range.0), libm::log10(self.x_range.1)),
        }
    }

    fn y_plot_range(&self) -> (f64, f64) {
        match self.y_scale {
            AxisScale::Linear => self.y_range,
            AxisScale::Log => (libm::log10(self.y_range.0), libm::log10(self.y_range.1)),
        }
    }

    /// Data coordinates of backend pixel (px, py), or `None` outside the plot area.
    /// In the browser, multiply the mouse's CSS offset by `canvas.width /
    /// canvas.clientWidth` (the device pixel ratio) before calling this.
    pub fn coord(&self, px: f64, py: f64) -> Option<(f64, f64)> {
        let r = &self.plot;
        if !(px.is_finite() && py.is_finite()) {
            return None;
        }
        let inside = px >= r.left as f64 - 0.5
            && px <= r.right as f64 + 0.5
            && py >= r.top as f64 - 0.5
            && py <= r.bottom as f64 + 0.5;
        if !inside || r.right <= r.left || r.bottom <= r.top {
            return None;
        }
        let fx = ((px - r.left as f64) / (r.right - r.left) as f64).clamp(0.0, 1.0);
        let fy = ((r.bottom as f64 - py) / (r.bottom - r.top) as f64).clamp(0.0, 1.0);
        let (x0, x1) = self.x_plot_range();
        let x = x0 + fx * (x1 - x0);
        let x = match self.x_scale {
            AxisScale::Linear => x,
            AxisScale::Log => libm::pow(10.0, x),
        };
        let (y0, y1) = self.y_plot_range();
        let y = y0 + fy * (y1 - y0);
        let y = match self.y_scale {
            AxisScale::Linear => y,
            AxisScale::Log => libm::pow(10.0, y),
        };
        Some((x, y))
    }

    /// Backend pixel of data point (x, y) (not rounded; may lie outside the plot area),
    /// or `None` when y cannot be placed on the axis (≤ 0 on a log axis, non-finite).
    pub fn pixel(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let r = &self.plot;
        let yp = match self.y_scale {
            AxisScale::Linear => y,
            AxisScale::Log if y > 0.0 => libm::log10(y),
            AxisScale::Log => return None,
        };
        let xp = match self.x_scale {
            AxisScale::Linear => x,
            AxisScale::Log if x > 0.0 => libm::log10(x),
            AxisScale::Log => return None,
        };
        if !(xp.is_finite() && yp.is_finite()) {
            return None;
        }
        let (y0, y1) = self.y_plot_range();
        let (x0, x1) = self.x_plot_range();
        let fx = (xp - x0) / (x1 - x0);
        let fy = (yp - y0) / (y1 - y0);
        Some((
            r.left as f64 + fx * (r.right - r.left) as f64,
            r.bottom as f64 - fy * (r.bottom - r.top) as f64,
        ))
    }

    /// Whether backend pixel (px, py) is inside the plot area.
    pub fn contains(&self, px: f64, py: f64) -> bool {
        self.coord(px, py).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(scale: AxisScale) -> ChartFrame {
        ChartFrame {
            plot: PixelRect {
                left: 100,
                top: 20,
                right: 700,
                bottom: 420,
            },
            x_range: (0.0, 300.0),
            x_scale: AxisScale::Linear,
            y_range: match scale {
                AxisScale::Linear => (-1.0, 1.0),
                AxisScale::Log => (1e-4, 10.0),
            },
            y_scale: scale,
        }
    }

    #[test]
    fn coord_and_pixel_are_inverse() {
        for scale in [AxisScale::Linear, AxisScale::Log] {
            let f = frame(scale);
            for (px, py) in [(100.0, 420.0), (700.0, 20.0), (333.3, 111.1)] {
                let (x, y) = f.coord(px, py).unwrap();
                let (qx, qy) = f.pixel(x, y).unwrap();
                assert!((qx - px).abs() < 1e-9 && (qy - py).abs() < 1e-9);
            }
            assert_eq!(f.coord(99.0, 200.0), None);
            assert_eq!(f.coord(300.0, 421.0), None);
        }
        assert_eq!(frame(AxisScale::Log).pixel(1.0, 0.0), None);
    }
}
