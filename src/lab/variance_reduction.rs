//! `variance-reduction` (the lecture's end): SVRG, SAG and SAGA at a constant step
//! reach w* linearly, while SGD at the same step stalls at its floor; the x-axis
//! counts gradient evaluations, so SVRG's full passes and SAG's first table are paid
//! for. Built on the sandbox (the four methods are the scenario's `compare` variants,
//! on the same samples), with its own knobs, titles and words, and SGD's floor — the
//! level its exact expectation settles at (src/expectation.rs) — as a dashed line.

use super::engine::x_axis::XAxis;
use super::knob::{fmt_number, Knob, KnobKind};
use super::numbers::num;
use super::sandbox::spec::normalize;
use super::sandbox::{forward_to_sandbox, stationary_cloud_box, Sandbox};
use super::{common, Caption, ChartInfo, LabSim, Table};
use crate::averaging::Averaging;
use crate::error::SpecError;
use crate::expectation::stationary_gap;
use crate::method::{MethodKind, MethodSpec};
use crate::scenario::{LabView, Scenario, Setup, VariantSpec};
use crate::schedule::Schedule;

const CHARTS: &[ChartInfo] = &[
    ChartInfo {
        id: "gap",
        title: "SVRG, SAG and SAGA reach w*; SGD stalls at its floor",
        heatmap: false,
        click: "",
    },
    ChartInfo {
        id: "iterates",
        title: "Where the iterates go: SGD keeps bouncing, the others arrive",
        heatmap: true,
        click: "click on the map to start every run there",
    },
];

/// The methods, by the label each variant carries.
pub const LABELS: [&str; 5] = ["SGD", "SGD, 1/t", "SVRG", "SAG", "SAGA"];

/// The sets the `methods` knob offers: (value, label, the variants shown). SGD at the
/// constant step is in every set: it is what the others are compared with.
const SETS: &[common::VariantSet] = &[
    (
        "all",
        "SGD, SGD with 1/t steps, SVRG, SAG and SAGA",
        &["SGD", "SGD, 1/t", "SVRG", "SAG", "SAGA"],
    ),
    (
        "constant",
        "the four at the constant step",
        &["SGD", "SVRG", "SAG", "SAGA"],
    ),
    ("svrg", "SGD and SVRG", &["SGD", "SVRG"]),
    ("sag", "SGD and SAG", &["SGD", "SAG"]),
    ("saga", "SGD and SAGA", &["SGD", "SAGA"]),
];

/// The 1/t schedule's t0: η_t = η/(1 + t/t0).
pub const DECAY_T0: f64 = 100.0;

/// The variant `label` at step `lr` (SVRG with `inner` steps between snapshots), every
/// field written, as the sandbox normalises them.
fn variant(label: &str, lr: f64, inner: u64) -> VariantSpec {
    let (kind, schedule) = match label {
        "SVRG" => (MethodKind::Svrg, Schedule::Constant),
        "SAG" => (MethodKind::Sag, Schedule::Constant),
        "SAGA" => (MethodKind::Saga, Schedule::Constant),
        "SGD, 1/t" => (MethodKind::Sgd, Schedule::InverseTime { t0: DECAY_T0 }),
        _ => (MethodKind::Sgd, Schedule::Constant),
    };
    VariantSpec {
        label: label.to_string(),
        method: Some(MethodSpec {
            kind,
            lr,
            inner: (kind == MethodKind::Svrg).then_some(inner),
            ..MethodSpec::default()
        }),
        schedule: Some(schedule),
        averaging: Some(Averaging::None),
        steps: None,
    }
}

/// Shows the variants of set `set`, keeping the step and SVRG's inner loop.
fn set_methods(s: &mut Scenario, set: &str) -> Result<(), String> {
    let labels = common::set_labels(SETS, set)?;
    let (lr, inner) = (s.method.lr, svrg_inner(s).unwrap_or(DEFAULT_INNER));
    s.compare = Some(labels.iter().map(|l| variant(l, lr, inner)).collect());
    normalize(s);
    Ok(())
}

/// The set the scenario shows (by its variants' labels), or `all`'s when it is none
/// of them (a file with other variants: a link keeps the knobs only).
fn methods_of(s: &Scenario) -> &'static str {
    common::set_shown(s, SETS, "all")
}

const DEFAULT_INNER: u64 = 100;

/// Whether knob `key` applies: SVRG's inner loop only when SVRG is shown.
pub fn applies(s: &Scenario, key: &str) -> bool {
    key != "inner" || svrg_inner(s).is_some()
}

/// Why knob `key` does not apply: the rest of "… was not used: …".
pub fn why_not(s: &Scenario, key: &str) -> Option<String> {
    (!applies(s, key)).then(|| {
        format!(
            "SVRG is not among the methods shown (methods={}); choose a set with SVRG",
            methods_of(s)
        )
    })
}

