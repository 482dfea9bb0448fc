//! What a simulation reports, in the shapes the CLI prints and the browser exports:
//! the JSON result of `sgd-lab run` and the CSV of a lab's numbers. Both are built
//! here so the two can only agree.

use crate::ensemble::Ensemble;
use crate::run::Trajectory;
use crate::scenario::Setup;
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

/// Whether a full (non-summary) result of this setup is small enough to print.
pub fn full_output_fits(setup: &Setup) -> bool {
    setup.scenario.runs * (setup.scenario.steps + 1) <= MAX_FULL_POINTS
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
