//! `decay` (lecture 45:19 and 52:15): five learning-rate schedules on the same samples,
//! each its own `compare` variant of the scenario — constant (settles at its floor),
//! too fast (η γ^t: Σ η_t < ∞, it freezes before w*), too slow (η/√(1+t/t0):
//! Σ η_t² = ∞, it keeps bouncing), 1/t (η/(1+t/t0): the Robbins–Monro conditions, its
//! gap falls like 1/t) and step decay — each drawn as its mean loss gap over R runs
//! with a 10–90 % band on log–log axes beside a 1/t reference slope, with η_t and the
//! running sums Σ η_t, Σ η_t² against the conditions.

use super::common;
use super::engine::ensemble::{reveal, EnsembleTrack};
use super::knob::{fmt_number, Knob, KnobKind};
use super::numbers::num;
use super::{Caption, ChartInfo, LabSim, Status};
use crate::chart::labels::{self, EndLabel};
use crate::chart::line::{self, Band, LineChart, LineStyle, Series};
use crate::chart::{palette, AxisScale, ChartFrame, LegendPos};
use crate::error::SpecError;
use crate::scenario::{Scenario, Setup, VariantSpec};
use crate::schedule::Schedule;
use crate::theory::theory;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, RGBColor};

const CHARTS: &[ChartInfo] = &[
    ChartInfo {
        id: "gap",
        title: "Only 1/t keeps getting closer to w*",
        heatmap: false,
        click: "",
    },
    ChartInfo {
        id: "lr",
        title: "The step sizes η_t: too fast is gone after a few dozen steps",
        heatmap: false,
        click: "",
    },
];

/// The schedules in their order, by the label each variant carries.
pub const LABELS: [&str; 5] = ["constant", "too fast", "too slow", "1/t", "step decay"];
const CONSTANT: usize = 0;
const FAST: usize = 1;
const SLOW: usize = 2;
const ONE_OVER_T: usize = 3;
const STEP: usize = 4;
/// Runs kept in full per schedule for the band.
const KEPT: usize = 50;

/// The teaching defaults (the preset's): at 2000 steps and 50 runs the means end in
/// the lecture's order, too fast above constant above too slow above 1/t
/// (tests/lab_decay.rs checks it on the computed means).
pub fn default_schedules(steps: u64) -> [Schedule; 5] {
    [
        Schedule::Constant,
        Schedule::Exponential { gamma: 0.6 },
        Schedule::InverseSqrt { t0: 20.0 },
        Schedule::InverseTime { t0: 20.0 },
        Schedule::Step {
            every: (steps / 5).max(1),
            gamma: 0.5,
        },
    ]
}

fn colors() -> [RGBColor; 5] {
    [
        palette::BLACK,
        palette::VERMILLION,
        palette::ORANGE,
        palette::BLUE,
        palette::BLUISH_GREEN,
    ]
}

fn kind_index(s: &Schedule) -> Option<usize> {
    match s {
        Schedule::Constant => Some(CONSTANT),
        Schedule::Exponential { .. } => Some(FAST),
        Schedule::InverseSqrt { .. } => Some(SLOW),
        Schedule::InverseTime { .. } => Some(ONE_OVER_T),
        Schedule::Step { .. } => Some(STEP),
        Schedule::Cosine { .. } => None,
    }
}

/// The five variants: the defaults with `own` in its place (an older decay scenario
/// held one schedule, the one its student tuned).
fn compare_with(own: Option<&Schedule>, steps: u64) -> Vec<VariantSpec> {
    let mut all = default_schedules(steps);
    if let Some(s) = own {
        if let Some(i) = kind_index(s) {
            all[i] = s.clone();
        }
    }
    all.into_iter()
        .zip(LABELS)
        .map(|(s, label)| VariantSpec {
            label: label.into(),
            method: None,
            schedule: Some(s),
            averaging: None,
            steps: None,
        })
        .collect()
}

/// Schedule `i` of a decay scenario (the default when the scenario has no such variant).
fn schedule(s: &Scenario, i: usize) -> Schedule {
    s.compare
        .as_ref()
        .and_then(|c| c.get(i))
        .and_then(|v| v.schedule.clone())
        .unwrap_or_else(|| default_schedules(s.steps)[i].clone())
}

