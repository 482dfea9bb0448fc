//! The race of one data set: GD at its step 1/L_s (a pass over all n samples a step)
//! against R runs of SGD with a 1/t step (b samples a step), both on the same n
//! samples, counted in per-sample gradient evaluations. GD's passes are computed in
//! chunks of samples, so that a pass over 10⁵ samples never blocks a frame; SGD's gaps
//! are kept at steps spaced evenly on a logarithmic axis ([`checkpoints`]), which is
//! where the chart and the table read them.

use crate::error::SpecError;
use crate::problem::Problem;
use crate::run::{Outcome, Run};
use crate::scenario::{ProblemSpec, Setup};
use crate::theory::theory;
use std::sync::Arc;

/// Checkpoints a decade (the table's step counts are read to within 10^(1/50) − 1,
/// about 5 %).
pub const PER_DECADE: f64 = 50.0;

/// GD runs until its gap would be 10⁻⁸ of the start's (the bound (1 − 1/κ)^(2t)).
pub const GD_REDUCTION: f64 = 1e8;

/// Steps 0 and 1 … `last` spaced evenly on a log axis, [`PER_DECADE`] a decade, each
/// once, ending at `last`.
pub fn checkpoints(last: u64) -> Vec<u64> {
    let mut out = vec![0];
    let mut k = 0.0;
    loop {
        let t = libm::floor(libm::pow(10.0, k / PER_DECADE)) as u64;
        if t >= last {
            break;
        }
        if t > *out.last().unwrap_or(&0) {
            out.push(t);
        }
        k += 1.0;
    }
    if last > 0 {
        out.push(last);
    }
    out
}

/// GD's steps to bring its gap below 1/[`GD_REDUCTION`] of the start's at η = 1/L_s
/// on a quadratic of condition number κ: the error's slowest component shrinks by
/// 1 − 1/κ a step, the gap by its square.
pub fn gd_steps(kappa: f64) -> u64 {
    let rate = -2.0 * libm::log1p(-1.0 / kappa.max(1.0 + 1e-9));
    (libm::ceil(libm::log(GD_REDUCTION) / rate) as u64).clamp(1, 100_000)
}

/// One data set of the race.
pub struct Race {
    pub n: u64,
    /// Batch size of SGD.
    pub b: u64,
    pub problem: Arc<Problem>,
    /// L_s, m, κ and L(w0) − L* of these n samples.
    pub l_s: f64,
    pub m: f64,
    pub kappa: f64,
    pub gap0: f64,
    /// GD's step 1/L_s and its planned steps.
    pub gd_lr: f64,
    pub gd_total: u64,
    /// GD: the iterate, the gradient of the pass in progress, the next sample of the
    /// pass, and the gap after each finished step (index 0: the start).
    gd_w: Vec<f64>,
    gd_g: Vec<f64>,
    gd_next: usize,
    pub gd_gaps: Vec<f64>,
    /// SGD: its runs, steps, checkpoints and each run's gaps at the checkpoints
    /// reached.
    runs: Vec<Run>,
    pub sgd_total: u64,
    pub marks: Vec<u64>,
    pub sgd_gaps: Vec<Vec<f64>>,
}

impl Race {
    /// The first `n` samples of the scenario `base` generates (a `random_least_squares`
    /// problem draws its rows one after another: the first n are the same whatever its
    /// n), with GD and SGD planned to `gd_steps(κ)` passes' worth of evaluations.
    pub fn new(base: &Setup, n: u64) -> Result<Race, SpecError> {
        let mut s = base.scenario.clone();
        match &mut s.problem {
            ProblemSpec::RandomLeastSquares { n: size, .. } => *size = n,
            _ => {
                return Err(SpecError::new(
                    "problem.kind",
                    "must be random_least_squares in the gd-vs-sgd lab: its data sets are the first 100, 1000, … samples of one generated problem",
                ))
            }
        }
        // The largest data set is the scenario's own problem, already built.
        let mut setup = if s.problem == base.scenario.problem {
            base.clone()
        } else {
            s.build()?
        };
        let th = theory(&setup);
        let (l_s, m) = (th.smoothness, th.strong_convexity);
        let kappa = l_s / m;
        let gd_total = gd_steps(kappa);
        let b = setup.scenario.method.batch;
        let sgd_total = (n * gd_total).div_ceil(b);
        // Past the scenario's step limit on purpose: the lab plans its own work (its
        // total is checked by the lab).
        setup.scenario.steps = sgd_total;
        let runs = (0..setup.scenario.runs)
            .map(|r| Run::new(&setup, r))
            .collect();
        let d = setup.problem.d();
        let marks = checkpoints(sgd_total);
        let gap0 = th.initial_gap;
        Ok(Race {
            n,
            b,
            problem: setup.problem.clone(),
            l_s,
            m,
            kappa,
            gap0,
            gd_lr: 1.0 / l_s,
            gd_total,
            gd_w: setup.w0.clone(),
            gd_g: vec![0.0; d],
            gd_next: 0,
            gd_gaps: vec![gap0],
            runs,
            sgd_total,
            sgd_gaps: vec![vec![gap0]; setup.scenario.runs as usize],
            marks,
        })
    }

