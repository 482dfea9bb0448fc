//! One step size's SGD paths: the runs, their recorded history, the angle of their
//! steps to −∇L and their measured and exact stationary spread.

use super::stationary::stationary;
use super::WINDOW;
use crate::lab::engine::track::Track;
use crate::lab::knob::fmt_number;
use crate::method::MethodKind;
use crate::sampler::Sampling;
use crate::scenario::Setup;

/// One step size's paths.
pub(super) struct Group {
    pub(super) lr: f64,
    pub(super) setup: Setup,
    /// Path r is run r of `setup` (the same samples for both step sizes).
    pub(super) tracks: Vec<Track>,
    /// Σ of the angle between a step and −∇L (radians), and how many steps.
    pub(super) angle: (f64, u64),
    /// Exact stationary E‖w − w*‖² and E[L − L*] (None: η too large, or not plain SGD
    /// with replacement at a constant step).
    pub(super) spread: Option<f64>,
    pub(super) stationary_gap: Option<f64>,
}

impl Group {
    pub(super) fn new(setup: Setup, h: &[f64; 4], sigma_c: &[f64; 4]) -> Group {
        let s = &setup.scenario;
        let plain = s.method.kind == MethodKind::Sgd
            && s.method.momentum == 0.0
            && s.method.sampling == Sampling::WithReplacement
            && s.schedule.is_constant();
        let p = plain
            .then(|| stationary(h, sigma_c, s.method.lr, s.method.batch as f64))
            .flatten();
        let mut g = Group {
            lr: s.method.lr,
            tracks: Vec::new(),
            angle: (0.0, 0),
            spread: p.map(|p| p[0] + p[2]),
            stationary_gap: p.map(|p| 0.5 * (h[0] * p[0] + (h[1] + h[2]) * p[1] + h[3] * p[2])),
            setup,
        };
        g.reset();
        g
    }

    pub(super) fn reset(&mut self) {
        let runs = self.setup.scenario.runs;
        self.tracks = (0..runs).map(|r| Track::new(&self.setup, r)).collect();
        self.angle = (0.0, 0);
    }

    /// One step of every path; whether any moved.
    pub(super) fn step(&mut self, w_star: &[f64; 2], h: &[f64; 4], blowup: f64) -> bool {
        let mut any = false;
        for track in &mut self.tracks {
            let before = [track.run.w()[0], track.run.w()[1]];
            if !track.step(blowup) {
                continue;
            }
            let w = track.run.w();
            let d = [w[0] - before[0], w[1] - before[1]];
            let e = [before[0] - w_star[0], before[1] - w_star[1]];
            let g = [-(h[0] * e[0] + h[1] * e[1]), -(h[2] * e[0] + h[3] * e[1])];
            let (nd, ng) = (libm::hypot(d[0], d[1]), libm::hypot(g[0], g[1]));
            if nd > 0.0 && ng > 0.0 {
                let c = ((d[0] * g[0] + d[1] * g[1]) / (nd * ng)).clamp(-1.0, 1.0);
                self.angle.0 += c.acos();
                self.angle.1 += 1;
            }
            any = true;
        }
        any
    }

    /// Every path's recorded history, in path order.
    pub(super) fn hist(&self) -> impl Iterator<Item = &crate::lab::history::History> {
        self.tracks.iter().map(|tr| &tr.hist)
    }

    pub(super) fn t(&self) -> u64 {
        self.tracks.iter().map(|tr| tr.run.t()).max().unwrap_or(0)
    }

    pub(super) fn done(&self) -> bool {
        self.tracks.iter().all(Track::done)
    }

    /// Mean ‖w − w*‖² over the paths that have not diverged and their last `WINDOW`
    /// recorded steps.
    pub(super) fn measured_spread(&self, w_star: &[f64; 2]) -> Option<f64> {
        let mut sum = 0.0;
        let mut count = 0u64;
        for (h, stop) in self.tracks.iter().map(|tr| (&tr.hist, tr.stop)) {
            if stop.is_some() {
                continue;
            }
            let last = *h.t.last()?;
            for k in (0..h.len()).rev() {
                if h.t[k] + (WINDOW as f64) <= last {
                    break;
                }
                let p = h.point(k);
                sum += (p[0] - w_star[0]).powi(2) + (p[1] - w_star[1]).powi(2);
                count += 1;
            }
        }
        (count > 0).then(|| sum / count as f64)
    }

    /// The mean gap over the paths at path 0's recorded steps (x, mean).
    pub(super) fn mean_gap(&self) -> (Vec<f64>, Vec<f64>) {
        let Some(h0) = self.hist().max_by_key(|h| h.len()) else {
            return (Vec::new(), Vec::new());
        };
        let mut xs = Vec::with_capacity(h0.len());
        let mut ys = Vec::with_capacity(h0.len());
        for (k, &t) in h0.t.iter().enumerate() {
            let mut sum = 0.0;
            let mut n = 0;
            for h in self.hist() {
                let idx = if h.t.get(k) == Some(&t) {
                    Some(k)
                } else {
                    h.t.binary_search_by(|v| v.total_cmp(&t)).ok()
                };
                if let Some(i) = idx {
                    sum += h.gap[i];
                    n += 1;
                }
            }
            if n == self.tracks.len() {
                xs.push(t);
                ys.push(sum / n as f64);
            }
        }
        (xs, ys)
    }

    pub(super) fn label(&self, name: &str) -> String {
        let n = self.tracks.len();
        format!(
            "{name} = {} ({n} path{})",
            fmt_number(self.lr),
            if n == 1 { "" } else { "s" }
        )
    }
}
