//! `decay` (lecture 11:49 end, 45:19, 52:15): learning-rate schedules side by side on
//! the same samples — constant, too fast (exponential: Σ η_t < ∞, stops short of w*),
//! too slow (1/√t: Σ η_t² = ∞, keeps bouncing), 1/t (Robbins–Monro) and step decay —
//! with η_t, the loss gaps, and the running sums Σ η_t and Σ η_t².

use super::common;
use super::engine::track::Track;
use super::engine::x_axis::XAxis;
use super::knob::{fmt_number, Knob, KnobKind};
use super::{Caption, ChartInfo, LabSim, Status};
use crate::chart::line::{self, LineChart, LineStyle, Series};
use crate::chart::{palette, AxisScale, ChartFrame, LegendPos};
use crate::error::SpecError;
use crate::report::trajectory_csv;
use crate::run::simulate;
use crate::scenario::{Scenario, Setup, VariantSetup, VariantSpec};
use crate::schedule::Schedule;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, RGBColor};

const CHARTS: &[ChartInfo] = &[
    ChartInfo {
        id: "lr",
        title: "Step size η_t of each schedule",
        heatmap: false,
        click: "",
    },
    ChartInfo {
        id: "gap",
        title: "Loss gap of each schedule",
        heatmap: false,
        click: "",
    },
];

/// The five schedules, by the name the knob uses.
const KINDS: &[(&str, &str)] = &[
    ("constant", "constant"),
    ("exponential", "too fast: η γ^t"),
    ("inverse_sqrt", "too slow: η/√(1+t/t0)"),
    ("inverse_time", "1/t: η/(1+t/t0)"),
    ("step", "step: η γ^⌊t/every⌋"),
];

fn kind_of(s: &Schedule) -> &'static str {
    match s {
        Schedule::Constant => "constant",
        Schedule::Exponential { .. } => "exponential",
        Schedule::InverseSqrt { .. } => "inverse_sqrt",
        Schedule::InverseTime { .. } => "inverse_time",
        Schedule::Step { .. } => "step",
        Schedule::Cosine { .. } => "cosine",
    }
}

/// The comparison schedules: the teaching defaults, except the selected kind, which
/// uses the scenario's own parameters.
fn schedules(selected: &Schedule, steps: u64) -> Vec<Schedule> {
    let defaults = [
        Schedule::Constant,
        Schedule::Exponential { gamma: 0.7 },
        Schedule::InverseSqrt { t0: 20.0 },
        Schedule::InverseTime { t0: 20.0 },
        Schedule::Step {
            every: (steps / 5).max(1),
            gamma: 0.5,
        },
    ];
    defaults
        .into_iter()
        .map(|d| {
            if kind_of(&d) == kind_of(selected) {
                selected.clone()
            } else {
                d
            }
        })
        .collect()
}

fn t0_of(s: &Schedule) -> f64 {
    match s {
        Schedule::InverseTime { t0 } | Schedule::InverseSqrt { t0 } => *t0,
        _ => 20.0,
    }
}
fn gamma_of(s: &Schedule) -> f64 {
    match s {
        Schedule::Exponential { gamma } | Schedule::Step { gamma, .. } => *gamma,
        _ => 0.5,
    }
}

pub fn knobs() -> Vec<Knob> {
    vec![
        Knob {
            key: "schedule",
            label: "Schedule",
            help: "Which schedule to tune; the other four stay at their teaching defaults.",
            kind: KnobKind::Choice {
                options: KINDS.to_vec(),
            },
            get: |s| kind_of(&s.schedule).to_string(),
            set: |s, v| {
                let (t0, gamma) = (t0_of(&s.schedule), gamma_of(&s.schedule));
                s.schedule = match v.text() {
                    "constant" => Schedule::Constant,
                    "exponential" => Schedule::Exponential {
                        gamma: if gamma < 1.0 { gamma } else { 0.7 },
                    },
                    "inverse_sqrt" => Schedule::InverseSqrt { t0 },
                    "inverse_time" => Schedule::InverseTime { t0 },
                    "step" => Schedule::Step {
                        every: (s.steps / 5).max(1),
                        gamma,
                    },
                    other => return Err(format!("is not a schedule: {other}")),
                };
                Ok(())
            },
        },
        // Up to 4 so that a student can see the too-large step diverge (2/L_s ≈ 1.9 here).
        common::lr(0.001, 4.0),
        Knob {
            key: "t0",
            label: "t0 (1/t and 1/√t)",
            help: "How many steps before the step size has halved (1/t) or fallen by √2 (1/√t).",
            kind: KnobKind::Number {
                min: 0.1,
                max: 10_000.0,
                step: 0.1,
                log: true,
            },
            get: |s| fmt_number(t0_of(&s.schedule)),
            set: |s, v| {
                let t0: f64 = v.number()?;
                match &mut s.schedule {
                    Schedule::InverseTime { t0: x } | Schedule::InverseSqrt { t0: x } => *x = t0,
                    _ => {}
                }
                Ok(())
            },
        },
        Knob {
            key: "gamma",
            label: "γ (exponential and step)",
            help: "The factor the step size is multiplied by (every step, or every “every” steps).",
            kind: KnobKind::Number {
                min: 0.01,
                max: 1.0,
                step: 0.001,
                log: false,
            },
            get: |s| fmt_number(gamma_of(&s.schedule)),
            set: |s, v| {
                let g: f64 = v.number()?;
                match &mut s.schedule {
                    Schedule::Exponential { gamma } | Schedule::Step { gamma, .. } => *gamma = g,
                    _ => {}
                }
                Ok(())
            },
        },
        Knob {
            key: "every",
            label: "every (step decay)",
            help: "How many steps between two cuts of the step size.",
            kind: KnobKind::Integer {
                min: 1,
                max: 100_000,
            },
            get: |s| match s.schedule {
                Schedule::Step { every, .. } => every.to_string(),
                _ => (s.steps / 5).max(1).to_string(),
            },
            set: |s, v| {
                let e: u64 = v.whole()?;
                if let Schedule::Step { every, .. } = &mut s.schedule {
                    *every = e;
                }
                Ok(())
            },
        },
        common::steps(20_000),
        common::seed(),
    ]
}

