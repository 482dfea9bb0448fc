//! Seeded data generators: the knobs the labs turn (n, d, noise, spread of the
//! per-sample minimisers, condition number κ), turned into explicit data.

use crate::rng::Rng;

/// Eigenvalues 1 = λ_1 ≥ … ≥ λ_d = 1/κ, evenly spaced on a log scale.
pub fn log_spaced_spectrum(d: usize, kappa: f64) -> Vec<f64> {
    (0..d)
        .map(|j| {
            if d == 1 {
                1.0
            } else {
                libm::pow(kappa, -(j as f64) / (d - 1) as f64)
            }
        })
        .collect()
}

/// A rotation of R^d: the plane rotation by `angle` (radians) in d = 2, a seeded
/// random orthogonal matrix (Gram–Schmidt of normal columns) for d ≥ 3, identity for d = 1.
pub fn rotation(d: usize, angle: f64, rng: &mut Rng) -> Vec<f64> {
    match d {
        1 => vec![1.0],
        2 => {
            let (s, c) = (libm::sin(angle), libm::cos(angle));
            vec![c, -s, s, c]
        }
        _ => {
            let mut q = vec![0.0; d * d];
            for col in 0..d {
                let mut v: Vec<f64> = (0..d).map(|_| rng.normal()).collect();
                for prev in 0..col {
                    let p: f64 = (0..d).map(|k| v[k] * q[k * d + prev]).sum();
                    for k in 0..d {
                        v[k] -= p * q[k * d + prev];
                    }
                }
                let norm = libm::sqrt(v.iter().map(|a| a * a).sum());
                for k in 0..d {
                    q[k * d + col] = v[k] / norm;
                }
            }
            q
        }
    }
}

/// Q diag(λ) Qᵀ.
pub fn from_spectrum(q: &[f64], lambda: &[f64]) -> Vec<f64> {
    let d = lambda.len();
    let mut h = vec![0.0; d * d];
    for r in 0..d {
        for c in 0..d {
            h[r * d + c] = (0..d)
                .map(|k| q[r * d + k] * lambda[k] * q[c * d + k])
                .sum();
        }
    }
    // Exact symmetry, whatever the rounding.
    for r in 0..d {
        for c in 0..r {
            let m = 0.5 * (h[r * d + c] + h[c * d + r]);
            h[r * d + c] = m;
            h[c * d + r] = m;
        }
    }
    h
}

/// Least-squares data: feature j of row i is √λ_j · s·u, with u of magnitude
/// uniform in [0.5, 1.5] and random sign (so in 1-D no x_i is near 0 and every
/// per-sample minimiser y_i/x_i is defined), rotated by Q; targets y_i = x_iᵀw_true + noise·ε_i.
/// In 1-D, w*_i = w_true + noise·ε_i/x_i: `noise` is the spread of the per-sample minimisers.
pub struct LsData {
    pub x: Vec<Vec<f64>>,
    pub y: Vec<f64>,
}

pub fn least_squares(
    n: usize,
    d: usize,
    noise: f64,
    kappa: f64,
    w_true: &[f64],
    seed: u64,
) -> LsData {
    let mut rng = Rng::for_data(seed);
    let lambda = log_spaced_spectrum(d, kappa);
    let q = rotation(d, core::f64::consts::PI / 6.0, &mut rng);
    let init = (rng, Vec::with_capacity(n), Vec::with_capacity(n));
    let cost = (d * d + d) as u64;
    let (_, x, y) = crate::slice::rows("generating the data", n, cost, init, |(rng, x, y), _| {
        let z: Vec<f64> = (0..d)
            .map(|j| {
                let mag = 0.5 + rng.uniform();
                let sign = if rng.next_u32() & 1 == 0 { 1.0 } else { -1.0 };
                libm::sqrt(lambda[j]) * sign * mag
            })
            .collect();
        let row = sgd_lab_kernel::dense::mat_vec_sum(&q, &z);
        let target = row.iter().zip(w_true).map(|(a, b)| a * b).sum::<f64>() + noise * rng.normal();
        x.push(row);
        y.push(target);
    });
    LsData { x, y }
}

impl LsData {
    /// The same rows in increasing order of y (ties keep their order).
    pub fn sort_by_y(&mut self) {
        let mut order: Vec<usize> = (0..self.y.len()).collect();
        order.sort_by(|&a, &b| self.y[a].total_cmp(&self.y[b]));
        self.x = order.iter().map(|&i| self.x[i].clone()).collect();
        self.y = order.iter().map(|&i| self.y[i]).collect();
    }
}

/// Quadratic data: H = Q diag(λ) Qᵀ with λ log-spaced from 1 to 1/κ (Q a rotation by
/// `angle` in 2-D), centres c_i = center + spread·ε_i.
pub fn quadratic(
    n: usize,
    d: usize,
    kappa: f64,
    spread: f64,
    angle: f64,
    center: &[f64],
    seed: u64,
) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
    let mut rng = Rng::for_data(seed);
    let lambda = log_spaced_spectrum(d, kappa);
    let q = rotation(d, angle, &mut rng);
    let hf = from_spectrum(&q, &lambda);
    let h: Vec<Vec<f64>> = (0..d).map(|r| hf[r * d..(r + 1) * d].to_vec()).collect();
    let init = (rng, Vec::with_capacity(n));
    let (_, centers) = crate::slice::rows(
        "generating the data",
        n,
        4 * d as u64,
        init,
        |(rng, c), _| {
            c.push(
                (0..d)
                    .map(|k| center[k] + spread * rng.normal())
                    .collect::<Vec<f64>>(),
            )
        },
    );
    (h, centers)
}

/// Logistic data: two Gaussian classes with means ±(separation/2)·e_1, unit variance.
pub fn logistic(n: usize, d: usize, separation: f64, seed: u64) -> (Vec<Vec<f64>>, Vec<f64>) {
    let init = (
        Rng::for_data(seed),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let (_, x, y) = crate::slice::rows(
        "generating the data",
        n,
        4 * d as u64,
        init,
        |(rng, x, y), i| {
            let label = if i % 2 == 0 { 1.0 } else { -1.0 };
            let row: Vec<f64> = (0..d)
                .map(|k| {
                    rng.normal()
                        + if k == 0 {
                            label * separation / 2.0
                        } else {
                            0.0
                        }
                })
                .collect();
            x.push(row);
            y.push(label);
        },
    );
    (x, y)
}
