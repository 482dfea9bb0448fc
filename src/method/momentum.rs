//! Momentum with exactly the semantics of PyTorch's `torch.optim.SGD`:
//! buf_0 = g_0; buf_t = μ buf_{t−1} + (1 − τ) g_t; the direction is buf_t, or
//! g_t + μ buf_t with `nesterov`.

#[derive(Clone, Debug)]
pub struct Momentum {
    mu: f64,
    dampening: f64,
    nesterov: bool,
    buf: Vec<f64>,
    started: bool,
}

impl Momentum {
    pub fn new(mu: f64, dampening: f64, nesterov: bool, d: usize) -> Momentum {
        Momentum {
            mu,
            dampening,
            nesterov,
            buf: vec![0.0; d],
            started: false,
        }
    }

    /// Turns the gradient estimate `g` into the step direction, in place.
    #[inline]
    pub fn apply(&mut self, g: &mut [f64]) {
        if self.mu == 0.0 {
            return;
        }
        if !self.started {
            self.buf.copy_from_slice(g);
            self.started = true;
        } else {
            for (b, &gk) in self.buf.iter_mut().zip(g.iter()) {
                *b = self.mu * *b + (1.0 - self.dampening) * gk;
            }
        }
        if self.nesterov {
            for (gk, &b) in g.iter_mut().zip(&self.buf) {
                *gk += self.mu * b;
            }
        } else {
            g.copy_from_slice(&self.buf);
        }
    }

    /// The momentum buffer (zeros before the first step).
    pub fn buffer(&self) -> &[f64] {
        &self.buf
    }
}
