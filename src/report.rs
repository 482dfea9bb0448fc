//! What a simulation reports, in the shapes the CLI prints and the browser exports:
//! the JSON result of `sgd-lab run` and the CSV of a lab's numbers. Both are built
//! here so the two can only agree. A scenario with `compare` reports every variant with
//! its label: [`compare_result`], [`compare_theory`] and [`variants_csv`].

use crate::ensemble::Ensemble;
use crate::run::Trajectory;
use crate::scenario::Setup;
use crate::theory::Theory;
use serde::Serialize;

/// How many runs a `--summary` result keeps in full.
pub const SUMMARY_KEEP: usize = 3;
/// Largest runs × (steps + 1) printed in full; beyond it `--summary` is required.
pub const MAX_FULL_POINTS: u64 = 2_000_000;

#[derive(Serialize)]
pub struct Optimum {
    pub w: Vec<f64>,
    pub loss: f64,
}

#[derive(Serialize)]
pub struct RunReport {
    pub run: u64,
    pub w: Vec<Vec<f64>>,
    pub loss: Vec<f64>,
    pub gap: Vec<f64>,
    pub lr: Vec<f64>,
    pub indices: Vec<Vec<u32>>,
    pub grad_evals: Vec<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avg_w: Option<Vec<Vec<f64>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avg_gap: Option<Vec<f64>>,
    pub diverged_at: Option<u64>,
}

impl RunReport {
    pub fn new(run: u64, tr: &Trajectory) -> RunReport {
        let rows = |flat: &[f64]| flat.chunks(tr.d).map(|c| c.to_vec()).collect::<Vec<_>>();
        RunReport {
            run,
            w: rows(&tr.w),
            loss: tr.loss.clone(),
            gap: tr.gap.clone(),
            lr: tr.lr.clone(),
            indices: tr.indices.clone(),
            grad_evals: tr.grad_evals.clone(),
            avg_w: tr.avg_w.as_deref().map(rows),
            avg_gap: tr.avg_gap.clone(),
            diverged_at: tr.diverged_at,
        }
    }
}

#[derive(Serialize)]
pub struct Diverged {
    pub run: u64,
    pub step: u64,
}

/// The document `sgd-lab run` prints.
#[derive(Serialize)]
pub struct RunResult {
    pub optimum: Optimum,
    /// Number of runs simulated (`runs` below may keep fewer with `--summary`).
    pub runs_total: u64,
    pub runs: Vec<RunReport>,
    /// Mean of L(w_t) − L* over all runs, t = 0 … (up to the first divergence).
    pub mean_gap: Vec<f64>,
    /// Population standard deviation, minimum and maximum of the gap over runs.
    pub std_gap: Vec<f64>,
    pub min_gap: Vec<f64>,
    pub max_gap: Vec<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean_avg_gap: Option<Vec<f64>>,
    /// Every run that diverged, with the step at which it did.
    pub diverged: Vec<Diverged>,
}

/// Points a full (non-summary) result prints: runs × (steps + 1), for every variant.
pub fn full_output_points(setup: &Setup) -> u64 {
    let s = &setup.scenario;
    s.variant_count() as u64 * s.runs * (s.steps + 1)
}

/// Whether a full (non-summary) result of this setup is small enough to print.
pub fn full_output_fits(setup: &Setup) -> bool {
    full_output_points(setup) <= MAX_FULL_POINTS
}

/// Simulates the whole scenario. `summary` keeps only the first few runs in full.
pub fn run_result(setup: &Setup, summary: bool) -> RunResult {
    let keep = if summary {
        SUMMARY_KEEP
    } else {
        setup.scenario.runs as usize
    };
    let mut ens = Ensemble::new(setup, keep);
    ens.finish();
    result_of(&ens)
}

