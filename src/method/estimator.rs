//! Gradient estimators: what a method computes from the batch before momentum.

use crate::problem::Problem;

#[derive(Clone, Debug)]
pub enum Estimator {
    Gd,
    Sgd,
    /// SGD under non-uniform sampling with importance weighting: sample i's gradient
    /// scaled by `scale[i]` = 1/(n p_i).
    SgdWeighted {
        scale: Vec<f64>,
    },
    Svrg {
        inner: u64,
        snapshot: Vec<f64>,
        /// ∇L at the snapshot.
        mu: Vec<f64>,
    },
    /// Table of the last gradient seen for every sample (n×d) and its sum.
    Sag {
        table: Vec<f64>,
        sum: Vec<f64>,
        tmp: Vec<f64>,
        started: bool,
    },
    /// Table, its mean, and room for the batch's fresh gradients.
    Saga {
        table: Vec<f64>,
        mean: Vec<f64>,
        fresh: Vec<f64>,
        started: bool,
    },
}

impl Estimator {
    pub fn gd() -> Estimator {
        Estimator::Gd
    }
    pub fn sgd() -> Estimator {
        Estimator::Sgd
    }
    pub fn sgd_weighted(scale: Vec<f64>) -> Estimator {
        Estimator::SgdWeighted { scale }
    }
    pub fn svrg(d: usize, inner: u64) -> Estimator {
        Estimator::Svrg {
            inner: inner.max(1),
            snapshot: vec![0.0; d],
            mu: vec![0.0; d],
        }
    }
    pub fn sag(n: usize, d: usize) -> Estimator {
        Estimator::Sag {
            table: vec![0.0; n * d],
            sum: vec![0.0; d],
            tmp: vec![0.0; d],
            started: false,
        }
    }
    pub fn saga(n: usize, d: usize, batch: usize) -> Estimator {
        Estimator::Saga {
            table: vec![0.0; n * d],
            mean: vec![0.0; d],
            fresh: vec![0.0; batch.max(1) * d],
            started: false,
        }
    }

    /// Whether the method samples a batch at each step (all but GD).
    pub fn samples(&self) -> bool {
        !matches!(self, Estimator::Gd)
    }

    /// Writes the gradient estimate at `w` into `g`; returns the evaluations spent.
    pub fn estimate(
        &mut self,
        p: &Problem,
        w: &[f64],
        batch: &[u32],
        t: u64,
        g: &mut [f64],
    ) -> u64 {
        let n = p.n();
        let d = p.d();
        match self {
            Estimator::Gd => {
                p.grad(w, g);
                n as u64
            }
            Estimator::Sgd => {
                g.iter_mut().for_each(|v| *v = 0.0);
                let scale = 1.0 / batch.len() as f64;
                for &i in batch {
                    p.add_grad_i(w, i as usize, scale, g);
                }
                batch.len() as u64
            }
            Estimator::SgdWeighted { scale } => {
                g.iter_mut().for_each(|v| *v = 0.0);
                let b = 1.0 / batch.len() as f64;
                for &i in batch {
                    p.add_grad_i(w, i as usize, b * scale[i as usize], g);
                }
                batch.len() as u64
            }
            Estimator::Svrg {
                inner,
                snapshot,
                mu,
            } => {
                let mut evals = 0;
                if t % *inner == 0 {
                    snapshot.copy_from_slice(w);
                    p.grad(snapshot, mu);
                    evals += n as u64;
                }
                g.copy_from_slice(mu);
                let scale = 1.0 / batch.len() as f64;
                for &i in batch {
                    p.add_grad_i(w, i as usize, scale, g);
                    p.add_grad_i(snapshot, i as usize, -scale, g);
                }
                evals + 2 * batch.len() as u64
            }
            Estimator::Sag {
                table,
                sum,
                tmp,
                started,
            } => {
                let mut evals = 0;
                if !*started {
                    fill_table(p, w, table, sum);
                    *started = true;
                    evals += n as u64;
                }
                for &i in batch {
                    let i = i as usize;
                    tmp.iter_mut().for_each(|v| *v = 0.0);
                    p.add_grad_i(w, i, 1.0, tmp);
                    let row = &mut table[i * d..(i + 1) * d];
                    for k in 0..d {
                        sum[k] += tmp[k] - row[k];
                    }
                    row.copy_from_slice(tmp);
                }
                for k in 0..d {
                    g[k] = sum[k] / n as f64;
                }
                evals + batch.len() as u64
            }
            Estimator::Saga {
                table,
                mean,
                fresh,
                started,
            } => {
                let mut evals = 0;
                if !*started {
                    fill_table(p, w, table, mean);
                    mean.iter_mut().for_each(|v| *v /= n as f64);
                    *started = true;
                    evals += n as u64;
                }
                let b = batch.len();
                if fresh.len() < b * d {
                    fresh.resize(b * d, 0.0);
                }
                // Estimate with the table as it was before this step.
                g.copy_from_slice(mean);
                let scale = 1.0 / b as f64;
                for (j, &i) in batch.iter().enumerate() {
                    let i = i as usize;
                    let f = &mut fresh[j * d..(j + 1) * d];
                    f.iter_mut().for_each(|v| *v = 0.0);
                    p.add_grad_i(w, i, 1.0, f);
                    for k in 0..d {
                        g[k] += scale * (f[k] - table[i * d + k]);
                    }
                }
                // Then store the fresh gradients (a repeated index stores the same value).
                for (j, &i) in batch.iter().enumerate() {
                    let i = i as usize;
                    for k in 0..d {
                        let f = fresh[j * d + k];
                        mean[k] += (f - table[i * d + k]) / n as f64;
                        table[i * d + k] = f;
                    }
                }
                evals + b as u64
            }
        }
    }
}

/// table_i = ∇l_i(w) for every i, and `total` = their sum.
fn fill_table(p: &Problem, w: &[f64], table: &mut [f64], total: &mut [f64]) {
    let d = p.d();
    total.iter_mut().for_each(|v| *v = 0.0);
    for i in 0..p.n() {
        let row = &mut table[i * d..(i + 1) * d];
        row.iter_mut().for_each(|v| *v = 0.0);
        p.add_grad_i(w, i, 1.0, row);
        for k in 0..d {
            total[k] += row[k];
        }
    }
}
