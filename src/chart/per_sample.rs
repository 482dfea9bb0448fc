//! 1-D least squares seen sample by sample (lecture 11:49): each sample's parabola
//! ℓ_i(w) = ½ (x_i w − y_i)² (faint) with its minimiser w*_i = y_i/x_i (a tick on the
//! axis), the average L(w) (bold), the zone of confusion [min w*_i, max w*_i]
//! (shaded), w*, and the SGD and GD iterates on the L curve; the parabola of the
//! sample(s) SGD just used is highlighted.
//!
//! Outside the zone every parabola slopes the same way, so every sample pulls SGD
//! towards the zone; inside, they disagree and SGD at a constant step keeps bouncing.

use super::palette::{self, INK, WHITE};
use super::plot::{AxisSpec, Plot, PlotSpec, Shape, Swatch, Theme};
use super::{probe, AxisScale, ChartFrame, LegendPos};
use crate::problem::Problem;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Largest number of parabolas drawn (every k-th sample beyond it; the ones SGD just
/// used are always drawn).
pub const MAX_PARABOLAS: usize = 300;

#[derive(Clone, Copy, Debug, Default)]
pub struct PerSampleChart<'a> {
    pub title: &'a str,
    /// Axis labels; empty means "w" and "loss".
    pub x_label: &'a str,
    pub y_label: &'a str,
    /// The samples: ℓ_i(w) = ½ (xs[i] w − ys[i])². A 1-D quadratic ½ h (w − c_i)² is
    /// xs[i] = √h, ys[i] = √h c_i ([`samples_of`] does this).
    pub xs: &'a [f64],
    pub ys: &'a [f64],
    /// The SGD iterate w_t.
    pub sgd: Option<f64>,
    /// Indices of the samples the step to w_t used (their parabolas are highlighted).
    pub used: &'a [usize],
    /// The GD iterate.
    pub gd: Option<f64>,
    /// Recent SGD iterates before w_t, oldest first (drawn as fading dots).
    pub trail: &'a [f64],
    /// Fixed ranges so that an animation does not jump ([`auto_range`] gives the ones
    /// `draw` would choose); `None`: fit the zone, w* and the iterates.
    pub w_range: Option<(f64, f64)>,
    pub loss_range: Option<(f64, f64)>,
    pub legend: LegendPos,
    pub text_px: Option<f64>,
}

/// (xs, ys) of a 1-D least-squares or 1-D quadratic problem; `None` otherwise.
pub fn samples_of(problem: &Problem) -> Option<(Vec<f64>, Vec<f64>)> {
    match problem {
        Problem::LeastSquares(p) if p.d() == 1 => Some((
            (0..p.n()).map(|i| p.row(i)[0]).collect(),
            (0..p.n()).map(|i| p.target(i)).collect(),
        )),
        Problem::Quadratic(q) if q.d() == 1 => {
            let s = q.h()[0].sqrt();
            Some((
                vec![s; q.n()],
                (0..q.n()).map(|i| s * q.center(i)[0]).collect(),
            ))
        }
        _ => None,
    }
}

/// L(w) = L* + ½ A (w − w*)², A = mean x_i², computed without cancellation.
struct Average {
    a: f64,
    w_star: f64,
    l_star: f64,
}

impl Average {
    fn of(xs: &[f64], ys: &[f64]) -> Option<Average> {
        let n = xs.len().min(ys.len());
        if n == 0 {
            return None;
        }
        let a = xs[..n].iter().map(|x| x * x).sum::<f64>() / n as f64;
        let b = xs[..n].iter().zip(ys).map(|(x, y)| x * y).sum::<f64>() / n as f64;
        if !(a > 0.0 && a.is_finite() && b.is_finite()) {
            return None;
        }
        let w_star = b / a;
        let l_star = xs[..n]
            .iter()
            .zip(ys)
            .map(|(x, y)| 0.5 * (x * w_star - y).powi(2))
            .sum::<f64>()
            / n as f64;
        Some(Average { a, w_star, l_star })
    }
    fn at(&self, w: f64) -> f64 {
        self.l_star + 0.5 * self.a * (w - self.w_star).powi(2)
    }
}

/// The per-sample minimisers y_i/x_i (samples with x_i = 0 have none).
fn minimizers(xs: &[f64], ys: &[f64]) -> Vec<f64> {
    xs.iter()
        .zip(ys)
        .filter(|(x, _)| **x != 0.0)
        .map(|(x, y)| y / x)
        .filter(|w| w.is_finite())
        .collect()
}

