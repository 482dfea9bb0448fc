//! Reading knob values from a link (URL parameters) or from an imported file, through
//! one reader, so that both say the same things about a bad value — only the start of
//! the sentence differs: "URL parameter every must be …" or "the file's every must be …".
//!
//! Rules (README, "Bad input"):
//! - Keys may come in any order: the knobs are applied in table order, and applied
//!   again when a later knob undid an earlier one (`spread=3&n=8` keeps n = 8).
//! - A key given several times: the last value that is valid is used, and every value
//!   that is not used is named ("… got "xyz"; using the other value in the link, 0.3").
//! - A value is quoted as it was written (`lr=NaN` → got "NaN").
//! - A valid value that the lab cannot show with the link's other settings (`every`
//!   without the step schedule, `dataset=custom` without points) is named with the
//!   reason, so that a link opens with exactly the values it names or says which not.

use super::knob::{quote, Knob, KnobKind};
use super::{default_scenario, knobs, FromQuery};
use crate::error::SpecError;
use crate::scenario::{Scenario, Setup};

/// Where the values come from: the start of every sentence about them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Url,
    File,
}

impl Source {
    fn name(self, key: &str) -> String {
        match self {
            Source::Url => format!("URL parameter {key}"),
            Source::File => format!("the file's {key}"),
        }
    }
    fn place(self) -> &'static str {
        match self {
            Source::Url => "the link",
            Source::File => "the file",
        }
    }
}

/// The value a knob shows, normalised as `check` normalises a written one.
fn shown(k: &Knob, s: &Scenario) -> String {
    (k.get)(s)
}

/// Whether `raw` (already valid for `k`) is what the scenario holds: the knob shows
/// that value (numbers and choices), or applying it again changes nothing (text).
fn kept(k: &Knob, s: &Scenario, raw: &str) -> bool {
    match k.kind {
        KnobKind::Text { .. } | KnobKind::Variants { .. } => {
            let mut again = s.clone();
            k.apply(&mut again, raw).is_ok() && again == *s
        }
        _ => k.check(raw).is_ok_and(|v| v == shown(k, s)),
    }
}

/// Why a valid value was not used: the rest of "… was not used: …".
fn why_not_used(lab: &str, key: &str, s: &Scenario, raw: &str) -> String {
    let get = |key: &str| {
        knobs(lab)
            .ok()
            .and_then(|ks| ks.into_iter().find(|k| k.key == key))
            .map(|k| (k.get)(s))
            .unwrap_or_default()
    };
    if lab == "sandbox" {
        if let Some(why) = super::sandbox::knobs::why_not(s, key) {
            return why;
        }
    }
    if lab == "expected-loss" {
        if let Some(why) = super::expected_loss::why_not(s, key) {
            return why;
        }
    }
    if lab == "variance-reduction" {
        if let Some(why) = super::variance_reduction::why_not(s, key) {
            return why;
        }
    }
    match (lab, key) {
        ("per-sample", "dataset") if raw.trim() == "custom" => format!(
            "dataset=custom needs its points (points=x:y,x:y,…), so the lab shows the {} data",
            get("dataset")
        ),
        ("per-sample", "dataset") => format!(
            "the link's other settings (points, n, spread or data_seed) give {} data, which the lab shows",
            get("dataset")
        ),
        ("per-sample", "n" | "spread" | "data_seed") => format!(
            "it describes random data, and the data set is {} (n = {})",
            get("dataset"),
            get("n")
        ),
        _ => format!(
            "it does not fit the other settings, so the lab shows {key}={}",
            get(key)
        ),
    }
}

/// A key that older links of a lab carry and that it no longer has: why, in words.
fn retired(lab: &str, key: &str) -> Option<&'static str> {
    match (lab, key) {
        ("decay", "schedule") => Some(
            "the decay lab shows the five schedules side by side, each with its own settings (fast, slow_t0, t0, every, gamma)",
        ),
        _ => None,
    }
}

/// Builds a lab's scenario from `[key, value]` pairs (`lab` among them for a URL; see
/// the module comment for the rules). Unknown keys are ignored with a warning; a bad
/// value keeps the default and says why; if the values do not fit together, the whole
/// lab falls back to its defaults with a message.
pub fn from_pairs(pairs: &[(String, String)], source: Source) -> Result<FromQuery, SpecError> {
    from_pairs_known(pairs, source, None)
}