/// Writes schedule `i`, giving the scenario its five variants first if it lacks them.
fn set_schedule(s: &mut Scenario, i: usize, edit: impl FnOnce(&mut Schedule)) {
    if !is_decay_compare(s.compare.as_deref()) {
        s.compare = Some(compare_with(Some(&s.schedule), s.steps));
    }
    let v = &mut s.compare.as_mut().expect("set above")[i];
    let mut sch = v.schedule.clone().unwrap_or_default();
    edit(&mut sch);
    v.schedule = Some(sch);
}

fn is_decay_compare(c: Option<&[VariantSpec]>) -> bool {
    c.is_some_and(|c| {
        c.len() == 5
            && c.iter().zip(LABELS).enumerate().all(|(i, (v, l))| {
                v.label == l
                    && v.method.is_none()
                    && v.averaging.is_none()
                    && v.schedule.as_ref().and_then(kind_index) == Some(i)
            })
    })
}

pub fn knobs() -> Vec<Knob> {
    vec![
        // Up to 4 so that a student can see a too-large step diverge (2/L_s ≈ 1.9 here).
        common::lr(0.001, 4.0),
        Knob {
            key: "fast",
            label: "γ of “too fast” (η γ^t)",
            help: "The factor the too-fast schedule multiplies its step by at every step: Σ η_t = η/(1 − γ) is finite.",
            kind: KnobKind::Number {
                min: 0.01,
                max: 0.999,
                step: 0.001,
                log: false,
            },
            get: |s| match schedule(s, FAST) {
                Schedule::Exponential { gamma } => fmt_number(gamma),
                _ => String::new(),
            },
            set: |s, v| {
                let g = v.number()?;
                set_schedule(s, FAST, |sch| *sch = Schedule::Exponential { gamma: g });
                Ok(())
            },
        },
        Knob {
            key: "slow_t0",
            label: "t0 of “too slow” (η/√(1+t/t0))",
            help: "How many steps before the too-slow schedule's step has fallen by √2.",
            kind: KnobKind::Number {
                min: 0.1,
                max: 10_000.0,
                step: 0.1,
                log: true,
            },
            get: |s| match schedule(s, SLOW) {
                Schedule::InverseSqrt { t0 } => fmt_number(t0),
                _ => String::new(),
            },
            set: |s, v| {
                let t0 = v.number()?;
                set_schedule(s, SLOW, |sch| *sch = Schedule::InverseSqrt { t0 });
                Ok(())
            },
        },
        Knob {
            key: "t0",
            label: "t0 of 1/t (η/(1+t/t0))",
            help: "How many steps before the 1/t schedule's step has halved.",
            kind: KnobKind::Number {
                min: 0.1,
                max: 10_000.0,
                step: 0.1,
                log: true,
            },
            get: |s| match schedule(s, ONE_OVER_T) {
                Schedule::InverseTime { t0 } => fmt_number(t0),
                _ => String::new(),
            },
            set: |s, v| {
                let t0 = v.number()?;
                set_schedule(s, ONE_OVER_T, |sch| *sch = Schedule::InverseTime { t0 });
                Ok(())
            },
        },
        Knob {
            key: "every",
            label: "every (step decay)",
            help: "How many steps between two cuts of the step-decay schedule's step.",
            kind: KnobKind::Integer {
                min: 1,
                max: 100_000,
            },
            get: |s| match schedule(s, STEP) {
                Schedule::Step { every, .. } => every.to_string(),
                _ => String::new(),
            },
            set: |s, v| {
                let e: u64 = v.whole()?;
                set_schedule(s, STEP, |sch| {
                    if let Schedule::Step { every, .. } = sch {
                        *every = e;
                    }
                });
                Ok(())
            },
        },
        Knob {
            key: "gamma",
            label: "γ (step decay)",
            help: "The factor the step-decay schedule multiplies its step by every “every” steps.",
            kind: KnobKind::Number {
                min: 0.01,
                max: 1.0,
                step: 0.001,
                log: false,
            },
            get: |s| match schedule(s, STEP) {
                Schedule::Step { gamma, .. } => fmt_number(gamma),
                _ => String::new(),
            },
            set: |s, v| {
                let g = v.number()?;
                set_schedule(s, STEP, |sch| {
                    if let Schedule::Step { gamma, .. } = sch {
                        *gamma = g;
                    }
                });
                Ok(())
            },
        },
        common::runs(500),
        common::steps(20_000),
        common::seed(),
    ]
}

