//! The 2-D picture (lecture 23:09): contour lines of L at log-spaced levels, SGD paths
//! over them (each a colour, the current point emphasised), the per-sample minimisers
//! and w*.
//!
//! In the browser the heat map lies underneath, on its own canvas:
//! ```ignore
//! // once per problem change (or box change):
//! let rect = map::plot_area(canvas_w, canvas_h, text_px);
//! let rgba = heatmap::heatmap_rgba(&problem, xr, yr, rect.width(), rect.height());
//! //   JS: under.putImageData(new ImageData(rgba, rect.width()), rect.left, rect.top)
//! let contours = map::contour_lines(&problem, xr, yr);
//! // every frame, on the overlay canvas stacked on top (cleared first):
//! map::draw(&overlay, &MapChart { background: Background::Transparent, .. })?;
//! ```
//! For SVG (`Background::Contours`) the plot area is white and the coloured contour
//! lines carry the picture alone.

pub use super::heatmap::heatmap_rgba;

use super::contour::{self, ContourLine, Grid};
use super::geom::{clip_polyline, Box2};
use super::heatmap::GapScale;
use super::palette::{self, INK, INK_SOFT, WHITE};
use super::plot::{margins, AxisSpec, Plot, PlotSpec, Shape, Swatch, Theme};
use super::probe;
use super::{AxisScale, ChartFrame, LegendPos, PixelRect};
use crate::problem::Problem;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Characters reserved for the y tick labels, so that the plot rectangle depends on
/// the canvas size only (see [`plot_area`]).
const Y_LABEL_CHARS: usize = 5;

/// What is under the plot area.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Background {
    /// White, with the contour lines coloured by level (SVG, print).
    #[default]
    Contours,
    /// Not painted: a heat map was put there (or lies on a canvas below). Only the
    /// margins around the plot area are painted white; contour lines are drawn light.
    Transparent,
}

/// One trajectory: points (w₁, w₂) in order, flattened as [x0, y0, x1, y1, …] (the
/// layout of `Trajectory::w` for d = 2). The last point is "now" and is emphasised.
#[derive(Clone, Copy, Debug)]
pub struct MapPath<'a> {
    pub label: &'a str,
    pub points: &'a [f64],
    pub color: RGBColor,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct MapChart<'a> {
    pub title: &'a str,
    /// Axis labels; empty means "w₁" and "w₂".
    pub x_label: &'a str,
    pub y_label: &'a str,
    /// The box shown. Use [`fit_box`] for equal scales on both axes (then steps that
    /// look perpendicular to the contours are).
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    pub background: Background,
    /// From [`contour_lines`], computed once per problem and box.
    pub contours: &'a [ContourLine],
    pub paths: &'a [MapPath<'a>],
    /// The per-sample minimisers (the centres c_i of a quadratic problem), drawn as
    /// small dots.
    pub minimizers: &'a [(f64, f64)],
    /// w*.
    pub optimum: Option<(f64, f64)>,
    pub legend: LegendPos,
    pub text_px: Option<f64>,
    /// `None`: every path is one polyline (a static figure). `Some`: each path is its
    /// recent iterates as a cloud of dots and a short fading trail (a live picture,
    /// where whole polylines would become a tangle).
    pub trail: Option<Trail>,
    /// A zoomed view of a small cloud, in a corner of the map (see [`Inset`]).
    pub inset: Option<Inset<'a>>,
}

/// A square inset, in the corner of the plot farthest from `center`, that shows the
/// square `center` ± `half` magnified: `paths` as clouds and trails (as [`Trail`]
/// says), and w*. For a cloud that the map's scale would shrink to a dot.
#[derive(Clone, Copy, Debug)]
pub struct Inset<'a> {
    pub center: (f64, f64),
    pub half: f64,
    pub paths: &'a [MapPath<'a>],
    /// Its caption, drawn at its top ("η₁'s cloud, ×12").
    pub label: &'a str,
}

/// How a path is drawn as a cloud and a trail: its last `len` steps as segments that
/// fade with age, and the `cloud` points before them as small dots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Trail {
    pub len: usize,
    pub cloud: usize,
}

