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

/// One line of [`draw_means`]: a mean over runs and its band (empty slices: none).
pub(crate) struct MeanCurve<'a> {
    pub label: &'a str,
    pub color: RGBColor,
    pub mean: &'a [f64],
    pub band: (&'a [f64], &'a [f64]),
}

/// Means with their bands against `xs`, each drawn up to point `upto` − 1 (the step
/// shown) and named at its end, over a fixed x range 0 … `x_max` and `y_range` (log),
/// with an optional dashed `level` (name, value) across the chart, named at its end:
/// the gap chart of the labs that draw their own (epochs, momentum).
#[allow(clippy::too_many_arguments)]
pub(crate) fn draw_means<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    x_label: &str,
    xs: &[f64],
    x_max: f64,
    y_range: (f64, f64),
    curves: &[MeanCurve],
    upto: usize,
    level: Option<(&str, f64)>,
    text_px: Option<f64>,
) -> Result<ChartFrame, String> {
    use crate::chart::labels::{self, EndLabel};
    use crate::chart::line::Band;
    use crate::chart::palette;
    let level_x = [0.0, x_max];
    let level_y = level.map(|(_, v)| [v, v]);
    let mut series = Vec::new();
    let mut bands = Vec::new();
    let mut ends = Vec::new();
    if let (Some((name, v)), Some(y)) = (level, &level_y) {
        series.push(
            Series::new("", y, LineStyle::Dashed, palette::INK_SOFT)
                .with_x(&level_x)
                .theory(),
        );
        ends.push(EndLabel {
            text: name.to_string(),
            at: (x_max, v),
            color: palette::INK_SOFT,
        });
    }
    for c in curves {
        let upto = upto.min(c.mean.len()).min(xs.len());
        if upto == 0 {
            continue;
        }
        let (lo, hi) = c.band;
        if !lo.is_empty() {
            let k = lo.len().min(hi.len()).min(upto);
            bands.push(Band {
                label: "",
                x: Some(&xs[..k]),
                lo: &lo[..k],
                hi: &hi[..k],
                color: c.color,
            });
        }
        series.push(
            Series::new(c.label, &c.mean[..upto], LineStyle::Bold, c.color).with_x(&xs[..upto]),
        );
        ends.push(EndLabel {
            text: c.label.to_string(),
            at: (xs[upto - 1], c.mean[upto - 1]),
            color: c.color,
        });
    }
    let frame = line::draw(
        area,
        &LineChart {
            title,
            x_label,
            y_label: "L(w_t) − L*",
            y_scale: AxisScale::Log,
            x_scale: AxisScale::Linear,
            series: &series,
            bands: &bands,
            x_range: Some((0.0, x_max)),
            y_range: Some(y_range),
            cursor: None,
            legend: LegendPos::Hidden,
            text_px,
        },
    )?;
    labels::draw(area, &frame, &ends, text_px)?;
    Ok(frame)
}
