//! Contour lines by marching squares over a grid of values, joined into polylines
//! (closed where a contour closes inside the grid).

/// Values on a regular grid: `values[j * nx + i]` at
/// x_i = x0 + i (x1 − x0)/(nx − 1), y_j = y0 + j (y1 − y0)/(ny − 1) (j = 0 is the bottom).
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    pub nx: usize,
    pub ny: usize,
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    pub values: Vec<f64>,
}

impl Grid {
    /// Samples `f` on an nx × ny grid (nx, ny ≥ 2).
    pub fn sample(
        x_range: (f64, f64),
        y_range: (f64, f64),
        nx: usize,
        ny: usize,
        mut f: impl FnMut(f64, f64) -> f64,
    ) -> Grid {
        let (nx, ny) = (nx.max(2), ny.max(2));
        let mut values = Vec::with_capacity(nx * ny);
        for j in 0..ny {
            let y = y_range.0 + j as f64 * (y_range.1 - y_range.0) / (ny - 1) as f64;
            for i in 0..nx {
                let x = x_range.0 + i as f64 * (x_range.1 - x_range.0) / (nx - 1) as f64;
                values.push(f(x, y));
            }
        }
        Grid {
            nx,
            ny,
            x_range,
            y_range,
            values,
        }
    }

    fn x(&self, i: usize) -> f64 {
        self.x_range.0 + i as f64 * (self.x_range.1 - self.x_range.0) / (self.nx - 1) as f64
    }
    fn y(&self, j: usize) -> f64 {
        self.y_range.0 + j as f64 * (self.y_range.1 - self.y_range.0) / (self.ny - 1) as f64
    }
    fn v(&self, i: usize, j: usize) -> f64 {
        self.values[j * self.nx + i]
    }
}

/// One contour line at one level, in data coordinates.
#[derive(Clone, Debug, PartialEq)]
pub struct ContourLine {
    pub level: f64,
    pub points: Vec<(f64, f64)>,
    /// The last point equals the first (the contour closes inside the grid).
    pub closed: bool,
}

/// Cell edges, numbered 0 bottom, 1 right, 2 top, 3 left; a segment joins two edges.
/// Index: bit 0 bottom-left, 1 bottom-right, 2 top-right, 3 top-left corner above.
fn segments(case: u8, center_above: bool) -> &'static [(u8, u8)] {
    match case {
        0 | 15 => &[],
        1 | 14 => &[(3, 0)],
        2 | 13 => &[(0, 1)],
        3 | 12 => &[(3, 1)],
        4 | 11 => &[(1, 2)],
        6 | 9 => &[(0, 2)],
        7 | 8 => &[(2, 3)],
        // Saddles: the centre's side decides which corners the contour cuts off.
        5 if center_above => &[(0, 1), (2, 3)],
        5 => &[(3, 0), (1, 2)],
        10 if center_above => &[(3, 0), (1, 2)],
        10 => &[(0, 1), (2, 3)],
        _ => &[],
    }
}

/// The contour lines of the grid at each level. Cells with a non-finite corner are
/// skipped (a contour stops there).
pub fn contours(grid: &Grid, levels: &[f64]) -> Vec<ContourLine> {
    let mut out = Vec::new();
    if grid.nx < 2 || grid.ny < 2 || grid.values.len() != grid.nx * grid.ny {
        return out;
    }
    // The segments at each crossing point, by edge key (see `contours_at`); reused.
    let mut at = vec![[usize::MAX; 2]; 2 * (grid.nx + 1) * (grid.ny + 1)];
    for &level in levels {
        if level.is_finite() {
            out.extend(contours_at(grid, level, &mut at));
        }
    }
    out
}

/// A point where the level crosses a grid edge; the edge is identified so that the
/// two cells sharing it compute the same point.
fn edge_key(grid: &Grid, i: usize, j: usize, edge: u8) -> usize {
    // Horizontal edges (i, j)–(i+1, j) and vertical edges (i, j)–(i, j+1).
    let (kind, ii, jj) = match edge {
        0 => (0, i, j),
        2 => (0, i, j + 1),
        3 => (1, i, j),
        _ => (1, i + 1, j),
    };
    ((jj * (grid.nx + 1) + ii) << 1) | kind
}