/// The zone of confusion [min w*_i, max w*_i].
pub fn zone(xs: &[f64], ys: &[f64]) -> Option<(f64, f64)> {
    let m = minimizers(xs, ys);
    if m.is_empty() {
        return None;
    }
    Some((
        m.iter().copied().fold(f64::INFINITY, f64::min),
        m.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    ))
}

/// The (w, loss) ranges `draw` uses when none are given: the zone, w* and the
/// iterates with a margin, and losses from 0 to a little above L at the edges.
pub fn auto_range(chart: &PerSampleChart) -> ((f64, f64), (f64, f64)) {
    let w_range = chart.w_range.unwrap_or_else(|| {
        let mut pts: Vec<f64> = Vec::new();
        if let Some((a, b)) = zone(chart.xs, chart.ys) {
            pts.extend([a, b]);
        }
        if let Some(avg) = Average::of(chart.xs, chart.ys) {
            pts.push(avg.w_star);
        }
        pts.extend(chart.sgd);
        pts.extend(chart.gd);
        pts.extend(chart.trail.iter().copied());
        let pts: Vec<f64> = pts.into_iter().filter(|v| v.is_finite()).collect();
        if pts.is_empty() {
            return (-1.0, 1.0);
        }
        let lo = pts.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = pts.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let span = (hi - lo).max(1e-6 * lo.abs().max(1.0));
        // Room on both sides: outside the zone every sample pulls the same way.
        (lo - 0.3 * span, hi + 0.3 * span)
    });
    let loss_range = chart.loss_range.unwrap_or_else(|| {
        let n = chart.xs.len().min(chart.ys.len());
        let (xs, ys) = (&chart.xs[..n], &chart.ys[..n]);
        let avg = Average::of(xs, ys);
        // Every parabola's bottom and where it crosses the zone's edges, and the
        // iterates on the L curve; L far outside the zone may leave the top.
        let mut top: f64 = match (zone(xs, ys), &avg) {
            (Some((a, b)), _) => xs
                .iter()
                .zip(ys)
                .flat_map(|(x, y)| [0.5 * (x * a - y).powi(2), 0.5 * (x * b - y).powi(2)])
                .filter(|v| v.is_finite())
                .fold(0.0, f64::max),
            (None, Some(avg)) => avg.at(w_range.0).max(avg.at(w_range.1)),
            (None, None) => 1.0,
        };
        if let Some(avg) = &avg {
            let iterates = chart.sgd.iter().chain(&chart.gd).chain(chart.trail);
            for &w in iterates {
                top = top.max(avg.at(w));
            }
        }
        let top = if top.is_finite() && top > 0.0 {
            top
        } else {
            1.0
        };
        (0.0, 1.15 * top)
    });
    (w_range, loss_range)
}

/// Points of ½ (x w − y)² over the part of [w0, w1] where it is below `top` (plus a
/// little, so that clipping draws it up to the edge).
fn parabola(x: f64, y: f64, w0: f64, w1: f64, top: f64, n: usize) -> Vec<(f64, f64)> {
    let (a, b) = if x != 0.0 {
        let s = (2.0 * top).sqrt() * 1.05;
        let (p, q) = ((y - s) / x, (y + s) / x);
        let (p, q) = if p < q { (p, q) } else { (q, p) };
        (p.max(w0), q.min(w1))
    } else {
        (w0, w1)
    };
    if !(a < b) {
        return Vec::new();
    }
    (0..=n)
        .map(|k| {
            let w = a + (b - a) * k as f64 / n as f64;
            (w, 0.5 * (x * w - y).powi(2))
        })
        .collect()
}

