//! Small pictures for the landing page, drawn by the charts' own code: a lab draws
//! its chart on a [`Recorder`], a plotters backend that keeps every primitive (lines,
//! paths, polygons, rectangles, circles, the anchor of every text); [`thumbnail_svg`]
//! then writes the plot area only, through plotters' `SVGBackend`, as a simplified
//! version of the same drawing: no text, no legend or label boxes, thicker lines.
//! [`full_svg`] replays everything but the text unchanged (the tests compare it with
//! the chart drawn straight on an `SVGBackend`: the recording loses nothing).

use super::PixelRect;
use plotters::prelude::SVGBackend;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use std::convert::Infallible;

/// One primitive as the chart drew it (backend pixels, colour, stroke width).
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    Pixel(BackendCoord, Color),
    Line(BackendCoord, BackendCoord, Stroke),
    Rect(BackendCoord, BackendCoord, Stroke, bool),
    Path(Vec<BackendCoord>, Stroke),
    Circle(BackendCoord, u32, Stroke, bool),
    Polygon(Vec<BackendCoord>, Color),
    /// A text was drawn with its anchor here (the text itself is not kept).
    Text(BackendCoord),
}

/// A colour with its opacity, as the backend receives it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Color {
    pub rgb: (u8, u8, u8),
    pub alpha: f64,
}

/// A colour and a stroke width.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stroke {
    pub color: Color,
    pub width: u32,
}

impl From<BackendColor> for Color {
    fn from(c: BackendColor) -> Color {
        Color {
            rgb: c.rgb,
            alpha: c.alpha,
        }
    }
}

impl BackendStyle for Stroke {
    fn color(&self) -> BackendColor {
        BackendColor {
            rgb: self.color.rgb,
            alpha: self.color.alpha,
        }
    }
    fn stroke_width(&self) -> u32 {
        self.width
    }
}

fn stroke<S: BackendStyle>(s: &S) -> Stroke {
    Stroke {
        color: s.color().into(),
        width: s.stroke_width(),
    }
}

/// A backend that records what is drawn on it into `ops` (drawing never fails).
pub struct Recorder<'a> {
    size: (u32, u32),
    ops: &'a mut Vec<Op>,
}

impl<'a> Recorder<'a> {
    pub fn new(ops: &'a mut Vec<Op>, size: (u32, u32)) -> Recorder<'a> {
        Recorder { size, ops }
    }
}

type Res = Result<(), DrawingErrorKind<Infallible>>;

impl DrawingBackend for Recorder<'_> {
    type ErrorType = Infallible;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }
    fn ensure_prepared(&mut self) -> Res {
        Ok(())
    }
    fn present(&mut self) -> Res {
        Ok(())
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Res {
        self.ops.push(Op::Pixel(point, color.into()));
        Ok(())
    }
    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, s: &S) -> Res {
        self.ops.push(Op::Line(from, to, stroke(s)));
        Ok(())
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        s: &S,
        fill: bool,
    ) -> Res {
        self.ops
            .push(Op::Rect(upper_left, bottom_right, stroke(s), fill));
        Ok(())
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        s: &S,
    ) -> Res {
        self.ops
            .push(Op::Path(path.into_iter().collect(), stroke(s)));
        Ok(())
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        s: &S,
        fill: bool,
    ) -> Res {
        self.ops.push(Op::Circle(center, radius, stroke(s), fill));
        Ok(())
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        s: &S,
    ) -> Res {
        self.ops
            .push(Op::Polygon(vert.into_iter().collect(), s.color().into()));
        Ok(())
    }
    fn draw_text<T: BackendTextStyle>(&mut self, _text: &str, _s: &T, pos: BackendCoord) -> Res {
        self.ops.push(Op::Text(pos));
        Ok(())
    }
    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        s: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<Infallible>> {
        // The charts measure text themselves (plot::text_w); this is the same estimate.
        let size = s.size().max(0.0);
        Ok((
            (text.chars().count() as f64 * 0.56 * size) as u32,
            size as u32,
        ))
    }
    fn blit_bitmap(&mut self, _pos: BackendCoord, _size: (u32, u32), _src: &[u8]) -> Res {
        // Heat maps are blitted in the browser only; an SVG chart has none.
        Ok(())
    }
}

/// The pixels a primitive covers, as (left, top, right, bottom) (a text: its anchor).
fn bounds(op: &Op) -> (i32, i32, i32, i32) {
    let of = |pts: &[BackendCoord]| {
        pts.iter().fold(
            (i32::MAX, i32::MAX, i32::MIN, i32::MIN),
            |(l, t, r, b), &(x, y)| (l.min(x), t.min(y), r.max(x), b.max(y)),
        )
    };
    match op {
        Op::Pixel(p, _) | Op::Text(p) => (p.0, p.1, p.0, p.1),
        Op::Line(a, b, _) | Op::Rect(a, b, _, _) => of(&[*a, *b]),
        Op::Path(pts, _) | Op::Polygon(pts, _) => of(pts),
        Op::Circle(c, r, _, _) => {
            let r = (*r).min(i32::MAX as u32 / 4) as i32;
            (c.0 - r, c.1 - r, c.0 + r, c.1 + r)
        }
    }
}

