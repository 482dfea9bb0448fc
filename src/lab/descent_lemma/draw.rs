//! The descent-lemma lab's three charts: the loss with the current w (and its last
//! steps) over the zone of confusion; one bar per sample for the change one step on it
//! makes (blue: the loss falls, vermillion: it rises) with the mean and the lemma's
//! bound drawn across; the mean change and the bound against w over the zone.

use super::DescentLemma;
use crate::chart::bars::{self, Bar};
use crate::chart::labels::{self, EndLabel};
use crate::chart::line::{self, Band, LineChart, LineStyle, Series};
use crate::chart::{palette, AxisScale, ChartFrame, LegendPos};
use plotters::coord::Shift;
use plotters::prelude::{Circle, DrawingArea, DrawingBackend};
use plotters::style::Color;

/// A change that lowers the loss, and one that raises it (Okabe–Ito blue and
/// vermillion: told apart with any colour vision, and by the side of zero).
pub const HELPS: plotters::prelude::RGBColor = palette::BLUE;
pub const HURTS: plotters::prelude::RGBColor = palette::VERMILLION;

/// Iterates before the current one drawn as a fading trail.
const TRAIL: usize = 8;

fn err(e: impl std::fmt::Display) -> String {
    format!("drawing the chart failed: {e}")
}

