//! `averaging` (lecture 01:21, Polyak–Ruppert): the last iterate of SGD at a constant
//! step keeps bouncing at its floor, while averages of the iterates — the running
//! Polyak–Ruppert average from step 0, a tail average started at step k (what
//! PyTorch's SWA does) and an exponential moving average — sit close to w*. Built on
//! the sandbox (the four are the scenario's `compare` variants, on the same samples:
//! one SGD run and three ways of averaging it), with its own knobs, titles and words,
//! and the last iterate's floor — the level its exact expectation settles at
//! (src/expectation.rs) — as a dashed line.

use super::knob::{fmt_number, Knob, KnobKind};
use super::numbers::num;
use super::sandbox::spec::normalize;
use super::sandbox::{forward_to_sandbox, stationary_cloud_box, Sandbox};
use super::{common, Caption, ChartInfo, LabSim};
use crate::averaging::Averaging;
use crate::error::SpecError;
use crate::expectation::stationary_gap;
use crate::scenario::{ProblemSpec, Scenario, Setup, VariantSpec};
use crate::schedule::Schedule;

const CHARTS: &[ChartInfo] = &[
    ChartInfo {
        id: "gap",
        title: "The averages sit below the last iterate's floor",
        heatmap: false,
        click: "",
    },
    ChartInfo {
        id: "iterates",
        title: "Where the iterate and its averages go",
        heatmap: true,
        click: "click on the map to start every run there",
    },
];

/// The variants, in the order they are drawn.
pub const LAST: &str = "last iterate";
pub const POLYAK: &str = "Polyak average";
pub const TAIL: &str = "tail average";
pub const EMA: &str = "EMA";

/// The 1/t schedule's t0: η_t = η/(1 + t/t0).
pub const DECAY_T0: f64 = 50.0;

/// The variant with `label`'s averaging in scenario `s`.
fn averaging_of(s: &Scenario, label: &str) -> Option<Averaging> {
    s.compare
        .iter()
        .flatten()
        .find(|v| v.label == label)
        .and_then(|v| v.averaging.clone())
}

/// Changes every variant with `f` (the sandbox's normal form: each variant whole).
fn each_variant(s: &mut Scenario, f: impl Fn(&mut VariantSpec)) {
    for v in s.compare.iter_mut().flatten() {
        f(v);
    }
    normalize(s);
}

fn tail_start(s: &Scenario) -> u64 {
    match averaging_of(s, TAIL) {
        Some(Averaging::Polyak { start }) => start,
        _ => 0,
    }
}

fn ema_decay(s: &Scenario) -> f64 {
    match averaging_of(s, EMA) {
        Some(Averaging::Ema { decay }) => decay,
        _ => crate::averaging::default_decay(),
    }
}

fn is_decaying(s: &Scenario) -> bool {
    matches!(s.schedule, Schedule::InverseTime { .. })
}

/// The start of every run in 1-D and in 2-D (the preset's).
const W0_1D: [f64; 1] = [-2.0];
const W0_2D: [f64; 2] = [-2.0, 3.0];

/// The problem's dimension (generated least squares: its `d`).
fn dim_of(s: &Scenario) -> u64 {
    match &s.problem {
        ProblemSpec::RandomLeastSquares { d, .. } => *d,
        _ => s.w0.as_ref().map_or(2, |w| w.len() as u64),
    }
}

