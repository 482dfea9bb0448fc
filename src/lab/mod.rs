//! The labs of the catalogue (shared/LABS.md), as pure Rust: each lab turns a scenario
//! into the runs it animates, the charts it draws (through `crate::chart`, on any
//! plotters backend), its caption's numbers, a text alternative and a CSV. The wasm
//! binding only forwards to this module; native tests drive the same code.
//!
//! A lab's whole state is a [`Scenario`] whose `lab` field names the lab and carries
//! the few view settings that are not part of a simulation (e.g. the second step size
//! of `step-size`). Knobs ([`knob::Knob`]) read and write that scenario; the URL
//! carries every knob as `key=value` after `lab=<id>`.

pub mod common;
pub mod engine;
pub mod export;
pub(crate) mod gap_chart;
mod history;
pub mod knob;
pub mod link;
mod numbers;
pub mod quiz;
pub use numbers::{non_finite_shown, parse_shown};
pub mod registry;
/// Native only, like `export`: the landing page's pictures, written at build time.
#[cfg(not(target_arch = "wasm32"))]
pub mod thumbnail;

pub mod averaging;
pub mod decay;
pub mod descent_lemma;
pub mod epochs;
pub mod expected_loss;
pub mod gd_vs_sgd;
pub mod mini_batch;
pub mod momentum;
pub mod noise_assumptions;
pub mod per_sample;
pub mod sandbox;
pub mod step_size;
pub mod variance_reduction;

use crate::chart::ChartFrame;
use crate::error::SpecError;
pub use crate::scenario::LabView;
use crate::scenario::Scenario;
use knob::Knob;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};
use serde::Serialize;

/// A chart a lab draws, one per canvas.
#[derive(Clone, Debug, Serialize)]
pub struct ChartInfo {
    /// Canvas id suffix and the `chart` argument of [`Lab::draw`].
    pub id: &'static str,
    pub title: &'static str,
    /// Whether the page should blit [`Lab::heatmap`] under the chart.
    pub heatmap: bool,
    /// What a click (or drag) on the chart does, in words; empty if nothing.
    pub click: &'static str,
}

/// Where a lab is, for the controls and the status line.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Status {
    /// Steps shown so far, and in all.
    pub t: u64,
    pub steps: u64,
    /// Nothing more to animate.
    pub done: bool,
    /// Background work (ensembles) done, 0 … 1; 1 when there is none.
    pub progress: f64,
    /// When a run diverged: a sentence saying which and at which step.
    pub diverged: Option<String>,
    /// Where the clock is, in the lab's own words when its clock is not steps (the
    /// mini-batch lab counts samples processed): "1 280 of 19 200 samples"; the page
    /// shows it instead of "Step t of steps".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clock: Option<String>,
}

/// A lab's caption: plain words with the current numbers, and named values.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Caption {
    pub text: String,
    pub facts: Vec<(String, String)>,
}

/// A table of numbers a lab shows beside its charts (the page renders it as an HTML
/// table; `sgd-lab lab` writes it as `table.csv`): the core's numbers, formatted.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Table {
    /// What the table holds, in one sentence (the table's caption).
    pub title: String,
    /// Column headings.
    pub head: Vec<String>,
    /// Rows of cells, as many as `head`; the first cell names the row.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// The table as CSV: the headings, then the rows (cells quoted when they hold a
    /// comma or a quote).
    pub fn csv(&self) -> String {
        let cell = |c: &String| {
            if c.contains([',', '"', '\n']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.clone()
            }
        };
        let line = |r: &Vec<String>| r.iter().map(cell).collect::<Vec<_>>().join(",") + "\n";
        std::iter::once(&self.head)
            .chain(&self.rows)
            .map(line)
            .collect()
    }
}

/// What a lab does, as [`Lab`] forwards it: the methods of [`Lab`] without the
/// dispatch. The defaults are for what most labs do not have: no background work, no
/// heat map, no clicks or drags.
pub trait LabSim {
    /// The scenario this lab shows (what export, the URL and the CLI see).
    fn scenario(&self) -> &Scenario;

    /// The charts, in page order.
    fn charts(&self) -> &'static [ChartInfo];

    /// Advances the animation by up to `steps` steps; returns how many were taken.
    fn advance(&mut self, steps: u32) -> u32;

    /// Background computation in slices (ensembles): about `budget` units of work
    /// (one unit ≈ one step of one run, so that a slice stays short even when a run is
    /// long; the page sizes the budget by time); returns the progress, 0 … 1. Without
    /// background work: 1.
    fn work(&mut self, _budget: u32) -> f64 {
        1.0
    }

