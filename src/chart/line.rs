//! Several series against x (the step, or gradient evaluations): loss gaps on a log
//! axis, step sizes η_t on a linear one. Individual runs are drawn faint, summaries
//! bold, theory dashed; an ensemble's spread is a filled band.
//!
//! ```ignore
//! let series = [
//!     Series::new("mean over 1000 runs", &mean, LineStyle::Bold, palette::BLUE),
//!     Series::new("lecture's bound", &bound, LineStyle::Dashed, palette::VERMILLION),
//! ];
//! let frame = line::draw(&root, &LineChart {
//!     title: "Loss gap", x_label: "step t", y_label: "L(w) − L*",
//!     y_scale: AxisScale::Log, series: &series, ..Default::default()
//! })?;
//! ```

use super::plot::{legend_box, plot_size, AxisSpec, Plot, PlotSpec, Shape, Swatch, Theme};
use super::probe;
use super::{AxisScale, ChartFrame, LegendPos};
use plotters::coord::Shift;
use plotters::prelude::*;

/// How a series is drawn.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LineStyle {
    /// A thick line: a single run, a mean, the thing to look at.
    #[default]
    Bold,
    /// A thin translucent line: one of many individual runs (the more faint series,
    /// the more translucent each).
    Faint,
    /// A dashed line: a theory curve.
    Dashed,
}

/// One curve: y[t] against x[t] (or against t when `x` is `None`).
#[derive(Clone, Copy, Debug)]
pub struct Series<'a> {
    /// Legend text; empty for none. Several series with the same label (e.g. many
    /// faint runs) share one legend entry.
    pub label: &'a str,
    /// x values; `None` means x = 0, 1, 2, … (the step).
    pub x: Option<&'a [f64]>,
    pub y: &'a [f64],
    pub style: LineStyle,
    pub color: RGBColor,
    /// A theory overlay (a bound, an exact floor, a predicted rate): not drawn, nor its
    /// direct label, when a lesson hides the theory ([`crate::chart::with_theory`]).
    pub theory: bool,
}

impl<'a> Series<'a> {
    pub fn new(label: &'a str, y: &'a [f64], style: LineStyle, color: RGBColor) -> Series<'a> {
        Series {
            label,
            x: None,
            y,
            style,
            color,
            theory: false,
        }
    }
    pub fn with_x(mut self, x: &'a [f64]) -> Series<'a> {
        self.x = Some(x);
        self
    }
    /// Marks the series as theory (see [`Series::theory`]).
    pub fn theory(mut self) -> Series<'a> {
        self.theory = true;
        self
    }
}

/// A filled band from lo[t] to hi[t] (e.g. the 10–90 % range of an ensemble). On a
/// log axis a lo ≤ 0 reaches down to the bottom edge; a point whose hi ≤ 0 breaks
/// the band.
#[derive(Clone, Copy, Debug)]
pub struct Band<'a> {
    pub label: &'a str,
    pub x: Option<&'a [f64]>,
    pub lo: &'a [f64],
    pub hi: &'a [f64],
    pub color: RGBColor,
}

/// The whole line chart.
#[derive(Clone, Copy, Debug, Default)]
pub struct LineChart<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub y_scale: AxisScale,
    /// Logarithmic x (log–log charts: a rate 1/t is a straight line); points with
    /// x ≤ 0 are not drawn. The x values and `x_range` stay in data units.
    pub x_scale: AxisScale,
    /// Drawn in this order within each style; bands first, then faint, bold and
    /// dashed series.
    pub series: &'a [Series<'a>],
    pub bands: &'a [Band<'a>],
    /// Fixed data ranges (so that an animation does not jump); `None`: fit the data.
    /// On a log axis the y range is in data units and must be > 0.
    pub x_range: Option<(f64, f64)>,
    pub y_range: Option<(f64, f64)>,
    /// A thin vertical line at this x (the current step of an animation).
    pub cursor: Option<f64>,
    pub legend: LegendPos,
    /// Axis-label text size in backend pixels; `None`: from the area's size.
    pub text_px: Option<f64>,
}

fn xs(x: Option<&[f64]>, n: usize) -> impl Iterator<Item = f64> + '_ {
    (0..n).map(move |t| x.map_or(t as f64, |x| x[t]))
}

fn len_of(x: Option<&[f64]>, n: usize) -> usize {
    x.map_or(n, |x| x.len().min(n))
}

fn to_plot_y(v: f64, scale: AxisScale) -> f64 {
    match scale {
        AxisScale::Linear => v,
        AxisScale::Log if v > 0.0 => libm::log10(v),
        AxisScale::Log => f64::NAN,
    }
}

