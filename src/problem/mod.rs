//! Finite-sum problems L(w) = (1/n) Σ l_i(w): per-sample and full losses and
//! gradients, the optimum, and the loss gap L(w) − L* computed stably.

mod least_squares;
mod logistic;
mod quadratic;

pub use least_squares::LeastSquares;
pub use logistic::Logistic;
pub use quadratic::Quadratic;

/// One of the problems a lab can show. An enum rather than a trait object so that the
/// hot loop's dispatch is a predictable branch and the type stays `Clone + Send`.
#[derive(Clone, Debug)]
pub enum Problem {
    LeastSquares(LeastSquares),
    Quadratic(Quadratic),
    Logistic(Logistic),
}

macro_rules! each {
    ($self:ident, $p:ident => $e:expr) => {
        match $self {
            Problem::LeastSquares($p) => $e,
            Problem::Quadratic($p) => $e,
            Problem::Logistic($p) => $e,
        }
    };
}

impl Problem {
    /// Number of samples n.
    pub fn n(&self) -> usize {
        each!(self, p => p.n())
    }
    /// Dimension d of w.
    pub fn d(&self) -> usize {
        each!(self, p => p.d())
    }
    pub fn kind(&self) -> &'static str {
        match self {
            Problem::LeastSquares(_) => "least_squares",
            Problem::Quadratic(_) => "quadratic",
            Problem::Logistic(_) => "logistic",
        }
    }
    /// l_i(w).
    pub fn loss_i(&self, w: &[f64], i: usize) -> f64 {
        each!(self, p => p.loss_i(w, i))
    }
    /// `out += scale · ∇l_i(w)`.
    #[inline]
    pub fn add_grad_i(&self, w: &[f64], i: usize, scale: f64, out: &mut [f64]) {
        each!(self, p => p.add_grad_i(w, i, scale, out))
    }
    /// `out = ∇L(w)`, the full gradient.
    pub fn grad(&self, w: &[f64], out: &mut [f64]) {
        out.iter_mut().for_each(|v| *v = 0.0);
        let scale = 1.0 / self.n() as f64;
        for i in 0..self.n() {
            self.add_grad_i(w, i, scale, out);
        }
    }
    /// L(w). For quadratic problems this is L* + gap(w), exact and O(d²).
    pub fn loss(&self, w: &[f64]) -> f64 {
        each!(self, p => p.loss(w))
    }
    /// L(w) − L*, computed without cancellation (see each problem).
    #[inline]
    pub fn gap(&self, w: &[f64]) -> f64 {
        each!(self, p => p.gap(w))
    }
    /// The minimiser w*.
    pub fn optimum(&self) -> &[f64] {
        each!(self, p => p.optimum())
    }
    /// L* = L(w*).
    pub fn min_loss(&self) -> f64 {
        each!(self, p => p.min_loss())
    }
    /// The Hessian ∇²L(w) (row-major d×d).
    pub fn hessian(&self, w: &[f64]) -> Vec<f64> {
        each!(self, p => p.hessian(w))
    }
    /// For quadratic problems (least squares and quadratic): the constant Hessian.
    pub fn constant_hessian(&self) -> Option<&[f64]> {
        match self {
            Problem::LeastSquares(p) => Some(p.h()),
            Problem::Quadratic(p) => Some(p.h()),
            Problem::Logistic(_) => None,
        }
    }
}

/// Shared by the two quadratic problems: L(w) = L* + ½ (w − w*)ᵀ H (w − w*).
#[derive(Clone, Debug)]
pub(crate) struct QuadraticGap {
    pub h: Vec<f64>,
    pub w_star: Vec<f64>,
    pub l_star: f64,
}

impl QuadraticGap {
    /// ½ eᵀ H e with e = w − w*: no subtraction of two large losses, so it keeps full
    /// relative accuracy however small the gap is compared with L*.
    #[inline]
    pub fn gap(&self, w: &[f64]) -> f64 {
        let d = w.len();
        if d == 1 {
            let e = w[0] - self.w_star[0];
            return 0.5 * self.h[0] * e * e;
        }
        let mut s = 0.0;
        for r in 0..d {
            let er = w[r] - self.w_star[r];
            let row = &self.h[r * d..(r + 1) * d];
            let mut hr = 0.0;
            for c in 0..d {
                hr += row[c] * (w[c] - self.w_star[c]);
            }
            s += er * hr;
        }
        0.5 * s.max(0.0)
    }
}
