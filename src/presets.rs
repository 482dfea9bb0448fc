//! Built-in scenarios: one per lab of the catalogue (same ids), plus a few more for
//! the command line. Each is an ordinary scenario document.

use crate::scenario::Scenario;

pub struct Preset {
    pub name: &'static str,
    pub title: &'static str,
    pub json: &'static str,
}

pub const PRESETS: &[Preset] = &[
    Preset {
        name: "per-sample",
        title: "1-D least squares: every sample's parabola and the zone of confusion",
        json: r#"{
  "problem": {"kind": "least_squares",
              "x": [[1.0], [0.8], [1.2], [0.6], [1.1], [0.9], [1.4], [0.7]],
              "y": [1.0, 1.6, 3.0, 0.9, 1.65, 2.25, 2.1, 1.89]},
  "method": {"kind": "sgd", "lr": 0.3, "batch": 1, "sampling": "with_replacement"},
  "w0": [-0.5], "steps": 200, "runs": 1, "seed": 1
}"#,
    },
    Preset {
        name: "step-size",
        title: "2-D quadratic: a small and a large constant step",
        json: r#"{
  "problem": {"kind": "random_quadratic", "n": 40, "d": 2, "kappa": 5, "spread": 1.0, "angle": 30, "center": [1.0, 1.0], "seed": 3},
  "method": {"kind": "sgd", "lr": 0.1, "batch": 1},
  "w0": [-3.0, 3.5], "steps": 300, "runs": 3, "seed": 1
}"#,
    },
    Preset {
        name: "decay",
        title: "1-D least squares: five step-size schedules on the same samples, 50 runs each",
        json: r#"{
  "problem": {"kind": "random_least_squares", "n": 50, "d": 1, "noise": 1.0, "seed": 2},
  "method": {"kind": "sgd", "lr": 0.5, "batch": 1},
  "compare": [
    {"label": "constant", "schedule": {"kind": "constant"}},
    {"label": "too fast", "schedule": {"kind": "exponential", "gamma": 0.6}},
    {"label": "too slow", "schedule": {"kind": "inverse_sqrt", "t0": 20}},
    {"label": "1/t", "schedule": {"kind": "inverse_time", "t0": 20}},
    {"label": "step decay", "schedule": {"kind": "step", "every": 400, "gamma": 0.5}}
  ],
  "w0": [-4.0], "steps": 2000, "runs": 50, "seed": 1
}"#,
    },
    Preset {
        name: "expected-loss",
        title: "1000 runs of SGD on 2-D least squares (κ = 5): the mean gap, the exact expectation and the lecture's bound",
        json: r#"{
  "problem": {"kind": "random_least_squares", "n": 100, "d": 2, "noise": 1.0, "kappa": 5, "seed": 4},
  "method": {"kind": "sgd", "lr": 0.05, "batch": 1},
  "w0": [-4.0, 3.0], "steps": 600, "runs": 1000, "seed": 1
}"#,
    },
    Preset {
        name: "sandbox",
        title: "2-D quadratic: SGD at a constant step, with 1/t decay, with averaging, and SVRG on the same samples",
        json: r#"{
  "problem": {"kind": "random_quadratic", "n": 50, "d": 2, "kappa": 4, "spread": 1.0, "angle": 30, "seed": 1},
  "method": {"kind": "sgd", "lr": 0.2},
  "compare": [
    {"label": "SGD", "method": {"kind": "sgd", "lr": 0.2}, "schedule": {"kind": "constant"}, "averaging": {"kind": "none"}},
    {"label": "SGD, 1/t decay", "method": {"kind": "sgd", "lr": 0.5}, "schedule": {"kind": "inverse_time", "t0": 20}, "averaging": {"kind": "none"}},
    {"label": "SGD, averaged", "method": {"kind": "sgd", "lr": 0.2}, "schedule": {"kind": "constant"}, "averaging": {"kind": "polyak", "start": 100}},
    {"label": "SVRG", "method": {"kind": "svrg", "lr": 0.2, "inner": 50}, "schedule": {"kind": "constant"}, "averaging": {"kind": "none"}}
  ],
  "w0": [-3.0, 3.0], "steps": 400, "runs": 20, "seed": 1
}"#,
    },
    Preset {
        name: "epochs",
        title: "SGD with four ways of choosing samples: with replacement, reshuffled every epoch, one order shuffled once, cyclic",
        json: r#"{
  "problem": {"kind": "random_least_squares", "n": 50, "d": 2, "noise": 1.0, "kappa": 4, "seed": 6},
  "method": {"kind": "sgd", "lr": 0.05, "batch": 1},
  "compare": [
    {"label": "with replacement", "method": {"kind": "sgd", "lr": 0.05, "sampling": "with_replacement"}, "schedule": {"kind": "constant"}, "averaging": {"kind": "none"}},
    {"label": "reshuffled", "method": {"kind": "sgd", "lr": 0.05, "sampling": "without_replacement"}, "schedule": {"kind": "constant"}, "averaging": {"kind": "none"}},
    {"label": "shuffled once", "method": {"kind": "sgd", "lr": 0.05, "sampling": "shuffle_once"}, "schedule": {"kind": "constant"}, "averaging": {"kind": "none"}},
    {"label": "cyclic", "method": {"kind": "sgd", "lr": 0.05, "sampling": "cyclic"}, "schedule": {"kind": "constant"}, "averaging": {"kind": "none"}}
  ],
  "w0": [-2.0, 3.0], "steps": 1000, "runs": 40, "seed": 1
}"#,
    },
    Preset {
        name: "noise-assumptions",
        title: "Every sample's gradient as an arrow on 2-D least squares (n = 12): their mean is the full gradient, at w* it is zero but they are not",
        json: r#"{
  "problem": {"kind": "random_least_squares", "n": 12, "d": 2, "noise": 1.0, "kappa": 3, "seed": 2},
  "method": {"kind": "sgd", "lr": 0.05, "batch": 1},
  "w0": [-2.0, 3.0], "steps": 400, "runs": 1, "seed": 1
}"#,
    },
    Preset {
        name: "descent-lemma",
        title: "The change of the loss after one SGD step for each of 20 samples, as w moves from far away into the zone of confusion on 1-D least squares",
        json: r#"{
  "problem": {"kind": "random_least_squares", "n": 20, "d": 1, "noise": 1.0, "seed": 4},
  "method": {"kind": "sgd", "lr": 0.3, "batch": 1},
  "w0": [4.0], "steps": 100, "runs": 1, "seed": 1
}"#,
    },
    Preset {
        name: "mini-batch",
        title: "Batches of 1, 4, 16 and 64 on 2-D least squares at the same step, each processing as many samples: a batch of b needs b times the work, and settles lower",
        json: r#"{
  "problem": {"kind": "random_least_squares", "n": 200, "d": 2, "noise": 1.0, "kappa": 2, "seed": 3},
  "method": {"kind": "sgd", "lr": 0.03, "batch": 1},
  "compare": [
    {"label": "b = 1", "method": {"kind": "sgd", "lr": 0.03, "batch": 1}, "steps": 38400},
    {"label": "b = 4", "method": {"kind": "sgd", "lr": 0.03, "batch": 4}, "steps": 9600},
    {"label": "b = 16", "method": {"kind": "sgd", "lr": 0.03, "batch": 16}, "steps": 2400},
    {"label": "b = 64", "method": {"kind": "sgd", "lr": 0.03, "batch": 64}, "steps": 600}
  ],
  "w0": [-2.0, 3.0], "steps": 600, "runs": 40, "seed": 1
}"#,
    },
    Preset {
        name: "gd-vs-sgd",
        title: "GD at 1/L_s against SGD with a 1/t step on the first 10², 10³, 10⁴ and 10⁵ samples of one 2-D least-squares problem, counted in gradient evaluations",
        json: r#"{
  "problem": {"kind": "random_least_squares", "n": 100000, "d": 2, "noise": 1.0, "kappa": 4, "seed": 3},
  "method": {"kind": "sgd", "lr": 0.5, "batch": 1},
  "schedule": {"kind": "inverse_time", "t0": 16},
  "w0": [-2.0, 3.0], "steps": 200, "runs": 10, "seed": 1
}"#,
    },
    Preset {
        name: "averaging",
        title: "The last iterate of SGD bounces at its floor; its Polyak–Ruppert, tail and exponential averages sit close to w*",
        json: r#"{
  "problem": {"kind": "random_least_squares", "n": 100, "d": 2, "noise": 1.0, "kappa": 4, "seed": 6},
  "method": {"kind": "sgd", "lr": 0.2, "batch": 1},
  "compare": [
    {"label": "last iterate", "method": {"kind": "sgd", "lr": 0.2}, "schedule": {"kind": "constant"}, "averaging": {"kind": "none"}},
    {"label": "Polyak average", "method": {"kind": "sgd", "lr": 0.2}, "schedule": {"kind": "constant"}, "averaging": {"kind": "polyak", "start": 0}},
    {"label": "tail average", "method": {"kind": "sgd", "lr": 0.2}, "schedule": {"kind": "constant"}, "averaging": {"kind": "polyak", "start": 200}},
    {"label": "EMA", "method": {"kind": "sgd", "lr": 0.2}, "schedule": {"kind": "constant"}, "averaging": {"kind": "ema", "decay": 0.98}}
  ],
  "w0": [-2.0, 3.0], "steps": 2000, "runs": 50, "seed": 1
}"#,
    },
    Preset {
        name: "momentum",
        title: "Without noise heavy ball and Nesterov accelerate GD on an ill-conditioned quadratic; with noise momentum at the same effective step changes nothing",
        json: r#"{
  "problem": {"kind": "random_quadratic", "n": 50, "d": 2, "kappa": 100, "spread": 1.0, "seed": 5},
  "method": {"kind": "sgd", "lr": 0.2, "batch": 1},
  "compare": [
    {"label": "GD", "method": {"kind": "gd", "lr": 1.0}, "schedule": {"kind": "constant"}, "averaging": {"kind": "none"}},
    {"label": "heavy ball", "method": {"kind": "gd", "lr": 3.30578512397, "momentum": 0.669421487603}, "schedule": {"kind": "constant"}, "averaging": {"kind": "none"}},
    {"label": "Nesterov", "method": {"kind": "gd", "lr": 1.0, "momentum": 0.818181818182, "nesterov": true}, "schedule": {"kind": "constant"}, "averaging": {"kind": "none"}},
    {"label": "SGD", "method": {"kind": "sgd", "lr": 0.2}, "schedule": {"kind": "constant"}, "averaging": {"kind": "none"}},
    {"label": "SGD + momentum, same effective step", "method": {"kind": "sgd", "lr": 0.02, "momentum": 0.9}, "schedule": {"kind": "constant"}, "averaging": {"kind": "none"}},
    {"label": "SGD + momentum, same lr", "method": {"kind": "sgd", "lr": 0.2, "momentum": 0.9}, "schedule": {"kind": "constant"}, "averaging": {"kind": "none"}}
  ],
  "w0": [-3.0, 3.0], "steps": 2000, "runs": 30, "seed": 1
}"#,
    },
    Preset {
        name: "variance-reduction",
        title: "SVRG, SAG and SAGA reach w* at a constant step on 2-D least squares; SGD at the same step stalls at its floor, and with 1/t steps creeps under it",
        json: r#"{
  "problem": {"kind": "random_least_squares", "n": 100, "d": 2, "noise": 1.0, "kappa": 4, "seed": 6},
  "method": {"kind": "sgd", "lr": 0.1, "batch": 1},
  "compare": [
    {"label": "SGD", "method": {"kind": "sgd", "lr": 0.1}, "schedule": {"kind": "constant"}, "averaging": {"kind": "none"}},
    {"label": "SGD, 1/t", "method": {"kind": "sgd", "lr": 0.1}, "schedule": {"kind": "inverse_time", "t0": 100}, "averaging": {"kind": "none"}},
    {"label": "SVRG", "method": {"kind": "svrg", "lr": 0.1, "inner": 100}, "schedule": {"kind": "constant"}, "averaging": {"kind": "none"}},
    {"label": "SAG", "method": {"kind": "sag", "lr": 0.1}, "schedule": {"kind": "constant"}, "averaging": {"kind": "none"}},
    {"label": "SAGA", "method": {"kind": "saga", "lr": 0.1}, "schedule": {"kind": "constant"}, "averaging": {"kind": "none"}}
  ],
  "w0": [-2.0, 3.0], "steps": 4000, "runs": 20, "seed": 1
}"#,
    },
    Preset {
        name: "logistic",
        title: "Logistic regression with ridge, mini-batch SGD with momentum",
        json: r#"{
  "problem": {"kind": "random_logistic", "n": 200, "d": 2, "separation": 2.0, "l2": 0.01, "seed": 7},
  "method": {"kind": "sgd", "lr": 0.5, "batch": 10, "sampling": "without_replacement", "momentum": 0.9},
  "schedule": {"kind": "cosine"},
  "steps": 500, "runs": 1, "seed": 1
}"#,
    },
    Preset {
        name: "bench-ensemble",
        title: "The benchmark ensemble: 10 000 runs × 1000 steps, 1-D least squares, n = 100",
        json: r#"{
  "problem": {"kind": "random_least_squares", "n": 100, "d": 1, "noise": 1.0, "seed": 0},
  "method": {"kind": "sgd", "lr": 0.05, "batch": 1},
  "w0": [-3.0], "steps": 1000, "runs": 10000, "seed": 0
}"#,
    },
];

pub fn find(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

impl Preset {
    pub fn scenario(&self) -> Scenario {
        Scenario::from_json(self.json).expect("presets are valid (tested)")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_preset_parses_and_builds() {
        for p in super::PRESETS {
            let s = p.scenario();
            s.build().unwrap_or_else(|e| panic!("{}: {e}", p.name));
        }
    }
}