    /// Back to step 0 with the same scenario.
    fn reset(&mut self);

    fn status(&self) -> Status;
    /// The animation's default speed in steps per second when the lab wants slow
    /// motion (fewer than one step per frame); `None`: the page's own default.
    fn steps_per_second(&self) -> Option<f64> {
        None
    }

    fn caption(&self) -> Caption;

    /// A text alternative: what the charts show now, in words and numbers.
    fn describe(&self) -> String;

    /// The numbers behind the picture, as CSV (the same format as `report`).
    fn csv(&self) -> String;

    /// The run's answer to the lab's question `q` ([`quiz::questions`]), once the run
    /// on screen has answered it.
    fn verdict(&self, _q: usize) -> Option<quiz::Verdict> {
        None
    }

    /// A table shown beside the charts, when the lab has one.
    fn table(&self) -> Option<Table> {
        None
    }

    /// Draws chart `chart` on `area`. `text_px` is the text size in backend pixels.
    fn draw<DB: DrawingBackend>(
        &self,
        chart: &str,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String>;

    /// `draw` for a canvas whose [`LabSim::heatmap`] pixels are already in place
    /// under the chart's plot area. Without a heat map: `draw`.
    fn draw_over_heatmap<DB: DrawingBackend>(
        &self,
        chart: &str,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        self.draw(chart, area, text_px)
    }

    /// For a chart with a heat map: the plot rectangle on a `width`×`height` canvas
    /// and its RGBA pixels. Without a heat map: `None`.
    fn heatmap(
        &self,
        _chart: &str,
        _width: u32,
        _height: u32,
        _text_px: Option<f64>,
    ) -> Option<(crate::chart::PixelRect, Vec<u8>)> {
        None
    }

    /// A click at data coordinates (x, y) of `chart`: the changed scenario, or `None`
    /// (the default: clicks do nothing).
    fn click(&self, _chart: &str, _x: f64, _y: f64) -> Option<Scenario> {
        None
    }

    /// A drag on `chart` from `from` to `to`: the changed scenario, or `None` (the
    /// default: nothing can be dragged).
    fn drag(&self, _chart: &str, _from: (f64, f64), _to: (f64, f64)) -> Option<Scenario> {
        None
    }
}

/// What the registry's constructors return: a lab behind one object-safe interface, so
/// that adding a lab is its module and its registry row (no enum to extend).
/// [`LabSim`] is implemented by each lab; this trait is implemented for every `LabSim`
/// and draws on the two backends the project has (SVG natively, the canvas in the
/// browser) through [`LabBackend`].
pub trait DynLab {
    fn scenario(&self) -> &Scenario;
    fn charts(&self) -> &'static [ChartInfo];
    fn advance(&mut self, steps: u32) -> u32;
    fn work(&mut self, budget: u32) -> f64;
    fn reset(&mut self);
    fn status(&self) -> Status;
    fn steps_per_second(&self) -> Option<f64>;
    fn caption(&self) -> Caption;
    fn describe(&self) -> String;
    fn csv(&self) -> String;
    fn table(&self) -> Option<Table>;
    fn verdict(&self, q: usize) -> Option<quiz::Verdict>;
    fn heatmap(
        &self,
        chart: &str,
        width: u32,
        height: u32,
        text_px: Option<f64>,
    ) -> Option<(crate::chart::PixelRect, Vec<u8>)>;
    fn click(&self, chart: &str, x: f64, y: f64) -> Option<Scenario>;
    fn drag(&self, chart: &str, from: (f64, f64), to: (f64, f64)) -> Option<Scenario>;
    #[cfg(not(target_arch = "wasm32"))]
    fn draw_svg(
        &self,
        chart: &str,
        area: &DrawingArea<plotters::prelude::SVGBackend<'_>, Shift>,
        text_px: Option<f64>,
        over_heatmap: bool,
    ) -> Result<ChartFrame, String>;
    /// On the page's backend (canvas, SVG or none: `chart::any_backend`).
    fn draw_any(
        &self,
        chart: &str,
        area: &DrawingArea<crate::chart::any_backend::AnyBackend<'_>, Shift>,
        text_px: Option<f64>,
        over_heatmap: bool,
    ) -> Result<ChartFrame, String>;
    /// On the recording backend of the landing page's thumbnails (`chart::thumb`).
    #[cfg(not(target_arch = "wasm32"))]
    fn draw_recorded(
        &self,
        chart: &str,
        area: &DrawingArea<crate::chart::thumb::Recorder<'_>, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String>;
    /// For tests and tools that reach a lab's own methods ([`Lab::downcast`]).
    fn as_any(&self) -> &dyn std::any::Any;
}

/// Draws `chart` of `lab` on a concrete backend (plain, or over a heat map).
fn draw_with<T: LabSim, DB: DrawingBackend>(
    lab: &T,
    chart: &str,
    area: &DrawingArea<DB, Shift>,
    text_px: Option<f64>,
    over_heatmap: bool,
) -> Result<ChartFrame, String> {
    if over_heatmap {
        lab.draw_over_heatmap(chart, area, text_px)
    } else {
        lab.draw(chart, area, text_px)
    }
}

impl<T: LabSim + 'static> DynLab for T {
    fn scenario(&self) -> &Scenario {
        LabSim::scenario(self)
    }
    fn charts(&self) -> &'static [ChartInfo] {
        LabSim::charts(self)
    }
    fn advance(&mut self, steps: u32) -> u32 {
        LabSim::advance(self, steps)
    }
    fn work(&mut self, budget: u32) -> f64 {
        LabSim::work(self, budget)
    }
    fn reset(&mut self) {
        LabSim::reset(self)
    }
    fn status(&self) -> Status {
        LabSim::status(self)
    }
    fn steps_per_second(&self) -> Option<f64> {
        LabSim::steps_per_second(self)
    }
    fn caption(&self) -> Caption {
        LabSim::caption(self)
    }
    fn describe(&self) -> String {
        LabSim::describe(self)
    }
    fn csv(&self) -> String {
        LabSim::csv(self)
    }
    fn table(&self) -> Option<Table> {
        LabSim::table(self)
    }
    fn verdict(&self, q: usize) -> Option<quiz::Verdict> {
        LabSim::verdict(self, q)
    }
    fn heatmap(
        &self,
        chart: &str,
        width: u32,
        height: u32,
        text_px: Option<f64>,
    ) -> Option<(crate::chart::PixelRect, Vec<u8>)> {
        LabSim::heatmap(self, chart, width, height, text_px)
    }
    fn click(&self, chart: &str, x: f64, y: f64) -> Option<Scenario> {
        LabSim::click(self, chart, x, y)
    }
    fn drag(&self, chart: &str, from: (f64, f64), to: (f64, f64)) -> Option<Scenario> {
        LabSim::drag(self, chart, from, to)
    }
    #[cfg(not(target_arch = "wasm32"))]
    fn draw_svg(
        &self,
        chart: &str,
        area: &DrawingArea<plotters::prelude::SVGBackend<'_>, Shift>,
        text_px: Option<f64>,
        over_heatmap: bool,
    ) -> Result<ChartFrame, String> {
        draw_with(self, chart, area, text_px, over_heatmap)
    }
    fn draw_any(
        &self,
        chart: &str,
        area: &DrawingArea<crate::chart::any_backend::AnyBackend<'_>, Shift>,
        text_px: Option<f64>,
        over_heatmap: bool,
    ) -> Result<ChartFrame, String> {
        draw_with(self, chart, area, text_px, over_heatmap)
    }
    #[cfg(not(target_arch = "wasm32"))]
    fn draw_recorded(
        &self,
        chart: &str,
        area: &DrawingArea<crate::chart::thumb::Recorder<'_>, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        draw_with(self, chart, area, text_px, false)
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// A backend a lab can draw on: SVG (the command line, tests) natively, the canvas in
/// the browser.
pub trait LabBackend: DrawingBackend + Sized {
    #[doc(hidden)]
    fn draw_lab(
        lab: &dyn DynLab,
        chart: &str,
        area: &DrawingArea<Self, Shift>,
        text_px: Option<f64>,
        over_heatmap: bool,
    ) -> Result<ChartFrame, String>;
}

#[cfg(not(target_arch = "wasm32"))]
impl LabBackend for plotters::prelude::SVGBackend<'_> {
    fn draw_lab(
        lab: &dyn DynLab,
        chart: &str,
        area: &DrawingArea<Self, Shift>,
        text_px: Option<f64>,
        over_heatmap: bool,
    ) -> Result<ChartFrame, String> {
        lab.draw_svg(chart, area, text_px, over_heatmap)
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl LabBackend for crate::chart::thumb::Recorder<'_> {
    fn draw_lab(
        lab: &dyn DynLab,
        chart: &str,
        area: &DrawingArea<Self, Shift>,
        text_px: Option<f64>,
        _over_heatmap: bool,
    ) -> Result<ChartFrame, String> {
        lab.draw_recorded(chart, area, text_px)
    }
}

impl LabBackend for crate::chart::any_backend::AnyBackend<'_> {
    fn draw_lab(
        lab: &dyn DynLab,
        chart: &str,
        area: &DrawingArea<Self, Shift>,
        text_px: Option<f64>,
        over_heatmap: bool,
    ) -> Result<ChartFrame, String> {
        lab.draw_any(chart, area, text_px, over_heatmap)
    }
}

/// A lab with its simulation state: its registry id and the lab itself.
pub struct Lab {
    id: &'static str,
    sim: Box<dyn DynLab>,
}

/// The row of lab `id` in the registry.
pub fn info(id: &str) -> Option<&'static registry::LabEntry> {
    registry::find(id)
}

