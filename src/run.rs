//! One run of a scenario, advanced a step at a time so that the browser can animate
//! it; its whole state can be read between steps.

use crate::averaging::Averager;
use crate::method::Optimizer;
use crate::problem::Problem;
use crate::rng::Rng;
use crate::sampler::Sampler;
use crate::scenario::Setup;
use crate::schedule::Schedule;
use std::sync::Arc;

pub use sgd_lab_kernel::MAX_GAP;

/// What a call to [`Run::step`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The step was taken and its result is finite.
    Stepped,
    /// The step produced a non-finite iterate or a gap above [`MAX_GAP`]: the run is
    /// frozen before it.
    Diverged,
    /// The run had already taken all its steps (or diverged earlier): nothing changed.
    Done,
}

#[derive(Clone, Debug)]
pub struct Run {
    problem: Arc<Problem>,
    optimizer: Optimizer,
    schedule: Schedule,
    lr: f64,
    steps: u64,
    rng: Rng,
    sampler: Sampler,
    averager: Option<Averager>,
    t: u64,
    w: Vec<f64>,
    trial: Vec<f64>,
    batch: Vec<u32>,
    gap: f64,
    avg_gap: f64,
    last_lr: f64,
    grad_evals: u64,
    diverged_at: Option<u64>,
}

impl Run {
    /// Run number `index` of the scenario (its random stream depends only on the
    /// scenario's seed and `index`).
    pub fn new(setup: &Setup, index: u64) -> Run {
        let s = &setup.scenario;
        let p = setup.problem.clone();
        let w = setup.w0.clone();
        let averager = Averager::new(&s.averaging, &w);
        let gap = p.gap(&w);
        Run {
            optimizer: Optimizer::new(&s.method, &p),
            schedule: s.schedule.clone(),
            lr: s.method.lr,
            steps: s.steps,
            rng: Rng::for_run(s.seed, index),
            sampler: {
                let sampler = Sampler::new(s.method.sampling, p.n(), s.method.batch as usize);
                match s.method.probabilities() {
                    Some(pr) => sampler.with_probabilities(&pr),
                    None => sampler,
                }
            },
            averager,
            t: 0,
            trial: w.clone(),
            w,
            batch: Vec::with_capacity(s.method.batch as usize),
            gap,
            avg_gap: gap,
            last_lr: 0.0,
            grad_evals: 0,
            diverged_at: None,
            problem: p,
        }
    }

    /// Takes step t → t + 1. Allocates nothing.
    pub fn step(&mut self) -> Outcome {
        if self.is_done() {
            return Outcome::Done;
        }
        let lr = self.schedule.lr(self.lr, self.t, self.steps);
        if self.optimizer.estimator.samples() {
            self.sampler.next_batch(&mut self.rng, &mut self.batch);
        }
        self.trial.copy_from_slice(&self.w);
        let evals = self
            .optimizer
            .step(&self.problem, &mut self.trial, &self.batch, lr, self.t);
        let gap = self.problem.gap(&self.trial);
        if gap.is_nan() || gap > MAX_GAP || self.trial.iter().any(|v| !v.is_finite()) {
            self.diverged_at = Some(self.t + 1);
            return Outcome::Diverged;
        }
        std::mem::swap(&mut self.w, &mut self.trial);
        self.t += 1;
        self.gap = gap;
        self.last_lr = lr;
        self.grad_evals += evals;
        if let Some(a) = &mut self.averager {
            a.update(self.t, &self.w);
            self.avg_gap = self.problem.gap(a.value());
        }
        Outcome::Stepped
    }

