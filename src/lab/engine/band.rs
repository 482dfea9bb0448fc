//! The spread band of many runs: per-step quantiles by linear interpolation between
//! order statistics. One helper for the labs (expected-loss) and `sgd-lab render`, so
//! the same scenario gets the same band everywhere.

/// The q-quantile (0 ≤ q ≤ 1) of `sorted` (ascending, not empty), by linear
/// interpolation between order statistics: position q·(n − 1).
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let (i, frac) = (pos.floor() as usize, pos - pos.floor());
    let hi = sorted[(i + 1).min(sorted.len() - 1)];
    sorted[i] + frac * (hi - sorted[i])
}

/// The band of `runs` (one series each, possibly of different lengths) at each step
/// t < `len`: the `lo` and `hi` quantiles of the values of the runs that reached t.
/// NaN where fewer than `min_runs` (at least 1) runs reached t.
pub fn band(
    runs: &[&[f64]],
    len: usize,
    lo: f64,
    hi: f64,
    min_runs: usize,
) -> (Vec<f64>, Vec<f64>) {
    let mut curves = (Vec::with_capacity(len), Vec::with_capacity(len));
    band_extend(runs, len, lo, hi, min_runs, &mut curves);
    curves
}

/// [`band`] from step `curves.0.len()` on, appended to `curves` up to step `len`
/// (each step's quantiles depend only on that step: the same numbers as [`band`]).
pub fn band_extend(
    runs: &[&[f64]],
    len: usize,
    lo: f64,
    hi: f64,
    min_runs: usize,
    curves: &mut (Vec<f64>, Vec<f64>),
) {
    let (lo_curve, hi_curve) = curves;
    let mut col = Vec::with_capacity(runs.len());
    for t in lo_curve.len()..len {
        col.clear();
        col.extend(runs.iter().filter_map(|r| r.get(t).copied()));
        if col.len() < min_runs.max(1) {
            lo_curve.push(f64::NAN);
            hi_curve.push(f64::NAN);
            continue;
        }
        crate::linalg::sort_f64(&mut col);
        lo_curve.push(quantile_sorted(&col, lo));
        hi_curve.push(quantile_sorted(&col, hi));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_between_order_statistics() {
        // 0..=10: the q-quantile is 10 q exactly.
        let v: Vec<f64> = (0..=10).map(f64::from).collect();
        for q in [0.0, 0.1, 0.25, 0.5, 0.9, 1.0] {
            assert!((quantile_sorted(&v, q) - 10.0 * q).abs() < 1e-12, "{q}");
        }
        // Between two values: 0.1 of the way from 1 to 3 among [1, 3].
        assert_eq!(quantile_sorted(&[1.0, 3.0], 0.1), 1.2);
        assert_eq!(quantile_sorted(&[7.0], 0.9), 7.0);
    }

    #[test]
    fn the_band_takes_the_runs_that_reached_each_step() {
        let a = [5.0, 1.0, 2.0];
        let b = [1.0, 3.0];
        let c = [3.0, 2.0];
        let (lo, hi) = band(&[&a, &b, &c], 4, 0.1, 0.9, 2);
        // t = 0: sorted 1, 3, 5 → 10 % at position 0.2: 1.4; 90 % at 1.8: 4.6.
        assert!((lo[0] - 1.4).abs() < 1e-12 && (hi[0] - 4.6).abs() < 1e-12);
        // t = 1: 1, 2, 3 → 1.2 and 2.8.
        assert!((lo[1] - 1.2).abs() < 1e-12 && (hi[1] - 2.8).abs() < 1e-12);
        // t = 2: only one run reached it (fewer than 2); t = 3: none.
        assert!(lo[2].is_nan() && hi[2].is_nan() && lo[3].is_nan());
        let (lo, _) = band(&[&a, &b, &c], 3, 0.1, 0.9, 1);
        assert_eq!(lo[2], 2.0);
    }
}
