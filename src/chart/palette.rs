//! Colours: the Okabe–Ito palette (distinguishable with every common form of colour
//! blindness) for everything that is a category, and viridis (perceptually uniform,
//! monotone in lightness, colour-blind safe) for everything that is a magnitude.

use plotters::style::RGBColor;

pub const BLACK: RGBColor = RGBColor(0, 0, 0);
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
pub const SKY_BLUE: RGBColor = RGBColor(86, 180, 233);
pub const BLUISH_GREEN: RGBColor = RGBColor(0, 158, 115);
pub const YELLOW: RGBColor = RGBColor(240, 228, 66);
pub const BLUE: RGBColor = RGBColor(0, 114, 178);
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
pub const REDDISH_PURPLE: RGBColor = RGBColor(204, 121, 167);

/// The eight Okabe–Ito colours in their published order.
pub const OKABE_ITO: [RGBColor; 8] = [
    BLACK,
    ORANGE,
    SKY_BLUE,
    BLUISH_GREEN,
    YELLOW,
    BLUE,
    VERMILLION,
    REDDISH_PURPLE,
];

/// The order in which series take colours: the ones that read well as thin lines on
/// white first (yellow last: it is too light for a line on white).
pub const SERIES: [RGBColor; 8] = [
    BLUE,
    VERMILLION,
    BLUISH_GREEN,
    REDDISH_PURPLE,
    ORANGE,
    SKY_BLUE,
    BLACK,
    YELLOW,
];

/// Colour of series number `i` (cycles through [`SERIES`]).
pub fn series_color(i: usize) -> RGBColor {
    SERIES[i % SERIES.len()]
}

/// Text and axes.
pub const INK: RGBColor = RGBColor(34, 34, 34);
/// Tick labels and secondary text.
pub const INK_SOFT: RGBColor = RGBColor(80, 80, 80);
/// Grid lines.
pub const GRID: RGBColor = RGBColor(225, 225, 225);
pub const GRID_MINOR: RGBColor = RGBColor(242, 242, 242);
pub const WHITE: RGBColor = RGBColor(255, 255, 255);

/// matplotlib's viridis sampled at 33 points (t = k/32).
const VIRIDIS: [[u8; 3]; 33] = [
    [68, 1, 84],
    [71, 13, 96],
    [72, 24, 106],
    [72, 35, 116],
    [71, 45, 123],
    [69, 55, 129],
    [66, 64, 134],
    [62, 73, 137],
    [59, 82, 139],
    [55, 91, 141],
    [51, 99, 141],
    [47, 107, 142],
    [44, 114, 142],
    [41, 122, 142],
    [38, 130, 142],
    [35, 137, 142],
    [33, 145, 140],
    [31, 152, 139],
    [31, 160, 136],
    [34, 167, 133],
    [40, 174, 128],
    [50, 182, 122],
    [63, 188, 115],
    [78, 195, 107],
    [94, 201, 98],
    [112, 207, 87],
    [132, 212, 75],
    [152, 216, 62],
    [173, 220, 48],
    [194, 223, 35],
    [216, 226, 25],
    [236, 229, 27],
    [253, 231, 37],
];

/// Viridis at t ∈ [0, 1] (dark purple → yellow), linearly interpolated; t outside is
/// clamped and NaN gives the dark end.
pub fn viridis(t: f64) -> [u8; 3] {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let x = t * 32.0;
    let k = (x.floor() as usize).min(31);
    let f = x - k as f64;
    let (a, b) = (VIRIDIS[k], VIRIDIS[k + 1]);
    let mix = |i: usize| (a[i] as f64 + f * (b[i] as f64 - a[i] as f64)).round() as u8;
    [mix(0), mix(1), mix(2)]
}

pub fn viridis_rgb(t: f64) -> RGBColor {
    let [r, g, b] = viridis(t);
    RGBColor(r, g, b)
}

/// Relative luminance (WCAG) of an sRGB colour, 0 (black) … 1 (white).
pub fn luminance(rgb: [u8; 3]) -> f64 {
    let lin = |c: u8| {
        let c = c as f64 / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            libm::pow((c + 0.055) / 1.055, 2.4)
        }
    };
    0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viridis_gets_lighter_monotonically() {
        let mut prev = -1.0;
        for k in 0..=64 {
            let l = luminance(viridis(k as f64 / 64.0));
            assert!(l > prev, "at {k}: {l} after {prev}");
            prev = l;
        }
        assert_eq!(viridis(0.0), [68, 1, 84]);
        assert_eq!(viridis(1.0), [253, 231, 37]);
        assert_eq!(viridis(f64::NAN), [68, 1, 84]);
    }

    #[test]
    fn series_colours_are_okabe_ito() {
        for i in 0..16 {
            assert!(OKABE_ITO.contains(&series_color(i)));
        }
        assert_ne!(series_color(0), series_color(1));
    }
}
