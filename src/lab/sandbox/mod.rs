//! `sandbox`: any problem, and one to six methods side by side on the same samples
//! (the scenario's `compare` variants, common random numbers): each variant's mean
//! loss gap over the runs with its 10–90 % band against steps, gradient evaluations or
//! epochs; where the iterates go (a map with every variant's paths for d = 2); and
//! every variant's step size η_t. The scenario the page exports is what `sgd-lab run`
//! reads, and the CSV is what it prints with `--summary` (a `variant` column).

mod draw;
pub mod knobs;
pub mod spec;
mod text;

pub(crate) use draw::color;
pub use knobs::knobs;

use super::engine::ensemble::{reveal, EnsembleTrack};
use super::engine::x_axis::XAxis;
use super::numbers::start_at;
use super::{Caption, ChartInfo, LabSim, Status};
use crate::chart::contour::ContourLine;
use crate::chart::{map, PixelRect};
use crate::error::SpecError;
use crate::scenario::{Scenario, Setup};
use crate::theory::{theory, Theory};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};
use std::cell::RefCell;

/// Runs kept in full per variant: the band's quantiles and the map's cloud need them.
pub const KEPT_RUNS: usize = 20;
/// Steps of the fading trail that follows each variant's first run on the map, and
/// of the cloud of dots before it (where the run has been lately).
const TRAIL: usize = 12;
const CLOUD: usize = 150;

const CHARTS: &[ChartInfo] = &[
    ChartInfo {
        id: "gap",
        title: "Which method gets closest to w*, and for what cost",
        heatmap: false,
        click: "",
    },
    ChartInfo {
        id: "iterates",
        title: "Where the iterates go",
        heatmap: true,
        click: "click on the map (d = 2) to start every run there",
    },
    ChartInfo {
        id: "lr",
        title: "The step size η_t of every variant",
        heatmap: false,
        click: "",
    },
];

/// The x-axis a sandbox scenario asks for (steps when it names none).
pub fn x_axis_of(s: &Scenario) -> XAxis {
    match s.lab.as_ref().and_then(|l| l.x_axis.as_deref()) {
        Some("grad_evals") => XAxis::GradEvals,
        Some("samples") => XAxis::Samples,
        Some("epochs") => XAxis::Epochs,
        _ => XAxis::Steps,
    }
}

/// The view settings a new sandbox scenario starts with.
pub fn default_view(v: &mut crate::scenario::LabView) {
    v.x_axis = Some(XAxis::Steps.id().to_string());
}

