//! Least squares: l_i(w) = ½ (x_iᵀw − y_i)².

use super::QuadraticGap;
use crate::error::SpecError;
use crate::linalg::{cholesky, cholesky_solve, dot, well_conditioned};
use crate::slice;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct LeastSquares {
    n: usize,
    d: usize,
    /// Rows x_i, row-major n×d (shared: a problem built in slices keeps one copy).
    x: Arc<[f64]>,
    y: Arc<[f64]>,
    q: QuadraticGap,
}

impl LeastSquares {
    /// Builds the problem from rows and targets. The rows must span R^d (XᵀX
    /// positive definite), otherwise w* is not unique and m = 0.
    pub fn new(rows: &[Vec<f64>], y: &[f64]) -> Result<LeastSquares, SpecError> {
        let n = rows.len();
        let d = rows.first().map_or(0, |r| r.len());
        let (x, y) = slice::flat_rows(rows, y);
        let dd = (d * d) as u64;
        let mut h = slice::rows("forming XᵀX", n, dd, vec![0.0; d * d], |h, i| {
            sgd_lab_kernel::dense::add_outer(h, &x[i * d..(i + 1) * d], 1.0)
        });
        slice::check()?;
        h.iter_mut().for_each(|v| *v /= n as f64);
        let singular = || {
            SpecError::new(
                "problem.x",
                format!(
                    "must have rows that span all {d} directions (XᵀX is singular, so the minimiser is not unique); \
                     give at least {d} rows that are not multiples of one another"
                ),
            )
        };
        // (Saved: the later runs of a build in slices skip the O(d³) check.)
        let l = slice::value("factoring XᵀX", || {
            well_conditioned(&h, d).then(|| cholesky(&h, d)).flatten()
        })
        .ok_or_else(singular)?;
        let xty = slice::rows("forming Xᵀy", n, d as u64, vec![0.0; d], |xty, i| {
            for c in 0..d {
                xty[c] += x[i * d + c] * y[i] / n as f64;
            }
        });
        slice::check()?;
        let mut w_star = cholesky_solve(&l, &xty);
        // One step of iterative refinement on the normal equations' residual.
        for _ in 0..2 {
            let res = slice::rows("refining w*", n, 2 * d as u64, vec![0.0; d], |res, i| {
                let ri = y[i] - dot(&x[i * d..(i + 1) * d], &w_star);
                for c in 0..d {
                    res[c] += x[i * d + c] * ri / n as f64;
                }
            });
            slice::check()?;
            let delta = cholesky_solve(&l, &res);
            w_star.iter_mut().zip(&delta).for_each(|(w, dl)| *w += dl);
        }
        if w_star.iter().any(|v| !v.is_finite()) {
            return Err(singular());
        }
        let l_star = crate::slice::sum("L(w*)", n, d as u64, |i| {
            let r = dot(&x[i * d..(i + 1) * d], &w_star) - y[i];
            0.5 * r * r
        }) / n as f64;
        slice::check()?;
        Ok(LeastSquares {
            n,
            d,
            x,
            y,
            q: QuadraticGap { h, w_star, l_star },
        })
    }

    pub fn n(&self) -> usize {
        self.n
    }
    pub fn d(&self) -> usize {
        self.d
    }
    /// Row x_i.
    pub fn row(&self, i: usize) -> &[f64] {
        &self.x[i * self.d..(i + 1) * self.d]
    }
    pub fn target(&self, i: usize) -> f64 {
        self.y[i]
    }
    pub fn h(&self) -> &[f64] {
        &self.q.h
    }
    pub fn loss_i(&self, w: &[f64], i: usize) -> f64 {
        let r = dot(self.row(i), w) - self.y[i];
        0.5 * r * r
    }
    #[inline]
    pub fn add_grad_i(&self, w: &[f64], i: usize, scale: f64, out: &mut [f64]) {
        let xi = self.row(i);
        let r = scale * (dot(xi, w) - self.y[i]);
        for c in 0..self.d {
            out[c] += r * xi[c];
        }
    }
    pub fn loss(&self, w: &[f64]) -> f64 {
        self.q.l_star + self.q.gap(w)
    }
    #[inline]
    pub fn gap(&self, w: &[f64]) -> f64 {
        self.q.gap(w)
    }
    pub fn optimum(&self) -> &[f64] {
        &self.q.w_star
    }
    pub fn min_loss(&self) -> f64 {
        self.q.l_star
    }
    pub fn hessian(&self, _w: &[f64]) -> Vec<f64> {
        self.q.h.clone()
    }
}
