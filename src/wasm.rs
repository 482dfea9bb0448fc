//! The WebAssembly binding: handles and conversions only; the logic lives in the core.
//!
//! Every fallible export returns `Result<_, JsError>`, so JavaScript receives a real
//! `Error` whose message is the core's [`SpecError`](crate::SpecError) text (it names
//! the field, the value and what is allowed).
//!
//! A lab page holds one [`LabHandle`]: it owns a [`Lab`] (the simulation) and the
//! [`ChartFrame`] of the last drawing of each chart, so that a click given in canvas
//! pixels can be turned into data coordinates here. JavaScript owns the clock: it calls
//! `advance`, `work` and `draw` from its animation frame. Structured values cross as
//! JavaScript objects and arrays (serde-wasm-bindgen, JSON-compatible: `None` is
//! `null`, a tuple is an array); only documents (a scenario file, a preset) are text.

use crate::chart::any_backend::AnyBackend;
use crate::chart::ChartFrame;
use crate::lab::{self, Lab};
use crate::presets;
use crate::scenario::Scenario;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlCanvasElement, ImageData};

/// The crate version, e.g. `0.1.0` (shown in the page footer).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The scenario JSON of the built-in preset `name` (a lab id such as `per-sample`).
#[wasm_bindgen]
pub fn preset_json(name: &str) -> Result<String, JsError> {
    presets::find(name)
        .map(|p| p.json.to_string())
        .ok_or_else(|| {
            let known: Vec<&str> = presets::PRESETS.iter().map(|p| p.name).collect();
            JsError::new(&format!(
                "unknown preset {name:?}; known presets: {}",
                known.join(", ")
            ))
        })
}

/// Parses and validates a scenario; returns it normalised (defaults filled in, pretty
/// JSON), or an `Error` whose message is the validation error.
#[wasm_bindgen]
pub fn validate_scenario(json: &str) -> Result<String, JsError> {
    let scenario = Scenario::from_json(json).map_err(|e| JsError::new(&e.to_string()))?;
    let setup = scenario.build().map_err(|e| JsError::new(&e.to_string()))?;
    Ok(setup.scenario.to_json())
}

/// The lab registry: `[{id, title, part, time, teaser, ready}, …]` in lecture order.
/// The landing page's cards, badges and the set of lab pages come from it
/// (www/labs.js keeps no copy).
#[wasm_bindgen]
pub fn lab_catalogue() -> JsValue {
    to_js(&lab::registry::LABS)
}

/// A new seed from the platform's random source (`getrandom`: in the browser,
/// `crypto.getRandomValues`), as `"seed": "random"` in a scenario draws it.
/// Uniform in 0 ..= 2^53 − 1: a JavaScript number holds it exactly.
#[wasm_bindgen]
pub fn draw_seed() -> f64 {
    crate::scenario::draw_seed() as f64
}

/// `value` as a JavaScript value: objects, arrays, numbers, strings, `null` for
/// `None` (what `JSON.parse` of its JSON would give, non-finite floats aside).
fn to_js<T: Serialize + ?Sized>(value: &T) -> JsValue {
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    // Our types always serialise (plain structs, vectors, tuples, strings, numbers).
    value.serialize(&ser).unwrap_or(JsValue::NULL)
}

/// The last drawing of a chart, as the page and its tests read it.
#[derive(Serialize)]
struct FrameOut {
    plot: PlotOut,
    x_range: (f64, f64),
    y_range: (f64, f64),
    log_y: bool,
}

#[derive(Serialize)]
struct PlotOut {
    left: i32,
    top: i32,
    right: i32,
    bottom: i32,
}

fn js_err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// `Ok(())` when `id` is a lab of the catalogue whose page is built.
fn check_ready(id: &str) -> Result<(), JsError> {
    if lab::info(id).is_some_and(|l| l.ready) {
        return Ok(());
    }
    let ready: Vec<&str> = lab::registry::ready_ids().collect();
    let cut: String = id.chars().take(40).collect();
    Err(JsError::new(&format!(
        "lab must be one of {} (the labs that are ready), got \"{cut}\"",
        ready.join(", ")
    )))
}