pub struct Sandbox {
    setup: Setup,
    theory: Theory,
    /// Every variant × runs, computed in slices.
    track: EnsembleTrack,
    x_axis: XAxis,
    /// Steps revealed by the animation.
    t: u64,
    /// The map's box (d = 2), fixed for the scenario so that the picture does not jump.
    map_box: ((f64, f64), (f64, f64)),
    minimizers: Vec<(f64, f64)>,
    contours: RefCell<Option<(MapBox, Vec<ContourLine>)>>,
    /// The gap chart's and the map's titles (a lab built on the sandbox states its
    /// claim there, TEACHING.md rule 12).
    titles: [&'static str; 2],
    /// A theory level drawn across the gap chart as a dashed line named at its end.
    reference: Option<(String, f64)>,
    /// The gap chart's x-axis ends where the first variant's runs end (all compared at
    /// equal cost), not the last.
    common_x: bool,
    /// How many decades below its top the gap chart shows (8 for the sandbox).
    decades: f64,
}

type MapBox = ((f64, f64), (f64, f64));

/// The map frame around the stationary cloud of a constant-step SGD variant in 2-D:
/// w* ± 4 standard deviations of its iterate along each axis (the fixed point of the
/// second-moment recursion, `expectation::stationary_second_moment`), so that the
/// cloud and the methods that reach w* fill it and the way in from w0 enters from its
/// edge. None where there is no such point (d ≠ 2, a schedule, no contraction).
pub(crate) fn stationary_cloud_box(v: &Setup) -> Option<MapBox> {
    if v.problem.d() != 2 {
        return None;
    }
    let x = crate::expectation::stationary_second_moment(v)?;
    let w = v.problem.optimum();
    let (sx, sy) = (4.0 * x[0].sqrt(), 4.0 * x[3].sqrt());
    Some(((w[0] - sx, w[0] + sx), (w[1] - sy, w[1] + sy))).filter(|((a, b), (c, d))| b > a && d > c)
}

/// The `LabSim` methods that a lab built on a [`Sandbox`] (held in its field `sb`)
/// passes on unchanged: the scenario, stepping and background work, status, CSV, the
/// gap chart and the map, and clicks. The lab itself writes `charts`,
/// `steps_per_second`, `caption` and `describe`; `$id` names it in the message for an
/// unknown chart.
macro_rules! forward_to_sandbox {
    ($id:literal) => {
        fn scenario(&self) -> &crate::scenario::Scenario {
            self.sb.scenario()
        }
        fn advance(&mut self, steps: u32) -> u32 {
            self.sb.advance(steps)
        }
        fn work(&mut self, budget: u32) -> f64 {
            self.sb.work(budget)
        }
        fn reset(&mut self) {
            self.sb.reset()
        }
        fn status(&self) -> crate::lab::Status {
            self.sb.status()
        }
        fn csv(&self) -> String {
            self.sb.csv()
        }
        fn draw<DB: plotters::prelude::DrawingBackend>(
            &self,
            chart: &str,
            area: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
            text_px: Option<f64>,
        ) -> Result<crate::chart::ChartFrame, String> {
            match chart {
                "gap" | "iterates" => self.sb.draw(chart, area, text_px),
                other => Err(format!(concat!($id, " has no chart \"{}\""), other)),
            }
        }
        fn draw_over_heatmap<DB: plotters::prelude::DrawingBackend>(
            &self,
            chart: &str,
            area: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
            text_px: Option<f64>,
        ) -> Result<crate::chart::ChartFrame, String> {
            self.sb.draw_over_heatmap(chart, area, text_px)
        }
        fn heatmap(
            &self,
            chart: &str,
            width: u32,
            height: u32,
            text_px: Option<f64>,
        ) -> Option<(crate::chart::PixelRect, Vec<u8>)> {
            self.sb.heatmap(chart, width, height, text_px)
        }
        fn click(&self, chart: &str, x: f64, y: f64) -> Option<crate::scenario::Scenario> {
            self.sb.click(chart, x, y)
        }
    };
}
pub(crate) use forward_to_sandbox;

impl Sandbox {
    pub fn new(setup: &Setup) -> Result<Sandbox, SpecError> {
        let s = &setup.scenario;
        if s.compare.is_none() {
            return Err(SpecError::new(
                "compare",
                "is missing: the sandbox shows the scenario's variants (add \"compare\": [{\"label\": \"SGD\"}], for example)",
            ));
        }
        // Every variant written whole (an imported file may leave fields to its base).
        let mut setup = setup.clone();
        spec::normalize(&mut setup.scenario);
        let setup = &setup;
        let s = &setup.scenario;
        let keep = KEPT_RUNS.min(s.runs as usize);
        let variants = setup
            .variant_setups()
            .into_iter()
            .map(|v| (v.label, v.setup))
            .collect();
        let th = theory(setup);
        let (minimizers, map_box) = if setup.problem.d() == 2 {
            let mins = map::minimizers(&setup.problem);
            let mut pts: Vec<(f64, f64)> = mins.iter().copied().take(200).collect();
            pts.push((th.optimum.w[0], th.optimum.w[1]));
            pts.push((setup.w0[0], setup.w0[1]));
            (mins, map::auto_box(&pts))
        } else {
            (Vec::new(), ((-1.0, 1.0), (-1.0, 1.0)))
        };
        Ok(Sandbox {
            track: EnsembleTrack::new(variants, keep),
            x_axis: x_axis_of(s),
            theory: th,
            setup: setup.clone(),
            t: 0,
            map_box,
            minimizers,
            contours: RefCell::new(None),
            titles: [
                "Loss gap of every variant (mean over runs)",
                "Where the iterates go",
            ],
            reference: None,
            common_x: false,
            decades: 8.0,
        })
    }

