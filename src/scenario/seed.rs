//! `"seed": "random"`: a seed that is drawn when the scenario is run, then shown, so
//! that the run can be reproduced.
//!
//! Reading stays pure: the reader stores [`RANDOM_SEED`], a marker outside the valid
//! range 0 ..= 2^53 − 1, and writing gives `"random"` back for it. The program that runs
//! the scenario draws the numbers ([`Scenario::resolve_seeds`], with [`draw_seed`] or a
//! generator of its own) and shows them; [`Scenario::build`] refuses a marker that is
//! still there, naming the field. The marker is a `u64` value rather than a variant of
//! a seed type so that every place that reads or sets a seed as a number (the labs'
//! knobs, the URL, the simulator) stays as it is.

use super::{ProblemSpec, Scenario};
use crate::error::SpecError;
use serde::Serializer;

/// What the reader stores for `"random"` (in `seed` and in a generator's
/// `problem.seed`). No number read from a document is ever this value.
pub const RANDOM_SEED: u64 = u64::MAX;

/// A seed from the operating system's random source (`getrandom`; in the browser,
/// `crypto.getRandomValues`), uniform in 0 ..= 2^53 − 1 so that a JavaScript number
/// and a URL carry it exactly.
///
/// # Panics
/// If the platform has no random source (getrandom's error is in the message). Every
/// platform this crate builds for has one.
pub fn draw_seed() -> u64 {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).expect("the platform's random source failed");
    // The top 53 bits of 64 uniform bits are uniform.
    u64::from_le_bytes(b) >> 11
}

impl Scenario {
    /// The fields that say `"random"`, by path: `seed` and/or `problem.seed`.
    pub fn random_seeds(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.seed == RANDOM_SEED {
            out.push("seed");
        }
        if problem_seed(&self.problem).is_some_and(|s| *s == RANDOM_SEED) {
            out.push("problem.seed");
        }
        out
    }

    /// Replaces every `"random"` seed by a number from `draw` (call it with
    /// [`draw_seed`], or a seeded generator in tests) and returns what was drawn, by
    /// path. A scenario without `"random"` is left as it is and the list is empty.
    /// `draw` must give numbers in 0 ..= 2^53 − 1 ([`Scenario::build`] checks).
    pub fn resolve_seeds(&mut self, mut draw: impl FnMut() -> u64) -> Vec<(&'static str, u64)> {
        let mut drawn = Vec::new();
        if self.seed == RANDOM_SEED {
            self.seed = draw();
            drawn.push(("seed", self.seed));
        }
        if let Some(s) = problem_seed_mut(&mut self.problem) {
            if *s == RANDOM_SEED {
                *s = draw();
                drawn.push(("problem.seed", *s));
            }
        }
        drawn
    }
}

fn problem_seed(p: &ProblemSpec) -> Option<&u64> {
    match p {
        ProblemSpec::RandomLeastSquares { seed, .. }
        | ProblemSpec::RandomQuadratic { seed, .. }
        | ProblemSpec::RandomLogistic { seed, .. } => Some(seed),
        _ => None,
    }
}

fn problem_seed_mut(p: &mut ProblemSpec) -> Option<&mut u64> {
    match p {
        ProblemSpec::RandomLeastSquares { seed, .. }
        | ProblemSpec::RandomQuadratic { seed, .. }
        | ProblemSpec::RandomLogistic { seed, .. } => Some(seed),
        _ => None,
    }
}

/// The error [`Scenario::build`] gives for a seed that was not drawn.
pub(super) fn unresolved(path: &str) -> SpecError {
    SpecError::new(
        path,
        "is \"random\" and must be drawn before the scenario is built (sgd-lab does this itself; in code, Scenario::resolve_seeds)",
    )
}

/// Writes a seed: the number, or `"random"` for the marker.
pub(super) fn write<S: Serializer>(seed: &u64, s: S) -> Result<S::Ok, S::Error> {
    if *seed == RANDOM_SEED {
        s.serialize_str("random")
    } else {
        s.serialize_u64(*seed)
    }
}