fn x_range_of(c: &LineChart) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    let mut take = |x: Option<&[f64]>, n: usize| {
        for v in xs(x, len_of(x, n)) {
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    };
    for s in c.series {
        take(s.x, s.y.len());
    }
    for b in c.bands {
        take(b.x, b.lo.len().min(b.hi.len()));
    }
    if !(lo <= hi) {
        return (0.0, 1.0);
    }
    if hi - lo < 1e-12 * lo.abs().max(1.0) {
        return (lo - 0.5, hi + 0.5);
    }
    (lo, hi)
}

/// Plot-space y range (exponents on a log axis) that shows every drawable value.
fn y_range_of(c: &LineChart) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    let mut take = |v: f64| {
        let p = to_plot_y(v, c.y_scale);
        if p.is_finite() {
            lo = lo.min(p);
            hi = hi.max(p);
        }
    };
    for s in c.series {
        s.y[..len_of(s.x, s.y.len())].iter().for_each(|&v| take(v));
    }
    for b in c.bands {
        let n = len_of(b.x, b.lo.len().min(b.hi.len()));
        b.hi[..n].iter().for_each(|&v| take(v));
        b.lo[..n].iter().for_each(|&v| take(v));
    }
    match c.y_scale {
        AxisScale::Log => {
            if !(lo <= hi) {
                return (-1.0, 1.0);
            }
            // More than 30 decades says nothing more: keep the top 30.
            let lo = lo.max(hi - 30.0);
            let span = hi - lo;
            if span < 1e-9 {
                return (lo - 0.5, hi + 0.5);
            }
            (lo - 0.03 * span, hi + 0.05 * span)
        }
        AxisScale::Linear => {
            if !(lo <= hi) {
                return (0.0, 1.0);
            }
            // A quantity of one sign is shown from 0 (step sizes, rates).
            let (lo, hi) = if lo >= 0.0 {
                (0.0, hi)
            } else if hi <= 0.0 {
                (lo, 0.0)
            } else {
                (lo, hi)
            };
            let span = hi - lo;
            if span < 1e-300 {
                return (lo - 1.0, hi + 1.0);
            }
            (
                if lo == 0.0 { 0.0 } else { lo - 0.05 * span },
                if hi == 0.0 { 0.0 } else { hi + 0.05 * span },
            )
        }
    }
}

/// The legend's entries: distinct non-empty labels, bands first.
fn legend_labels<'a>(c: &LineChart<'a>) -> Vec<&'a str> {
    let mut seen: Vec<&str> = Vec::new();
    let labels = c
        .bands
        .iter()
        .map(|b| b.label)
        .chain(c.series.iter().map(|s| s.label));
    for l in labels {
        if !l.is_empty() && !seen.contains(&l) {
            seen.push(l);
        }
    }
    seen
}

/// Whether nothing but faint runs would be drawn in a corner box of `frac`
/// (fractions of the plot's width and height) at corner (`right`, `top`), with
/// plot-space ranges x_range × y_range. (Faint runs may go under the legend: the bold
/// summary over them is what must stay visible.) Segments are sampled every 1 % of
/// the plot so that long ones count too.
fn corner_is_free(
    c: &LineChart,
    x_range: (f64, f64),
    y_range: (f64, f64),
    frac: (f64, f64),
    (right, top): (bool, bool),
) -> bool {
    let (bx0, bx1) = if right {
        (1.0 - frac.0, 1.0)
    } else {
        (0.0, frac.0)
    };
    let (by0, by1) = if top {
        (1.0 - frac.1, 1.0)
    } else {
        (0.0, frac.1)
    };
    let fx = |x: f64| (x - x_range.0) / (x_range.1 - x_range.0);
    let fy = |y: f64| (y - y_range.0) / (y_range.1 - y_range.0);
    let inside = |p: (f64, f64)| p.0 >= bx0 && p.0 <= bx1 && p.1 >= by0 && p.1 <= by1;
    for s in c.series.iter().filter(|s| s.style != LineStyle::Faint) {
        let n = len_of(s.x, s.y.len());
        let mut prev: Option<(f64, f64)> = None;
        for (x, &y) in xs(s.x, n).zip(&s.y[..n]) {
            let p = (fx(x), fy(to_plot_y(y, c.y_scale)));
            if !(p.0.is_finite() && p.1.is_finite()) {
                prev = None;
                continue;
            }
            if inside(p) {
                return false;
            }
            if let Some(q) = prev {
                let k = (((p.0 - q.0).abs() + (p.1 - q.1).abs()) / 0.01)
                    .ceil()
                    .min(200.0) as usize;
                for j in 1..k {
                    let t = j as f64 / k as f64;
                    if inside((q.0 + t * (p.0 - q.0), q.1 + t * (p.1 - q.1))) {
                        return false;
                    }
                }
            }
            prev = Some(p);
        }
    }
    for b in c.bands {
        let n = len_of(b.x, b.lo.len().min(b.hi.len()));
        for (t, x) in xs(b.x, n).enumerate() {
            let px = fx(x);
            if !(px >= bx0 && px <= bx1) {
                continue;
            }
            let hi = fy(to_plot_y(b.hi[t], c.y_scale));
            let lo = fy(to_plot_y(b.lo[t], c.y_scale));
            let lo = if lo.is_finite() {
                lo
            } else {
                f64::NEG_INFINITY
            };
            if hi.is_finite() && hi >= by0 && lo <= by1 {
                return false;
            }
        }
    }
    true
}