    /// The same sandbox with its gap chart and map titled `titles` and a dashed level
    /// `reference` = (name, value) across the gap chart: for labs built on it.
    pub(crate) fn with_view(
        mut self,
        titles: [&'static str; 2],
        reference: Option<(String, f64)>,
    ) -> Sandbox {
        self.titles = titles;
        self.reference = reference;
        self
    }

    /// The same sandbox whose gap chart ends at the least cost any variant reaches
    /// (compared at equal cost) and whose map frames `map_box` (d = 2).
    pub(crate) fn framed(mut self, map_box: Option<MapBox>) -> Sandbox {
        self.common_x = true;
        if let Some(b) = map_box {
            self.map_box = b;
        }
        self
    }

    /// The gap chart shows `decades` decades below its top (methods that converge
    /// linearly go on down for a long way).
    pub(crate) fn with_decades(mut self, decades: f64) -> Sandbox {
        self.decades = decades;
        self
    }

    pub(crate) fn theory(&self) -> &Theory {
        &self.theory
    }

    /// The step the animation shows.
    pub(crate) fn shown_step(&self) -> u64 {
        self.t
    }

    /// Whether every run of every variant is computed.
    pub(crate) fn runs_done(&self) -> bool {
        self.track.is_done()
    }

    /// Variant `i`'s mean gap at every step all its runs have reached so far.
    pub(crate) fn mean_gaps(&self, i: usize) -> Vec<f64> {
        let e = &self.track.variants()[i].ens;
        e.gap_stats().mean(e.complete_len())
    }

    /// Variant `i`'s 10–90 % band up to step `upto` − 1 (the track's, kept from frame
    /// to frame).
    pub(crate) fn band(&self, i: usize, upto: usize) -> (Vec<f64>, Vec<f64>) {
        self.track.band(i, upto)
    }

    /// Variant `i`'s kept runs' gaps (the band's runs).
    pub(crate) fn kept_gaps(&self, i: usize) -> Vec<&[f64]> {
        self.track.variants()[i]
            .ens
            .kept()
            .iter()
            .map(|tr| tr.gap.as_slice())
            .collect()
    }

    /// The variants' setups, in order (each stand-alone, as `sgd-lab run` reads it).
    pub(crate) fn variant_setups(&self) -> Vec<&Setup> {
        self.track
            .variants()
            .iter()
            .map(|v| v.ens.setup())
            .collect()
    }

    /// The variants' labels, in order.
    pub fn labels(&self) -> Vec<&str> {
        self.track
            .variants()
            .iter()
            .map(|v| v.label.as_str())
            .collect()
    }

    /// Mean gap of variant `i` at step `t` once every run has reached it: of its
    /// averaged iterate when it averages (what the charts show for it).
    pub fn mean_gap_at(&self, i: usize, t: u64) -> Option<f64> {
        let e = &self.track.variants()[i].ens;
        let stats = e.avg_gap_stats().unwrap_or(e.gap_stats());
        (e.is_done() && e.complete_at(t as usize)).then(|| stats.mean_at(t as usize))
    }

    /// Points of every variant that the charts show: up to the step revealed and the
    /// steps every run of the variant reached.
    fn upto(&self, i: usize) -> usize {
        let e = &self.track.variants()[i].ens;
        ((self.t as usize) + 1).min(e.complete_len())
    }

    fn map_box_for(&self, width: u32, height: u32, text_px: Option<f64>) -> (PixelRect, MapBox) {
        let rect = map::plot_area(width, height, text_px);
        let b = map::fit_box(self.map_box.0, self.map_box.1, rect);
        (rect, b)
    }
}

impl LabSim for Sandbox {
    fn scenario(&self) -> &Scenario {
        &self.setup.scenario
    }

    fn charts(&self) -> &'static [ChartInfo] {
        CHARTS
    }

    fn advance(&mut self, steps: u32) -> u32 {
        reveal(&mut self.t, steps, self.setup.scenario.steps)
    }

    fn work(&mut self, budget: u32) -> f64 {
        self.track.work_slice(budget)
    }

    fn reset(&mut self) {
        self.t = 0;
    }

    fn status(&self) -> Status {
        self.track
            .status(self.t, self.setup.scenario.steps, self.diverged_text())
    }

    fn steps_per_second(&self) -> Option<f64> {
        // The whole run in about 8 s, never faster than 60 steps a second by default.
        Some((self.setup.scenario.steps as f64 / 8.0).clamp(5.0, 60.0))
    }

    fn caption(&self) -> Caption {
        self.caption_text()
    }

    fn describe(&self) -> String {
        self.describe_text()
    }

    fn csv(&self) -> String {
        self.track.csv()
    }

    fn draw<DB: DrawingBackend>(
        &self,
        chart: &str,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<crate::chart::ChartFrame, String> {
        match chart {
            "gap" => self.draw_gap(area, text_px),
            "iterates" => self.draw_iterates(area, text_px, map::Background::Contours),
            "lr" => self.draw_lr(area, text_px),
            other => Err(format!("sandbox has no chart \"{other}\"")),
        }
    }

    fn draw_over_heatmap<DB: DrawingBackend>(
        &self,
        chart: &str,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<crate::chart::ChartFrame, String> {
        match chart {
            "iterates" if self.setup.problem.d() == 2 => {
                self.draw_iterates(area, text_px, map::Background::Transparent)
            }
            other => self.draw(other, area, text_px),
        }
    }

    fn heatmap(
        &self,
        chart: &str,
        width: u32,
        height: u32,
        text_px: Option<f64>,
    ) -> Option<(PixelRect, Vec<u8>)> {
        if chart != "iterates" || self.setup.problem.d() != 2 {
            return None;
        }
        let (rect, (xr, yr)) = self.map_box_for(width, height, text_px);
        if rect.width() == 0 || rect.height() == 0 {
            return None;
        }
        let rgba = map::heatmap_rgba(&self.setup.problem, xr, yr, rect.width(), rect.height());
        Some((rect, rgba))
    }

    /// A click on the map (d = 2) starts every run at (x, y), rounded to 1/1000 of
    /// the box.
    fn click(&self, chart: &str, x: f64, y: f64) -> Option<Scenario> {
        if chart != "iterates" || self.setup.problem.d() != 2 || !(x.is_finite() && y.is_finite()) {
            return None;
        }
        let ((x0, x1), (y0, y1)) = self.map_box;
        start_at(&self.setup.scenario, &[x, y], (x1 - x0).max(y1 - y0))
    }
}