pub struct Decay {
    setup: Setup,
    selected: usize,
    schedules: Vec<Schedule>,
    /// The scenario with each schedule in turn (its `compare` variants).
    variants: Vec<VariantSetup>,
    /// One track per schedule: run 0 of its variant.
    tracks: Vec<Track>,
    /// Σ η_t and Σ η_t² over the steps taken, per schedule.
    sums: Vec<(f64, f64)>,
    lr_curves: Vec<Vec<f64>>,
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

impl Decay {
    pub fn new(setup: &Setup) -> Result<Decay, SpecError> {
        let s = &setup.scenario;
        if matches!(s.schedule, Schedule::Cosine { .. }) {
            return Err(SpecError::new("schedule.kind", "must be constant, exponential, inverse_sqrt, inverse_time or step in the decay lab, got cosine"));
        }
        let schedules = schedules(&s.schedule, s.steps);
        let selected = schedules
            .iter()
            .position(|x| kind_of(x) == kind_of(&s.schedule))
            .unwrap_or(0);
        let lr_curves = schedules
            .iter()
            .map(|sc| {
                (0..s.steps)
                    .map(|t| sc.lr(s.method.lr, t, s.steps))
                    .collect()
            })
            .collect();
        let specs = schedules
            .iter()
            .map(|sc| VariantSpec {
                label: label(sc),
                method: None,
                schedule: Some(sc.clone()),
                averaging: None,
            })
            .collect();
        let variants = super::engine::variant_setups(setup, specs);
        let mut lab = Decay {
            setup: setup.clone(),
            selected,
            schedules,
            variants,
            tracks: Vec::new(),
            sums: Vec::new(),
            lr_curves,
        };
        lab.reset();
        Ok(lab)
    }

    fn t(&self) -> u64 {
        self.tracks.iter().map(|tr| tr.run.t()).max().unwrap_or(0)
    }
}

impl LabSim for Decay {
    fn scenario(&self) -> &Scenario {
        &self.setup.scenario
    }

    fn charts(&self) -> &'static [ChartInfo] {
        CHARTS
    }

    fn reset(&mut self) {
        // Every schedule's run is run 0 of the same seed: the same samples in the same order.
        self.tracks = self
            .variants
            .iter()
            .map(|v| Track::new(&v.setup, 0))
            .collect();
        self.sums = vec![(0.0, 0.0); self.schedules.len()];
    }

    fn advance(&mut self, steps: u32) -> u32 {
        let mut taken = 0;
        for _ in 0..steps {
            let mut any = false;
            for (tr, sums) in self.tracks.iter_mut().zip(&mut self.sums) {
                // No blow-up limit: a run stops only where it diverges.
                if tr.step(f64::INFINITY) {
                    let lr = tr.run.last_lr();
                    sums.0 += lr;
                    sums.1 += lr * lr;
                    any = true;
                }
            }
            if !any {
                break;
            }
            taken += 1;
        }
        taken
    }

    fn status(&self) -> Status {
        let diverged = self.tracks.iter().zip(&self.schedules).find_map(|(tr, sc)| {
            tr.run.diverged_at().map(|at| {
                format!("The {} schedule diverged at step {at}: its step size was too large for this problem.", label(sc))
            })
        });
        Status {
            t: self.t(),
            steps: self.setup.scenario.steps,
            done: self.tracks.iter().all(|tr| tr.run.is_done()),
            progress: 1.0,
            diverged,
        }
    }