/// The knobs of a lab.
pub fn knobs(id: &str) -> Result<Vec<Knob>, SpecError> {
    Ok((registry::built(id)?.knobs)())
}

/// The scenario a lab opens with: its preset with the lab's view defaults.
pub fn default_scenario(id: &str) -> Result<Scenario, SpecError> {
    let built = registry::built(id)?;
    let preset = crate::presets::find(id).expect("a built lab has a preset (registry test)");
    let mut s = preset.scenario();
    let mut view = LabView {
        id: id.to_string(),
        ..LabView::default()
    };
    (built.view)(&mut view);
    s.lab = Some(view);
    Ok(s)
}

/// A scenario read from a URL: what could be used, and a sentence for each parameter
/// that could not (the lab then shows its default for that knob).
pub struct FromQuery {
    pub scenario: Scenario,
    /// `scenario`, built (once): what [`Lab::from_setup`] takes.
    pub setup: crate::scenario::Setup,
    pub warnings: Vec<String>,
}

/// Builds a lab's scenario from URL parameters (`lab` among them): see
/// [`link::from_pairs`] for the rules and the messages.
pub fn from_query(pairs: &[(String, String)]) -> Result<FromQuery, SpecError> {
    link::from_pairs(pairs, link::Source::Url)
}

/// Whether knob `key` of lab `id` applies to scenario `s`: the page shows it and the
/// URL carries it. Most labs show every knob always; the sandbox shows a problem's own
/// parameters only, expected-loss κ only for a generated problem in d ≥ 2.
pub fn knob_applies(id: &str, s: &Scenario, key: &str) -> bool {
    match id {
        "sandbox" => sandbox::knobs::relevant(s, key),
        "expected-loss" => expected_loss::applies(s, key),
        "variance-reduction" => variance_reduction::applies(s, key),
        _ => true,
    }
}