    /// The evaluations the x-axis runs to for this data set: GD's planned passes.
    pub fn x_max(&self) -> u64 {
        self.n * self.gd_total
    }

    /// GD's steps finished.
    pub fn gd_done(&self) -> u64 {
        self.gd_gaps.len() as u64 - 1
    }

    /// GD's evaluations so far (the pass in progress included).
    fn gd_work(&self) -> u64 {
        self.gd_done() * self.n + self.gd_next as u64
    }

    /// Work left in units of one evaluation (GD) or one step (SGD).
    pub fn left(&self) -> u64 {
        let gd = self.x_max() - self.gd_work();
        let sgd: u64 = self
            .runs
            .iter()
            .map(|r| {
                if r.is_done() {
                    0
                } else {
                    self.sgd_total - r.t()
                }
            })
            .sum();
        gd + sgd
    }

    /// All the work, in the same units.
    pub fn total(&self) -> u64 {
        self.x_max() + self.sgd_total * self.runs.len() as u64
    }

    /// Advances GD and every SGD run up to `frontier` evaluations (or their end),
    /// spending at most about `budget` units; returns the units spent.
    pub fn advance(&mut self, frontier: u64, budget: u64) -> u64 {
        let mut spent = 0;
        let n = self.n as usize;
        let scale = 1.0 / self.n as f64;
        // GD, sample by sample, a step at the end of each pass.
        while spent < budget && self.gd_done() < self.gd_total {
            let pass_end = (self.gd_done() + 1) * self.n;
            if pass_end > frontier.max(self.n) {
                break;
            }
            let chunk = (n - self.gd_next).min((budget - spent) as usize);
            for i in self.gd_next..self.gd_next + chunk {
                self.problem
                    .add_grad_i(&self.gd_w, i, scale, &mut self.gd_g);
            }
            self.gd_next += chunk;
            spent += chunk as u64;
            if self.gd_next == n {
                for (w, g) in self.gd_w.iter_mut().zip(&mut self.gd_g) {
                    *w -= self.gd_lr * *g;
                    *g = 0.0;
                }
                self.gd_next = 0;
                self.gd_gaps.push(self.problem.gap(&self.gd_w));
            }
        }
        // SGD, run by run, to the frontier.
        let last = (frontier / self.b).min(self.sgd_total);
        for (run, gaps) in self.runs.iter_mut().zip(&mut self.sgd_gaps) {
            while spent < budget && run.t() < last && !run.is_done() {
                if run.step() != Outcome::Stepped {
                    break;
                }
                spent += 1;
                if self.marks.get(gaps.len()) == Some(&run.t()) {
                    gaps.push(run.gap());
                }
            }
        }
        spent
    }

    /// Whether GD and every run reached `frontier` evaluations (or ended).
    pub fn reached(&self, frontier: u64) -> bool {
        let gd = self.gd_done() == self.gd_total || (self.gd_done() + 1) * self.n > frontier;
        let last = (frontier / self.b).min(self.sgd_total);
        gd && self.runs.iter().all(|r| r.is_done() || r.t() >= last)
    }

