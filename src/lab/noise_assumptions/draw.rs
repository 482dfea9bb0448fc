//! The noise-assumptions lab's charts: the map with every sample's pull at the current
//! w, their drawn mean and −∇L(w); the pulls at w* with the circle of radius √σ0; the
//! ratio E‖∇l_i‖²/‖∇L‖² along the run against 1 and M_G; the running σ0 estimate.

use super::{pulls, NoiseAssumptions};
use crate::chart::arrows::{self, Arrow};
use crate::chart::labels::{self, EndLabel};
use crate::chart::line::{self, LineChart, LineStyle, Series};
use crate::chart::map::{self, Background, MapChart, MapPath, Trail};
use crate::chart::{palette, AxisScale, ChartFrame, LegendPos};
use plotters::coord::Shift;
use plotters::prelude::{Circle, DrawingArea, DrawingBackend, RGBColor};
use plotters::style::Color;

/// A sample drawn more often under skewed sampling, and one drawn less.
const OFTEN: RGBColor = palette::VERMILLION;
const RARE: RGBColor = palette::SKY_BLUE;
const MEAN: RGBColor = palette::BLUE;

fn err(e: impl std::fmt::Display) -> String {
    format!("drawing the chart failed: {e}")
}

impl NoiseAssumptions {
    /// A sample's colour: vermillion for the often-drawn third under skewed sampling.
    fn sample_color(&self, i: usize) -> RGBColor {
        let p = self.probabilities();
        let uniform = 1.0 / p.len() as f64;
        if p[i] > uniform * 1.0001 {
            OFTEN
        } else {
            RARE
        }
    }

    /// The arrows' scale: the longest pull drawn as `frac` of the box's smaller side.
    fn arrow_scale(pl: &[(f64, f64)], side: f64, frac: f64) -> f64 {
        let longest = pl
            .iter()
            .map(|(a, b)| (a * a + b * b).sqrt())
            .fold(0.0f64, f64::max);
        if longest > 0.0 {
            frac * side / longest
        } else {
            1.0
        }
    }

