//! The heat map under the 2-D map: L(w) − L* over a box, log-scaled, coloured with a
//! lightened viridis (dark = low loss), computed in Rust into an RGBA buffer once per
//! problem change. The browser puts it on a canvas with `putImageData` at the plot
//! rectangle that [`map::plot_area`](super::map::plot_area) returns and draws the
//! map's overlay on top.

use super::palette::viridis;
use crate::problem::Problem;

/// How many decades of L − L* the colour scale spans below its top.
pub const DECADES: f64 = 4.0;

/// How much white is mixed into viridis, so that lines and markers on top stay legible.
const LIGHTEN: f64 = 0.3;

/// The colour scale: L − L* = `top` is the lightest colour, `top`·10^−DECADES and
/// below the darkest.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GapScale {
    pub top: f64,
}

impl GapScale {
    /// The scale for a box: its top is the largest gap in the box, which for a convex
    /// L is attained at a corner.
    pub fn for_box(problem: &Problem, x_range: (f64, f64), y_range: (f64, f64)) -> GapScale {
        let mut top = 0.0f64;
        if problem.d() == 2 {
            for x in [x_range.0, x_range.1] {
                for y in [y_range.0, y_range.1] {
                    let g = problem.gap(&[x, y]);
                    if g.is_finite() {
                        top = top.max(g);
                    }
                }
            }
        }
        GapScale {
            top: if top > 0.0 { top } else { 1.0 },
        }
    }

    /// Position on the colour scale, 0 (at or below top·10^−DECADES) … 1 (top).
    pub fn t(&self, gap: f64) -> f64 {
        if !(gap > 0.0) {
            return 0.0;
        }
        (1.0 + libm::log10(gap / self.top) / DECADES).clamp(0.0, 1.0)
    }

    /// The contour levels that go with the scale: four per decade over the top
    /// three decades (the darkest decade is left to the colour).
    pub fn levels(&self) -> Vec<f64> {
        super::contour::log_levels(self.top * libm::pow(10.0, 1.0 - DECADES), self.top)
    }
}

/// The most gap evaluations a heat map makes: beyond it the grid is coarser than the
/// pixels (a 2-D quadratic's map at device pixels would take over 10⁶).
pub const POINTS: f64 = 1.5e5;

/// How many colours the heat map uses: t is rounded to the nearest of SHADES equally
/// spaced positions, closer than one 8-bit step of any channel.
pub const SHADES: usize = 1024;

/// The index of the shade nearest to t (t outside [0, 1] is clamped).
fn shade(t: f64) -> usize {
    ((t.clamp(0.0, 1.0) * (SHADES - 1) as f64).round() as usize).min(SHADES - 1)
}

/// The heat map's colour for a position t ∈ [0, 1] on the scale.
pub fn color(t: f64) -> [u8; 3] {
    let c = viridis(t);
    let mix = |v: u8| (v as f64 * (1.0 - LIGHTEN) + 255.0 * LIGHTEN).round() as u8;
    [mix(c[0]), mix(c[1]), mix(c[2])]
}