/// The plot rectangle [`draw`] uses on a `width` × `height` area (with the same
/// `text_px`), in the area's pixels: where the heat map goes.
pub fn plot_area(width: u32, height: u32, text_px: Option<f64>) -> PixelRect {
    let t = Theme::new(width, height, text_px);
    let m = margins(&t, true, Y_LABEL_CHARS as f64 * 0.56 * t.tick_font);
    PixelRect {
        left: m.left,
        top: m.top,
        right: width as i32 - m.right - 1,
        bottom: height as i32 - m.bottom - 1,
    }
}

/// The smallest box containing `points` (non-finite ones ignored), padded by 12 % on
/// each side (and at least ±0.5 when all points coincide).
pub fn auto_box(points: &[(f64, f64)]) -> ((f64, f64), (f64, f64)) {
    let mut x = (f64::INFINITY, f64::NEG_INFINITY);
    let mut y = (f64::INFINITY, f64::NEG_INFINITY);
    for &(a, b) in points {
        if a.is_finite() && b.is_finite() {
            x = (x.0.min(a), x.1.max(a));
            y = (y.0.min(b), y.1.max(b));
        }
    }
    if !(x.0 <= x.1) {
        return ((-1.0, 1.0), (-1.0, 1.0));
    }
    let span = (x.1 - x.0).max(y.1 - y.0).max(1e-9);
    let pad = |r: (f64, f64)| {
        let s = (r.1 - r.0).max(0.25 * span);
        let c = 0.5 * (r.0 + r.1);
        (c - 0.62 * s, c + 0.62 * s)
    };
    (pad(x), pad(y))
}

/// Widens the box (about its centre) so that one unit is the same number of pixels
/// on both axes of `rect`.
pub fn fit_box(
    x_range: (f64, f64),
    y_range: (f64, f64),
    rect: PixelRect,
) -> ((f64, f64), (f64, f64)) {
    let pw = (rect.right - rect.left).max(1) as f64;
    let ph = (rect.bottom - rect.top).max(1) as f64;
    let (sx, sy) = (x_range.1 - x_range.0, y_range.1 - y_range.0);
    if !(sx > 0.0 && sy > 0.0) {
        return (x_range, y_range);
    }
    let upp = (sx / pw).max(sy / ph);
    let grow = |r: (f64, f64), s: f64| {
        let c = 0.5 * (r.0 + r.1);
        (c - 0.5 * s, c + 0.5 * s)
    };
    (grow(x_range, upp * pw), grow(y_range, upp * ph))
}

/// Contour lines of L over the box at the levels of the heat map's colour scale
/// (L − L* = 10^(k/4), over three decades below the box's largest). Empty unless
/// the problem is 2-D.
pub fn contour_lines(
    problem: &Problem,
    x_range: (f64, f64),
    y_range: (f64, f64),
) -> Vec<ContourLine> {
    let ok = |r: (f64, f64)| r.0.is_finite() && r.1.is_finite() && r.0 < r.1;
    if problem.d() != 2 || !ok(x_range) || !ok(y_range) {
        return Vec::new();
    }
    let levels = GapScale::for_box(problem, x_range, y_range).levels();
    let aspect = (y_range.1 - y_range.0) / (x_range.1 - x_range.0);
    // A logistic loss costs O(n) per point: keep the grid's work near 2·10⁷.
    let n: usize = match problem {
        Problem::Logistic(p) => ((2e7 / p.n().max(1) as f64).sqrt() as usize).clamp(41, 161),
        _ => 161,
    };
    let (nx, ny) = if aspect <= 1.0 {
        (n, ((n as f64 * aspect).round() as usize).clamp(21, n))
    } else {
        (((n as f64 / aspect).round() as usize).clamp(21, n), n)
    };
    // √gap is linear in the distance from w* for a quadratic, so linear interpolation
    // along grid edges places the contours of a quadratic almost exactly.
    let grid = Grid::sample(x_range, y_range, nx, ny, |x, y| problem.gap(&[x, y]).sqrt());
    let roots: Vec<f64> = levels.iter().map(|l| l.sqrt()).collect();
    let mut lines = contour::contours(&grid, &roots);
    for l in &mut lines {
        l.level *= l.level;
    }
    lines
}

