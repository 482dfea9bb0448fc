//! Numbers as the labs show them: in captions, and clicked coordinates rounded for
//! the URL.

thread_local! {
    static NON_FINITE: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// How many non-finite numbers this thread has formatted for a caption, a fact or a
/// text description so far: tests guard on the values (a NaN reads "undefined" and an
/// overflow "∞" on screen, spellings a search for "NaN" misses).
pub fn non_finite_shown() -> u64 {
    NON_FINITE.with(|c| c.get())
}

/// A number for a caption: 4 significant digits, as a power of ten ("1.563 × 10⁻⁶")
/// when very large or small; never "NaN".
pub(super) fn num(v: f64) -> String {
    if !v.is_finite() {
        NON_FINITE.with(|c| c.set(c.get() + 1));
    }
    if v.is_nan() {
        return "undefined".into();
    }
    if v.is_infinite() {
        return if v > 0.0 {
            "∞".into()
        } else {
            "−∞".into()
        };
    }
    let a = v.abs();
    if a == 0.0 {
        "0".into()
    } else if !(1e-3..1e5).contains(&a) {
        // "2.5 × 10⁻³", never "2.500e-3" (rule 10); the sign stays "-" like the others.
        crate::chart::times_ten(&format!("{v:.3e}")).replace('\u{2212}', "-")
    } else {
        let digits = (3 - libm::log10(a).floor() as i32).clamp(0, 6) as usize;
        let s = format!("{v:.digits$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    }
}

/// Reads back a number as [`num`] (or a chart tick) prints it: "0.0141", "-3",
/// "−2.5", "1.563 × 10⁻⁶", "10⁻⁷". For tests and tools that compare what is shown
/// with what was computed.
pub fn parse_shown(text: &str) -> Option<f64> {
    let t = text.trim().replace('\u{2212}', "-");
    let (mantissa, power) = match t.split_once(" × ") {
        Some((m, p)) => (m.parse::<f64>().ok()?, p),
        None if t.starts_with("10") && t.chars().nth(2).is_some_and(|c| !c.is_ascii()) => {
            (1.0, t.as_str())
        }
        None if t.starts_with("-10") && t.chars().nth(3).is_some_and(|c| !c.is_ascii()) => {
            (-1.0, &t[1..])
        }
        None => return t.parse().ok(),
    };
    let exp: String = power
        .strip_prefix("10")?
        .chars()
        .map(|c| match c {
            '⁻' => Some('-'),
            '⁰' => Some('0'),
            '¹' => Some('1'),
            '²' => Some('2'),
            '³' => Some('3'),
            '⁴'..='⁹' => char::from_digit(c as u32 - '⁴' as u32 + 4, 10),
            _ => None,
        })
        .collect::<Option<String>>()?;
    Some(mantissa * libm::pow(10.0, exp.parse::<i32>().ok()? as f64))
}

/// Rounds a clicked coordinate to a grid of 1/1000 of the axis span (a power of ten),
/// so that URLs stay short.
pub(super) fn round_to_span(v: f64, span: f64) -> f64 {
    if !(span > 0.0 && span.is_finite()) {
        return v;
    }
    let step = libm::pow(10.0, (libm::log10(span) - 3.0).floor());
    let r = (v / step).round() * step;
    // Clean the binary noise of the multiplication: parse the shortest decimal form.
    let decimals = (-libm::log10(step).round()).max(0.0) as usize;
    format!("{r:.decimals$}").parse().unwrap_or(r)
}

/// `s` starting at the clicked point `at` (each coordinate rounded with
/// [`round_to_span`] to the picture's `span`), or `None` when a coordinate is not a
/// number or is past 10⁶: what a click on a lab's map or loss curve does.
pub(super) fn start_at(
    s: &crate::scenario::Scenario,
    at: &[f64],
    span: f64,
) -> Option<crate::scenario::Scenario> {
    let w0: Vec<f64> = at.iter().map(|&v| round_to_span(v, span)).collect();
    if w0.iter().any(|v| !(v.is_finite() && v.abs() <= 1e6)) {
        return None;
    }
    let mut s = s.clone();
    s.w0 = Some(w0);
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caption_numbers() {
        assert_eq!(num(1.23456), "1.235");
        assert_eq!(num(2.0), "2");
        assert_eq!(num(-0.5), "-0.5");
        assert_eq!(num(1e-7), "10⁻⁷");
        assert_eq!(num(1.5634e-6), "1.563 × 10⁻⁶");
        assert_eq!(num(-2.5e7), "-2.5 × 10⁷");
        assert_eq!(num(0.0141), "0.0141");
        assert_eq!(num(14.08), "14.08");
        for v in [1.5634e-6, -2.5e7, 1e-7, 0.0141, -14.08, 3e99, 0.0] {
            let back = parse_shown(&num(v)).unwrap();
            assert!((back - v).abs() <= 5e-4 * v.abs(), "{v} {back}");
        }
        assert_eq!(parse_shown("\u{2212}10³"), Some(-1000.0));
        assert_eq!(parse_shown("w0"), None);
        assert_eq!(num(f64::NAN), "undefined");
        assert_eq!(round_to_span(1.23456, 4.0), 1.235);
    }
}