/// Band polygons (one per unbroken stretch), thinned to one lo/hi pair per column.
fn band_polygons(
    b: &Band,
    scale: AxisScale,
    floor: f64,
    x0: f64,
    x1: f64,
    columns: usize,
) -> Vec<Vec<(f64, f64)>> {
    let n = len_of(b.x, b.lo.len().min(b.hi.len()));
    let mut out = Vec::new();
    let mut upper: Vec<(f64, f64)> = Vec::new();
    let mut lower: Vec<(f64, f64)> = Vec::new();
    let mut last_col = i64::MIN;
    let scale_x = columns as f64 / (x1 - x0);
    let thin = n > 2 * columns;
    let flush = |upper: &mut Vec<(f64, f64)>,
                 lower: &mut Vec<(f64, f64)>,
                 out: &mut Vec<Vec<(f64, f64)>>| {
        if upper.len() >= 2 {
            let mut poly = std::mem::take(upper);
            poly.extend(lower.drain(..).rev());
            out.push(poly);
        }
        upper.clear();
        lower.clear();
    };
    for (t, x) in xs(b.x, n).enumerate() {
        let hi = to_plot_y(b.hi[t], scale);
        let lo = match scale {
            AxisScale::Log if b.lo[t] <= 0.0 => floor,
            _ => to_plot_y(b.lo[t], scale),
        };
        if !(x.is_finite() && hi.is_finite() && lo.is_finite()) {
            flush(&mut upper, &mut lower, &mut out);
            last_col = i64::MIN;
            continue;
        }
        let col = ((x - x0) * scale_x).floor() as i64;
        if thin && col == last_col {
            let u = upper.last_mut().expect("a column was started");
            u.1 = u.1.max(hi);
            let l = lower.last_mut().expect("a column was started");
            l.1 = l.1.min(lo);
        } else {
            upper.push((x, hi));
            lower.push((x, lo));
        }
        last_col = col;
    }
    flush(&mut upper, &mut lower, &mut out);
    out
}

/// Draws the chart on `area` (a whole canvas or SVG, or a part of one).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &LineChart,
) -> Result<ChartFrame, String> {
    if !super::theory_shown() {
        // A lesson hides the theory: its lines go, and so do their direct labels
        // (`labels::draw` skips the labels of hidden lines).
        let (hidden, shown): (Vec<Series>, Vec<Series>) =
            chart.series.iter().partition(|s| s.theory);
        super::plot::hide_lines(
            hidden.iter().flat_map(|s| {
                let n = len_of(s.x, s.y.len());
                xs(s.x, n).zip(s.y.iter().copied())
            }),
            hidden.iter().map(|s| s.color),
            shown.iter().map(|s| s.color),
        );
        let chart = LineChart {
            series: &shown,
            ..*chart
        };
        let frame = draw_logged(area, &chart)?;
        report(&chart, &frame);
        return Ok(frame);
    }
    let frame = draw_logged(area, chart)?;
    report(chart, &frame);
    Ok(frame)
}