/// The per-sample minimisers a map can show: the centres c_i of a 2-D quadratic
/// problem (least squares and logistic samples have no single minimiser).
pub fn minimizers(problem: &Problem) -> Vec<(f64, f64)> {
    match problem {
        Problem::Quadratic(q) if q.d() == 2 => (0..q.n())
            .map(|i| (q.center(i)[0], q.center(i)[1]))
            .collect(),
        _ => Vec::new(),
    }
}

/// Keeps a point only when it is at least `min_px` pixels from the last one kept (and
/// always the last point), so a path of any length costs at most one point per pixel.
fn thin_path(pts: &[(f64, f64)], px_per_unit: (f64, f64), min_px: f64) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(pts.len().min(4096));
    for (k, &p) in pts.iter().enumerate() {
        let keep = match out.last() {
            None => true,
            Some(&q) => {
                let dx = (p.0 - q.0) * px_per_unit.0;
                let dy = (p.1 - q.1) * px_per_unit.1;
                k + 1 == pts.len()
                    || dx * dx + dy * dy >= min_px * min_px
                    || !(dx.is_finite() && dy.is_finite())
            }
        };
        if keep {
            out.push(p);
        }
    }
    out
}

/// Draws the map on `area`.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &MapChart,
) -> Result<ChartFrame, String> {
    let (w, h) = area.dim_in_pixel();
    let theme = Theme::new(w, h, chart.text_px);
    let transparent = chart.background == Background::Transparent;
    let label = |s: &'static str, given: &str| -> String {
        if given.is_empty() {
            s.to_string()
        } else {
            given.to_string()
        }
    };
    let (x_label, y_label) = (label("w₁", chart.x_label), label("w₂", chart.y_label));
    let mut plot = Plot::new(
        area,
        theme,
        PlotSpec {
            title: if chart.title.is_empty() {
                " "
            } else {
                chart.title
            },
            x: AxisSpec {
                label: &x_label,
                range: chart.x_range,
                scale: AxisScale::Linear,
            },
            y: AxisSpec {
                label: &y_label,
                range: chart.y_range,
                scale: AxisScale::Linear,
            },
            grid: false,
            transparent,
            y_label_chars: Some(Y_LABEL_CHARS),
        },
    )?;
    // Contours: coloured by level on white, light over a heat map.
    if !chart.contours.is_empty() {
        let top = chart
            .contours
            .iter()
            .map(|c| c.level)
            .fold(0.0f64, f64::max);
        let scale = GapScale { top: top * 3.0 };
        let mut swatch = None;
        for c in chart.contours {
            let color = if transparent {
                WHITE.mix(0.6)
            } else {
                palette::viridis_rgb(0.85 * scale.t(c.level)).to_rgba()
            };
            swatch.get_or_insert(color);
            plot.line(
                &c.points,
                color.stroke_width(theme.thin.max(1)),
                false,
                false,
                0,
            )?;
        }
        let color = if transparent {
            palette::INK_SOFT.to_rgba()
        } else {
            palette::viridis_rgb(0.45).to_rgba()
        };
        plot.add_legend(
            "contours of L",
            Swatch::Line {
                color,
                width: theme.medium,
                dashed: false,
            },
        );
    }
    // Per-sample minimisers.
    let dot = ((theme.marker as f64) * 0.45).round().max(2.0) as i32;
    let dot_color = INK.mix(0.55);
    let mut any = false;
    let stride = (chart.minimizers.len() / 2000).max(1);
    for &(x, y) in chart.minimizers.iter().step_by(stride) {
        any |= plot.marker((x, y), Shape::Circle, dot, dot_color, None)?;
    }
    if any {
        plot.add_legend(
            "per-sample minimisers",
            Swatch::Marker {
                shape: Shape::Circle,
                color: dot_color,
                outline: None,
            },
        );
    }
    // Paths: a white halo under each so it reads over contours and heat map alike;
    // then w*; then the start and current points on top of everything.
    let r = plot.frame.plot;
    let ppu = (
        (r.right - r.left) as f64 / (chart.x_range.1 - chart.x_range.0),
        (r.bottom - r.top) as f64 / (chart.y_range.1 - chart.y_range.0),
    );
    let mut ends = Vec::with_capacity(chart.paths.len());
    if let Some(trail) = chart.trail {
        draw_clouds(&mut plot, chart.paths, trail, dot, &theme)?;
    }
    for p in chart.paths {
        let pts: Vec<(f64, f64)> = p.points.chunks_exact(2).map(|c| (c[0], c[1])).collect();
        if let Some(trail) = chart.trail {
            draw_trail(&mut plot, &pts, trail.len, p.color, &theme)?;
            ends.push((None, pts.last().copied(), p.color));
        } else {
            let pts = thin_path(&pts, ppu, 0.8);
            let halo = WHITE.mix(0.75).stroke_width(theme.medium + 2 * theme.thin);
            plot.line(&pts, halo, false, false, 0)?;
            plot.line(&pts, p.color.stroke_width(theme.medium), false, false, 3)?;
            ends.push((pts.first().copied(), pts.last().copied(), p.color));
        }
        plot.add_legend(
            p.label,
            Swatch::Marker {
                shape: Shape::Circle,
                color: p.color.to_rgba(),
                outline: Some(palette::WHITE),
            },
        );
    }
    if let Some(o) = chart.optimum {
        plot.marker(
            o,
            Shape::Star,
            theme.marker,
            INK.to_rgba(),
            Some(palette::WHITE),
        )?;
        plot.add_legend(
            "w* (minimiser of L)",
            Swatch::Marker {
                shape: Shape::Star,
                color: INK.to_rgba(),
                outline: Some(palette::WHITE),
            },
        );
    }
    if let (Some(inset), Some(trail)) = (chart.inset, chart.trail) {
        draw_inset(&mut plot, &inset, trail, chart.optimum, dot, &theme)?;
    }
    let mut pinned = false;
    for (first, last, color) in ends {
        if let Some(first) = first {
            plot.marker(first, Shape::Square, dot + 1, color.to_rgba(), Some(WHITE))?;
        }
        if let Some(last) = last {
            let inside = plot.marker(
                last,
                Shape::Circle,
                theme.marker,
                color.to_rgba(),
                Some(WHITE),
            )?;
            // A point off the map (a path that left, or diverges) is pinned to the
            // edge where it left, as a diamond, so that it is never lost from view.
            if !inside && chart.trail.is_some() {
                if let Some(at) = pin_to_box(last, chart.x_range, chart.y_range) {
                    let c = plot.to_px(at.0, at.1);
                    plot.marker_px(
                        c,
                        Shape::Diamond,
                        theme.marker,
                        color.to_rgba(),
                        Some(WHITE),
                    )?;
                    pinned = true;
                }
            }
        }
    }
    if pinned && chart.legend == LegendPos::Hidden {
        // No legend to explain the diamonds: a note in the plot's lower-left corner.
        let r = plot.frame.plot;
        let pad = (theme.legend_font * 0.5).round() as i32;
        let at = (
            r.left + pad,
            r.bottom - pad - theme.legend_font.round() as i32,
        );
        let text = "◆ off the map (pinned to its edge)";
        let w = (text.chars().count() as f64 * 0.56 * theme.legend_font).ceil() as i32;
        let h = (theme.legend_font * 1.2).ceil() as i32;
        plot.fill_rect_abs(at.0 - 2, at.1 - 2, at.0 + w + 2, at.1 + h, WHITE.mix(0.85))?;
        plot.area
            .draw(&Text::new(
                text.to_string(),
                plot.rel(at),
                theme.text(theme.legend_font, &INK),
            ))
            .map_err(|e| e.to_string())?;
    }
    if probe::pointer().is_some() {
        // Under a probe: each path's current iterate.
        for p in chart.paths {
            if let Some(c) = p.points.chunks_exact(2).last() {
                probe::add(probe::Row {
                    point: true,
                    ..probe::Row::value(
                        p.label.to_string(),
                        p.color,
                        (c[0], c[1]),
                        plot.frame.pixel(c[0], c[1]),
                    )
                });
            }
        }
    }
    if pinned {
        plot.add_legend(
            "off the map (pinned to its edge)",
            Swatch::Marker {
                shape: Shape::Diamond,
                color: INK_SOFT.to_rgba(),
                outline: Some(WHITE),
            },
        );
    }
    plot.finish(chart.legend)
}