    pub fn is_done(&self) -> bool {
        self.t >= self.steps || self.diverged_at.is_some()
    }
    /// Steps taken so far (the iterate is w_t).
    pub fn t(&self) -> u64 {
        self.t
    }
    pub fn w(&self) -> &[f64] {
        &self.w
    }
    /// L(w_t) − L*.
    pub fn gap(&self) -> f64 {
        self.gap
    }
    /// L(w_t).
    pub fn loss(&self) -> f64 {
        match &*self.problem {
            // For quadratic problems L = L* + gap exactly.
            Problem::Logistic(p) => p.loss(&self.w),
            p => p.min_loss() + self.gap,
        }
    }
    /// The averaged iterate u_t, when averaging is on.
    pub fn avg_w(&self) -> Option<&[f64]> {
        self.averager.as_ref().map(|a| a.value())
    }
    pub fn avg_gap(&self) -> Option<f64> {
        self.averager.as_ref().map(|_| self.avg_gap)
    }
    /// The step size the last step used (0 before the first step).
    pub fn last_lr(&self) -> f64 {
        self.last_lr
    }
    /// The indices the last step drew (empty for GD and before the first step).
    pub fn last_batch(&self) -> &[u32] {
        if self.t == 0 || !self.optimizer.estimator.samples() {
            &[]
        } else {
            &self.batch
        }
    }
    /// Cumulative per-sample gradient evaluations.
    pub fn grad_evals(&self) -> u64 {
        self.grad_evals
    }
    /// The step whose result was not finite, if any (the iterate stays w_{t}).
    pub fn diverged_at(&self) -> Option<u64> {
        self.diverged_at
    }
    pub fn problem(&self) -> &Arc<Problem> {
        &self.problem
    }
}

/// Everything one run produced, step by step (index 0 is the start).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trajectory {
    pub d: usize,
    /// w_0 … w_T, flattened (T + 1) × d.
    pub w: Vec<f64>,
    pub loss: Vec<f64>,
    pub gap: Vec<f64>,
    /// η_t used by step t (T entries).
    pub lr: Vec<f64>,
    /// Indices drawn by step t (T entries; empty lists for GD).
    pub indices: Vec<Vec<u32>>,
    /// Cumulative evaluations after 0 … T steps.
    pub grad_evals: Vec<u64>,
    pub avg_w: Option<Vec<f64>>,
    pub avg_gap: Option<Vec<f64>>,
    pub diverged_at: Option<u64>,
}

impl Trajectory {
    /// The trajectory's first point: where `run` starts.
    pub(crate) fn start(run: &Run) -> Trajectory {
        Trajectory {
            d: run.w().len(),
            w: run.w().to_vec(),
            loss: vec![run.loss()],
            gap: vec![run.gap()],
            lr: Vec::new(),
            indices: Vec::new(),
            grad_evals: vec![0],
            avg_w: run.avg_w().map(|u| u.to_vec()),
            avg_gap: run.avg_gap().map(|g| vec![g]),
            diverged_at: None,
        }
    }

    /// Records the step `run` just took.
    pub(crate) fn push(&mut self, run: &Run) {
        self.w.extend_from_slice(run.w());
        self.loss.push(run.loss());
        self.gap.push(run.gap());
        self.lr.push(run.last_lr());
        self.indices.push(run.last_batch().to_vec());
        self.grad_evals.push(run.grad_evals());
        if let (Some(v), Some(u)) = (&mut self.avg_w, run.avg_w()) {
            v.extend_from_slice(u);
        }
        if let (Some(v), Some(g)) = (&mut self.avg_gap, run.avg_gap()) {
            v.push(g);
        }
    }

    /// Number of recorded points (steps taken + 1).
    pub fn len(&self) -> usize {
        self.gap.len()
    }
    pub fn is_empty(&self) -> bool {
        self.gap.is_empty()
    }
    /// w_t.
    pub fn point(&self, t: usize) -> &[f64] {
        &self.w[t * self.d..(t + 1) * self.d]
    }
}

/// Runs run `index` of the setup to the end, recording everything.
pub fn simulate(setup: &Setup, index: u64) -> Trajectory {
    let mut run = Run::new(setup, index);
    let mut tr = Trajectory::start(&run);
    while run.step() == Outcome::Stepped {
        tr.push(&run);
    }
    tr.diverged_at = run.diverged_at();
    tr
}