/// RGBA pixels (row-major, 4 bytes per pixel, row 0 at the top = `y_range.1`) of
/// L(w) − L* over the box, `width_px` × `height_px`. Pixel (i, j) shows the point
/// x = x0 + i (x1 − x0)/(width − 1), y = y1 − j (y1 − y0)/(height − 1), which is how
/// the map's axes place those values, so the buffer drawn at the plot rectangle lines
/// up with the overlay. For problems that are not 2-D (or an empty box) every pixel is
/// transparent. The scale position t is smooth, so a large box is evaluated on a
/// coarser grid (at most [`POINTS`] gap evaluations, fewer for expensive losses) and
/// interpolated, and colours come from a table of [`SHADES`] (#8: a 2-D map's first
/// drawing at device pixels was 1.2 million gap evaluations and colour mixes).
pub fn heatmap_rgba(
    problem: &Problem,
    x_range: (f64, f64),
    y_range: (f64, f64),
    width_px: u32,
    height_px: u32,
) -> Vec<u8> {
    let (w, h) = (width_px as usize, height_px as usize);
    // usize is 32 bits on wasm32: a size whose buffer cannot exist gives an empty one.
    let Some(len) = w.checked_mul(h).and_then(|p| p.checked_mul(4)) else {
        return Vec::new();
    };
    let mut out = vec![0u8; len];
    let ok = |r: (f64, f64)| r.0.is_finite() && r.1.is_finite() && r.0 < r.1;
    if problem.d() != 2 || w == 0 || h == 0 || !ok(x_range) || !ok(y_range) {
        return out;
    }
    let scale = GapScale::for_box(problem, x_range, y_range);
    // Quadratic gaps cost O(d²) per point; logistic O(n): keep the work near 4·10⁶
    // and the points at most POINTS.
    let cost = match problem {
        Problem::Logistic(p) => p.n().max(1),
        _ => 1,
    };
    let points = (4e6 / cost as f64).min(POINTS);
    let stride = ((w as f64 * h as f64 / points).sqrt().ceil() as usize).max(1);
    let px = |i: usize| x_range.0 + i as f64 * (x_range.1 - x_range.0) / (w.max(2) - 1) as f64;
    let py = |j: usize| y_range.1 - j as f64 * (y_range.1 - y_range.0) / (h.max(2) - 1) as f64;
    let shades: Vec<[u8; 3]> = (0..SHADES)
        .map(|k| color(k as f64 / (SHADES - 1) as f64))
        .collect();
    let mut put = |i: usize, j: usize, t: f64| {
        let [r, g, b] = shades[shade(t)];
        let k = (j * w + i) * 4;
        out[k..k + 4].copy_from_slice(&[r, g, b, 255]);
    };
    if stride == 1 {
        for j in 0..h {
            for i in 0..w {
                put(i, j, scale.t(problem.gap(&[px(i), py(j)])));
            }
        }
        return out;
    }
    // Coarse grid of t (which is smooth), bilinearly interpolated.
    let (gw, gh) = ((w - 1) / stride + 2, (h - 1) / stride + 2);
    let mut grid = vec![0.0; gw * gh];
    for gj in 0..gh {
        for gi in 0..gw {
            let x =
                x_range.0 + (gi * stride) as f64 * (x_range.1 - x_range.0) / (w.max(2) - 1) as f64;
            let y =
                y_range.1 - (gj * stride) as f64 * (y_range.1 - y_range.0) / (h.max(2) - 1) as f64;
            grid[gj * gw + gi] = scale.t(problem.gap(&[x, y]));
        }
    }
    for j in 0..h {
        let (gj, fy) = (j / stride, (j % stride) as f64 / stride as f64);
        for i in 0..w {
            let (gi, fx) = (i / stride, (i % stride) as f64 / stride as f64);
            let g = |a: usize, b: usize| grid[(gj + b) * gw + gi + a];
            let t = (1.0 - fy) * ((1.0 - fx) * g(0, 0) + fx * g(1, 0))
                + fy * ((1.0 - fx) * g(0, 1) + fx * g(1, 1));
            put(i, j, t);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::palette::luminance;
    use crate::problem::Quadratic;

    fn bowl() -> Problem {
        // H = diag(1, 4), centres around (1, -0.5): w* = (1, -0.5).
        let h = vec![vec![1.0, 0.0], vec![0.0, 4.0]];
        let c = vec![vec![0.0, -1.0], vec![2.0, 0.0], vec![1.0, -0.5]];
        Problem::Quadratic(Quadratic::new(&h, &c).unwrap())
    }

    #[test]
    fn buffer_has_the_right_size_and_is_opaque() {
        let p = bowl();
        let buf = heatmap_rgba(&p, (-2.0, 4.0), (-3.0, 2.0), 123, 77);
        assert_eq!(buf.len(), 123 * 77 * 4);
        assert!(buf.chunks(4).all(|px| px[3] == 255));
    }

    fn lum(buf: &[u8], w: usize, i: usize, j: usize) -> f64 {
        let k = (j * w + i) * 4;
        luminance([buf[k], buf[k + 1], buf[k + 2]])
    }

    #[test]
    fn lighter_as_the_loss_grows_along_a_line_through_the_optimum() {
        let p = bowl();
        // w* = (1, −0.5) is the pixel (60, 50) of a 121×101 box over [−2, 4]×[−3, 2].
        let (w, h) = (121usize, 101usize);
        let buf = heatmap_rgba(&p, (-2.0, 4.0), (-3.0, 2.0), w as u32, h as u32);
        let (ci, cj) = (60, 50);
        // Along the row through w*: darkest at w*, lighter monotonically both ways.
        for dir in [1i64, -1] {
            let mut prev = lum(&buf, w, ci, cj);
            let mut k = 1;
            while let Some(i) = (ci as i64 + dir * k)
                .try_into()
                .ok()
                .filter(|&i: &usize| i < w)
            {
                let l = lum(&buf, w, i, cj);
                assert!(l >= prev - 1e-3, "row: {l} after {prev} at i = {i}");
                prev = l;
                k += 1;
            }
        }
        // And along the column, sampled every 5 px strictly.
        let mut prev = lum(&buf, w, ci, cj);
        for j in (cj + 5..h).step_by(5) {
            let l = lum(&buf, w, ci, j);
            assert!(l > prev, "column: {l} after {prev} at j = {j}");
            prev = l;
        }
        // Same order as the gap itself.
        assert!(lum(&buf, w, 0, 0) > lum(&buf, w, ci, cj) + 0.2);
    }

    #[test]
    fn not_two_dimensional_is_transparent() {
        let h = vec![vec![1.0]];
        let c = vec![vec![0.0], vec![1.0]];
        let p = Problem::Quadratic(Quadratic::new(&h, &c).unwrap());
        let buf = heatmap_rgba(&p, (0.0, 1.0), (0.0, 1.0), 10, 10);
        assert_eq!(buf.len(), 400);
        assert!(buf.iter().all(|&b| b == 0));
    }

    #[test]
    fn a_device_pixel_map_is_interpolated_within_two_levels_of_the_exact_colour() {
        // 1200 × 1000 pixels (a map at device pixels): 1.2·10⁶ > POINTS, so the grid is
        // coarser than the pixels; every pixel must still be the exact colour to within
        // two 8-bit levels, the darkest pixel at w* and the lightest at a corner.
        let p = bowl();
        let (w, h) = (1200usize, 1000usize);
        let (xr, yr) = ((-2.0, 4.0), (-3.0, 2.0));
        let buf = heatmap_rgba(&p, xr, yr, w as u32, h as u32);
        let scale = GapScale::for_box(&p, xr, yr);
        let mut worst = 0;
        for j in (0..h).step_by(7) {
            for i in (0..w).step_by(11) {
                let x = xr.0 + i as f64 * (xr.1 - xr.0) / (w - 1) as f64;
                let y = yr.1 - j as f64 * (yr.1 - yr.0) / (h - 1) as f64;
                let want = color(scale.t(p.gap(&[x, y])));
                let k = (j * w + i) * 4;
                for c in 0..3 {
                    worst = worst.max((buf[k + c] as i32 - want[c] as i32).abs());
                }
            }
        }
        assert!(worst <= 2, "largest channel difference {worst}");
        let (ci, cj) = (
            ((1.0 - xr.0) / (xr.1 - xr.0) * (w - 1) as f64).round() as usize,
            ((yr.1 + 0.5) / (yr.1 - yr.0) * (h - 1) as f64).round() as usize,
        );
        assert_eq!(&buf[(cj * w + ci) * 4..(cj * w + ci) * 4 + 3], &color(0.0));
    }

    #[test]
    fn shades_round_to_the_nearest_and_clamp() {
        assert_eq!(shade(0.0), 0);
        assert_eq!(shade(1.0), SHADES - 1);
        assert_eq!(shade(-3.0), 0);
        assert_eq!(shade(7.0), SHADES - 1);
        assert_eq!(shade(0.5 / (SHADES - 1) as f64 - 1e-9), 0);
        assert_eq!(shade(0.5 / (SHADES - 1) as f64 + 1e-9), 1);
        // Neighbouring shades differ by at most one level per channel.
        for k in 1..SHADES {
            let (a, b) = (
                color((k - 1) as f64 / (SHADES - 1) as f64),
                color(k as f64 / (SHADES - 1) as f64),
            );
            assert!(
                (0..3).all(|c| (a[c] as i32 - b[c] as i32).abs() <= 1),
                "shade {k}"
            );
        }
    }

    #[test]
    fn coarse_grid_matches_the_fine_one() {
        use crate::problem::Logistic;
        let x: Vec<Vec<f64>> = (0..400)
            .map(|i| {
                vec![
                    libm::sin(i as f64 * 0.37) * 2.0,
                    libm::cos(i as f64 * 0.91) * 2.0,
                ]
            })
            .collect();
        let y: Vec<f64> = x
            .iter()
            .map(|r| if r[0] + 0.5 * r[1] > 0.1 { 1.0 } else { -1.0 })
            .collect();
        let p = Problem::Logistic(Logistic::new(&x, &y, 0.1).unwrap());
        let (w, h) = (200u32, 150u32);
        let buf = heatmap_rgba(&p, (-3.0, 3.0), (-3.0, 3.0), w, h);
        assert_eq!(buf.len(), (w * h * 4) as usize);
        let scale = GapScale::for_box(&p, (-3.0, 3.0), (-3.0, 3.0));
        // Spot-check pixels against the exact colour.
        for (i, j) in [(0usize, 0usize), (57, 93), (199, 149), (120, 20)] {
            let xx = -3.0 + i as f64 * 6.0 / 199.0;
            let yy = 3.0 - j as f64 * 6.0 / 149.0;
            let want = color(scale.t(p.gap(&[xx, yy])));
            let k = (j * w as usize + i) * 4;
            for c in 0..3 {
                assert!(
                    (buf[k + c] as i32 - want[c] as i32).abs() <= 6,
                    "pixel ({i}, {j})"
                );
            }
        }
    }
}
