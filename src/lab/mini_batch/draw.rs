//! The mini-batch lab's two charts: every batch's mean gap (with its band) against
//! samples processed or steps on log–log axes, each line named at its end; and the
//! floors against b — exact, the lecture's η/b scaling, the measured ones as dots —
//! with the batches beyond the theorem's step limit shaded.

use super::MiniBatchLab;
use crate::chart::labels::{self, EndLabel};
use crate::chart::line::{self, Band, LineChart, LineStyle, Series};
use crate::chart::{palette, AxisScale, ChartFrame, LegendPos};
use crate::lab::numbers::num;
use crate::lab::sandbox::color;
use crate::lab::LabSim;
use plotters::coord::Shift;
use plotters::prelude::{Circle, DrawingArea, DrawingBackend, Rectangle, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, IntoFont};

/// Points drawn per curve at most: steps spaced evenly on the log axis.
const POINTS: usize = 400;

/// Steps 1 … `last` spaced evenly in log (each once), ending at `last`.
pub fn log_steps(last: u64) -> Vec<u64> {
    let mut out = Vec::new();
    if last == 0 {
        return out;
    }
    let ratio = libm::pow(last as f64, 1.0 / POINTS as f64).max(1.0 + 1e-9);
    let mut x = 1.0f64;
    let mut prev = 0;
    while (x as u64) < last {
        let t = x as u64;
        if t > prev {
            out.push(t);
            prev = t;
        }
        x *= ratio;
    }
    out.push(last);
    out
}

fn err(e: impl std::fmt::Display) -> String {
    format!("drawing the chart failed: {e}")
}

impl MiniBatchLab {
    /// The gap chart's y range: fixed by the theory (the lowest exact floor, the start).
    fn gap_range(&self) -> (f64, f64) {
        let lo = self
            .batches()
            .iter()
            .filter_map(|b| b.exact_floor)
            .filter(|f| *f > 0.0)
            .fold(f64::INFINITY, f64::min);
        let hi = self.theory().initial_gap.max(1e-300) * 4.0;
        let lo = if lo.is_finite() { lo / 4.0 } else { hi * 1e-6 };
        (lo.min(hi / 10.0), hi)
    }

