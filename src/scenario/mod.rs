//! The scenario: one JSON document that describes a lab's whole state. The URL hash,
//! export/import, the CLI and the wasm layer all parse it with this code, and it is
//! validated once, here, with errors that name the field, the value and what is allowed.

use crate::averaging::Averaging;
use crate::data;
use crate::error::{num, SpecError};
use crate::method::{MethodKind, MethodSpec};
use crate::problem::{LeastSquares, Logistic, Problem, Quadratic};
use crate::sampler::Sampling;
use crate::schedule::Schedule;
use serde::Serialize;
use std::sync::Arc;

mod read;
mod seed;
mod variants;
mod view;

pub use seed::{draw_seed, RANDOM_SEED};
pub use variants::{method_label, Variant, VariantSetup, VariantSpec, MAX_VARIANTS};
pub use view::{LabView, X_AXES};

/// Size limits, stated in every message that enforces them.
pub mod limits {
    pub const MAX_N: u64 = 100_000;
    pub const MAX_D: u64 = 64;
    pub const MAX_N_TIMES_D: u64 = 1_000_000;
    pub const MAX_STEPS: u64 = 1_000_000;
    pub const MAX_RUNS: u64 = 100_000;
    pub const MAX_RUNS_TIMES_STEPS: u64 = 100_000_000;
    /// Data values and start points are bounded so that no generated number overflows.
    pub const MAX_ABS_VALUE: f64 = 1e6;
    /// Largest seed that a JavaScript number carries exactly (2^53 − 1).
    pub const MAX_SEED: u64 = 9_007_199_254_740_991;
}
use limits::*;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scenario {
    pub problem: ProblemSpec,
    pub method: MethodSpec,
    pub schedule: Schedule,
    pub averaging: Averaging,
    /// Start point; zeros when left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub w0: Option<Vec<f64>>,
    pub steps: u64,
    pub runs: u64,
    /// Seed of the sampling streams; [`RANDOM_SEED`] for `"random"` until drawn.
    #[serde(serialize_with = "seed::write")]
    pub seed: u64,
    /// Variants to run side by side on the same problem, start and seed (1 to
    /// [`MAX_VARIANTS`]); none for a scenario of one method. A [`Setup`] (and so a
    /// `Run` or an `Ensemble` made from it) simulates the base fields only: the
    /// variants are simulated through [`Setup::variant_setups`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compare: Option<Vec<VariantSpec>>,
    /// The web app's view of this scenario (which lab, its extra knobs); the simulation
    /// and the CLI ignore it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lab: Option<LabView>,
}

