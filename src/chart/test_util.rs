//! Helpers for the chart tests: draw to an SVG string and read it back.

use super::ChartFrame;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Draws with `f` on a `w`×`h` SVG and returns the document and the frame.
pub(crate) fn svg_of<F>(w: u32, h: u32, f: F) -> (String, ChartFrame)
where
    F: FnOnce(&DrawingArea<SVGBackend, Shift>) -> Result<ChartFrame, String>,
{
    let mut s = String::new();
    let frame = {
        let area = SVGBackend::with_string(&mut s, (w, h)).into_drawing_area();
        f(&area).unwrap_or_else(|e| panic!("drawing failed: {e}"))
    };
    (s, frame)
}

fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// The elements `<tag …/>` of the document, as their attribute text.
pub(crate) fn elements<'s>(svg: &'s str, tag: &str) -> Vec<&'s str> {
    let open = format!("<{tag} ");
    svg.match_indices(&open)
        .map(|(k, _)| {
            let rest = &svg[k..];
            &rest[..rest.find('>').unwrap_or(rest.len())]
        })
        .collect()
}

fn attr<'s>(el: &'s str, name: &str) -> Option<&'s str> {
    let key = format!(" {name}=\"");
    let k = el.find(&key)? + key.len();
    let end = el[k..].find('"')?;
    Some(&el[k..k + end])
}

/// How many `<tag>` elements are stroked or filled with `color`.
pub(crate) fn count_stroke(svg: &str, tag: &str, color: RGBColor) -> usize {
    let c = hex(color);
    elements(svg, tag)
        .into_iter()
        .filter(|e| attr(e, "stroke") == Some(c.as_str()) || attr(e, "fill") == Some(c.as_str()))
        .count()
}

fn points(el: &str) -> Vec<(f64, f64)> {
    attr(el, "points")
        .unwrap_or("")
        .split_whitespace()
        .filter_map(|p| {
            let (x, y) = p.split_once(',')?;
            Some((x.parse().ok()?, y.parse().ok()?))
        })
        .collect()
}

/// The points of every polyline stroked with `color`.
pub(crate) fn polylines(svg: &str, color: RGBColor) -> Vec<Vec<(f64, f64)>> {
    let c = hex(color);
    elements(svg, "polyline")
        .into_iter()
        .filter(|e| attr(e, "stroke") == Some(c.as_str()))
        .map(points)
        .collect()
}

/// The text of every `<text>` element, unescaped.
pub(crate) fn texts(svg: &str) -> Vec<String> {
    svg.match_indices("<text ")
        .filter_map(|(k, _)| {
            let rest = &svg[k..];
            let a = rest.find('>')? + 1;
            let b = rest.find("</text>")?;
            Some(
                rest[a..b]
                    .trim()
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&apos;", "'")
                    .replace("&amp;", "&"),
            )
        })
        .collect()
}
