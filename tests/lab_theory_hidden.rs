//! A lesson's `hide=theory` (`chart::with_theory`, `sgd-lab lab --no-theory`): on every
//! chart of every lab at its defaults, played to the end, exactly the theory overlays'
//! labels go (bounds, exact floors, predicted rates and the lecture's predictions),
//! every other text stays, no text appears, a chart without theory is the same SVG byte
//! for byte, and the flag does not outlive its call.
#![cfg(not(target_arch = "wasm32"))]

use sgd_lab::lab::export::{chart_svg, played, FigureStyle};
use sgd_lab::lab::{self};

/// The texts of an SVG's `<text>` elements (plotters writes one per element).
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let a = t.find('>')?;
            let b = t.find("</text>")?;
            Some(t[a + 1..b].trim().replace("&apos;", "'"))
        })
        .collect()
}

/// (lab, chart) → the labels of its theory overlays.
const THEORY: &[(&str, &str, &[&str])] = &[
    ("epochs", "fraction", &["1 − (1 − 1/n)ᵇᵗ"]),
    ("epochs", "gap", &["with replacement: exact floor"]),
    ("epochs", "floors", &["with replacement, exact"]),
    ("per-sample", "gap", &["SGD's long-run mean (theory)"]),
    (
        "step-size",
        "gap",
        &["η₂ settles (theory)", "η₁ settles (theory)"],
    ),
    (
        "expected-loss",
        "gap",
        &[
            "floor η L_s M/(2m)",
            "bound = floor + geometric",
            "geometric (1 − ηm)^t (L(w₀) − L*)",
            "exact E[L(w_t)] − L*",
        ],
    ),
    (
        "noise-assumptions",
        "ratio",
        &["Jensen: ≥ 1", "M_G = 8.669"],
    ),
    ("noise-assumptions", "sigma0", &["σ0 = 0.9719"]),
    ("descent-lemma", "changes", &["the lemma's bound"]),
    ("descent-lemma", "expected", &["lemma's bound"]),
    ("decay", "gap", &["slope 1/t"]),
    ("mini-batch", "floors", &["lecture: ∝ 1/b", "exact floor"]),
    ("gd-vs-sgd", "crossings", &["lecture: ε = 1/n"]),
    ("averaging", "gap", &["last iterate's floor (exact)"]),
    ("momentum", "deterministic", &["e^(−t/κ)", "e^(−t/√κ)"]),
    ("momentum", "stochastic", &["SGD's floor (exact)"]),
    ("variance-reduction", "gap", &["SGD's floor (exact)"]),
];

#[test]
fn hiding_the_theory_takes_exactly_its_overlays_away() {
    let hidden_style = FigureStyle {
        print: false,
        theory: false,
    };
    let mut seen = 0;
    for entry in lab::registry::LABS {
        let l = played(&lab::default_scenario(entry.id).unwrap(), None).unwrap();
        for c in l.charts() {
            let shown = chart_svg(&l, c.id, FigureStyle::default()).unwrap();
            let hidden = chart_svg(&l, c.id, hidden_style).unwrap();
            let again = chart_svg(&l, c.id, FigureStyle::default()).unwrap();
            assert!(
                shown == again,
                "{} {}: the flag outlived its call",
                entry.id,
                c.id
            );
            let (a, b) = (texts(&shown), texts(&hidden));
            let gone: Vec<&str> = a
                .iter()
                .filter(|t| !b.contains(t))
                .map(String::as_str)
                .collect();
            let new: Vec<&String> = b.iter().filter(|t| !a.contains(t)).collect();
            assert!(new.is_empty(), "{} {}: new texts {new:?}", entry.id, c.id);
            match THEORY
                .iter()
                .find(|(l, ch, _)| *l == entry.id && *ch == c.id)
            {
                Some((_, _, want)) => {
                    seen += 1;
                    assert_eq!(&gone, want, "{} {}", entry.id, c.id);
                    assert!(hidden.len() < shown.len(), "{} {}", entry.id, c.id);
                }
                None => assert!(
                    shown == hidden,
                    "{} {}: no theory, yet the SVG changed (gone: {gone:?})",
                    entry.id,
                    c.id
                ),
            }
        }
    }
    assert_eq!(seen, THEORY.len());
}

/// The marks that are not lines: gd-vs-sgd's rings on ε = 1/n and mini-batch's exact
/// floors as rings go too (fewer circles), the measured dots stay.
#[test]
fn rings_of_the_predictions_go_too() {
    let hidden_style = FigureStyle {
        print: false,
        theory: false,
    };
    for (id, chart) in [("gd-vs-sgd", "crossings"), ("mini-batch", "floors")] {
        let l = played(&lab::default_scenario(id).unwrap(), None).unwrap();
        let shown = chart_svg(&l, chart, FigureStyle::default()).unwrap();
        let hidden = chart_svg(&l, chart, hidden_style).unwrap();
        let rings = |svg: &str| svg.matches("<circle").count();
        let filled = |svg: &str| {
            svg.split("<circle")
                .skip(1)
                .filter(|c| !c.split("/>").next().unwrap_or("").contains("fill=\"none\""))
                .count()
        };
        assert!(
            rings(&hidden) + 4 <= rings(&shown),
            "{id}: {} → {}",
            rings(&shown),
            rings(&hidden)
        );
        // The measured crossings / floors (at least three of the four at the defaults).
        assert!(
            filled(&hidden) >= 3,
            "{id}: the measured dots stay: {}",
            filled(&hidden)
        );
    }
}
