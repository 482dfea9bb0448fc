//! The exact expected loss gap E[L(w_t)] − L* of SGD on the quadratic problems, the
//! curve that the mean over many runs estimates (expected-loss draws it beside the
//! lecture's bound).
//!
//! Every per-sample gradient is affine in e = w − w*: ∇l_i(w) = A_i e + r_i, with
//! E[A_i] = H and E[r_i] = ∇L(w*) = 0 (least squares: A_i = x_i x_iᵀ and
//! r_i = x_i (x_iᵀw* − y_i); quadratics with centres: A_i = H and r_i = H (w* − c_i)).
//! A step on a mini-batch of b samples drawn with replacement is
//! e' = e − η_t (Ā e + r̄), so the mean m = E[e] and the second moment X = E[e eᵀ]
//! follow exactly
//!   m' = (I − η H) m,
//!   X' = X − η (HX + XH) + η² (HXH + (E[A X A] − HXH)/b)
//!        + (η²/b) (E[A m rᵀ] + E[r mᵀ A]) + (η²/b) E[r rᵀ],
//! and E[L(w_t)] − L* = ½ tr(H X_t). For least squares E[A X A] and E[A m rᵀ] come
//! from the data's fourth and third moments (precomputed once, so a step costs O(d⁴)
//! whatever n is).

use crate::method::MethodKind;
use crate::problem::Problem;
use crate::sampler::Sampling;
use crate::scenario::Setup;

/// The most work (multiply-adds) spent on one curve: n d⁴ for the moments plus d⁴ a
/// step. About 0.1 s in the browser.
const MAX_WORK: f64 = 5e7;

/// A gap above this ends the curve (the expectation diverges).
const MAX_GAP: f64 = 1e100;

/// E[L(w_t)] − L* for t = 0 … steps (shorter if it passes 10¹⁰⁰), or why it is not
/// computed (in words, to complete "The exact expectation is not drawn: …").
pub fn exact_mean_gap(setup: &Setup) -> Result<Vec<f64>, String> {
    applies(setup, setup.scenario.steps)?;
    let (s, meth, p) = (&setup.scenario, &setup.scenario.method, &*setup.problem);
    let d = p.d();
    let m = Moments::of(p).ok_or("it is computed for least-squares and quadratic problems")?;
    let b = meth.batch as f64;
    let mut e: Vec<f64> = setup
        .w0
        .iter()
        .zip(p.optimum())
        .map(|(a, c)| a - c)
        .collect();
    let mut x = outer(&e, &e);
    let mut out = Vec::with_capacity(s.steps as usize + 1);
    for t in 0..=s.steps {
        let gap = 0.5 * trace_of_product(&m.h, &x, d);
        if gap.is_nan() || gap > MAX_GAP {
            break;
        }
        out.push(gap.max(0.0));
        if t == s.steps {
            break;
        }
        let eta = s.schedule.lr(meth.lr, t, s.steps);
        x = m.step(&x, &e, eta, b);
        let he = mat_vec(&m.h, &e, d);
        for (ei, hi) in e.iter_mut().zip(&he) {
            *ei -= eta * hi;
        }
    }
    Ok(out)
}

/// The level that E[L(w_t)] − L* settles at with a constant step: ½ tr(H X∞), where
/// X∞ is the fixed point of the second-moment recursion once E[e] → 0 (a d² × d² linear
/// system), or `None` when the recursion does not contract (the expectation diverges:
/// its spectral radius, found by power iteration from I on the cone of positive
/// semidefinite matrices that the map preserves, is ≥ 1) or is not computed here.
pub fn stationary_gap(setup: &Setup) -> Option<f64> {
    let x = stationary_second_moment(setup)?;
    let h = setup.problem.constant_hessian()?;
    let gap = 0.5 * trace_of_product(h, &x, setup.problem.d());
    (gap.is_finite() && gap >= 0.0).then_some(gap)
}

