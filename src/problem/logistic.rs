//! Logistic regression with ridge: l_i(w) = log(1 + exp(−y_i x_iᵀw)) + (λ/2)‖w‖²,
//! labels y_i ∈ {−1, +1}. The optimum is found by damped Newton to ‖∇L‖ ≤ 1e-12.

use crate::error::SpecError;
use crate::linalg::{cholesky, cholesky_solve, dot, norm2};
use crate::slice;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct Logistic {
    n: usize,
    d: usize,
    /// Rows x_i, row-major n×d (shared: a problem built in slices keeps one copy).
    x: Arc<[f64]>,
    y: Arc<[f64]>,
    l2: f64,
    w_star: Vec<f64>,
    l_star: f64,
    /// b_i = y_i x_iᵀw* and σ(−b_i), cached for the stable gap.
    b: Vec<f64>,
    sig_neg_b: Vec<f64>,
}

fn no_minimiser() -> SpecError {
    SpecError::new(
        "problem.l2",
        "must be > 0 for these data: they are linearly separable, so without ridge the loss has no finite minimiser",
    )
}

/// log(1 + eᵗ) without overflow or loss of precision.
#[inline]
pub fn softplus(t: f64) -> f64 {
    if t > 0.0 {
        t + libm::log1p(libm::exp(-t))
    } else {
        libm::log1p(libm::exp(t))
    }
}

/// σ(t) = 1 / (1 + e^{−t}), evaluated on the side that cannot overflow.
#[inline]
pub fn sigmoid(t: f64) -> f64 {
    if t >= 0.0 {
        1.0 / (1.0 + libm::exp(-t))
    } else {
        let e = libm::exp(t);
        e / (1.0 + e)
    }
}

impl Logistic {
    pub fn new(rows: &[Vec<f64>], y: &[f64], l2: f64) -> Result<Logistic, SpecError> {
        let n = rows.len();
        let d = rows.first().map_or(0, |r| r.len());
        let (x, y) = slice::flat_rows(rows, y);
        let mut p = Logistic {
            n,
            d,
            x,
            y,
            l2,
            w_star: vec![0.0; d],
            l_star: 0.0,
            b: vec![0.0; n],
            sig_neg_b: vec![0.0; n],
        };
        p.w_star = p.newton()?;
        slice::check()?;
        // Without ridge, strictly separable data have no minimiser: the loss keeps falling
        // along a separating direction, and Newton stops only because the gradient underflows.
        let separates = |all: &mut bool, i: usize| {
            *all = *all && p.y[i] * dot(p.row(i), &p.w_star) > 0.0;
        };
        let separated =
            l2 == 0.0 && slice::rows("checking separability", n, d as u64, true, separates);
        slice::check()?;
        if separated {
            return Err(no_minimiser());
        }
        p.l_star = p.loss(&p.w_star.clone());
        slice::check()?;
        let init = (Vec::with_capacity(n), Vec::with_capacity(n));
        let (b, sig_neg_b) = slice::rows("margins at w*", n, d as u64, init, |(b, s), i| {
            let bi = p.y[i] * dot(p.row(i), &p.w_star);
            b.push(bi);
            s.push(sigmoid(-bi));
        });
        slice::check()?;
        p.b = b;
        p.sig_neg_b = sig_neg_b;
        Ok(p)
    }

    fn newton(&self) -> Result<Vec<f64>, SpecError> {
        let d = self.d;
        let mut w = vec![0.0; d];
        let mut g = vec![0.0; d];
        // The gradient's rounding noise grows with n: for large n it may never reach
        // 1e-13, and Newton would then take all 200 (costly, O(n d²)) iterations. It
        // stops as well once the gradient is small and has stopped falling (three
        // iterations in a row without halving): the iterate is then as good as the
        // arithmetic allows (issue #12: 31 s → well under 1 s at n = 15 625, d = 64).
        let mut best = f64::INFINITY;
        let mut stalled = 0;
        for _ in 0..200 {
            self.full_grad(&w, &mut g);
            slice::check()?;
            let gn = norm2(&g).sqrt();
            if gn <= 1e-13 {
                return Ok(w);
            }
            if gn <= 1e-9 && gn > 0.5 * best {
                stalled += 1;
                if stalled >= 3 {
                    return Ok(w);
                }
            } else {
                stalled = 0;
            }
            best = best.min(gn);
            let mut h = self.hessian(&w);
            slice::check()?;
            let trace: f64 = (0..d).map(|i| h[i * d + i]).sum();
            let mut l = cholesky(&h, d);
            let mut damping = 1e-14 * trace.max(1e-300);
            while l.is_none() && damping < 1e300 {
                for i in 0..d {
                    h[i * d + i] += damping;
                }
                l = cholesky(&h, d);
                damping *= 10.0;
            }
            let l = l.ok_or_else(no_minimiser)?;
            let step = cholesky_solve(&l, &g);
            // Backtracking on L; near the optimum the full step is always taken.
            let f0 = self.loss(&w);
            slice::check()?;
            let slope = dot(&g, &step);
            let mut t = 1.0;
            let mut trial = vec![0.0; d];
            loop {
                for k in 0..d {
                    trial[k] = w[k] - t * step[k];
                }
                let f1 = self.loss(&trial);
                slice::check()?;
                // Near the optimum the decrease (about ‖∇L‖²) is below the loss's
                // rounding: a step that does not raise L beyond it is taken, or Newton
                // would crawl at t ≈ 1e-10 with ‖∇L‖ stuck near 1e-9 (found by the fuzz
                // test: n = 19, d = 3, λ = 1).
                let flat = f1 - f0 <= 4.0 * f64::EPSILON * f0.abs();
                if f1 <= f0 - 1e-4 * t * slope || flat || t < 1e-10 {
                    break;
                }
                t *= 0.5;
            }
            if trial == w {
                // Converged to machine precision: no further change is possible.
                return Ok(w);
            }
            w.copy_from_slice(&trial);
            if norm2(&w) > 1e12 {
                return Err(no_minimiser());
            }
        }
        self.full_grad(&w, &mut g);
        slice::check()?;
        if norm2(&g).sqrt() <= 1e-9 {
            Ok(w)
        } else {
            Err(no_minimiser())
        }
    }

