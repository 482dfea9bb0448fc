//! Strips of cells, one row per series: cell i of a row says how many times sample i
//! was drawn (not yet, once, twice or more), in the row's colour, light for once and
//! full for more. Used by `epochs` to show which samples each sampling mode has seen
//! in the current epoch. Each row is named above it in its colour; a key under the
//! rows says what the shades mean.

use super::plot::{err, text_w, Theme};
use super::probe;
use super::{palette, AxisScale, ChartFrame, PixelRect};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One row: its name (drawn above it) and the count of every cell.
#[derive(Clone, Debug)]
pub struct StripRow<'a> {
    pub label: String,
    pub counts: &'a [u32],
    pub color: RGBColor,
}

#[derive(Clone, Debug)]
pub struct StripChart<'a> {
    pub title: &'a str,
    /// A line under the title (e.g. which epoch is shown).
    pub subtitle: String,
    pub rows: &'a [StripRow<'a>],
    pub text_px: Option<f64>,
}

/// The colour of a cell drawn `count` times in a row of colour `c`: light grey for
/// none, `c` lightened for once, `c` itself for more.
pub fn cell_color(count: u32, c: RGBColor) -> RGBColor {
    let mix = |a: u8, w: f64| (a as f64 * w + 255.0 * (1.0 - w)).round() as u8;
    match count {
        0 => RGBColor(236, 236, 236),
        1 => RGBColor(mix(c.0, 0.45), mix(c.1, 0.45), mix(c.2, 0.45)),
        _ => c,
    }
}

/// Draws the strips; the frame's plot area is the block of cells, x in samples
/// (0 … n) and y in rows (0 at the bottom row's foot, rows at the top row's top).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &StripChart,
) -> Result<ChartFrame, String> {
    let (w, h) = area.dim_in_pixel();
    let t = Theme::new(w, h, chart.text_px);
    area.fill(&WHITE).map_err(err)?;
    let n = chart.rows.iter().map(|r| r.counts.len()).max().unwrap_or(0);
    let rows = chart.rows.len();
    if n == 0 || rows == 0 {
        return Err("a strip chart needs at least one row of cells".into());
    }
    let pad = t.pad.round() as i32;
    let line = (t.font * 1.25).ceil() as i32;
    let left = pad * 2;
    let right = w as i32 - pad * 2;
    let mut y = pad;
    let text = |s: &str, x: i32, y: i32, size: f64, c: &RGBColor| -> Result<(), String> {
        let style = t.text(size, c).pos(Pos::new(HPos::Left, VPos::Top));
        area.draw(&Text::new(s.to_string(), (x, y), style))
            .map_err(err)
    };
    if !chart.title.is_empty() {
        text(chart.title, left, y, t.title_font, &palette::INK)?;
        y += (t.title_font * 1.3).ceil() as i32;
    }
    if !chart.subtitle.is_empty() {
        text(&chart.subtitle, left, y, t.font * 0.9, &palette::INK_SOFT)?;
        y += line;
    }
    let key_h = line + pad;
    // What is left for the rows: each a label line and a band of cells.
    let avail = h as i32 - y - key_h - pad;
    let cell_h = ((avail - rows as i32 * (line + pad)) / rows as i32).clamp(4, 3 * line);
    if avail < rows as i32 * (line + 4) || right - left < n.min(40) as i32 {
        return Err(format!(
            "the drawing area {w}×{h} is too small for {rows} strips of {n} cells"
        ));
    }
    let width = (right - left) as f64;
    let edge = |i: usize| left + (width * i as f64 / n as f64).round() as i32;
    // A gap between cells when they are wide enough to show one.
    let gap = if width / n as f64 >= 5.0 { 1 } else { 0 };
    let base = area.get_base_pixel();
    let top_cells = y + line;
    for r in chart.rows {
        text(&r.label, left, y, t.font * 0.9, &r.color)?;
        y += line;
        for (i, &c) in r.counts.iter().enumerate() {
            let (x0, x1) = (edge(i), edge(i + 1) - gap);
            area.draw(&Rectangle::new(
                [(x0, y), (x1.max(x0 + 1), y + cell_h)],
                cell_color(c, r.color).filled(),
            ))
            .map_err(err)?;
        }
        y += cell_h + pad;
    }
    let bottom_cells = y - pad;
    // The key: a swatch and a word for each shade, in ink.
    let ky = y;
    let sw = (t.font * 0.9).round() as i32;
    let mut kx = left;
    let sample = chart.rows[0].color;
    for (count, word) in [(0, "not yet"), (1, "once"), (2, "twice or more")] {
        area.draw(&Rectangle::new(
            [(kx, ky + 2), (kx + sw, ky + 2 + sw)],
            cell_color(count, sample).filled(),
        ))
        .map_err(err)?;
        text(
            word,
            kx + sw + pad / 2,
            ky,
            t.font * 0.85,
            &palette::INK_SOFT,
        )?;
        kx += sw + pad / 2 + text_w(word, t.font * 0.85).ceil() as i32 + pad * 2;
    }
    let frame = ChartFrame {
        plot: PixelRect {
            left: base.0 + left,
            top: base.1 + top_cells,
            right: base.0 + right,
            bottom: base.1 + bottom_cells,
        },
        x_range: (0.0, n as f64),
        y_range: (0.0, rows as f64),
        y_scale: AxisScale::Linear,
        x_scale: AxisScale::Linear,
    };
    report(chart, &frame);
    Ok(frame)
}

/// Under a probe: the cell under the pointer (its sample and how often it was drawn).
fn report(chart: &StripChart, frame: &ChartFrame) {
    probe::plot(frame, "sample", "");
    let Some(((x, y), _)) = probe::pointer() else {
        return;
    };
    let n_rows = chart.rows.len();
    let from_top = (n_rows as f64 - y)
        .floor()
        .clamp(0.0, (n_rows.max(1) - 1) as f64) as usize;
    if let Some(r) = chart.rows.get(from_top) {
        let i = (x.floor().max(0.0) as usize).min(r.counts.len().saturating_sub(1));
        if let Some(&c) = r.counts.get(i) {
            probe::add(probe::Row::value(
                format!("{} · times drawn", r.label),
                r.color,
                (i as f64, c as f64),
                None,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn once_is_lighter_than_more() {
        for c in palette::SERIES {
            let l = |k| {
                palette::luminance({
                    let x = cell_color(k, c);
                    [x.0, x.1, x.2]
                })
            };
            assert!(l(1) > l(2) + 0.1, "once is lighter than twice for {c:?}");
        }
    }

    #[test]
    fn draws_one_rectangle_per_cell_and_frames_them() {
        let counts = [0u32, 1, 2, 3, 0];
        let rows = [
            StripRow {
                label: "a".into(),
                counts: &counts,
                color: palette::BLUE,
            },
            StripRow {
                label: "b".into(),
                counts: &counts,
                color: palette::ORANGE,
            },
        ];
        let mut svg = String::new();
        let frame = {
            let root = SVGBackend::with_string(&mut svg, (400, 300)).into_drawing_area();
            draw(
                &root,
                &StripChart {
                    title: "Seen",
                    subtitle: "epoch 1".into(),
                    rows: &rows,
                    text_px: Some(12.0),
                },
            )
            .unwrap()
        };
        // 2 rows × 5 cells + 3 key swatches (+ the background).
        assert!(svg.matches("<rect").count() >= 13, "{svg}");
        assert!(
            frame.plot.width() > 300 && frame.plot.height() > 20,
            "{frame:?}"
        );
        assert_eq!(frame.x_range, (0.0, 5.0));
    }
}