/// X∞ = lim E[(w_t − w*)(w_t − w*)ᵀ] at a constant step (d × d, row-major): the shape
/// of SGD's stationary cloud around w*; `None` as for [`stationary_gap`].
pub fn stationary_second_moment(setup: &Setup) -> Option<Vec<f64>> {
    let s = &setup.scenario;
    if !s.schedule.is_constant() || setup.problem.d() > 12 {
        return None;
    }
    applies(setup, 0).ok()?;
    let m = Moments::of(&setup.problem)?;
    let d = m.d;
    let (eta, b) = (s.method.lr, s.method.batch as f64);
    let zero = vec![0.0; d];
    let e2b = eta * eta / b;
    // The linear part of X ↦ X': the step without its constant term.
    let lin = |x: &[f64]| -> Vec<f64> {
        let mut y = m.step(x, &zero, eta, b);
        for (v, r) in y.iter_mut().zip(&m.rr) {
            *v -= e2b * r;
        }
        y
    };
    let mut v: Vec<f64> = (0..d * d).map(|k| f64::from(k % (d + 1) == 0)).collect();
    let mut radius = 0.0;
    for _ in 0..400 {
        let y = lin(&v);
        let norm = y.iter().map(|a| a * a).sum::<f64>().sqrt();
        if !(norm > 0.0 && norm.is_finite()) {
            break;
        }
        radius = norm / v.iter().map(|a| a * a).sum::<f64>().sqrt();
        v = y.iter().map(|a| a / norm).collect();
    }
    if radius.is_nan() || radius >= 1.0 - 1e-9 {
        return None;
    }
    // (I − L) vec(X) = (η²/b) vec(E[r rᵀ]).
    let n = d * d;
    let mut a = vec![0.0; n * n];
    for c in 0..n {
        let mut basis = vec![0.0; n];
        basis[c] = 1.0;
        let col = lin(&basis);
        for r in 0..n {
            a[r * n + c] = f64::from(r == c) - col[r];
        }
    }
    let rhs: Vec<f64> = m.rr.iter().map(|r| e2b * r).collect();
    let x = solve(a, rhs, n)?;
    x.iter().all(|v| v.is_finite()).then_some(x)
}

/// Solves A x = b (n × n, row-major) by Gaussian elimination with partial pivoting.
fn solve(mut a: Vec<f64>, mut b: Vec<f64>, n: usize) -> Option<Vec<f64>> {
    for c in 0..n {
        let piv = (c..n).max_by(|&i, &j| a[i * n + c].abs().total_cmp(&a[j * n + c].abs()))?;
        if a[piv * n + c] == 0.0 {
            return None;
        }
        for k in 0..n {
            a.swap(c * n + k, piv * n + k);
        }
        b.swap(c, piv);
        for r in c + 1..n {
            let f = a[r * n + c] / a[c * n + c];
            for k in c..n {
                a[r * n + k] -= f * a[c * n + k];
            }
            b[r] -= f * b[c];
        }
    }
    let mut x = vec![0.0; n];
    for r in (0..n).rev() {
        let s: f64 = (r + 1..n).map(|k| a[r * n + k] * x[k]).sum();
        x[r] = (b[r] - s) / a[r * n + r];
    }
    Some(x)
}

/// Whether the recursion holds and is affordable for `steps` steps, or why not.
fn applies(setup: &Setup, steps: u64) -> Result<(), String> {
    let meth = &setup.scenario.method;
    if meth.kind != MethodKind::Sgd {
        return Err("it is computed for plain SGD".into());
    }
    if meth.momentum != 0.0 {
        return Err("it is computed for SGD without momentum".into());
    }
    if meth.sampling != Sampling::WithReplacement {
        return Err("it is computed for samples drawn with replacement".into());
    }
    if meth.sample_weights.is_some() {
        return Err("it is computed for samples drawn uniformly".into());
    }
    let p = &*setup.problem;
    let d = p.d();
    let work = (p.n() as f64 + steps as f64) * (d * d * d * d) as f64;
    if work > MAX_WORK {
        return Err(format!(
            "the problem is too large to compute it here (n = {}, d = {d})",
            p.n()
        ));
    }
    if p.constant_hessian().is_none() {
        return Err("it is computed for least-squares and quadratic problems".into());
    }
    Ok(())
}

/// What the recursion needs of the problem.
struct Moments {
    d: usize,
    h: Vec<f64>,
    /// E[A X A] as a linear map of X: `axa[(i·d + j)·d² + k·d + l]` = E[A_ik A_lj]
    /// (least squares: E[x_i x_j x_k x_l]); `None` when A_i = H (then HXH).
    axa: Option<Vec<f64>>,
    /// E[A m rᵀ]_ij = Σ_k `amr[(i·d + j)·d + k]` m_k (least squares:
    /// E[x_i x_k x_j (x·w* − y)]); `None` when it is 0.
    amr: Option<Vec<f64>>,
    /// E[r rᵀ].
    rr: Vec<f64>,
}