pub fn knobs() -> Vec<Knob> {
    vec![
        Knob {
            key: "lr",
            label: "Step size η",
            help: "SGD's step (the 1/t schedule's first step).",
            kind: KnobKind::Number {
                min: 0.001,
                max: 2.0,
                step: 0.001,
                log: true,
            },
            get: |s| fmt_number(s.method.lr),
            set: |s, v| {
                let lr = v.number()?;
                s.method.lr = lr;
                each_variant(s, |v| {
                    if let Some(m) = &mut v.method {
                        m.lr = lr;
                    }
                });
                Ok(())
            },
        },
        Knob {
            key: "dim",
            label: "Dimension",
            help: "2-D: the iterates on a map of L; 1-D: w_t and its averages against t.",
            kind: KnobKind::Choice {
                options: vec![("2", "2-D, on a map"), ("1", "1-D, w against t")],
            },
            get: |s| dim_of(s).to_string(),
            set: |s, v| {
                let d: u64 = if v.text() == "1" { 1 } else { 2 };
                if d == dim_of(s) {
                    return Ok(());
                }
                match &mut s.problem {
                    ProblemSpec::RandomLeastSquares { d: m, w_true, .. } => {
                        *m = d;
                        *w_true = None;
                    }
                    _ => return Err("applies to generated least squares only".into()),
                }
                s.w0 = Some(if d == 1 {
                    W0_1D.to_vec()
                } else {
                    W0_2D.to_vec()
                });
                Ok(())
            },
        },
        Knob {
            key: "schedule",
            label: "Step schedule",
            help: "A constant step (the last iterate floors) or 1/t steps (every one converges; the averages with a smaller constant).",
            kind: KnobKind::Choice {
                options: vec![
                    ("constant", "constant step"),
                    ("inverse_time", "1/t steps"),
                ],
            },
            get: |s| {
                if is_decaying(s) {
                    "inverse_time".into()
                } else {
                    "constant".into()
                }
            },
            set: |s, v| {
                let sched = match v.text() {
                    "inverse_time" => Schedule::InverseTime { t0: DECAY_T0 },
                    _ => Schedule::Constant,
                };
                s.schedule = sched.clone();
                each_variant(s, |v| v.schedule = Some(sched.clone()));
                Ok(())
            },
        },
        Knob {
            key: "start",
            label: "Tail average from step k",
            help: "The tail average (as PyTorch's SWA) averages the iterates from step k on.",
            kind: KnobKind::Integer { min: 0, max: 5000 },
            get: |s| tail_start(s).to_string(),
            set: |s, v| {
                let start: u64 = v.whole()?;
                each_variant(s, |v| {
                    if v.label == TAIL {
                        v.averaging = Some(Averaging::Polyak { start });
                    }
                });
                Ok(())
            },
        },
        Knob {
            key: "beta",
            label: "EMA decay β",
            help: "Each step the EMA keeps β of itself and adds 1 − β of the new iterate: its memory is about 1/(1 − β) steps.",
            kind: KnobKind::Number {
                min: 0.5,
                max: 0.9999,
                step: 0.0001,
                log: false,
            },
            get: |s| fmt_number(ema_decay(s)),
            set: |s, v| {
                let decay = v.number()?;
                each_variant(s, |v| {
                    if v.label == EMA {
                        v.averaging = Some(Averaging::Ema { decay });
                    }
                });
                Ok(())
            },
        },
        common::w0("x,y in 2-D, x in 1-D"),
        common::runs(200),
        common::steps(5000),
        common::seed(),
    ]
}

pub struct AveragingLab {
    sb: Sandbox,
    /// The last iterate's floor at a constant step.
    floor: Option<f64>,
}

impl AveragingLab {
    pub fn new(setup: &Setup) -> Result<AveragingLab, SpecError> {
        if setup.scenario.compare.is_none() {
            return Err(SpecError::new(
                "compare",
                "is missing: the averaging lab shows the last iterate and its averages as compare variants (as in its preset)",
            ));
        }
        let last = setup
            .variant_setups()
            .into_iter()
            .find(|v| v.label == LAST)
            .filter(|v| v.setup.scenario.schedule == Schedule::Constant);
        let floor = last.as_ref().and_then(|v| stationary_gap(&v.setup));
        // The map frames the last iterate's stationary cloud (w* ± 4 standard
        // deviations along each axis), where the averages are to be seen.
        let map_box = last.as_ref().and_then(|v| stationary_cloud_box(&v.setup));
        let reference = floor.map(|f| ("last iterate's floor (exact)".to_string(), f));
        let sb = Sandbox::new(setup)?
            .with_view(
                [
                    "The averages sit below the last iterate's floor",
                    "Where the iterate and its averages go",
                ],
                reference,
            )
            .framed(map_box);
        Ok(AveragingLab { sb, floor })
    }

    /// (label, mean gap) of every variant at step `t`, where all runs are computed.
    fn gaps_at(&self, t: u64) -> Vec<(String, f64)> {
        self.sb
            .labels()
            .iter()
            .enumerate()
            .filter_map(|(i, l)| Some((l.to_string(), self.sb.mean_gap_at(i, t)?)))
            .collect()
    }
}

impl LabSim for AveragingLab {
    forward_to_sandbox!("averaging");

    fn verdict(&self, q: usize) -> Option<crate::lab::quiz::Verdict> {
        // "The Polyak–Ruppert average's mean gap against the last iterate's, at the
        // end": their ratio, lower / about the same / higher (a factor 1.5).
        if q != 0 || !self.sb.status().done {
            return None;
        }
        let t = self.sb.caption_step();
        let gaps = self.gaps_at(t);
        let gap = |l: &str| gaps.iter().find(|(x, _)| x == l).map(|g| g.1);
        let (last, avg) = (gap(LAST)?, gap(POLYAK)?);
        if !(last > 0.0 && avg.is_finite()) {
            return None;
        }
        Some(crate::lab::quiz::Verdict {
            answer: crate::lab::quiz::compare(avg / last),
            why: format!(
                "Mean gaps at step {t}: last iterate {}, Polyak average {} ({} times the last iterate's; within a factor 1.5 counts as the same).",
                num(last),
                num(avg),
                num(avg / last)
            ),
        })
    }

