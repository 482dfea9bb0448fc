//! R independent runs of one scenario ("every student trains once"): the mean and
//! spread of the loss gap per step, accumulated while running, plus the first few
//! trajectories in full. Memory is O(steps + kept trajectories), never O(runs × steps).
//! The work can be done in slices (the browser shows progress between them): whole
//! runs ([`Ensemble::advance`]) or a few steps of one run ([`Ensemble::advance_steps`],
//! resumed by the next call), with the same bits as doing it all at once.

mod plan;

pub use sgd_lab_kernel::lanes::LANES;
pub use sgd_lab_kernel::stats::StepStats;

use crate::run::{simulate, Outcome, Run, Trajectory};
use crate::scenario::Setup;
use sgd_lab_kernel::lanes::AnyPlan;

pub struct Ensemble {
    setup: Setup,
    keep: usize,
    done: u64,
    gap: StepStats,
    avg_gap: Option<StepStats>,
    kept: Vec<Trajectory>,
    diverged: Vec<(u64, u64)>,
    plan: Option<AnyPlan>,
    /// The run in progress of [`Ensemble::advance_steps`], if any.
    partial: Option<Partial>,
}

/// A generic run taken part of the way: what it has recorded so far, absorbed into
/// the statistics only when it ends (so that they hold whole runs, in run order).
struct Partial {
    run: Run,
    /// The whole trajectory, for a kept run.
    traj: Option<Trajectory>,
    /// Otherwise the gaps (and averaged gaps) per step.
    gaps: Vec<f64>,
    avg_gaps: Option<Vec<f64>>,
}

impl Ensemble {
    /// Keeps the full trajectories of the first `keep` runs.
    pub fn new(setup: &Setup, keep: usize) -> Ensemble {
        let points = setup.scenario.steps as usize + 1;
        Ensemble {
            keep,
            done: 0,
            gap: StepStats::new(points),
            avg_gap: setup
                .scenario
                .averaging
                .ne(&Default::default())
                .then(|| StepStats::new(points)),
            kept: Vec::new(),
            diverged: Vec::new(),
            plan: plan::plan(setup),
            partial: None,
            setup: setup.clone(),
        }
    }

    /// The same ensemble, also counting every run's gap in a log-binned histogram per
    /// step, so that [`Ensemble::gap_quantiles`] covers all runs (at
    /// `sgd_lab_kernel::histogram::BINS` counts a step). Before any run.
    pub fn with_quantiles(mut self) -> Ensemble {
        debug_assert_eq!(self.done, 0);
        self.gap = StepStats::with_histogram(self.setup.scenario.steps as usize + 1);
        self
    }

    /// The `lo` and `hi` quantiles of the gap over all runs done, at steps 0 … `upto`
    /// − 1 (within 2^(1/8) of the order statistics and inside the step's [min, max];
    /// NaN where no run reached a step);
    /// `None` unless made [`Ensemble::with_quantiles`].
    pub fn gap_quantiles(&self, upto: usize, lo: f64, hi: f64) -> Option<(Vec<f64>, Vec<f64>)> {
        let g = &self.gap;
        let h = g.hist.as_ref()?;
        let upto = upto.min(g.count.len());
        // Inside the step's range (the bins' width would otherwise widen identical runs).
        let q = |t: usize, p: f64| {
            let v = h.quantile(t, p);
            if v.is_nan() {
                v
            } else {
                v.max(g.min[t]).min(g.max[t])
            }
        };
        Some((
            (0..upto).map(|t| q(t, lo)).collect(),
            (0..upto).map(|t| q(t, hi)).collect(),
        ))
    }

    /// Same as `new`, but always through the generic [`Run`] (for tests and benchmarks
    /// of the interleaved kernel against it).
    pub fn generic(setup: &Setup, keep: usize) -> Ensemble {
        let mut e = Ensemble::new(setup, keep);
        e.plan = None;
        e
    }

    pub fn runs(&self) -> u64 {
        self.setup.scenario.runs
    }
    pub fn runs_done(&self) -> u64 {
        self.done
    }
    pub fn is_done(&self) -> bool {
        self.done >= self.runs()
    }
    /// Whether the interleaved kernel computes this ensemble.
    pub fn is_interleaved(&self) -> bool {
        self.plan.is_some()
    }

    /// Progress in runs, counting the steps of a run in progress: 0 … runs.
    pub fn runs_progress(&self) -> f64 {
        let part = self.partial.as_ref().map_or(0.0, |p| {
            p.run.t() as f64 / (self.setup.scenario.steps.max(1) + 1) as f64
        });
        self.done as f64 + part
    }

    /// Computes about `budget` run-steps (one step of one run is one unit; a block of
    /// the interleaved kernel counts all its lanes' steps and is never split), at least
    /// one unit. A generic run that does not fit is left part of the way and resumed
    /// by the next call. Returns the runs done so far.
    pub fn advance_steps(&mut self, budget: u64) -> u64 {
        let mut left = budget.max(1);
        let steps = self.setup.scenario.steps;
        while left > 0 && !self.is_done() {
            let r = self.done;
            if self.partial.is_none() {
                if (r as usize) >= self.keep {
                    if let (Some(plan), true) = (&self.plan, r + LANES as u64 <= self.runs()) {
                        let div = plan.block(r, &mut self.gap);
                        for (k, d) in div.iter().enumerate() {
                            if let Some(step) = d {
                                self.diverged.push((r + k as u64, *step));
                            }
                        }
                        self.done += LANES as u64;
                        left = left.saturating_sub(LANES as u64 * (steps + 1));
                        continue;
                    }
                }
                let run = Run::new(&self.setup, r);
                let kept = (r as usize) < self.keep;
                self.partial = Some(Partial {
                    traj: kept.then(|| Trajectory::start(&run)),
                    gaps: if kept { Vec::new() } else { vec![run.gap()] },
                    avg_gaps: if kept {
                        None
                    } else {
                        run.avg_gap().map(|g| vec![g])
                    },
                    run,
                });
            }
            let p = self.partial.as_mut().expect("a run in progress");
            let mut ended = false;
            while left > 0 {
                left -= 1;
                if p.run.step() != Outcome::Stepped {
                    ended = true;
                    break;
                }
                match &mut p.traj {
                    Some(tr) => tr.push(&p.run),
                    None => {
                        p.gaps.push(p.run.gap());
                        if let (Some(v), Some(g)) = (&mut p.avg_gaps, p.run.avg_gap()) {
                            v.push(g);
                        }
                    }
                }
            }
            if ended {
                let p = self.partial.take().expect("a run in progress");
                self.end_partial(r, p);
            }
        }
        self.done
    }

