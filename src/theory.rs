//! The theory numbers the labs draw: the optimum, smoothness L_s and strong
//! convexity m, κ, σ0, a provably valid second-moment pair (M, M_G), the per-sample
//! minimisers and the zone of confusion (1-D), the largest stable GD step and the
//! lecture's bound curve η L_s M/(2m) + (1 − ηm)^t (L(w0) − L*).
//!
//! ## The second-moment pair
//! The lecture's rate (Bottou, Curtis & Nocedal 2018, Thm 4.6) assumes, for every w,
//!   E‖∇l_i(w)‖² ≤ M + M_G ‖∇L(w)‖²,
//! and a step η ≤ 1/(L_s M_G). For the quadratic problems, with e = w − w*, every
//! per-sample gradient is affine: ∇l_i(w) = A_i e + r_i (least squares: A_i = x_i x_iᵀ,
//! r_i = x_i (x_iᵀw* − y_i); quadratic: A_i = H, r_i = H (w* − c_i)), and ∇L(w) = H e.
//! So, with u = H e, S = E[A_iᵀA_i], v = E[A_iᵀ r_i], Q = H⁻¹ S H⁻¹ and p = H⁻¹ v,
//!   E‖∇l_i‖² = uᵀQu + 2uᵀp + σ0,  σ0 = E‖r_i‖² = E‖∇l_i(w*)‖².
//! For any M_G > ρ = λ_max(Q) (ρ ≥ 1 by Jensen), the smallest M that makes the
//! inequality hold for all u is exactly
//!   M(M_G) = σ0 + pᵀ (M_G I − Q)⁻¹ p   (the maximum over u of the difference).
//! The middle term p is why M = σ0 is not enough in general (it is zero for the
//! quadratic-with-centres problem, where the pair (σ0, 1) holds with equality).
//! `theory` reports the pair at M_G = 2ρ (a step bound half the largest possible, for a
//! modest M); the bound curve for a given η uses the tightest valid pair for that η,
//! M_G = 1/(η L_s), and is not drawn when that is ≤ ρ (the theorem does not apply).
//! With a mini-batch of b samples drawn with replacement,
//!   E‖g_B‖² ≤ M/b + (1 + (M_G − 1)/b) ‖∇L‖²,
//! which is the pair used for b > 1.

use crate::error::SpecError;
use crate::linalg::{cholesky, cholesky_inverse, dot, mat_mul, mat_vec, norm2, sym_eigen};
use crate::method::MethodKind;
use crate::problem::Problem;
use crate::sampler::Sampling;
use crate::scenario::Setup;
use crate::slice;
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::{Arc, Weak};