impl DescentLemma {
    pub(super) fn draw_loss<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let p = &*self.setup.problem;
        let (a, b) = self.w_range;
        let xs: Vec<f64> = (0..=300).map(|k| a + (b - a) * k as f64 / 300.0).collect();
        let ys: Vec<f64> = xs.iter().map(|&w| p.gap(&[w])).collect();
        let top = self.gap_max * 1.08;
        let zone_x = [self.zone.0, self.zone.1];
        let (zero2, top2) = ([0.0, 0.0], [top, top]);
        let bands = [Band {
            label: "",
            x: Some(&zone_x),
            lo: &zero2,
            hi: &top2,
            color: palette::SKY_BLUE,
        }];
        let series = [Series::new("", &ys, LineStyle::Bold, palette::INK).with_x(&xs)];
        let frame = line::draw(
            area,
            &LineChart {
                title: "L(w) − L*: drag the point to move w",
                x_label: "w",
                y_label: "L(w) − L*",
                y_scale: AxisScale::Linear,
                x_scale: AxisScale::Linear,
                series: &series,
                bands: &bands,
                x_range: Some(self.w_range),
                y_range: Some((0.0, top)),
                cursor: Some(self.theory.optimum.w[0]),
                legend: LegendPos::Hidden,
                text_px,
            },
        )?;
        let base = area.get_base_pixel();
        let (wpx, hpx) = area.dim_in_pixel();
        let r = (crate::chart::auto_text_px(wpx, hpx) / 2.5).clamp(4.0, 12.0) as i32;
        let rel = |(x, y): (f64, f64)| (x.round() as i32 - base.0, y.round() as i32 - base.1);
        let n = self.ws.len();
        for (k, &w) in self.ws[n.saturating_sub(TRAIL + 1)..n - 1]
            .iter()
            .enumerate()
        {
            if let Some(px) = frame.pixel(w, p.gap(&[w])) {
                let alpha = 0.15 + 0.5 * (k + 1) as f64 / (TRAIL + 1) as f64;
                area.draw(&Circle::new(rel(px), r / 2 + 1, HELPS.mix(alpha).filled()))
                    .map_err(err)?;
            }
        }
        let w = self.w();
        let gap = p.gap(&[w]);
        let mut ends = vec![
            EndLabel {
                text: "zone of confusion".into(),
                at: (self.zone.0, top * 0.97),
                color: palette::INK_SOFT,
            },
            EndLabel {
                text: "w*".into(),
                at: (self.theory.optimum.w[0], top * 0.05),
                color: palette::INK_SOFT,
            },
        ];
        if let Some(px) = frame.pixel(w, gap.min(top)) {
            area.draw(&Circle::new(rel(px), r, HELPS.filled()))
                .map_err(err)?;
            area.draw(&Circle::new(rel(px), r, palette::WHITE.stroke_width(2)))
                .map_err(err)?;
            ends.push(EndLabel {
                text: format!("w_{}", self.t()),
                at: (w, gap.min(top)),
                color: HELPS,
            });
        }
        labels::draw(area, &frame, &ends, text_px)?;
        Ok(frame)
    }

    pub(super) fn draw_changes<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let c = self.current_changes();
        let n = c.len();
        let (mean, bound) = self.mean_and_bound(self.w());
        let bound = bound.map(|b| b.0);
        let big = c
            .iter()
            .chain(std::iter::once(&mean))
            .chain(bound.iter())
            .fold(0.0f64, |m, v| m.max(v.abs()))
            .max(1e-12);
        let y_range = (-1.15 * big, 1.15 * big);
        let frame = line::draw(
            area,
            &LineChart {
                title: "Change of L after one step on sample i",
                x_label: "sample i",
                y_label: "L(w − η∇l_i(w)) − L(w)",
                y_scale: AxisScale::Linear,
                x_scale: AxisScale::Linear,
                series: &[],
                bands: &[],
                x_range: Some((0.0, n as f64 + 1.0)),
                y_range: Some(y_range),
                cursor: None,
                legend: LegendPos::Hidden,
                text_px,
            },
        )?;
        let list: Vec<Bar> = c
            .iter()
            .enumerate()
            .map(|(i, &y)| Bar {
                x: (i + 1) as f64,
                y,
                color: if y > 0.0 { HURTS } else { HELPS },
            })
            .collect();
        bars::draw(area, &frame, &list, 0.7)?;
        bars::level(area, &frame, 0.0, palette::INK_SOFT, 1, false)?;
        bars::level(area, &frame, mean, palette::INK, 3, false)?;
        let x_end = n as f64 + 1.0;
        // The bound (never below the mean) named first, so that the mean's name is
        // the one pushed down when the two meet.
        let mut ends = Vec::new();
        if let Some(b) = bound.filter(|_| crate::chart::theory_shown()) {
            bars::level(area, &frame, b, palette::INK_SOFT, 2, true)?;
            ends.push(EndLabel {
                text: "the lemma's bound".into(),
                at: (x_end, b),
                color: palette::INK_SOFT,
            });
        }
        ends.push(EndLabel {
            text: "mean: the expected change".into(),
            at: (x_end, mean),
            color: palette::INK,
        });
        labels::draw(area, &frame, &ends, text_px)?;
        Ok(frame)
    }

    pub(super) fn draw_expected<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let (a, b) = self.near_range;
        let xs: Vec<f64> = (0..=200).map(|k| a + (b - a) * k as f64 / 200.0).collect();
        let pts: Vec<(f64, Option<(f64, f64)>)> =
            xs.iter().map(|&w| self.mean_and_bound(w)).collect();
        let mean: Vec<f64> = pts.iter().map(|p| p.0).collect();
        let bound: Vec<f64> = pts.iter().map(|p| p.1.map_or(f64::NAN, |b| b.0)).collect();
        // Where the mean change is positive: shaded (one band per run of such w).
        let (lo_y, hi_y) = self.expected_range;
        let mut spans: Vec<(f64, f64)> = Vec::new();
        for (k, &m) in mean.iter().enumerate() {
            if m > 0.0 {
                match spans.last_mut() {
                    Some(s) if s.1 == xs[k.saturating_sub(1)] => s.1 = xs[k],
                    _ => spans.push((xs[k], xs[k])),
                }
            }
        }
        let span_x: Vec<[f64; 2]> = spans.iter().map(|s| [s.0, s.1]).collect();
        let (los, his) = ([0.0, 0.0], [hi_y, hi_y]);
        let bands: Vec<Band> = span_x
            .iter()
            .map(|x| Band {
                label: "",
                x: Some(x),
                lo: &los,
                hi: &his,
                color: super::draw::HURTS,
            })
            .collect();
        let zero = [0.0, 0.0];
        let ends_x = [a, b];
        let series = [
            Series::new("", &zero, LineStyle::Faint, palette::INK_SOFT).with_x(&ends_x),
            Series::new("", &mean, LineStyle::Bold, palette::INK).with_x(&xs),
            Series::new("", &bound, LineStyle::Dashed, palette::INK_SOFT)
                .with_x(&xs)
                .theory(),
        ];
        let w = self.w();
        let frame = line::draw(
            area,
            &LineChart {
                title: "Expected change of L against w: positive near w*",
                x_label: "w (over the zone of confusion)",
                y_label: "expected change",
                y_scale: AxisScale::Linear,
                x_scale: AxisScale::Linear,
                series: &series,
                bands: &bands,
                x_range: Some((a, b)),
                y_range: Some((lo_y, hi_y)),
                cursor: (w >= a && w <= b).then_some(w),
                legend: LegendPos::Hidden,
                text_px,
            },
        )?;
        let last = xs.len() - 1;
        let mut ends = vec![EndLabel {
            text: "mean change".into(),
            at: (xs[last], mean[last]),
            color: palette::INK,
        }];
        if bound[last].is_finite() {
            ends.push(EndLabel {
                text: "lemma's bound".into(),
                at: (xs[last], bound[last]),
                color: palette::INK_SOFT,
            });
        }
        if let Some(s) = spans.first() {
            ends.push(EndLabel {
                text: "loss rises on average".into(),
                at: ((s.0 + s.1) / 2.0, hi_y * 0.9),
                color: HURTS,
            });
        }
        labels::draw(area, &frame, &ends, text_px)?;
        Ok(frame)
    }
}