/// The view a new scenario of this lab starts with: gradient evaluations on x.
pub fn default_view(v: &mut LabView) {
    v.x_axis = Some(XAxis::GradEvals.id().to_string());
}

/// Sets the step of every variant (and of the base method).
fn set_lr(s: &mut Scenario, lr: f64) {
    s.method.lr = lr;
    for v in s.compare.iter_mut().flatten() {
        if let Some(m) = &mut v.method {
            m.lr = lr;
        }
    }
}

/// SVRG's variant, if the scenario has one.
fn svrg_inner(s: &Scenario) -> Option<u64> {
    s.compare
        .iter()
        .flatten()
        .filter_map(|v| v.method.as_ref())
        .find(|m| m.kind == MethodKind::Svrg)
        .map(|m| m.inner.unwrap_or(s.steps.max(1)))
}

pub fn knobs() -> Vec<Knob> {
    vec![
        Knob {
            key: "lr",
            label: "Step size η",
            help: "The step of every method (the 1/t schedule's first step).",
            kind: KnobKind::Number {
                min: 0.001,
                max: 2.0,
                step: 0.001,
                log: true,
            },
            get: |s| fmt_number(s.method.lr),
            set: |s, v| {
                set_lr(s, v.number()?);
                Ok(())
            },
        },
        Knob {
            key: "methods",
            label: "Methods",
            help: "Which methods run beside SGD at the constant step.",
            kind: KnobKind::Choice {
                options: SETS.iter().map(|(v, l, _)| (*v, *l)).collect(),
            },
            get: |s| methods_of(s).to_string(),
            set: |s, v| set_methods(s, v.text()),
        },
        Knob {
            key: "inner",
            label: "SVRG inner loop",
            help: "Steps between SVRG's snapshots; each snapshot costs n gradient evaluations.",
            kind: KnobKind::Integer { min: 1, max: 5000 },
            get: |s| svrg_inner(s).unwrap_or(DEFAULT_INNER).to_string(),
            set: |s, v| {
                let inner: u64 = v.whole()?;
                for m in s
                    .compare
                    .iter_mut()
                    .flatten()
                    .filter_map(|v| v.method.as_mut())
                {
                    if m.kind == MethodKind::Svrg {
                        m.inner = Some(inner);
                    }
                }
                Ok(())
            },
        },
        common::w0("x,y"),
        common::runs(200),
        common::steps(5000),
        common::seed(),
    ]
}

pub struct VarianceReduction {
    sb: Sandbox,
    /// SGD's floor: the level its exact expected gap settles at.
    floor: Option<f64>,
    n: usize,
    d: usize,
}

impl VarianceReduction {
    pub fn new(setup: &Setup) -> Result<VarianceReduction, SpecError> {
        if setup.scenario.compare.is_none() {
            return Err(SpecError::new(
                "compare",
                "is missing: the variance-reduction lab shows its methods as compare variants (SGD, SGD with 1/t steps, SVRG, SAG and SAGA in its preset)",
            ));
        }
        let sgd = setup
            .variant_setups()
            .into_iter()
            .find(|v| v.setup.scenario.method.kind == MethodKind::Sgd);
        let floor = sgd.as_ref().and_then(|v| stationary_gap(&v.setup));
        // The map frames SGD's stationary cloud, where the others arrive.
        let map_box = sgd.as_ref().and_then(|v| stationary_cloud_box(&v.setup));
        let reference = floor.map(|f| ("SGD's floor (exact)".to_string(), f));
        let sb = Sandbox::new(setup)?
            .with_view(
                [
                    "SVRG, SAG and SAGA reach w*; SGD stalls at its floor",
                    "Where the iterates go",
                ],
                reference,
            )
            .framed(map_box)
            // Down to 10⁻¹⁵ and below: where the linear methods go.
            .with_decades(16.0);
        Ok(VarianceReduction {
            sb,
            floor,
            n: setup.problem.n(),
            d: setup.problem.d(),
        })
    }

    /// Each variant's mean gap after at most `budget` gradient evaluations (at the last
    /// step within it every run reached): (label, evaluations spent, gap).
    fn at_budget(&self, budget: u64, t: u64) -> Vec<(String, u64, f64)> {
        let labels = self.sb.labels();
        (0..labels.len())
            .filter_map(|i| {
                let mut best = None;
                for s in 0..=t {
                    let e = self.sb.evals_at(i, s)?;
                    if e > budget {
                        break;
                    }
                    if let Some(g) = self.sb.mean_gap_at(i, s) {
                        best = Some((labels[i].to_string(), e, g));
                    }
                }
                best
            })
            .collect()
    }