/// The knobs the page shows for scenario `s` (of the lab it names): re-read after
/// every change, since the sandbox's change with its problem.
pub fn knobs_for(s: &Scenario) -> Vec<Knob> {
    let Some(view) = &s.lab else {
        return Vec::new();
    };
    knobs(&view.id)
        .unwrap_or_default()
        .into_iter()
        .filter(|k| knob_applies(&view.id, s, k.key))
        .collect()
}

/// The URL parameters of a lab's scenario: `lab` then every knob that applies.
pub fn to_query(s: &Scenario) -> Vec<(String, String)> {
    let Some(view) = &s.lab else {
        return Vec::new();
    };
    let mut out = vec![("lab".to_string(), view.id.clone())];
    out.extend(knobs_for(s).iter().map(|k| (k.key.to_string(), (k.get)(s))));
    out
}

impl Lab {
    /// The lab that shows this scenario (its `lab.id`), or why it cannot.
    pub fn new(s: &Scenario) -> Result<Lab, SpecError> {
        let id = s
            .lab
            .as_ref()
            .map(|l| l.id.as_str())
            .ok_or_else(missing_lab)?;
        registry::built(id)?;
        Lab::from_setup(&s.build()?)
    }

    /// The lab that shows an already built scenario (its `lab.id`): the problem is
    /// not built again.
    pub fn from_setup(setup: &crate::scenario::Setup) -> Result<Lab, SpecError> {
        let id = setup
            .scenario
            .lab
            .as_ref()
            .map(|l| l.id.as_str())
            .ok_or_else(missing_lab)?;
        let built = registry::built(id)?;
        let entry = registry::find(id).expect("a built lab has a row");
        // The theory's loops over the data first: in slices when a page builds a large
        // problem (src/slice.rs), so that the lab below never sees a run cut short.
        crate::theory::prepare(&setup.problem)?;
        crate::slice::check()?;
        Ok(Lab {
            id: entry.id,
            sim: (built.new)(setup)?,
        })
    }

