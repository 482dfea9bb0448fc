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

/// A number for a caption: 4 significant digits, scientific when very large or small;
/// never "NaN".
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
        format!("{v:.3e}")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caption_numbers() {
        assert_eq!(num(1.23456), "1.235");
        assert_eq!(num(2.0), "2");
        assert_eq!(num(-0.5), "-0.5");
        assert_eq!(num(1e-7), "1.000e-7");
        assert_eq!(num(f64::NAN), "undefined");
        assert_eq!(round_to_span(1.23456, 4.0), 1.235);
    }
}
