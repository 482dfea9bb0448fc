//! One run as a lab shows it: the run, its decimated history and its own stop. A track
//! that diverges (or leaves the picture) stops alone; the lab's other tracks go on.

use crate::lab::history::History;
use crate::run::{Outcome, Run};
use crate::scenario::Setup;

pub(in crate::lab) struct Track {
    pub run: Run,
    /// What is drawn of it (at most `HISTORY_CAP` points).
    pub hist: History,
    /// The step at which it stopped early (diverged, or its gap passed the lab's
    /// blow-up limit); `None` while it runs or once it has finished normally.
    pub stop: Option<u64>,
}

impl Track {
    /// Run `index` of `setup`, at step 0.
    pub fn new(setup: &Setup, index: u64) -> Track {
        let run = Run::new(setup, index);
        let hist = History::new(setup.scenario.steps, &setup.w0, run.gap());
        Track {
            run,
            hist,
            stop: None,
        }
    }

    /// One step, unless stopped or done; whether it moved. A step whose gap is above
    /// `blowup` (or not a number) is recorded and then stops the track; a run that
    /// diverges stops at the step where it did, without a point.
    #[allow(clippy::neg_cmp_op_on_partial_ord)]
    pub fn step(&mut self, blowup: f64) -> bool {
        if self.stop.is_some() {
            return false;
        }
        match self.run.step() {
            Outcome::Stepped => {
                // `!(a <= b)` so that a NaN gap stops the track too.
                if !(self.run.gap() <= blowup) {
                    self.stop = Some(self.run.t());
                }
                self.hist.push(
                    self.run.t(),
                    self.run.grad_evals(),
                    self.run.w(),
                    self.run.gap(),
                );
                true
            }
            Outcome::Diverged => {
                self.stop = Some(self.run.diverged_at().unwrap_or(self.run.t() + 1));
                false
            }
            Outcome::Done => false,
        }
    }

    /// Nothing more to step: stopped early or at the end.
    pub fn done(&self) -> bool {
        self.stop.is_some() || self.run.is_done()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    fn setup(lr: f64) -> Setup {
        Scenario::from_json(&format!(
            r#"{{"problem": {{"kind": "least_squares", "x": [[1.5], [2.0], [1.8]], "y": [1, 3, 2]}},
                "method": {{"kind": "gd", "lr": {lr}}}, "w0": [0.5], "steps": 400, "runs": 1, "seed": 1}}"#
        ))
        .unwrap()
        .build()
        .unwrap()
    }

    #[test]
    fn a_diverging_track_stops_alone_where_its_gap_passes_the_limit() {
        // GD on L(w) = mean ½(x w − y)²: L_s = mean x² ≈ 3.16, so η = 1 diverges
        // (|1 − η L_s| > 1) and η = 0.1 converges.
        let (good, bad) = (setup(0.1), setup(1.0));
        let mut tracks = [Track::new(&good, 0), Track::new(&bad, 0)];
        let gap0 = tracks[1].run.gap();
        let blowup = 1e6 * gap0;
        let mut moved = 0;
        while tracks.iter().any(|t| !t.done()) {
            for t in &mut tracks {
                moved += u32::from(t.step(blowup));
            }
        }
        let at = tracks[1].stop.expect("η = 1 diverges");
        // The gap grows by (1 − η L_s)² ≈ 4.7 a step: past 1e6 · gap0 after about
        // ln(1e6)/ln(4.7) ≈ 9 steps, and the step that passed it is recorded last.
        assert!((8..=16).contains(&at), "stopped at {at}");
        assert_eq!(*tracks[1].hist.t.last().unwrap(), at as f64);
        assert!(*tracks[1].hist.gap.last().unwrap() > blowup);
        assert!(!tracks[1].step(blowup), "a stopped track does not move");
        // The other goes on to the end, unstopped, every step recorded.
        assert_eq!((tracks[0].stop, tracks[0].run.t()), (None, 400));
        assert_eq!(tracks[0].hist.len(), 401);
        assert_eq!(moved as u64, 400 + at);
    }
}