impl Moments {
    fn of(p: &Problem) -> Option<Moments> {
        let d = p.d();
        let n = p.n() as f64;
        let h = p.constant_hessian()?.to_vec();
        let w_star = p.optimum();
        let mut rr = vec![0.0; d * d];
        match p {
            Problem::LeastSquares(ls) => {
                let mut axa = vec![0.0; d * d * d * d];
                let mut amr = vec![0.0; d * d * d];
                for s in 0..ls.n() {
                    let x = ls.row(s);
                    let res: f64 =
                        x.iter().zip(w_star).map(|(a, b)| a * b).sum::<f64>() - ls.target(s);
                    for i in 0..d {
                        for j in 0..d {
                            let xij = x[i] * x[j] / n;
                            rr[i * d + j] += xij * res * res;
                            for k in 0..d {
                                let xijk = xij * x[k];
                                amr[(i * d + j) * d + k] += xijk * res;
                                for l in 0..d {
                                    axa[(i * d + j) * d * d + k * d + l] += xijk * x[l];
                                }
                            }
                        }
                    }
                }
                Some(Moments {
                    d,
                    h,
                    axa: Some(axa),
                    amr: Some(amr),
                    rr,
                })
            }
            Problem::Quadratic(q) => {
                let mut diff = vec![0.0; d];
                for s in 0..q.n() {
                    for (a, (w, c)) in diff.iter_mut().zip(w_star.iter().zip(q.center(s))) {
                        *a = w - c;
                    }
                    let r = mat_vec(&h, &diff, d);
                    for i in 0..d {
                        for j in 0..d {
                            rr[i * d + j] += r[i] * r[j] / n;
                        }
                    }
                }
                Some(Moments {
                    d,
                    h,
                    axa: None,
                    amr: None,
                    rr,
                })
            }
            Problem::Logistic(_) => None,
        }
    }

    /// X after one step of size `eta` from mean `m` and second moment `x`.
    fn step(&self, x: &[f64], m: &[f64], eta: f64, b: f64) -> Vec<f64> {
        let d = self.d;
        let hx = mat_mul(&self.h, x, d);
        let xh = mat_mul(x, &self.h, d);
        let hxh = mat_mul(&hx, &self.h, d);
        let axa = match &self.axa {
            Some(t) => (0..d * d)
                .map(|ij| {
                    let row = &t[ij * d * d..(ij + 1) * d * d];
                    row.iter().zip(x).map(|(a, b)| a * b).sum()
                })
                .collect(),
            None => hxh.clone(),
        };
        let amr: Vec<f64> = match &self.amr {
            Some(t) => (0..d * d)
                .map(|ij| {
                    t[ij * d..(ij + 1) * d]
                        .iter()
                        .zip(m)
                        .map(|(a, b)| a * b)
                        .sum()
                })
                .collect(),
            None => vec![0.0; d * d],
        };
        let (e2, e2b) = (eta * eta, eta * eta / b);
        let mut out = vec![0.0; d * d];
        for i in 0..d {
            for j in 0..d {
                let k = i * d + j;
                out[k] = x[k] - eta * (hx[k] + xh[k])
                    + e2 * hxh[k]
                    + e2b * (axa[k] - hxh[k])
                    + e2b * (amr[k] + amr[j * d + i])
                    + e2b * self.rr[k];
            }
        }
        out
    }
}

fn outer(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter()
        .flat_map(|x| b.iter().map(move |y| x * y))
        .collect()
}

fn mat_mul(a: &[f64], b: &[f64], d: usize) -> Vec<f64> {
    crate::linalg::mat_mul(a, b, d)
}

fn mat_vec(a: &[f64], v: &[f64], d: usize) -> Vec<f64> {
    let mut out = vec![0.0; d];
    crate::linalg::mat_vec(a, v, &mut out);
    out
}

/// tr(A B) for d×d matrices.
fn trace_of_product(a: &[f64], b: &[f64], d: usize) -> f64 {
    (0..d)
        .map(|i| (0..d).map(|k| a[i * d + k] * b[k * d + i]).sum::<f64>())
        .sum()
}
