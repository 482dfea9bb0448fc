//! The epochs lab's own charts: the strip of the current epoch, the fraction of
//! distinct samples seen against epochs with its theory line, and the floors against
//! η on log–log axes. Every mode keeps the sandbox's colour for its variant and is
//! named by a direct label.

use super::floors::Floors;
use super::seen::{epoch_counts, expected_fraction_with_replacement};
use super::EpochsLab;
use crate::chart::labels::{self, EndLabel};
use crate::chart::line::{self, LineChart, LineStyle, Series};
use crate::chart::strip::{self, StripChart, StripRow};
use crate::chart::{palette, AxisScale, ChartFrame, LegendPos};
use crate::lab::engine::band::band;
use crate::lab::engine::ensemble::{BAND_HI, BAND_LO};
use crate::lab::gap_chart::{self, MeanCurve};
use crate::lab::sandbox::color;
use crate::lab::LabSim;
use crate::sampler::Sampling;
use plotters::coord::Shift;
use plotters::prelude::{Circle, DrawingArea, DrawingBackend};
use plotters::style::Color;

/// A mode's curves on the gap chart: the epoch-averaged mean, and its band.
pub(super) struct GapCurves {
    mean: Vec<f64>,
    band: (Vec<f64>, Vec<f64>),
}

/// The fraction chart shows the first epochs, where the modes differ.
const FRACTION_SHOWN: f64 = 5.0;

/// The average of `v` over the last `window` points up to each index (over all of
/// them before the first full window): a gap read over an epoch, where reshuffling
/// and cyclic order swing within one.
pub fn epoch_average(v: &[f64], window: usize) -> Vec<f64> {
    let w = window.max(1);
    let mut out = Vec::with_capacity(v.len());
    let mut sum = 0.0;
    for (t, x) in v.iter().enumerate() {
        sum += x;
        if t >= w {
            sum -= v[t - w];
        }
        // Re-summed now and then so that rounding does not pile up over long runs.
        if t % 4096 == 4095 {
            sum = v[(t + 1).saturating_sub(w)..=t].iter().sum();
        }
        out.push(sum / (t + 1).min(w) as f64);
    }
    out
}