    fn caption(&self) -> Caption {
        let t = self.t();
        let text = format!(
            "All five runs see the same samples in the same order; only the step sizes differ. With a constant step SGD keeps bouncing in the zone of confusion. \
             Decaying too fast (Σ η_t < ∞) freezes the iterate before it reaches w*; decaying too slowly (Σ η_t² = ∞) keeps it bouncing for long. \
             The Robbins–Monro conditions Σ η_t = ∞ and Σ η_t² < ∞ hold for η/(1+t/t0), whose gap falls like 1/t. Sums below are after {t} steps."
        );
        let facts = self
            .schedules
            .iter()
            .zip(&self.sums)
            .map(|(sc, (s1, s2))| {
                let (lim1, lim2) = limits(sc);
                (
                    label(sc),
                    format!("Σ η_t = {s1:.3} (→ {lim1}), Σ η_t² = {s2:.4} (→ {lim2})"),
                )
            })
            .collect();
        Caption { text, facts }
    }

    fn describe(&self) -> String {
        let t = self.t();
        let mut out = format!("Two line charts over steps 0 to {}: the step size of each schedule, and its loss gap on a logarithmic axis. After {t} steps:", self.setup.scenario.steps);
        for (sc, tr) in self.schedules.iter().zip(&self.tracks) {
            out += &format!(
                " {} has gap {:.3e};",
                label(sc),
                tr.hist.gap.last().copied().unwrap_or(0.0)
            );
        }
        out
    }

    /// The selected schedule's whole run, in the format of `report::trajectory_csv` (the
    /// same numbers `sgd-lab run` prints for the exported scenario).
    fn csv(&self) -> String {
        // The whole run, whatever step the animation is at (as the other labs do).
        trajectory_csv(&simulate(&self.setup, 0))
    }

    fn draw<DB: DrawingBackend>(
        &self,
        chart: &str,
        area: &DrawingArea<DB, Shift>,
        text_px: Option<f64>,
    ) -> Result<ChartFrame, String> {
        let labels: Vec<String> = self
            .schedules
            .iter()
            .enumerate()
            .map(|(k, sc)| {
                if k == self.selected {
                    format!("{} (tuned)", label(sc))
                } else {
                    label(sc)
                }
            })
            .collect();
        let colors = colors();
        let style = |_k: usize| LineStyle::Bold;
        let steps = self.setup.scenario.steps as f64;
        match chart {
            "lr" => {
                let series: Vec<Series> = (0..self.schedules.len())
                    .map(|k| Series::new(&labels[k], &self.lr_curves[k], style(k), colors[k]))
                    .collect();
                let top = self.setup.scenario.method.lr * 1.5;
                let bottom = self
                    .lr_curves
                    .iter()
                    .flat_map(|c| c.last())
                    .copied()
                    .fold(top, f64::min)
                    .max(top * 1e-6)
                    / 2.0;
                line::draw(
                    area,
                    &LineChart {
                        title: "Step size η_t",
                        x_label: "step t",
                        y_label: "η_t",
                        y_scale: AxisScale::Log,
                        series: &series,
                        x_range: Some((0.0, steps)),
                        y_range: Some((bottom, top)),
                        cursor: Some(self.t() as f64),
                        legend: LegendPos::LowerLeft,
                        text_px,
                        ..Default::default()
                    },
                )
            }
            "gap" => {
                // The tuned schedule last, on top of the others.
                let order = (0..self.schedules.len())
                    .filter(|&k| k != self.selected)
                    .chain([self.selected]);
                // By step: the x-axis a lab could let the student choose (engine::x_axis).
                let xs: Vec<Vec<f64>> = self
                    .tracks
                    .iter()
                    .map(|tr| XAxis::Steps.of_track(tr))
                    .collect();
                let series: Vec<Series> = order
                    .map(|k| {
                        let h = &self.tracks[k].hist;
                        Series::new(&labels[k], &h.gap, style(k), colors[k]).with_x(&xs[k])
                    })
                    .collect();
                let gap0 = self.tracks[0].hist.gap[0].max(1e-12);
                // Room above the start for a schedule whose step is too large.
                let top = self
                    .tracks
                    .iter()
                    .flat_map(|tr| tr.hist.gap.iter().copied())
                    .fold(gap0 * 5.0, f64::max);
                super::gap_chart::draw(
                    area,
                    &series,
                    steps,
                    (gap0 * 1e-7, top * 2.0),
                    self.t(),
                    text_px,
                )
            }
            other => Err(format!("decay has no chart \"{other}\"")),
        }
    }
}

fn label(s: &Schedule) -> String {
    match s {
        Schedule::Constant => "constant".into(),
        Schedule::Exponential { gamma } => format!("exponential γ = {}", fmt_number(*gamma)),
        Schedule::InverseSqrt { t0 } => format!("1/√t, t0 = {}", fmt_number(*t0)),
        Schedule::InverseTime { t0 } => format!("1/t, t0 = {}", fmt_number(*t0)),
        Schedule::Step { every, gamma } => format!("step ×{} every {every}", fmt_number(*gamma)),
        Schedule::Cosine { .. } => "cosine".into(),
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