    pub(super) fn draw_map<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let (pw, ph) = area.dim_in_pixel();
        let rect = map::plot_area(pw, ph, text_px);
        let (xr, yr) = map::fit_box(self.map_box.0, self.map_box.1, rect);
        {
            let mut cache = self.contours.borrow_mut();
            if cache.as_ref().map(|c| c.0) != Some((xr, yr)) {
                *cache = Some(((xr, yr), map::contour_lines(&self.setup.problem, xr, yr)));
            }
        }
        let cache = self.contours.borrow();
        let contours = cache.as_ref().map(|c| c.1.as_slice()).unwrap_or(&[]);
        let path: Vec<f64> = self.ws.iter().flat_map(|w| [w[0], w[1]]).collect();
        let paths = [MapPath {
            label: "",
            points: &path,
            color: palette::INK,
        }];
        let th = &self.theory;
        let frame = map::draw(
            area,
            &MapChart {
                title: "Each sample's pull −∇l_i(w) at the current w",
                x_range: xr,
                y_range: yr,
                background: Background::Contours,
                contours,
                paths: &paths,
                minimizers: &[],
                optimum: Some((th.optimum.w[0], th.optimum.w[1])),
                legend: LegendPos::Hidden,
                text_px,
                trail: Some(Trail { len: 12, cloud: 0 }),
                inset: None,
                ..Default::default()
            },
        )?;
        let w = self.w();
        let pl = pulls(&self.setup.problem, &w);
        let side = (xr.1 - xr.0).min(yr.1 - yr.0);
        let k = Self::arrow_scale(&pl, side, 0.3);
        let mut list: Vec<Arrow> = pl
            .iter()
            .enumerate()
            .map(|(i, g)| Arrow {
                from: (w[0], w[1]),
                delta: (k * g.0, k * g.1),
                color: self.sample_color(i),
                px: 1,
            })
            .collect();
        let full = self.full_pull(&w);
        let mean = self.drawn_mean(&w);
        // −∇L(w) as a wide grey arrow, the mean of the draws as a blue one on top:
        // when they coincide the blue runs down the middle of the grey.
        list.push(Arrow {
            from: (w[0], w[1]),
            delta: (k * full.0, k * full.1),
            color: palette::INK_SOFT,
            px: 8,
        });
        list.push(Arrow {
            from: (w[0], w[1]),
            delta: (k * mean.0, k * mean.1),
            color: MEAN,
            px: 3,
        });
        arrows::draw(area, &frame, &list)?;
        let mut ends = vec![
            EndLabel {
                text: "−∇L(w)".into(),
                at: (w[0] + k * full.0, w[1] + k * full.1),
                color: palette::INK_SOFT,
            },
            EndLabel {
                text: "mean of the draws".into(),
                at: (w[0] + k * mean.0, w[1] + k * mean.1),
                color: MEAN,
            },
        ];
        if self.setup.scenario.method.sample_weights.is_some() {
            let wp = self.weighted_optimum();
            if let Some(px) = frame.pixel(wp[0], wp[1]) {
                let base = area.get_base_pixel();
                let c = (px.0.round() as i32 - base.0, px.1.round() as i32 - base.1);
                area.draw(&Circle::new(c, 6, OFTEN.stroke_width(3)))
                    .map_err(err)?;
                ends.push(EndLabel {
                    text: "minimiser of Σ p_i l_i".into(),
                    at: (wp[0], wp[1]),
                    color: OFTEN,
                });
            }
        }
        labels::draw(area, &frame, &ends, text_px)?;
        Ok(frame)
    }

    pub(super) fn draw_optimum<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let w_star = &self.theory.optimum.w;
        let pl = pulls(&self.setup.problem, w_star);
        let longest = pl
            .iter()
            .map(|(a, b)| (a * a + b * b).sqrt())
            .fold(0.0f64, f64::max)
            .max(1e-9);
        // Arrows drawn at their true length around w*, in a box of ± 1.25 × the longest.
        let half = 1.25 * longest;
        let (pw, ph) = area.dim_in_pixel();
        let rect = map::plot_area(pw, ph, text_px);
        let (xr, yr) = map::fit_box(
            (w_star[0] - half, w_star[0] + half),
            (w_star[1] - half, w_star[1] + half),
            rect,
        );
        let frame = map::draw(
            area,
            &MapChart {
                title: "At w*: the pulls −∇l_i(w*) and σ0",
                x_label: "w₁ (pull drawn from w*)",
                y_label: "w₂",
                x_range: xr,
                y_range: yr,
                background: Background::Contours,
                contours: &[],
                paths: &[],
                minimizers: &[],
                optimum: Some((w_star[0], w_star[1])),
                legend: LegendPos::Hidden,
                text_px,
                trail: None,
                inset: None,
            },
        )?;
        let base = area.get_base_pixel();
        // The circle of radius √σ0: the root mean square length of the arrows.
        let r = self.sigma0().sqrt();
        if let (Some(c), Some(e)) = (
            frame.pixel(w_star[0], w_star[1]),
            frame.pixel(w_star[0] + r, w_star[1]),
        ) {
            let rad = (e.0 - c.0).abs().round() as i32;
            area.draw(&Circle::new(
                (c.0.round() as i32 - base.0, c.1.round() as i32 - base.1),
                rad.max(1),
                palette::INK_SOFT.stroke_width(2),
            ))
            .map_err(err)?;
        }
        let mut list: Vec<Arrow> = pl
            .iter()
            .enumerate()
            .map(|(i, g)| Arrow {
                from: (w_star[0], w_star[1]),
                delta: *g,
                color: self.sample_color(i),
                px: 2,
            })
            .collect();
        let mean = self.drawn_mean(w_star);
        list.push(Arrow {
            from: (w_star[0], w_star[1]),
            delta: mean,
            color: MEAN,
            px: 4,
        });
        arrows::draw(area, &frame, &list)?;
        // Each pull's tip as a dot: where one draw's gradient would send w from w*.
        let dot = (crate::chart::auto_text_px(pw, ph) / 5.0).clamp(2.0, 5.0) as i32;
        for (i, g) in pl.iter().enumerate() {
            if let Some(p) = frame.pixel(w_star[0] + g.0, w_star[1] + g.1) {
                area.draw(&Circle::new(
                    (p.0.round() as i32 - base.0, p.1.round() as i32 - base.1),
                    dot,
                    self.sample_color(i).filled(),
                ))
                .map_err(err)?;
            }
        }
        let mut ends = vec![EndLabel {
            text: format!(
                "radius √σ0, σ0 = {}",
                crate::lab::numbers::num(self.sigma0())
            ),
            at: (w_star[0] + r * 0.707, w_star[1] - r * 0.707),
            color: palette::INK_SOFT,
        }];
        if (mean.0 * mean.0 + mean.1 * mean.1).sqrt() > 1e-3 * longest {
            ends.push(EndLabel {
                text: "mean of the draws ≠ 0: biased".into(),
                at: (w_star[0] + mean.0, w_star[1] + mean.1),
                color: MEAN,
            });
        } else {
            ends.push(EndLabel {
                text: "mean = 0".into(),
                at: (w_star[0], w_star[1]),
                color: MEAN,
            });
        }
        labels::draw(area, &frame, &ends, text_px)?;
        Ok(frame)
    }

    pub(super) fn draw_ratio<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let steps = self.setup.scenario.steps.max(1) as f64;
        let xs: Vec<f64> = (0..self.ws.len()).map(|t| t as f64).collect();
        let ys: Vec<f64> = self.ws.iter().map(|w| self.ratio(w)).collect();
        let m_g = self.theory.sigma.as_ref().map_or(1.0, |p| p.m_g);
        let top = ys
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .fold(m_g * 10.0, f64::max)
            .min(1e12);
        let ends_x = [0.0, steps];
        let one = [1.0, 1.0];
        let mg = [m_g, m_g];
        let series = [
            Series::new("", &one, LineStyle::Dashed, palette::INK_SOFT)
                .with_x(&ends_x)
                .theory(),
            Series::new("", &mg, LineStyle::Dashed, palette::VERMILLION)
                .with_x(&ends_x)
                .theory(),
            Series::new("", &ys, LineStyle::Bold, MEAN).with_x(&xs),
        ];
        let frame = line::draw(
            area,
            &LineChart {
                title: "E‖∇l_i(w_t)‖² / ‖∇L(w_t)‖²: ≥ 1, and past M_G near w*",
                x_label: "step t",
                y_label: "ratio",
                y_scale: AxisScale::Log,
                x_scale: AxisScale::Linear,
                series: &series,
                bands: &[],
                x_range: Some((0.0, steps)),
                y_range: Some((0.5, top)),
                cursor: None,
                legend: LegendPos::Hidden,
                text_px,
            },
        )?;
        let n = ys.len();
        let ends = [
            EndLabel {
                text: "Jensen: ≥ 1".into(),
                at: (steps, 1.0),
                color: palette::INK_SOFT,
            },
            EndLabel {
                text: format!("M_G = {}", crate::lab::numbers::num(m_g)),
                at: (steps, m_g),
                color: palette::VERMILLION,
            },
            EndLabel {
                text: "at w_t".into(),
                at: (xs[n - 1], ys[n - 1].min(top)),
                color: MEAN,
            },
        ];
        labels::draw(area, &frame, &ends, text_px)?;
        Ok(frame)
    }

    pub(super) fn draw_sigma0<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let steps = self.setup.scenario.steps.max(1) as f64;
        let t = self.t() as usize;
        let xs: Vec<f64> = (1..=t).map(|s| s as f64).collect();
        let ys: Vec<f64> = (1..=t)
            .map(|s| self.sigma0_estimate(s).unwrap_or(f64::NAN))
            .collect();
        let s0 = self.sigma0();
        let limit = self.sigma0_limit();
        let hi = ys
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .fold(s0.max(limit) * 2.0, f64::max)
            .max(1e-9);
        let ends_x = [0.0, steps];
        let exact = [s0, s0];
        let lim = [limit, limit];
        let biased = (limit - s0).abs() > 1e-9 * s0.max(1e-300);
        let mut series = vec![
            Series::new("", &exact, LineStyle::Dashed, palette::INK_SOFT)
                .with_x(&ends_x)
                .theory(),
            Series::new("", &ys, LineStyle::Bold, MEAN).with_x(&xs),
        ];
        if biased {
            series.push(
                Series::new("", &lim, LineStyle::Dashed, OFTEN)
                    .with_x(&ends_x)
                    .theory(),
            );
        }
        let frame = line::draw(
            area,
            &LineChart {
                title: "Running estimate of σ0 from the samples drawn",
                x_label: "draws (steps)",
                y_label: "mean ‖∇l_i(w*)‖²",
                y_scale: AxisScale::Linear,
                x_scale: AxisScale::Linear,
                series: &series,
                bands: &[],
                x_range: Some((0.0, steps)),
                y_range: Some((0.0, hi)),
                cursor: None,
                legend: LegendPos::Hidden,
                text_px,
            },
        )?;
        let mut ends = vec![EndLabel {
            text: format!("σ0 = {}", crate::lab::numbers::num(s0)),
            at: (steps, s0),
            color: palette::INK_SOFT,
        }];
        if biased {
            ends.push(EndLabel {
                text: format!("biased limit {}", crate::lab::numbers::num(limit)),
                at: (steps, limit),
                color: OFTEN,
            });
        }
        if let (Some(&x), Some(&y)) = (xs.last(), ys.last()) {
            ends.push(EndLabel {
                text: "estimate".into(),
                at: (x, y),
                color: MEAN,
            });
        }
        labels::draw(area, &frame, &ends, text_px)?;
        Ok(frame)
    }
}
