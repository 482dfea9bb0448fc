//! The frame every chart shares: sizes that scale with the drawing area, the layout
//! (title, tick labels, axis labels), grid, axes, clipped drawing of lines, polygons
//! and markers in plot space, and the legend.
//!
//! "Plot space" is data space with y replaced by log10(y) on a log axis. Axes, ticks
//! and the legend are drawn by hand rather than with plotters' mesh so that their
//! size and place are the same on every backend and can be computed without one
//! (the map needs its plot rectangle before drawing, to place the heat map).

use super::geom::{self, Box2, Ticks};
use super::palette::{GRID, GRID_MINOR, INK, INK_SOFT, WHITE};
use super::{AxisScale, ChartFrame, LegendPos, PixelRect};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub(crate) type Cart = Cartesian2d<RangedCoordf64, RangedCoordf64>;

pub(crate) fn err<E: std::fmt::Display>(e: E) -> String {
    format!("drawing the chart failed: {e}")
}

/// The text size a chart uses when the caller gives none: about 1/30 of the
/// geometric mean of the area's sides (20 px on 800×600, 40 px on 1600×900).
pub fn auto_text_px(width: u32, height: u32) -> f64 {
    ((width as f64) * (height as f64)).sqrt() / 30.0
}

thread_local! {
    /// Whether charts are being drawn for print (`with_print`).
    static PRINT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with every chart drawn in the print theme when `on`: lines and markers
/// 1.6× as thick, text in black instead of the dark greys (slides and handouts; the
/// ground is white in both themes).
pub fn with_print<T>(on: bool, f: impl FnOnce() -> T) -> T {
    let before = PRINT.with(|p| p.replace(on));
    let out = f();
    PRINT.with(|p| p.set(before));
    out
}

fn printing() -> bool {
    PRINT.with(|p| p.get())
}

thread_local! {
    /// Whether theory overlays are drawn (`with_theory`).
    static THEORY: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
    /// The theory lines left out of the line chart drawn last: their data points and
    /// colours, and the colours of the lines drawn (see `is_hidden_label`).
    static HIDDEN: std::cell::RefCell<Hidden> = const {
        std::cell::RefCell::new(Hidden { points: Vec::new(), colors: Vec::new(), shown: Vec::new() })
    };
}

struct Hidden {
    points: Vec<(f64, f64)>,
    colors: Vec<RGBColor>,
    shown: Vec<RGBColor>,
}

/// Runs `f` with the charts' theory overlays (bounds, exact floors, predicted rates
/// and their labels) drawn when `shown`, left out when not (a lesson's `hide=theory`:
/// the student predicts before the theory says).
pub fn with_theory<T>(shown: bool, f: impl FnOnce() -> T) -> T {
    let before = THEORY.with(|t| t.replace(shown));
    let out = f();
    THEORY.with(|t| t.set(before));
    HIDDEN.with(|h| {
        let mut h = h.borrow_mut();
        h.points.clear();
        h.colors.clear();
        h.shown.clear();
    });
    out
}

/// Whether theory overlays are drawn now (see [`with_theory`]).
pub fn theory_shown() -> bool {
    THEORY.with(|t| t.get())
}

/// A line chart leaves out theory lines: their points and colours, and the colours
/// of the lines it draws (see `HIDDEN`).
pub(crate) fn hide_lines(
    points: impl Iterator<Item = (f64, f64)>,
    colors: impl Iterator<Item = RGBColor>,
    shown: impl Iterator<Item = RGBColor>,
) {
    HIDDEN.with(|h| {
        let mut h = h.borrow_mut();
        h.points.clear();
        h.points.extend(points);
        h.colors.clear();
        h.colors.extend(colors);
        h.shown.clear();
        h.shown.extend(shown);
    });
}

/// Whether a direct label at data point `at` in `color` names a hidden theory line:
/// it has a hidden line's colour, and sits on one of that line's points or has a
/// colour no drawn line has (a label moved off its line's end, to stay in the frame).
pub(crate) fn is_hidden_label(at: (f64, f64), color: RGBColor) -> bool {
    !theory_shown()
        && HIDDEN.with(|h| {
            let h = h.borrow();
            h.colors.contains(&color) && (h.points.contains(&at) || !h.shown.contains(&color))
        })
}

/// Every size a chart uses, in backend pixels.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Theme {
    /// Axis labels.
    pub font: f64,
    pub tick_font: f64,
    pub title_font: f64,
    pub legend_font: f64,
    pub pad: f64,
    pub tick_len: i32,
    /// Line widths: emphasised, ordinary, hairline.
    pub bold: u32,
    pub medium: u32,
    pub thin: u32,
    /// Marker radius.
    pub marker: i32,
}