    pub fn id(&self) -> &'static str {
        self.id
    }

    /// The lab itself, as its own type (tests reach a lab's own methods this way).
    pub fn downcast<T: 'static>(&self) -> Option<&T> {
        self.sim.as_any().downcast_ref::<T>()
    }

    /// The scenario this lab shows (what export, the URL and the CLI see).
    pub fn scenario(&self) -> &Scenario {
        self.sim.scenario()
    }

    /// The charts, in page order.
    pub fn charts(&self) -> &'static [ChartInfo] {
        self.sim.charts()
    }

    /// Advances the animation by up to `steps` steps; returns how many were taken.
    pub fn advance(&mut self, steps: u32) -> u32 {
        self.sim.advance(steps)
    }

    /// Background computation in slices (ensembles): about `budget` units of work
    /// (one unit ≈ one step of one run); returns the progress, 0 … 1.
    pub fn work(&mut self, budget: u32) -> f64 {
        self.sim.work(budget)
    }

    /// Back to step 0 with the same scenario.
    pub fn reset(&mut self) {
        self.sim.reset()
    }

    pub fn status(&self) -> Status {
        self.sim.status()
    }

    /// See [`LabSim::steps_per_second`].
    pub fn steps_per_second(&self) -> Option<f64> {
        self.sim.steps_per_second()
    }

    pub fn caption(&self) -> Caption {
        self.sim.caption()
    }

    /// A text alternative: what the charts show now, in words and numbers.
    pub fn describe(&self) -> String {
        self.sim.describe()
    }

    /// The numbers behind the picture, as CSV (the same format as `report`).
    pub fn csv(&self) -> String {
        self.sim.csv()
    }

    /// The table the lab shows beside its charts, if it has one.
    pub fn table(&self) -> Option<Table> {
        self.sim.table()
    }

    /// The lab's questions with the current run's verdicts (predict, then reveal).
    pub fn quiz(&self) -> Vec<quiz::QuizItem> {
        quiz::questions(self.id)
            .iter()
            .enumerate()
            .map(|(i, q)| quiz::QuizItem {
                question: *q,
                verdict: self.sim.verdict(i),
            })
            .collect()
    }

    /// Draws chart `chart` on `area`. `text_px` is the text size in backend pixels.
    pub fn draw<DB: LabBackend>(
        &self,
        chart: &str,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        DB::draw_lab(&*self.sim, chart, area, text_px, false)
    }

    /// `draw` for a canvas whose [`Lab::heatmap`] pixels are already in place under the
    /// chart's plot area (the browser): a map then leaves its plot area unpainted,
    /// where `draw` (SVG, PNG export of a single layer) shows contour colours instead.
    pub fn draw_over_heatmap<DB: LabBackend>(
        &self,
        chart: &str,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        DB::draw_lab(&*self.sim, chart, area, text_px, true)
    }

    /// What lies under backend pixel `at` of chart `chart` drawn on a `size` area with
    /// text `text_px` (the page's hover readout): the chart is laid out again on the
    /// null backend, reporting as it draws (`chart::probe`). `None` off every plot area.
    pub fn readout(
        &self,
        chart: &str,
        size: (u32, u32),
        text_px: Option<f64>,
        at: (f64, f64),
    ) -> Option<crate::chart::probe::Readout> {
        use crate::chart::any_backend::AnyBackend;
        use plotters::prelude::IntoDrawingArea;
        crate::chart::probe::read(at, || {
            let root = AnyBackend::Null(size).into_drawing_area();
            self.draw(chart, &root, text_px)
        })
    }

    /// For a chart with a heat map: the plot rectangle on a `width`×`height` canvas and
    /// its RGBA pixels (row-major, rect.width() × rect.height()).
    pub fn heatmap(
        &self,
        chart: &str,
        width: u32,
        height: u32,
        text_px: Option<f64>,
    ) -> Option<(crate::chart::PixelRect, Vec<u8>)> {
        self.sim.heatmap(chart, width, height, text_px)
    }

    /// A click (or the end of a drag) at data coordinates (x, y) of `chart`. Returns
    /// the changed scenario when the click changes it (the caller then rebuilds the lab
    /// from it, so that the URL and the export follow).
    pub fn click(&self, chart: &str, x: f64, y: f64) -> Option<Scenario> {
        self.sim.click(chart, x, y)
    }

    /// A drag on `chart` from data point `from` to `to` (e.g. moving a sample).
    /// Returns the changed scenario, or `None` if nothing was grabbed.
    pub fn drag(&self, chart: &str, from: (f64, f64), to: (f64, f64)) -> Option<Scenario> {
        self.sim.drag(chart, from, to)
    }
}

fn missing_lab() -> SpecError {
    SpecError::new("lab", "is missing: this scenario does not say which lab shows it (add \"lab\": {\"id\": \"per-sample\"}, for example)")
}
