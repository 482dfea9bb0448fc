//! The one table of labs, in lecture order (shared/LABS.md): what the landing page
//! lists (title, lecture part, teaser), which labs are built, and for those their
//! knobs, view defaults and constructor. Adding a lab: its module, one row here and
//! its preset (same id, `crate::presets`).

use super::knob::Knob;
use super::{
    averaging, decay, descent_lemma, epochs, expected_loss, gd_vs_sgd, mini_batch, momentum,
    noise_assumptions, per_sample, sandbox, step_size, variance_reduction, DynLab, LabView,
};
use crate::error::SpecError;
use crate::scenario::Setup;
use serde::Serialize;

/// What a built lab brings: its knobs, its view defaults and its constructor.
#[derive(Clone, Copy)]
pub struct Built {
    /// The controls, in the order the URL carries them and the page shows them.
    pub knobs: fn() -> Vec<Knob>,
    /// Fills the view settings a new scenario of this lab starts with.
    pub view: fn(&mut LabView),
    /// The lab showing a built scenario.
    pub new: fn(&Setup) -> Result<Box<dyn DynLab>, SpecError>,
}

/// A built lab's picture on the landing page: which chart, drawn at the lab's defaults
/// at its end by `sgd-lab thumbs` (`lab::thumbnail`), and its alt text.
#[derive(Clone, Copy, Serialize)]
pub struct Thumb {
    /// The chart's id (one of the lab's `charts()`).
    pub chart: &'static str,
    /// What the picture shows, for a reader who cannot see it.
    pub alt: &'static str,
}

/// A row of the table.
#[derive(Clone, Copy, Serialize)]
pub struct LabEntry {
    pub id: &'static str,
    pub title: &'static str,
    /// The part of the lecture it illustrates, with its timestamp(s), as shown.
    pub part: &'static str,
    /// Where in the lecture (transcript timestamp of the first part; "end", or "" for
    /// the sandbox which covers all of it).
    pub time: &'static str,
    /// One line: what the picture shows.
    pub teaser: &'static str,
    /// Whether the lab is built (the others are listed as coming).
    pub ready: bool,
    /// The landing page's picture of a built lab (`None` for the others).
    pub thumb: Option<Thumb>,
    #[serde(skip)]
    pub built: Option<Built>,
}

const fn ready(
    (id, title, part, time, teaser): (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    ),
    thumb: Thumb,
    built: Built,
) -> LabEntry {
    LabEntry {
        id,
        title,
        part,
        time,
        teaser,
        ready: true,
        thumb: Some(thumb),
        built: Some(built),
    }
}

fn no_view(_: &mut LabView) {}

