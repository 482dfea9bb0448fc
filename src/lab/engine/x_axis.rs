//! What a gap chart puts on its x-axis: steps, per-sample gradient evaluations (the
//! cost a comparison of methods should be fair in), samples processed, or epochs =
//! evaluations / n. Samples processed equal the evaluations for every method but SVRG,
//! whose step evaluates each of its b samples twice (at w and at the snapshot).

use super::track::Track;
use crate::method::{MethodKind, MethodSpec};
use crate::run::Trajectory;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XAxis {
    Steps,
    GradEvals,
    Samples,
    Epochs,
}

impl XAxis {
    pub const ALL: [XAxis; 4] = [
        XAxis::Steps,
        XAxis::GradEvals,
        XAxis::Samples,
        XAxis::Epochs,
    ];

    /// The name in a URL or scenario.
    pub fn id(self) -> &'static str {
        match self {
            XAxis::Steps => "steps",
            XAxis::GradEvals => "grad_evals",
            XAxis::Samples => "samples",
            XAxis::Epochs => "epochs",
        }
    }

    /// The axis title of a chart.
    pub fn label(self) -> &'static str {
        match self {
            XAxis::Steps => "step t",
            XAxis::GradEvals => "gradient evaluations",
            XAxis::Samples => "samples processed",
            XAxis::Epochs => "epochs (gradient evaluations / n)",
        }
    }

    /// The x of each point, from its step `t` and cumulative evaluations `evals` (of
    /// the same length), for a problem of `n` samples. Samples processed need the
    /// method: see [`XAxis::of_run`]; here they are the evaluations.
    pub fn values(self, t: &[f64], evals: &[f64], n: usize) -> Vec<f64> {
        match self {
            XAxis::Steps => t.to_vec(),
            XAxis::GradEvals | XAxis::Samples => evals.to_vec(),
            XAxis::Epochs => evals.iter().map(|e| e / n as f64).collect(),
        }
    }

    /// The x of each step of a whole run of `method`: as [`XAxis::of_trajectory`],
    /// with samples processed counted for SVRG as its evaluations less the second
    /// evaluation of each step's b samples.
    pub fn of_run(self, tr: &Trajectory, method: &MethodSpec, n: usize) -> Vec<f64> {
        let mut x = self.of_trajectory(tr, n);
        if self == XAxis::Samples && method.kind == MethodKind::Svrg {
            for (t, v) in x.iter_mut().enumerate() {
                *v -= (method.batch * t as u64) as f64;
            }
        }
        x
    }

    /// The x of each point of a track's history.
    #[cfg_attr(not(test), allow(dead_code))] // no lab draws a Track's gaps by evaluations yet
    pub(in crate::lab) fn of_track(self, track: &Track) -> Vec<f64> {
        let n = track.run.problem().n();
        self.values(&track.hist.t, &track.hist.evals, n)
    }

    /// The x of each step of a whole run (an ensemble's kept run: every run of a
    /// scenario evaluates as many gradients at each step, so it serves the mean too).
    pub fn of_trajectory(self, tr: &Trajectory, n: usize) -> Vec<f64> {
        let t: Vec<f64> = (0..tr.grad_evals.len()).map(|t| t as f64).collect();
        let evals: Vec<f64> = tr.grad_evals.iter().map(|&e| e as f64).collect();
        self.values(&t, &evals, n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    const N: u64 = 6;
    const B: u64 = 2;
    const INNER: u64 = 4;
    const STEPS: u64 = 23;

    fn track(method: &str) -> Track {
        let setup = Scenario::from_json(&format!(
            r#"{{"problem": {{"kind": "least_squares", "x": [[1.5], [2.0], [1.8], [0.4], [1.1], [0.9]], "y": [1, 3, 2, 0, 1, 2]}},
                "method": {method}, "w0": [0.5], "steps": {STEPS}, "runs": 1, "seed": 3}}"#
        ))
        .unwrap()
        .build()
        .unwrap();
        let mut tr = Track::new(&setup, 0);
        while tr.step(f64::INFINITY) {}
        assert_eq!((tr.stop, tr.hist.len() as u64), (None, STEPS + 1));
        tr
    }

    /// Every axis of `tr` against the closed form `evals(t)` of its method.
    fn check(tr: &Track, evals: impl Fn(u64) -> u64) {
        let steps = XAxis::Steps.of_track(tr);
        let ge = XAxis::GradEvals.of_track(tr);
        let ep = XAxis::Epochs.of_track(tr);
        for t in 0..=STEPS {
            let k = t as usize;
            assert_eq!(steps[k], t as f64);
            assert_eq!(ge[k], evals(t) as f64, "evaluations after {t} steps");
            assert_eq!(ep[k], evals(t) as f64 / N as f64);
        }
    }

    #[test]
    fn the_axes_follow_each_methods_cost_in_gradient_evaluations() {
        // GD: the full gradient, n a step; an epoch is a step.
        let gd = track(r#"{"kind": "gd", "lr": 0.1}"#);
        check(&gd, |t| N * t);
        assert_eq!(XAxis::Epochs.of_track(&gd)[5], 5.0);
        // SGD with batch b: b a step.
        check(&track(r#"{"kind": "sgd", "lr": 0.1, "batch": 2}"#), |t| {
            B * t
        });
        // SVRG: n at every snapshot (steps 0, inner, 2 inner, …), then 2b a step.
        check(
            &track(r#"{"kind": "svrg", "lr": 0.1, "batch": 2, "inner": 4}"#),
            |t| N * t.div_ceil(INNER) + 2 * B * t,
        );
        // SAG and SAGA: n once for the table at w0, then b a step.
        for kind in ["sag", "saga"] {
            check(
                &track(&format!(r#"{{"kind": "{kind}", "lr": 0.1, "batch": 2}}"#)),
                |t| if t == 0 { 0 } else { N + B * t },
            );
        }
    }

    #[test]
    fn samples_processed_are_the_evaluations_but_for_svrg_s_second_look() {
        for (method, samples) in [
            (
                r#"{"kind": "gd", "lr": 0.1}"#,
                Box::new(|t: u64| N * t) as Box<dyn Fn(u64) -> u64>,
            ),
            (
                r#"{"kind": "sgd", "lr": 0.1, "batch": 2}"#,
                Box::new(|t| B * t),
            ),
            (
                r#"{"kind": "svrg", "lr": 0.1, "batch": 2, "inner": 4}"#,
                Box::new(|t| N * t.div_ceil(INNER) + B * t),
            ),
            (
                r#"{"kind": "saga", "lr": 0.1, "batch": 2}"#,
                Box::new(|t| if t == 0 { 0 } else { N + B * t }),
            ),
        ] {
            let setup = Scenario::from_json(&format!(
                r#"{{"problem": {{"kind": "least_squares", "x": [[1.5], [2.0], [1.8], [0.4], [1.1], [0.9]], "y": [1, 3, 2, 0, 1, 2]}},
                    "method": {method}, "w0": [0.5], "steps": {STEPS}, "runs": 1, "seed": 3}}"#
            ))
            .unwrap()
            .build()
            .unwrap();
            let tr = crate::run::simulate(&setup, 0);
            let x = XAxis::Samples.of_run(&tr, &setup.scenario.method, N as usize);
            for t in 0..=STEPS {
                assert_eq!(x[t as usize], samples(t) as f64, "{method} after {t} steps");
            }
        }
    }

    #[test]
    fn a_whole_run_gives_the_same_axes_as_its_track() {
        let setup = crate::presets::find("decay")
            .unwrap()
            .scenario()
            .build()
            .unwrap();
        let tr = crate::run::simulate(&setup, 0);
        let mut track = Track::new(&setup, 0);
        while track.step(f64::INFINITY) {}
        let n = setup.problem.n();
        for axis in XAxis::ALL {
            // The preset's run is shorter than the history's cap: every point is kept.
            assert_eq!(
                axis.of_trajectory(&tr, n),
                axis.of_track(&track),
                "{}",
                axis.id()
            );
        }
        let last = *tr.grad_evals.last().unwrap() as f64;
        assert!(last > 0.0);
        assert_eq!(
            *XAxis::Epochs.of_trajectory(&tr, n).last().unwrap(),
            last / n as f64
        );
    }
}