#[derive(Clone, Debug, Serialize)]
pub struct Optimum {
    pub w: Vec<f64>,
    pub loss: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct SigmaPair {
    /// M_G (the lecture's σ).
    pub m_g: f64,
    /// M (the lecture's σ0 term as it must be for the inequality to hold everywhere).
    pub m: f64,
    /// ρ = λ_max(H⁻¹ E[A_iᵀA_i] H⁻¹): every valid M_G is > ρ (or = ρ when p = 0).
    pub m_g_min: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Bound {
    /// Step size and batch the curve is for.
    pub lr: f64,
    pub batch: u64,
    /// The pair used (for the batch): M_G = 1/(η L_s), M = M(M_G).
    pub m_g: f64,
    pub m: f64,
    /// η L_s M/(2m): the floor the curve tends to.
    pub floor: f64,
    /// 1 − η m.
    pub rate: f64,
    pub initial_gap: f64,
    /// floor + rate^t · initial_gap for t = 0 … steps.
    pub curve: Vec<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Theory {
    pub optimum: Optimum,
    /// L_s: largest Hessian eigenvalue (quadratics); for logistic the global bound
    /// λ_max(XᵀX)/(4n) + λ.
    pub smoothness: f64,
    /// m: smallest Hessian eigenvalue (quadratics); for logistic the global bound λ.
    pub strong_convexity: f64,
    /// κ = L_s/m (null when m = 0).
    pub condition_number: Option<f64>,
    /// Eigenvalues of the Hessian at w*, ascending.
    pub hessian_eigenvalues: Vec<f64>,
    /// σ0 = mean ‖∇l_i(w*)‖².
    pub sigma0: f64,
    /// A valid (M, M_G) pair; null for logistic (no closed form).
    pub sigma: Option<SigmaPair>,
    /// w*_i: numbers in 1-D (null where a sample has no unique minimiser, x_i = 0);
    /// the centres c_i for quadratics in any dimension; null otherwise.
    pub per_sample_minimizers: Option<serde_json::Value>,
    /// [min w*_i, max w*_i] in 1-D.
    pub zone_of_confusion: Option<[f64; 2]>,
    /// 2/L_s: GD diverges above it.
    pub max_stable_lr: f64,
    /// L(w0) − L*.
    pub initial_gap: f64,
    /// The bound for the scenario's method, when the theorem applies to it: constant
    /// schedule, no momentum, GD or SGD with replacement, quadratic problem, and
    /// η L_s M_G ≤ 1 possible.
    pub bound: Option<Bound>,
    /// Why `bound` is null, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bound_note: Option<String>,
}

/// The pieces of the affine per-sample gradient model (quadratic problems only).
struct Moments {
    sigma0: f64,
    q: Vec<f64>,
    p: Vec<f64>,
    rho: f64,
}

fn moments(problem: &Problem) -> Option<Moments> {
    let h = problem.constant_hessian()?.to_vec();
    let d = problem.d();
    let n = problem.n();
    let w_star = problem.optimum();
    let mut s = vec![0.0; d * d];
    let mut v = vec![0.0; d];
    let mut sigma0 = 0.0;
    let r = vec![0.0; d];
    match problem {
        Problem::LeastSquares(ls) => {
            let init = (s, v, sigma0, r);
            let cost = (d * d + 4 * d) as u64;
            (s, v, sigma0, _) = slice::rows(
                "the noise's moments",
                n,
                cost,
                init,
                |(s, v, sigma0, r), i| {
                    let x = ls.row(i);
                    let res = dot(x, w_star) - ls.target(i);
                    let xx = norm2(x);
                    for a in 0..d {
                        r[a] = x[a] * res;
                        v[a] += xx * res * x[a] / n as f64;
                    }
                    sgd_lab_kernel::dense::add_outer_div(s, x, xx, n as f64);
                    *sigma0 += norm2(r) / n as f64;
                },
            );
        }
        Problem::Quadratic(qp) => {
            s = mat_mul(&h, &h, d);
            let init = (vec![0.0; d], r, sigma0);
            let cost = (d * d + 2 * d) as u64;
            (_, _, sigma0) =
                slice::rows("the noise at w*", n, cost, init, |(diff, r, sigma0), i| {
                    for a in 0..d {
                        diff[a] = w_star[a] - qp.center(i)[a];
                    }
                    mat_vec(&h, diff, r);
                    *sigma0 += norm2(r) / n as f64;
                });
            // v = H² (w* − mean c_i) = 0 exactly, since w* is the mean of the centres.
        }
        Problem::Logistic(_) => return None,
    }
    if slice::cut_short() {
        return None;
    }
    let l = cholesky(&h, d)?;
    let hinv = cholesky_inverse(&l, d);
    let mut q = mat_mul(&mat_mul(&hinv, &s, d), &hinv, d);
    for a in 0..d {
        for b in 0..a {
            let m = 0.5 * (q[a * d + b] + q[b * d + a]);
            q[a * d + b] = m;
            q[b * d + a] = m;
        }
    }
    let mut p = vec![0.0; d];
    mat_vec(&hinv, &v, &mut p);
    let rho = sym_eigen(&q, d).0[d - 1].max(1.0);
    Some(Moments { sigma0, q, p, rho })
}

impl Moments {
    /// M(M_G) = σ0 + pᵀ (M_G I − Q)⁻¹ p, for M_G > ρ.
    fn m_for(&self, m_g: f64) -> Option<f64> {
        let d = self.p.len();
        if norm2(&self.p) == 0.0 {
            return (m_g >= self.rho * (1.0 - 1e-12)).then_some(self.sigma0);
        }
        if m_g <= self.rho {
            return None;
        }
        let mut a = vec![0.0; d * d];
        for i in 0..d {
            for j in 0..d {
                a[i * d + j] = if i == j { m_g } else { 0.0 } - self.q[i * d + j];
            }
        }
        let l = cholesky(&a, d)?;
        let y = crate::linalg::cholesky_solve(&l, &self.p);
        Some(self.sigma0 + dot(&self.p, &y))
    }
}

/// What the theory needs of a problem alone (its O(n d²) loops over the data):
/// computed once per problem, in slices inside a job ([`prepare`]).
struct Facts {
    eig: Vec<f64>,
    smoothness: f64,
    strong_convexity: f64,
    sigma0: f64,
    moments: Option<Moments>,
}

thread_local! {
    /// The facts of the last few problems (held weakly: a dropped problem's go).
    static FACTS: RefCell<Vec<(Weak<Problem>, Rc<Facts>)>> = const { RefCell::new(Vec::new()) };
}

fn compute_facts(p: &Problem) -> Result<Facts, SpecError> {
    let d = p.d();
    let w_star = p.optimum().to_vec();
    let h = p.hessian(&w_star);
    slice::check()?;
    // (Saved: the later runs of a job built in slices skip the O(d³) work.)
    let eig = slice::value("the spectrum", || sym_eigen(&h, d).0);
    let (smoothness, strong_convexity) = match p {
        Problem::Logistic(lp) => {
            let xtx = slice::rows(
                "forming XᵀX",
                lp.n(),
                (d * d) as u64,
                vec![0.0; d * d],
                |xtx, i| sgd_lab_kernel::dense::add_outer(xtx, lp.row(i), 1.0),
            );
            slice::check()?;
            let top = slice::value("the largest eigenvalue of XᵀX", || {
                sym_eigen(&xtx, d).0[d - 1]
            });
            (top / (4.0 * lp.n() as f64) + lp.l2(), lp.l2())
        }
        _ => (eig[d - 1], eig[0]),
    };
    let init = (0.0, vec![0.0; d]);
    let (sigma0, _) = slice::rows(
        "the noise at w*",
        p.n(),
        3 * d as u64,
        init,
        |(sigma0, g), i| {
            g.iter_mut().for_each(|v| *v = 0.0);
            p.add_grad_i(&w_star, i, 1.0, g);
            *sigma0 += norm2(g) / p.n() as f64;
        },
    );
    let moments = moments(p);
    slice::check()?;
    Ok(Facts {
        eig,
        smoothness,
        strong_convexity,
        sigma0,
        moments,
    })
}

fn facts(problem: &Arc<Problem>) -> Result<Rc<Facts>, SpecError> {
    let known = FACTS.with(|f| {
        let mut f = f.borrow_mut();
        f.retain(|(p, _)| p.strong_count() > 0);
        f.iter()
            .find(|(p, _)| std::ptr::eq(p.as_ptr(), Arc::as_ptr(problem)))
            .map(|(_, facts)| facts.clone())
    });
    if let Some(known) = known {
        return Ok(known);
    }
    let facts = Rc::new(compute_facts(problem)?);
    FACTS.with(|f| {
        let mut f = f.borrow_mut();
        if f.len() >= 4 {
            f.remove(0);
        }
        f.push((Arc::downgrade(problem), facts.clone()));
    });
    Ok(facts)
}

/// Computes and keeps what [`theory`] needs of this problem alone, so that the labs
/// built on it find it ready. Inside a [`slice::Job`] this is done in slices: `Err`
/// when the run was cut short (and nothing is kept).
pub fn prepare(problem: &Arc<Problem>) -> Result<(), SpecError> {
    facts(problem).map(|_| ())
}

pub fn theory(setup: &Setup) -> Theory {
    let p = &*setup.problem;
    let d = p.d();
    let w_star = p.optimum().to_vec();
    // Only a job's run cut short fails here (its result is thrown away): stand-ins.
    let facts = facts(&setup.problem).unwrap_or_else(|_| {
        Rc::new(Facts {
            eig: vec![1.0; d],
            smoothness: 1.0,
            strong_convexity: 1.0,
            sigma0: 0.0,
            moments: None,
        })
    });
    let eig = facts.eig.clone();
    let (smoothness, strong_convexity, sigma0) =
        (facts.smoothness, facts.strong_convexity, facts.sigma0);
    let mom = facts.moments.as_ref();
    let sigma = mom.as_ref().and_then(|m| {
        let m_g = 2.0 * m.rho;
        Some(SigmaPair {
            m_g,
            m: m.m_for(m_g)?,
            m_g_min: m.rho,
        })
    });
    let (per_sample_minimizers, zone_of_confusion) = minimizers(p);
    let initial_gap = p.gap(&setup.w0);
    let (bound, bound_note) = match bound(setup, mom, smoothness, strong_convexity, initial_gap) {
        Ok(b) => (Some(b), None),
        Err(why) => (None, Some(why)),
    };
    Theory {
        optimum: Optimum {
            w: w_star,
            loss: p.min_loss(),
        },
        smoothness,
        strong_convexity,
        condition_number: (strong_convexity > 0.0).then(|| smoothness / strong_convexity),
        hessian_eigenvalues: eig,
        sigma0,
        sigma,
        per_sample_minimizers,
        zone_of_confusion,
        max_stable_lr: 2.0 / smoothness,
        initial_gap,
        bound,
        bound_note,
    }
}

fn minimizers(p: &Problem) -> (Option<serde_json::Value>, Option<[f64; 2]>) {
    let one_d = |ws: Vec<Option<f64>>| {
        let defined: Vec<f64> = ws.iter().flatten().copied().collect();
        let zone = (!defined.is_empty()).then(|| {
            [
                defined.iter().copied().fold(f64::INFINITY, f64::min),
                defined.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            ]
        });
        (Some(serde_json::json!(ws)), zone)
    };
    match p {
        Problem::LeastSquares(ls) if ls.d() == 1 => one_d(
            (0..ls.n())
                .map(|i| (ls.row(i)[0] != 0.0).then(|| ls.target(i) / ls.row(i)[0]))
                .collect(),
        ),
        Problem::Quadratic(q) if q.d() == 1 => {
            one_d((0..q.n()).map(|i| Some(q.center(i)[0])).collect())
        }
        Problem::Quadratic(q) => (
            Some(serde_json::json!((0..q.n())
                .map(|i| q.center(i).to_vec())
                .collect::<Vec<_>>())),
            None,
        ),
        _ => (None, None),
    }
}

/// The lecture's bound for the scenario's step, batch and start, or why there is none.
fn bound(
    setup: &Setup,
    mom: Option<&Moments>,
    ls: f64,
    m: f64,
    initial_gap: f64,
) -> Result<Bound, String> {
    let s = &setup.scenario;
    let meth = &s.method;
    let mom = mom.ok_or("the bound is drawn for least-squares and quadratic problems only")?;
    if !s.schedule.is_constant() {
        return Err("the bound is for a constant step size".into());
    }
    if meth.momentum != 0.0 {
        return Err("the bound is for plain SGD, without momentum".into());
    }
    let n = setup.problem.n() as u64;
    let eta = meth.lr;
    let (batch, m_g_b, m_b) = match meth.kind {
        // GD: E‖g‖² = ‖∇L‖², so (M, M_G) = (0, 1).
        MethodKind::Gd => {
            if eta * ls > 1.0 {
                return Err(format!(
                    "the bound needs η ≤ 1/L_s = {:.4} for GD",
                    1.0 / ls
                ));
            }
            (n, 1.0, 0.0)
        }
        MethodKind::Sgd => {
            if meth.sampling != Sampling::WithReplacement {
                return Err("the bound assumes mini-batches drawn with replacement".into());
            }
            if meth.sample_weights.is_some() {
                return Err("the bound assumes samples drawn uniformly".into());
            }
            let b = meth.batch as f64;
            // Tightest valid choice for this η: M_G,b = 1/(η L_s).
            let m_g_b = 1.0 / (eta * ls);
            let m_g = 1.0 + b * (m_g_b - 1.0);
            let max_lr = 1.0 / (ls * (1.0 + (mom.rho - 1.0) / b));
            let mm = mom.m_for(m_g).ok_or_else(|| {
                format!(
                    "the theorem needs η < 1/(L_s M_G) = {:.4} for this batch",
                    max_lr
                )
            })?;
            (meth.batch, m_g_b, mm / b)
        }
        _ => return Err("the bound is for GD and plain SGD".into()),
    };
    let floor = eta * ls * m_b / (2.0 * m);
    let rate = 1.0 - eta * m;
    let curve = (0..=s.steps)
        .map(|t| floor + libm::pow(rate, t as f64) * initial_gap)
        .collect();
    Ok(Bound {
        lr: eta,
        batch,
        m_g: m_g_b,
        m: m_b,
        floor,
        rate,
        initial_gap,
        curve,
    })
}

/// The largest step η at which GD with `method`'s momentum (PyTorch's form) is stable on
/// a quadratic whose largest curvature is `smoothness` = L_s, or `None` when no step is
/// too large (momentum with dampening 1: the gradient enters only at the first step). On the
/// direction of curvature λ, with a = η (1 − τ) λ, heavy ball's error follows
/// e_{t+1} = (1 + μ − a) e_t − μ e_{t−1}, stable iff 0 < a < 2 (1 + μ); Nesterov's
/// (τ = 0) follows a 2×2 recursion with trace 1 + μ − a (1 + μ) and determinant
/// μ (1 − a), stable iff 0 < a < 2 (1 + μ)/(1 + 2μ). Without momentum both give 2/L_s.
/// The stochastic methods' expected iterate follows the same recursion (their
/// estimates are unbiased, SAG's asymptotically). For logistic regression L_s bounds
/// the curvature, so the step is safe rather than sharp.
pub fn max_stable_lr(method: &crate::method::MethodSpec, smoothness: f64) -> Option<f64> {
    let mu = method.momentum;
    if mu == 0.0 {
        // PyTorch ignores dampening without momentum: plain GD.
        return Some(2.0 / smoothness);
    }
    if method.nesterov {
        return Some(2.0 * (1.0 + mu) / ((1.0 + 2.0 * mu) * smoothness));
    }
    let damp = 1.0 - method.dampening;
    (damp > 0.0).then(|| 2.0 * (1.0 + mu) / (damp * smoothness))
}