pub struct Decay {
    setup: Setup,
    schedules: Vec<Schedule>,
    track: EnsembleTrack,
    /// η_t of each schedule, t = 0 … steps − 1.
    lr_curves: Vec<Vec<f64>>,
    max_stable_lr: f64,
    /// Steps revealed by the animation.
    t: u64,
}

impl Decay {
    pub fn new(setup: &Setup) -> Result<Decay, SpecError> {
        let s = &setup.scenario;
        let mut setup = setup.clone();
        if s.compare.is_none() {
            // An older decay scenario: one schedule, the tuned one; the others default.
            if matches!(s.schedule, Schedule::Cosine { .. }) {
                return Err(SpecError::new("schedule.kind", "must be constant, exponential, inverse_sqrt, inverse_time or step in the decay lab, got cosine"));
            }
            setup.scenario.compare = Some(compare_with(Some(&s.schedule), s.steps));
            setup.scenario.schedule = Schedule::Constant;
        } else if !is_decay_compare(s.compare.as_deref()) {
            return Err(SpecError::new(
                "compare",
                "must be the decay lab's five schedules in order (constant, too fast: exponential, too slow: inverse_sqrt, 1/t: inverse_time, step decay: step), each naming only its schedule",
            ));
        }
        let s = &setup.scenario;
        let schedules: Vec<Schedule> = (0..5).map(|i| schedule(s, i)).collect();
        let lr_curves = schedules
            .iter()
            .map(|sc| {
                (0..s.steps)
                    .map(|t| sc.lr(s.method.lr, t, s.steps))
                    .collect()
            })
            .collect();
        let variants = setup
            .variant_setups()
            .into_iter()
            .map(|v| (v.label, v.setup))
            .collect();
        Ok(Decay {
            track: EnsembleTrack::new(variants, KEPT.min(s.runs as usize)),
            max_stable_lr: theory(&setup).max_stable_lr,
            schedules,
            lr_curves,
            setup,
            t: 0,
        })
    }

    /// The mean gap of schedule `i` at step `t`, once all its runs are done and reached it.
    pub fn mean_gap_at(&self, i: usize, t: u64) -> Option<f64> {
        let e = &self.track.variants()[i].ens;
        (e.is_done() && e.complete_at(t as usize)).then(|| e.gap_stats().mean_at(t as usize))
    }

    /// Σ η_t and Σ η_t² of schedule `i` over the first `t` steps.
    pub fn sums(&self, i: usize, t: u64) -> (f64, f64) {
        self.lr_curves[i][..(t as usize).min(self.lr_curves[i].len())]
            .iter()
            .fold((0.0, 0.0), |(a, b), &l| (a + l, b + l * l))
    }

    /// The label a chart shows for schedule `i`: its kind and its parameters.
    fn long_label(&self, i: usize) -> String {
        match &self.schedules[i] {
            Schedule::Constant => "constant".into(),
            Schedule::Exponential { gamma } => format!("too fast: γ = {}", fmt_number(*gamma)),
            Schedule::InverseSqrt { t0 } => format!("too slow: 1/√t, t0 = {}", fmt_number(*t0)),
            Schedule::InverseTime { t0 } => format!("1/t, t0 = {}", fmt_number(*t0)),
            Schedule::Step { every, gamma } => {
                format!("step decay: ×{} every {every}", fmt_number(*gamma))
            }
            Schedule::Cosine { .. } => "cosine".into(),
        }
    }

    /// The step the caption quotes: the one shown, within what every run reached.
    fn caption_step(&self) -> u64 {
        self.track.reached(self.t)
    }
}

impl LabSim for Decay {
    fn scenario(&self) -> &Scenario {
        &self.setup.scenario
    }

