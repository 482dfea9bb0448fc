//! Geometry in plot space (x linear, y linear or log10): clipping to the plot box,
//! decimation to a couple of points per pixel column, and tick placement.
//!
//! plotters draws whatever coordinates it is given, also outside the plot area, so
//! every line and polygon is clipped here first.

/// An axis-aligned box in plot space.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Box2 {
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
}

impl Box2 {
    /// The point of the box nearest to `p`.
    pub fn clamp(&self, p: (f64, f64)) -> (f64, f64) {
        (p.0.clamp(self.x0, self.x1), p.1.clamp(self.y0, self.y1))
    }

    pub fn contains(&self, p: (f64, f64)) -> bool {
        p.0 >= self.x0 && p.0 <= self.x1 && p.1 >= self.y0 && p.1 <= self.y1
    }
}

fn finite(p: (f64, f64)) -> bool {
    p.0.is_finite() && p.1.is_finite()
}

/// Liang–Barsky: the part of segment a→b inside the box, as parameters (t0, t1).
fn clip_segment(a: (f64, f64), b: (f64, f64), bx: &Box2) -> Option<(f64, f64)> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let mut t0 = 0.0f64;
    let mut t1 = 1.0f64;
    for (p, q) in [
        (-dx, a.0 - bx.x0),
        (dx, bx.x1 - a.0),
        (-dy, a.1 - bx.y0),
        (dy, bx.y1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    (t0 <= t1).then_some((t0, t1))
}

fn lerp(a: (f64, f64), b: (f64, f64), t: f64) -> (f64, f64) {
    if t == 0.0 {
        a
    } else if t == 1.0 {
        b
    } else {
        (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1))
    }
}

/// The pieces of a polyline inside the box. A non-finite point breaks the line (it is
/// skipped, never joined across); a piece of a single point is dropped.
pub(crate) fn clip_polyline(points: &[(f64, f64)], bx: &Box2) -> Vec<Vec<(f64, f64)>> {
    fn flush(cur: &mut Vec<(f64, f64)>, out: &mut Vec<Vec<(f64, f64)>>) {
        if cur.len() >= 2 {
            out.push(std::mem::take(cur));
        } else {
            cur.clear();
        }
    }
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut cur: Vec<(f64, f64)> = Vec::new();
    for w in points.windows(2) {
        let (a, b) = (w[0], w[1]);
        if !finite(a) || !finite(b) {
            flush(&mut cur, &mut out);
            continue;
        }
        match clip_segment(a, b, bx) {
            None => flush(&mut cur, &mut out),
            Some((t0, t1)) => {
                // Inside the box in exact arithmetic; clamped, because lerp from a point
                // far outside (an iterate at 1e50) loses all its digits.
                let (p, q) = (bx.clamp(lerp(a, b, t0)), bx.clamp(lerp(a, b, t1)));
                if t0 > 0.0 || cur.is_empty() {
                    flush(&mut cur, &mut out);
                    cur.push(p);
                }
                cur.push(q);
                if t1 < 1.0 {
                    flush(&mut cur, &mut out);
                }
            }
        }
    }
    flush(&mut cur, &mut out);
    out
}

