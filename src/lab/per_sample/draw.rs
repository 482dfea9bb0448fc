//! The charts of `per-sample`: the parabolas, the data and the loss gap.

use super::PerSample;
use crate::chart::labels::{self, EndLabel};
use crate::chart::line::{self, Band, LineChart, LineStyle, Series};
use crate::chart::per_sample::{self as ps_chart, PerSampleChart};
use crate::chart::{auto_text_px, palette, AxisScale, ChartFrame, LegendPos};
use crate::lab::gap_chart;
use crate::lab::knob::fmt_number;
use crate::lab::numbers::num;
use plotters::coord::Shift;
use plotters::prelude::{Circle, DrawingArea, DrawingBackend, RGBColor, Rectangle, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, IntoFont};

/// Text size of the direct labels on a chart of this area.
fn label_px<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, text_px: Option<f64>) -> f64 {
    let (w, h) = area.dim_in_pixel();
    0.8 * text_px
        .filter(|f| f.is_finite() && *f > 0.0)
        .unwrap_or_else(|| auto_text_px(w, h).clamp(7.0, 120.0))
}

/// A direct label at data point (x, y), `dy` pixels above it, kept inside the plot
/// area (`h` horizontal anchor). Nothing when the point is not a number.
#[allow(clippy::too_many_arguments)]
fn label<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &ChartFrame,
    at: (f64, f64),
    dy: i32,
    text: &str,
    color: RGBColor,
    size: f64,
    h: HPos,
) -> Result<(), String> {
    let Some((px, py)) = frame.pixel(at.0, at.1) else {
        return Ok(());
    };
    if !(px.is_finite() && py.is_finite()) {
        return Ok(());
    }
    let base = area.get_base_pixel();
    let p = &frame.plot;
    let w = (text.chars().count() as f64 * 0.56 * size) as i32;
    let (lo, hi) = match h {
        HPos::Left => (p.left + 2, p.right - w - 2),
        HPos::Right => (p.left + w + 2, p.right - 2),
        HPos::Center => (p.left + w / 2 + 2, p.right - w / 2 - 2),
    };
    let (px, py) = (px.clamp(-1e6, 1e6), py.clamp(-1e6, 1e6));
    let x = (px.round() as i32).clamp(lo.min(hi), hi.max(lo));
    let (ya, yb) = (p.top + size as i32, p.bottom - 2);
    let y = (py.round() as i32 - dy).clamp(ya.min(yb), yb.max(ya));
    let style = ("sans-serif", size)
        .into_font()
        .color(&color)
        .pos(Pos::new(h, VPos::Bottom));
    area.draw(&Text::new(
        text.to_string(),
        (x - base.0, y - base.1),
        style,
    ))
    .map_err(|e| format!("drawing the chart failed: {e}"))
}