/// A lab with its simulation, for one page. See the module comment.
#[wasm_bindgen]
pub struct LabHandle {
    lab: Lab,
    /// The frame of the last drawing of each chart (by chart id).
    frames: Vec<(&'static str, ChartFrame)>,
    /// Sentences about what could not be used (bad URL parameters, an import that a
    /// link cannot reproduce).
    warnings: Vec<String>,
    /// Theory overlays drawn (a lesson's `hide=theory` clears it; the page's, not the
    /// scenario's: it survives `replace`).
    theory: bool,
}

impl LabHandle {
    fn new(lab: Lab, warnings: Vec<String>) -> LabHandle {
        LabHandle {
            lab,
            frames: Vec::new(),
            warnings,
            theory: true,
        }
    }

    /// Shows `s` instead of the current scenario, or says why not (the old state stays).
    fn replace(&mut self, s: &Scenario) -> Result<(), JsError> {
        self.lab = Lab::new(s).map_err(js_err)?;
        self.frames.clear();
        self.warnings.clear();
        Ok(())
    }

    fn frame_of(&self, chart: &str) -> Option<&ChartFrame> {
        self.frames
            .iter()
            .find(|(c, _)| *c == chart)
            .map(|(_, f)| f)
    }

    fn chart_id(&self, chart: &str) -> Result<&'static str, JsError> {
        self.lab
            .charts()
            .iter()
            .find(|c| c.id == chart)
            .map(|c| c.id)
            .ok_or_else(|| {
                JsError::new(&format!(
                    "the {} lab has no chart \"{chart}\"",
                    self.lab.id()
                ))
            })
    }
}

#[wasm_bindgen]
impl LabHandle {
    /// A lab from URL parameters: an array of `[key, value]` pairs of strings, `lab`
    /// among them. Bad values and unknown keys do not fail: they become warnings
    /// ([`warnings`](Self::warnings)) and the defaults are used. Fails only when `lab`
    /// does not name a ready lab.
    pub fn from_query(pairs: JsValue) -> Result<LabHandle, JsError> {
        let pairs = query_pairs(pairs).ok_or_else(|| {
            JsError::new("URL parameters are not a list of [key, value] pairs of strings")
        })?;
        let id = pairs
            .iter()
            .find(|(k, _)| k == "lab")
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        check_ready(id)?;
        let got = lab::from_query(&pairs).map_err(js_err)?;
        let lab = Lab::from_setup(&got.setup).map_err(js_err)?;
        Ok(LabHandle::new(lab, got.warnings))
    }

    /// A lab from a scenario document (an exported file, or what `sgd-lab preset`
    /// prints), built at once. See [`LabBuild::from_scenario`] for the rules and for
    /// building a large problem in slices.
    pub fn from_scenario(json: &str, current_lab: Option<String>) -> Result<LabHandle, JsError> {
        open_scenario(&read_scenario(json, current_lab)?).map_err(js_err)
    }

    /// The lab's id, e.g. `decay`.
    pub fn id(&self) -> String {
        self.lab.id().to_string()
    }

    /// The warnings: an array of sentences (empty when all went well).
    pub fn warnings(&self) -> JsValue {
        to_js(&self.warnings)
    }

    /// The knobs that apply to the current state: `[{key, label, help, type, …range
    /// or options}]`. Read again after every change: a lab's knobs may depend on its
    /// state (the sandbox's follow its problem).
    pub fn knobs(&self) -> JsValue {
        to_js(&lab::knobs_for(self.lab.scenario()))
    }

    /// The URL parameters of the current state: an array of `[key, value]`, `lab`
    /// first, then every knob.
    pub fn query(&self) -> JsValue {
        to_js(&lab::to_query(self.lab.scenario()))
    }

