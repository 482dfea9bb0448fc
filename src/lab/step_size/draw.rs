//! The charts of `step-size`: the contour map with the paths, on the box fitted to the
//! canvas (which the heat map shares), and the loss gap.

use super::{StepSize, MAP_CLOUD, MAP_TRAIL};
use crate::chart::labels::{self, EndLabel};
use crate::chart::line::{LineStyle, Series};
use crate::chart::map::{self, Background, Inset, MapChart, MapPath, Trail};
use crate::chart::{palette, ChartFrame, LegendPos, PixelRect};
use crate::lab::gap_chart;
use crate::lab::knob::fmt_number;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

impl StepSize {
    /// The box shown on a `width`×`height` canvas (equal scales on both axes).
    pub(super) fn box_for(
        &self,
        width: u32,
        height: u32,
        text_px: Option<f64>,
    ) -> (PixelRect, (f64, f64), (f64, f64)) {
        let rect = map::plot_area(width, height, text_px);
        let (xr, yr) = map::fit_box(self.base_box.0, self.base_box.1, rect);
        (rect, xr, yr)
    }

    pub(super) fn draw_map<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
        background: Background,
    ) -> Result<ChartFrame, String> {
        let (w, h) = area.dim_in_pixel();
        let (_, xr, yr) = self.box_for(w, h, text_px);
        {
            let mut cache = self.contours.borrow_mut();
            if cache.as_ref().map(|c| c.0) != Some((xr, yr)) {
                *cache = Some(((xr, yr), map::contour_lines(&self.setup.problem, xr, yr)));
            }
        }
        let cache = self.contours.borrow();
        let contours = cache.as_ref().map(|c| c.1.as_slice()).unwrap_or(&[]);
        let l1 = self.small.label("η₁");
        let l2 = self.large.label("η₂");
        let mut paths = Vec::new();
        // The large step first, so that the tight small-step cloud stays visible on top.
        for (g, label, color) in [
            (&self.large, &l2, palette::VERMILLION),
            (&self.small, &l1, palette::BLUE),
        ] {
            for h in g.hist() {
                // The last MAP_TRAIL steps as a fading trail and the MAP_CLOUD before
                // them as dots (the newest points of a history are every step).
                let from = h.w.len().saturating_sub(2 * (MAP_TRAIL + MAP_CLOUD + 1));
                paths.push(MapPath {
                    label,
                    points: &h.w[from..],
                    color,
                });
            }
        }
        let title = self.map_title();
        // The smaller step's paths are the last of `paths` when η₁ is the smaller.
        let n_small = self.small.tracks.len();
        let (tight, name) = if self.small.lr <= self.large.lr {
            (&paths[paths.len() - n_small..], "η₁")
        } else {
            (&paths[..paths.len() - n_small], "η₂")
        };
        let zoom = self.inset_half(w, h, text_px);
        let label = zoom.map(|(_, factor)| format!("{name}'s cloud, ×{}", fmt_number(factor)));
        let inset = zoom.zip(label.as_deref()).map(|((half, _), label)| Inset {
            center: (self.w_star[0], self.w_star[1]),
            half,
            paths: tight,
            label,
        });
        let frame = map::draw(
            area,
            &MapChart {
                title: &title,
                x_label: "w₁",
                y_label: "w₂",
                x_range: xr,
                y_range: yr,
                background,
                contours,
                paths: &paths,
                minimizers: &self.centres,
                optimum: Some((self.w_star[0], self.w_star[1])),
                legend: LegendPos::Hidden,
                text_px,
                trail: Some(Trail {
                    len: MAP_TRAIL,
                    cloud: MAP_CLOUD,
                }),
                inset,
            },
        )?;
        labels::draw(area, &frame, &self.map_labels(), text_px)?;
        Ok(frame)
    }

    /// The map's direct labels (rule 8), kept off the clouds: both step sizes beside
    /// the clouds, at w* + 3 sd of the wider cloud along H's stiff axis (where the
    /// clouds are thinnest; the side to the right, so the text runs away from them),
    /// and the per-sample minimisers at the lowest one.
    pub(super) fn map_labels(&self) -> Vec<EndLabel> {
        let (sx, sy) = (self.w_star[0], self.w_star[1]);
        let h = &self.h;
        let theta = 0.5 * libm::atan2(h[1] + h[2], h[0] - h[3]);
        let (mut c, mut s) = (libm::cos(theta), libm::sin(theta));
        if c < 0.0 {
            (c, s) = (-c, -s);
        }
        let sd = [self.small.spread, self.large.spread]
            .into_iter()
            .flatten()
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max)
            .sqrt();
        let reach = 3.0 * sd.min(self.centre_spread.sqrt());
        let at = (sx + reach * c, sy + reach * s);
        let mut out = Vec::new();
        for (g, name, color) in [
            (&self.large, "η₂", palette::VERMILLION),
            (&self.small, "η₁", palette::BLUE),
        ] {
            out.push(EndLabel {
                text: format!("{name} = {}", fmt_number(g.lr)),
                at,
                color,
            });
        }
        let low = self
            .centres
            .iter()
            .copied()
            .min_by(|a, b| a.1.total_cmp(&b.1));
        if let Some(at) = low {
            out.push(EndLabel {
                text: "per-sample minimisers".into(),
                at,
                color: palette::INK_SOFT,
            });
        }
        out
    }

    /// The half-width of the inset's square around w* and its magnification, when the
    /// smaller step's cloud would be a dot on the map: its 2.5 sd radius under 5 % of
    /// the plot's width while the other cloud's sd is at least 4 times as large. The
    /// inset shows about w* ± 4 sd of the tight cloud (sd from the exact stationary
    /// spread), at a whole magnification.
    pub(super) fn inset_half(
        &self,
        width: u32,
        height: u32,
        text_px: Option<f64>,
    ) -> Option<(f64, f64)> {
        let (p1, p2) = (self.small.spread?, self.large.spread?);
        let (tight, wide) = if self.small.lr <= self.large.lr {
            (p1, p2)
        } else {
            (p2, p1)
        };
        let (rect, xr, _) = self.box_for(width, height, text_px);
        let w_px = rect.width() as f64;
        let ppu = w_px / (xr.1 - xr.0);
        let sd = tight.sqrt();
        if !(sd > 0.0 && 2.5 * sd * ppu < 0.05 * w_px && wide >= 16.0 * tight) {
            return None;
        }
        // A whole magnification, and the half-width that gives exactly it.
        let side_px = 0.38 * w_px.min(rect.height() as f64);
        let factor = (side_px / (8.0 * sd) / ppu).round();
        (factor >= 2.0).then(|| (side_px / (2.0 * factor * ppu), factor))
    }

    /// The gap chart's title: the claim, in the actual order of the two steps.
    fn gap_title(&self) -> String {
        let (e1, e2) = (self.small.lr, self.large.lr);
        if e1 == e2 {
            return "Gap: equal steps settle alike".into();
        }
        let (small, big) = if e1 < e2 {
            ("η₁", "η₂")
        } else {
            ("η₂", "η₁")
        };
        if e1.max(e2) * self.theory.smoothness >= 2.0 {
            return format!("Gap: large {big} ≥ 2/L_s grows without bound");
        }
        format!("Gap: large {big} falls fast, settles above small {small}")
    }

    /// The map's title: the claim, in the actual order of the two steps.
    fn map_title(&self) -> String {
        let (e1, e2) = (self.small.lr, self.large.lr);
        if e1 == e2 {
            return format!(
                "Both paths at η = {}: the same step, the same cloud",
                fmt_number(e1)
            );
        }
        let (small, big) = if e1 < e2 {
            ("η₁", "η₂")
        } else {
            ("η₂", "η₁")
        };
        if e1.max(e2) * self.theory.smoothness >= 2.0 {
            return format!("Large {big} ≥ 2/L_s leaves the map; small {small} settles");
        }
        format!("Small {small}: slow, tight cloud. Large {big}: fast, wide cloud")
    }

    pub(super) fn draw_gap<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let steps = self.setup.scenario.steps as f64;
        let ends = [0.0, steps];
        let (mx1, my1) = self.small.mean_gap();
        let (mx2, my2) = self.large.mean_gap();
        let s1 = [self.small.stationary_gap.unwrap_or(f64::NAN); 2];
        let s2 = [self.large.stationary_gap.unwrap_or(f64::NAN); 2];
        let one1 = format!("η₁ = {}, one path", fmt_number(self.small.lr));
        let one2 = format!("η₂ = {}, one path", fmt_number(self.large.lr));
        let mean1 = format!("η₁ = {}, mean over paths", fmt_number(self.small.lr));
        let mean2 = format!("η₂ = {}, mean over paths", fmt_number(self.large.lr));
        let several = self.small.tracks.len() > 1;
        let mut series: Vec<Series> = Vec::new();
        for (g, one, color) in [
            (&self.large, &one2, palette::VERMILLION),
            (&self.small, &one1, palette::BLUE),
        ] {
            for h in g.hist() {
                let style = if several {
                    LineStyle::Faint
                } else {
                    LineStyle::Bold
                };
                series.push(Series::new(one, &h.gap, style, color).with_x(&h.t));
            }
        }
        if several {
            series
                .push(Series::new(&mean2, &my2, LineStyle::Bold, palette::VERMILLION).with_x(&mx2));
            series.push(Series::new(&mean1, &my1, LineStyle::Bold, palette::BLUE).with_x(&mx1));
        }
        if self.large.stationary_gap.is_some() {
            series.push(
                gap_chart::level(
                    "where η₂ settles (theory)",
                    &s2,
                    &ends,
                    palette::REDDISH_PURPLE,
                )
                .theory(),
            );
        }
        if self.small.stationary_gap.is_some() {
            series.push(
                gap_chart::level("where η₁ settles (theory)", &s1, &ends, palette::SKY_BLUE)
                    .theory(),
            );
        }
        // Direct labels (rule 8): each step size at the end of its bold line, each
        // dashed level at its right end.
        let mut ends = Vec::new();
        for (g, name, color, (mx, my), level) in [
            (&self.large, "η₂", palette::VERMILLION, (&mx2, &my2), s2[0]),
            (&self.small, "η₁", palette::BLUE, (&mx1, &my1), s1[0]),
        ] {
            if let (Some(&x), Some(&y)) = (mx.last(), my.last()) {
                ends.push(EndLabel {
                    text: format!("{name} = {}", fmt_number(g.lr)),
                    at: (x, y),
                    color,
                });
            }
            if level.is_finite() {
                let dashed = if name == "η₂" {
                    palette::REDDISH_PURPLE
                } else {
                    palette::SKY_BLUE
                };
                ends.push(EndLabel {
                    text: format!("{name} settles (theory)"),
                    at: (steps, level),
                    color: dashed,
                });
            }
        }
        let title = self.gap_title();
        let frame = gap_chart::draw_titled(
            area,
            &title,
            &series,
            steps,
            self.gap_range,
            self.t(),
            text_px,
            LegendPos::Hidden,
        )?;
        labels::draw(area, &frame, &ends, text_px)?;
        Ok(frame)
    }
}