/// Under a probe (`probe::read`) whose pointer is on this chart: each named series'
/// point nearest to the pointer's x (bold and dashed lines, bands), in data units.
fn report(chart: &LineChart, frame: &ChartFrame) {
    let Some(((x, _), probed)) = probe::pointer() else {
        return;
    };
    if probed != *frame {
        return;
    }
    let shown = |v: f64| v.is_finite() && (chart.y_scale == AxisScale::Linear || v > 0.0);
    let mut ordered: Vec<&Series> = chart
        .series
        .iter()
        .filter(|s| s.style == LineStyle::Bold)
        .collect();
    ordered.extend(chart.series.iter().filter(|s| s.style == LineStyle::Dashed));
    for s in ordered {
        let n = len_of(s.x, s.y.len());
        let Some(i) = probe::nearest(xs(s.x, n), x, chart.x_scale, |i| shown(s.y[i])) else {
            continue;
        };
        let mut xi = xs(s.x, n).nth(i).unwrap_or(f64::NAN);
        let mut yi = s.y[i];
        if s.style == LineStyle::Dashed {
            // A theory line is read where the pointer is, along its drawn segment.
            if let Some(y) = along(s, n, x, chart) {
                (xi, yi) = (x, y);
            }
        }
        probe::add(probe::Row::value(
            s.label.to_string(),
            s.color,
            (xi, yi),
            frame.pixel(xi, yi),
        ));
    }
    for b in chart.bands {
        let n = len_of(b.x, b.lo.len().min(b.hi.len()));
        let Some(i) = probe::nearest(xs(b.x, n), x, chart.x_scale, |i| {
            b.lo[i].is_finite() && shown(b.hi[i])
        }) else {
            continue;
        };
        let xi = xs(b.x, n).nth(i).unwrap_or(f64::NAN);
        probe::add(probe::Row {
            label: b.label.to_string(),
            color: probe::hex(b.color),
            x: xi,
            y: None,
            lo: Some(b.lo[i]),
            hi: Some(b.hi[i]),
            px: frame.pixel(xi, b.hi[i]),
            point: false,
        });
    }
}

/// The value of series `s` (its first `n` points) at data x `x`, on the straight
/// segment drawn through x (straight in plot space: along log axes too), or `None`
/// when x is outside the series or the segment is not drawn.
fn along(s: &Series, n: usize, x: f64, chart: &LineChart) -> Option<f64> {
    let px = |v: f64| match chart.x_scale {
        AxisScale::Linear => v,
        AxisScale::Log => to_plot_y(v, AxisScale::Log),
    };
    let pts: Vec<(f64, f64)> = xs(s.x, n)
        .zip(s.y)
        .map(|(a, &b)| (px(a), to_plot_y(b, chart.y_scale)))
        .collect();
    let at = px(x);
    let seg = pts.windows(2).find(|w| {
        let (a, b) = (w[0].0.min(w[1].0), w[0].0.max(w[1].0));
        a <= at && at <= b && w.iter().all(|p| p.0.is_finite() && p.1.is_finite())
    })?;
    let (a, b) = (seg[0], seg[1]);
    let f = if b.0 == a.0 {
        0.0
    } else {
        (at - a.0) / (b.0 - a.0)
    };
    let y = a.1 + f * (b.1 - a.1);
    Some(match chart.y_scale {
        AxisScale::Linear => y,
        AxisScale::Log => libm::pow(10.0, y),
    })
}

/// [`draw`] without the probe's report.
fn draw_logged<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &LineChart,
) -> Result<ChartFrame, String> {
    if chart.x_scale == AxisScale::Linear {
        return draw_in(area, chart, AxisScale::Linear);
    }
    // A log x-axis: the same chart over x' = log10 x, with log ticks.
    let log = |x: f64| if x > 0.0 { libm::log10(x) } else { f64::NAN };
    let step = |n: usize| -> Vec<f64> { (0..n).map(|t| log(t as f64)).collect() };
    let series_x: Vec<Vec<f64>> = chart
        .series
        .iter()
        .map(|s| {
            s.x.map_or_else(|| step(s.y.len()), |x| x.iter().map(|&v| log(v)).collect())
        })
        .collect();
    let band_x: Vec<Vec<f64>> = chart
        .bands
        .iter()
        .map(|b| {
            b.x.map_or_else(
                || step(b.lo.len().min(b.hi.len())),
                |x| x.iter().map(|&v| log(v)).collect(),
            )
        })
        .collect();
    let series: Vec<Series> = chart
        .series
        .iter()
        .zip(&series_x)
        .map(|(s, x)| Series { x: Some(x), ..*s })
        .collect();
    let bands: Vec<Band> = chart
        .bands
        .iter()
        .zip(&band_x)
        .map(|(b, x)| Band { x: Some(x), ..*b })
        .collect();
    let x_range = chart.x_range.map(|(a, b)| (log(a), log(b)));
    if let Some((a, b)) = x_range {
        if !(a.is_finite() && b.is_finite()) {
            return Err(format!(
                "the x range of a log axis must be two numbers > 0, got {:?}",
                chart.x_range
            ));
        }
    }
    let logged = LineChart {
        series: &series,
        bands: &bands,
        x_range,
        cursor: chart.cursor.map(log),
        ..*chart
    };
    draw_in(area, &logged, AxisScale::Log)
}