    /// [`query`](Self::query) as one string `lab=…&key=value…` (URL-encoded as
    /// `URLSearchParams` writes it), to compare two states cheaply.
    pub fn query_string(&self) -> String {
        lab::to_query(self.lab.scenario())
            .iter()
            .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The scenario as a JSON document (the export; `sgd-lab run` reads it).
    pub fn scenario_json(&self) -> String {
        self.lab.scenario().to_json()
    }

    /// The charts: `[{id, title, heatmap, click}]` in page order.
    pub fn charts(&self) -> JsValue {
        to_js(self.lab.charts())
    }

    /// `{t, steps, done, progress, diverged}`.
    pub fn status(&self) -> JsValue {
        to_js(&self.lab.status())
    }

    /// The lab's default speed in steps per second for slow motion, or 0 for the
    /// page's own default.
    pub fn steps_per_second(&self) -> f64 {
        self.lab.steps_per_second().unwrap_or(0.0)
    }

    /// `{text, facts: [[name, value], …]}`.
    pub fn caption(&self) -> JsValue {
        to_js(&self.lab.caption())
    }

    /// A text alternative of the charts.
    pub fn describe(&self) -> String {
        self.lab.describe()
    }

    /// The numbers behind the picture (the same CSV as the command line's report).
    pub fn csv(&self) -> String {
        self.lab.csv()
    }

    /// What lies under canvas pixel (px, py) of `chart` on a `width`×`height` canvas
    /// with text `text_px` (as `draw` was given): `{plot: [left, top, right, bottom],
    /// x_label, y_label, x, y, log_x, log_y, rows: [{label, color, x, y, lo, hi, px,
    /// point}]}` (data units; `px` the row's point in canvas pixels), or `null` off
    /// the plot areas. Nothing is drawn.
    pub fn readout(
        &self,
        chart: &str,
        px: f64,
        py: f64,
        width: u32,
        height: u32,
        text_px: f64,
    ) -> Result<JsValue, JsError> {
        let id = self.chart_id(chart)?;
        let text = (text_px.is_finite() && text_px > 0.0).then_some(text_px);
        let read = crate::chart::with_theory(self.theory, || {
            self.lab.readout(id, (width, height), text, (px, py))
        });
        Ok(match read {
            Some(r) => to_js(&r),
            None => JsValue::NULL,
        })
    }

    /// Chart `chart` as it is now, as a slide figure (SVG, 800×500, in the print theme
    /// when `print`, without theory overlays when they are hidden): the same bytes as
    /// `sgd-lab lab` writes for this state (with `--print`, `--no-theory`).
    pub fn svg(&self, chart: &str, print: bool) -> Result<String, JsError> {
        let id = self.chart_id(chart)?;
        let style = lab::export::FigureStyle {
            print,
            theory: self.theory,
        };
        lab::export::chart_svg(&self.lab, id, style).map_err(|e| JsError::new(&e))
    }

    /// Whether the charts draw their theory overlays (bounds, exact floors, predicted
    /// rates); a lesson link's `hide=theory` turns them off.
    pub fn set_theory(&mut self, shown: bool) {
        self.theory = shown;
    }

    /// See [`set_theory`](Self::set_theory).
    pub fn theory(&self) -> bool {
        self.theory
    }

    /// The lab's questions with the current run's verdicts: `[{prompt, choices, reveal,
    /// verdict: {answer, why} | null}, …]` (predict, then reveal).
    pub fn quiz(&self) -> JsValue {
        to_js(&self.lab.quiz())
    }

    /// The lab's table (`{title, head, rows}`), or `null` when it has none.
    pub fn table(&self) -> JsValue {
        match self.lab.table() {
            Some(t) => to_js(&t),
            None => JsValue::NULL,
        }
    }

    /// Advances the animation by up to `steps` steps; returns how many were taken.
    pub fn advance(&mut self, steps: u32) -> u32 {
        self.lab.advance(steps)
    }

    /// Background work (ensembles) of about `budget` units (one step of one run each);
    /// returns the progress 0 … 1.
    pub fn work(&mut self, budget: u32) -> f64 {
        self.lab.work(budget)
    }

    /// Back to step 0 with the same scenario.
    pub fn reset(&mut self) {
        self.lab.reset()
    }

    /// Sets knob `key` to `value` (as typed or as the URL carries it) and rebuilds the
    /// lab at step 0. On error nothing changes and the message names the knob and what
    /// it accepts (`lr must be a number from 0.001 to 4, got "abc"`), or why a valid value
    /// cannot be shown with the other settings (`lab::link::set_knob`).
    pub fn set_knob(&mut self, key: &str, value: &str) -> Result<(), JsError> {
        let s = lab::link::set_knob(self.lab.id(), self.lab.scenario(), key, value)
            .map_err(|e| JsError::new(&e))?;
        self.replace(&s)
    }

    /// Draws chart `chart` on `canvas` (its full backing size), with text `text_px`
    /// canvas pixels high, and remembers where the plot area went (for `click`). A
    /// chart with a heat map paints only around its plot area: put the heat map there
    /// first (see [`heatmap`](Self::heatmap)).
    pub fn draw(
        &mut self,
        chart: &str,
        canvas: HtmlCanvasElement,
        text_px: f64,
    ) -> Result<(), JsError> {
        let id = self.chart_id(chart)?;
        let backend = CanvasBackend::with_canvas_object(canvas)
            .ok_or_else(|| JsError::new("the canvas has no 2d context"))?;
        let area = AnyBackend::Canvas(backend).into_drawing_area();
        let text = (text_px.is_finite() && text_px > 0.0).then_some(text_px);
        // The page blits the heat map (see `heatmap`) before drawing such a chart.
        let under = self.lab.charts().iter().any(|c| c.id == id && c.heatmap);
        let frame = crate::chart::with_theory(self.theory, || {
            if under {
                self.lab.draw_over_heatmap(id, &area, text)
            } else {
                self.lab.draw(id, &area, text)
            }
        })
        .map_err(|e| JsError::new(&e))?;
        self.frames.retain(|(c, _)| *c != id);
        self.frames.push((id, frame));
        Ok(())
    }

    /// For a chart with a heat map, on a `width`×`height` canvas: `{left, top, width,
    /// height, image}` with `image` an `ImageData` to `putImageData` at (left, top)
    /// before `draw`; `undefined` for other charts.
    pub fn heatmap(
        &self,
        chart: &str,
        width: u32,
        height: u32,
        text_px: f64,
    ) -> Option<js_sys::Object> {
        let text = (text_px.is_finite() && text_px > 0.0).then_some(text_px);
        let (rect, rgba) = self.lab.heatmap(chart, width, height, text)?;
        let (w, h) = (rect.width(), rect.height());
        if w == 0 || h == 0 || rgba.len() != (w as usize) * (h as usize) * 4 {
            return None;
        }
        // A copy owned by JavaScript: an ImageData made straight from `rgba` would view
        // wasm memory, which is reused (and detached when it grows) after this call.
        let pixels = js_sys::Uint8ClampedArray::new_with_length(rgba.len() as u32);
        pixels.copy_from(&rgba);
        let image = ImageData::new_with_js_u8_clamped_array_and_sh(&pixels, w, h).ok()?;
        let out = js_sys::Object::new();
        let set = |k: &str, v: JsValue| js_sys::Reflect::set(&out, &JsValue::from_str(k), &v);
        set("left", rect.left.into()).ok()?;
        set("top", rect.top.into()).ok()?;
        set("width", w.into()).ok()?;
        set("height", h.into()).ok()?;
        set("image", image.into()).ok()?;
        Some(out)
    }

    /// The last drawing of `chart`: `{plot: {left, top, right, bottom}, x_range,
    /// y_range, log_y}` in canvas pixels and data units, or `null` before the first
    /// `draw`.
    pub fn frame(&self, chart: &str) -> JsValue {
        let Some(f) = self.frame_of(chart) else {
            return JsValue::NULL;
        };
        to_js(&FrameOut {
            plot: PlotOut {
                left: f.plot.left,
                top: f.plot.top,
                right: f.plot.right,
                bottom: f.plot.bottom,
            },
            x_range: f.x_range,
            y_range: f.y_range,
            log_y: f.y_scale == crate::chart::AxisScale::Log,
        })
    }

    /// A click at canvas pixel (px, py) of `chart` (CSS offset × devicePixelRatio).
    /// Returns whether it changed the scenario (the lab is then rebuilt at step 0).
    pub fn click(&mut self, chart: &str, px: f64, py: f64) -> Result<bool, JsError> {
        let Some((x, y)) = self.frame_of(chart).and_then(|f| f.coord(px, py)) else {
            return Ok(false);
        };
        match self.lab.click(chart, x, y) {
            Some(s) => self.replace(&s).map(|_| true),
            None => Ok(false),
        }
    }

    /// A drag on `chart` from canvas pixel (px0, py0) to (px1, py1), e.g. moving a
    /// sample. Returns whether something was grabbed and moved (the lab is then rebuilt
    /// at step 0). The frame of the last drawing maps both ends, so during a drag call
    /// it with the previous and the current pointer position.
    pub fn drag(
        &mut self,
        chart: &str,
        px0: f64,
        py0: f64,
        px1: f64,
        py1: f64,
    ) -> Result<bool, JsError> {
        let Some(f) = self.frame_of(chart) else {
            return Ok(false);
        };
        // The end may leave the plot area (a point dragged past the edge): clamp it in.
        let r = f.plot;
        let clamp = |v: f64, lo: i32, hi: i32| v.clamp(lo as f64, hi as f64);
        let (Some(from), Some(to)) = (
            f.coord(px0, py0),
            f.coord(clamp(px1, r.left, r.right), clamp(py1, r.top, r.bottom)),
        ) else {
            return Ok(false);
        };
        match self.lab.drag(chart, from, to) {
            Some(s) => self.replace(&s).map(|_| true),
            None => Ok(false),
        }
    }
}
/// A scenario document read for a page: parsed, its `"random"` seeds drawn, its lab
/// checked (a file without `lab` opens in `current_lab`). Nothing is built yet.
fn read_scenario(json: &str, current_lab: Option<String>) -> Result<Scenario, JsError> {
    let mut s = Scenario::from_json(json).map_err(js_err)?;
    // `"seed": "random"`: a drawn number, which the URL and the export then show.
    s.resolve_seeds(crate::scenario::draw_seed);
    match (&s.lab, current_lab) {
        (Some(view), _) => check_ready(&view.id)?,
        (None, Some(id)) => {
            check_ready(&id)?;
            s.lab = lab::default_scenario(&id).map_err(js_err)?.lab;
        }
        (None, None) => {
            return Err(JsError::new(
                "lab is missing: this scenario does not say which lab shows it (add \"lab\": {\"id\": \"decay\"}, for example)",
            ))
        }
    }
    Ok(s)
}

/// The lab of a read scenario. When the file sets something the knobs do not show
/// (other data, a value outside a knob's range), it is used as it is and a warning
/// says that a link keeps only the knobs.
fn open_scenario(s: &Scenario) -> Result<LabHandle, crate::SpecError> {
    // Built once: the lab and the check of what a link keeps share the problem.
    let setup = s.build()?;
    let lab = Lab::from_setup(&setup)?;
    let mut warnings = Vec::new();
    let again = lab::link::reread(lab.scenario(), &setup)?;
    if !again.warnings.is_empty() || again.scenario != *lab.scenario() {
        let mut w = String::from(
            "This file sets things the lab's knobs do not show (other data or settings, or a value outside a knob's range). They are used now, but a link or a reload keeps only the knobs",
        );
        if again.warnings.is_empty() {
            w.push('.');
        } else {
            w += &format!(": {}", again.warnings.join("; "));
        }
        warnings.push(w);
    }
    Ok(LabHandle::new(lab, warnings))
}

#[wasm_bindgen]
extern "C" {
    /// The page's clock in milliseconds (also in Node, where the tests run).
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// A lab being built in slices (#12): a large imported problem (n × d = 10⁶ takes
/// about half a second to generate, factor and analyse in the browser) is built a
/// few milliseconds at a time, between animation frames, so that the page keeps
/// answering and can say how far it is ([`doing`](Self::doing)) or be cancelled (drop
/// the build). Each [`step`](Self::step) runs the whole build again with a budget
/// and resumes where the last one stopped (src/slice.rs); the lab it ends with is
/// the lab [`LabHandle::from_scenario`] builds at once, bit for bit.
#[wasm_bindgen]
pub struct LabBuild {
    scenario: Scenario,
    /// What is built: a file's lab (with its warnings) or a knob's (none).
    make: fn(&Scenario) -> Result<LabHandle, crate::SpecError>,
    job: crate::slice::Job,
    /// The result, once a step finished the build.
    done: Option<Result<LabHandle, crate::SpecError>>,
}

#[wasm_bindgen]
impl LabBuild {
    /// A build of the lab of a scenario document: fails at once when the document
    /// cannot be read (bad JSON, a wrong field, an unknown lab: the message names it);
    /// what only the build finds (e.g. separable data) is [`finish`](Self::finish)'s
    /// error. A seed that says `"random"` is drawn here (getrandom). The lab is the
    /// file's `lab.id`; a file without `lab` opens in `current_lab` (the page's lab).
    pub fn from_scenario(json: &str, current_lab: Option<String>) -> Result<LabBuild, JsError> {
        Ok(LabBuild {
            scenario: read_scenario(json, current_lab)?,
            make: open_scenario,
            job: crate::slice::Job::new(),
            done: None,
        })
    }

    /// A build of `handle`'s lab with knob `key` set to `value`: fails at once, with
    /// the message of [`LabHandle::set_knob`], when the value cannot be used. A knob
    /// that keeps the problem (η, the runs) reuses it and ends in the first step; one
    /// that changes a large imported problem (κ) builds it in slices.
    pub fn for_knob(handle: &LabHandle, key: &str, value: &str) -> Result<LabBuild, JsError> {
        let lab = &handle.lab;
        let scenario = lab::link::set_knob(lab.id(), lab.scenario(), key, value)
            .map_err(|e| JsError::new(&e))?;
        Ok(LabBuild {
            scenario,
            make: |s| Ok(LabHandle::new(Lab::new(s)?, Vec::new())),
            job: crate::slice::Job::new(),
            done: None,
        })
    }

    /// Goes on for about `ms` milliseconds (`performance.now()`; each step makes
    /// some progress, however small `ms` is): true once the build is over (then call
    /// [`finish`](Self::finish)).
    pub fn step(&mut self, ms: f64) -> bool {
        if self.done.is_none() {
            let (s, make) = (&self.scenario, self.make);
            self.done = if ms.is_finite() {
                self.job.run_for(ms.max(0.0), performance_now, || make(s))
            } else {
                self.job.run(u64::MAX, || make(s))
            };
        }
        self.done.is_some()
    }

    /// What the build is doing, with the share of that part done, e.g. `forming XᵀX:
    /// 40 %` (empty before the first step and once it is over).
    pub fn doing(&self) -> String {
        match (&self.done, self.job.at()) {
            (None, Some((what, share))) => format!("{what}: {:.0} %", (share * 100.0).floor()),
            _ => String::new(),
        }
    }

    /// The work done so far, in units of about one multiply-add.
    pub fn spent(&self) -> f64 {
        self.job.spent() as f64
    }

    /// The lab (the build is run to its end first if it is not over), or why the
    /// scenario cannot be shown.
    pub fn finish(mut self) -> Result<LabHandle, JsError> {
        self.step(f64::INFINITY);
        self.done
            .take()
            .expect("a step without a budget limit ends the build")
            .map_err(js_err)
    }
}

/// `[["key", "value"], …]` (what the page sends) as pairs; `None` if it is not that.
fn query_pairs(value: JsValue) -> Option<Vec<(String, String)>> {
    let items: Vec<Vec<String>> = serde_wasm_bindgen::from_value(value).ok()?;
    items
        .into_iter()
        .map(|kv| <[String; 2]>::try_from(kv).ok().map(|[k, v]| (k, v)))
        .collect()
}

/// `application/x-www-form-urlencoded` as `URLSearchParams.toString()` writes it:
/// `*-._` and alphanumerics as they are, space as `+`, every other byte `%XX`.
fn form_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out += &format!("%{b:02X}"),
        }
    }
    out
}
