//! The gd-vs-sgd lab's charts: the race (GD's staircase and SGD's mean with its band
//! for every data set, against evaluations on log–log axes, the crossings ringed and
//! the target ε dashed), and the crossings against n beside ε = 1/n, with the
//! lecture's ImageNet example.

use super::text::{short, size_name};
use super::GdVsSgdLab;
use crate::chart::labels::{self, EndLabel};
use crate::chart::line::{self, Band, LineChart, LineStyle, Series};
use crate::chart::{palette, AxisScale, ChartFrame, LegendPos};
use plotters::coord::Shift;
use plotters::prelude::{Circle, DrawingArea, DrawingBackend, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, IntoFont, RGBColor};

pub const GD: RGBColor = palette::BLUE;
pub const SGD: RGBColor = palette::VERMILLION;

/// The lecture's ImageNet example (01:16): about 10⁶ images, ε ≈ 0.25 is enough.
pub const IMAGENET: (f64, f64) = (1e6, 0.25);

fn err(e: impl std::fmt::Display) -> String {
    format!("drawing the chart failed: {e}")
}

/// One data set's curves up to `shown` evaluations: GD's staircase (x, y) and SGD's
/// checkpoints (x, mean, lo, hi).
struct Curves {
    gd: (Vec<f64>, Vec<f64>),
    sgd: (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>),
}

impl GdVsSgdLab {
    fn curves(&self, i: usize, shown: u64) -> Curves {
        let r = &self.races()[i];
        let x_end = shown as f64;
        // GD keeps its gap for a whole pass: a staircase, flat until the pass ends.
        let (mut gx, mut gy) = (vec![1.0], vec![r.gap0]);
        for (t, g) in r.gd_gaps.iter().enumerate().skip(1) {
            let x = (t as u64 * r.n) as f64;
            if x > x_end {
                break;
            }
            gx.push(x);
            gy.push(gy[gy.len() - 1]);
            gx.push(x);
            gy.push(*g);
        }
        let computed = r.gd_gaps.len() as u64 * r.n; // the pass in progress ends here
        let flat_to = x_end.min(computed as f64).min(r.x_max() as f64);
        if flat_to > gx[gx.len() - 1] {
            gx.push(flat_to);
            gy.push(gy[gy.len() - 1]);
        }
        let mean = r.sgd_mean();
        let (lo, hi) = r.sgd_band();
        let mut sgd = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for k in 0..mean.len() {
            let x = (r.sgd_work(k) as f64).max(1.0);
            if x > x_end {
                break;
            }
            sgd.0.push(x);
            sgd.1.push(mean[k]);
            sgd.2.push(lo[k]);
            sgd.3.push(hi[k]);
        }
        Curves { gd: (gx, gy), sgd }
    }

    fn y_range(&self) -> (f64, f64) {
        let gap0 = self
            .races()
            .iter()
            .map(|r| r.gap0)
            .fold(0.0f64, f64::max)
            .max(1e-300);
        (gap0 / super::race::GD_REDUCTION / 3.0, gap0 * 3.0)
    }