impl EpochsLab {
    pub(super) fn draw_seen<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let t = self.sb.shown_step();
        let spe = self.steps_per_epoch();
        let counts: Vec<(u64, Vec<u32>)> = self
            .draws
            .iter()
            .map(|d| epoch_counts(d, self.n, self.batch, t))
            .collect();
        let epoch = counts.first().map_or(0, |c| c.0);
        let rows: Vec<StripRow> = self
            .modes
            .iter()
            .zip(&counts)
            .enumerate()
            .map(|(i, ((l, _), (_, c)))| {
                let seen = c.iter().filter(|&&k| k > 0).count();
                let twice = c.iter().filter(|&&k| k > 1).count();
                let mut label = format!("{l}: {seen} of {}", self.n);
                if twice > 0 {
                    label += &format!(", {twice} twice or more");
                }
                StripRow {
                    label,
                    counts: c,
                    color: color(i),
                }
            })
            .collect();
        let in_epoch = if t == 0 { 0 } else { t - epoch * spe };
        let subtitle = format!("epoch {} (run 1): step {in_epoch} of its {spe}", epoch + 1);
        strip::draw(
            area,
            &StripChart {
                title: "Which samples each mode has drawn this epoch",
                subtitle,
                rows: &rows,
                text_px,
            },
        )
    }

    pub(super) fn draw_fraction<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let spe = self.steps_per_epoch() as f64;
        let t = self.sb.shown_step() as usize;
        let total_epochs = self.sb.scenario().steps as f64 / spe;
        let x_max = total_epochs.clamp(1.0, FRACTION_SHOWN);
        let last = (x_max * spe).ceil() as usize;
        let xs: Vec<f64> = (0..=last).map(|s| s as f64 / spe).collect();
        let b = self.batch as f64;
        let theory: Vec<f64> = (0..=last)
            .map(|s| {
                // With replacement every step draws b (no short batch).
                let draws = s as f64 * b;
                expected_fraction_with_replacement(self.n, draws)
            })
            .collect();
        let mut series = vec![
            Series::new("", &theory, LineStyle::Dashed, palette::INK_SOFT)
                .with_x(&xs)
                .theory(),
        ];
        let mut ends = Vec::new();
        ends.push(EndLabel {
            text: "1 − (1 − 1/n)ᵇᵗ".into(),
            at: (x_max, theory[last.min(theory.len() - 1)]),
            color: palette::INK_SOFT,
        });
        let shown: Vec<usize> = self
            .fraction
            .iter()
            .map(|f| (t + 1).min(f.len()).min(last + 1))
            .collect();
        for (i, (l, _)) in self.modes.iter().enumerate() {
            let upto = shown[i];
            if upto == 0 {
                continue;
            }
            series.push(
                Series::new(l, &self.fraction[i][..upto], LineStyle::Bold, color(i))
                    .with_x(&xs[..upto]),
            );
        }
        // One label for the modes that see every sample once an epoch (their lines
        // coincide), one for sampling with replacement.
        let (mut once, mut with) = (Vec::new(), None);
        for (i, (l, m)) in self.modes.iter().enumerate() {
            if *m == Sampling::WithReplacement {
                with = Some(i);
            } else {
                once.push((i, l.as_str()));
            }
        }
        if let Some(i) = with {
            let upto = shown[i];
            if upto > 0 {
                ends.push(EndLabel {
                    text: self.modes[i].0.clone(),
                    at: (xs[upto - 1], self.fraction[i][upto - 1]),
                    color: color(i),
                });
            }
        }
        if let Some(&(i, _)) = once.last() {
            let upto = shown[i];
            if upto > 0 {
                let names: Vec<&str> = once.iter().map(|o| o.1).collect();
                ends.push(EndLabel {
                    text: names.join(", "),
                    at: (xs[upto - 1], self.fraction[i][upto - 1]),
                    color: color(i),
                });
            }
        }
        let frame = line::draw(
            area,
            &LineChart {
                title: "Fraction of the samples seen since the start",
                x_label: "epochs",
                y_label: "distinct samples / n",
                y_scale: AxisScale::Linear,
                x_scale: AxisScale::Linear,
                series: &series,
                bands: &[],
                x_range: Some((0.0, x_max)),
                y_range: Some((0.0, 1.08)),
                cursor: None,
                legend: LegendPos::Hidden,
                text_px,
            },
        )?;
        labels::draw(area, &frame, &ends, text_px)?;
        Ok(frame)
    }

    pub(super) fn draw_gap<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let spe = self.steps_per_epoch() as usize;
        let steps = self.sb.scenario().steps as f64;
        let shown = self.sb.shown_step() as usize;
        // Once every run is computed the curves are fixed: computed once, then each
        // frame draws a prefix (#8: no per-frame work proportional to the run).
        let mut cache = self.gap_curves.borrow_mut();
        if cache.is_none() {
            let curves = self.gap_curves_upto(usize::MAX, spe);
            if self.sb.runs_done() {
                *cache = Some(curves);
            } else {
                drop(cache);
                return self.draw_gap_curves(area, text_px, &curves, shown, steps, spe);
            }
        }
        let curves = cache.as_ref().expect("just filled");
        self.draw_gap_curves(area, text_px, curves, shown, steps, spe)
    }

    /// Each mode's epoch-averaged mean gap and the band of its kept runs' epoch
    /// averages, up to step `upto` − 1 (all that is computed when larger).
    fn gap_curves_upto(&self, upto: usize, spe: usize) -> Vec<GapCurves> {
        (0..self.modes.len())
            .map(|i| {
                let mean = epoch_average(&self.sb.mean_gaps(i), spe);
                let upto = upto.min(mean.len());
                let runs: Vec<Vec<f64>> = self
                    .sb
                    .kept_gaps(i)
                    .iter()
                    .map(|g| epoch_average(&g[..upto.min(g.len())], spe))
                    .collect();
                let refs: Vec<&[f64]> = runs.iter().map(|r| r.as_slice()).collect();
                let band = if refs.len() > 1 {
                    band(&refs, upto, BAND_LO, BAND_HI, 2)
                } else {
                    (Vec::new(), Vec::new())
                };
                GapCurves { mean, band }
            })
            .collect()
    }

    fn draw_gap_curves<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
        curves: &[GapCurves],
        shown: usize,
        steps: f64,
        spe: usize,
    ) -> Result<ChartFrame, String> {
        let means: Vec<&Vec<f64>> = curves.iter().map(|c| &c.mean).collect();
        let xs: Vec<f64> = (0..=self.sb.scenario().steps as usize)
            .map(|t| t as f64 / spe as f64)
            .collect();
        let mut values: Vec<f64> = means.iter().flat_map(|m| m.iter()).copied().collect();
        values.extend(self.floor);
        let (lo, hi) = values
            .iter()
            .filter(|v| v.is_finite() && **v > 0.0)
            .fold((f64::INFINITY, 0.0f64), |(a, b), &v| (a.min(v), b.max(v)));
        let y_range = if lo <= hi {
            (lo / 3.0, hi * 2.0)
        } else {
            (1e-6, 1.0)
        };
        let lines: Vec<MeanCurve> = self
            .modes
            .iter()
            .zip(curves)
            .enumerate()
            .map(|(i, ((l, _), c))| MeanCurve {
                label: l,
                color: color(i),
                mean: &c.mean,
                band: (&c.band.0, &c.band.1),
            })
            .collect();
        gap_chart::draw_means(
            area,
            "Mean loss gap, averaged over the last epoch",
            "epochs",
            &xs,
            steps / spe as f64,
            y_range,
            &lines,
            shown + 1,
            self.floor.map(|f| ("with replacement: exact floor", f)),
            text_px,
        )
    }

    pub(super) fn draw_floors<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let lr = self.sb.scenario().method.lr;
        let x_range = (lr / 45.0, lr * 1.6);
        let measured: Vec<Vec<(f64, f64)>> =
            (0..self.modes.len()).map(|i| self.floors.of(i)).collect();
        let mut ys: Vec<f64> = self.exact.iter().map(|p| p.1).collect();
        ys.extend(measured.iter().flatten().map(|p| p.1));
        let (lo, hi) = ys
            .iter()
            .filter(|v| v.is_finite() && **v > 0.0)
            .fold((f64::INFINITY, 0.0f64), |(a, b), &v| (a.min(v), b.max(v)));
        let y_range = if lo <= hi {
            (lo / 2.0, hi * 2.0)
        } else {
            (1e-6, 1.0)
        };
        let ex_x: Vec<f64> = self.exact.iter().map(|p| p.0).collect();
        let ex_y: Vec<f64> = self.exact.iter().map(|p| p.1).collect();
        let xy: Vec<(Vec<f64>, Vec<f64>)> = measured
            .iter()
            .map(|m| {
                (
                    m.iter().map(|p| p.0).collect(),
                    m.iter().map(|p| p.1).collect(),
                )
            })
            .collect();
        let mut series = Vec::new();
        let mut ends = Vec::new();
        if !ex_x.is_empty() {
            series.push(
                Series::new("", &ex_y, LineStyle::Dashed, palette::INK_SOFT)
                    .with_x(&ex_x)
                    .theory(),
            );
            ends.push(EndLabel {
                text: "with replacement, exact".into(),
                at: (ex_x[ex_x.len() - 1], ex_y[ex_y.len() - 1]),
                color: palette::INK_SOFT,
            });
        }
        for (i, (l, _)) in self.modes.iter().enumerate() {
            let (x, y) = &xy[i];
            if x.is_empty() {
                continue;
            }
            series.push(Series::new(l, y, LineStyle::Bold, color(i)).with_x(x));
            let slope = Floors::slope(&measured[i])
                .map(|s| format!(" (slope {:.1})", s))
                .unwrap_or_default();
            ends.push(EndLabel {
                text: format!("{l}{slope}"),
                at: (x[x.len() - 1], y[y.len() - 1]),
                color: color(i),
            });
        }
        let title = if self.floors.is_done() {
            "Floors against η: reshuffling's falls faster"
        } else {
            "Floors against η (being measured)"
        };
        let frame = line::draw(
            area,
            &LineChart {
                title,
                x_label: "step size η",
                y_label: "floor",
                y_scale: AxisScale::Log,
                x_scale: AxisScale::Log,
                series: &series,
                bands: &[],
                x_range: Some(x_range),
                y_range: Some(y_range),
                cursor: Some(lr),
                legend: LegendPos::Hidden,
                text_px,
            },
        )?;
        // The measurements as dots on their lines.
        let base = area.get_base_pixel();
        let (w, h) = area.dim_in_pixel();
        let r = (crate::chart::auto_text_px(w, h) / 4.0).clamp(2.0, 8.0) as i32;
        for (i, pts) in measured.iter().enumerate() {
            for &(x, y) in pts {
                if let Some((px, py)) = frame.pixel(x, y) {
                    let p = (px as i32 - base.0, py as i32 - base.1);
                    area.draw(&Circle::new(p, r, color(i).filled()))
                        .map_err(|e| format!("drawing the chart failed: {e}"))?;
                }
            }
        }
        labels::draw(area, &frame, &ends, text_px)?;
        Ok(frame)
    }
}