pub fn result_of(ens: &Ensemble) -> RunResult {
    let setup = ens.setup();
    let len = ens.complete_len();
    let s = ens.gap_stats();
    RunResult {
        optimum: Optimum {
            w: setup.problem.optimum().to_vec(),
            loss: setup.problem.min_loss(),
        },
        runs_total: ens.runs_done(),
        runs: ens
            .kept()
            .iter()
            .enumerate()
            .map(|(r, tr)| RunReport::new(r as u64, tr))
            .collect(),
        mean_gap: s.mean(len),
        std_gap: s.std(len),
        min_gap: s.min[..len].to_vec(),
        max_gap: s.max[..len].to_vec(),
        mean_avg_gap: ens.mean_avg_gap(),
        diverged: ens
            .diverged()
            .into_iter()
            .map(|(run, step)| Diverged { run, step })
            .collect(),
    }
}

/// Formats a number for CSV exactly as the JSON result does (shortest round trip).
pub fn csv_num(v: f64) -> String {
    serde_json::to_string(&v).unwrap_or_default()
}

/// One run as CSV: `step,w0[,w1…],loss,gap,lr,indices,grad_evals[,avg_w…,avg_gap]`,
/// one line per recorded point; `lr` and `indices` are empty on the start line and
/// indices are separated by spaces.
pub fn trajectory_csv(tr: &Trajectory) -> String {
    let mut out = String::from("step");
    for k in 0..tr.d {
        out += &format!(",w{k}");
    }
    out += ",loss,gap,lr,indices,grad_evals";
    if tr.avg_w.is_some() {
        for k in 0..tr.d {
            out += &format!(",avg_w{k}");
        }
        out += ",avg_gap";
    }
    out.push('\n');
    for t in 0..tr.len() {
        out += &t.to_string();
        for &v in tr.point(t) {
            out += ",";
            out += &csv_num(v);
        }
        out += &format!(",{},{}", csv_num(tr.loss[t]), csv_num(tr.gap[t]));
        if t == 0 {
            out += ",,";
        } else {
            let idx: Vec<String> = tr.indices[t - 1].iter().map(|i| i.to_string()).collect();
            out += &format!(",{},{}", csv_num(tr.lr[t - 1]), idx.join(" "));
        }
        out += &format!(",{}", tr.grad_evals[t]);
        if let (Some(aw), Some(ag)) = (&tr.avg_w, &tr.avg_gap) {
            for &v in &aw[t * tr.d..(t + 1) * tr.d] {
                out += ",";
                out += &csv_num(v);
            }
            out += ",";
            out += &csv_num(ag[t]);
        }
        out.push('\n');
    }
    out
}

/// Ensemble statistics as CSV: `step,mean_gap,std_gap,min_gap,max_gap[,mean_avg_gap]`.
pub fn ensemble_csv(ens: &Ensemble) -> String {
    let len = ens.complete_len();
    let s = ens.gap_stats();
    let (mean, std) = (s.mean(len), s.std(len));
    let avg = ens.mean_avg_gap();
    let mut out = String::from("step,mean_gap,std_gap,min_gap,max_gap");
    if avg.is_some() {
        out += ",mean_avg_gap";
    }
    out.push('\n');
    for t in 0..len {
        out += &format!(
            "{t},{},{},{},{}",
            csv_num(mean[t]),
            csv_num(std[t]),
            csv_num(s.min[t]),
            csv_num(s.max[t])
        );
        if let Some(a) = &avg {
            out += &format!(",{}", csv_num(a[t]));
        }
        out.push('\n');
    }
    out
}

/// One variant's result: its label, then exactly the keys (and numbers) that
/// `sgd-lab run` prints for the variant's stand-alone scenario.
#[derive(Serialize)]
pub struct VariantResult {
    pub label: String,
    #[serde(flatten)]
    pub result: RunResult,
}

/// The document `sgd-lab run` prints for a scenario with `compare`: the shared optimum,
/// then every variant in order.
#[derive(Serialize)]
pub struct CompareResult {
    pub optimum: Optimum,
    pub variants: Vec<VariantResult>,
}

/// Simulates every variant of the scenario (`summary` as in [`run_result`], per variant).
pub fn compare_result(setup: &Setup, summary: bool) -> CompareResult {
    CompareResult {
        optimum: Optimum {
            w: setup.problem.optimum().to_vec(),
            loss: setup.problem.min_loss(),
        },
        variants: setup
            .variant_setups()
            .into_iter()
            .map(|v| VariantResult {
                label: v.label,
                result: run_result(&v.setup, summary),
            })
            .collect(),
    }
}

