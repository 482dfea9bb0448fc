//! Checks shared by the lab tests.
#![allow(dead_code)]

use plotters::prelude::*;
use sgd_lab::chart::ChartFrame;
use sgd_lab::lab::{non_finite_shown, Lab};

/// Every text the lab shows — caption, facts, text description, status — without a
/// non-finite number: guarded on the values (the lab's number formatter counts the
/// non-finite ones it is given) and on every spelling one could take on screen
/// ("NaN", "inf", "undefined", "null"). Returns the texts.
pub fn assert_texts_finite(l: &Lab) -> Vec<String> {
    let before = non_finite_shown();
    let cap = l.caption();
    let mut texts = vec![cap.text.clone(), l.describe()];
    texts.extend(cap.facts.iter().map(|(k, v)| format!("{k}: {v}")));
    texts.extend(l.status().diverged);
    assert_eq!(
        non_finite_shown(),
        before,
        "{}: a non-finite number was formatted for the screen:\n{}",
        l.id(),
        texts.join("\n")
    );
    for t in &texts {
        for word in ["NaN", "undefined", "null"] {
            assert!(!t.contains(word), "{}: {word} in {t}", l.id());
        }
        assert!(
            !t.split(|c: char| !c.is_alphanumeric())
                .any(|w| w == "inf" || w == "Infinity"),
            "{}: inf in {t}",
            l.id()
        );
    }
    texts
}

/// Draws a chart to SVG; returns the document and the frame.
pub fn svg(l: &Lab, chart: &str, size: (u32, u32)) -> (String, ChartFrame) {
    let mut s = String::new();
    let f;
    {
        let root = SVGBackend::with_string(&mut s, size).into_drawing_area();
        f = l.draw(chart, &root, None).unwrap();
        root.present().unwrap();
    }
    (s, f)
}
