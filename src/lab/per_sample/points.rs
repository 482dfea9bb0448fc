//! The data as explicit points: read from and written to a scenario, and encoded
//! for the URL (`points=x:y,x:y,…`).

use super::MAX_N;
use crate::chart::per_sample as ps_chart;
use crate::lab::knob::{fmt_number, parse_number, quote};
use crate::scenario::{build_problem, ProblemSpec, Scenario};

/// The explicit points of a 1-D least-squares problem.
pub(super) fn explicit_points(p: &ProblemSpec) -> Option<(Vec<f64>, Vec<f64>)> {
    match p {
        ProblemSpec::LeastSquares { x, y } if x.iter().all(|r| r.len() == 1) => {
            Some((x.iter().map(|r| r[0]).collect(), y.clone()))
        }
        _ => None,
    }
}

/// The data as explicit points (random data written out, rounded to 4 decimals).
pub(super) fn materialize(s: &Scenario) -> Option<(Vec<f64>, Vec<f64>)> {
    if let Some(p) = explicit_points(&s.problem) {
        return Some(p);
    }
    let problem = build_problem(&s.problem).ok()?;
    let (xs, ys) = ps_chart::samples_of(&problem)?;
    let r = |v: f64| format!("{v:.4}").parse::<f64>().unwrap_or(v);
    Some((
        xs.into_iter().map(r).collect(),
        ys.into_iter().map(r).collect(),
    ))
}

pub(super) fn set_points(s: &mut Scenario, xs: &[f64], ys: &[f64]) {
    s.problem = ProblemSpec::LeastSquares {
        x: xs.iter().map(|&x| vec![x]).collect(),
        y: ys.to_vec(),
    };
}

pub fn format_points(xs: &[f64], ys: &[f64]) -> String {
    xs.iter()
        .zip(ys)
        .map(|(x, y)| format!("{}:{}", fmt_number(*x), fmt_number(*y)))
        .collect::<Vec<_>>()
        .join(",")
}

pub fn parse_points(raw: &str) -> Result<(Vec<f64>, Vec<f64>), String> {
    let mut xs = Vec::new();
    let mut ys = Vec::new();
    for part in raw.split(',').map(str::trim) {
        let bad = || {
            format!(
                "must be points x:y separated by commas, e.g. 1:2,0.5:1.3, with |value| ≤ 1e6; {} is not one",
                quote(part)
            )
        };
        let (x, y) = part.split_once(':').ok_or_else(bad)?;
        let x = parse_number(x).filter(|v| v.abs() <= 1e6).ok_or_else(bad)?;
        let y = parse_number(y).filter(|v| v.abs() <= 1e6).ok_or_else(bad)?;
        xs.push(x);
        ys.push(y);
    }
    if xs.len() > MAX_N {
        return Err(format!(
            "must have at most {MAX_N} points (the lab draws every sample), got {}",
            xs.len()
        ));
    }
    if xs.iter().all(|x| *x == 0.0) {
        return Err("needs at least one point with x ≠ 0 (otherwise w does not matter)".into());
    }
    Ok((xs, ys))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_round_trip_exactly() {
        let xs = [1.0, -0.1 + 0.2, 1e-7, 123456.789];
        let ys = [0.30000000000000004, -2.5, 3.0, -1e-3];
        let text = format_points(&xs, &ys);
        let (x2, y2) = parse_points(&text).unwrap();
        assert_eq!(x2, xs);
        assert_eq!(y2, ys);
        assert!(parse_points("1:2,3").is_err());
        assert!(parse_points("0:2").is_err());
    }
}
