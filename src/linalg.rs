//! Small dense linear algebra for d ≤ a few dozen: everything the problems and the
//! theory need, written out so that native and wasm builds compute the same bits.
//!
//! Matrices are row-major `Vec<f64>` of size d×d.

/// `a · b`, summed left to right (the order is part of the determinism contract).
#[inline]
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut s = 0.0;
    for k in 0..a.len() {
        s += a[k] * b[k];
    }
    s
}

/// `‖a‖²`.
#[inline]
pub fn norm2(a: &[f64]) -> f64 {
    dot(a, a)
}

/// `out = M v` for a row-major d×d matrix.
pub fn mat_vec(m: &[f64], v: &[f64], out: &mut [f64]) {
    let d = v.len();
    for r in 0..d {
        out[r] = dot(&m[r * d..(r + 1) * d], v);
    }
}

/// The quadratic form `vᵀ M v`.
pub fn quad_form(m: &[f64], v: &[f64]) -> f64 {
    let d = v.len();
    let mut s = 0.0;
    for r in 0..d {
        s += v[r] * dot(&m[r * d..(r + 1) * d], v);
    }
    s
}

/// `A B` for row-major d×d matrices.
pub fn mat_mul(a: &[f64], b: &[f64], d: usize) -> Vec<f64> {
    let mut c = vec![0.0; d * d];
    for i in 0..d {
        for k in 0..d {
            let aik = a[i * d + k];
            for j in 0..d {
                c[i * d + j] += aik * b[k * d + j];
            }
        }
    }
    c
}

/// Cholesky factor `L` (lower, row-major) of a symmetric positive-definite matrix,
/// or `None` when a pivot is not positive.
pub fn cholesky(m: &[f64], d: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; d * d];
    for i in 0..d {
        for j in 0..=i {
            let mut s = m[i * d + j];
            for k in 0..j {
                s -= l[i * d + k] * l[j * d + k];
            }
            if i == j {
                if s.is_nan() || s <= 0.0 || !s.is_finite() {
                    return None;
                }
                l[i * d + i] = s.sqrt();
            } else {
                l[i * d + j] = s / l[j * d + j];
            }
        }
    }
    Some(l)
}

/// Solves `L Lᵀ x = b` given the Cholesky factor `L`.
pub fn cholesky_solve(l: &[f64], b: &[f64]) -> Vec<f64> {
    let d = b.len();
    let mut y = vec![0.0; d];
    for i in 0..d {
        let mut s = b[i];
        for k in 0..i {
            s -= l[i * d + k] * y[k];
        }
        y[i] = s / l[i * d + i];
    }
    let mut x = vec![0.0; d];
    for i in (0..d).rev() {
        let mut s = y[i];
        for k in i + 1..d {
            s -= l[k * d + i] * x[k];
        }
        x[i] = s / l[i * d + i];
    }
    x
}

/// Inverse of a symmetric positive-definite matrix from its Cholesky factor.
pub fn cholesky_inverse(l: &[f64], d: usize) -> Vec<f64> {
    let mut inv = vec![0.0; d * d];
    let mut e = vec![0.0; d];
    for c in 0..d {
        e.iter_mut().for_each(|v| *v = 0.0);
        e[c] = 1.0;
        let col = cholesky_solve(l, &e);
        for r in 0..d {
            inv[r * d + c] = col[r];
        }
    }
    inv
}

