//! Predict, then reveal (#11): each lab's questions, written from the lecture, in plain
//! text beside the registry (an instructor reads them all with `sgd-lab questions`, or
//! on the site's questions.html), and answered by the run itself: a lab's
//! [`LabSim::verdict`](super::LabSim::verdict) computes which choice the simulation on
//! screen bears out, with the numbers that decided it (no stored answer key: change
//! the knobs and the verdict follows).

use serde::Serialize;

/// A question asked before the run.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Question {
    pub prompt: &'static str,
    pub choices: &'static [&'static str],
    /// When the run answers it (shown until then).
    pub reveal: &'static str,
}

/// The run's answer: the index of the choice it bears out, and the numbers that decided.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    pub answer: usize,
    pub why: String,
}

/// A question with the current run's verdict (`None` until the run has answered it).
#[derive(Clone, Debug, Serialize)]
pub struct QuizItem {
    #[serde(flatten)]
    pub question: Question,
    pub verdict: Option<Verdict>,
}

/// Which of "lower", "about the same", "higher" a ratio `r` = new / old is: within a
/// factor 1.5 either way is "about the same".
pub fn compare(r: f64) -> usize {
    if r < 1.0 / 1.5 {
        0
    } else if r <= 1.5 {
        1
    } else {
        2
    }
}

/// The questions of lab `id` (none for a lab that has not written them yet).
pub fn questions(id: &str) -> &'static [Question] {
    match id {
        "epochs" => EPOCHS,
        "per-sample" => PER_SAMPLE,
        "step-size" => STEP_SIZE,
        "expected-loss" => EXPECTED_LOSS,
        "descent-lemma" => DESCENT_LEMMA,
        "noise-assumptions" => NOISE_ASSUMPTIONS,
        "decay" => DECAY,
        "mini-batch" => MINI_BATCH,
        "gd-vs-sgd" => GD_VS_SGD,
        "averaging" => AVERAGING,
        "momentum" => MOMENTUM,
        "variance-reduction" => VARIANCE_REDUCTION,
        _ => &[],
    }
}

const EPOCHS: &[Question] = &[Question {
    prompt: "At a small constant step (the smallest the lab measures, η/27), the floor when reshuffling every epoch, against sampling with replacement, is…",
    choices: &["lower", "about the same", "higher"],
    reveal: "Play the run to its end and let the floors against η be measured.",
}];

const PER_SAMPLE: &[Question] = &[Question {
    prompt: "At this constant step size, where are SGD's iterates over the last steps of the run?",
    choices: &[
        "Settled at the minimiser w*",
        "Bouncing inside the zone of confusion",
        "Often outside the zone of confusion",
    ],
    reveal: "Play the run to its end.",
}];

const STEP_SIZE: &[Question] = &[Question {
    prompt: "When the run ends, whose cloud of iterates around w* is wider?",
    choices: &[
        "The small step η₁'s",
        "The large step η₂'s",
        "About the same",
    ],
    reveal: "Play the run to its end.",
}];

const EXPECTED_LOSS: &[Question] = &[Question {
    prompt: "Halve the step size η: the floor that the mean loss gap settles at will…",
    choices: &["about halve", "stay about the same", "about double"],
    reveal: "Play the run to its end: the lab then computes the exact floor at η and at η/2 for this problem.",
}];

const NOISE_ASSUMPTIONS: &[Question] = &[Question {
    prompt: "With the sampling as set (uniform, skewed, or skewed with importance weighting), where does SGD settle?",
    choices: &[
        "Around w*, the minimiser of L",
        "Around another point: the minimiser of Σ p_i l_i",
    ],
    reveal: "Play the run to its end.",
}];

const DESCENT_LEMMA: &[Question] = &[Question {
    prompt: "When the run ends, near the minimiser, how many of the samples' steps would raise the loss L?",
    choices: &["None of them", "Some, but fewer than half", "Half of them or more"],
    reveal: "Play the run to its end.",
}];

