//! The sandbox's charts. Every variant keeps one colour (Okabe–Ito, in `compare`
//! order) on all three, and is named by a direct label at its line's end.

use super::{Sandbox, CLOUD, TRAIL};
use crate::chart::labels::{self, EndLabel};
use crate::chart::line::{self, Band, LineChart, LineStyle, Series};
use crate::chart::map::{self, Background, MapChart, MapPath, Trail};
use crate::chart::{palette, AxisScale, ChartFrame, LegendPos};
use crate::linalg::norm2;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, RGBColor};

/// Variant i's colour.
pub fn color(i: usize) -> RGBColor {
    palette::SERIES[i % palette::SERIES.len()]
}

/// The y range of a log chart holding `values` (non-positive and non-finite ones
/// ignored), with a decade of room: fixed by the data, not by the step shown.
fn log_range(values: impl Iterator<Item = f64>, decades: f64) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite() && *v > 0.0)
        .fold((f64::INFINITY, 0.0f64), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if lo > hi {
        return (1e-6, 1.0);
    }
    let hi = hi * 3.0;
    ((lo / 3.0).max(hi * libm::pow(10.0, -decades)), hi)
}

impl Sandbox {
    pub(crate) fn draw_gap<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let n = self.setup.problem.n();
        let variants = self.track.variants();
        let mut xs: Vec<Vec<f64>> = Vec::new();
        let mut means: Vec<Vec<f64>> = Vec::new();
        let mut bands: Vec<(Vec<f64>, Vec<f64>)> = Vec::new();
        let mut x_max = 1.0f64;
        let mut x_common = f64::INFINITY;
        for (i, v) in variants.iter().enumerate() {
            let kept = v.ens.kept();
            let x = kept
                .first()
                .map(|tr| self.x_axis.of_run(tr, &v.ens.setup().scenario.method, n))
                .unwrap_or_default();
            x_max = x_max.max(x.last().copied().unwrap_or(0.0));
            x_common = x_common.min(x.last().copied().unwrap_or(f64::INFINITY));
            let len = v.ens.complete_len().min(x.len());
            // A variant with averaging is its averaged iterate: that is what it returns
            // (its last iterate is the same as the variant without averaging).
            let mean = match v.ens.avg_gap_stats() {
                Some(stats) => stats.mean(len),
                None => v.ens.gap_stats().mean(len),
            };
            // The track keeps the steps already computed (#8: the band was recomputed
            // over every step, every frame).
            bands.push(if v.ens.runs() > 1 {
                let upto = self.upto(i).min(len);
                self.track.band(i, upto)
            } else {
                (Vec::new(), Vec::new())
            });
            means.push(mean);
            xs.push(x);
        }
        if self.common_x && x_common.is_finite() && x_common > 0.0 {
            x_max = x_common;
        }
        let y_range = log_range(
            means
                .iter()
                .flatten()
                .copied()
                .chain(self.reference.iter().map(|r| r.1)),
            self.decades,
        );
        let mut series: Vec<Series> = Vec::new();
        let mut band_list: Vec<Band> = Vec::new();
        let mut ends = Vec::new();
        let ref_x = [0.0, x_max];
        let ref_y = self.reference.as_ref().map(|r| [r.1, r.1]);
        if let (Some((name, level)), Some(y)) = (&self.reference, &ref_y) {
            series.push(
                Series::new("", y, LineStyle::Dashed, palette::INK_SOFT)
                    .with_x(&ref_x)
                    .theory(),
            );
            ends.push(EndLabel {
                text: name.clone(),
                at: (x_max, *level),
                color: palette::INK_SOFT,
            });
        }
        for (i, v) in variants.iter().enumerate() {
            let mut upto = self.upto(i).min(means[i].len());
            if self.common_x {
                // Only what fits the common cost: the line ends, and is named, in frame.
                upto = upto.min(xs[i].partition_point(|x| *x <= x_max));
            }
            if upto == 0 {
                continue;
            }
            let x = &xs[i][..upto];
            if !bands[i].0.is_empty() {
                band_list.push(Band {
                    label: "",
                    x: Some(x),
                    lo: &bands[i].0[..upto.min(bands[i].0.len())],
                    hi: &bands[i].1[..upto.min(bands[i].1.len())],
                    color: color(i),
                });
            }
            series.push(
                Series::new(&v.label, &means[i][..upto], LineStyle::Bold, color(i)).with_x(x),
            );
            ends.push(EndLabel {
                text: v.label.clone(),
                at: (x[upto - 1], means[i][upto - 1]),
                color: color(i),
            });
        }
        let frame = line::draw(
            area,
            &LineChart {
                title: self.titles[0],
                x_label: self.x_axis.label(),
                y_label: "L(w_t) − L*",
                y_scale: AxisScale::Log,
                series: &series,
                bands: &band_list,
                x_range: Some((0.0, x_max)),
                y_range: Some(y_range),
                cursor: None,
                legend: LegendPos::Hidden,
                text_px,
                x_scale: AxisScale::Linear,
            },
        )?;
        labels::draw(area, &frame, &ends, text_px)?;
        Ok(frame)
    }

    pub(super) fn draw_lr<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let steps = self.setup.scenario.steps;
        let shown = (self.t.max(1)).min(steps) as usize;
        let lrs: Vec<Vec<f64>> = self
            .track
            .variants()
            .iter()
            .map(|v| {
                let s = &v.ens.setup().scenario;
                (0..steps)
                    .map(|t| s.schedule.lr(s.method.lr, t, steps))
                    .collect()
            })
            .collect();
        let top = lrs.iter().flatten().copied().fold(0.0f64, f64::max);
        let mut series = Vec::new();
        let mut ends = Vec::new();
        for (i, v) in self.track.variants().iter().enumerate() {
            let y = &lrs[i][..shown.min(lrs[i].len())];
            series.push(Series::new(&v.label, y, LineStyle::Bold, color(i)));
            if let Some(&last) = y.last() {
                ends.push(EndLabel {
                    text: v.label.clone(),
                    at: ((y.len() - 1) as f64, last),
                    color: color(i),
                });
            }
        }
        let frame = line::draw(
            area,
            &LineChart {
                title: "Step size η_t of every variant",
                x_label: "step t",
                y_label: "η_t",
                y_scale: AxisScale::Linear,
                series: &series,
                x_range: Some((0.0, steps.max(1) as f64)),
                y_range: Some((0.0, (top * 1.15).max(1e-9))),
                legend: LegendPos::Hidden,
                text_px,
                ..Default::default()
            },
        )?;
        labels::draw(area, &frame, &ends, text_px)?;
        Ok(frame)
    }

    pub(crate) fn draw_iterates<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
        background: Background,
    ) -> Result<ChartFrame, String> {
        match self.setup.problem.d() {
            2 => self.draw_map(area, text_px, background),
            d => self.draw_w(area, text_px, d),
        }
    }

    /// d = 2: the contours, w*, each variant's first run as a short trail and the
    /// current points of its kept runs as a cloud; points off the map are pinned to
    /// its edge.
    fn draw_map<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
        background: Background,
    ) -> Result<ChartFrame, String> {
        let (w, h) = area.dim_in_pixel();
        let (_, (xr, yr)) = self.map_box_for(w, h, text_px);
        {
            let mut cache = self.contours.borrow_mut();
            if cache.as_ref().map(|c| c.0) != Some((xr, yr)) {
                *cache = Some(((xr, yr), map::contour_lines(&self.setup.problem, xr, yr)));
            }
        }
        let cache = self.contours.borrow();
        let contours = cache.as_ref().map(|c| c.1.as_slice()).unwrap_or(&[]);
        let pin = |v: f64, r: (f64, f64)| {
            if v.is_finite() {
                v.clamp(r.0, r.1)
            } else {
                r.1
            }
        };
        let t = self.t as usize;
        let mut points: Vec<Vec<f64>> = Vec::new();
        let mut colors = Vec::new();
        let mut ends = Vec::new();
        for (i, v) in self.track.variants().iter().enumerate() {
            // The first run: its last steps as a fading trail, the ones before as a
            // cloud of dots (as step-size draws its paths).
            for (r, tr) in v.ens.kept().iter().enumerate().take(1) {
                // A variant with averaging shows its averaged iterate.
                let w = tr.avg_w.as_deref().unwrap_or(&tr.w);
                let last = (w.len() / 2).saturating_sub(1).min(t);
                let from = last.saturating_sub(TRAIL + CLOUD);
                let pts: Vec<f64> = w[2 * from..2 * last + 2]
                    .chunks_exact(2)
                    .flat_map(|c| [pin(c[0], xr), pin(c[1], yr)])
                    .collect();
                if r == 0 {
                    ends.push(EndLabel {
                        text: v.label.clone(),
                        at: (pts[pts.len() - 2], pts[pts.len() - 1]),
                        color: color(i),
                    });
                }
                points.push(pts);
                colors.push(color(i));
            }
        }
        let paths: Vec<MapPath> = points
            .iter()
            .zip(&colors)
            .map(|(p, c)| MapPath {
                label: "",
                points: p,
                color: *c,
            })
            .collect();
        let th = &self.theory;
        let frame = map::draw(
            area,
            &MapChart {
                title: self.titles[1],
                x_label: "w₁",
                y_label: "w₂",
                x_range: xr,
                y_range: yr,
                background,
                contours,
                paths: &paths,
                minimizers: &self.minimizers,
                optimum: Some((th.optimum.w[0], th.optimum.w[1])),
                legend: LegendPos::Hidden,
                text_px,
                trail: Some(Trail {
                    len: TRAIL,
                    cloud: CLOUD,
                }),
                inset: None,
            },
        )?;
        labels::draw(area, &frame, &ends, text_px)?;
        Ok(frame)
    }

    /// d = 1: w_t of each variant's first run against the step, w* dashed; d ≥ 3: the
    /// distance ‖w_t − w*‖ on a log axis.
    fn draw_w<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
        d: usize,
    ) -> Result<ChartFrame, String> {
        let steps = self.setup.scenario.steps;
        let w_star = &self.theory.optimum.w;
        let ys: Vec<Vec<f64>> = self
            .track
            .variants()
            .iter()
            .map(|v| {
                v.ens
                    .kept()
                    .first()
                    .map(|tr| {
                        tr.avg_w
                            .as_deref()
                            .unwrap_or(&tr.w)
                            .chunks_exact(d)
                            .map(|w| {
                                if d == 1 {
                                    w[0]
                                } else {
                                    let e: Vec<f64> =
                                        w.iter().zip(w_star).map(|(a, b)| a - b).collect();
                                    norm2(&e).sqrt()
                                }
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect();
        // A diverging run leaves the picture: its values are pinned to ±1e6 (and to
        // 1e6 on the log axis), far outside the range drawn, so the line runs to the edge.
        let ys: Vec<Vec<f64>> = ys
            .into_iter()
            .map(|y| {
                y.into_iter()
                    .map(|v| {
                        if v.is_finite() {
                            v.clamp(-1e6, 1e6)
                        } else {
                            1e6
                        }
                    })
                    .collect()
            })
            .collect();
        let t = self.t as usize;
        let mut series = Vec::new();
        let mut ends = Vec::new();
        for (i, v) in self.track.variants().iter().enumerate() {
            let y = &ys[i][..(t + 1).min(ys[i].len())];
            series.push(Series::new(&v.label, y, LineStyle::Bold, color(i)));
            if let Some(&last) = y.last() {
                ends.push(EndLabel {
                    text: v.label.clone(),
                    at: ((y.len() - 1) as f64, last),
                    color: color(i),
                });
            }
        }
        let star = [w_star[0]; 2];
        let star_x = [0.0, steps as f64];
        let (title, y_label, scale, y_range) = if d == 1 {
            series.push(Series::new("w*", &star, LineStyle::Dashed, palette::INK).with_x(&star_x));
            ends.push(EndLabel {
                text: "w*".into(),
                at: (0.0, w_star[0]),
                color: palette::INK,
            });
            let all = ys.iter().flatten().copied().filter(|v| v.abs() <= 1e6);
            let (lo, hi) = all
                .chain([w_star[0]])
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                    (a.min(v), b.max(v))
                });
            // At least 0.1 % of the values' size: a flat line far from 0 gets tick
            // labels of a few digits, not "9.704787" (rule 10).
            let pad = ((hi - lo) * 0.08)
                .max(1e-6)
                .max(1e-3 * lo.abs().max(hi.abs()));
            (
                "w_t of each variant's first run, and w*",
                "w_t",
                AxisScale::Linear,
                (lo - pad, hi + pad),
            )
        } else {
            (
                "Distance to w* of each variant's first run",
                "‖w_t − w*‖",
                AxisScale::Log,
                log_range(ys.iter().flatten().copied(), 8.0),
            )
        };
        let frame = line::draw(
            area,
            &LineChart {
                title,
                x_label: "step t",
                y_label,
                y_scale: scale,
                series: &series,
                x_range: Some((0.0, steps.max(1) as f64)),
                y_range: Some(y_range),
                legend: LegendPos::Hidden,
                text_px,
                ..Default::default()
            },
        )?;
        labels::draw(area, &frame, &ends, text_px)?;
        Ok(frame)
    }
}
