//! The landing page's picture of a built lab (`sgd-lab thumbs`): the chart its
//! registry row names (`registry::Thumb`), at the lab's defaults, played to the end,
//! drawn by the lab's own drawing code on the recording backend of `chart::thumb` and
//! written as an SVG of the plot area, without text, legends or label boxes, with
//! thicker lines (legible at 240×160).

use super::export::played;
use crate::chart::thumb::{thumbnail_svg, Op, Recorder};
use crate::chart::PixelRect;
use plotters::prelude::IntoDrawingArea;

/// The size of the plot area a thumbnail shows, in pixels (its SVG's size, about).
pub const SIZE: (u32, u32) = (240, 160);

/// The text size the chart is laid out with (the text itself is left out): small, so
/// that the margins around the plot area, which the thumbnail crops, are small.
pub const TEXT_PX: f64 = 6.0;

/// A lab's thumbnail and how it was drawn.
pub struct Thumbnail {
    pub id: &'static str,
    pub chart: &'static str,
    pub alt: &'static str,
    /// The step shown (the end of the default scenario).
    pub t: u64,
    /// The drawing area the chart was drawn on, and its plot area there.
    pub area: (u32, u32),
    pub plot: PixelRect,
    /// Every primitive the chart drew on that area.
    pub ops: Vec<Op>,
    /// The picture.
    pub svg: String,
}

/// The thumbnail of lab `id` (a built lab with a `thumb` in the registry).
pub fn thumbnail(id: &str) -> Result<Thumbnail, String> {
    let entry = super::registry::find(id).ok_or_else(|| format!("there is no lab {id:?}"))?;
    let thumb = entry
        .thumb
        .ok_or_else(|| format!("lab {id} has no picture (it is not built yet)"))?;
    let scenario = super::default_scenario(id).map_err(|e| e.to_string())?;
    let lab = played(&scenario, None)?;
    let draw = |area: (u32, u32)| -> Result<(Vec<Op>, PixelRect), String> {
        let mut ops = Vec::new();
        let frame = {
            let root = Recorder::new(&mut ops, area).into_drawing_area();
            lab.draw(thumb.chart, &root, Some(TEXT_PX))
                .map_err(|e| format!("lab {id}, chart {}: {e}", thumb.chart))?
        };
        Ok((ops, frame.plot))
    };
    // Once with a guess of the margins, then with the margins measured, so that the
    // plot area comes out at about SIZE.
    let guess = (SIZE.0 + 40, SIZE.1 + 30);
    let (_, p) = draw(guess)?;
    let area = (
        SIZE.0 + guess.0.saturating_sub(p.width()),
        SIZE.1 + guess.1.saturating_sub(p.height()),
    );
    let (ops, plot) = draw(area)?;
    let svg = thumbnail_svg(&ops, &plot)?;
    Ok(Thumbnail {
        id: entry.id,
        chart: thumb.chart,
        alt: thumb.alt,
        t: lab.status().t,
        area,
        plot,
        ops,
        svg,
    })
}

/// The thumbnails of every lab that has one, in lecture order.
pub fn all() -> Result<Vec<Thumbnail>, String> {
    super::registry::LABS
        .iter()
        .filter(|l| l.thumb.is_some())
        .map(|l| thumbnail(l.id))
        .collect()
}
