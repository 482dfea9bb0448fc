//! Dense loops over the data (n rows of d features), O(n d²) when a problem is built:
//! the outer products that make XᵀX and Hessians, and rotating a row. Here so that the
//! WebAssembly build compiles them at opt-level 3 (a function of this crate that is
//! neither generic nor `#[inline]` is compiled here, not in the caller): opening an
//! n × d = 10⁶ problem in Chromium took 4× as long with them at opt-level "z".
//!
//! Each is the loop its caller had, operation for operation (the same products in the
//! same order), so every result is the same bits as before.

/// `h[r·d + k] += c · x[r] · x[k]` (evaluated as `(c · x[r]) · x[k]`) for a row `x`
/// of length d and a row-major d×d `h`. With c = 1 this is `x[r] · x[k]` exactly.
pub fn add_outer(h: &mut [f64], x: &[f64], c: f64) {
    let d = x.len();
    assert!(h.len() >= d * d);
    for r in 0..d {
        let row = &mut h[r * d..(r + 1) * d];
        for k in 0..d {
            row[k] += c * x[r] * x[k];
        }
    }
}

/// `s[a·d + b] += c · x[a] · x[b] / n` (evaluated left to right).
pub fn add_outer_div(s: &mut [f64], x: &[f64], c: f64, n: f64) {
    let d = x.len();
    assert!(s.len() >= d * d);
    for a in 0..d {
        let row = &mut s[a * d..(a + 1) * d];
        for b in 0..d {
            row[b] += c * x[a] * x[b] / n;
        }
    }
}

/// `Q z` for a row-major d×d `q`, each entry summed as `Iterator::sum` does.
pub fn mat_vec_sum(q: &[f64], z: &[f64]) -> Vec<f64> {
    let d = z.len();
    (0..d)
        .map(|r| (0..d).map(|k| q[r * d + k] * z[k]).sum())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loops_are_their_callers_loops() {
        let x = [0.3, -1.7, 2.25];
        let mut h = vec![0.5; 9];
        add_outer(&mut h, &x, 1.0);
        for r in 0..3 {
            for k in 0..3 {
                assert_eq!(h[r * 3 + k].to_bits(), (0.5 + x[r] * x[k]).to_bits());
            }
        }
        let mut h = vec![0.0; 9];
        add_outer(&mut h, &x, 0.37);
        assert_eq!(h[5].to_bits(), (0.37 * x[1] * x[2]).to_bits());
        let mut s = vec![1.0; 9];
        add_outer_div(&mut s, &x, 4.5, 7.0);
        assert_eq!(s[7].to_bits(), (1.0 + 4.5 * x[2] * x[1] / 7.0).to_bits());
        let q = [1.0, 2.0, 0.0, -1.0, 0.5, 3.0, 0.0, 0.0, 1.0];
        assert_eq!(
            mat_vec_sum(&q, &x),
            vec![0.3 - 3.4, -0.3 - 0.85 + 6.75, 2.25]
        );
    }
}