    pub(super) fn draw_race<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let shown = self.shown_x();
        let x_max = self.x_max() as f64;
        let curves: Vec<Curves> = (0..self.races().len())
            .map(|i| self.curves(i, shown))
            .collect();
        let eps = self.target();
        let target = ([1.0, x_max], [eps, eps]);
        let mut series = vec![
            Series::new("", &target.1, LineStyle::Dashed, palette::INK_SOFT).with_x(&target.0),
        ];
        let mut bands = Vec::new();
        let mut ends = Vec::new();
        // SGD's curves nearly coincide (the data set's size does not change its cost):
        // one name, at the end of the longest.
        let mut sgd_end: Option<(f64, f64)> = None;
        // GD's curves still in their first pass are flat at the start: one name too.
        let mut waiting: Option<(f64, f64)> = None;
        for (i, c) in curves.iter().enumerate() {
            let r = &self.races()[i];
            if c.sgd.0.len() > 1 {
                bands.push(Band {
                    label: "",
                    x: Some(&c.sgd.0),
                    lo: &c.sgd.2,
                    hi: &c.sgd.3,
                    color: SGD,
                });
                series.push(Series::new("", &c.sgd.1, LineStyle::Bold, SGD).with_x(&c.sgd.0));
                let k = c.sgd.0.len() - 1;
                if sgd_end.map_or(true, |(x, _)| c.sgd.0[k] > x) {
                    sgd_end = Some((c.sgd.0[k], c.sgd.1[k]));
                }
            }
            series.push(Series::new("", &c.gd.1, LineStyle::Bold, GD).with_x(&c.gd.0));
            let k = c.gd.0.len() - 1;
            if c.gd.0[k] >= r.n as f64 {
                // Named beside its drop, where it passes 10⁻⁷ of the start (below every
                // SGD curve, one decade of evaluations from the next GD's), or at its end.
                let low = r.gap0 * 1e-7;
                let j = (1..c.gd.1.len()).find(|&j| c.gd.1[j] <= low).unwrap_or(k);
                let name = size_name(r.n);
                ends.push(EndLabel {
                    text: if i == 0 {
                        format!("GD, n = {name}")
                    } else {
                        format!("n = {name}")
                    },
                    at: (c.gd.0[j], c.gd.1[j]),
                    color: GD,
                });
            } else if c.gd.0[k] > 1.0 && waiting.is_none() {
                waiting = Some((c.gd.0[k], c.gd.1[k]));
            }
        }
        if let Some(at) = sgd_end {
            ends.push(EndLabel {
                text: "SGD, every n".into(),
                at,
                color: SGD,
            });
        }
        if let Some(at) = waiting {
            ends.push(EndLabel {
                text: "GD: its first pass".into(),
                at,
                color: GD,
            });
        }
        let y_range = self.y_range();
        let frame = line::draw(
            area,
            &LineChart {
                title: "GD pays n a step, SGD b: who reaches ε with less work",
                x_label: "gradient evaluations (log)",
                y_label: "L(w) − L* (log)",
                y_scale: AxisScale::Log,
                x_scale: AxisScale::Log,
                series: &series,
                bands: &bands,
                x_range: Some((1.0, x_max.max(2.0))),
                y_range: Some(y_range),
                cursor: ((shown as f64) < x_max && shown > 1).then_some(shown as f64),
                legend: LegendPos::Hidden,
                text_px,
            },
        )?;
        ends.push(EndLabel {
            text: format!("target ε = {}", short(eps)),
            at: (1.5, eps),
            color: palette::INK_SOFT,
        });
        // The crossings: a ring where GD gets below SGD's mean, its ε beside it.
        let base = area.get_base_pixel();
        let (w, h) = area.dim_in_pixel();
        let r = (crate::chart::auto_text_px(w, h) / 2.5).clamp(4.0, 10.0) as i32;
        for (_, c) in self.shown_crossings() {
            if let Some((px, py)) = frame.pixel(c.work as f64, c.epsilon) {
                area.draw(&Circle::new(
                    (px as i32 - base.0, py as i32 - base.1),
                    r,
                    palette::INK.stroke_width(2),
                ))
                .map_err(err)?;
            }
        }
        labels::draw(area, &frame, &ends, text_px)?;
        Ok(frame)
    }

    pub(super) fn draw_crossings<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let x_range = (30.0, 3e6);
        let y_range = (1e-8, 1.0);
        let lecture = ([x_range.0, x_range.1], [1.0 / x_range.0, 1.0 / x_range.1]);
        let crossings = self.shown_crossings();
        let (cx, cy): (Vec<f64>, Vec<f64>) = crossings
            .iter()
            .map(|(i, c)| (self.races()[*i].n as f64, c.epsilon))
            .unzip();
        let eps = self.target();
        let target = ([x_range.0, x_range.1], [eps, eps]);
        let series = [
            Series::new("", &lecture.1, LineStyle::Dashed, palette::INK_SOFT)
                .with_x(&lecture.0)
                .theory(),
            Series::new("", &target.1, LineStyle::Dashed, palette::INK_SOFT).with_x(&target.0),
            Series::new("", &cy, LineStyle::Bold, palette::INK).with_x(&cx),
        ];
        let frame = line::draw(
            area,
            &LineChart {
                title: "The ε where GD overtakes SGD falls like 1/n",
                x_label: "samples n (log)",
                y_label: "ε (log)",
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
        let r = (crate::chart::auto_text_px(w, h) / 3.0).clamp(3.0, 8.0) as i32;
        // The lecture's prediction for each data set, a ring on ε = 1/n; the measured
        // crossing appears as a dot once the clock reaches it.
        let theory = crate::chart::theory_shown();
        for race in self.races().iter().filter(|_| theory) {
            if let Some(p) = frame.pixel(race.n as f64, 1.0 / race.n as f64) {
                area.draw(&Circle::new(
                    rel(p),
                    r + 1,
                    palette::INK_SOFT.stroke_width(1),
                ))
                .map_err(err)?;
            }
        }
        for (&x, &y) in cx.iter().zip(&cy) {
            if let Some(p) = frame.pixel(x, y) {
                area.draw(&Circle::new(rel(p), r, palette::INK.filled()))
                    .map_err(err)?;
            }
        }
        if let Some(p) = frame.pixel(IMAGENET.0, IMAGENET.1) {
            area.draw(&Circle::new(rel(p), r + 1, SGD.stroke_width(2)))
                .map_err(err)?;
        }
        // Which side is which, written in the regions themselves.
        let size = labels::label_px(area, text_px);
        let font = |c: RGBColor, h: HPos| {
            ("sans-serif", size)
                .into_font()
                .color(&c)
                .pos(Pos::new(h, VPos::Center))
        };
        let p = &frame.plot;
        let pad = (size * 0.6) as i32;
        if let Some((_, y)) = frame.pixel(x_range.0, 0.1) {
            area.draw(&Text::new(
                "above the crossings: SGD is cheaper",
                (p.left + pad - base.0, y as i32 - base.1),
                font(SGD, HPos::Left),
            ))
            .map_err(err)?;
        }
        area.draw(&Text::new(
            "below: GD is cheaper",
            (
                p.left + pad - base.0,
                p.bottom - (size * 1.2) as i32 - base.1,
            ),
            font(GD, HPos::Left),
        ))
        .map_err(err)?;
        let mut ends = vec![
            EndLabel {
                text: if theory {
                    "lecture: ε = 1/n".into()
                } else {
                    String::new()
                },
                at: (2e3, 1.0 / 2e3),
                color: palette::INK_SOFT,
            },
            EndLabel {
                text: format!("target ε = {}", short(eps)),
                at: (x_range.0 * 1.2, eps),
                color: palette::INK_SOFT,
            },
            EndLabel {
                text: "ImageNet: 10⁶ images, ε ≈ 0.25".into(),
                at: (IMAGENET.0 / 1.6, IMAGENET.1),
                color: SGD,
            },
        ];
        if let (Some(&x), Some(&y)) = (cx.last(), cy.last()) {
            ends.push(EndLabel {
                text: "measured crossing".into(),
                at: (x, y),
                color: palette::INK,
            });
        }
        labels::draw(area, &frame, &ends, text_px)?;
        Ok(frame)
    }
}