    fn full_grad(&self, w: &[f64], out: &mut [f64]) {
        let scale = 1.0 / self.n as f64;
        let g = slice::rows(
            "the gradient ∇L(w)",
            self.n,
            2 * self.d as u64,
            vec![0.0; self.d],
            |g, i| self.add_grad_i(w, i, scale, g),
        );
        out.copy_from_slice(&g);
    }

    pub fn n(&self) -> usize {
        self.n
    }
    pub fn d(&self) -> usize {
        self.d
    }
    pub fn l2(&self) -> f64 {
        self.l2
    }
    pub fn row(&self, i: usize) -> &[f64] {
        &self.x[i * self.d..(i + 1) * self.d]
    }
    pub fn label(&self, i: usize) -> f64 {
        self.y[i]
    }
    pub fn loss_i(&self, w: &[f64], i: usize) -> f64 {
        softplus(-self.y[i] * dot(self.row(i), w)) + 0.5 * self.l2 * norm2(w)
    }
    #[inline]
    pub fn add_grad_i(&self, w: &[f64], i: usize, scale: f64, out: &mut [f64]) {
        let xi = self.row(i);
        let yi = self.y[i];
        let coef = -scale * yi * sigmoid(-yi * dot(xi, w));
        for c in 0..self.d {
            out[c] += coef * xi[c] + scale * self.l2 * w[c];
        }
    }
    pub fn loss(&self, w: &[f64]) -> f64 {
        let s = crate::slice::sum("the loss L(w)", self.n, self.d as u64 + 8, |i| {
            softplus(-self.y[i] * dot(self.row(i), w))
        });
        s / self.n as f64 + 0.5 * self.l2 * norm2(w)
    }
    /// L(w) − L* as a sum of per-sample differences, each computed without
    /// cancellation: softplus(−a) − softplus(−b) = log1p(σ(−b)·expm1(b − a)) with
    /// b − a = −y_i x_iᵀ(w − w*), plus λ(eᵀw* + ½‖e‖²) for the ridge.
    pub fn gap(&self, w: &[f64]) -> f64 {
        let d = self.d;
        // d ≤ 64 is enforced by the scenario's validation: no allocation here.
        let mut e = [0.0f64; 64];
        let e = &mut e[..d];
        for k in 0..d {
            e[k] = w[k] - self.w_star[k];
        }
        let mut s = 0.0;
        for i in 0..self.n {
            let delta = self.y[i] * dot(self.row(i), e); // a − b
            if delta.abs() < 30.0 {
                s += libm::log1p(self.sig_neg_b[i] * libm::expm1(-delta));
            } else {
                s += softplus(-(self.b[i] + delta)) - softplus(-self.b[i]);
            }
        }
        let ridge = self.l2 * (dot(e, &self.w_star) + 0.5 * norm2(e));
        (s / self.n as f64 + ridge).max(0.0)
    }
    pub fn optimum(&self) -> &[f64] {
        &self.w_star
    }
    pub fn min_loss(&self) -> f64 {
        self.l_star
    }
    pub fn hessian(&self, w: &[f64]) -> Vec<f64> {
        let d = self.d;
        let cost = (d * d + d) as u64;
        let mut h = slice::rows(
            "the Hessian ∇²L(w)",
            self.n,
            cost,
            vec![0.0; d * d],
            |h, i| {
                let xi = self.row(i);
                let s = sigmoid(self.y[i] * dot(xi, w));
                let c = s * (1.0 - s) / self.n as f64;
                sgd_lab_kernel::dense::add_outer(h, xi, c);
            },
        );
        for r in 0..d {
            h[r * d + r] += self.l2;
        }
        h
    }
}