const DECAY: &[Question] = &[Question {
    prompt: "Which schedule has the lowest mean loss gap when the run ends?",
    choices: &[
        "The constant step",
        "Too fast (η γ^t)",
        "Too slow (1/√t)",
        "1/t",
        "Step decay",
    ],
    reveal: "Play the run to its end.",
}];

const MINI_BATCH: &[Question] = &[Question {
    prompt: "The floor the loss gap settles at with the largest batch, against b = 1's floor, is…",
    choices: &[
        "About b times lower",
        "About √b times lower",
        "About the same",
    ],
    reveal: "Play the run to its end (the floors are measured once the runs have settled).",
}];

const AVERAGING: &[Question] = &[Question {
    prompt: "When the run ends, the mean loss gap of the Polyak–Ruppert average u_t, against the last iterate w_t's, is…",
    choices: &["lower", "about the same", "higher"],
    reveal: "Play the run to its end.",
}];

const GD_VS_SGD: &[Question] = &[
    Question {
        prompt: "On the largest data set, which method reaches the target ε with fewer gradient evaluations?",
        choices: &["GD (a full pass a step)", "SGD (one sample a step)"],
        reveal: "Play until the clock ends.",
    },
    Question {
        prompt: "And on the smallest data set (n = 100)?",
        choices: &["GD (a full pass a step)", "SGD (one sample a step)"],
        reveal: "Play until the clock ends.",
    },
];

const MOMENTUM: &[Question] = &[
    Question {
        prompt: "SGD with momentum β at the same effective step η/(1 − β) as plain SGD: when the run ends, its mean loss gap is…",
        choices: &["lower than SGD's", "about the same as SGD's", "higher than SGD's"],
        reveal: "Play the run to its end.",
    },
    Question {
        prompt: "Momentum β at SGD's own lr (PyTorch's habit, an effective step η/(1 − β)): when the run ends, its mean loss gap is…",
        choices: &["lower than SGD's", "about the same as SGD's", "higher than SGD's"],
        reveal: "Play the run to its end.",
    },
];

const VARIANCE_REDUCTION: &[Question] = &[Question {
    prompt: "With the same gradient budget (full passes paid for), which method ends with the lowest mean loss gap?",
    choices: &[
        "SGD at the constant step",
        "SGD with a 1/t step",
        "A variance-reduced method (SVRG, SAG or SAGA)",
    ],
    reveal: "Play the run to its end.",
}];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compare_splits_at_a_factor_one_and_a_half() {
        assert_eq!(compare(0.5), 0);
        assert_eq!(compare(0.7), 1);
        assert_eq!(compare(1.0), 1);
        assert_eq!(compare(1.5), 1);
        assert_eq!(compare(1.6), 2);
    }

    #[test]
    fn every_question_has_two_to_five_choices_and_its_lab_exists() {
        for lab in super::super::registry::LABS {
            for q in questions(lab.id) {
                assert!(
                    (2..=5).contains(&q.choices.len()),
                    "{}: {}",
                    lab.id,
                    q.prompt
                );
                assert!(
                    q.prompt.ends_with('?') || q.prompt.ends_with('…'),
                    "{}",
                    q.prompt
                );
            }
        }
        // Every match arm names a ready lab of the registry (a typo would leave its
        // questions unreachable): the labs with questions are exactly these.
        let with: Vec<&str> = super::super::registry::LABS
            .iter()
            .filter(|l| !questions(l.id).is_empty())
            .map(|l| l.id)
            .collect();
        assert_eq!(
            with,
            [
                "epochs",
                "per-sample",
                "step-size",
                "expected-loss",
                "noise-assumptions",
                "descent-lemma",
                "decay",
                "mini-batch",
                "gd-vs-sgd",
                "averaging",
                "momentum",
                "variance-reduction"
            ]
        );
        assert!(with
            .iter()
            .all(|id| super::super::info(id).is_some_and(|l| l.ready)));
    }
}