    pub(super) fn draw_gap<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let x_max = self.x_max() as f64;
        // Per variant: the sampled steps' x, mean, band.
        struct Curve {
            x: Vec<f64>,
            mean: Vec<f64>,
            lo: Vec<f64>,
            hi: Vec<f64>,
        }
        let runs = self.scenario().runs;
        let (x_scale, x0) = if self.per_work() {
            (AxisScale::Log, 1.0)
        } else {
            (AxisScale::Linear, 0.0)
        };
        let curves: Vec<Curve> = (0..self.batches().len())
            .map(|i| {
                let mean = self.mean_gaps(i);
                let last = self.shown_step(i).min(mean.len().saturating_sub(1) as u64);
                let steps = log_steps(last);
                let (blo, bhi) = if runs > 1 && last > 0 {
                    self.band(i, last as usize + 1)
                } else {
                    (Vec::new(), Vec::new())
                };
                let pick = |v: &[f64]| -> Vec<f64> {
                    steps
                        .iter()
                        .filter_map(|&t| v.get(t as usize).copied())
                        .collect()
                };
                // Every curve starts at the common start, drawn at x = 1 on the
                // logarithmic axis of work (0 has no place there), at 0 against steps.
                let first = |v: &[f64]| v.first().copied().into_iter();
                Curve {
                    x: std::iter::once(x0)
                        .chain(steps.iter().map(|&t| self.x_of(i, t)))
                        .take(mean.len().min(steps.len() + 1))
                        .collect(),
                    mean: first(&mean).chain(pick(&mean)).collect(),
                    lo: first(&blo).chain(pick(&blo)).collect(),
                    hi: first(&bhi).chain(pick(&bhi)).collect(),
                }
            })
            .collect();
        let mut series = Vec::new();
        let mut bands = Vec::new();
        let mut ends = Vec::new();
        let labels: Vec<String> = (0..self.batches().len())
            .map(|i| {
                let b = &self.batches()[i];
                let mut l = super::label(b.b);
                if super::mode_of(self.scenario()) == "linear" {
                    l += &format!(", η = {}", num(b.lr));
                }
                if self.diverged_at(i).is_some() || b.exact_floor.is_none() {
                    l += ": diverges";
                }
                l
            })
            .collect();
        for (i, c) in curves.iter().enumerate() {
            if c.mean.is_empty() {
                continue;
            }
            let k = c.lo.len().min(c.hi.len()).min(c.x.len());
            if k > 0 {
                bands.push(Band {
                    label: "",
                    x: Some(&c.x[..k]),
                    lo: &c.lo[..k],
                    hi: &c.hi[..k],
                    color: color(i),
                });
            }
            series.push(Series::new("", &c.mean, LineStyle::Bold, color(i)).with_x(&c.x));
            let n = c.mean.len();
            if n < 2 {
                // Not started yet: only the common start, which needs no name.
                continue;
            }
            ends.push(EndLabel {
                text: labels[i].clone(),
                at: (c.x[n - 1], c.mean[n - 1]),
                color: color(i),
            });
        }
        let (title, x_label) = match super::mode_of(self.scenario()) {
            "linear" => (
                "η ∝ b: against work the curves collapse onto one",
                "samples processed (b × steps)",
            ),
            "same" => (
                "Same η: a batch of b needs b times the samples",
                "samples processed (b × steps)",
            ),
            _ => ("Per step every batch descends alike", "step t"),
        };
        let shown = self.shown_x();
        let frame = line::draw(
            area,
            &LineChart {
                title,
                x_label,
                y_label: "mean L(w_t) − L*",
                y_scale: AxisScale::Log,
                x_scale,
                series: &series,
                bands: &bands,
                x_range: Some((x0, x_max.max(2.0))),
                y_range: Some(self.gap_range()),
                cursor: (shown as f64 >= x0.max(1.0) && (shown as f64) < x_max)
                    .then_some(shown as f64),
                legend: LegendPos::Hidden,
                text_px,
            },
        )?;
        labels::draw(area, &frame, &ends, text_px)?;
        Ok(frame)
    }

    /// The smallest b on [lo, hi] (log grid) whose step passes the theorem's limit
    /// 1/(L_s M_G(b)), with the step of b as the scenario gives it (η, or η b).
    fn theorem_edge(&self, lo: f64, hi: f64) -> Option<f64> {
        let linear = super::mode_of(self.scenario()) == "linear";
        let eta = super::eta_of(self.scenario());
        let th = self.theory();
        let rho = th.sigma.as_ref().map_or(1.0, |p| p.m_g_min);
        let b0 = self.batches().iter().map(|b| b.b).min().unwrap_or(1) as f64;
        (0..=400)
            .map(|j| lo * libm::pow(hi / lo, j as f64 / 400.0))
            .find(|&b| {
                let lr = if linear { eta * b / b0 } else { eta };
                lr * th.smoothness * (1.0 + (rho - 1.0) / b) > 1.0
            })
    }

    pub(super) fn draw_floors<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let bs = self.batches();
        let b_lo = bs.iter().map(|b| b.b).min().unwrap_or(1) as f64;
        let b_hi = bs.iter().map(|b| b.b).max().unwrap_or(1) as f64;
        let x_range = (b_lo / 1.8, (b_hi * 1.8).max(b_lo * 4.0));
        // The exact floors (where the second moment settles).
        let exact: Vec<(f64, f64)> = bs
            .iter()
            .filter_map(|b| Some((b.b as f64, b.exact_floor.filter(|f| *f > 0.0)?)))
            .collect();
        // The lecture's scaling through the smallest batch's exact floor: ∝ η_b/b.
        let reference: Vec<(f64, f64)> = match (bs.first(), exact.first()) {
            (Some(b0), Some(&(x0, f0))) if x0 == b0.b as f64 => bs
                .iter()
                .map(|b| {
                    let scale = (b.lr / b.b as f64) / (b0.lr / b0.b as f64);
                    (b.b as f64, f0 * scale)
                })
                .collect(),
            _ => Vec::new(),
        };
        let measured: Vec<(usize, f64)> = (0..bs.len())
            .filter_map(|i| Some((i, self.shown_floor(i)?)))
            .collect();
        let ys = exact
            .iter()
            .chain(&reference)
            .map(|p| p.1)
            .chain(measured.iter().map(|p| p.1));
        let (lo, hi) = ys
            .filter(|v| v.is_finite() && *v > 0.0)
            .fold((f64::INFINITY, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
        let y_range = if lo <= hi {
            (lo / 3.0, hi * 3.0)
        } else {
            (1e-6, 1.0)
        };
        let (ex_x, ex_y): (Vec<f64>, Vec<f64>) = exact.iter().copied().unzip();
        let (rf_x, rf_y): (Vec<f64>, Vec<f64>) = reference.iter().copied().unzip();
        let mut series = Vec::new();
        let mut ends = Vec::new();
        if !rf_x.is_empty() {
            series.push(
                Series::new("", &rf_y, LineStyle::Dashed, palette::INK_SOFT)
                    .with_x(&rf_x)
                    .theory(),
            );
            let linear = super::mode_of(self.scenario()) == "linear";
            // Named at its end under linear scaling (it runs flat past the exact
            // floors, which end where the largest batch breaks), else at its start:
            // at its end it meets the exact floor's name.
            let k = if linear { rf_x.len() - 1 } else { 0 };
            ends.push(EndLabel {
                text: if linear {
                    "lecture: ∝ η_b/b, flat".into()
                } else {
                    "lecture: ∝ 1/b".into()
                },
                at: (rf_x[k] * if linear { 1.0 } else { 1.15 }, rf_y[k]),
                color: palette::INK_SOFT,
            });
        }
        if !ex_x.is_empty() {
            series.push(
                Series::new("", &ex_y, LineStyle::Bold, palette::INK)
                    .with_x(&ex_x)
                    .theory(),
            );
            ends.push(EndLabel {
                text: "exact floor".into(),
                at: (ex_x[ex_x.len() - 1], ex_y[ex_y.len() - 1]),
                color: palette::INK,
            });
        }
        let frame = line::draw(
            area,
            &LineChart {
                title: "Floors against the batch size b",
                x_label: "batch size b",
                y_label: "floor of the mean gap",
                y_scale: AxisScale::Log,
                x_scale: AxisScale::Log,
                series: &series,
                bands: &[],
                x_range: Some(x_range),
                y_range: Some(y_range),
                cursor: None,
                legend: LegendPos::Hidden,
                text_px,
            },
        )?;
        let base = area.get_base_pixel();
        let rel = |(x, y): (f64, f64)| (x as i32 - base.0, y as i32 - base.1);
        let (w, h) = area.dim_in_pixel();
        let size = labels::label_px(area, text_px);
        let font = |c: plotters::prelude::RGBColor| {
            ("sans-serif", size)
                .into_font()
                .color(&c)
                .pos(Pos::new(HPos::Left, VPos::Top))
        };
        // The batches beyond the theorem's step limit, shaded and named.
        if let Some(edge) = self
            .theorem_edge(x_range.0, x_range.1)
            .filter(|_| crate::chart::theory_shown())
        {
            let p = &frame.plot;
            if let Some((px, _)) = frame.pixel(edge, y_range.1) {
                let left = (px as i32).clamp(p.left, p.right);
                area.draw(&Rectangle::new(
                    [
                        (left - base.0, p.top - base.1),
                        (p.right - base.0, p.bottom - base.1),
                    ],
                    palette::VERMILLION.mix(0.08).filled(),
                ))
                .map_err(err)?;
                let text = "η beyond the theorem's 1/(L_s M_G(b))";
                let tw = labels::text_width(text, size);
                let x = if left + 4 + tw <= p.right {
                    left + 4
                } else {
                    (p.right - tw - 4).max(p.left)
                };
                area.draw(&Text::new(
                    text,
                    (x - base.0, p.top + 4 - base.1),
                    font(palette::VERMILLION),
                ))
                .map_err(err)?;
            }
        }
        // The exact floors as rings, the measured ones as dots inside them, in each
        // batch's colour; a batch that diverges is named at the top of the chart.
        let r = (crate::chart::auto_text_px(w, h) / 3.5).clamp(3.0, 9.0) as i32;
        let theory = crate::chart::theory_shown();
        for (i, b) in bs.iter().enumerate().filter(|_| theory) {
            if let Some(p) = b.exact_floor.and_then(|f| frame.pixel(b.b as f64, f)) {
                area.draw(&Circle::new(rel(p), r + 3, color(i).stroke_width(2)))
                    .map_err(err)?;
            }
        }
        for &(i, f) in &measured {
            if let Some(p) = frame.pixel(bs[i].b as f64, f) {
                area.draw(&Circle::new(rel(p), r, color(i).filled()))
                    .map_err(err)?;
            }
        }
        for (i, b) in bs.iter().enumerate() {
            if self.diverged_at(i).is_some() || b.exact_floor.is_none() {
                if let Some((px, _)) = frame.pixel(b.b as f64, y_range.1) {
                    let text = format!("{} diverges", super::label(b.b));
                    let tw = labels::text_width(&text, size);
                    let x = ((px as i32) - tw / 2).clamp(frame.plot.left, frame.plot.right - tw);
                    area.draw(&Text::new(
                        text,
                        (x - base.0, frame.plot.top + (size * 1.6) as i32 - base.1),
                        font(color(i)),
                    ))
                    .map_err(err)?;
                }
            }
        }
        labels::draw(area, &frame, &ends, text_px)?;
        Ok(frame)
    }
}

#[cfg(test)]
mod tests {
    use super::log_steps;

    #[test]
    fn log_steps_are_increasing_end_at_the_last_and_are_few() {
        for last in [1u64, 2, 7, 400, 25_600, 1_000_000] {
            let s = log_steps(last);
            assert_eq!(*s.last().unwrap(), last);
            assert_eq!(s[0], 1);
            assert!(s.windows(2).all(|w| w[0] < w[1]), "{last}");
            assert!(s.len() <= 402, "{last}: {}", s.len());
        }
        assert!(log_steps(0).is_empty());
        // Dense where the axis is: every step of the first ten is drawn.
        assert_eq!(&log_steps(25_600)[..10], &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    }
}