/// Sutherland–Hodgman: the part of a polygon inside the box.
pub(crate) fn clip_polygon(poly: &[(f64, f64)], bx: &Box2) -> Vec<(f64, f64)> {
    let mut pts: Vec<(f64, f64)> = poly.iter().copied().filter(|p| finite(*p)).collect();
    type Inside = fn(&Box2, (f64, f64)) -> bool;
    type Cut = fn(&Box2, (f64, f64), (f64, f64)) -> (f64, f64);
    let edges: [(Inside, Cut); 4] = [
        (
            |b, p| p.0 >= b.x0,
            |b, p, q| lerp(p, q, (b.x0 - p.0) / (q.0 - p.0)),
        ),
        (
            |b, p| p.0 <= b.x1,
            |b, p, q| lerp(p, q, (b.x1 - p.0) / (q.0 - p.0)),
        ),
        (
            |b, p| p.1 >= b.y0,
            |b, p, q| lerp(p, q, (b.y0 - p.1) / (q.1 - p.1)),
        ),
        (
            |b, p| p.1 <= b.y1,
            |b, p, q| lerp(p, q, (b.y1 - p.1) / (q.1 - p.1)),
        ),
    ];
    for (inside, cut) in edges {
        if pts.is_empty() {
            break;
        }
        let mut next = Vec::with_capacity(pts.len() + 4);
        for k in 0..pts.len() {
            let cur = pts[k];
            let prev = pts[(k + pts.len() - 1) % pts.len()];
            match (inside(bx, prev), inside(bx, cur)) {
                (true, true) => next.push(cur),
                (true, false) => next.push(cut(bx, prev, cur)),
                (false, true) => {
                    next.push(cut(bx, prev, cur));
                    next.push(cur);
                }
                (false, false) => {}
            }
        }
        pts = next;
    }
    pts
}

/// Keeps at most two points per pixel column (the lowest and the highest, in their
/// order along the line) plus the line's two ends, so that a curve of any length costs
/// at most about 2 × `columns` points to draw and keeps its visible extremes.
/// Assumes x is non-decreasing along the line (a series against steps).
pub(crate) fn decimate(points: &[(f64, f64)], x0: f64, x1: f64, columns: usize) -> Vec<(f64, f64)> {
    if points.len() <= 2 * columns.max(1) + 2 || x1 <= x0 {
        return points.to_vec();
    }
    let scale = columns as f64 / (x1 - x0);
    let col = |x: f64| ((x - x0) * scale).floor() as i64;
    let mut out = Vec::with_capacity(2 * columns + 2);
    out.push(points[0]);
    let last = points.len() - 1;
    let mut k = 1;
    while k < last {
        let c = col(points[k].0);
        let (mut lo, mut hi) = (k, k);
        let mut j = k + 1;
        while j < last && col(points[j].0) == c {
            if points[j].1 < points[lo].1 {
                lo = j;
            }
            if points[j].1 > points[hi].1 {
                hi = j;
            }
            j += 1;
        }
        let (a, b) = if lo <= hi { (lo, hi) } else { (hi, lo) };
        out.push(points[a]);
        if b != a {
            out.push(points[b]);
        }
        k = j;
    }
    out.push(points[last]);
    out
}

/// [`decimate`] for a whole series that non-finite points break into runs: each finite
/// run is thinned on its own and the runs are joined by a (NaN, NaN) break, so that the
/// result draws the same pieces as the series (see [`clip_polyline`]). Thinning the
/// whole series *before* clipping keeps a curve that crosses the box's edge again and
/// again at about 2 × `columns` points, where clipping first would leave every short
/// piece inside the box unthinned.
pub(crate) fn decimate_series(
    points: &[(f64, f64)],
    x0: f64,
    x1: f64,
    columns: usize,
) -> Vec<(f64, f64)> {
    if points.len() <= 2 * columns.max(1) + 2 {
        return points.to_vec();
    }
    let mut out = Vec::new();
    for run in points.split(|p| !finite(*p)) {
        if run.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push((f64::NAN, f64::NAN));
        }
        out.extend(decimate(run, x0, x1, columns));
    }
    out
}

/// Ticks on one axis, in plot space, with their labels; `minor` are unlabelled.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Ticks {
    pub major: Vec<(f64, String)>,
    pub minor: Vec<f64>,
}