/// What a link keeps of the scenario `shown` (a lab's, built as `setup`): its knobs
/// read back as a file's values ([`from_pairs`]). When they give `setup`'s scenario,
/// it is reused and the problem is not built again (an import builds it once).
pub fn reread(shown: &Scenario, setup: &Setup) -> Result<FromQuery, SpecError> {
    from_pairs_known(&super::to_query(shown), Source::File, Some(setup))
}

/// [`from_pairs`], reusing `known` when the values give its scenario.
fn from_pairs_known(
    pairs: &[(String, String)],
    source: Source,
    known: Option<&Setup>,
) -> Result<FromQuery, SpecError> {
    let id = pairs
        .iter()
        .find(|(k, _)| k == "lab")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    let knobs = knobs(id)?;
    let defaults = default_scenario(id)?;
    let mut s = defaults.clone();
    let mut warnings = Vec::new();
    // Pass 1, knobs in table order (the data set is in place before the start point):
    // for each key, the last value that can be applied.
    let mut chosen: Vec<(&Knob, &str)> = Vec::new();
    for k in &knobs {
        let values: Vec<&str> = pairs
            .iter()
            .filter(|(key, _)| key == k.key)
            .map(|(_, v)| v.as_str())
            .collect();
        if values.is_empty() {
            continue;
        }
        // Every value is tried on the state before this key; the last that applies is used.
        let tried: Vec<Result<Scenario, String>> = values
            .iter()
            .map(|v| {
                let mut next = s.clone();
                k.apply(&mut next, v).map(|()| next)
            })
            .collect();
        let used = tried.iter().rposition(Result::is_ok);
        for e in tried.iter().filter_map(|r| r.as_ref().err()) {
            let tail = match (used, source) {
                (Some(i), _) => format!(
                    "; using the other value in {}, {}",
                    source.place(),
                    values[i].trim()
                ),
                (None, Source::File) => String::new(),
                (None, Source::Url) => match shown(k, &s) {
                    v if v.is_empty() => "; the lab uses its default".to_string(),
                    v => format!("; using {v}"),
                },
            };
            warnings.push(format!("{} {e}{tail}", source.name(k.key)));
        }
        if let Some(i) = used {
            let valid: Vec<String> = values
                .iter()
                .zip(&tried)
                .filter(|(_, r)| r.is_ok())
                .map(|(v, _)| quote(v.trim()))
                .collect();
            if valid.len() > 1 {
                warnings.push(format!(
                    "{} is given {} times ({}); using the last, {}",
                    source.name(k.key),
                    valid.len(),
                    valid.join(", "),
                    values[i].trim()
                ));
            }
            if let Some(Ok(next)) = tried.into_iter().nth(i) {
                s = next;
            }
            chosen.push((k, values[i]));
        }
    }
    // Pass 2, only when a later knob undid an earlier one (`spread=3&n=8`: spread
    // switched to random data with its own n): apply the chosen values again.
    if chosen.iter().any(|(k, v)| !kept(k, &s, v)) {
        for (k, v) in &chosen {
            let mut next = s.clone();
            if k.apply(&mut next, v).is_ok() {
                s = next;
            }
        }
    }
    for (k, v) in &chosen {
        if !kept(k, &s, v) {
            warnings.push(format!(
                "{} {} was not used: {}",
                source.name(k.key),
                quote(v.trim()),
                why_not_used(id, k.key, &s, v)
            ));
        }
    }
    let mut unknown: Vec<&str> = Vec::new();
    for (key, _) in pairs {
        if key != "lab" && !knobs.iter().any(|k| k.key == key) && !unknown.contains(&key.as_str()) {
            unknown.push(key);
        }
    }
    for key in unknown {
        if let Some(why) = retired(id, key) {
            warnings.push(format!("{} is no longer needed: {why}", source.name(key)));
            continue;
        }
        let names: Vec<&str> = knobs.iter().map(|k| k.key).collect();
        warnings.push(format!(
            "{} is not known to this lab and was ignored (it knows: {})",
            source.name(&quote(key)),
            names.join(", ")
        ));
    }
    let built = match known {
        Some(k) if k.scenario == s => Ok(k.clone()),
        _ => s.build(),
    };
    let setup = match built {
        Ok(setup) => setup,
        // A slice of a build that ran out of time (src/slice.rs): not a misfit.
        Err(e) if crate::slice::cut_short() => return Err(e),
        Err(e) => {
            warnings.push(format!(
                "These settings do not fit together ({e}); the lab starts from its defaults"
            ));
            s = defaults;
            s.build()?
        }
    };
    Ok(FromQuery {
        scenario: s,
        setup,
        warnings,
    })
}

