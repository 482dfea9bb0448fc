//! What is under the pointer: a chart drawn inside [`read`] (on any backend, usually
//! the null one) reports the plot area that holds the pointer, the pointer's data
//! coordinates there, and each named series' value at the pointer's x: a line's point
//! nearest to it, a band's low and high, a map path's current iterate. The page shows
//! them in an overlay (hover readouts, #11) without redrawing the chart.
//!
//! The charts' own drawing code reports as it draws (`Plot::new`, `line::draw`,
//! `map::draw`), so the values are the very numbers that were drawn, and a chart kind
//! that reports no series still gives the pointer's coordinates on its axes.

use super::{AxisScale, ChartFrame};
use serde::Serialize;
use std::cell::RefCell;

/// One value under the pointer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// The series' legend text.
    pub label: String,
    /// "#rrggbb".
    pub color: String,
    /// The data point: x, and y (a line, a map's iterate), or lo and hi (a band).
    pub x: f64,
    pub y: Option<f64>,
    pub lo: Option<f64>,
    pub hi: Option<f64>,
    /// Where the point is on the canvas (backend pixels), when it can be placed.
    pub px: Option<(f64, f64)>,
    /// (x, y) is a point of the plane (a map's iterate), not a value y at x.
    pub point: bool,
}

impl Row {
    /// A value `y` at `x` of a series named `label` in `color`, at canvas pixel `px`.
    pub(crate) fn value(
        label: String,
        color: plotters::style::RGBColor,
        (x, y): (f64, f64),
        px: Option<(f64, f64)>,
    ) -> Row {
        Row {
            label,
            color: hex(color),
            x,
            y: Some(y),
            lo: None,
            hi: None,
            px,
            point: false,
        }
    }
}

/// What [`read`] found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Readout {
    /// The plot area under the pointer (backend pixels: left, top, right, bottom).
    pub plot: (i32, i32, i32, i32),
    pub x_label: String,
    pub y_label: String,
    /// The pointer in data units.
    pub x: f64,
    pub y: f64,
    pub log_x: bool,
    pub log_y: bool,
    pub rows: Vec<Row>,
}

struct Probe {
    at: (f64, f64),
    /// The plot being drawn holds the pointer.
    active: Option<ChartFrame>,
    found: Option<Readout>,
    /// Rows of series drawn without a legend text, waiting for their direct label
    /// (`name`): matched by colour.
    unnamed: Vec<Row>,
}

thread_local! {
    static PROBE: RefCell<Option<Probe>> = const { RefCell::new(None) };
}

/// Runs `draw` (which draws one chart) and returns what lies under backend pixel `at`
/// (`None` when no plot area holds it). `draw`'s own result is discarded.
pub fn read<T>(at: (f64, f64), draw: impl FnOnce() -> T) -> Option<Readout> {
    PROBE.with(|p| {
        *p.borrow_mut() = Some(Probe {
            at,
            active: None,
            found: None,
            unnamed: Vec::new(),
        })
    });
    let _ = draw();
    PROBE.with(|p| p.borrow_mut().take()).and_then(|p| p.found)
}

/// A plot area begins (`Plot::new`): it becomes the probed one if it holds the
/// pointer (a later one on top of it, such as an inset, wins).
pub(crate) fn plot(frame: &ChartFrame, x_label: &str, y_label: &str) {
    PROBE.with(|p| {
        let mut p = p.borrow_mut();
        let Some(probe) = p.as_mut() else { return };
        probe.active = None;
        probe.unnamed.clear();
        let Some((x, y)) = frame.coord(probe.at.0, probe.at.1) else {
            return;
        };
        probe.active = Some(*frame);
        let r = frame.plot;
        probe.found = Some(Readout {
            plot: (r.left, r.top, r.right, r.bottom),
            x_label: x_label.to_string(),
            y_label: y_label.to_string(),
            x,
            y,
            log_x: frame.x_scale == AxisScale::Log,
            log_y: frame.y_scale == AxisScale::Log,
            rows: Vec::new(),
        });
    });
}

/// The pointer's data coordinates and the probed plot's frame, when the plot being
/// drawn holds the pointer (the cheap test series drawing code makes first).
pub(crate) fn pointer() -> Option<((f64, f64), ChartFrame)> {
    PROBE.with(|p| {
        let p = p.borrow();
        let probe = p.as_ref()?;
        let frame = probe.active?;
        let found = probe.found.as_ref()?;
        Some(((found.x, found.y), frame))
    })
}

/// The probed plot's y-axis label (a value read on that axis is named by it).
pub(crate) fn y_label() -> Option<String> {
    PROBE.with(|p| {
        let p = p.borrow();
        let probe = p.as_ref()?;
        probe.active?;
        probe.found.as_ref().map(|f| f.y_label.clone())
    })
}

/// Adds a row to the probed plot (the first row of a label wins: many runs may share
/// one). A row without a label waits for the direct label of its colour (`name`), and
/// is left out if none comes.
pub(crate) fn add(row: Row) {
    PROBE.with(|p| {
        let mut p = p.borrow_mut();
        let Some(probe) = p.as_mut().filter(|probe| probe.active.is_some()) else {
            return;
        };
        if row.label.is_empty() {
            probe.unnamed.push(row);
        } else if let Some(found) = probe.found.as_mut() {
            if found.rows.iter().all(|r| r.label != row.label) {
                found.rows.push(row);
            }
        }
    });
}

/// A direct label `text` in `color` was drawn on the probed plot: it names the first
/// waiting row of that colour.
pub(crate) fn name(text: &str, color: plotters::style::RGBColor) {
    let hex = hex(color);
    let row = PROBE.with(|p| {
        let mut p = p.borrow_mut();
        let probe = p.as_mut().filter(|probe| probe.active.is_some())?;
        let k = probe.unnamed.iter().position(|r| r.color == hex)?;
        Some(probe.unnamed.remove(k))
    });
    if let Some(mut row) = row {
        row.label = text.to_string();
        add(row);
    }
}

/// The index of the point of `xs` nearest to `x` on an axis of `scale` (non-finite
/// or, on a log axis, non-positive x skipped; `ok(i)` says whether point i counts).
pub(crate) fn nearest(
    xs: impl Iterator<Item = f64>,
    x: f64,
    scale: AxisScale,
    ok: impl Fn(usize) -> bool,
) -> Option<usize> {
    let place = |v: f64| match scale {
        AxisScale::Linear => v,
        AxisScale::Log if v > 0.0 => libm::log10(v),
        AxisScale::Log => f64::NAN,
    };
    let target = place(x);
    let mut best: Option<(usize, f64)> = None;
    for (i, v) in xs.enumerate() {
        let d = (place(v) - target).abs();
        if d.is_finite() && ok(i) && best.map_or(true, |(_, b)| d < b) {
            best = Some((i, d));
        }
    }
    best.map(|(i, _)| i)
}

/// "#rrggbb" of a colour.
pub(crate) fn hex(c: plotters::style::RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}