/// Eigenvalues (ascending) and eigenvectors (columns of the returned row-major matrix)
/// of a symmetric matrix, by cyclic Jacobi rotations. Exact to a few ulps for the
/// small, well-scaled matrices used here.
pub fn sym_eigen(m: &[f64], d: usize) -> (Vec<f64>, Vec<f64>) {
    let mut a = m.to_vec();
    let mut v = vec![0.0; d * d];
    for i in 0..d {
        v[i * d + i] = 1.0;
    }
    for _sweep in 0..100 {
        let mut off = 0.0;
        for i in 0..d {
            for j in i + 1..d {
                off += a[i * d + j] * a[i * d + j];
            }
        }
        let scale: f64 = (0..d).map(|i| a[i * d + i] * a[i * d + i]).sum::<f64>() + off;
        if off <= 1e-32 * scale || off == 0.0 {
            break;
        }
        for p in 0..d {
            for q in p + 1..d {
                let apq = a[p * d + q];
                if apq == 0.0 {
                    continue;
                }
                let theta = (a[q * d + q] - a[p * d + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..d {
                    let akp = a[k * d + p];
                    let akq = a[k * d + q];
                    a[k * d + p] = c * akp - s * akq;
                    a[k * d + q] = s * akp + c * akq;
                }
                for k in 0..d {
                    let apk = a[p * d + k];
                    let aqk = a[q * d + k];
                    a[p * d + k] = c * apk - s * aqk;
                    a[q * d + k] = s * apk + c * aqk;
                }
                for k in 0..d {
                    let vkp = v[k * d + p];
                    let vkq = v[k * d + q];
                    v[k * d + p] = c * vkp - s * vkq;
                    v[k * d + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    // The diagonal's order (stable: ties keep their index order), by insertion.
    let mut order: Vec<usize> = Vec::with_capacity(d);
    let mut vals: Vec<f64> = Vec::with_capacity(d);
    for i in 0..d {
        let x = a[i * d + i];
        let at = insertion_point(&vals, x);
        order.insert(at, i);
        vals.insert(at, x);
    }
    let mut vecs = vec![0.0; d * d];
    for (new, &old) in order.iter().enumerate() {
        for k in 0..d {
            vecs[k * d + new] = v[k * d + old];
        }
    }
    (vals, vecs)
}

/// Where `x` goes in `sorted` (ascending by `f64::total_cmp`): after every element
/// that is not greater, which keeps an insertion sort stable.
fn insertion_point(sorted: &[f64], x: f64) -> usize {
    sorted.partition_point(|y| y.total_cmp(&x).is_le())
}

/// Sorts ascending by `f64::total_cmp`: the same result as `v.sort_by(f64::total_cmp)`
/// (elements equal under `total_cmp` are the same bits), with less code.
pub(crate) fn sort_f64(v: &mut [f64]) {
    for i in 1..v.len() {
        let x = v[i];
        let at = insertion_point(&v[..i], x);
        v.copy_within(at..i, at + 1);
        v[at] = x;
    }
}

/// Whether a symmetric matrix is positive definite with condition number ≤ 1e12 —
/// the range in which the optimum and the theory numbers are computed accurately.
pub fn well_conditioned(m: &[f64], d: usize) -> bool {
    if cholesky(m, d).is_none() {
        return false;
    }
    let (vals, _) = sym_eigen(m, d);
    vals[0] > 0.0 && vals[0] >= 1e-12 * vals[d - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eigen_of_known_2x2() {
        // [[2,1],[1,2]] has eigenvalues 1 and 3.
        let (vals, vecs) = sym_eigen(&[2.0, 1.0, 1.0, 2.0], 2);
        assert!((vals[0] - 1.0).abs() < 1e-14 && (vals[1] - 3.0).abs() < 1e-14);
        // Column 1 is ±(1,1)/√2.
        assert!((vecs[1].abs() - 0.5f64.sqrt()).abs() < 1e-14);
    }

    #[test]
    fn eigen_reconstructs_a_3x3() {
        let m = [4.0, 1.0, -2.0, 1.0, 3.0, 0.5, -2.0, 0.5, 5.0];
        let (vals, v) = sym_eigen(&m, 3);
        for i in 0..3 {
            for j in 0..3 {
                let r: f64 = (0..3).map(|k| v[i * 3 + k] * vals[k] * v[j * 3 + k]).sum();
                assert!((r - m[i * 3 + j]).abs() < 1e-12, "{i},{j}: {r}");
            }
        }
        // Trace is preserved.
        assert!((vals.iter().sum::<f64>() - 12.0).abs() < 1e-12);
    }

    #[test]
    fn cholesky_solves_and_inverts() {
        let m = [4.0, 2.0, 2.0, 3.0];
        let l = cholesky(&m, 2).unwrap();
        let x = cholesky_solve(&l, &[2.0, 1.0]);
        // 4x + 2y = 2, 2x + 3y = 1 → x = 0.5, y = 0.
        assert!((x[0] - 0.5).abs() < 1e-15 && x[1].abs() < 1e-15);
        let inv = cholesky_inverse(&l, 2);
        let id = mat_mul(&m, &inv, 2);
        assert!((id[0] - 1.0).abs() < 1e-15 && id[1].abs() < 1e-15);
        assert!(cholesky(&[1.0, 2.0, 2.0, 1.0], 2).is_none());
    }
}