    /// The evaluations every variant has spent by step `t` (the least of them).
    fn common_budget(&self, t: u64) -> Option<u64> {
        (0..self.sb.labels().len())
            .map(|i| self.sb.evals_at(i, t))
            .collect::<Option<Vec<u64>>>()?
            .into_iter()
            .min()
    }
}

/// "A", "A and B", "A, B and C".
fn list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [a] => a.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

impl LabSim for VarianceReduction {
    fn verdict(&self, q: usize) -> Option<crate::lab::quiz::Verdict> {
        // "At the same gradient budget, which ends lowest?": every variant's mean gap
        // after the evaluations all of them have spent at the end.
        if q != 0 || !self.sb.status().done {
            return None;
        }
        let t = self.sb.caption_step();
        let budget = self.common_budget(t)?;
        let at = self.at_budget(budget, t);
        let (label, _, gap) = at
            .iter()
            .filter(|(_, _, g)| g.is_finite())
            .min_by(|a, b| a.2.total_cmp(&b.2))?;
        let answer = match label.as_str() {
            "SGD" => 0,
            l if l.starts_with("SGD") => 1,
            _ => 2,
        };
        let parts: Vec<String> = at
            .iter()
            .map(|(l, _, g)| format!("{l} {}", num(*g)))
            .collect();
        Some(crate::lab::quiz::Verdict {
            answer,
            why: format!(
                "Mean gaps after {budget} gradient evaluations: {}. Lowest: {label} ({}).",
                parts.join(", "),
                num(*gap)
            ),
        })
    }

    forward_to_sandbox!("variance-reduction");