/// 1, 2, 2.5 or 5 × 10^k: the nicest step that gives at most `max_n` intervals.
fn nice_step(span: f64, max_n: usize) -> f64 {
    let raw = span / max_n.max(1) as f64;
    let mag = libm::pow(10.0, libm::log10(raw).floor());
    let norm = raw / mag;
    let m = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 2.5 {
        2.5
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * mag
}

/// A number written with the decimals its step needs ("0.25", "-3", "1.5e-6").
pub(crate) fn format_num(v: f64, step: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let big = v.abs().max(step.abs());
    if big >= 1e6 || step.abs() < 1e-4 {
        let digits =
            ((libm::log10(big).floor() - libm::log10(step.abs()).floor()).max(0.0) as usize).min(6);
        return times_ten(&format!("{:.*e}", digits, v));
    }
    let mut decimals = (-libm::log10(step.abs()).floor()).max(0.0) as usize;
    // 2.5 × 10^k needs one more digit.
    if ((step / 10f64.powi(-(decimals as i32))).round() - step / 10f64.powi(-(decimals as i32)))
        .abs()
        > 1e-6
    {
        decimals += 1;
    }
    let s = format!("{:.*}", decimals.min(10), v);
    let s = if s
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        "0".to_string()
    } else {
        s
    };
    s.replace('-', "\u{2212}")
}

/// Rust's scientific notation ("1.50e-6", from `{:e}`) as a textbook prints it:
/// "1.5 × 10⁻⁶" (trailing zeros of the mantissa dropped, "10⁻⁶" for a mantissa of 1,
/// a minus sign "−"). The one place the labs and the charts write powers of ten.
pub fn times_ten(s: &str) -> String {
    let Some((m, e)) = s.split_once(['e', 'E']) else {
        return s.replace('-', "\u{2212}");
    };
    let Ok(k) = e.trim_start_matches('+').parse::<i32>() else {
        return s.replace('-', "\u{2212}");
    };
    let m = if m.contains('.') {
        m.trim_end_matches('0').trim_end_matches('.')
    } else {
        m
    };
    let out = match m {
        "1" => power_of_ten(k),
        "-1" => format!("-{}", power_of_ten(k)),
        _ if k == 0 => m.to_string(),
        _ => format!("{m} × {}", power_of_ten(k)),
    };
    out.replace('-', "\u{2212}")
}

/// Ticks at multiples of a nice step, at most about `max_n` of them.
pub(crate) fn linear_ticks(lo: f64, hi: f64, max_n: usize) -> Ticks {
    let span = hi - lo;
    if !(span > 0.0) || !span.is_finite() {
        return Ticks::default();
    }
    let step = nice_step(span, max_n.max(2));
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    let major = (first..=last)
        .map(|k| {
            let v = k as f64 * step;
            (v, format_num(v, step))
        })
        .collect();
    Ticks {
        major,
        minor: Vec::new(),
    }
}

const SUPERSCRIPT: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

/// 10ᵏ with a superscript exponent, e.g. "10⁻³".
pub fn power_of_ten(k: i32) -> String {
    let mut s = String::from("10");
    if k < 0 {
        s.push('⁻');
    }
    for c in k.unsigned_abs().to_string().chars() {
        s.push(SUPERSCRIPT[c.to_digit(10).unwrap_or(0) as usize]);
    }
    s
}