    fn charts(&self) -> &'static [ChartInfo] {
        CHARTS
    }

    fn steps_per_second(&self) -> Option<f64> {
        // The whole run in about 15 s.
        Some((self.sb.scenario().steps as f64 / 15.0).clamp(5.0, 300.0))
    }

    fn caption(&self) -> Caption {
        let s = self.sb.scenario();
        let t = self.sb.caption_step();
        let k = tail_start(s);
        let beta = ema_decay(s);
        let mut facts = vec![
            ("η".into(), num(s.method.lr)),
            (
                "schedule".into(),
                if is_decaying(s) {
                    format!("1/t: η_t = η/(1 + t/{})", num(DECAY_T0))
                } else {
                    "constant".into()
                },
            ),
            ("tail average from step k".into(), k.to_string()),
            ("EMA decay β".into(), num(beta)),
        ];
        let mut text = format!(
            "One SGD run and three averages of it, over {} runs (lines: means; bands: the middle 80 % of the first {}): the Polyak–Ruppert average u_t = (w_0 + … + w_t)/(t + 1), the tail average of the iterates from step {k} on, and an EMA with β = {}. ",
            s.runs,
            super::sandbox::KEPT_RUNS.min(s.runs as usize),
            num(beta)
        );
        let gaps = self.gaps_at(t);
        let gap = |l: &str| gaps.iter().find(|(x, _)| x == l).map(|g| g.1);
        if let Some(last) = gap(LAST) {
            text += &format!("At step {t} the last iterate's mean gap is {}", num(last));
            if let Some(f) = self.floor {
                text += &format!(" (its floor, the exact level it settles at, is {})", num(f));
            }
            text += ". ";
            let others: Vec<(&str, f64)> = [POLYAK, TAIL, EMA]
                .into_iter()
                .filter_map(|l| gap(l).map(|g| (l, g)))
                .collect();
            let parts: Vec<String> = others
                .iter()
                .map(|(l, g)| format!("{l} {}", num(*g)))
                .collect();
            if !parts.is_empty() {
                text += &format!("The averages: {}. ", parts.join(", "));
            }
            let best = others
                .iter()
                .filter(|(_, g)| g.is_finite())
                .min_by(|a, b| a.1.total_cmp(&b.1));
            match best {
                Some((l, g)) if *g < last => {
                    text += &format!(
                        "The {l} is {} times lower than the last iterate: averaging cancels the bouncing, which the step alone cannot. ",
                        num(last / g)
                    );
                }
                Some(_) => {
                    text += "No average is below the last iterate yet: early on they still carry the start w₀. ";
                }
                None => {}
            }
            text += if is_decaying(s) {
                "With 1/t steps every one of them converges; averaging keeps the rate and lowers the constant (the lecture's \"same rate, a smaller constant\"). "
            } else {
                "At a constant step the last iterate stays at its floor, while on least squares the average of the iterates keeps converging, like 1/t. "
            };
            if let (Some(e), true) = (gap(EMA), (t as f64) < 1.0 / (1.0 - beta)) {
                if e > last {
                    text += &format!(
                        "The EMA starts at u₀ = w₀ and forgets it only over about 1/(1 − β) = {} steps: it is still above the last iterate. ",
                        num(1.0 / (1.0 - beta))
                    );
                }
            }
            if t < k {
                text += &format!(
                    "The tail average starts at step {k}: until then it is the last iterate. "
                );
            }
            for (l, g) in gaps.iter() {
                facts.push((format!("{l}: mean gap at t = {t}"), num(*g)));
            }
        } else if let Some(d) = self.sb.status().diverged {
            text += &format!("{d} ");
        } else {
            text += "The runs are being computed. ";
        }
        if let Some(f) = self.floor {
            facts.push(("last iterate's floor (exact)".into(), num(f)));
        }
        Caption { text, facts }
    }

    fn describe(&self) -> String {
        let t = self.sb.caption_step();
        let mut out = format!(
            "Two charts. Loss gap on a logarithmic axis against steps for the last iterate, the Polyak average, the tail average and the EMA{}. ",
            self.floor
                .map(|f| format!(", with the last iterate's floor {} as a dashed line", num(f)))
                .unwrap_or_default()
        );
        let parts: Vec<String> = self
            .gaps_at(t)
            .iter()
            .map(|(l, g)| format!("{l} {}", num(*g)))
            .collect();
        if !parts.is_empty() {
            out += &format!("At step {t}: {}. ", parts.join(", "));
        }
        out += if dim_of(self.sb.scenario()) == 1 {
            "The second chart shows, for the first run, the last iterate w_t and each average against t, with w* as a line."
        } else {
            "The map shows the contours of L, w* as a star, the last iterate's first run as a short trail with its recent points as a cloud, and each average's path."
        };
        if let Some(d) = self.sb.status().diverged {
            out += &format!(" {d}");
        }
        out
    }
}