/// The point of the box nearest to `p` (None if `p` is not a number: a path that
/// diverged to infinity has no direction left to show).
pub(crate) fn pin_to_box(p: (f64, f64), xr: (f64, f64), yr: (f64, f64)) -> Option<(f64, f64)> {
    if p.0.is_nan() || p.1.is_nan() {
        return None;
    }
    Some((p.0.clamp(xr.0, xr.1), p.1.clamp(yr.0, yr.1)))
}

/// The inset: a white square with a frame in the corner farthest from its centre;
/// points are mapped into it in plot space (so clipping and markers work as on the map).
fn draw_inset<DB: DrawingBackend>(
    plot: &mut Plot<DB>,
    inset: &Inset,
    trail: Trail,
    optimum: Option<(f64, f64)>,
    dot: i32,
    theme: &Theme,
) -> Result<(), String> {
    let bx = plot.bx;
    if !(inset.half > 0.0 && inset.half.is_finite()) {
        return Ok(());
    }
    // Side: 38 % of the plot's shorter side, in plot units (equal scales on the map).
    let r = plot.frame.plot;
    let (w_px, h_px) = ((r.right - r.left) as f64, (r.bottom - r.top) as f64);
    let side_px = 0.38 * w_px.min(h_px);
    let ux = (bx.x1 - bx.x0) / w_px;
    let uy = (bx.y1 - bx.y0) / h_px;
    let (sx, sy) = (side_px * ux, side_px * uy);
    let margin = (6.0 * ux, 6.0 * uy);
    let right = inset.center.0 < 0.5 * (bx.x0 + bx.x1);
    let top = inset.center.1 < 0.5 * (bx.y0 + bx.y1);
    let x0 = if right {
        bx.x1 - margin.0 - sx
    } else {
        bx.x0 + margin.0
    };
    let y0 = if top {
        bx.y1 - margin.1 - sy
    } else {
        bx.y0 + margin.1
    };
    let zoom = Box2 {
        x0: inset.center.0 - inset.half,
        x1: inset.center.0 + inset.half,
        y0: inset.center.1 - inset.half,
        y1: inset.center.1 + inset.half,
    };
    let to = |p: (f64, f64)| -> (f64, f64) {
        (
            x0 + (p.0 - zoom.x0) / (2.0 * inset.half) * sx,
            y0 + (p.1 - zoom.y0) / (2.0 * inset.half) * sy,
        )
    };
    let a = plot.to_px(x0, y0 + sy);
    let b = plot.to_px(x0 + sx, y0);
    plot.fill_rect_abs(a.0, a.1, b.0, b.1, WHITE.mix(0.94))?;
    let frame = [
        (x0, y0),
        (x0 + sx, y0),
        (x0 + sx, y0 + sy),
        (x0, y0 + sy),
        (x0, y0),
    ];
    // Weight 3: the legend keeps clear of the inset.
    plot.line(
        &frame,
        INK_SOFT.stroke_width(theme.thin.max(1)),
        false,
        false,
        3,
    )?;
    let r_dot = (dot - 1).max(1).min(theme.marker / 2 + 1);
    for p in inset.paths {
        let pts: Vec<(f64, f64)> = p.points.chunks_exact(2).map(|c| (c[0], c[1])).collect();
        let n = pts.len();
        let end = n.saturating_sub(trail.len);
        for &q in &pts[end.saturating_sub(trail.cloud)..end] {
            if zoom.contains(q) {
                plot.marker(to(q), Shape::Circle, r_dot, p.color.mix(0.45), None)?;
            }
        }
        let seg = &pts[n.saturating_sub(trail.len + 1)..];
        let m = seg.len().saturating_sub(1);
        for k in 0..m {
            for piece in clip_polyline(&seg[k..k + 2], &zoom) {
                let piece: Vec<(f64, f64)> = piece.into_iter().map(to).collect();
                let alpha = 0.15 + 0.85 * (k + 1) as f64 / m as f64;
                plot.line(
                    &piece,
                    p.color.mix(alpha).stroke_width(theme.medium),
                    false,
                    false,
                    0,
                )?;
            }
        }
        if let Some(&last) = pts.last() {
            if zoom.contains(last) {
                plot.marker(
                    to(last),
                    Shape::Circle,
                    theme.marker * 2 / 3,
                    p.color.to_rgba(),
                    Some(WHITE),
                )?;
            }
        }
    }
    if let Some(o) = optimum.filter(|o| zoom.contains(*o)) {
        plot.marker(to(o), Shape::Star, theme.marker, INK.to_rgba(), Some(WHITE))?;
    }
    let font = theme.legend_font;
    let at = plot.to_px(x0, y0 + sy);
    let pad = (font * 0.4).round() as i32;
    plot.area
        .draw(&Text::new(
            inset.label.to_string(),
            plot.rel((at.0 + pad, at.1 + pad)),
            theme.text(font, &INK),
        ))
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Every path's cloud: the `trail.cloud` points before its trail, as small dots.
fn draw_clouds<DB: DrawingBackend>(
    plot: &mut Plot<DB>,
    paths: &[MapPath],
    trail: Trail,
    dot: i32,
    theme: &Theme,
) -> Result<(), String> {
    let r = dot.max(2).min(theme.marker / 2 + 1);
    for p in paths {
        let n = p.points.len() / 2;
        let end = n.saturating_sub(trail.len);
        let from = end.saturating_sub(trail.cloud);
        for k in from..end {
            let at = (p.points[2 * k], p.points[2 * k + 1]);
            plot.marker(at, Shape::Circle, r, p.color.mix(0.55), None)?;
        }
    }
    Ok(())
}

/// The last `len` steps of a path as segments whose opacity grows from old to new.
fn draw_trail<DB: DrawingBackend>(
    plot: &mut Plot<DB>,
    pts: &[(f64, f64)],
    len: usize,
    color: RGBColor,
    theme: &Theme,
) -> Result<(), String> {
    let from = pts.len().saturating_sub(len + 1);
    let seg = &pts[from..];
    let n = seg.len().saturating_sub(1);
    for k in 0..n {
        let alpha = 0.15 + 0.85 * (k + 1) as f64 / n as f64;
        plot.line(
            &seg[k..k + 2],
            color.mix(alpha).stroke_width(theme.medium),
            false,
            false,
            if k + 1 == n { 3 } else { 1 },
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::test_util::{count_stroke, svg_of, texts};
    use crate::problem::Quadratic;

    fn round_bowl(h: f64) -> Problem {
        let hh = vec![vec![h, 0.0], vec![0.0, h]];
        let c = vec![
            vec![1.0, 0.0],
            vec![-1.0, 0.0],
            vec![0.0, 1.0],
            vec![0.0, -1.0],
        ];
        Problem::Quadratic(Quadratic::new(&hh, &c).unwrap())
    }

    #[test]
    fn contours_of_a_round_bowl_are_closed_circles_at_the_right_radius() {
        let h = 2.0;
        let p = round_bowl(h);
        let lines = contour_lines(&p, (-3.0, 3.0), (-3.0, 3.0));
        assert!(lines.len() >= 6, "{} lines", lines.len());
        let top = GapScale::for_box(&p, (-3.0, 3.0), (-3.0, 3.0)).top;
        assert!((top - 0.5 * h * 18.0).abs() < 1e-9);
        // The grid: 161 points over 6 units; linear interpolation of √gap (a cone,
        // |w| up to a constant) along an edge errs by at most dx²/(8r).
        let dx = 6.0 / 160.0;
        for l in &lines {
            // ½ r² h = level.
            let r = (2.0 * l.level / h).sqrt();
            if r < 2.95 {
                assert!(l.closed, "level {} (r = {r}) not closed", l.level);
            }
            for &(x, y) in &l.points {
                let rr = (x * x + y * y).sqrt();
                assert!(
                    (rr - r).abs() <= dx * dx / (8.0 * r) + 1e-12,
                    "r = {rr}, want {r}"
                );
            }
        }
    }

    #[test]
    fn plot_area_is_where_draw_puts_the_plot() {
        for (w, h, tp) in [
            (1600u32, 900u32, None),
            (700, 500, None),
            (640, 640, Some(16.0)),
        ] {
            let chart = MapChart {
                title: "",
                x_range: (-1.0, 1.0),
                y_range: (-2.0, 2.0),
                background: Background::Transparent,
                text_px: tp,
                ..Default::default()
            };
            let (_, f) = svg_of(w, h, |a| draw(a, &chart));
            assert_eq!(f.plot, plot_area(w, h, tp));
        }
    }

    #[test]
    fn fit_box_gives_equal_scales() {
        let rect = PixelRect {
            left: 50,
            top: 10,
            right: 850,
            bottom: 410,
        };
        let (x, y) = fit_box((0.0, 1.0), (0.0, 1.0), rect);
        let sx = (x.1 - x.0) / 800.0;
        let sy = (y.1 - y.0) / 400.0;
        assert!((sx - sy).abs() < 1e-12);
        assert!(x.0 <= 0.0 && x.1 >= 1.0 && y.0 <= 0.0 && y.1 >= 1.0);
    }

    #[test]
    fn map_draws_paths_minimizers_optimum_and_legend() {
        let p = round_bowl(1.0);
        let (xr, yr) = ((-3.0, 3.0), (-2.0, 2.0));
        let contours = contour_lines(&p, xr, yr);
        let mins = minimizers(&p);
        let a = [-2.5, 1.5, -1.0, 0.5, -0.2, 0.1];
        let b = [2.5, -1.5, 0.6, -0.9, 0.3, 0.4, 0.1, -0.2];
        let paths = [
            MapPath {
                label: "η = 0.1",
                points: &a,
                color: palette::VERMILLION,
            },
            MapPath {
                label: "η = 0.5",
                points: &b,
                color: palette::BLUE,
            },
        ];
        for bg in [Background::Contours, Background::Transparent] {
            let chart = MapChart {
                title: "Contours of L",
                x_range: xr,
                y_range: yr,
                background: bg,
                contours: &contours,
                paths: &paths,
                minimizers: &mins,
                optimum: Some((0.0, 0.0)),
                ..Default::default()
            };
            let (svg, f) = svg_of(900, 600, |a| draw(a, &chart));
            // Each path: its halo (white) and its line.
            assert_eq!(count_stroke(&svg, "polyline", palette::VERMILLION), 1);
            assert_eq!(count_stroke(&svg, "polyline", palette::BLUE), 1);
            let t = texts(&svg);
            for want in [
                "Contours of L",
                "w₁",
                "w₂",
                "η = 0.1",
                "η = 0.5",
                "per-sample minimisers",
                "w* (minimiser of L)",
                "contours of L",
            ] {
                assert!(t.iter().any(|s| s == want), "{want} missing: {t:?}");
            }
            // Over a heat map the plot area is not painted.
            let r = f.plot;
            let covering = svg.contains(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
                r.left,
                r.top,
                r.width(),
                r.height()
            ));
            assert!(!covering);
            if bg == Background::Transparent {
                assert!(
                    !svg.contains("width=\"900\" height=\"600\" opacity=\"1\" fill=\"#FFFFFF\"")
                );
            }
            // The current points are emphasised: circles of the path colours.
            assert!(count_stroke(&svg, "circle", palette::VERMILLION) >= 1);
            let (x, y) = f.coord(r.left as f64, r.top as f64).unwrap();
            assert!((x - xr.0).abs() < 1e-9 && (y - yr.1).abs() < 1e-9);
        }
    }
}
