//! Checks shared by the lab tests.
#![allow(dead_code)]

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