    fn charts(&self) -> &'static [ChartInfo] {
        CHARTS
    }

    fn steps_per_second(&self) -> Option<f64> {
        // The whole run in about 15 s: the methods separate within the first few.
        Some((self.sb.scenario().steps as f64 / 15.0).clamp(5.0, 300.0))
    }

    fn caption(&self) -> Caption {
        let th = self.sb.theory();
        let s = self.sb.scenario();
        let t = self.sb.caption_step();
        let mut facts = vec![
            ("n".into(), self.n.to_string()),
            ("η".into(), num(s.method.lr)),
            ("L_s".into(), num(th.smoothness)),
            (
                "κ = L_s/m".into(),
                th.condition_number.map(num).unwrap_or_default(),
            ),
        ];
        if let Some(inner) = svrg_inner(s) {
            facts.push(("SVRG inner loop".into(), inner.to_string()));
        }
        let mut text = format!(
            "Each line is one method's mean loss gap over {} runs (band: the middle 80 % of the first {}), against the gradients it has evaluated; all of them draw the same samples. ",
            s.runs,
            super::sandbox::KEPT_RUNS.min(s.runs as usize)
        );
        let budget = self.common_budget(t);
        let at = budget.map(|b| self.at_budget(b, t)).unwrap_or_default();
        let gap_of = |l: &str| at.iter().find(|(x, ..)| x == l).map(|a| a.2);
        if let (Some(b), Some(sgd)) = (budget, gap_of("SGD")) {
            let g0 = th.initial_gap;
            // A mean above the starting gap has grown: the step is too large for it.
            let grows = |g: f64| g.is_nan() || g > g0;
            let others: Vec<String> = at
                .iter()
                .filter(|(l, ..)| l != "SGD")
                .map(|(l, _, g)| format!("{l} {}", num(*g)))
                .collect();
            text += &format!(
                "After {b} gradient evaluations ({} passes over the data) SGD's mean gap is {}",
                num(b as f64 / self.n as f64),
                num(sgd)
            );
            match self.floor {
                Some(f) if !grows(sgd) && sgd < 3.0 * f && sgd > f / 3.0 => {
                    text += &format!(
                        ", near its floor {} (the exact level its expectation settles at)",
                        num(f)
                    )
                }
                Some(f) if !grows(sgd) => {
                    text += &format!(
                        " (its floor, the exact level its expectation settles at, is {})",
                        num(f)
                    )
                }
                _ => {}
            }
            if !others.is_empty() {
                text += &format!("; {}.", others.join(", "));
            } else {
                text += ".";
            }
            let grown: Vec<&str> = at
                .iter()
                .filter(|(_, _, g)| grows(*g))
                .map(|(l, ..)| l.as_str())
                .collect();
            if !grown.is_empty() {
                text += &format!(
                    " {} {} above the starting gap {}: at η = {} the steps overshoot (GD itself is stable only below 2/L = {}; the variance-reduced methods need a smaller step still).",
                    list(&grown),
                    if grown.len() == 1 { "is" } else { "are" },
                    num(g0),
                    num(s.method.lr),
                    num(th.max_stable_lr)
                );
            }
            let reduced = |l: &str| ["SVRG", "SAG", "SAGA"].contains(&l);
            let best = at
                .iter()
                .filter(|(l, _, g)| reduced(l) && !grows(*g))
                .min_by(|a, b| a.2.total_cmp(&b.2));
            if let Some((l, _, g)) = best {
                if *g < sgd {
                    text += &format!(
                        " {l} is {} times lower: its gradient estimate is corrected by a stored or snapshot gradient, so its noise vanishes at w*, and a constant step converges linearly — a straight line on this logarithmic axis. ",
                        num(sgd / g)
                    );
                } else {
                    text += " Not yet below SGD: the variance-reduced methods pay for their full passes first. ";
                }
            } else {
                text += " ";
            }
            if let (Some(g), Some(f)) = (gap_of("SGD, 1/t"), self.floor) {
                if !grows(g) {
                    text += &if g < f {
                        format!(
                            "SGD with 1/t steps (η_t = η/(1 + t/{})) gets under the floor, at {}, but only like 1/t: a curve that keeps bending on this axis. ",
                            num(DECAY_T0),
                            num(g)
                        )
                    } else {
                        format!(
                            "SGD with 1/t steps (η_t = η/(1 + t/{})) is at {}, not yet under the floor: its steps shrink before the noise does. ",
                            num(DECAY_T0),
                            num(g)
                        )
                    };
                }
            }
            facts.push(("gradient evaluations compared".into(), b.to_string()));
            for (l, e, g) in &at {
                facts.push((
                    format!("{l}: mean gap"),
                    format!("{} after {e} evaluations", num(*g)),
                ));
            }
        } else if let Some(d) = self.sb.status().diverged {
            text += &format!("{d} ");
        } else {
            text += "The runs are being computed. ";
        }
        text += &format!(
            "The costs: SGD evaluates 1 gradient a step; SVRG n = {} at every snapshot plus 2 a step; SAG and SAGA n once, then 1 a step, but they store n gradients.",
            self.n
        );
        if let Some(f) = self.floor {
            facts.push(("SGD's floor (exact)".into(), num(f)));
        }
        Caption { text, facts }
    }

    /// What each shown method keeps and pays, a row each (#10: "a table of what each
    /// stores and costs per step").
    fn table(&self) -> Option<Table> {
        let s = self.sb.scenario();
        let (n, d) = (self.n, self.d);
        let inner = svrg_inner(s).unwrap_or(DEFAULT_INNER);
        let rows = s
            .compare
            .iter()
            .flatten()
            .filter_map(|v| {
                let (stores, numbers, per_step, passes) = match v.label.as_str() {
                    "SGD" | "SGD, 1/t" => ("w".to_string(), d, "1".to_string(), "none".to_string()),
                    "SVRG" => (
                        "w, a snapshot w̃ and ∇L(w̃)".to_string(),
                        3 * d,
                        "2".to_string(),
                        format!("n = {n} at every snapshot (every {inner} steps)"),
                    ),
                    "SAG" | "SAGA" => (
                        "w and the last gradient of every sample".to_string(),
                        d + n * d,
                        "1".to_string(),
                        format!("n = {n} once, at the start"),
                    ),
                    _ => return None,
                };
                Some(vec![
                    v.label.clone(),
                    stores,
                    numbers.to_string(),
                    per_step,
                    passes,
                ])
            })
            .collect();
        Some(Table {
            title: format!(
                "What each method stores and what it pays in gradient evaluations (n = {n} samples in d = {d} dimensions)"
            ),
            head: vec![
                "method".into(),
                "stores".into(),
                "numbers stored".into(),
                "gradients a step".into(),
                "full passes".into(),
            ],
            rows,
        })
    }

    fn describe(&self) -> String {
        let t = self.sb.caption_step();
        let mut out = format!(
            "Two charts. Loss gap on a logarithmic axis against gradient evaluations for {}{}. ",
            list(&self.sb.labels()),
            self.floor
                .map(|f| format!(", with SGD's floor {} as a dashed line", num(f)))
                .unwrap_or_default()
        );
        if let Some(b) = self.common_budget(t) {
            let parts: Vec<String> = self
                .at_budget(b, t)
                .iter()
                .map(|(l, _, g)| format!("{l} {}", num(*g)))
                .collect();
            out += &format!("After {b} evaluations: {}. ", parts.join(", "));
        }
        out += "The map shows the contours of L, w* as a star, and each method's first run as a short trail with its recent points as a cloud.";
        if let Some(d) = self.sb.status().diverged {
            out += &format!(" {d}");
        }
        out
    }
}
