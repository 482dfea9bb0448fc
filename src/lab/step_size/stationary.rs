//! The exact stationary spread of SGD on a 2-D quadratic: the discrete Lyapunov
//! equation P = (I − ηH) P (I − ηH) + (η²/b) H Σ_c H, solved as a 3×3 linear system.

/// The stationary E[(w − w*)(w − w*)ᵀ] of SGD with step `eta` and batch `b` (drawn with
/// replacement) on l_i(w) = ½ (w − c_i)ᵀ H (w − c_i) in 2-D, as (p11, p12, p22); `None`
/// when η ≥ 2/L_s (no stationary state: the iterates grow). `h` and `sigma_c` are
/// row-major 2×2.
pub fn stationary(h: &[f64; 4], sigma_c: &[f64; 4], eta: f64, b: f64) -> Option<[f64; 3]> {
    let (h11, h12, h22) = (h[0], 0.5 * (h[1] + h[2]), h[3]);
    // λ_max of H.
    let tr = h11 + h22;
    let det = h11 * h22 - h12 * h12;
    let lmax = 0.5 * tr + (0.25 * tr * tr - det).max(0.0).sqrt();
    if !(eta > 0.0 && eta * lmax < 2.0 && b >= 1.0) {
        return None;
    }
    // Q = (η²/b) H Σ_c H.
    let s = [sigma_c[0], 0.5 * (sigma_c[1] + sigma_c[2]), sigma_c[3]];
    let hs = [
        h11 * s[0] + h12 * s[1],
        h11 * s[1] + h12 * s[2],
        h12 * s[0] + h22 * s[1],
        h12 * s[1] + h22 * s[2],
    ];
    let k = eta * eta / b;
    let q = [
        k * (hs[0] * h11 + hs[1] * h12),
        k * (hs[0] * h12 + hs[1] * h22),
        k * (hs[2] * h12 + hs[3] * h22),
    ];
    // A = I − ηH; P − A P A = Q in the unknowns (p11, p12, p22).
    let (a, bb, c) = (1.0 - eta * h11, -eta * h12, 1.0 - eta * h22);
    let m = [
        [1.0 - a * a, -2.0 * a * bb, -bb * bb],
        [-a * bb, 1.0 - (a * c + bb * bb), -bb * c],
        [-bb * bb, -2.0 * bb * c, 1.0 - c * c],
    ];
    let p = solve3(m, q)?;
    (p.iter().all(|v| v.is_finite()) && p[0] >= 0.0 && p[2] >= 0.0).then_some(p)
}

/// Gaussian elimination with partial pivoting.
fn solve3(mut m: [[f64; 3]; 3], mut r: [f64; 3]) -> Option<[f64; 3]> {
    for col in 0..3 {
        let piv = (col..3).max_by(|&i, &j| m[i][col].abs().total_cmp(&m[j][col].abs()))?;
        if !(m[piv][col].abs() > 1e-300) {
            return None;
        }
        m.swap(col, piv);
        r.swap(col, piv);
        for row in col + 1..3 {
            let f = m[row][col] / m[col][col];
            let pivot_row = m[col];
            for (v, p) in m[row].iter_mut().zip(pivot_row).skip(col) {
                *v -= f * p;
            }
            r[row] -= f * r[col];
        }
    }
    let mut x = [0.0; 3];
    for row in (0..3).rev() {
        let s: f64 = (row + 1..3).map(|k| m[row][k] * x[k]).sum();
        x[row] = (r[row] - s) / m[row][row];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stationary moment of a 1-D-like diagonal case against the closed form
    /// η λ² s²/b / (1 − (1 − ηλ)²) per axis.
    #[test]
    fn stationary_matches_the_diagonal_closed_form() {
        let h = [1.0, 0.0, 0.0, 0.2];
        let sc = [0.7, 0.0, 0.0, 1.3];
        for (eta, b) in [(0.1, 1.0), (1.0, 1.0), (1.5, 4.0)] {
            let p = stationary(&h, &sc, eta, b).unwrap();
            let want = |l: f64, s: f64| eta * eta * l * l * s / b / (1.0 - (1.0 - eta * l).powi(2));
            assert!((p[0] - want(1.0, 0.7)).abs() < 1e-12, "{p:?}");
            assert!(p[1].abs() < 1e-12);
            assert!((p[2] - want(0.2, 1.3)).abs() < 1e-12);
        }
        assert!(stationary(&h, &sc, 2.0, 1.0).is_none());
    }

    /// A rotated problem: the solution satisfies P = A P A + Q.
    #[test]
    fn stationary_solves_the_lyapunov_equation() {
        let h = [0.8, 0.3, 0.3, 0.4];
        let sc = [1.0, -0.2, -0.2, 0.5];
        let eta = 0.9;
        let p = stationary(&h, &sc, eta, 2.0).unwrap();
        let pm = [p[0], p[1], p[1], p[2]];
        let a = [1.0 - eta * h[0], -eta * h[1], -eta * h[2], 1.0 - eta * h[3]];
        let mul = |x: [f64; 4], y: [f64; 4]| {
            [
                x[0] * y[0] + x[1] * y[2],
                x[0] * y[1] + x[1] * y[3],
                x[2] * y[0] + x[3] * y[2],
                x[2] * y[1] + x[3] * y[3],
            ]
        };
        let apa = mul(mul(a, pm), a);
        let q = mul(mul(h, sc), h).map(|v| v * eta * eta / 2.0);
        for k in 0..4 {
            assert!((pm[k] - apa[k] - q[k]).abs() < 1e-12, "{k}");
        }
    }
}
