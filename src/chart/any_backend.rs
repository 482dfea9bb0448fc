//! One backend type for every target a page draws on: the canvas, an SVG string (a
//! slide figure, byte for byte what `sgd-lab lab` writes) and nothing at all (a chart
//! laid out only to read values under the pointer, `chart::probe`).
//!
//! A lab's drawing code is generic over the backend, so every backend it is drawn on
//! is one more copy of all of it in the WebAssembly module. Dispatching here, once per
//! primitive, keeps one copy for the three, and each call goes to the wrapped
//! backend's own method (not to a default of this trait), so a chart drawn through
//! `AnyBackend::Svg` is the same string as one drawn on `SVGBackend` directly (tested).

use plotters::prelude::SVGBackend;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

/// See the module comment.
pub enum AnyBackend<'a> {
    #[cfg(target_arch = "wasm32")]
    Canvas(plotters_canvas::CanvasBackend),
    Svg(SVGBackend<'a>),
    /// Draws nothing, on an area of this size.
    Null((u32, u32)),
}

/// A wrapped backend's error, as its text.
#[derive(Debug)]
pub struct AnyError(pub String);

impl std::fmt::Display for AnyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AnyError {}

type Res<T = ()> = Result<T, DrawingErrorKind<AnyError>>;

fn conv<T, E: std::error::Error + Send + Sync>(r: Result<T, DrawingErrorKind<E>>) -> Res<T> {
    r.map_err(|e| match e {
        DrawingErrorKind::DrawingError(e) => {
            DrawingErrorKind::DrawingError(AnyError(e.to_string()))
        }
        DrawingErrorKind::FontError(e) => DrawingErrorKind::FontError(e),
    })
}

/// Calls `$call` on the wrapped backend, or returns `$null` for `Null`.
macro_rules! each {
    ($self:ident, $b:ident => $call:expr, $null:expr) => {
        match $self {
            #[cfg(target_arch = "wasm32")]
            AnyBackend::Canvas($b) => conv($call),
            AnyBackend::Svg($b) => conv($call),
            AnyBackend::Null(_) => $null,
        }
    };
}

impl DrawingBackend for AnyBackend<'_> {
    type ErrorType = AnyError;

    fn get_size(&self) -> (u32, u32) {
        match self {
            #[cfg(target_arch = "wasm32")]
            AnyBackend::Canvas(b) => b.get_size(),
            AnyBackend::Svg(b) => b.get_size(),
            AnyBackend::Null(size) => *size,
        }
    }
    fn ensure_prepared(&mut self) -> Res {
        each!(self, b => b.ensure_prepared(), Ok(()))
    }
    fn present(&mut self) -> Res {
        each!(self, b => b.present(), Ok(()))
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Res {
        each!(self, b => b.draw_pixel(point, color), Ok(()))
    }
    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, s: &S) -> Res {
        each!(self, b => b.draw_line(from, to, s), Ok(()))
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        s: &S,
        fill: bool,
    ) -> Res {
        each!(self, b => b.draw_rect(upper_left, bottom_right, s, fill), Ok(()))
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        s: &S,
    ) -> Res {
        each!(self, b => b.draw_path(path, s), Ok(()))
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        s: &S,
        fill: bool,
    ) -> Res {
        each!(self, b => b.draw_circle(center, radius, s, fill), Ok(()))
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        s: &S,
    ) -> Res {
        each!(self, b => b.fill_polygon(vert, s), Ok(()))
    }
    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, s: &T, pos: BackendCoord) -> Res {
        each!(self, b => b.draw_text(text, s, pos), Ok(()))
    }
    fn estimate_text_size<T: BackendTextStyle>(&self, text: &str, s: &T) -> Res<(u32, u32)> {
        // The charts lay text out with their own estimate (`plot::text_w`); this one
        // is the same for the null backend.
        let null = || {
            let size = s.size();
            Ok((
                (super::plot::text_w(text, size)).round() as u32,
                size.round() as u32,
            ))
        };
        each!(self, b => b.estimate_text_size(text, s), null())
    }
    fn blit_bitmap(&mut self, pos: BackendCoord, dim: (u32, u32), src: &[u8]) -> Res {
        each!(self, b => b.blit_bitmap(pos, dim, src), Ok(()))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::lab::{self, Lab};
    use plotters::prelude::IntoDrawingArea;

    /// Every chart of every lab, drawn through `AnyBackend::Svg` and straight on
    /// `SVGBackend`, gives the same SVG string; the null backend gives the same frame.
    #[test]
    fn svg_through_the_enum_is_the_svg_itself() {
        for entry in lab::registry::LABS {
            let s = lab::default_scenario(entry.id).unwrap();
            let mut lab = Lab::new(&s).unwrap();
            while lab.work(1000) < 1.0 {}
            lab.advance(37);
            for c in lab.charts() {
                let (mut direct, mut wrapped) = (String::new(), String::new());
                let f1 = {
                    let root = SVGBackend::with_string(&mut direct, (640, 400)).into_drawing_area();
                    let f = lab.draw(c.id, &root, Some(13.0)).unwrap();
                    root.present().unwrap();
                    f
                };
                let f2 = {
                    let b = AnyBackend::Svg(SVGBackend::with_string(&mut wrapped, (640, 400)));
                    let root = b.into_drawing_area();
                    let f = lab.draw(c.id, &root, Some(13.0)).unwrap();
                    root.present().unwrap();
                    f
                };
                let root = AnyBackend::Null((640, 400)).into_drawing_area();
                let f3 = lab.draw(c.id, &root, Some(13.0)).unwrap();
                assert!(direct.len() > 1000, "{} {}", entry.id, c.id);
                assert!(direct == wrapped, "{} {}: SVG differs", entry.id, c.id);
                assert_eq!((f1, f1), (f2, f3), "{} {}", entry.id, c.id);
            }
        }
    }
}
