//! The floor of each sampling mode against the step size: at steps η·3^{−k} (k = 3 …
//! 0) every mode is run from w* for a burn-in of a few relaxation times 1/(η m), then
//! its gap is averaged over the steps that follow and over [`RUNS`] runs. Computed in
//! the background after the lab's runs (one unit of work = one step of one run). With
//! replacement the exact floor (src/expectation.rs) is drawn beside the measurement.

use crate::run::{Outcome, Run};
use crate::scenario::Setup;

/// Runs averaged per (mode, η).
pub const RUNS: u64 = 6;
/// The step sizes measured, as fractions of the lab's η (smallest first).
pub const FRACTIONS: [f64; 4] = [1.0 / 27.0, 1.0 / 9.0, 1.0 / 3.0, 1.0];

/// One measurement: a mode at a step size.
struct Job {
    variant: usize,
    eta: usize,
    burn: u64,
    measure: u64,
    run: u64,
    current: Option<Run>,
    sum: f64,
    count: u64,
    /// A run diverged: no floor at this η.
    failed: bool,
}

pub struct Floors {
    setups: Vec<Setup>,
    pub etas: Vec<f64>,
    jobs: Vec<Job>,
    next: usize,
    total: u64,
    done: u64,
}

/// Burn-in and measurement lengths in steps for step size `eta`: at least 2 and 8
/// epochs, and 3 and 8 relaxation times 1/(η m) (m: the strong convexity; without it,
/// epochs only).
fn lengths(eta: f64, m: f64, steps_per_epoch: u64) -> (u64, u64) {
    let relax = if m > 0.0 && eta > 0.0 {
        (1.0 / (eta * m)).min(1e6)
    } else {
        0.0
    };
    let burn = (2 * steps_per_epoch).max((3.0 * relax).ceil() as u64);
    let measure = (8 * steps_per_epoch).max((8.0 * relax).ceil() as u64);
    (burn, measure)
}

impl Floors {
    /// The measurements for every variant's setup (each at its own sampling), at the
    /// lab's step size `lr` × [`FRACTIONS`].
    pub fn new(variants: &[Setup], lr: f64, m: f64, steps_per_epoch: u64) -> Floors {
        let etas: Vec<f64> = FRACTIONS.iter().map(|f| f * lr).collect();
        let mut setups = Vec::new();
        let mut jobs = Vec::new();
        let mut total = 0;
        for (v, base) in variants.iter().enumerate() {
            for (k, &eta) in etas.iter().enumerate() {
                let (burn, measure) = lengths(eta, m, steps_per_epoch);
                let mut s = base.clone();
                s.scenario.method.lr = eta;
                s.scenario.steps = burn + measure;
                s.scenario.runs = RUNS;
                s.w0 = s.problem.optimum().to_vec();
                setups.push(s);
                jobs.push(Job {
                    variant: v,
                    eta: k,
                    burn,
                    measure,
                    run: 0,
                    current: None,
                    sum: 0.0,
                    count: 0,
                    failed: false,
                });
                total += (burn + measure) * RUNS;
            }
        }
        Floors {
            setups,
            etas,
            jobs,
            next: 0,
            total,
            done: 0,
        }
    }

    /// About `budget` steps of work; returns the progress, 0 … 1.
    pub fn work(&mut self, budget: u64) -> f64 {
        let mut left = budget.max(1);
        while left > 0 && self.next < self.jobs.len() {
            let setup = &self.setups[self.next];
            let job = &mut self.jobs[self.next];
            if job.failed || job.run >= RUNS {
                self.next += 1;
                continue;
            }
            let run = job.current.get_or_insert_with(|| Run::new(setup, job.run));
            let length = job.burn + job.measure;
            while left > 0 && run.t() < length {
                left -= 1;
                self.done += 1;
                match run.step() {
                    Outcome::Stepped => {
                        if run.t() > job.burn {
                            job.sum += run.gap();
                            job.count += 1;
                        }
                    }
                    _ => {
                        job.failed = true;
                        break;
                    }
                }
            }
            if job.failed {
                // What the failed job would still have cost.
                let rest = (RUNS - job.run) * length - job.current.as_ref().map_or(0, |r| r.t());
                self.done += rest;
                job.current = None;
                self.next += 1;
            } else if run.t() >= length {
                job.current = None;
                job.run += 1;
            }
        }
        self.progress()
    }

    pub fn progress(&self) -> f64 {
        if self.next >= self.jobs.len() || self.total == 0 {
            1.0
        } else {
            (self.done as f64 / self.total as f64).min(0.999)
        }
    }

    pub fn is_done(&self) -> bool {
        self.next >= self.jobs.len()
    }

    /// Variant `v`'s measured floors, (η, mean gap), for the step sizes whose runs all
    /// ended without diverging.
    pub fn of(&self, v: usize) -> Vec<(f64, f64)> {
        self.jobs
            .iter()
            .filter(|j| j.variant == v && !j.failed && j.run >= RUNS && j.count > 0)
            .map(|j| (self.etas[j.eta], j.sum / j.count as f64))
            .collect()
    }

    /// The least-squares slope of log floor against log η over `pts` (None with fewer
    /// than two points or a non-positive floor).
    pub fn slope(pts: &[(f64, f64)]) -> Option<f64> {
        if pts.len() < 2 || pts.iter().any(|p| p.1.is_nan() || p.1 <= 0.0) {
            return None;
        }
        let xs: Vec<f64> = pts.iter().map(|p| libm::log10(p.0)).collect();
        let ys: Vec<f64> = pts.iter().map(|p| libm::log10(p.1)).collect();
        let k = xs.len() as f64;
        let (mx, my) = (xs.iter().sum::<f64>() / k, ys.iter().sum::<f64>() / k);
        let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
        let sxx: f64 = xs.iter().map(|x| (x - mx) * (x - mx)).sum();
        (sxx > 0.0).then(|| sxy / sxx)
    }
}
