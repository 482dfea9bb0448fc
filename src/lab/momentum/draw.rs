//! The momentum lab's two charts: distances to w* without noise beside the rates
//! e^{−t/κ} and e^{−t/√κ}, and the stochastic methods' mean gaps with their bands and
//! SGD's exact floor. Each line is named at its end.

use super::MomentumLab;
use crate::chart::labels::{self, EndLabel};
use crate::chart::line::{self, LineChart, LineStyle, Series};
use crate::chart::{palette, AxisScale, ChartFrame, LegendPos};
use crate::lab::gap_chart::{self, MeanCurve};
use crate::lab::sandbox::color;
use crate::lab::LabSim;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

/// Distances below this are rounding (w* itself is known to ~1e-16).
const FLOOR: f64 = 1e-15;

impl MomentumLab {
    pub(super) fn draw_deterministic<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let steps = self.sb.scenario().steps as usize;
        let shown = self.sb.shown_step() as usize;
        let d0 = self
            .distance
            .first()
            .and_then(|d| d.first())
            .copied()
            .unwrap_or(1.0);
        let clip = |v: f64| if v > FLOOR { v } else { FLOOR };
        let curves: Vec<Vec<f64>> = self
            .distance
            .iter()
            .map(|d| d.iter().map(|&v| clip(v)).collect())
            .collect();
        let xs: Vec<f64> = (0..=steps).map(|t| t as f64).collect();
        let rate =
            |k: f64| -> Vec<f64> { xs.iter().map(|&t| clip(d0 * libm::exp(-t / k))).collect() };
        let slow = rate(self.kappa);
        let fast = rate(self.kappa.sqrt());
        let mut series = vec![
            Series::new("", &slow, LineStyle::Dashed, palette::INK_SOFT)
                .with_x(&xs)
                .theory(),
            Series::new("", &fast, LineStyle::Dashed, palette::INK_SOFT)
                .with_x(&xs)
                .theory(),
        ];
        let mut ends = vec![
            EndLabel {
                text: "e^(−t/κ)".into(),
                at: (steps as f64, slow[steps]),
                color: palette::INK_SOFT,
            },
            EndLabel {
                // Where it reaches the floor (the end of the line is flat there).
                text: "e^(−t/√κ)".into(),
                at: {
                    let k = fast
                        .iter()
                        .position(|&v| v <= FLOOR * 1.0001)
                        .unwrap_or(steps);
                    (k as f64, fast[k.min(steps)])
                },
                color: palette::INK_SOFT,
            },
        ];
        for (k, &i) in self.deterministic.iter().enumerate() {
            let c = &curves[k];
            let upto = (shown + 1).min(c.len());
            if upto == 0 {
                continue;
            }
            let label = self.label(i);
            ends.push(EndLabel {
                text: label.clone(),
                at: (xs[upto - 1], c[upto - 1]),
                color: color(i),
            });
            series.push(Series::new("", &c[..upto], LineStyle::Bold, color(i)).with_x(&xs[..upto]));
        }
        let frame = line::draw(
            area,
            &LineChart {
                title: "Without noise: distance to w*",
                x_label: "step t",
                y_label: "‖w_t − w*‖",
                y_scale: AxisScale::Log,
                x_scale: AxisScale::Linear,
                series: &series,
                bands: &[],
                x_range: Some((0.0, steps.max(1) as f64)),
                y_range: Some((FLOOR / 3.0, d0 * 3.0)),
                cursor: None,
                legend: LegendPos::Hidden,
                text_px,
            },
        )?;
        labels::draw(area, &frame, &ends, text_px)?;
        Ok(frame)
    }

    pub(super) fn draw_stochastic<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let steps = self.sb.scenario().steps as usize;
        let shown = self.sb.shown_step() as usize;
        let means: Vec<Vec<f64>> = self
            .stochastic
            .iter()
            .map(|&i| self.sb.mean_gaps(i))
            .collect();
        let mut values: Vec<f64> = means.iter().flat_map(|m| m.iter()).copied().collect();
        values.extend(self.floor);
        values.push(self.sb.theory().initial_gap);
        let (lo, hi) = values
            .iter()
            .filter(|v| v.is_finite() && **v > 0.0)
            .fold((f64::INFINITY, 0.0f64), |(a, b), &v| (a.min(v), b.max(v)));
        let y_range = if lo <= hi {
            ((lo / 3.0).max(hi * 1e-12), hi * 3.0)
        } else {
            (1e-6, 1.0)
        };
        let xs: Vec<f64> = (0..=steps).map(|t| t as f64).collect();
        let labels: Vec<String> = self.stochastic.iter().map(|&i| self.label(i)).collect();
        let bands: Vec<(Vec<f64>, Vec<f64>)> = self
            .stochastic
            .iter()
            .zip(&means)
            .map(|(&i, m)| {
                let upto = (shown + 1).min(m.len());
                if self.sb.scenario().runs > 1 && upto > 0 {
                    self.sb.band(i, upto)
                } else {
                    (Vec::new(), Vec::new())
                }
            })
            .collect();
        let lines: Vec<MeanCurve> = self
            .stochastic
            .iter()
            .zip(&means)
            .zip(&bands)
            .zip(&labels)
            .map(|(((&i, m), b), l)| MeanCurve {
                label: l,
                color: color(i),
                mean: m,
                band: (&b.0, &b.1),
            })
            .collect();
        gap_chart::draw_means(
            area,
            "With noise: mean loss gap over the runs",
            "step t",
            &xs,
            steps as f64,
            y_range,
            &lines,
            shown + 1,
            self.floor.map(|f| ("SGD's floor (exact)", f)),
            text_px,
        )
    }
}