    /// The first (run, step) that diverged.
    pub fn diverged(&self) -> Option<(u64, u64)> {
        self.runs
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some((i as u64, r.diverged_at()?)))
            .min_by_key(|&(i, t)| (t, i))
    }

    /// How many checkpoints every run reached.
    pub fn complete(&self) -> usize {
        self.sgd_gaps.iter().map(Vec::len).min().unwrap_or(0)
    }

    /// SGD's mean gap over the runs at each checkpoint every run reached.
    pub fn sgd_mean(&self) -> Vec<f64> {
        let r = self.sgd_gaps.len() as f64;
        (0..self.complete())
            .map(|k| self.sgd_gaps.iter().map(|g| g[k]).sum::<f64>() / r)
            .collect()
    }

    /// The 10–90 % band of SGD's runs at each checkpoint every run reached.
    pub fn sgd_band(&self) -> (Vec<f64>, Vec<f64>) {
        let gaps: Vec<&[f64]> = self.sgd_gaps.iter().map(Vec::as_slice).collect();
        crate::lab::engine::band::band(
            &gaps,
            self.complete(),
            crate::lab::engine::ensemble::BAND_LO,
            crate::lab::engine::ensemble::BAND_HI,
            1,
        )
    }

    /// SGD's evaluations at checkpoint `k`.
    pub fn sgd_work(&self, k: usize) -> u64 {
        self.marks[k] * self.b
    }

    /// SGD's mean gap at `x` evaluations, from the checkpoints around it (linear in
    /// log–log between them); `None` beyond what every run reached.
    pub fn sgd_mean_at(&self, x: f64, mean: &[f64]) -> Option<f64> {
        let k = (1..mean.len()).find(|&k| self.sgd_work(k) as f64 >= x)?;
        let (x1, y1) = (self.sgd_work(k) as f64, mean[k]);
        if k == 1 || x1 == x {
            return Some(y1);
        }
        let (x0, y0) = (self.sgd_work(k - 1) as f64, mean[k - 1]);
        let f = libm::log(x / x0) / libm::log(x1 / x0);
        Some(libm::exp(
            libm::log(y0) + f * (libm::log(y1) - libm::log(y0)),
        ))
    }

    /// Where GD first gets below SGD's mean: its step t, the evaluations n·t, and
    /// SGD's mean gap there, the ε at which the two cross (above it SGD reached the gap
    /// with fewer evaluations, below it GD). `None` until both are known that far, or
    /// when GD stays above within the x-axis.
    pub fn crossover(&self) -> Option<Crossing> {
        let mean = self.sgd_mean();
        for t in 1..self.gd_gaps.len() {
            let x = (self.n * t as u64) as f64;
            let sgd = self.sgd_mean_at(x, &mean)?;
            if self.gd_gaps[t] < sgd {
                return Some(Crossing {
                    gd_step: t as u64,
                    work: x as u64,
                    epsilon: sgd,
                });
            }
        }
        None
    }

    /// GD's first step whose gap is at most `eps`, if computed.
    pub fn gd_reach(&self, eps: f64) -> Option<u64> {
        self.gd_gaps
            .iter()
            .position(|&g| g <= eps)
            .map(|t| t as u64)
    }

    /// SGD's first checkpoint step where the mean gap is at most `eps`, if computed.
    pub fn sgd_reach(&self, eps: f64) -> Option<u64> {
        let mean = self.sgd_mean();
        mean.iter().position(|&g| g <= eps).map(|k| self.marks[k])
    }

    /// Whether all the work is done.
    pub fn is_done(&self) -> bool {
        self.left() == 0
    }
}

/// Where GD overtakes SGD.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Crossing {
    pub gd_step: u64,
    pub work: u64,
    pub epsilon: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoints_are_log_spaced_increasing_and_end_at_the_last() {
        let c = checkpoints(3_200_000);
        assert_eq!(&c[..4], &[0, 1, 2, 3]);
        assert_eq!(*c.last().unwrap(), 3_200_000);
        assert!(c.windows(2).all(|w| w[0] < w[1]));
        // 6.5 decades at 50 a decade, less the repeats below 10^(1/50 · k) < 1 apart.
        assert!((250..=330).contains(&c.len()), "{}", c.len());
        // From 100 on, consecutive checkpoints are within 10^(1/50) ≈ 1.047 (+1 for
        // the floor).
        for w in c.windows(2).filter(|w| w[0] >= 100) {
            assert!(w[1] as f64 <= w[0] as f64 * 1.048 + 1.0, "{w:?}");
        }
    }

    #[test]
    fn gd_steps_follow_the_bound() {
        // (1 − 1/4)^(2t) ≤ 1e-8 first at t = ⌈ln 1e8 / (−2 ln 0.75)⌉ = ⌈32.02⌉ = 33.
        assert_eq!(gd_steps(4.0), 33);
        assert_eq!(gd_steps(1.0), 1);
    }
}
