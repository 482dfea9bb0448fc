//! expected-loss's chart: the faint runs, the band over all runs, the mean (bold), the
//! exact expectation, and the bound's floor, geometric term and their sum, each named
//! at its end (no legend on the data).

use super::text::geometric;
use super::ExpectedLoss;
use crate::chart::labels::{self, EndLabel};
use crate::chart::line::{self, Band, LineChart, LineStyle, Series};
use crate::chart::{palette, AxisScale, ChartFrame, LegendPos};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

/// How far above the start the axis reaches: a mean that climbs past it (a step too
/// large) leaves the chart at the top, where its label says so.
const HEADROOM: f64 = 1e3;

pub(super) fn gap<DB: DrawingBackend>(
    el: &ExpectedLoss,
    area: &DrawingArea<DB, Shift>,
    text_px: Option<f64>,
) -> Result<ChartFrame, String> {
    let steps = el.setup.scenario.steps as usize;
    let ens = el.ens();
    let len = ens.complete_len();
    let upto = ((el.t as usize) + 1).min(len);
    let mean = ens.gap_stats().mean(len);
    let kept = ens.kept();
    let (lo, hi) = el.track.band(0, upto);
    let mut series: Vec<Series> = kept[..el.shown.min(kept.len())]
        .iter()
        .map(|tr| {
            Series::new(
                "",
                &tr.gap[..upto.min(tr.gap.len())],
                LineStyle::Faint,
                palette::SKY_BLUE,
            )
        })
        .collect();
    let mut ends: Vec<EndLabel> = Vec::new();
    let bound = el.theory.bound.as_ref();
    let exact = el.exact.as_ref().ok().filter(|e| !e.is_empty());
    // The theory lines are known in advance: drawn over every step from the start.
    let xs: Vec<f64> = (0..=steps).map(|t| t as f64).collect();
    let floor_line: Vec<f64>;
    let geo_line: Vec<f64>;
    if let Some(b) = bound {
        floor_line = vec![b.floor; steps + 1];
        geo_line = (0..=steps)
            .map(|t| geometric(b.rate, b.initial_gap, t))
            .collect();
    } else {
        floor_line = Vec::new();
        geo_line = Vec::new();
    }
    // The gap at w0 is known before any run is computed (the mean is empty then).
    let gap0 = Some(el.theory.initial_gap)
        .filter(|g| g.is_finite() && *g > 0.0)
        .or(mean.first().copied())
        .unwrap_or(1.0)
        .max(1e-300);
    // The range: from a little under the lowest level that matters (the floor, the
    // exact level, the band's lower edge, the mean) to a little over the start.
    let mut low = f64::INFINITY;
    for v in [
        bound.map(|b| b.floor),
        el.exact_floor,
        exact.and_then(|e| e.last().copied()),
    ]
    .into_iter()
    .flatten()
    {
        low = low.min(v);
    }
    for v in mean.iter().chain(lo.iter()) {
        if *v > 0.0 && v.is_finite() {
            low = low.min(*v);
        }
    }
    if !low.is_finite() {
        low = gap0 * 1e-6;
    }
    // Never above the start (a diverging exact expectation ends far above it).
    let low = (low.min(gap0) / 3.0).max(gap0 * 1e-14);
    let top_data = mean
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(gap0, f64::max);
    let high = (top_data * 2.0).min(gap0 * HEADROOM).max(gap0 * 3.0);
    let y_range = (low, high);

    if let Some(b) = bound {
        series.push(
            Series::new("", &floor_line, LineStyle::Dashed, palette::REDDISH_PURPLE)
                .with_x(&xs)
                .theory(),
        );
        series.push(
            Series::new("", &geo_line, LineStyle::Dashed, palette::BLUISH_GREEN)
                .with_x(&xs)
                .theory(),
        );
        series.push(
            Series::new("", &b.curve, LineStyle::Dashed, palette::VERMILLION)
                .with_x(&xs)
                .theory(),
        );
        // The floor named at the left, where it is alone; the sum at the right end.
        ends.push(EndLabel {
            text: "floor η L_s M/(2m)".into(),
            at: (steps as f64 * 0.02, b.floor),
            color: palette::REDDISH_PURPLE,
        });
        ends.push(EndLabel {
            text: "bound = floor + geometric".into(),
            at: (steps as f64, b.curve[steps.min(b.curve.len() - 1)]),
            color: palette::VERMILLION,
        });
        // The geometric term: at its end if still in frame, else where it leaves it.
        let exit = geo_line
            .iter()
            .position(|v| *v < low * 1.5)
            .unwrap_or(steps);
        let at_t = exit.min(steps);
        ends.push(EndLabel {
            text: "geometric (1 − ηm)^t (L(w₀) − L*)".into(),
            at: (at_t as f64, geo_line[at_t].max(low * 1.5)),
            color: palette::BLUISH_GREEN,
        });
    }
    if let Some(e) = exact {
        series.push(
            Series::new("", e, LineStyle::Dashed, palette::INK)
                .with_x(&xs[..e.len().min(xs.len())])
                .theory(),
        );
        // At its end, or where it leaves the chart (an expectation that diverges).
        let last = e.len().min(xs.len()) - 1;
        let at = match e.iter().position(|v| *v > high) {
            Some(k) => (k as f64, high / 1.5),
            None => (last as f64, e[last]),
        };
        ends.push(EndLabel {
            text: "exact E[L(w_t)] − L*".into(),
            at,
            color: palette::INK,
        });
    }
    let bands = [Band {
        label: "",
        x: None,
        lo: &lo,
        hi: &hi,
        color: palette::SKY_BLUE,
    }];
    if upto > 0 {
        series.push(Series::new(
            "",
            &mean[..upto],
            LineStyle::Bold,
            palette::BLUE,
        ));
        let end = upto - 1;
        let (label, at) = match mean[..upto].iter().position(|v| *v > high) {
            Some(k) => (
                format!("mean leaves the chart at step {k}"),
                (k as f64, high / 1.5),
            ),
            None => (
                format!("mean of {} runs", ens.runs_done()),
                (end as f64, mean[end]),
            ),
        };
        ends.push(EndLabel {
            text: label,
            at,
            color: palette::BLUE,
        });
    }
    let frame = line::draw(
        area,
        &LineChart {
            title: "The mean of many runs stays under the lecture's bound",
            x_label: "step t",
            y_label: "L(w_t) − L*",
            y_scale: AxisScale::Log,
            series: &series,
            bands: &bands,
            x_range: Some((0.0, steps.max(1) as f64)),
            y_range: Some(y_range),
            cursor: Some(el.t as f64),
            legend: LegendPos::Hidden,
            text_px,
            x_scale: AxisScale::Linear,
        },
    )?;
    labels::draw(area, &frame, &ends, text_px)?;
    Ok(frame)
}