impl PerSample {
    pub(super) fn draw_parabolas<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let trail = &self.trail[self.trail_len.saturating_sub(super::SHORT_TRAIL)..self.trail_len];
        let frame = ps_chart::draw(
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
                legend: LegendPos::Hidden,
                text_px,
            },
        )?;
        self.iterate_labels(area, &frame, text_px)?;
        Ok(frame)
    }

    /// Direct labels in place of a legend: the zone above its shading, the average L
    /// at its right end, w* under its star, SGD and GD above their dots (with their w
    /// when they are pinned to the edge of the view).
    fn iterate_labels<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        frame: &ChartFrame,
        text_px: Option<f64>,
    ) -> Result<(), String> {
        let size = label_px(area, text_px);
        let (x0, x1) = frame.x_range;
        let (y0, y1) = frame.y_range;
        let (a, b) = self.zone;
        let l = |w: f64| self.setup.problem.loss(&[w]);
        let dy = (1.2 * size) as i32;
        if b > a {
            let text = if (b - a) / (x1 - x0) > 0.3 {
                "zone of confusion"
            } else {
                "zone"
            };
            label(
                area,
                frame,
                (0.5 * (a + b), y1),
                -(size as i32) - 2,
                text,
                palette::INK_SOFT,
                size,
                HPos::Center,
            )?;
        }
        let wl = x1 - 0.02 * (x1 - x0);
        if l(wl) < y1 {
            label(
                area,
                frame,
                (wl, l(wl)),
                dy / 3,
                "average L",
                palette::INK,
                size,
                HPos::Right,
            )?;
        }
        label(
            area,
            frame,
            (self.w_star, y0),
            -(size as i32) - 4,
            "w*",
            palette::INK,
            size,
            HPos::Center,
        )?;
        let pin = |w: f64, name: &str| -> (f64, f64, String) {
            let inside = w >= x0 && w <= x1;
            let text = if inside {
                name.to_string()
            } else {
                format!("{name} (w = {})", num(w))
            };
            (w.clamp(x0, x1), l(w).clamp(y0, y1), text)
        };
        let (gw, gl, gt) = pin(self.gd_w(), "GD");
        let (sw, sl, st) = pin(self.sgd_w(), "SGD");
        // Dots at one place share a label; close dots get theirs on either side.
        let span = x1 - x0;
        if (gw - sw).abs() < 0.01 * span && (gl - sl).abs() < 0.02 * (y1 - y0) {
            let text = if gt == "GD" {
                "SGD, GD".to_string()
            } else {
                format!("SGD, {gt}")
            };
            return label(
                area,
                frame,
                (sw, sl),
                dy,
                &text,
                palette::INK,
                size,
                HPos::Center,
            );
        }
        let close = (gw - sw).abs() < 0.12 * span;
        let gap = 0.012 * span;
        let (gx, gh, sx, sh) = if !close {
            (gw, HPos::Center, sw, HPos::Center)
        } else if gw <= sw {
            (gw - gap, HPos::Right, sw + gap, HPos::Left)
        } else {
            (gw + gap, HPos::Left, sw - gap, HPos::Right)
        };
        label(
            area,
            frame,
            (gx, gl),
            dy,
            &gt,
            palette::BLUISH_GREEN,
            size,
            gh,
        )?;
        label(
            area,
            frame,
            (sx, sl),
            dy,
            &st,
            palette::VERMILLION,
            size,
            sh,
        )?;
        Ok(())
    }

    /// The zoom on the zone: the zone and the parabolas' bottoms, SGD's trail of its
    /// last [`super::TRAIL`] iterates, and the histogram of all its iterates so far
    /// along the w-axis (bars from the bottom, the tallest at a third of the height).
    pub(super) fn draw_zone<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let (zw, zl) = self.zoom();
        let frame = ps_chart::draw(
            area,
            &PerSampleChart {
                title: "Zoom on the zone: SGD's last steps; bars: where its w_t fell",
                x_label: "w",
                y_label: "loss",
                xs: &self.xs,
                ys: &self.ys,
                sgd: Some(self.sgd_w()),
                used: &self.used,
                gd: Some(self.gd_w()),
                trail: self.trail(),
                w_range: Some(zw),
                loss_range: Some(zl),
                legend: LegendPos::Hidden,
                text_px,
            },
        )?;
        let (bins, (left, right)) = self.histogram();
        let most = bins.iter().copied().max().unwrap_or(0);
        let p = frame.plot;
        let base = area.get_base_pixel();
        if most > 0 {
            let tall = (p.bottom - p.top) as f64 / 3.0;
            let bw = (p.right - p.left) as f64 / super::BINS as f64;
            for (k, &c) in bins.iter().enumerate() {
                if c == 0 {
                    continue;
                }
                let h = (tall * c as f64 / most as f64).round().max(1.0) as i32;
                let l = p.left + (k as f64 * bw).round() as i32;
                let r = (p.left + ((k + 1) as f64 * bw).round() as i32 - 1).max(l + 1);
                area.draw(&Rectangle::new(
                    [
                        (l - base.0, p.bottom - h - base.1),
                        (r - base.0, p.bottom - base.1),
                    ],
                    palette::VERMILLION.mix(0.35).filled(),
                ))
                .map_err(|e| format!("drawing the chart failed: {e}"))?;
            }
        }
        let _ = (left, right);
        self.iterate_labels(area, &frame, text_px)?;
        Ok(frame)
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
                legend: LegendPos::Hidden,
                text_px,
                x_scale: AxisScale::Linear,
            },
        )?;
        // Direct labels near the lines' right ends, inside the box: w*'s below its
        // line, SGD's above its own (so that they part when the lines coincide); the
        // wedge's at a third of the way.
        let size = label_px(area, text_px);
        let dy = (0.4 * size) as i32;
        let end = |k: f64| {
            let mut x = x1 - 0.02 * (x1 - x0);
            if k * x > y1 {
                x = 0.95 * y1 / k;
            } else if k * x < y0 {
                x = 0.95 * y0 / k;
            }
            (x, k * x)
        };
        label(
            area,
            &frame,
            end(self.w_star),
            -(size as i32) - dy,
            &format!("w* = {}", num(self.w_star)),
            palette::INK,
            size,
            HPos::Left,
        )?;
        label(
            area,
            &frame,
            end(w),
            dy,
            &format!("SGD w_t = {}", num(w)),
            palette::VERMILLION,
            size,
            HPos::Right,
        )?;
        if b > a {
            let xm = x0 + 0.3 * (x1 - x0);
            label(
                area,
                &frame,
                (xm, b.max(a) * xm),
                dy,
                "zone: slopes min w*_i … max w*_i",
                palette::INK_SOFT,
                size,
                HPos::Left,
            )?;
        }
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
            series.push(
                gap_chart::level(
                    "SGD's long-run mean gap (theory)",
                    &stat_line,
                    &ends,
                    palette::INK,
                )
                .theory(),
            );
        }
        // Direct labels (rule 8), not a legend that the lines run under: each run at
        // its current end, each dashed level at its right end.
        let mut ends_l = Vec::new();
        for (text, h, color) in [
            (sgd_label.as_str(), &self.sgd.hist, palette::VERMILLION),
            ("GD, same step", &self.gd.hist, palette::BLUISH_GREEN),
        ] {
            if let (Some(&x), Some(&y)) = (h.t.last(), h.gap.last()) {
                ends_l.push(EndLabel {
                    text: text.to_string(),
                    at: (x, y),
                    color,
                });
            }
        }
        if self.zone_gap > 0.0 {
            ends_l.push(EndLabel {
                text: "largest gap inside the zone".into(),
                at: (steps, self.zone_gap),
                color: palette::ORANGE,
            });
        }
        if let Some(g) = self.stationary_gap.filter(|g| *g > 0.0) {
            ends_l.push(EndLabel {
                text: "SGD's long-run mean (theory)".into(),
                at: (steps, g),
                color: palette::INK,
            });
        }
        let frame = gap_chart::draw_titled(
            area,
            "Loss gap L(w_t) − L*",
            &series,
            steps,
            self.gap_range,
            self.t(),
            text_px,
            LegendPos::Hidden,
        )?;
        labels::draw(area, &frame, &ends_l, text_px)?;
        Ok(frame)
    }
}