/// Every lab, in lecture order (the landing page and previous / next follow it).
pub const LABS: &[LabEntry] = &[
    ready(
        (
            "epochs",
            "Epochs and sampling",
            "What are epochs? (08:51)",
            "08:51",
            "With replacement, reshuffled each epoch, shuffled once or cyclic: the fraction of samples seen after k epochs (1 − e⁻ᵏ), the loss curves of all four, and their floors against η.",
        ),
        Thumb {
            chart: "fraction",
            alt: "Fraction of the samples seen since the start against epochs at the default settings: the three orders reach every sample at the end of the first epoch, while sampling with replacement follows the dashed curve 1 − (1 − 1/n)^(nk), about 63 % after one epoch and 86 % after two.",
        },
        Built {
            knobs: epochs::knobs,
            view: epochs::default_view,
            new: |s| Ok(Box::new(epochs::EpochsLab::new(s)?)),
        },
    ),
    ready(
        (
            "per-sample",
            "Every sample has its own minimiser",
            "SGD for least squares (11:49)",
            "11:49",
            "Each sample’s own parabola, the zone of confusion between their minimisers, and an SGD iterate that bounces inside it forever while GD slides to w*.",
        ),
        Thumb {
            chart: "zone",
            alt: "The zone of confusion after a run at the default settings: every sample's parabola, their average in black, the shaded zone between the samples' minimisers, and bars showing where SGD's iterates fell — all inside the zone.",
        },
        Built {
            knobs: per_sample::knobs,
            view: no_view,
            new: |s| Ok(Box::new(per_sample::PerSample::new(s)?)),
        },
    ),
    ready(
        (
            "step-size",
            "Step size: fast or precise",
            "An illustration of SGD (23:09)",
            "23:09",
            "SGD paths on a contour map at a small and a large step: slow but tight, or a fast arrival and then a wide cloud whose spread grows with the step.",
        ),
        Thumb {
            chart: "map",
            alt: "Contour map after a run at the default settings: SGD iterates at a small step gather tightly near the minimum, those at a large step scatter in a wider cloud around it.",
        },
        Built {
            knobs: step_size::knobs,
            view: |v| v.lr2 = Some(step_size::DEFAULT_LR2),
            new: |s| Ok(Box::new(step_size::StepSize::new(s)?)),
        },
    ),
    ready(
        (
            "expected-loss",
            "The expected loss and its bound",
            "Convergence of SGD (25:55)",
            "25:55",
            "Many runs, their mean loss gap and the lecture’s bound: a constant floor (the zone of confusion) plus a geometric, GD-like term.",
        ),
        Thumb {
            chart: "gap",
            alt: "Loss gap against steps on a log scale for many runs at the default settings: faint single runs, their mean falling and levelling off at a floor, and the lecture's bound above it.",
        },
        Built {
            knobs: expected_loss::knobs,
            view: |v| v.shown = Some(expected_loss::DEFAULT_SHOWN),
            new: |s| Ok(Box::new(expected_loss::ExpectedLoss::new(s)?)),
        },
    ),
    ready(
        (
            "noise-assumptions",
            "What we assume about the noise",
            "Assumptions on the stochastic gradient (32:52)",
            "32:52",
            "Per-sample gradient arrows whose mean is the full gradient; at w* the mean is zero but the arrows are not (σ0). Skewed sampling makes the estimate biased; importance weighting repairs it.",
        ),
        Thumb {
            chart: "optimum",
            alt: "The samples' pulls at the minimum w* as arrows of many lengths and directions whose mean is zero, inside a circle of radius the square root of σ0.",
        },
        Built {
            knobs: noise_assumptions::knobs,
            view: no_view,
            new: |s| Ok(Box::new(noise_assumptions::NoiseAssumptions::new(s)?)),
        },
    ),
    ready(
        (
            "descent-lemma",
            "The descent lemma, sample by sample",
            "Descent lemma (42:56)",
            "42:56",
            "The change of the loss for every possible sample at the current point: far from w* almost all of them help, near w* many hurt and the expected change turns positive.",
        ),
        Thumb {
            chart: "changes",
            alt: "One bar per sample for the change of the loss after one SGD step on it, at the end of a run at the default settings: near w* some bars are above zero (the loss rises) and some below, with their mean and the lemma's bound drawn across.",
        },
        Built {
            knobs: descent_lemma::knobs,
            view: no_view,
            new: |s| Ok(Box::new(descent_lemma::DescentLemma::new(s)?)),
        },
    ),
    ready(
        (
            "decay",
            "Learning-rate schedules",
            "Strongly convex rate (45:19) and rate (52:15)",
            "45:19",
            "Constant, too-fast, too-slow, 1/t and step decay side by side, with the running sums of ηₜ and ηₜ² against the Robbins–Monro conditions.",
        ),
        Thumb {
            chart: "gap",
            alt: "Mean loss gap of five learning-rate schedules on log–log axes at the default settings, each with its band: the constant step levels off at a floor, the too-fast decay freezes above it, and 1/t decay ends lowest.",
        },
        Built {
            knobs: decay::knobs,
            view: no_view,
            new: |s| Ok(Box::new(decay::Decay::new(s)?)),
        },
    ),
    ready(
        (
            "mini-batch",
            "Mini-batches",
            "Convergence rate of mini-batch SGD (54:48)",
            "54:48",
            "Batch sizes 1 to 64 against samples processed: at the same step a batch of b needs b times the work; with η ∝ b the curves collapse onto one; the floor falls like 1/b.",
        ),
        Thumb {
            chart: "gap",
            alt: "Mean loss gap against samples processed on log–log axes for batches of 1, 4, 16 and 64 at the same step: the same curve shifted right by the batch size, each levelling off lower than the one before.",
        },
        Built {
            knobs: mini_batch::knobs,
            view: no_view,
            new: |s| Ok(Box::new(mini_batch::MiniBatchLab::new(s)?)),
        },
    ),
    ready(
        (
            "gd-vs-sgd",
            "When SGD beats GD",
            "When should we use SGD instead of GD (01:08), ImageNet (01:16)",
            "01:08",
            "GD and SGD on 10² to 10⁵ samples, against gradient evaluations: SGD reaches a rough ε with less work, GD a fine one, and the ε where they cross falls like 1/n.",
        ),
        Thumb {
            chart: "race",
            alt: "Loss gap against gradient evaluations on log–log axes for data sets of 10², 10³, 10⁴ and 10⁵ samples: SGD's curves fall together at once; each GD curve waits a pass of n evaluations, then drops steeply and overtakes SGD at a ringed point that is lower the larger n is.",
        },
        Built {
            knobs: gd_vs_sgd::knobs,
            view: gd_vs_sgd::default_view,
            new: |s| Ok(Box::new(gd_vs_sgd::GdVsSgdLab::new(s)?)),
        },
    ),
    ready(
        (
            "averaging",
            "Iterate averaging",
            "Polyak–Ruppert averaging (01:21)",
            "01:21",
            "The last iterate bounces in the zone while its running average, an exponential moving average and a late-started average sit close to w*.",
        ),
        Thumb {
            chart: "gap",
            alt: "Mean loss gap against steps at the default settings: the last iterate levels off at its dashed floor while the Polyak average, the tail average and the EMA of the same runs fall below it.",
        },
        Built {
            knobs: averaging::knobs,
            view: no_view,
            new: |s| Ok(Box::new(averaging::AveragingLab::new(s)?)),
        },
    ),
    ready(
        (
            "momentum",
            "Momentum",
            "Momentum methods don’t accelerate SGD (01:25)",
            "01:25",
            "Nesterov accelerates GD on an ill-conditioned quadratic, but SGD with momentum gains nothing once the noise dominates — unless the gradients are alike.",
        ),
        Thumb {
            chart: "deterministic",
            alt: "Distance to w* on a log scale against steps without noise at the default settings: GD follows the slow dashed rate e^(−t/κ) while heavy ball and Nesterov fall along the fast one, e^(−t/√κ), to the rounding floor.",
        },
        Built {
            knobs: momentum::knobs,
            view: no_view,
            new: |s| Ok(Box::new(momentum::MomentumLab::new(s)?)),
        },
    ),
    ready(
        (
            "variance-reduction",
            "Variance reduction",
            "Momentum methods don’t accelerate SGD (end)",
            "end",
            "SVRG, SAG and SAGA reach w* linearly at a constant step while SGD stalls at its floor, with the full-gradient passes paid for.",
        ),
        Thumb {
            chart: "gap",
            alt: "Mean loss gap of SGD, SVRG, SAG and SAGA against gradient evaluations at the default settings: SGD levels off at its dashed floor while the three variance-reduced methods keep falling in straight lines on the log scale.",
        },
        Built {
            knobs: variance_reduction::knobs,
            view: variance_reduction::default_view,
            new: |s| Ok(Box::new(variance_reduction::VarianceReduction::new(s)?)),
        },
    ),
    ready(
        (
            "sandbox",
            "Sandbox",
            "The whole lecture",
            "",
            "Any problem, any method, any schedule and averaging, several methods side by side.",
        ),
        Thumb {
            chart: "gap",
            alt: "Mean loss gap of the four default methods on the same samples, each with its band: SVRG falls in a straight line on the log scale, while SGD at a constant step levels off and its 1/t-decayed and averaged versions end lower.",
        },
        Built {
            knobs: sandbox::knobs,
            view: sandbox::default_view,
            new: |s| Ok(Box::new(sandbox::Sandbox::new(s)?)),
        },
    ),
];