fn edge_point(grid: &Grid, key: usize, level: f64) -> (f64, f64) {
    let kind = key & 1;
    let cell = key >> 1;
    let (i, j) = (cell % (grid.nx + 1), cell / (grid.nx + 1));
    let (i1, j1) = if kind == 0 { (i + 1, j) } else { (i, j + 1) };
    let (a, b) = (grid.v(i, j), grid.v(i1, j1));
    let t = if b != a {
        ((level - a) / (b - a)).clamp(0.0, 1.0)
    } else {
        0.5
    };
    let (xa, ya) = (grid.x(i), grid.y(j));
    let (xb, yb) = (grid.x(i1), grid.y(j1));
    (xa + t * (xb - xa), ya + t * (yb - ya))
}

/// `at` has an entry `[usize::MAX; 2]` for every edge key; it is left so.
fn contours_at(grid: &Grid, level: f64, at: &mut [[usize; 2]]) -> Vec<ContourLine> {
    let mut segs: Vec<(usize, usize)> = Vec::new();
    for j in 0..grid.ny - 1 {
        for i in 0..grid.nx - 1 {
            let c = [
                grid.v(i, j),
                grid.v(i + 1, j),
                grid.v(i + 1, j + 1),
                grid.v(i, j + 1),
            ];
            if c.iter().any(|v| !v.is_finite()) {
                continue;
            }
            let mut case = 0u8;
            for (k, v) in c.iter().enumerate() {
                if *v > level {
                    case |= 1 << k;
                }
            }
            let center_above = (c[0] + c[1] + c[2] + c[3]) / 4.0 > level;
            for &(e0, e1) in segments(case, center_above) {
                segs.push((edge_key(grid, i, j, e0), edge_key(grid, i, j, e1)));
            }
        }
    }
    // Each crossing point belongs to at most two segments (one per cell of its edge).
    for (s, &(a, b)) in segs.iter().enumerate() {
        for key in [a, b] {
            let e = &mut at[key];
            if e[0] == usize::MAX {
                e[0] = s;
            } else {
                e[1] = s;
            }
        }
    }
    let other = |key: usize, s: usize| -> Option<usize> {
        let e = &at[key];
        let o = if e[0] == s { e[1] } else { e[0] };
        (o != usize::MAX && o != s).then_some(o)
    };
    let mut used = vec![false; segs.len()];
    let mut lines = Vec::new();
    for start in 0..segs.len() {
        if used[start] {
            continue;
        }
        used[start] = true;
        let (a, b) = segs[start];
        // Walk forward from b, then backward from a.
        let mut fwd = vec![a, b];
        let (mut s, mut key) = (start, b);
        while let Some(n) = other(key, s) {
            if used[n] {
                break;
            }
            used[n] = true;
            let (p, q) = segs[n];
            key = if p == key { q } else { p };
            fwd.push(key);
            s = n;
        }
        let closed = fwd.len() > 3 && fwd.first() == fwd.last();
        if !closed {
            let mut back = Vec::new();
            let (mut s, mut key) = (start, a);
            while let Some(n) = other(key, s) {
                if used[n] {
                    break;
                }
                used[n] = true;
                let (p, q) = segs[n];
                key = if p == key { q } else { p };
                back.push(key);
                s = n;
            }
            back.reverse();
            back.extend(fwd);
            fwd = back;
        }
        lines.push(ContourLine {
            level,
            points: fwd.iter().map(|&k| edge_point(grid, k, level)).collect(),
            closed,
        });
    }
    for &(a, b) in &segs {
        at[a] = [usize::MAX; 2];
        at[b] = [usize::MAX; 2];
    }
    lines
}