/// Ticks for a log axis whose plot-space range is the exponents [lo, hi]:
/// powers of ten (every k-th when there are many decades) labelled 10ᵏ, the 2…9
/// multiples as minor ticks; within less than a decade, 1-2-5 multiples or plain
/// nice numbers.
pub(crate) fn log_ticks(lo: f64, hi: f64, max_n: usize) -> Ticks {
    if !(hi > lo) || !lo.is_finite() || !hi.is_finite() {
        return Ticks::default();
    }
    let max_n = max_n.max(2);
    let first = (lo - 1e-9).ceil() as i32;
    let last = (hi + 1e-9).floor() as i32;
    let decades = last - first + 1;
    if decades >= 2 {
        let stride = (decades as usize).div_ceil(max_n).max(1) as i32;
        let major = (first..=last)
            .filter(|k| k.rem_euclid(stride) == 0)
            .map(|k| (k as f64, power_of_ten(k)))
            .collect();
        let mut minor = Vec::new();
        if stride == 1 && hi - lo <= 12.0 {
            for k in (first - 1)..=last {
                for m in 2..=9 {
                    let v = k as f64 + libm::log10(m as f64);
                    if v > lo && v < hi {
                        minor.push(v);
                    }
                }
            }
        } else if stride > 1 {
            minor = (first..=last)
                .filter(|k| k.rem_euclid(stride) != 0)
                .map(|k| k as f64)
                .collect();
        }
        return Ticks { major, minor };
    }
    // Less than two powers of ten in range: label 1, 2, 5 × 10^k, or nice numbers.
    let mut major = Vec::new();
    for k in (first - 1)..=(last + 1) {
        for m in [1.0, 2.0, 5.0] {
            let v = m * 10f64.powi(k);
            let e = libm::log10(v);
            if e >= lo - 1e-9 && e <= hi + 1e-9 {
                let label = if m == 1.0 {
                    power_of_ten(k)
                } else {
                    format_num(v, 10f64.powi(k))
                };
                major.push((e, label));
            }
        }
    }
    if major.len() >= 3 {
        return Ticks {
            major,
            minor: Vec::new(),
        };
    }
    let (a, b) = (libm::pow(10.0, lo), libm::pow(10.0, hi));
    let step = nice_step(b - a, max_n.min(5));
    let first = (a / step - 1e-9).ceil() as i64;
    let last = (b / step + 1e-9).floor() as i64;
    let major = (first..=last)
        .filter(|&k| k > 0)
        .map(|k| {
            let v = k as f64 * step;
            (libm::log10(v), format_num(v, step))
        })
        .collect();
    Ticks {
        major,
        minor: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const B: Box2 = Box2 {
        x0: 0.0,
        x1: 10.0,
        y0: 0.0,
        y1: 10.0,
    };

    #[test]
    fn clipping_splits_a_line_that_leaves_the_box() {
        let pts = [(1.0, 1.0), (5.0, 20.0), (9.0, 1.0)];
        let pieces = clip_polyline(&pts, &B);
        assert_eq!(pieces.len(), 2);
        for p in &pieces {
            assert!(p.iter().all(|q| B.contains(*q)));
        }
        assert!((pieces[0][1].1 - 10.0).abs() < 1e-12);
    }

    #[test]
    fn a_segment_from_far_away_is_clipped_inside_the_box() {
        // From 1e200 to the box's inside: the entry point must be in the box, not off by
        // the rounding error of 1e200.
        for a in [(1e200, 5.0), (5.0, -1e200), (-3e150, 7e150)] {
            let pieces = clip_polyline(&[a, (5.0, 5.0), (6.0, 6.0)], &B);
            assert_eq!(pieces.len(), 1, "{a:?}");
            assert!(
                pieces[0].iter().all(|q| B.contains(*q)),
                "{a:?}: {pieces:?}"
            );
            assert_eq!(pieces[0].len(), 3);
        }
    }

    #[test]
    fn non_finite_points_break_the_line() {
        let pts = [
            (1.0, 1.0),
            (2.0, 2.0),
            (3.0, f64::NAN),
            (4.0, 4.0),
            (5.0, 5.0),
        ];
        let pieces = clip_polyline(&pts, &B);
        assert_eq!(
            pieces,
            vec![vec![(1.0, 1.0), (2.0, 2.0)], vec![(4.0, 4.0), (5.0, 5.0)]]
        );
    }

    #[test]
    fn polygon_clipping_stays_in_the_box() {
        let poly = [(-5.0, 5.0), (5.0, -5.0), (15.0, 5.0), (5.0, 15.0)];
        let out = clip_polygon(&poly, &B);
        assert!(out.len() >= 4);
        assert!(out.iter().all(|p| B.contains(*p)));
    }

    #[test]
    fn a_series_is_thinned_per_finite_run_and_keeps_its_breaks() {
        // Two runs of 5000 points split by a NaN; per column each keeps its own low and
        // high, and the break survives as the only non-finite point.
        let pts: Vec<(f64, f64)> = (0..10_001)
            .map(|i| {
                let y = if i == 5000 {
                    f64::NAN
                } else {
                    ((i * 7919) % 1000) as f64
                };
                (i as f64, y)
            })
            .collect();
        let d = decimate_series(&pts, 0.0, 10_000.0, 100);
        assert_eq!(d.iter().filter(|p| p.1.is_nan()).count(), 1);
        assert!(d.len() <= 2 * (2 * 101 + 2) + 1, "{}", d.len());
        let split = d.iter().position(|p| p.1.is_nan()).unwrap();
        assert!(d[..split].iter().all(|p| p.0 < 5000.0));
        assert!(d[split + 1..].iter().all(|p| p.0 > 5000.0));
        // Column 7 (x 700 … 799) keeps the true low and high of the input there.
        let col = |v: &[(f64, f64)]| -> (f64, f64) {
            let ys = v
                .iter()
                .filter(|p| (700.0..800.0).contains(&p.0))
                .map(|p| p.1);
            ys.clone()
                .fold((f64::MAX, f64::MIN), |(a, b), y| (a.min(y), b.max(y)))
        };
        assert_eq!(col(&d), col(&pts));
        // A short series is returned as it is.
        assert_eq!(
            decimate_series(&pts[..50], 0.0, 10_000.0, 100),
            pts[..50].to_vec()
        );
    }

    #[test]
    fn decimation_keeps_extremes_and_at_most_two_points_per_column() {
        let pts: Vec<(f64, f64)> = (0..10_000)
            .map(|i| (i as f64, ((i * 7919) % 1000) as f64))
            .collect();
        let d = decimate(&pts, 0.0, 9999.0, 100);
        assert!(d.len() <= 2 * 101 + 2, "{}", d.len());
        let max = d.iter().map(|p| p.1).fold(f64::MIN, f64::max);
        let min = d.iter().map(|p| p.1).fold(f64::MAX, f64::min);
        assert_eq!((min, max), (0.0, 999.0));
        assert!(d.windows(2).all(|w| w[0].0 <= w[1].0));
    }

    #[test]
    fn log_ticks_are_powers_of_ten() {
        let t = log_ticks(-6.3, 1.2, 10);
        let labels: Vec<&str> = t.major.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(
            labels,
            ["10⁻⁶", "10⁻⁵", "10⁻⁴", "10⁻³", "10⁻²", "10⁻¹", "10⁰", "10¹"]
        );
        let t = log_ticks(-30.0, 2.0, 6);
        assert!(t.major.len() <= 7 && t.major.len() >= 4, "{:?}", t.major);
        assert!(t.major.iter().all(|(v, _)| v.fract() == 0.0));
        let t = log_ticks(0.1, 0.6, 6);
        assert!(t.major.len() >= 2, "{:?}", t.major);
    }

    #[test]
    fn linear_tick_labels_are_tidy() {
        let t = linear_ticks(-0.1, 1.05, 6);
        let labels: Vec<&str> = t.major.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(labels, ["0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
        let t = linear_ticks(0.0, 1000.0, 5);
        let labels: Vec<&str> = t.major.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(labels, ["0", "200", "400", "600", "800", "1000"]);
        assert_eq!(format_num(-2.5, 2.5), "\u{2212}2.5");
        // Very small steps: powers of ten as a textbook writes them, not "1.5e-6".
        let t = linear_ticks(0.0, 4e-6, 4);
        let labels: Vec<&str> = t.major.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(labels, ["0", "10⁻⁶", "2 × 10⁻⁶", "3 × 10⁻⁶", "4 × 10⁻⁶"]);
    }

    #[test]
    fn times_ten_writes_powers_of_ten() {
        assert_eq!(times_ten("1.408e1"), "1.408 × 10¹");
        assert_eq!(times_ten("2.500e-3"), "2.5 × 10⁻³");
        assert_eq!(times_ten("-4.000e-4"), "\u{2212}4 × 10⁻⁴");
        assert_eq!(times_ten("1.000e-7"), "10⁻⁷");
        assert_eq!(times_ten("9.850e49"), "9.85 × 10⁴⁹");
        assert_eq!(times_ten("3.5e0"), "3.5");
        assert_eq!(times_ten("12"), "12");
    }
}