/// The row of lab `id`.
pub fn find(id: &str) -> Option<&'static LabEntry> {
    LABS.iter().find(|l| l.id == id)
}

/// The row of a built lab, or the message naming the built ones.
pub fn built(id: &str) -> Result<&'static Built, SpecError> {
    find(id)
        .and_then(|l| l.built.as_ref())
        .ok_or_else(|| unknown(id))
}

/// The ids of the built labs, in lecture order.
pub fn ready_ids() -> impl Iterator<Item = &'static str> {
    LABS.iter().filter(|l| l.ready).map(|l| l.id)
}

fn unknown(id: &str) -> SpecError {
    let ready: Vec<&str> = ready_ids().collect();
    SpecError::new(
        "lab",
        format!(
            "must be one of {}, got \"{}\"",
            ready.join(", "),
            super::knob::quote(id).trim_matches('"')
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ready_means_built_and_ids_are_unique_with_a_preset() {
        for (k, l) in LABS.iter().enumerate() {
            assert_eq!(l.ready, l.built.is_some(), "{}", l.id);
            assert!(LABS[..k].iter().all(|m| m.id != l.id), "{} twice", l.id);
            assert!(!l.title.is_empty() && l.teaser.len() > 30, "{}", l.id);
            if l.ready {
                assert!(
                    crate::presets::find(l.id).is_some(),
                    "{} has a preset",
                    l.id
                );
                assert!(!(l.built.unwrap().knobs)().is_empty(), "{} has knobs", l.id);
            }
        }
        assert!(built("sandbox").is_ok() && built("nope").is_err());
        assert_eq!(
            built("no-such-lab").err().unwrap().to_string(),
            "lab must be one of epochs, per-sample, step-size, expected-loss, noise-assumptions, descent-lemma, decay, mini-batch, gd-vs-sgd, averaging, momentum, variance-reduction, sandbox, got \"no-such-lab\""
        );
    }

    #[test]
    fn lecture_order_follows_the_timestamps() {
        // "mm:ss" in the first hour (all ≥ 08:51), then "h:mm" (01:08 …); "end" last.
        let minutes = |t: &str| -> Option<f64> {
            let (a, b) = t.split_once(':')?;
            let (a, b): (f64, f64) = (a.parse().ok()?, b.parse().ok()?);
            Some(if a < 2.0 { 60.0 * a + b } else { a + b / 60.0 })
        };
        let times: Vec<f64> = LABS.iter().filter_map(|l| minutes(l.time)).collect();
        assert_eq!(
            times.len(),
            LABS.len() - 2,
            "every lab but the end and the sandbox has a time"
        );
        assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
    }
}