    fn end_partial(&mut self, r: u64, p: Partial) {
        match p.traj {
            Some(mut tr) => {
                tr.diverged_at = p.run.diverged_at();
                self.absorb_trajectory(r, &tr);
                self.kept.push(tr);
            }
            None => {
                for (t, &g) in p.gaps.iter().enumerate() {
                    self.gap.add(t, g);
                }
                if let (Some(s), Some(ag)) = (&mut self.avg_gap, &p.avg_gaps) {
                    for (t, &g) in ag.iter().enumerate() {
                        s.add(t, g);
                    }
                }
                if let Some(step) = p.run.diverged_at() {
                    self.diverged.push((r, step));
                }
            }
        }
        self.done += 1;
    }

    /// Computes about `budget` more runs (whole blocks); returns the runs done so far.
    pub fn advance(&mut self, budget: u64) -> u64 {
        // A run left part of the way by `advance_steps` ends first.
        if self.partial.is_some() {
            let r = self.done;
            while self.partial.is_some() {
                self.advance_steps(1);
            }
            debug_assert_eq!(self.done, r + 1);
        }
        let target = (self.done + budget.max(1)).min(self.runs());
        while self.done < target {
            let r = self.done;
            if (r as usize) < self.keep {
                let tr = simulate(&self.setup, r);
                self.absorb_trajectory(r, &tr);
                self.kept.push(tr);
                self.done += 1;
            } else if let (Some(plan), true) = (&self.plan, r + LANES as u64 <= self.runs()) {
                let div = plan.block(r, &mut self.gap);
                for (k, d) in div.iter().enumerate() {
                    if let Some(step) = d {
                        self.diverged.push((r + k as u64, *step));
                    }
                }
                self.done += LANES as u64;
            } else {
                self.run_generic(r);
                self.done += 1;
            }
        }
        self.done
    }

    /// Runs everything that is left.
    pub fn finish(&mut self) {
        self.advance(self.runs());
    }

    fn run_generic(&mut self, r: u64) {
        let mut run = Run::new(&self.setup, r);
        self.gap.add(0, run.gap());
        if let (Some(s), Some(g)) = (&mut self.avg_gap, run.avg_gap()) {
            s.add(0, g);
        }
        while run.step() == Outcome::Stepped {
            let t = run.t() as usize;
            self.gap.add(t, run.gap());
            if let (Some(s), Some(g)) = (&mut self.avg_gap, run.avg_gap()) {
                s.add(t, g);
            }
        }
        if let Some(step) = run.diverged_at() {
            self.diverged.push((r, step));
        }
    }

    fn absorb_trajectory(&mut self, r: u64, tr: &Trajectory) {
        for (t, &g) in tr.gap.iter().enumerate() {
            self.gap.add(t, g);
        }
        if let (Some(s), Some(ag)) = (&mut self.avg_gap, &tr.avg_gap) {
            for (t, &g) in ag.iter().enumerate() {
                s.add(t, g);
            }
        }
        if let Some(step) = tr.diverged_at {
            self.diverged.push((r, step));
        }
    }

    /// Per-step statistics of the gap over the runs done so far.
    pub fn gap_stats(&self) -> &StepStats {
        &self.gap
    }
    pub fn avg_gap_stats(&self) -> Option<&StepStats> {
        self.avg_gap.as_ref()
    }
    /// Number of points that every finished run reached (steps + 1 unless a run
    /// diverged); 0 before the first run has finished (a mean over no run is not 0).
    pub fn complete_len(&self) -> usize {
        if self.done == 0 {
            return 0;
        }
        self.gap.complete_len(self.done)
    }
    /// Whether every finished run reached point `t` (`t < complete_len()`, in O(1)).
    pub fn complete_at(&self, t: usize) -> bool {
        self.done > 0 && self.gap.reached_by(t, self.done)
    }
    /// Mean gap per step over all runs done, up to the first step some run did not reach.
    pub fn mean_gap(&self) -> Vec<f64> {
        self.gap.mean(self.complete_len())
    }
    pub fn mean_avg_gap(&self) -> Option<Vec<f64>> {
        self.avg_gap.as_ref().map(|s| s.mean(self.complete_len()))
    }
    pub fn kept(&self) -> &[Trajectory] {
        &self.kept
    }
    /// (run, step) of every run that diverged, in run order.
    pub fn diverged(&self) -> Vec<(u64, u64)> {
        // Already in run order as recorded; an insertion sort (linear then) makes sure
        // with less code than the standard sort.
        let mut d = self.diverged.clone();
        for i in 1..d.len() {
            let mut j = i;
            while j > 0 && d[j - 1] > d[j] {
                d.swap(j - 1, j);
                j -= 1;
            }
        }
        d
    }
    pub fn setup(&self) -> &Setup {
        &self.setup
    }
}