/// Draws the chart on `area`.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &PerSampleChart,
) -> Result<ChartFrame, String> {
    let (w, h) = area.dim_in_pixel();
    let theme = Theme::new(w, h, chart.text_px);
    let (w_range, loss_range) = auto_range(chart);
    let x_label = if chart.x_label.is_empty() {
        "w"
    } else {
        chart.x_label
    };
    let y_label = if chart.y_label.is_empty() {
        "loss"
    } else {
        chart.y_label
    };
    let mut plot = Plot::new(
        area,
        theme,
        PlotSpec {
            title: chart.title,
            x: AxisSpec {
                label: x_label,
                range: w_range,
                scale: AxisScale::Linear,
            },
            y: AxisSpec {
                label: y_label,
                range: loss_range,
                scale: AxisScale::Linear,
            },
            grid: true,
            transparent: false,
            y_label_chars: None,
        },
    )?;
    let n = chart.xs.len().min(chart.ys.len());
    let (xs, ys) = (&chart.xs[..n], &chart.ys[..n]);
    let (w0, w1) = (plot.bx.x0, plot.bx.x1);
    let top = plot.bx.y1;
    let samples = (plot.frame.plot.width() as usize / 2).clamp(50, 400);

    if let Some((a, b)) = zone(xs, ys) {
        let color = palette::ORANGE.mix(0.2);
        plot.polygon(
            &[(a, plot.bx.y0), (b, plot.bx.y0), (b, top), (a, top)],
            color,
            0,
        )?;
        plot.add_legend("zone of confusion", Swatch::Fill(palette::ORANGE.mix(0.35)));
    }

    // Each sample's parabola, faint.
    let stride = n.div_ceil(MAX_PARABOLAS).max(1);
    let alpha = (1.2 / (n.clamp(1, MAX_PARABOLAS) as f64).sqrt()).clamp(0.12, 0.45);
    let faint = palette::BLUE.mix(alpha).stroke_width(theme.thin);
    for i in (0..n).step_by(stride) {
        let pts = parabola(xs[i], ys[i], w0, w1, top, samples);
        plot.line(&pts, faint, false, false, 1)?;
    }
    if n > 0 {
        let label = if stride > 1 {
            format!("each sample's loss (1 in {stride})")
        } else {
            "each sample's loss".to_string()
        };
        plot.add_legend(
            &label,
            Swatch::Line {
                color: palette::BLUE.mix(0.6),
                width: theme.medium,
                dashed: false,
            },
        );
    }
    // Their minimisers, as ticks along the bottom.
    let tick = (theme.font * 0.7).round() as i32;
    for m in minimizers(xs, ys) {
        plot.rug(m, tick, palette::BLUE.stroke_width(theme.medium))?;
    }

    // The samples just used, highlighted.
    let used: Vec<usize> = chart.used.iter().copied().filter(|&i| i < n).collect();
    for &i in &used {
        let pts = parabola(xs[i], ys[i], w0, w1, top, samples);
        plot.line(
            &pts,
            palette::VERMILLION.stroke_width(theme.medium),
            false,
            false,
            2,
        )?;
    }
    if !used.is_empty() {
        plot.add_legend(
            if used.len() == 1 {
                "the sample SGD just used"
            } else {
                "the samples SGD just used"
            },
            Swatch::Line {
                color: palette::VERMILLION.to_rgba(),
                width: theme.medium,
                dashed: false,
            },
        );
    }

    // The average L, bold.
    let avg = Average::of(xs, ys);
    if let Some(avg) = &avg {
        let pts: Vec<(f64, f64)> = (0..=samples)
            .map(|k| {
                let w = w0 + (w1 - w0) * k as f64 / samples as f64;
                (w, avg.at(w))
            })
            .collect();
        plot.line(&pts, INK.stroke_width(theme.bold), false, false, 3)?;
        if let Some(((w, _), _)) = probe::pointer() {
            // Under a probe: the average and the samples just used, at the pointer's w.
            let row = |label: String, color: RGBColor, v: f64| {
                probe::add(probe::Row::value(
                    label,
                    color,
                    (w, v),
                    plot.frame.pixel(w, v),
                ))
            };
            row("average L(w)".into(), INK, avg.at(w));
            for &i in &used {
                let l = 0.5 * (xs[i] * w - ys[i]).powi(2);
                row(
                    format!("sample {} (just used)", i + 1),
                    palette::VERMILLION,
                    l,
                );
            }
        }
        plot.add_legend(
            "average L(w)",
            Swatch::Line {
                color: INK.to_rgba(),
                width: theme.bold,
                dashed: false,
            },
        );
        plot.add_legend(
            "w*",
            Swatch::Marker {
                shape: Shape::Star,
                color: INK.to_rgba(),
                outline: Some(WHITE),
            },
        );
    }

    // An iterate outside the view is pinned to its edge (so a run that leaves is seen
    // leaving, not vanishing).
    let (y0, x0) = (plot.bx.y0, plot.bx.x0);
    let on_curve = |w: f64| {
        let l = avg.as_ref().map_or(0.0, |a| a.at(w));
        (w.clamp(x0, w1), l.clamp(y0, top))
    };
    let k = chart.trail.len();
    for (j, &w) in chart.trail.iter().enumerate() {
        let a = 0.15 + 0.5 * (j + 1) as f64 / k as f64;
        let r = ((theme.marker as f64) * 0.55).round().max(2.0) as i32;
        plot.marker(
            on_curve(w),
            Shape::Circle,
            r,
            palette::VERMILLION.mix(a),
            None,
        )?;
    }
    if let Some(w) = chart.gd {
        plot.marker(
            on_curve(w),
            Shape::Diamond,
            theme.marker,
            palette::BLUISH_GREEN.to_rgba(),
            Some(WHITE),
        )?;
        plot.add_legend(
            "GD iterate",
            Swatch::Marker {
                shape: Shape::Diamond,
                color: palette::BLUISH_GREEN.to_rgba(),
                outline: Some(WHITE),
            },
        );
    }
    if let Some(w) = chart.sgd {
        plot.marker(
            on_curve(w),
            Shape::Circle,
            theme.marker,
            palette::VERMILLION.to_rgba(),
            Some(WHITE),
        )?;
        plot.add_legend(
            "SGD iterate",
            Swatch::Marker {
                shape: Shape::Circle,
                color: palette::VERMILLION.to_rgba(),
                outline: Some(WHITE),
            },
        );
    }
    // w* last, a little smaller than the iterates' markers: GD arriving at w* shows
    // as a diamond around the star.
    if let Some(avg) = &avg {
        plot.marker(
            (avg.w_star, avg.l_star),
            Shape::Star,
            (theme.marker as f64 * 0.6).round().max(2.0) as i32,
            INK.to_rgba(),
            Some(WHITE),
        )?;
    }
    plot.finish(chart.legend)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::test_util::{count_stroke, polylines, svg_of, texts};

    const XS: [f64; 4] = [1.0, 0.8, 1.2, 0.5];
    const YS: [f64; 4] = [1.0, 1.6, 3.0, 0.9];

    #[test]
    fn draws_every_parabola_the_average_and_the_zone() {
        let chart = PerSampleChart {
            title: "Each sample's loss",
            xs: &XS,
            ys: &YS,
            sgd: Some(2.0),
            used: &[2],
            gd: Some(1.5),
            trail: &[1.0, 2.2, 1.7],
            ..Default::default()
        };
        let (svg, f) = svg_of(900, 600, |a| draw(a, &chart));
        // 4 faint parabolas + legend swatch, all in the faint colour.
        assert_eq!(
            count_stroke(&svg, "polyline", palette::BLUE),
            4 + 1 + 4,
            "{svg}"
        );
        // The used sample's parabola is drawn again, highlighted (+ its legend swatch).
        assert_eq!(polylines(&svg, palette::VERMILLION).len(), 2);
        let t = texts(&svg);
        for want in [
            "Each sample's loss",
            "w",
            "loss",
            "zone of confusion",
            "average L(w)",
            "the sample SGD just used",
            "SGD iterate",
            "GD iterate",
            "w*",
        ] {
            assert!(t.iter().any(|s| s == want), "{want} missing: {t:?}");
        }
        // The zone [0.5·… min y/x, max] = [1.8, 2.5] and the iterates are in view.
        let (a, b) = zone(&XS, &YS).unwrap();
        assert_eq!((a, b), (1.0, 2.5));
        assert!(f.x_range.0 < a && f.x_range.1 > b && f.x_range.1 > 2.2);
        assert_eq!(f.y_range.0, 0.0);
        // The zone is shaded: one orange polygon across the plot's height.
        assert_eq!(count_stroke(&svg, "polygon", palette::ORANGE), 1);
    }

    #[test]
    fn parabolas_stay_inside_the_plot_area() {
        let chart = PerSampleChart {
            title: "t",
            xs: &XS,
            ys: &YS,
            w_range: Some((-5.0, 8.0)),
            loss_range: Some((0.0, 2.0)),
            ..Default::default()
        };
        let (svg, f) = svg_of(700, 500, |a| draw(a, &chart));
        for l in polylines(&svg, palette::BLUE) {
            for (x, y) in l {
                // Legend swatches are also inside the plot area.
                assert!(f.contains(x, y), "({x}, {y}) outside {:?}", f.plot);
            }
        }
        assert_eq!(f.x_range, (-5.0, 8.0));
        assert_eq!(f.y_range, (0.0, 2.0));
    }

    #[test]
    fn samples_of_a_quadratic_are_its_parabolas() {
        use crate::problem::Quadratic;
        let p = Problem::Quadratic(Quadratic::new(&[vec![4.0]], &[vec![1.0], vec![3.0]]).unwrap());
        let (xs, ys) = samples_of(&p).unwrap();
        assert_eq!(xs, vec![2.0, 2.0]);
        assert_eq!(ys, vec![2.0, 6.0]);
        assert_eq!(zone(&xs, &ys), Some((1.0, 3.0)));
        let avg = Average::of(&xs, &ys).unwrap();
        assert!((avg.w_star - 2.0).abs() < 1e-12);
        assert!((avg.at(5.0) - p.loss(&[5.0])).abs() < 1e-12);
    }

    #[test]
    fn no_samples_still_draws() {
        let chart = PerSampleChart {
            title: "empty",
            ..Default::default()
        };
        let (_, f) = svg_of(500, 400, |a| draw(a, &chart));
        assert_eq!(f.x_range, (-1.0, 1.0));
    }
}