/// What depends on the method in `sgd-lab theory`, for one variant.
#[derive(Serialize)]
pub struct VariantTheory {
    pub label: String,
    /// The largest step at which GD with this variant's momentum is stable on the
    /// problem's steepest direction: see [`crate::theory::max_stable_lr`].
    pub max_stable_lr: Option<f64>,
    /// The lecture's bound for this variant's method, when the theorem applies.
    pub bound: Option<crate::theory::Bound>,
    /// Why `bound` is null, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bound_note: Option<String>,
}

/// `sgd-lab theory` for a scenario with `compare`: every number of [`Theory`] that does
/// not depend on the method, in the same order and with the same meaning (its `bound`
/// and `bound_note` are left out; `max_stable_lr` stays the plain GD step 2/L_s), then
/// `variants`: per variant its label, its stable step and its bound.
#[derive(Serialize)]
pub struct CompareTheory {
    pub optimum: crate::theory::Optimum,
    pub smoothness: f64,
    pub strong_convexity: f64,
    pub condition_number: Option<f64>,
    pub hessian_eigenvalues: Vec<f64>,
    pub sigma0: f64,
    pub sigma: Option<crate::theory::SigmaPair>,
    pub per_sample_minimizers: Option<serde_json::Value>,
    pub zone_of_confusion: Option<[f64; 2]>,
    pub max_stable_lr: f64,
    pub initial_gap: f64,
    pub variants: Vec<VariantTheory>,
}

/// The theory of a scenario with `compare` (see [`CompareTheory`]).
pub fn compare_theory(setup: &Setup) -> CompareTheory {
    use crate::theory::{max_stable_lr, theory};
    let th: Theory = theory(setup);
    let variants = setup
        .variant_setups()
        .into_iter()
        .map(|v| {
            let vt = theory(&v.setup);
            VariantTheory {
                label: v.label,
                max_stable_lr: max_stable_lr(&v.setup.scenario.method, th.smoothness),
                bound: vt.bound,
                bound_note: vt.bound_note,
            }
        })
        .collect();
    // Written out so that a field added to Theory must be placed here too (it does
    // not compile otherwise).
    let Theory {
        optimum,
        smoothness,
        strong_convexity,
        condition_number,
        hessian_eigenvalues,
        sigma0,
        sigma,
        per_sample_minimizers,
        zone_of_confusion,
        max_stable_lr: gd_stable_lr,
        initial_gap,
        bound: _,
        bound_note: _,
    } = th;
    CompareTheory {
        optimum,
        smoothness,
        strong_convexity,
        condition_number,
        hessian_eigenvalues,
        sigma0,
        sigma,
        per_sample_minimizers,
        zone_of_confusion,
        max_stable_lr: gd_stable_lr,
        initial_gap,
        variants,
    }
}

/// Several variants' CSV tables (each from [`trajectory_csv`] or [`ensemble_csv`]) as
/// one, with a leading `variant` column holding the label. Tables whose header is a
/// prefix of the longest one (a variant without averaging beside one with it) get empty
/// cells for the columns they lack. A label with a comma, quote or line break is quoted
/// as RFC 4180 says. A scenario without `compare` keeps its one table, unchanged.
pub fn variants_csv(tables: &[(String, String)]) -> String {
    let header = tables
        .iter()
        .filter_map(|(_, t)| t.lines().next())
        .max_by_key(|h| h.split(',').count())
        .unwrap_or("");
    let width = header.split(',').count();
    let mut out = format!("variant,{header}\n");
    for (label, table) in tables {
        let label = csv_text(label);
        for row in table.lines().skip(1) {
            let cells = row.split(',').count();
            out += &label;
            out.push(',');
            out += row;
            for _ in cells..width {
                out.push(',');
            }
            out.push('\n');
        }
    }
    out
}

/// A text cell: as it is, or quoted with inner quotes doubled when it must be.
fn csv_text(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
