//! `"seed": "random"`: read as a marker, written back as "random", refused by `build`
//! until drawn, and drawn within 0 ..= 2^53 − 1.

mod common;
use common::{rejection, setup};
use sgd_lab::scenario::{draw_seed, limits::MAX_SEED, ProblemSpec, RANDOM_SEED};
use sgd_lab::Scenario;

const DOC: &str = r#"{"problem": {"kind": "random_logistic", "n": 30, "seed": "random"},
  "method": {"lr": 0.5}, "steps": 40, "runs": 2, "seed": "random"}"#;

fn problem_seed(s: &Scenario) -> u64 {
    match s.problem {
        ProblemSpec::RandomLogistic { seed, .. } => seed,
        _ => unreachable!(),
    }
}

#[test]
fn random_is_read_as_a_marker_and_written_back() {
    let s = Scenario::from_json(DOC).unwrap();
    assert_eq!((s.seed, problem_seed(&s)), (RANDOM_SEED, RANDOM_SEED));
    assert_eq!(s.random_seeds(), ["seed", "problem.seed"]);
    let written: serde_json::Value = serde_json::from_str(&s.to_json()).unwrap();
    assert_eq!(
        (&written["seed"], &written["problem"]["seed"]),
        (&"random".into(), &"random".into())
    );
    assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s);
    // Unresolved, it does not build; the message names the field.
    let msg = "is \"random\" and must be drawn before the scenario is built (sgd-lab does this itself; in code, Scenario::resolve_seeds)";
    assert_eq!(rejection(DOC), format!("problem.seed {msg}"));
    assert_eq!(
        rejection(r#"{"problem": {"kind": "random_quadratic", "seed": 4}, "seed": "random"}"#),
        format!("seed {msg}")
    );
    // Nothing else is "random", and no number reads as the marker.
    assert_eq!(
        rejection(r#"{"problem": {"kind": "random_quadratic"}, "seed": "Random"}"#),
        r#"seed is not valid: invalid type: string "Random", expected a whole number ≥ 0 or "random""#
    );
    assert_eq!(
        rejection(r#"{"problem": {"kind": "random_quadratic"}, "steps": "random"}"#),
        r#"steps is not valid: invalid type: string "random", expected a whole number ≥ 0"#
    );
    assert_eq!(
        rejection(r#"{"problem": {"kind": "random_quadratic", "seed": 18446744073709551615}}"#),
        "problem.seed must be an integer from 0 to 9007199254740991 (2^53 − 1), got 18446744073709551615"
    );
    let plain = Scenario::from_json(r#"{"problem": {"kind": "random_quadratic"}}"#).unwrap();
    assert!(plain.random_seeds().is_empty());
}

#[test]
fn resolving_draws_each_random_seed_once_and_nothing_else() {
    let mut s = Scenario::from_json(DOC).unwrap();
    let mut next = 41;
    let drawn = s.resolve_seeds(|| {
        next += 1;
        next
    });
    assert_eq!(drawn, [("seed", 42), ("problem.seed", 43)]);
    assert_eq!((s.seed, problem_seed(&s)), (42, 43));
    // The resolved scenario is the one written with those numbers (the document names
    // problem.seed first).
    let by_hand = DOC
        .replacen(r#""random""#, "43", 1)
        .replacen(r#""random""#, "42", 1);
    assert_eq!(s, Scenario::from_json(&by_hand).unwrap());
    setup(&s.to_json());
    // Resolving again draws nothing.
    assert!(s.resolve_seeds(|| unreachable!()).is_empty());
}

#[test]
fn drawn_seeds_are_in_range_and_differ() {
    let draws: Vec<u64> = (0..64).map(|_| draw_seed()).collect();
    assert!(draws.iter().all(|&d| d <= MAX_SEED), "{draws:?}");
    let mut u = draws.clone();
    u.sort_unstable();
    u.dedup();
    // 64 uniform 53-bit numbers collide with probability below 1e-12.
    assert_eq!(u.len(), 64);
    // The top bits get used: some draw is above 2^52 (fails with probability 2^-64).
    assert!(draws.iter().any(|&d| d >= 1 << 52));
}