/// A knob edited in the page: `raw` applied to `s`, or why not — the knob's own check
/// (`lr must be …`), or, for a valid value the lab cannot show with the other settings,
/// the same reason a link gets (`t0 "7" was not used: it applies only to …`), so that
/// an edit never silently does nothing.
pub fn set_knob(id: &str, s: &Scenario, key: &str, raw: &str) -> Result<Scenario, String> {
    let knobs = knobs(id).map_err(|e| e.to_string())?;
    let k = knobs.iter().find(|k| k.key == key).ok_or_else(|| {
        let names: Vec<&str> = knobs.iter().map(|k| k.key).collect();
        format!(
            "the {id} lab has no knob {} (it has: {})",
            quote(key),
            names.join(", ")
        )
    })?;
    let mut next = s.clone();
    k.apply(&mut next, raw).map_err(|e| format!("{key} {e}"))?;
    if !kept(k, &next, raw) {
        return Err(format!(
            "{key} {} was not used: {}",
            quote(raw.trim()),
            why_not_used(id, key, &next, raw)
        ));
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::Lab;
    use crate::scenario::BUILDS;

    fn builds() -> u64 {
        BUILDS.with(|b| b.get())
    }

    fn pairs(q: &[(&str, &str)]) -> Vec<(String, String)> {
        q.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_link_and_an_import_build_the_problem_once() {
        for (id, q) in [
            ("per-sample", vec![("n", "9"), ("lr", "0.05")]),
            ("step-size", vec![("lr", "0.3")]),
            ("decay", vec![("gamma", "0.3"), ("every", "40")]),
            ("expected-loss", vec![("runs", "40"), ("lr", "0.2")]),
        ] {
            // A link: read, checked, built once, and the lab made from that build.
            let mut q = pairs(&q);
            q.insert(0, ("lab".into(), id.into()));
            let before = builds();
            let got = from_pairs(&q, Source::Url).unwrap();
            assert!(got.warnings.is_empty(), "{id}: {:?}", got.warnings);
            let lab = Lab::from_setup(&got.setup).unwrap();
            assert_eq!(builds() - before, 1, "{id}: a link");
            assert_eq!(lab.scenario(), &got.scenario);
            // An import of that lab's scenario: one build for the lab, none for the
            // check of what a link keeps (the knobs give the same scenario).
            let file = lab.scenario().clone();
            let before = builds();
            let setup = file.build().unwrap();
            let lab = Lab::from_setup(&setup).unwrap();
            let again = reread(lab.scenario(), &setup).unwrap();
            assert_eq!(builds() - before, 1, "{id}: an import");
            assert!(again.warnings.is_empty() && again.scenario == *lab.scenario());
        }
    }

    #[test]
    fn a_file_the_knobs_cannot_show_is_built_again_to_check_the_link() {
        // steps = 7 is below the knob's minimum (10): the link would keep another value.
        let mut s = crate::lab::default_scenario("decay").unwrap();
        s.steps = 7;
        let before = builds();
        let setup = s.build().unwrap();
        let lab = Lab::from_setup(&setup).unwrap();
        let again = reread(lab.scenario(), &setup).unwrap();
        assert_eq!(builds() - before, 2);
        assert!(
            again.warnings.iter().any(|w| w.contains("steps")),
            "{:?}",
            again.warnings
        );
        assert_ne!(again.scenario, *lab.scenario());
        // What the reread returns is built from what it says.
        assert_eq!(again.setup.scenario, again.scenario);
    }
}