/// Log-spaced levels 10^(k/4) (four per decade) in [lo, hi), highest first. They do
/// not depend on where lo and hi fall, so contours stay put when the box changes.
pub fn log_levels(lo: f64, hi: f64) -> Vec<f64> {
    if !(lo > 0.0 && hi > lo && hi.is_finite()) {
        return Vec::new();
    }
    let level = |k: i32| {
        if k % 4 == 0 {
            // Exact powers of ten: divide for negative ones (0.01, not 0.010000000000000002).
            if k < 0 {
                1.0 / 10f64.powi(-k / 4)
            } else {
                10f64.powi(k / 4)
            }
        } else {
            libm::pow(10.0, k as f64 / 4.0)
        }
    };
    let top = (4.0 * libm::log10(hi)).ceil() as i32;
    let bottom = (4.0 * libm::log10(lo)).floor() as i32;
    (bottom..=top)
        .rev()
        .map(level)
        .filter(|&v| v >= lo && v < hi)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_round_bowl_gives_closed_circles_at_the_right_radius() {
        // L − L* = ½ h r²: the level ℓ is the circle of radius √(2ℓ/h).
        let h = 2.0;
        let grid = Grid::sample((-3.0, 3.0), (-3.0, 3.0), 121, 121, |x, y| {
            0.5 * h * (x * x + y * y)
        });
        for level in [0.5, 2.0, 4.0] {
            let lines = contours(&grid, &[level]);
            assert_eq!(lines.len(), 1, "level {level}");
            let l = &lines[0];
            assert!(l.closed);
            assert_eq!(l.points.first(), l.points.last());
            let r = (2.0 * level / h).sqrt();
            // Linear interpolation of a quadratic: the error is below a grid step² scale.
            let dx: f64 = 6.0 / 120.0;
            for &(x, y) in &l.points {
                let rr = (x * x + y * y).sqrt();
                assert!((rr - r).abs() < dx * dx / r + 1e-12, "r = {rr}, want {r}");
            }
            // It goes all the way round: the enclosed area is π r².
            let area: f64 = l
                .points
                .windows(2)
                .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
                .sum::<f64>()
                .abs()
                / 2.0;
            let want = std::f64::consts::PI * r * r;
            assert!(
                (area - want).abs() < 0.01 * want,
                "area {area}, want {want}"
            );
        }
    }

    #[test]
    fn contours_leaving_the_grid_are_open() {
        let grid = Grid::sample((0.0, 2.0), (0.0, 2.0), 41, 41, |x, y| x * x + y * y);
        let lines = contours(&grid, &[1.0]);
        assert_eq!(lines.len(), 1);
        assert!(!lines[0].closed);
        let (a, b) = (lines[0].points[0], *lines[0].points.last().unwrap());
        // Ends on the axes x = 0 and y = 0, at distance 1.
        let ends = [a, b];
        assert!(ends
            .iter()
            .any(|p| p.0.abs() < 1e-12 && (p.1 - 1.0).abs() < 1e-3));
        assert!(ends
            .iter()
            .any(|p| p.1.abs() < 1e-12 && (p.0 - 1.0).abs() < 1e-3));
    }

    #[test]
    fn saddles_and_nans_do_not_break_it() {
        let grid = Grid::sample((-1.0, 1.0), (-1.0, 1.0), 31, 31, |x, y| {
            if x > 0.5 && y > 0.5 {
                f64::NAN
            } else {
                x * y
            }
        });
        let lines = contours(&grid, &[0.0, 0.1, -0.1]);
        assert!(!lines.is_empty());
        for l in &lines {
            assert!(l.points.iter().all(|p| p.0.is_finite() && p.1.is_finite()));
        }
    }

    #[test]
    fn log_levels_are_four_per_decade() {
        let l = log_levels(0.01, 1.0);
        assert_eq!(l.len(), 8);
        assert_eq!((l[3], l[7]), (0.1, 0.01));
        for w in l.windows(2) {
            assert!((w[0] / w[1] - libm::pow(10.0, 0.25)).abs() < 1e-12);
        }
        assert!(log_levels(0.0, 1.0).is_empty());
    }
}
