//! Rule 10 (shared/TEACHING.md): numbers as a textbook prints them. Every ready lab of
//! the registry (new labs are covered without a change here), at its defaults and with
//! each number or integer knob at its smallest and largest value, run a few hundred
//! steps: its caption, facts, text description, status and the text of every chart
//! (SVG) show no computer notation ("1.408e1", "1e-4", "2.5E+3") and no number with
//! more than 6 significant digits.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use plotters::prelude::*;
use sgd_lab::lab::knob::KnobKind;
use sgd_lab::lab::{self, Lab};

/// The offending numbers in `text`: a mantissa followed by e/E and an exponent, or a
/// run of more than 6 significant digits (leading zeros not counted).
fn offenders(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        // A number starts at a digit not preceded by a letter (not "x2", "w0", "c_1").
        let starts = chars[i].is_ascii_digit()
            && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_'));
        if !starts {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len()
            && (chars[j].is_ascii_digit()
                || (chars[j] == '.' && j + 1 < chars.len() && chars[j + 1].is_ascii_digit()))
        {
            j += 1;
        }
        let number: String = chars[i..j].iter().collect();
        let significant = number
            .chars()
            .filter(|c| c.is_ascii_digit())
            .skip_while(|c| *c == '0')
            .count();
        let mut k = j;
        let exponent = k < chars.len() && (chars[k] == 'e' || chars[k] == 'E') && {
            k += 1;
            if k < chars.len() && (chars[k] == '-' || chars[k] == '+') {
                k += 1;
            }
            k < chars.len() && chars[k].is_ascii_digit()
        };
        if exponent {
            while k < chars.len() && chars[k].is_ascii_digit() {
                k += 1;
            }
            out.push(chars[i..k].iter().collect());
        } else if significant > 6 {
            out.push(number);
        }
        i = j.max(i + 1);
    }
    out
}

/// The text a chart shows (the contents of the SVG's text elements).
fn svg_texts(doc: &str) -> Vec<String> {
    doc.split("<text")
        .skip(1)
        .filter_map(|t| t.split_once('>').and_then(|(_, r)| r.split_once("</text>")))
        .map(|(t, _)| t.to_string())
        .collect()
}

fn texts(l: &Lab) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = support::assert_texts_finite(l)
        .into_iter()
        .map(|t| ("text".to_string(), t))
        .collect();
    for c in l.charts() {
        let mut doc = String::new();
        let drawn = {
            let root = SVGBackend::with_string(&mut doc, (640, 480)).into_drawing_area();
            l.draw(c.id, &root, None)
                .and_then(|_| root.present().map_err(|e| e.to_string()))
        };
        if let Err(e) = drawn {
            // A chart that cannot be drawn is reported with the offenders.
            out.push((c.id.to_string(), format!("DRAWING FAILED 1e0: {e}")));
        }
        out.extend(svg_texts(&doc).into_iter().map(|t| (c.id.to_string(), t)));
    }
    out
}

#[test]
fn the_detector_finds_computer_notation_and_long_digit_runs() {
    assert_eq!(
        offenders("gap 1.408e1 and 1e-4, 2.5E+3"),
        ["1.408e1", "1e-4", "2.5E+3"]
    );
    assert_eq!(
        offenders("0.30000000000000004 or 1234567"),
        ["0.30000000000000004", "1234567"]
    );
    assert!(offenders("0.0141, 14.08, 2.5 × 10⁻³, 0.000123456, w0, step 20000, e-mail").is_empty());
}

#[test]
fn every_ready_lab_prints_numbers_as_a_textbook_at_defaults_and_knob_extremes() {
    let mut bad = Vec::new();
    let mut cases = 0;
    for id in lab::registry::ready_ids() {
        let mut queries: Vec<Vec<(String, String)>> = vec![vec![]];
        for k in lab::knobs(id).unwrap() {
            let ends = match k.kind {
                KnobKind::Number { min, max, .. } => vec![min.to_string(), max.to_string()],
                KnobKind::Integer { min, max } => vec![min.to_string(), max.min(2000).to_string()],
                _ => continue,
            };
            for v in ends {
                queries.push(vec![(k.key.to_string(), v)]);
            }
        }
        for q in queries {
            let mut pairs = vec![("lab".to_string(), id.to_string())];
            pairs.extend(q.iter().cloned());
            let got = lab::from_query(&pairs).unwrap();
            let Ok(mut l) = Lab::new(&got.scenario) else {
                continue;
            };
            // Labs that compute runs in the background (ensembles): all of them first.
            let mut calls = 0;
            while l.work(1_000_000) < 1.0 && calls < 10_000 {
                calls += 1;
            }
            for _ in 0..2 {
                for (where_, t) in texts(&l) {
                    for o in offenders(&t) {
                        bad.push(format!(
                            "{id} {q:?} t={} {where_}: {o} in «{t}»",
                            l.status().t
                        ));
                    }
                }
                cases += 1;
                l.advance(400);
            }
        }
    }
    assert!(cases > 40, "{cases} states looked at");
    bad.sort();
    bad.dedup();
    assert!(
        bad.is_empty(),
        "{} numbers not as a textbook prints them:\n{}",
        bad.len(),
        bad.join("\n")
    );
}
