//! Quadratic with per-sample centres: l_i(w) = ½ (w − c_i)ᵀ H (w − c_i).
//! H sets the curvature (condition number κ); the spread of the c_i sets how much
//! the samples disagree (gradient diversity, σ0).

use super::QuadraticGap;
use crate::error::SpecError;
use crate::linalg::{mat_vec, quad_form, well_conditioned};

#[derive(Clone, Debug)]
pub struct Quadratic {
    n: usize,
    d: usize,
    /// Centres c_i, row-major n×d.
    c: Vec<f64>,
    /// H c_i, precomputed so that ∇l_i(w) = H w − H c_i.
    hc: Vec<f64>,
    q: QuadraticGap,
}

impl Quadratic {
    pub fn new(h: &[Vec<f64>], centers: &[Vec<f64>]) -> Result<Quadratic, SpecError> {
        let d = h.len();
        let n = centers.len();
        let hf: Vec<f64> = h.iter().flatten().copied().collect();
        for r in 0..d {
            for c in 0..r {
                let (a, b) = (hf[r * d + c], hf[c * d + r]);
                if (a - b).abs() > 1e-12 * (a.abs() + b.abs()).max(1e-300) {
                    return Err(SpecError::new(
                        format!("problem.h[{r}][{c}]"),
                        format!(
                            "must equal problem.h[{c}][{r}] (H must be symmetric), got {a} and {b}"
                        ),
                    ));
                }
            }
        }
        if !well_conditioned(&hf, d) {
            return Err(SpecError::new(
                "problem.h",
                "must be positive definite with condition number ≤ 1e12 (all eigenvalues > 0), e.g. [[1, 0], [0, 0.1]]",
            ));
        }
        let c: Vec<f64> = centers.iter().flatten().copied().collect();
        let mut w_star = crate::slice::rows(
            "the mean of the centres",
            n,
            d as u64,
            vec![0.0; d],
            |w, i| {
                for k in 0..d {
                    w[k] += c[i * d + k];
                }
            },
        );
        crate::slice::check()?;
        w_star.iter_mut().for_each(|v| *v /= n as f64);
        let init = (vec![0.0; n * d], vec![0.0; d], 0.0);
        let cost = 2 * (d * d) as u64;
        let (hc, _, mut l_star) =
            crate::slice::rows("H c_i and L*", n, cost, init, |(hc, diff, l), i| {
                mat_vec(&hf, &c[i * d..(i + 1) * d], &mut hc[i * d..(i + 1) * d]);
                for k in 0..d {
                    diff[k] = w_star[k] - c[i * d + k];
                }
                *l += 0.5 * quad_form(&hf, diff);
            });
        crate::slice::check()?;
        l_star /= n as f64;
        Ok(Quadratic {
            n,
            d,
            c,
            hc,
            q: QuadraticGap {
                h: hf,
                w_star,
                l_star,
            },
        })
    }

    pub fn n(&self) -> usize {
        self.n
    }
    pub fn d(&self) -> usize {
        self.d
    }
    pub fn center(&self, i: usize) -> &[f64] {
        &self.c[i * self.d..(i + 1) * self.d]
    }
    pub fn h(&self) -> &[f64] {
        &self.q.h
    }
    pub fn loss_i(&self, w: &[f64], i: usize) -> f64 {
        let e: Vec<f64> = w.iter().zip(self.center(i)).map(|(a, b)| a - b).collect();
        0.5 * quad_form(&self.q.h, &e)
    }
    #[inline]
    pub fn add_grad_i(&self, w: &[f64], i: usize, scale: f64, out: &mut [f64]) {
        let d = self.d;
        let hci = &self.hc[i * d..(i + 1) * d];
        for r in 0..d {
            let row = &self.q.h[r * d..(r + 1) * d];
            let mut hw = 0.0;
            for k in 0..d {
                hw += row[k] * w[k];
            }
            out[r] += scale * (hw - hci[r]);
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