impl Theme {
    /// Text from `text_px` (or the area), lines and markers from the area.
    pub fn new(width: u32, height: u32, text_px: Option<f64>) -> Theme {
        let auto = auto_text_px(width, height).clamp(7.0, 120.0);
        let font = match text_px {
            Some(f) if f.is_finite() && f > 0.0 => f.clamp(4.0, 200.0),
            _ => auto,
        };
        let unit = auto / 20.0 * if printing() { 1.6 } else { 1.0 };
        Theme {
            font,
            tick_font: font * 0.85,
            title_font: font * 1.1,
            legend_font: font * 0.8,
            pad: (font * 0.5).max(3.0),
            tick_len: (font * 0.3).round().max(3.0) as i32,
            bold: (2.6 * unit).round().max(2.0) as u32,
            medium: (1.7 * unit).round().max(1.0) as u32,
            thin: (1.0 * unit).round().max(1.0) as u32,
            marker: (6.0 * unit).round().max(3.0) as i32,
        }
    }

    pub fn text(&self, size: f64, color: &RGBColor) -> TextStyle<'static> {
        let color = if printing() && (*color == INK || *color == INK_SOFT) {
            &BLACK
        } else {
            color
        };
        ("sans-serif", size).into_font().color(color)
    }
}

/// Width of a text, estimated the same way on every backend (average sans-serif
/// glyph ≈ 0.56 em), so that layouts do not depend on the backend's font metrics.
pub(crate) fn text_w(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * 0.56 * size
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Margins {
    pub left: i32,
    pub right: i32,
    pub top: i32,
    pub bottom: i32,
}

fn top_margin(t: &Theme, title: bool) -> f64 {
    if title {
        t.pad * 0.8 + t.title_font * 1.25 + t.pad * 0.6
    } else {
        t.pad + t.tick_font * 0.6
    }
}

fn bottom_margin(t: &Theme) -> f64 {
    t.tick_len as f64 + t.pad * 0.4 + t.tick_font * 1.1 + t.pad * 0.5 + t.font * 1.2 + t.pad * 0.4
}

fn left_margin(t: &Theme, y_label_w: f64) -> f64 {
    t.pad * 0.5 + t.font * 1.2 + t.pad * 0.5 + y_label_w + t.pad * 0.4 + t.tick_len as f64
}

fn right_margin(t: &Theme) -> f64 {
    (t.tick_font * 1.4).max(t.pad * 2.0)
}

/// The margins of a chart whose y tick labels are at most `y_label_w` pixels wide.
pub(crate) fn margins(t: &Theme, title: bool, y_label_w: f64) -> Margins {
    Margins {
        left: left_margin(t, y_label_w).round() as i32,
        right: right_margin(t).round() as i32,
        top: top_margin(t, title).round() as i32,
        bottom: bottom_margin(t).round() as i32,
    }
}

/// Size of the plot area of a `w`×`h` chart whose y tick labels are about
/// `y_label_w` pixels wide.
pub(crate) fn plot_size(t: &Theme, title: bool, w: u32, h: u32, y_label_w: f64) -> (f64, f64) {
    let m = margins(t, title, y_label_w);
    (
        w as f64 - (m.left + m.right) as f64,
        h as f64 - (m.top + m.bottom) as f64,
    )
}

/// Size in pixels of a legend box with these labels (without its inset).
pub(crate) fn legend_box<'l>(t: &Theme, labels: impl Iterator<Item = &'l str>) -> (f64, f64) {
    let mut rows = 0usize;
    let mut text = 0.0f64;
    for l in labels {
        rows += 1;
        text = text.max(text_w(l, t.legend_font));
    }
    let w = t.pad * 0.8 + t.legend_font * 2.0 + t.pad * 0.6 + text + t.pad * 0.8;
    let h = t.pad * 0.6 + t.legend_font * 1.45 * rows as f64 + t.pad * 0.4;
    (w, h)
}