    fn verdict(&self, q: usize) -> Option<crate::lab::quiz::Verdict> {
        // "Which schedule has the lowest mean loss gap when the run ends?" Choices in
        // the order constant, too fast, too slow, 1/t, step decay.
        let steps = self.setup.scenario.steps;
        if q != 0 || self.t < steps {
            return None;
        }
        let kind = |sch: &Schedule| match sch {
            Schedule::Constant => Some(0),
            Schedule::Exponential { .. } => Some(1),
            Schedule::InverseSqrt { .. } => Some(2),
            Schedule::InverseTime { .. } => Some(3),
            Schedule::Step { .. } => Some(4),
            Schedule::Cosine { .. } => None,
        };
        let mut best: Option<(usize, f64, usize)> = None;
        let mut parts = Vec::new();
        for (i, sch) in self.schedules.iter().enumerate() {
            let g = self.mean_gap_at(i, steps)?;
            parts.push(format!("{} {}", self.long_label(i), num(g)));
            if let Some(k) = kind(sch) {
                if best.map_or(true, |(_, b, _)| g < b) {
                    best = Some((k, g, i));
                }
            }
        }
        let (answer, _, i) = best?;
        Some(crate::lab::quiz::Verdict {
            answer,
            why: format!(
                "Mean gaps at step {steps}: {}. Lowest: {}.",
                parts.join(", "),
                self.long_label(i)
            ),
        })
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

    fn steps_per_second(&self) -> Option<f64> {
        // The whole run in about 8 s.
        Some((self.setup.scenario.steps as f64 / 8.0).max(5.0))
    }

    fn status(&self) -> Status {
        let mut parts = Vec::new();
        for (i, v) in self.track.variants().iter().enumerate() {
            if let Some((r, at)) = self.track.first_divergence(i) {
                parts.push(format!(
                    "The {} schedule diverged in run {} at step {at}: its step η_t = {} was too large (GD is stable only below 2/L_s = {})",
                    v.label,
                    r + 1,
                    num(self.lr_curves[i][(at as usize).saturating_sub(1).min(self.lr_curves[i].len() - 1)]),
                    num(self.max_stable_lr)
                ));
            }
        }
        let diverged = (!parts.is_empty()).then(|| {
            let tail = if parts.len() < 5 {
                "; the others go on."
            } else {
                "."
            };
            format!("{}{tail}", parts.join("; "))
        });
        self.track
            .status(self.t, self.setup.scenario.steps, diverged)
    }

    fn caption(&self) -> Caption {
        let t = self.caption_step();
        let runs = self.setup.scenario.runs;
        let mut text = format!(
            "All five schedules start from the same η = {} and see the same samples; each line is the mean loss gap over {runs} run{}. ",
            fmt_number(self.setup.scenario.method.lr),
            if runs == 1 { "" } else { "s" }
        );
        let means: Vec<Option<f64>> = (0..5).map(|i| self.mean_gap_at(i, t)).collect();
        if let [Some(c), Some(f), Some(s), Some(o), Some(st)] = means[..] {
            let (sf, _) = self.sums(FAST, t);
            if f > c && c > s && s > o && o <= st {
                text += &format!(
                    "At step {t} the picture is the lecture's: the constant step has settled at its floor ({}); too fast froze above it ({}), because its steps add up to only Σ η_t = {} however long it runs; too slow is still bouncing ({}) above 1/t ({}), which is lowest: Σ η_t = ∞ lets it reach w*, Σ η_t² < ∞ lets the noise die out (Robbins–Monro).",
                    num(c),
                    num(f),
                    num(sf),
                    num(s),
                    num(o)
                );
            } else {
                let mut order: Vec<(usize, f64)> =
                    [c, f, s, o, st].into_iter().enumerate().collect();
                order.sort_by(|a, b| a.1.total_cmp(&b.1));
                let list: Vec<String> = order
                    .iter()
                    .map(|(i, g)| format!("{} ({})", LABELS[*i], num(*g)))
                    .collect();
                text += &format!(
                    "At step {t}, from lowest to highest mean gap: {}. ",
                    list.join(", ")
                );
                if t < self.setup.scenario.steps / 2 {
                    text += "Early on the larger steps are ahead; the lecture's order shows later.";
                } else {
                    text += "With these settings the lecture's order (1/t lowest, too slow above it, the constant step at its floor, too fast frozen above) does not show; the defaults show it.";
                }
            }
            text += " Step decay's Σ η_t converges too (γ < 1), but in practice it is stopped long before that matters.";
        } else {
            text += "The runs are being computed.";
        }
        let facts = (0..5)
            .map(|i| {
                let (s1, s2) = self.sums(i, t);
                let (lim1, lim2) = limits(&self.schedules[i]);
                let gap = means[i]
                    .map(|g| format!("mean gap {}; ", num(g)))
                    .unwrap_or_default();
                (
                    self.long_label(i),
                    format!(
                        "{gap}Σ η_t = {} (→ {lim1}), Σ η_t² = {} (→ {lim2})",
                        num(s1),
                        num(s2)
                    ),
                )
            })
            .collect();
        Caption { text, facts }
    }

    fn describe(&self) -> String {
        let t = self.caption_step();
        let mut out = format!(
            "Two line charts with logarithmic axes, over steps 1 to {}: the mean loss gap of each schedule over {} runs with its 10–90 % band and a 1/t reference line, and each schedule's step size. At step {t}:",
            self.setup.scenario.steps, self.setup.scenario.runs
        );
        for i in 0..5 {
            let g = self
                .mean_gap_at(i, t)
                .map(num)
                .unwrap_or_else(|| "being computed".into());
            out += &format!(" {} has mean gap {g};", self.long_label(i));
        }
        out
    }

    /// Every schedule's per-step statistics: what `sgd-lab run --summary` prints for the
    /// exported scenario (a `variant` column).
    fn csv(&self) -> String {
        self.track.csv()
    }

    fn draw<DB: DrawingBackend>(
        &self,
        chart: &str,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        match chart {
            "gap" => self.draw_gap(area, text_px),
            "lr" => self.draw_lr(area, text_px),
            other => Err(format!("decay has no chart \"{other}\"")),
        }
    }
}

impl Decay {
    fn draw_gap<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let steps = self.setup.scenario.steps;
        let colors = colors();
        let x: Vec<f64> = (0..=steps).map(|t| t as f64).collect();
        let mut means = Vec::new();
        let mut bands = Vec::new();
        for (i, v) in self.track.variants().iter().enumerate() {
            let len = v.ens.complete_len();
            means.push(v.ens.gap_stats().mean(len));
            // Step 1 at least: a log x-axis has no step 0, and the chart is never empty.
            let upto = ((self.t as usize) + 1).max(2).min(len);
            bands.push(if v.ens.runs() > 1 {
                self.track.band(i, upto)
            } else {
                (Vec::new(), Vec::new())
            });
        }
        // A fixed y range: from the lowest mean (all steps) to the start.
        let all = means
            .iter()
            .flatten()
            .copied()
            .filter(|v| v.is_finite() && *v > 0.0);
        let (lo, hi) = all.fold((f64::INFINITY, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
        let (lo, hi) = if lo <= hi { (lo, hi) } else { (1e-6, 1.0) };
        let y_range = ((lo / 4.0).max(hi * 1e-10), hi * 4.0);
        let labels_long: Vec<String> = (0..5).map(|i| self.long_label(i)).collect();
        let mut series = Vec::new();
        let mut band_list = Vec::new();
        let mut ends = Vec::new();
        for i in 0..5 {
            let upto = ((self.t as usize) + 1).max(2).min(means[i].len());
            if upto < 2 {
                continue;
            }
            if !bands[i].0.is_empty() {
                // Five overlapping bands: each in its colour lightened halfway to white, so
                // that they stay a background to the means.
                let RGBColor(r, g, b) = colors[i];
                let light = |c: u8| ((c as u16 + 255) / 2) as u8;
                band_list.push(Band {
                    label: "",
                    x: Some(&x[..upto]),
                    lo: &bands[i].0[..upto],
                    hi: &bands[i].1[..upto],
                    color: RGBColor(light(r), light(g), light(b)),
                });
            }
            series.push(
                Series::new(
                    &labels_long[i],
                    &means[i][..upto],
                    LineStyle::Bold,
                    colors[i],
                )
                .with_x(&x[..upto]),
            );
            ends.push(EndLabel {
                text: labels_long[i].clone(),
                at: ((upto - 1) as f64, means[i][upto - 1]),
                color: colors[i],
            });
        }
        // The reference slope: c/t through 1/t's mean at the step shown (once t ≥ 10).
        let t_ref = (self.t as usize).min(means[ONE_OVER_T].len().saturating_sub(1));
        let (ref_x, ref_y): (Vec<f64>, Vec<f64>) = if t_ref >= 10 {
            let c = means[ONE_OVER_T][t_ref] * t_ref as f64;
            let from = (t_ref as f64 / 30.0).max(1.0);
            (vec![from, t_ref as f64], vec![c / from, c / t_ref as f64])
        } else {
            (Vec::new(), Vec::new())
        };
        if !ref_x.is_empty() {
            series.push(
                Series::new("∝ 1/t", &ref_y, LineStyle::Dashed, palette::INK_SOFT)
                    .with_x(&ref_x)
                    .theory(),
            );
            ends.push(EndLabel {
                text: "slope 1/t".into(),
                at: (ref_x[0], ref_y[0]),
                color: palette::INK_SOFT,
            });
        }
        let frame = line::draw(
            area,
            &LineChart {
                title: "Mean loss gap of each schedule (log–log)",
                x_label: "step t",
                y_label: "L(w_t) − L*",
                y_scale: AxisScale::Log,
                x_scale: AxisScale::Log,
                series: &series,
                bands: &band_list,
                x_range: Some((1.0, steps.max(2) as f64)),
                y_range: Some(y_range),
                cursor: None,
                legend: LegendPos::Hidden,
                text_px,
            },
        )?;
        labels::draw(area, &frame, &ends, text_px)?;
        Ok(frame)
    }

    fn draw_lr<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let steps = self.setup.scenario.steps;
        let lr = self.setup.scenario.method.lr;
        let colors = colors();
        let bottom = lr * 1e-4;
        // η_t of step t drawn at x = t + 1 (the first step at 1 on the log axis).
        let x: Vec<f64> = (1..=steps).map(|t| t as f64).collect();
        let labels_long: Vec<String> = (0..5).map(|i| self.long_label(i)).collect();
        let shown = (self.t as usize).clamp(1, steps as usize);
        let mut series = Vec::new();
        let mut ends = Vec::new();
        let clipped: Vec<Vec<f64>> = self
            .lr_curves
            .iter()
            .map(|c| c.iter().map(|&v| v.max(bottom * 0.5)).collect())
            .collect();
        for i in 0..5 {
            let y = &clipped[i][..shown];
            series.push(
                Series::new(&labels_long[i], y, LineStyle::Bold, colors[i]).with_x(&x[..shown]),
            );
            // Where a schedule drops out of the picture (too fast), say so there.
            let gone = self.lr_curves[i][..shown].iter().position(|&v| v < bottom);
            let (text, at) = match gone {
                Some(k) => (
                    format!("{}: below 10⁻⁴ η from step {}", LABELS[i], k),
                    (x[k], bottom),
                ),
                None => (LABELS[i].to_string(), (x[shown - 1], y[shown - 1])),
            };
            ends.push(EndLabel {
                text,
                at,
                color: colors[i],
            });
        }
        let frame = line::draw(
            area,
            &LineChart {
                title: "Step size η_t (log–log)",
                x_label: "step t",
                y_label: "η_t",
                y_scale: AxisScale::Log,
                x_scale: AxisScale::Log,
                series: &series,
                x_range: Some((1.0, steps.max(2) as f64)),
                y_range: Some((bottom, lr * 2.0)),
                legend: LegendPos::Hidden,
                text_px,
                ..Default::default()
            },
        )?;
        labels::draw(area, &frame, &ends, text_px)?;
        Ok(frame)
    }
}

/// Where Σ η_t and Σ η_t² go as t → ∞, in words.
fn limits(s: &Schedule) -> (&'static str, &'static str) {
    match s {
        Schedule::Constant => ("∞", "∞"),
        Schedule::Exponential { gamma } | Schedule::Step { gamma, .. } if *gamma < 1.0 => {
            ("finite", "finite")
        }
        Schedule::Exponential { .. } | Schedule::Step { .. } => ("∞", "∞"),
        Schedule::InverseSqrt { .. } => ("∞", "∞"),
        Schedule::InverseTime { .. } => ("∞", "finite"),
        Schedule::Cosine { .. } => ("finite", "finite"),
    }
}