fn default_steps() -> u64 {
    100
}
fn default_runs() -> u64 {
    1
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProblemSpec {
    /// l_i(w) = ½ (x_iᵀw − y_i)².
    LeastSquares { x: Vec<Vec<f64>>, y: Vec<f64> },
    /// l_i(w) = ½ (w − c_i)ᵀ H (w − c_i).
    Quadratic {
        h: Vec<Vec<f64>>,
        centers: Vec<Vec<f64>>,
    },
    /// l_i(w) = log(1 + exp(−y_i x_iᵀw)) + (l2/2)‖w‖², y_i ∈ {−1, +1}.
    Logistic {
        x: Vec<Vec<f64>>,
        y: Vec<f64>,
        l2: f64,
    },
    /// Generated least squares (see `data::least_squares`).
    RandomLeastSquares {
        n: u64,
        d: u64,
        noise: f64,
        kappa: f64,
        /// Defaults to (1, 1, …).
        #[serde(skip_serializing_if = "Option::is_none")]
        w_true: Option<Vec<f64>>,
        #[serde(serialize_with = "seed::write")]
        seed: u64,
        /// The same samples stored in increasing order of y (a file sorted by its
        /// label): only the order changes, so L and w* do not; cyclic sampling then
        /// sees them sorted.
        #[serde(skip_serializing_if = "is_false")]
        sorted: bool,
    },
    /// Generated quadratic (see `data::quadratic`).
    RandomQuadratic {
        n: u64,
        d: u64,
        kappa: f64,
        spread: f64,
        /// Rotation of H's axes in 2-D, in degrees.
        angle: f64,
        /// Defaults to (1, 1, …).
        #[serde(skip_serializing_if = "Option::is_none")]
        center: Option<Vec<f64>>,
        #[serde(serialize_with = "seed::write")]
        seed: u64,
    },
    /// Generated logistic regression (see `data::logistic`).
    RandomLogistic {
        n: u64,
        d: u64,
        separation: f64,
        l2: f64,
        #[serde(serialize_with = "seed::write")]
        seed: u64,
    },
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn d_n() -> u64 {
    20
}
fn d_one() -> u64 {
    1
}
fn d_two() -> u64 {
    2
}
fn d_one_f() -> f64 {
    1.0
}
fn d_kappa() -> f64 {
    10.0
}
fn d_angle() -> f64 {
    30.0
}
fn d_l2() -> f64 {
    0.01
}

/// A validated scenario: the problem is built, `w0` is filled in.
#[derive(Clone, Debug)]
pub struct Setup {
    pub scenario: Scenario,
    pub problem: Arc<Problem>,
    pub w0: Vec<f64>,
}

#[cfg(test)]
thread_local! {
    /// How many times this thread built a scenario (tests of "built once per change").
    pub(crate) static BUILDS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

impl Scenario {
    /// Parses JSON; a type or syntax error names the path of the field (`read.rs`).
    pub fn from_json(text: &str) -> Result<Scenario, SpecError> {
        read::scenario(text)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a scenario always serialises")
    }

    /// Validates every field (those of every variant too) and builds the problem. A
    /// seed still `"random"` is refused: see [`Scenario::resolve_seeds`].
    pub fn build(&self) -> Result<Setup, SpecError> {
        #[cfg(test)]
        BUILDS.with(|b| b.set(b.get() + 1));
        let problem = shared_problem(&self.problem)?;
        let n = problem.n() as u64;
        let d = problem.d();
        check_method(&self.method, n, "method")?;
        check_schedule(&self.schedule, "schedule")?;
        check_averaging(&self.averaging, "averaging")?;
        let w0 = match &self.w0 {
            None => vec![0.0; d],
            Some(w) => {
                if w.len() != d {
                    return Err(SpecError::new(
                        "w0",
                        format!(
                            "must have {d} entries (the problem's dimension), got {}",
                            w.len()
                        ),
                    ));
                }
                check_values("w0", w)?;
                w.clone()
            }
        };
        if self.steps > MAX_STEPS {
            return Err(SpecError::new(
                "steps",
                format!("must be at most {MAX_STEPS}, got {}", self.steps),
            ));
        }
        if self.runs == 0 || self.runs > MAX_RUNS {
            return Err(SpecError::new(
                "runs",
                format!("must be between 1 and {MAX_RUNS}, got {}", self.runs),
            ));
        }
        if self.runs * self.steps.max(1) > MAX_RUNS_TIMES_STEPS {
            return Err(SpecError::new(
                "runs",
                format!(
                    "× steps must be at most {MAX_RUNS_TIMES_STEPS}, got {} × {} = {}",
                    self.runs,
                    self.steps,
                    self.runs * self.steps
                ),
            ));
        }
        if self.seed == RANDOM_SEED {
            return Err(seed::unresolved("seed"));
        }
        if self.seed > MAX_SEED {
            return Err(SpecError::new(
                "seed",
                format!(
                    "must be an integer from 0 to {MAX_SEED} (2^53 − 1), got {}",
                    self.seed
                ),
            ));
        }
        if let Some(list) = &self.compare {
            self.check_compare(list, n)?;
        }
        Ok(Setup {
            scenario: self.clone(),
            problem,
            w0,
        })
    }

    /// The list's length, the labels, every variant's fields (with its path), and the
    /// work of all variants together.
    fn check_compare(&self, list: &[VariantSpec], n: u64) -> Result<(), SpecError> {
        if list.is_empty() || list.len() > MAX_VARIANTS {
            return Err(SpecError::new(
                "compare",
                format!(
                    "must have between 1 and {MAX_VARIANTS} variants, got {}",
                    list.len()
                ),
            ));
        }
        for (i, v) in list.iter().enumerate() {
            let path = format!("compare[{i}]");
            if v.label.trim().is_empty() {
                return Err(SpecError::new(
                    format!("{path}.label"),
                    format!(
                        "must not be empty (it names the variant), got {:?}",
                        v.label
                    ),
                ));
            }
            if let Some(j) = list[..i].iter().position(|w| w.label == v.label) {
                return Err(SpecError::new(
                    format!("{path}.label"),
                    format!(
                        "must differ from every other variant's label, got {:?} (the label of compare[{j}])",
                        v.label
                    ),
                ));
            }
            if let Some(m) = &v.method {
                check_method(m, n, &format!("{path}.method"))?;
            }
            if let Some(s) = &v.schedule {
                check_schedule(s, &format!("{path}.schedule"))?;
            }
            if let Some(a) = &v.averaging {
                check_averaging(a, &format!("{path}.averaging"))?;
            }
            if let Some(t) = v.steps {
                if t > MAX_STEPS {
                    return Err(SpecError::new(
                        format!("{path}.steps"),
                        format!("must be at most {MAX_STEPS}, got {t}"),
                    ));
                }
            }
        }
        // Every variant simulates every run: the limit on work counts them all.
        let k = list.len() as u64;
        let own = list.iter().any(|v| v.steps.is_some());
        let steps: u64 = list
            .iter()
            .map(|v| v.steps.unwrap_or(self.steps).max(1))
            .sum();
        let work = self.runs * steps;
        if work > MAX_RUNS_TIMES_STEPS {
            let msg = if own {
                format!(
                    "has {k} variants, and runs × (the variants' steps added up) must be at most {MAX_RUNS_TIMES_STEPS}, got {} × {steps} = {work}",
                    self.runs
                )
            } else {
                format!(
                    "has {k} variants, and variants × runs × steps must be at most {MAX_RUNS_TIMES_STEPS}, got {k} × {} × {} = {work}",
                    self.runs, self.steps
                )
            };
            return Err(SpecError::new("compare", msg));
        }
        Ok(())
    }
}

/// A method's fields; `path` is where it sits (`method`, `compare[2].method`).
pub(crate) fn check_method(m: &MethodSpec, n: u64, path: &str) -> Result<(), SpecError> {
    if !(m.lr.is_finite() && m.lr > 0.0) {
        return Err(SpecError::new(
            format!("{path}.lr"),
            format!("must be a finite number > 0, got {}", num(m.lr)),
        ));
    }
    if m.kind != MethodKind::Gd && (m.batch == 0 || m.batch > n) {
        return Err(SpecError::new(
            format!("{path}.batch"),
            format!("must be between 1 and n = {n}, got {}", m.batch),
        ));
    }
    if !(m.momentum >= 0.0 && m.momentum < 1.0) {
        return Err(SpecError::new(
            format!("{path}.momentum"),
            format!("must be in [0, 1), got {}", num(m.momentum)),
        ));
    }
    if !(m.dampening >= 0.0 && m.dampening <= 1.0) {
        return Err(SpecError::new(
            format!("{path}.dampening"),
            format!("must be in [0, 1], got {}", num(m.dampening)),
        ));
    }
    if m.nesterov && (m.momentum == 0.0 || m.dampening != 0.0) {
        return Err(SpecError::new(
            format!("{path}.nesterov"),
            format!(
                "needs momentum > 0 and dampening = 0 (as in PyTorch), got momentum {} and dampening {}",
                num(m.momentum),
                num(m.dampening)
            ),
        ));
    }
    if let Some(inner) = m.inner {
        if inner == 0 || inner > MAX_STEPS {
            return Err(SpecError::new(
                format!("{path}.inner"),
                format!("must be between 1 and {MAX_STEPS}, got {inner}"),
            ));
        }
    }
    check_weights(m, n, path)
}

/// Non-uniform sampling: n finite weights ≥ 0 with a positive sum, for SGD drawing with
/// replacement; importance weighting needs them.
fn check_weights(m: &MethodSpec, n: u64, path: &str) -> Result<(), SpecError> {
    let Some(w) = &m.sample_weights else {
        if m.importance_weighting {
            return Err(SpecError::new(
                format!("{path}.importance_weighting"),
                "needs method.sample_weights (it corrects non-uniform sampling; with uniform sampling it changes nothing)",
            ));
        }
        return Ok(());
    };
    let field = format!("{path}.sample_weights");
    if m.kind != MethodKind::Sgd || m.sampling != Sampling::WithReplacement {
        return Err(SpecError::new(
            field,
            "applies to SGD sampling with replacement only (kind sgd, sampling with_replacement)",
        ));
    }
    if w.len() as u64 != n {
        return Err(SpecError::new(
            field,
            format!("must have n = {n} entries, got {}", w.len()),
        ));
    }
    if let Some((i, v)) = w
        .iter()
        .enumerate()
        .find(|(_, v)| !(v.is_finite() && **v >= 0.0))
    {
        return Err(SpecError::new(
            format!("{field}[{i}]"),
            format!("must be a finite number ≥ 0, got {}", num(*v)),
        ));
    }
    let total: f64 = w.iter().sum();
    if !(total > 0.0 && total.is_finite()) {
        return Err(SpecError::new(
            field,
            format!(
                "must have a positive sum (they are normalised to probabilities), got {}",
                num(total)
            ),
        ));
    }
    Ok(())
}

pub(crate) fn check_schedule(s: &Schedule, path: &str) -> Result<(), SpecError> {
    match *s {
        Schedule::Constant => Ok(()),
        Schedule::InverseTime { t0 } | Schedule::InverseSqrt { t0 } => {
            if t0.is_finite() && t0 > 0.0 {
                Ok(())
            } else {
                Err(SpecError::new(
                    format!("{path}.t0"),
                    format!("must be a finite number > 0, got {}", num(t0)),
                ))
            }
        }
        Schedule::Exponential { gamma } => check_gamma(gamma, path),
        Schedule::Step { every, gamma } => {
            if every == 0 {
                return Err(SpecError::new(
                    format!("{path}.every"),
                    "must be an integer ≥ 1, got 0",
                ));
            }
            check_gamma(gamma, path)
        }
        Schedule::Cosine { steps } => match steps {
            Some(0) => Err(SpecError::new(
                format!("{path}.steps"),
                "must be an integer ≥ 1, got 0",
            )),
            _ => Ok(()),
        },
    }
}

fn check_gamma(gamma: f64, path: &str) -> Result<(), SpecError> {
    if gamma > 0.0 && gamma <= 1.0 {
        Ok(())
    } else {
        Err(SpecError::new(
            format!("{path}.gamma"),
            format!("must be in (0, 1], got {}", num(gamma)),
        ))
    }
}

pub(crate) fn check_averaging(a: &Averaging, path: &str) -> Result<(), SpecError> {
    match *a {
        Averaging::Ema { decay } if !(0.0..1.0).contains(&decay) => Err(SpecError::new(
            format!("{path}.decay"),
            format!("must be in [0, 1), got {}", num(decay)),
        )),
        _ => Ok(()),
    }
}

fn check_values(path: &str, v: &[f64]) -> Result<(), SpecError> {
    for (k, &x) in v.iter().enumerate() {
        if !(x.is_finite() && x.abs() <= MAX_ABS_VALUE) {
            return Err(SpecError::new(
                format!("{path}[{k}]"),
                format!("must be a finite number with |value| ≤ 1e6, got {}", num(x)),
            ));
        }
    }
    Ok(())
}

/// Checks a list of rows: 1 ≤ n ≤ MAX_N, equal lengths 1 ≤ d ≤ MAX_D, finite bounded values.
fn check_rows(path: &str, rows: &[Vec<f64>]) -> Result<(u64, u64), SpecError> {
    let n = rows.len() as u64;
    if n == 0 || n > MAX_N {
        return Err(SpecError::new(
            path,
            format!("must have between 1 and {MAX_N} rows, got {n}"),
        ));
    }
    let d = rows[0].len() as u64;
    if d == 0 || d > MAX_D {
        return Err(SpecError::new(
            format!("{path}[0]"),
            format!("must have between 1 and {MAX_D} entries (the dimension d), got {d}"),
        ));
    }
    if n * d > MAX_N_TIMES_D {
        return Err(SpecError::new(
            path,
            format!("is too large: n × d must be at most {MAX_N_TIMES_D}, got {n} × {d}"),
        ));
    }
    for (i, r) in rows.iter().enumerate() {
        if r.len() as u64 != d {
            return Err(SpecError::new(
                format!("{path}[{i}]"),
                format!("must have {d} entries like the first row, got {}", r.len()),
            ));
        }
        check_values(&format!("{path}[{i}]"), r)?;
    }
    Ok((n, d))
}

fn check_len(path: &str, v: &[f64], n: u64, what: &str) -> Result<(), SpecError> {
    if v.len() as u64 != n {
        return Err(SpecError::new(
            path,
            format!("must have {n} entries ({what}), got {}", v.len()),
        ));
    }
    check_values(path, v)
}

fn check_size(prefix: &str, n: u64, d: u64) -> Result<(), SpecError> {
    if n == 0 || n > MAX_N {
        return Err(SpecError::new(
            format!("{prefix}.n"),
            format!("must be between 1 and {MAX_N}, got {n}"),
        ));
    }
    if d == 0 || d > MAX_D {
        return Err(SpecError::new(
            format!("{prefix}.d"),
            format!("must be between 1 and {MAX_D}, got {d}"),
        ));
    }
    if n * d > MAX_N_TIMES_D {
        return Err(SpecError::new(
            format!("{prefix}.n"),
            format!("× d must be at most {MAX_N_TIMES_D}, got {n} × {d}"),
        ));
    }
    Ok(())
}

fn check_range(path: &str, v: f64, lo: f64, hi: f64) -> Result<(), SpecError> {
    if v.is_finite() && v >= lo && v <= hi {
        Ok(())
    } else {
        Err(SpecError::new(
            path,
            format!(
                "must be a number from {} to {}, got {}",
                num(lo),
                num(hi),
                num(v)
            ),
        ))
    }
}

fn check_seed(path: &str, seed: u64) -> Result<(), SpecError> {
    if seed == RANDOM_SEED {
        return Err(seed::unresolved(path));
    }
    if seed > MAX_SEED {
        return Err(SpecError::new(
            path,
            format!("must be an integer from 0 to {MAX_SEED} (2^53 − 1), got {seed}"),
        ));
    }
    Ok(())
}

fn vector_or_ones(path: &str, v: &Option<Vec<f64>>, d: u64) -> Result<Vec<f64>, SpecError> {
    match v {
        None => Ok(vec![1.0; d as usize]),
        Some(v) => {
            check_len(path, v, d, "the dimension d")?;
            Ok(v.clone())
        }
    }
}

thread_local! {
    /// The last problem built, and its spec: a change of anything else (a knob, the
    /// seed) does not build it again. (One problem: at most 10⁶ numbers of data.)
    static LAST_PROBLEM: std::cell::RefCell<Option<(ProblemSpec, Arc<Problem>)>> =
        const { std::cell::RefCell::new(None) };
}

/// Forgets the last problem built (tests and benchmarks that time or slice a build).
pub fn forget_problems() {
    LAST_PROBLEM.with(|l| *l.borrow_mut() = None);
}

/// The problem `spec` describes: the last one built when the spec is the same, else
/// built (resumably, inside a [`crate::slice::Job`]).
pub fn shared_problem(spec: &ProblemSpec) -> Result<Arc<Problem>, SpecError> {
    // Inside `value`, so that a job's runs see the same loops whether or not the
    // problem was here already.
    crate::slice::value("the problem", || {
        let last = LAST_PROBLEM.with(|l| {
            l.borrow()
                .as_ref()
                .filter(|(s, _)| s == spec)
                .map(|(_, p)| p.clone())
        });
        if let Some(p) = last {
            return Ok(p);
        }
        let p = Arc::new(build_problem(spec)?);
        if !crate::slice::cut_short() {
            LAST_PROBLEM.with(|l| *l.borrow_mut() = Some((spec.clone(), p.clone())));
        }
        Ok(p)
    })
}

/// Builds the problem a spec describes, generating data where asked.
pub fn build_problem(spec: &ProblemSpec) -> Result<Problem, SpecError> {
    match spec {
        ProblemSpec::LeastSquares { x, y } => {
            let (n, _) = check_rows("problem.x", x)?;
            check_len("problem.y", y, n, "one target per row of problem.x")?;
            Ok(Problem::LeastSquares(LeastSquares::new(x, y)?))
        }
        ProblemSpec::Quadratic { h, centers } => {
            let (d, dh) = check_rows("problem.h", h)?;
            if d != dh {
                return Err(SpecError::new(
                    "problem.h",
                    format!("must be square, got {d} rows of {dh}"),
                ));
            }
            let (_, dc) = check_rows("problem.centers", centers)?;
            if dc != d {
                return Err(SpecError::new(
                    "problem.centers[0]",
                    format!("must have {d} entries (H is {d}×{d}), got {dc}"),
                ));
            }
            Ok(Problem::Quadratic(Quadratic::new(h, centers)?))
        }
        ProblemSpec::Logistic { x, y, l2 } => {
            let (n, _) = check_rows("problem.x", x)?;
            if y.len() as u64 != n {
                return Err(SpecError::new(
                    "problem.y",
                    format!(
                        "must have {n} labels (one per row of problem.x), got {}",
                        y.len()
                    ),
                ));
            }
            for (i, &v) in y.iter().enumerate() {
                if v != 1.0 && v != -1.0 {
                    return Err(SpecError::new(
                        format!("problem.y[{i}]"),
                        format!("must be -1 or 1, got {}", num(v)),
                    ));
                }
            }
            check_range("problem.l2", *l2, 0.0, 1e6)?;
            Ok(Problem::Logistic(Logistic::new(x, y, *l2)?))
        }
        ProblemSpec::RandomLeastSquares {
            n,
            d,
            noise,
            kappa,
            w_true,
            seed,
            sorted,
        } => {
            check_size("problem", *n, *d)?;
            check_range("problem.noise", *noise, 0.0, 1e3)?;
            check_range("problem.kappa", *kappa, 1.0, 1e6)?;
            check_seed("problem.seed", *seed)?;
            let w_true = vector_or_ones("problem.w_true", w_true, *d)?;
            // (Shared: the later runs of a build in slices do not copy the data.)
            let data = crate::slice::value("the data", || {
                let mut data =
                    data::least_squares(*n as usize, *d as usize, *noise, *kappa, &w_true, *seed);
                if *sorted && !crate::slice::cut_short() {
                    data.sort_by_y();
                }
                Arc::new(data)
            });
            crate::slice::check()?;
            LeastSquares::new(&data.x, &data.y)
                .map(Problem::LeastSquares)
                .map_err(|_| {
                    SpecError::new(
                        "problem.n",
                        format!(
                            "must be at least d = {d} so that the generated rows span R^d, got {n}"
                        ),
                    )
                })
        }
        ProblemSpec::RandomQuadratic {
            n,
            d,
            kappa,
            spread,
            angle,
            center,
            seed,
        } => {
            check_size("problem", *n, *d)?;
            check_range("problem.kappa", *kappa, 1.0, 1e6)?;
            check_range("problem.spread", *spread, 0.0, 1e3)?;
            check_range("problem.angle", *angle, -360.0, 360.0)?;
            check_seed("problem.seed", *seed)?;
            let center = vector_or_ones("problem.center", center, *d)?;
            let (h, centers) = data::quadratic(
                *n as usize,
                *d as usize,
                *kappa,
                *spread,
                angle.to_radians(),
                &center,
                *seed,
            );
            crate::slice::check()?;
            Ok(Problem::Quadratic(Quadratic::new(&h, &centers)?))
        }
        ProblemSpec::RandomLogistic {
            n,
            d,
            separation,
            l2,
            seed,
        } => {
            check_size("problem", *n, *d)?;
            check_range("problem.separation", *separation, 0.0, 100.0)?;
            check_range("problem.l2", *l2, 0.0, 1e6)?;
            check_seed("problem.seed", *seed)?;
            let data = crate::slice::value("the data", || {
                Arc::new(data::logistic(*n as usize, *d as usize, *separation, *seed))
            });
            crate::slice::check()?;
            Ok(Problem::Logistic(Logistic::new(&data.0, &data.1, *l2)?))
        }
    }
}