/// [`draw`] with the x values already in plot space (exponents when `x_scale` is Log).
fn draw_in<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &LineChart,
    x_scale: AxisScale,
) -> Result<ChartFrame, String> {
    let (w, h) = area.dim_in_pixel();
    let theme = Theme::new(w, h, chart.text_px);
    let x_range = match chart.x_range {
        Some(r) => r,
        None => x_range_of(chart),
    };
    let y_range = match (chart.y_range, chart.y_scale) {
        (Some(r), AxisScale::Linear) => r,
        (Some(r), AxisScale::Log) => {
            if !(r.0 > 0.0 && r.1 > 0.0) {
                return Err(format!(
                    "the y range of a log axis must be two numbers > 0, got ({}, {})",
                    r.0, r.1
                ));
            }
            (libm::log10(r.0), libm::log10(r.1))
        }
        (None, _) => {
            let (lo, hi) = y_range_of(chart);
            // A legend at the top gets headroom above the data, unless a corner it
            // may take is free of data already.
            let labels = legend_labels(chart);
            let corners: &[(bool, bool)] = match chart.legend {
                LegendPos::Auto => &[(true, true), (false, true), (true, false), (false, false)],
                LegendPos::UpperRight => &[(true, true)],
                LegendPos::UpperLeft => &[(false, true)],
                _ => &[],
            };
            let (pw, ph) = plot_size(
                &theme,
                !chart.title.is_empty(),
                w,
                h,
                4.0 * 0.56 * theme.tick_font,
            );
            let (lw, lh) = legend_box(&theme, labels.iter().copied());
            let inset = theme.pad * 0.6;
            let frac = ((lw + inset) / pw, (lh + inset) / ph);
            let free = corners
                .iter()
                .any(|&c| corner_is_free(chart, x_range, (lo, hi), frac, c));
            if !labels.is_empty() && !corners.is_empty() && !free && ph > 0.0 {
                let f = frac.1.min(0.6);
                (lo, hi + (hi - lo) * f / (1.0 - f))
            } else {
                (lo, hi)
            }
        }
    };
    let mut plot = Plot::new(
        area,
        theme,
        PlotSpec {
            title: chart.title,
            x: AxisSpec {
                label: chart.x_label,
                range: x_range,
                scale: x_scale,
            },
            y: AxisSpec {
                label: chart.y_label,
                range: y_range,
                scale: chart.y_scale,
            },
            grid: true,
            transparent: false,
            y_label_chars: None,
        },
    )?;
    let columns = plot.frame.plot.width().max(1) as usize;
    let floor = plot.bx.y0 - (plot.bx.y1 - plot.bx.y0);
    for b in chart.bands {
        let color = b.color.mix(0.22);
        for poly in band_polygons(b, chart.y_scale, floor, plot.bx.x0, plot.bx.x1, columns) {
            plot.polygon(&poly, color, 1)?;
        }
        plot.add_legend(b.label, Swatch::Fill(color));
    }
    let faint = chart
        .series
        .iter()
        .filter(|s| s.style == LineStyle::Faint)
        .count();
    let faint_alpha = (0.9 / (faint.max(1) as f64).sqrt()).clamp(0.18, 0.5);
    for style in [LineStyle::Faint, LineStyle::Bold, LineStyle::Dashed] {
        for s in chart.series.iter().filter(|s| s.style == style) {
            let n = len_of(s.x, s.y.len());
            // On a log axis a faint single run's value below the floor is drawn on the
            // floor (as small as the axis shows), not cut out: a noisy run that dips
            // below it again and again stays one line instead of hundreds of pieces
            // (issue #12). Bold and dashed lines are still cut at the floor.
            let floor = match (chart.y_scale, style) {
                (AxisScale::Log, LineStyle::Faint) => plot.bx.y0,
                _ => f64::NEG_INFINITY,
            };
            let pts: Vec<(f64, f64)> = xs(s.x, n)
                .zip(&s.y[..n])
                .map(|(x, &y)| (x, to_plot_y(y, chart.y_scale)))
                .map(|(x, y)| (x, if y < floor { floor } else { y }))
                .collect();
            let (shape, width, weight, swatch_alpha) = match style {
                LineStyle::Faint => (s.color.mix(faint_alpha), theme.thin, 1, 0.6),
                LineStyle::Bold => (s.color.to_rgba(), theme.bold, 3, 1.0),
                LineStyle::Dashed => (s.color.to_rgba(), theme.medium + 1, 3, 1.0),
            };
            plot.line(
                &pts,
                shape.stroke_width(width),
                style == LineStyle::Dashed,
                true,
                weight,
            )?;
            // A bold series ends in a dot: where an animation is now, and visible even
            // when the series has a single point (step 0).
            if style == LineStyle::Bold {
                if let Some(&last) = pts
                    .iter()
                    .rev()
                    .find(|p| p.0.is_finite() && p.1.is_finite())
                {
                    plot.marker(
                        last,
                        Shape::Circle,
                        (theme.marker * 2 / 3).max(2),
                        s.color.to_rgba(),
                        None,
                    )?;
                }
            }
            plot.add_legend(
                s.label,
                Swatch::Line {
                    color: s.color.mix(swatch_alpha),
                    width: width.max(theme.medium),
                    dashed: style == LineStyle::Dashed,
                },
            );
        }
    }
    if let Some(x) = chart.cursor {
        let pts = [(x, plot.bx.y0), (x, plot.bx.y1)];
        plot.line(
            &pts,
            super::palette::INK_SOFT.mix(0.6).stroke_width(theme.thin),
            false,
            false,
            0,
        )?;
    }
    plot.finish(chart.legend)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::palette;
    use crate::chart::test_util::{count_stroke, svg_of, texts};

    #[test]
    fn one_polyline_per_series_and_labels_present() {
        let a: Vec<f64> = (0..100).map(|t| 0.9f64.powi(t)).collect();
        let b: Vec<f64> = (0..100).map(|t| 0.95f64.powi(t)).collect();
        let series = [
            Series::new("fast", &a, LineStyle::Bold, palette::BLUE),
            Series::new("slow", &b, LineStyle::Bold, palette::VERMILLION),
        ];
        let (svg, frame) = svg_of(800, 500, |area| {
            draw(
                area,
                &LineChart {
                    title: "Two rates",
                    x_label: "step t",
                    y_label: "L(w) − L*",
                    y_scale: AxisScale::Log,
                    series: &series,
                    ..Default::default()
                },
            )
        });
        // One polyline for the curve and one for its legend swatch.
        assert_eq!(count_stroke(&svg, "polyline", palette::BLUE), 2, "{svg}");
        assert_eq!(count_stroke(&svg, "polyline", palette::VERMILLION), 2);
        let t = texts(&svg);
        for want in [
            "Two rates",
            "step t",
            "L(w) − L*",
            "fast",
            "slow",
            "10⁰",
            "10⁻²",
        ] {
            assert!(t.iter().any(|s| s == want), "{want} missing in {t:?}");
        }
        // The y range covers the data: 0.9^99 ≈ 3e-5 … 1.
        assert!(frame.y_range.0 < 0.9f64.powi(99) && frame.y_range.1 >= 1.0);
        assert_eq!(frame.x_range, (0.0, 99.0));
    }

    #[test]
    fn non_positive_values_on_a_log_axis_are_skipped() {
        let y = [1.0, 0.5, 0.0, 0.1, 0.05, -1.0, f64::NAN, 0.01, 0.005];
        let series = [Series::new("gap", &y, LineStyle::Bold, palette::BLUE)];
        let chart = LineChart {
            title: "t",
            x_label: "x",
            y_label: "y",
            y_scale: AxisScale::Log,
            series: &series,
            legend: LegendPos::Hidden,
            ..Default::default()
        };
        let (svg, frame) = svg_of(600, 400, |area| draw(area, &chart));
        // Three unbroken stretches: [1, 0.5], [0.1, 0.05], [0.01, 0.005].
        assert_eq!(count_stroke(&svg, "polyline", palette::BLUE), 3);
        // No coordinate of any polyline is outside the plot area.
        for pts in crate::chart::test_util::polylines(&svg, palette::BLUE) {
            for (x, y) in pts {
                assert!(frame.contains(x, y), "({x}, {y}) outside {:?}", frame.plot);
            }
        }
        // The range ignores the bad values.
        assert!(frame.y_range.0 > 1e-3 && frame.y_range.0 < 0.005);
    }

    #[test]
    fn coord_maps_plot_corners_to_range_corners() {
        let y: Vec<f64> = (0..50).map(|t| libm::exp(t as f64 * 0.3)).collect();
        let series = [Series::new("y", &y, LineStyle::Bold, palette::BLUE)];
        for scale in [AxisScale::Linear, AxisScale::Log] {
            let chart = LineChart {
                title: "t",
                x_label: "x",
                y_label: "y",
                y_scale: scale,
                series: &series,
                x_range: Some((0.0, 60.0)),
                y_range: Some((1.0, 1e7)),
                ..Default::default()
            };
            let (_, f) = svg_of(700, 500, |area| draw(area, &chart));
            let r = f.plot;
            let (x, y) = f.coord(r.left as f64, r.bottom as f64).unwrap();
            assert!((x - 0.0).abs() < 1e-9 && (y - 1.0).abs() < 1e-6, "{x} {y}");
            let (x, y) = f.coord(r.right as f64, r.top as f64).unwrap();
            assert!(
                (x - 60.0).abs() < 1e-9 && (y / 1e7 - 1.0).abs() < 1e-9,
                "{x} {y}"
            );
            assert!(f.coord(r.left as f64 - 3.0, r.top as f64).is_none());
        }
    }

    #[test]
    fn a_run_that_dips_below_a_log_floor_again_and_again_stays_one_thin_line() {
        // 20 000 steps that fall below the fixed floor 1e-3 every third step (issue #12:
        // clipping first left hundreds of short unthinned pieces). On a log axis the dips
        // are drawn on the floor: one polyline of at most two points per pixel column,
        // whose lowest point is the plot's bottom edge.
        let y: Vec<f64> = (0..20_000)
            .map(|t| {
                if t % 3 == 0 {
                    1e-6
                } else {
                    0.01 * (1.0 + (t % 7) as f64)
                }
            })
            .collect();
        let series = [Series::new("one run", &y, LineStyle::Faint, palette::BLUE)];
        let chart = LineChart {
            title: "Runs",
            x_label: "step",
            y_label: "gap",
            y_scale: AxisScale::Log,
            series: &series,
            y_range: Some((1e-3, 1.0)),
            ..Default::default()
        };
        let (svg, frame) = svg_of(500, 400, |area| draw(area, &chart));
        let lines = crate::chart::test_util::polylines(&svg, palette::BLUE);
        let data: Vec<_> = lines.iter().filter(|l| l.len() > 2).collect();
        assert_eq!(data.len(), 1, "{} polylines", lines.len());
        let cols = frame.plot.width() as usize;
        assert!(data[0].len() <= 2 * cols + 2, "{} points", data[0].len());
        let lowest = data[0].iter().map(|p| p.1).fold(f64::MIN, f64::max);
        assert!((lowest - frame.plot.bottom as f64).abs() <= 1.0, "{lowest}");
    }

    #[test]
    fn a_linear_axis_still_cuts_a_line_below_its_range() {
        let y: Vec<f64> = (0..100)
            .map(|t| if t % 10 < 5 { -1.0 } else { 1.0 })
            .collect();
        let series = [Series::new("one run", &y, LineStyle::Bold, palette::BLUE)];
        let chart = LineChart {
            title: "Runs",
            x_label: "step",
            y_label: "value",
            y_scale: AxisScale::Linear,
            series: &series,
            y_range: Some((0.0, 2.0)),
            ..Default::default()
        };
        let (svg, frame) = svg_of(500, 400, |area| draw(area, &chart));
        let lines = crate::chart::test_util::polylines(&svg, palette::BLUE);
        // Ten stretches above 0 (the first from step 4.5 on): ten pieces, plus a swatch.
        let data = lines
            .iter()
            .filter(|l| l.iter().all(|p| p.1 <= frame.plot.bottom as f64 + 0.5))
            .count();
        assert!(data >= 10, "{} pieces", lines.len());
    }

    #[test]
    fn many_faint_runs_are_decimated() {
        let runs: Vec<Vec<f64>> = (0..20)
            .map(|r| {
                (0..1000)
                    .map(|t| 1.0 / (1.0 + t as f64) * (1.0 + ((t * 31 + r * 17) % 13) as f64))
                    .collect()
            })
            .collect();
        let mean: Vec<f64> = (0..1000).map(|t| 7.0 / (1.0 + t as f64)).collect();
        let mut series: Vec<Series> = runs
            .iter()
            .map(|y| Series::new("single runs", y, LineStyle::Faint, palette::BLUE))
            .collect();
        series.push(Series::new("mean", &mean, LineStyle::Bold, palette::BLACK));
        let lo: Vec<f64> = mean.iter().map(|m| m * 0.5).collect();
        let hi: Vec<f64> = mean.iter().map(|m| m * 2.0).collect();
        let bands = [Band {
            label: "spread",
            x: None,
            lo: &lo,
            hi: &hi,
            color: palette::SKY_BLUE,
        }];
        let chart = LineChart {
            title: "Runs",
            x_label: "step",
            y_label: "gap",
            y_scale: AxisScale::Log,
            series: &series,
            bands: &bands,
            ..Default::default()
        };
        let (svg, frame) = svg_of(500, 400, |area| draw(area, &chart));
        let lines = crate::chart::test_util::polylines(&svg, palette::BLUE);
        assert_eq!(lines.len(), 21); // 20 runs + 1 legend swatch
        let cols = frame.plot.width() as usize;
        for l in &lines {
            assert!(
                l.len() <= 2 * cols + 2,
                "{} points for {cols} columns",
                l.len()
            );
        }
        assert_eq!(count_stroke(&svg, "polygon", palette::SKY_BLUE), 1);
        let t = texts(&svg);
        assert_eq!(t.iter().filter(|s| *s == "single runs").count(), 1);
        assert!(t.iter().any(|s| s == "spread"));
    }

    #[test]
    fn frame_is_absolute_in_a_sub_area_and_the_cursor_is_drawn() {
        let y: Vec<f64> = (0..101).map(|t| 1.0 + t as f64).collect();
        let series = [Series::new("y", &y, LineStyle::Bold, palette::BLUE)];
        let chart = LineChart {
            title: "right half",
            x_label: "x",
            y_label: "y",
            series: &series,
            cursor: Some(50.0),
            ..Default::default()
        };
        let (svg, f) = svg_of(1000, 400, |root| {
            let (_, right) = root.split_horizontally(500);
            draw(&right, &chart)
        });
        assert!(f.plot.left > 500 && f.plot.right < 1000, "{:?}", f.plot);
        // The cursor: one vertical line at x = 50 across the plot area.
        let cursor: Vec<_> = crate::chart::test_util::polylines(&svg, palette::INK_SOFT)
            .into_iter()
            .filter(|l| l.len() == 2 && l[0].0 == l[1].0 && (l[0].1 - l[1].1).abs() > 100.0)
            .collect();
        assert_eq!(cursor.len(), 1, "{cursor:?}");
        let (x, _) = f.coord(cursor[0][0].0, cursor[0][0].1).unwrap();
        assert!((x - 50.0).abs() < 0.5, "{x}");
    }

    #[test]
    fn dashed_series_and_linear_axis() {
        let eta: Vec<f64> = (0..200).map(|t| 0.5 / (1.0 + t as f64 / 20.0)).collect();
        let series = [Series::new(
            "η_t",
            &eta,
            LineStyle::Dashed,
            palette::BLUISH_GREEN,
        )];
        let chart = LineChart {
            title: "Step size",
            x_label: "step t",
            y_label: "η",
            y_scale: AxisScale::Linear,
            series: &series,
            ..Default::default()
        };
        let (svg, frame) = svg_of(600, 400, |area| draw(area, &chart));
        assert!(count_stroke(&svg, "polyline", palette::BLUISH_GREEN) > 10);
        assert_eq!(frame.y_range.0, 0.0);
        assert!(texts(&svg).iter().any(|s| s == "0.5"));
    }

    #[test]
    fn bad_fixed_ranges_are_errors_not_panics() {
        let y = [1.0, 2.0];
        let series = [Series::new("y", &y, LineStyle::Bold, palette::BLUE)];
        for (xr, yr, scale) in [
            (Some((1.0, 1.0)), None, AxisScale::Linear),
            (None, Some((0.0, 1.0)), AxisScale::Log),
            (Some((f64::NAN, 1.0)), None, AxisScale::Log),
        ] {
            let chart = LineChart {
                series: &series,
                x_range: xr,
                y_range: yr,
                y_scale: scale,
                ..Default::default()
            };
            let mut s = String::new();
            let area = SVGBackend::with_string(&mut s, (400, 300)).into_drawing_area();
            assert!(draw(&area, &chart).is_err());
        }
        // Too small to draw in.
        let chart = LineChart {
            series: &series,
            ..Default::default()
        };
        let mut s = String::new();
        let area = SVGBackend::with_string(&mut s, (30, 20)).into_drawing_area();
        assert!(draw(&area, &chart).unwrap_err().contains("too small"));
        // Empty data still draws axes.
        let chart = LineChart::default();
        let (_, f) = svg_of(400, 300, |area| draw(area, &chart));
        assert!(f.plot.width() > 100);
    }
}