fn inside(b: (i32, i32, i32, i32), r: (i32, i32, i32, i32)) -> bool {
    b.0 >= r.0 && b.1 >= r.1 && b.2 <= r.2 && b.3 <= r.3
}

fn meets(b: (i32, i32, i32, i32), r: &PixelRect) -> bool {
    b.0 <= r.right && b.2 >= r.left && b.1 <= r.bottom && b.3 >= r.top
}

/// A legend or a direct label's background: a filled, see-through white rectangle in
/// which a text is written afterwards.
fn annotation_box(ops: &[Op], k: usize) -> Option<(i32, i32, i32, i32)> {
    let Op::Rect(a, b, s, true) = &ops[k] else {
        return None;
    };
    if s.color.rgb != (255, 255, 255) || s.color.alpha >= 1.0 {
        return None;
    }
    let r = bounds(&ops[k]);
    let labelled = ops[k + 1..]
        .iter()
        .any(|op| matches!(op, Op::Text(p) if inside((p.0, p.1, p.0, p.1), r)));
    labelled.then_some((a.0.min(b.0), a.1.min(b.1), a.0.max(b.0), a.1.max(b.1)))
}

/// What the thumbnail keeps of a recording: the primitives that reach the plot area,
/// less every text and every annotation box with what is drawn inside it after it.
pub fn kept(ops: &[Op], plot: &PixelRect) -> Vec<Op> {
    let mut boxes: Vec<(i32, i32, i32, i32)> = Vec::new();
    let mut out = Vec::new();
    for (k, op) in ops.iter().enumerate() {
        if matches!(op, Op::Text(_)) {
            continue;
        }
        if let Some(r) = annotation_box(ops, k) {
            boxes.push(r);
            continue;
        }
        let b = bounds(op);
        if !meets(b, plot) || boxes.iter().any(|r| inside(b, *r)) {
            continue;
        }
        out.push(op.clone());
    }
    out
}

/// Stroke widths in the thumbnail: the chart's plus this many pixels (lines stay
/// visible when the picture is small), except the light grey grid's.
pub const THICKER: u32 = 1;

/// The grid and other hairlines in light neutral grey stay as thin as they were.
fn is_light_grey(c: &Color) -> bool {
    let (r, g, b) = c.rgb;
    r == g && g == b && r >= 200
}

fn replay(
    svg: &mut SVGBackend<'_>,
    op: &Op,
    shift: (i32, i32),
    thicker: u32,
) -> Result<(), String> {
    let mv = |p: &BackendCoord| (p.0 - shift.0, p.1 - shift.1);
    let th = |s: &Stroke| Stroke {
        width: if is_light_grey(&s.color) {
            s.width
        } else {
            s.width.saturating_add(thicker)
        },
        ..*s
    };
    let done = match op {
        Op::Pixel(p, c) => svg.draw_pixel(
            mv(p),
            BackendColor {
                rgb: c.rgb,
                alpha: c.alpha,
            },
        ),
        Op::Line(a, b, s) => svg.draw_line(mv(a), mv(b), &th(s)),
        Op::Rect(a, b, s, fill) => svg.draw_rect(mv(a), mv(b), &th(s), *fill),
        Op::Path(pts, s) => {
            let mut p: Vec<BackendCoord> = pts.iter().map(mv).collect();
            if thicker > 0 {
                p.dedup();
            }
            svg.draw_path(p, &th(s))
        }
        Op::Circle(c, r, s, fill) => svg.draw_circle(mv(c), *r, &th(s), *fill),
        Op::Polygon(pts, c) => {
            let mut p: Vec<BackendCoord> = pts.iter().map(mv).collect();
            if thicker > 0 {
                p.dedup();
            }
            svg.fill_polygon(
                p,
                &Stroke {
                    color: *c,
                    width: 1,
                },
            )
        }
        Op::Text(_) => Ok(()),
    };
    done.map_err(|e| format!("writing the SVG failed: {e}"))
}

/// Every recorded primitive but the texts, unchanged, as an SVG of `size`.
pub fn full_svg(ops: &[Op], size: (u32, u32)) -> Result<String, String> {
    let mut out = String::new();
    {
        let mut svg = SVGBackend::with_string(&mut out, size);
        for op in ops {
            replay(&mut svg, op, (0, 0), 0)?;
        }
        svg.present()
            .map_err(|e| format!("writing the SVG failed: {e}"))?;
    }
    Ok(out)
}

/// The thumbnail: the plot area `plot` of a recording, as an SVG of the plot's size,
/// with what [`kept`] keeps, lines [`THICKER`].
pub fn thumbnail_svg(ops: &[Op], plot: &PixelRect) -> Result<String, String> {
    let mut out = String::new();
    {
        let mut svg = SVGBackend::with_string(&mut out, (plot.width(), plot.height()));
        for op in kept(ops, plot) {
            replay(&mut svg, &op, (plot.left, plot.top), THICKER)?;
        }
        svg.present()
            .map_err(|e| format!("writing the SVG failed: {e}"))?;
    }
    Ok(out)
}