/// How many labelled ticks fit along a side of `len` pixels.
fn tick_budget(len: f64, per_tick: f64) -> usize {
    ((len / per_tick).floor() as usize).clamp(2, 10)
}

pub(crate) fn ticks_for(range: (f64, f64), scale: AxisScale, max_n: usize) -> Ticks {
    match scale {
        AxisScale::Linear => geom::linear_ticks(range.0, range.1, max_n),
        AxisScale::Log => geom::log_ticks(range.0, range.1, max_n),
    }
}

pub(crate) struct AxisSpec<'s> {
    pub label: &'s str,
    /// Plot-space range (exponents on a log axis).
    pub range: (f64, f64),
    pub scale: AxisScale,
}

pub(crate) struct PlotSpec<'s> {
    pub title: &'s str,
    pub x: AxisSpec<'s>,
    pub y: AxisSpec<'s>,
    pub grid: bool,
    /// Leave the plot area unpainted (a heat map lies under it).
    pub transparent: bool,
    /// Reserve room for y tick labels of this many characters instead of measuring
    /// them (so that the plot rectangle depends on the area size only).
    pub y_label_chars: Option<usize>,
}

/// Legend swatches.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Swatch {
    Line {
        color: RGBAColor,
        width: u32,
        dashed: bool,
    },
    Fill(RGBAColor),
    Marker {
        shape: Shape,
        color: RGBAColor,
        outline: Option<RGBColor>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    Circle,
    Diamond,
    Square,
    Star,
}

#[derive(Clone, Debug)]
pub(crate) struct LegendEntry {
    pub label: String,
    pub swatch: Swatch,
}

pub(crate) struct Plot<'a, DB: DrawingBackend> {
    pub area: &'a DrawingArea<DB, Shift>,
    /// The plot area with plot-space coordinates.
    chart: DrawingArea<DB, Cart>,
    pub theme: Theme,
    pub frame: ChartFrame,
    /// The plot area in plot space.
    pub bx: Box2,
    base: (i32, i32),
    size: (u32, u32),
    title: String,
    x_label: String,
    y_label: String,
    x_ticks: Ticks,
    y_ticks: Ticks,
    /// Pixels (absolute) of what was drawn, weighted, for placing the legend.
    occupied: Vec<(i32, i32, u8)>,
    legend: Vec<LegendEntry>,
}

fn check_range(name: &str, r: (f64, f64)) -> Result<(), String> {
    if r.0.is_finite() && r.1.is_finite() && r.0 < r.1 {
        Ok(())
    } else {
        Err(format!(
            "{name} must be two finite numbers with the first smaller, got ({}, {})",
            r.0, r.1
        ))
    }
}

