//! A lab state as slide figures: every chart of the lab at step T as SVG, drawn by the
//! same code as the browser's canvas, and the lab's CSV, byte-identical to the
//! browser's "CSV of the numbers" for that state, and the lab's table when it has one
//! (`sgd-lab lab`).

use super::Lab;
use crate::chart::any_backend::AnyBackend;
use crate::scenario::Scenario;
use plotters::prelude::{IntoDrawingArea, SVGBackend};

/// The SVG size of each chart, in pixels (the canvas's default aspect).
pub const SIZE: (u32, u32) = (800, 500);

/// The lab that `s` names (its `lab` part), played to step `step` (default: the end)
/// with its background work (ensembles) finished, as the browser would show it.
pub fn played(s: &Scenario, step: Option<u64>) -> Result<Lab, String> {
    let mut lab = Lab::new(s).map_err(|e| e.to_string())?;
    let steps = lab.status().steps;
    let want = match step {
        None => steps,
        Some(t) if t <= steps => t,
        Some(t) => {
            return Err(format!(
                "--step must be a whole number from 0 to {steps} (the scenario's steps), got {t}"
            ))
        }
    };
    // As the browser does: background work to the end, then play.
    while lab.work(1000) < 1.0 {}
    while lab.status().t < want {
        let left = (want - lab.status().t).min(u32::MAX as u64) as u32;
        if lab.advance(left) == 0 {
            break; // Every run stopped early (diverged): the picture is final.
        }
    }
    Ok(lab)
}

/// What `sgd-lab lab` writes: `(chart id, SVG)` in page order, and the CSV.
pub struct Figures {
    pub charts: Vec<(&'static str, String)>,
    pub csv: String,
    /// The lab's table as CSV (`table.csv`), when it has one (gd-vs-sgd).
    pub table: Option<String>,
    /// The step shown.
    pub t: u64,
}

/// How a slide figure is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FigureStyle {
    /// The print theme ([`crate::chart::with_print`]): thicker lines, black text.
    pub print: bool,
    /// Theory overlays drawn ([`crate::chart::with_theory`]; a lesson's `hide=theory`).
    pub theory: bool,
}

impl Default for FigureStyle {
    fn default() -> FigureStyle {
        FigureStyle {
            print: false,
            theory: true,
        }
    }
}

/// Chart `chart` of `lab` as it is now, as a slide figure: SVG of [`SIZE`] in `style`.
/// The browser's "Save figure" (SVG) and `sgd-lab lab` both call this, so their files
/// are the same bytes.
pub fn chart_svg(lab: &Lab, chart: &str, style: FigureStyle) -> Result<String, String> {
    let mut svg = String::new();
    crate::chart::with_theory(style.theory, || {
        crate::chart::with_print(style.print, || {
            let root = AnyBackend::Svg(SVGBackend::with_string(&mut svg, SIZE)).into_drawing_area();
            lab.draw(chart, &root, None)
                .map_err(|e| format!("chart {chart}: {e}"))?;
            root.present()
                .map_err(|e| format!("chart {chart}: drawing failed: {e}"))
        })
    })?;
    Ok(svg)
}

/// The lab that `s` names (its `lab` part), played to step `step` (default: the end)
/// with its background work (ensembles) finished, as figures in `style`.
pub fn figures(s: &Scenario, step: Option<u64>, style: FigureStyle) -> Result<Figures, String> {
    let lab = played(s, step)?;
    let mut charts = Vec::new();
    for c in lab.charts() {
        charts.push((c.id, chart_svg(&lab, c.id, style)?));
    }
    Ok(Figures {
        charts,
        csv: lab.csv(),
        table: lab.table().map(|t| t.csv()),
        t: lab.status().t,
    })
}
