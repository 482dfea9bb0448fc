//! The charts of `per-sample`: the parabolas, the data and the loss gap.

use super::PerSample;
use crate::chart::line::{self, Band, LineChart, LineStyle, Series};
use crate::chart::per_sample::{self as ps_chart, PerSampleChart};
use crate::chart::{auto_text_px, palette, AxisScale, ChartFrame, LegendPos};
use crate::lab::gap_chart;
use crate::lab::knob::fmt_number;
use crate::lab::numbers::num;
use plotters::coord::Shift;
use plotters::prelude::{Circle, DrawingArea, DrawingBackend, RGBColor};
use plotters::style::Color;

impl PerSample {
    pub(super) fn draw_parabolas<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let trail = &self.trail[..self.trail_len];
        ps_chart::draw(
            area,
            &PerSampleChart {
                title: "Each sample's loss ½(x_i w − y_i)² and their average L(w)",
                x_label: "w",
                y_label: "loss",
                xs: &self.xs,
                ys: &self.ys,
                sgd: Some(self.sgd_w()),
                used: &self.used,
                gd: Some(self.gd_w()),
                trail,
                w_range: Some(self.w_range),
                loss_range: Some(self.loss_range),
                legend: LegendPos::Auto,
                text_px,
            },
        )
    }

    pub(super) fn draw_data<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let ((x0, x1), (y0, y1)) = self.data_box;
        let (a, b) = self.zone;
        // The zone as the wedge of lines through the origin with slopes a … b.
        let k = 64;
        let gx: Vec<f64> = (0..=k)
            .map(|j| x0 + (x1 - x0) * j as f64 / k as f64)
            .collect();
        let lo: Vec<f64> = gx.iter().map(|x| (a * x).min(b * x)).collect();
        let hi: Vec<f64> = gx.iter().map(|x| (a * x).max(b * x)).collect();
        let ends = [x0, x1];
        let star: Vec<f64> = ends.iter().map(|x| self.w_star * x).collect();
        let w = self.sgd_w();
        let now: Vec<f64> = ends.iter().map(|x| w * x).collect();
        // The samples as tiny invisible-under-the-dot segments (so the legend avoids
        // them); the dots are drawn on top below.
        let dx = (x1 - x0) * 0.004;
        let mut sx = Vec::with_capacity(self.xs.len() * 3);
        let mut sy = Vec::with_capacity(self.xs.len() * 3);
        for (x, y) in self.xs.iter().zip(&self.ys) {
            sx.extend([x - dx, x + dx, *x]);
            sy.extend([*y, *y, f64::NAN]);
        }
        let star_label = format!("y = w* x, w* = {} (the fit GD finds)", num(self.w_star));
        let now_label = format!("y = w_t x, SGD now (w_t = {})", num(w));
        let series = [
            Series::new("", &sy, LineStyle::Bold, palette::BLUE).with_x(&sx),
            Series::new(&star_label, &star, LineStyle::Dashed, palette::INK).with_x(&ends),
            Series::new(&now_label, &now, LineStyle::Bold, palette::VERMILLION).with_x(&ends),
        ];
        let bands = [Band {
            label: "zone: slopes from min w*_i to max w*_i",
            x: Some(&gx),
            lo: &lo,
            hi: &hi,
            color: palette::ORANGE,
        }];
        let frame = line::draw(
            area,
            &LineChart {
                title: "The data: each dot is a sample (x_i, y_i)",
                x_label: "x (input)",
                y_label: "y (target)",
                y_scale: AxisScale::Linear,
                series: &series,
                bands: &bands,
                x_range: Some((x0, x1)),
                y_range: Some((y0, y1)),
                cursor: None,
                legend: LegendPos::Auto,
                text_px,
            },
        )?;
        // The dots, on top; the sample SGD just used in the SGD colour.
        let (w_px, h_px) = area.dim_in_pixel();
        let unit = auto_text_px(w_px, h_px).clamp(7.0, 120.0) / 20.0;
        let r = (4.5 * unit).round().max(3.0) as i32;
        let ring = unit.round().max(1.0) as i32;
        let base = area.get_base_pixel();
        let dot = |i: usize, color: RGBColor, r: i32| -> Result<(), String> {
            let Some((px, py)) = frame.pixel(self.xs[i], self.ys[i]) else {
                return Ok(());
            };
            if !frame.contains(px, py) {
                return Ok(());
            }
            let c = (px.round() as i32 - base.0, py.round() as i32 - base.1);
            area.draw(&Circle::new(c, r + ring, palette::WHITE.filled()))
                .and_then(|_| area.draw(&Circle::new(c, r, color.filled())))
                .map_err(|e| format!("drawing the chart failed: {e}"))
        };
        for i in 0..self.xs.len() {
            if !self.used.contains(&i) {
                dot(i, palette::BLUE, r)?;
            }
        }
        for &i in &self.used {
            if i < self.xs.len() {
                dot(i, palette::VERMILLION, r + ring)?;
            }
        }
        Ok(frame)
    }

    pub(super) fn draw_gap<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let steps = self.setup.scenario.steps as f64;
        let ends = [0.0, steps];
        let zone_line = [self.zone_gap; 2];
        let stat_line = [self.stationary_gap.unwrap_or(f64::NAN); 2];
        let sgd_label = format!("SGD, η = {}", fmt_number(self.setup.scenario.method.lr));
        let mut series = vec![
            Series::new(
                &sgd_label,
                &self.sgd.hist.gap,
                LineStyle::Bold,
                palette::VERMILLION,
            )
            .with_x(&self.sgd.hist.t),
            Series::new(
                "GD, same step",
                &self.gd.hist.gap,
                LineStyle::Bold,
                palette::BLUISH_GREEN,
            )
            .with_x(&self.gd.hist.t),
        ];
        if self.zone_gap > 0.0 {
            series.push(gap_chart::level(
                "largest gap inside the zone",
                &zone_line,
                &ends,
                palette::ORANGE,
            ));
        }
        if self.stationary_gap.is_some_and(|g| g > 0.0) {
            series.push(gap_chart::level(
                "SGD's long-run mean gap (theory)",
                &stat_line,
                &ends,
                palette::INK,
            ));
        }
        gap_chart::draw(area, &series, steps, self.gap_range, self.t(), text_px)
    }
}