impl<'a, DB: DrawingBackend> Plot<'a, DB> {
    pub fn new(
        area: &'a DrawingArea<DB, Shift>,
        theme: Theme,
        spec: PlotSpec,
    ) -> Result<Plot<'a, DB>, String> {
        check_range("the x range", spec.x.range)?;
        check_range("the y range", spec.y.range)?;
        let (w, h) = area.dim_in_pixel();
        let t = theme;
        let top = top_margin(&t, !spec.title.is_empty());
        let bottom = bottom_margin(&t);
        let plot_h = h as f64 - top - bottom;
        let too_small = || {
            format!(
                "the drawing area {w}×{h} is too small for a chart with {:.0} px text \
                 (make it larger or the text smaller)",
                t.font
            )
        };
        if plot_h < 24.0 {
            return Err(too_small());
        }
        let y_ticks = ticks_for(
            spec.y.range,
            spec.y.scale,
            tick_budget(plot_h, t.tick_font * 2.6),
        );
        let y_label_w = match spec.y_label_chars {
            Some(c) => c as f64 * 0.56 * t.tick_font,
            None => y_ticks
                .major
                .iter()
                .map(|(_, s)| text_w(s, t.tick_font))
                .fold(0.0, f64::max),
        };
        let m = margins(&t, !spec.title.is_empty(), y_label_w);
        let plot_w = w as f64 - (m.left + m.right) as f64;
        if plot_w < 24.0 {
            return Err(too_small());
        }
        // As many x ticks as fit with a gap of about one character between labels.
        let mut n = tick_budget(plot_w, t.tick_font * 3.5);
        let x_ticks = loop {
            let ticks = ticks_for(spec.x.range, spec.x.scale, n);
            let widest = ticks
                .major
                .iter()
                .map(|(_, s)| text_w(s, t.tick_font))
                .fold(0.0, f64::max);
            if n <= 2 || ticks.major.len() as f64 * (widest + t.tick_font * 2.0) <= plot_w {
                break ticks;
            }
            n -= 1;
        };
        // What plotters' `ChartBuilder` with these margins and no label areas builds,
        // without its general layout code (which sorts the grid's break points).
        let inner = area.margin(m.top.max(0), m.bottom.max(0), m.left.max(0), m.right.max(0));
        let (xr, yr) = inner.get_pixel_range();
        let chart = inner.apply_coord_spec(Cartesian2d::new(
            spec.x.range.0..spec.x.range.1,
            spec.y.range.0..spec.y.range.1,
            (xr.start..xr.end - 1, yr.end - 1..yr.start),
        ));
        let plot = PixelRect {
            left: xr.start,
            top: yr.start,
            right: xr.end - 1,
            bottom: yr.end - 1,
        };
        let y_data = match spec.y.scale {
            AxisScale::Linear => spec.y.range,
            AxisScale::Log => (
                libm::pow(10.0, spec.y.range.0),
                libm::pow(10.0, spec.y.range.1),
            ),
        };
        let x_data = match spec.x.scale {
            AxisScale::Linear => spec.x.range,
            AxisScale::Log => (
                libm::pow(10.0, spec.x.range.0),
                libm::pow(10.0, spec.x.range.1),
            ),
        };
        let frame = ChartFrame {
            plot,
            x_range: x_data,
            y_range: y_data,
            y_scale: spec.y.scale,
            x_scale: spec.x.scale,
        };
        super::probe::plot(&frame, spec.x.label, spec.y.label);
        let p = Plot {
            area,
            chart,
            theme,
            frame,
            bx: Box2 {
                x0: spec.x.range.0,
                x1: spec.x.range.1,
                y0: spec.y.range.0,
                y1: spec.y.range.1,
            },
            base: area.get_base_pixel(),
            size: (w, h),
            title: spec.title.to_string(),
            x_label: spec.x.label.to_string(),
            y_label: spec.y.label.to_string(),
            x_ticks,
            y_ticks,
            occupied: Vec::new(),
            legend: Vec::new(),
        };
        p.background(spec.transparent)?;
        if spec.grid {
            p.grid()?;
        }
        Ok(p)
    }

    /// Absolute pixel → coordinates relative to the area.
    pub fn rel(&self, p: (i32, i32)) -> (i32, i32) {
        (p.0 - self.base.0, p.1 - self.base.1)
    }

    /// Plot space → absolute pixel, exactly as plotters rounds.
    pub fn to_px(&self, x: f64, y: f64) -> (i32, i32) {
        let r = &self.frame.plot;
        let map = |v: f64, lo: f64, hi: f64, a: i32, b: i32| -> i32 {
            let f = (v - lo) / (hi - lo);
            let len = (b - a) as f64;
            if len >= 0.0 {
                a + (len * f + 1e-3).floor() as i32
            } else {
                a + (len * f - 1e-3).ceil() as i32
            }
        };
        (
            map(x, self.bx.x0, self.bx.x1, r.left, r.right),
            map(y, self.bx.y0, self.bx.y1, r.bottom, r.top),
        )
    }

    pub fn fill_rect_abs(
        &self,
        x0: i32,
        y0: i32,
        x1: i32,
        y1: i32,
        color: RGBAColor,
    ) -> Result<(), String> {
        if x1 <= x0 || y1 <= y0 {
            return Ok(());
        }
        self.area
            .draw(&Rectangle::new(
                [self.rel((x0, y0)), self.rel((x1, y1))],
                color.filled(),
            ))
            .map_err(err)
    }

    fn background(&self, transparent: bool) -> Result<(), String> {
        let white = WHITE.to_rgba();
        if !transparent {
            return self.area.fill(&WHITE).map_err(err);
        }
        let (bx, by) = self.base;
        let (w, h) = (self.size.0 as i32, self.size.1 as i32);
        let r = self.frame.plot;
        self.fill_rect_abs(bx, by, bx + w, r.top, white)?;
        self.fill_rect_abs(bx, r.bottom + 1, bx + w, by + h, white)?;
        self.fill_rect_abs(bx, r.top, r.left, r.bottom + 1, white)?;
        self.fill_rect_abs(r.right + 1, r.top, bx + w, r.bottom + 1, white)
    }

    fn hline_abs(&self, x0: i32, x1: i32, y: i32, style: ShapeStyle) -> Result<(), String> {
        self.area
            .draw(&PathElement::new(
                vec![self.rel((x0, y)), self.rel((x1, y))],
                style,
            ))
            .map_err(err)
    }

    fn vline_abs(&self, x: i32, y0: i32, y1: i32, style: ShapeStyle) -> Result<(), String> {
        self.area
            .draw(&PathElement::new(
                vec![self.rel((x, y0)), self.rel((x, y1))],
                style,
            ))
            .map_err(err)
    }

    fn grid(&self) -> Result<(), String> {
        let r = self.frame.plot;
        let minor = GRID_MINOR.stroke_width(self.theme.thin);
        let major = GRID.stroke_width(self.theme.thin);
        for &v in &self.y_ticks.minor {
            let (_, y) = self.to_px(self.bx.x0, v);
            self.hline_abs(r.left, r.right, y, minor)?;
        }
        for &v in &self.x_ticks.minor {
            let (x, _) = self.to_px(v, self.bx.y0);
            self.vline_abs(x, r.top, r.bottom, minor)?;
        }
        for (v, _) in &self.y_ticks.major {
            let (_, y) = self.to_px(self.bx.x0, *v);
            self.hline_abs(r.left, r.right, y, major)?;
        }
        for (v, _) in &self.x_ticks.major {
            let (x, _) = self.to_px(*v, self.bx.y0);
            self.vline_abs(x, r.top, r.bottom, major)?;
        }
        Ok(())
    }

    fn note(&mut self, pts: impl Iterator<Item = (i32, i32)>, weight: u8) {
        self.occupied.extend(pts.map(|(x, y)| (x, y, weight)));
    }

    /// Draws a polyline given in plot space, clipped to the plot area (non-finite
    /// points break it) and, when `decimate`, first thinned to about two points per
    /// pixel column (the whole line, before clipping). Returns the number of pieces
    /// drawn. `weight` says how much the line matters when the legend looks for an
    /// empty corner (0: not at all).
    pub fn line(
        &mut self,
        pts: &[(f64, f64)],
        style: ShapeStyle,
        dashed: bool,
        decimate: bool,
        weight: u8,
    ) -> Result<usize, String> {
        let columns = self.frame.plot.width().max(1) as usize;
        // Thinned before clipping: see `geom::decimate_series` (issue #12).
        let pieces = if decimate {
            let thin = geom::decimate_series(pts, self.bx.x0, self.bx.x1, columns);
            geom::clip_polyline(&thin, &self.bx)
        } else {
            geom::clip_polyline(pts, &self.bx)
        };
        let dash = (self.theme.font * 0.6).round().max(4.0) as u32;
        let gap = (self.theme.font * 0.35).round().max(3.0) as u32;
        for piece in pieces.iter().cloned() {
            if weight > 0 {
                // Vertices, and points every ~8 px along long segments, so that the
                // legend also avoids lines with few points.
                let step = (piece.len() / 400).max(1);
                let px: Vec<(i32, i32)> = piece
                    .iter()
                    .step_by(step)
                    .map(|&(x, y)| self.to_px(x, y))
                    .collect();
                let mut dense = Vec::with_capacity(px.len());
                for w in px.windows(2) {
                    let (a, b) = (w[0], w[1]);
                    let k = ((b.0 - a.0).abs().max((b.1 - a.1).abs()) / 8).clamp(1, 500);
                    for j in 0..k {
                        dense.push((a.0 + (b.0 - a.0) * j / k, a.1 + (b.1 - a.1) * j / k));
                    }
                }
                dense.extend(px.last());
                self.note(dense.into_iter(), weight);
            }
            let area = &self.chart;
            if dashed {
                area.draw(&DashedPathElement::new(piece, dash, gap, style))
                    .map_err(err)?;
            } else {
                area.draw(&PathElement::new(piece, style)).map_err(err)?;
            }
        }
        Ok(pieces.len())
    }

    /// A filled polygon in plot space, clipped to the plot area.
    pub fn polygon(
        &mut self,
        pts: &[(f64, f64)],
        color: RGBAColor,
        weight: u8,
    ) -> Result<(), String> {
        let clipped = geom::clip_polygon(pts, &self.bx);
        if clipped.len() < 3 {
            return Ok(());
        }
        if weight > 0 {
            let step = (clipped.len() / 200).max(1);
            let px: Vec<(i32, i32)> = clipped
                .iter()
                .step_by(step)
                .map(|&(x, y)| self.to_px(x, y))
                .collect();
            self.note(px.into_iter(), weight);
        }
        self.chart
            .draw(&Polygon::new(clipped, color.filled()))
            .map_err(err)
    }

    /// A marker centred on plot-space (x, y); nothing when the point is outside.
    pub fn marker(
        &mut self,
        at: (f64, f64),
        shape: Shape,
        radius: i32,
        fill: RGBAColor,
        outline: Option<RGBColor>,
    ) -> Result<bool, String> {
        if !(at.0.is_finite() && at.1.is_finite() && self.bx.contains(at)) {
            return Ok(false);
        }
        let c = self.to_px(at.0, at.1);
        self.note(std::iter::once(c), 3);
        self.marker_px(c, shape, radius, fill, outline)?;
        Ok(true)
    }

    /// A marker centred on absolute pixel `c`.
    pub fn marker_px(
        &self,
        c: (i32, i32),
        shape: Shape,
        radius: i32,
        fill: RGBAColor,
        outline: Option<RGBColor>,
    ) -> Result<(), String> {
        let c = self.rel(c);
        let r = radius.max(1);
        let ring = (self.theme.thin as i32).max(1);
        let poly = |r: i32| -> Vec<(i32, i32)> {
            match shape {
                Shape::Diamond => vec![
                    (c.0, c.1 - r - r / 3),
                    (c.0 + r + r / 3, c.1),
                    (c.0, c.1 + r + r / 3),
                    (c.0 - r - r / 3, c.1),
                ],
                Shape::Square => vec![
                    (c.0 - r, c.1 - r),
                    (c.0 + r, c.1 - r),
                    (c.0 + r, c.1 + r),
                    (c.0 - r, c.1 + r),
                ],
                Shape::Star => (0..10)
                    .map(|k| {
                        let a = std::f64::consts::PI * (k as f64 / 5.0 - 0.5);
                        let rr = if k % 2 == 0 {
                            r as f64 * 1.5
                        } else {
                            r as f64 * 0.65
                        };
                        (
                            c.0 + (rr * libm::cos(a)).round() as i32,
                            c.1 + (rr * libm::sin(a)).round() as i32,
                        )
                    })
                    .collect(),
                Shape::Circle => Vec::new(),
            }
        };
        if shape == Shape::Circle {
            if let Some(o) = outline {
                self.area
                    .draw(&Circle::new(c, r + ring, o.filled()))
                    .map_err(err)?;
            }
            self.area
                .draw(&Circle::new(c, r, fill.filled()))
                .map_err(err)?;
        } else {
            if let Some(o) = outline {
                self.area
                    .draw(&Polygon::new(poly(r + ring + 1), o.filled()))
                    .map_err(err)?;
            }
            self.area
                .draw(&Polygon::new(poly(r), fill.filled()))
                .map_err(err)?;
        }
        Ok(())
    }

    /// A short vertical tick from the bottom of the plot area up, at plot-space x.
    pub fn rug(&mut self, x: f64, len: i32, style: ShapeStyle) -> Result<(), String> {
        if !(x >= self.bx.x0 && x <= self.bx.x1) {
            return Ok(());
        }
        let (px, _) = self.to_px(x, self.bx.y0);
        let r = self.frame.plot;
        self.note((0..4).map(|k| (px, r.bottom - k * len / 4)), 1);
        self.vline_abs(px, r.bottom, r.bottom - len, style)
    }

    pub fn add_legend(&mut self, label: &str, swatch: Swatch) {
        if label.is_empty() || self.legend.iter().any(|e| e.label == label) {
            return;
        }
        self.legend.push(LegendEntry {
            label: label.to_string(),
            swatch,
        });
    }

    fn axes(&self) -> Result<(), String> {
        let t = self.theme;
        let r = self.frame.plot;
        let axis = INK_SOFT.stroke_width(t.thin);
        self.area
            .draw(&Rectangle::new(
                [self.rel((r.left, r.top)), self.rel((r.right, r.bottom))],
                axis,
            ))
            .map_err(err)?;
        let tick_style = self.theme.text(t.tick_font, &INK_SOFT);
        for (v, s) in &self.x_ticks.major {
            let (x, _) = self.to_px(*v, self.bx.y0);
            self.vline_abs(x, r.bottom, r.bottom + t.tick_len, axis)?;
            let at = (x, r.bottom + t.tick_len + (t.pad * 0.4).round() as i32);
            let style = tick_style.pos(Pos::new(HPos::Center, VPos::Top));
            self.area.draw_text(s, &style, self.rel(at)).map_err(err)?;
        }
        for (v, s) in &self.y_ticks.major {
            let (_, y) = self.to_px(self.bx.x0, *v);
            self.hline_abs(r.left - t.tick_len, r.left, y, axis)?;
            let at = (r.left - t.tick_len - (t.pad * 0.4).round() as i32, y);
            let style = tick_style.pos(Pos::new(HPos::Right, VPos::Center));
            self.area.draw_text(s, &style, self.rel(at)).map_err(err)?;
        }
        let desc = self.theme.text(t.font, &INK);
        if !self.x_label.is_empty() {
            let at = (
                (r.left + r.right) / 2,
                self.base.1 + self.size.1 as i32 - (t.pad * 0.4).round() as i32,
            );
            let style = desc.pos(Pos::new(HPos::Center, VPos::Bottom));
            self.area
                .draw_text(&self.x_label, &style, self.rel(at))
                .map_err(err)?;
        }
        if !self.y_label.is_empty() {
            let at = (
                self.base.0 + (t.pad * 0.5 + t.font * 0.6).round() as i32,
                (r.top + r.bottom) / 2,
            );
            let style = desc
                .transform(FontTransform::Rotate270)
                .pos(Pos::new(HPos::Center, VPos::Center));
            self.area
                .draw_text(&self.y_label, &style, self.rel(at))
                .map_err(err)?;
        }
        if !self.title.is_empty() {
            // Shrink a long title to the width rather than let it run off the edges.
            let room = self.size.0 as f64 - 2.0 * t.pad;
            let size = t
                .title_font
                .min(room / (self.title.chars().count() as f64 * 0.56));
            let at = (
                self.base.0 + self.size.0 as i32 / 2,
                self.base.1 + (t.pad * 0.8).round() as i32,
            );
            let style = self
                .theme
                .text(size, &INK)
                .pos(Pos::new(HPos::Center, VPos::Top));
            self.area
                .draw_text(&self.title, &style, self.rel(at))
                .map_err(err)?;
        }
        Ok(())
    }

    fn legend_size(&self) -> (i32, i32) {
        let (w, h) = legend_box(&self.theme, self.legend.iter().map(|e| e.label.as_str()));
        (w.round() as i32, h.round() as i32)
    }

    fn legend_corner(&self, pos: LegendPos, size: (i32, i32)) -> Option<(i32, i32)> {
        let r = self.frame.plot;
        let inset = (self.theme.pad * 0.6).round() as i32;
        let ul = (r.left + inset, r.top + inset);
        let ur = (r.right - inset - size.0, r.top + inset);
        let ll = (r.left + inset, r.bottom - inset - size.1);
        let lr = (r.right - inset - size.0, r.bottom - inset - size.1);
        match pos {
            LegendPos::Hidden => None,
            LegendPos::UpperLeft => Some(ul),
            LegendPos::UpperRight => Some(ur),
            LegendPos::LowerLeft => Some(ll),
            LegendPos::LowerRight => Some(lr),
            LegendPos::Auto => {
                let cost = |c: (i32, i32)| -> u64 {
                    self.occupied
                        .iter()
                        .filter(|(x, y, _)| {
                            *x >= c.0 && *x <= c.0 + size.0 && *y >= c.1 && *y <= c.1 + size.1
                        })
                        .map(|(_, _, w)| *w as u64)
                        .sum()
                };
                let mut best = (u64::MAX, ur);
                for c in [ur, ul, lr, ll] {
                    let k = cost(c);
                    if k < best.0 {
                        best = (k, c);
                    }
                }
                Some(best.1)
            }
        }
    }

    fn draw_legend(&self, pos: LegendPos) -> Result<(), String> {
        if self.legend.is_empty() {
            return Ok(());
        }
        let size = self.legend_size();
        let Some(c) = self.legend_corner(pos, size) else {
            return Ok(());
        };
        let t = self.theme;
        self.fill_rect_abs(c.0, c.1, c.0 + size.0, c.1 + size.1, WHITE.mix(0.88))?;
        self.area
            .draw(&Rectangle::new(
                [self.rel(c), self.rel((c.0 + size.0, c.1 + size.1))],
                GRID.stroke_width(t.thin),
            ))
            .map_err(err)?;
        let row = t.legend_font * 1.45;
        let sw = (t.legend_font * 2.0).round() as i32;
        let x0 = c.0 + (t.pad * 0.8).round() as i32;
        let text_style = self
            .theme
            .text(t.legend_font, &INK)
            .pos(Pos::new(HPos::Left, VPos::Center));
        for (k, e) in self.legend.iter().enumerate() {
            let y = c.1 + (t.pad * 0.6 + row * (k as f64 + 0.5)).round() as i32;
            match e.swatch {
                Swatch::Line {
                    color,
                    width,
                    dashed,
                } => {
                    let style = color.stroke_width(width);
                    if dashed {
                        let d = sw / 4;
                        for s in 0..2 {
                            let a = x0 + s * (sw / 2 + d / 2);
                            self.area
                                .draw(&PathElement::new(
                                    vec![self.rel((a, y)), self.rel((a + d + d / 2, y))],
                                    style,
                                ))
                                .map_err(err)?;
                        }
                    } else {
                        self.area
                            .draw(&PathElement::new(
                                vec![self.rel((x0, y)), self.rel((x0 + sw, y))],
                                style,
                            ))
                            .map_err(err)?;
                    }
                }
                Swatch::Fill(color) => {
                    let hh = (row * 0.32).round() as i32;
                    self.fill_rect_abs(x0, y - hh, x0 + sw, y + hh, color)?;
                }
                Swatch::Marker {
                    shape,
                    color,
                    outline,
                } => {
                    let r = ((t.legend_font * 0.3).round() as i32).max(3);
                    self.marker_px((x0 + sw / 2, y), shape, r, color, outline)?;
                }
            }
            let at = (x0 + sw + (t.pad * 0.6).round() as i32, y);
            self.area
                .draw_text(&e.label, &text_style, self.rel(at))
                .map_err(err)?;
        }
        Ok(())
    }

    /// Axes, labels, title and legend over what was drawn; returns the frame. It does
    /// not `present()` the backend: the area may be one panel of several (an SVG is
    /// finished when its backend is presented or dropped).
    pub fn finish(self, legend: LegendPos) -> Result<ChartFrame, String> {
        self.axes()?;
        self.draw_legend(legend)?;
        Ok(self.frame)
    }
}
