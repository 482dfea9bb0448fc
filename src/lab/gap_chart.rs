//! The loss-gap chart as `per-sample`, `step-size` and `decay` draw it: L(w_t) − L* on a log
//! axis over all steps, a fixed y range, the current step marked, and dashed levels
//! that the theory predicts.

use crate::chart::line::{self, LineChart, LineStyle, Series};
use crate::chart::{AxisScale, ChartFrame, LegendPos};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, RGBColor};

/// A dashed horizontal line at height `y` (both entries equal) between the steps
/// `ends` (0 and the last step).
pub(super) fn level<'a>(
    label: &'a str,
    y: &'a [f64; 2],
    ends: &'a [f64; 2],
    color: RGBColor,
) -> Series<'a> {
    Series::new(label, y, LineStyle::Dashed, color).with_x(ends)
}

/// Draws `series` as the loss gap over steps 0 … `steps` (at least 1) with the y range
/// `gap_range`, a cursor at step `t`, a title of the lab's own (the claim the chart
/// shows) and the legend where `legend` says ([`LegendPos::Hidden`] when the lines
/// are labelled directly).
#[allow(clippy::too_many_arguments)]
pub(super) fn draw_titled<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    series: &[Series],
    steps: f64,
    gap_range: (f64, f64),
    t: u64,
    text_px: Option<f64>,
    legend: LegendPos,
) -> Result<ChartFrame, String> {
    line::draw(
        area,
        &LineChart {
            title,
            x_label: "step t",
            y_label: "L(w_t) − L*",
            y_scale: AxisScale::Log,
            series,
            x_range: Some((0.0, steps.max(1.0))),
            y_range: Some(gap_range),
            cursor: Some(t as f64),
            legend,
            text_px,
            ..Default::default()
        },
    )
}
