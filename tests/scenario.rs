//! The scenario format: defaults, round trips, and messages for bad input.

mod common;
use common::{rejection, setup};
use sgd_lab::method::MethodKind;
use sgd_lab::Scenario;

const DOC: &str = r#"{
  "problem":   {"kind": "least_squares", "x": [[1.0], [2.0], [0.5]], "y": [1.0, 3.0, 2.0]},
  "method":    {"kind": "sgd", "lr": 0.1, "batch": 1, "sampling": "with_replacement",
                "momentum": 0.0, "dampening": 0.0, "nesterov": false},
  "schedule":  {"kind": "constant"},
  "averaging": {"kind": "none"},
  "w0": [0.0],
  "steps": 100,
  "runs": 1,
  "seed": 0
}"#;

#[test]
fn the_contract_example_parses_and_round_trips() {
    let s = Scenario::from_json(DOC).unwrap();
    assert_eq!(s.method.kind, MethodKind::Sgd);
    assert_eq!(s.steps, 100);
    let again = Scenario::from_json(&s.to_json()).unwrap();
    assert_eq!(s, again);
    s.build().unwrap();
}

#[test]
fn fields_left_out_take_the_documented_defaults() {
    let s =
        setup(r#"{"problem": {"kind": "least_squares", "x": [[1.0], [2.0]], "y": [1.0, 3.0]}}"#);
    let m = &s.scenario.method;
    assert_eq!(
        (m.kind, m.lr, m.batch, m.momentum, m.dampening, m.nesterov),
        (MethodKind::Sgd, 0.1, 1, 0.0, 0.0, false)
    );
    assert_eq!(
        (s.scenario.steps, s.scenario.runs, s.scenario.seed),
        (100, 1, 0)
    );
    assert_eq!(s.w0, vec![0.0]);
    // Generators fill in their own defaults too.
    let g = setup(r#"{"problem": {"kind": "random_quadratic"}}"#);
    assert_eq!((g.problem.n(), g.problem.d()), (20, 2));
}

#[test]
fn messages_name_the_field_the_value_and_what_is_allowed() {
    let ls =
        r#""problem": {"kind": "least_squares", "x": [[1.0], [2.0], [0.5]], "y": [1.0, 3.0, 2.0]}"#;
    let cases: &[(&str, &str)] = &[
        (r#""method": {"lr": -1}"#, "method.lr must be a finite number > 0, got -1"),
        (r#""method": {"lr": 0}"#, "method.lr must be a finite number > 0, got 0"),
        (r#""method": {"batch": 4}"#, "method.batch must be between 1 and n = 3, got 4"),
        (r#""method": {"momentum": 1.5}"#, "method.momentum must be in [0, 1), got 1.5"),
        (r#""method": {"nesterov": true}"#, "method.nesterov needs momentum > 0 and dampening = 0 (as in PyTorch), got momentum 0 and dampening 0"),
        (r#""w0": [1, 2]"#, "w0 must have 1 entries (the problem's dimension), got 2"),
        (r#""w0": [1e7]"#, "w0[0] must be a finite number with |value| ≤ 1e6, got 10000000"),
        (r#""steps": 2000000"#, "steps must be at most 1000000, got 2000000"),
        (r#""runs": 0"#, "runs must be between 1 and 100000, got 0"),
        (r#""runs": 100000, "steps": 1001"#, "runs × steps must be at most 100000000, got 100000 × 1001 = 100100000"),
        (r#""seed": 9007199254740992"#, "seed must be an integer from 0 to 9007199254740991 (2^53 − 1), got 9007199254740992"),
        (r#""schedule": {"kind": "step", "every": 0}"#, "schedule.every must be an integer ≥ 1, got 0"),
        (r#""schedule": {"kind": "inverse_time", "t0": -2}"#, "schedule.t0 must be a finite number > 0, got -2"),
        (r#""averaging": {"kind": "ema", "decay": 1}"#, "averaging.decay must be in [0, 1), got 1"),
    ];
    for (extra, want) in cases {
        let got = rejection(&format!("{{{ls}, {extra}}}"));
        assert_eq!(&got, want, "for {extra}");
    }
}

#[test]
fn problem_data_errors_point_at_the_entry() {
    let cases: &[(&str, &str)] = &[
        (
            r#"{"kind": "least_squares", "x": [[1.0], [2.0, 1.0]], "y": [1, 2]}"#,
            "problem.x[1] must have 1 entries like the first row, got 2",
        ),
        (
            r#"{"kind": "least_squares", "x": [[1.0], [2.0]], "y": [1]}"#,
            "problem.y must have 2 entries (one target per row of problem.x), got 1",
        ),
        (
            r#"{"kind": "least_squares", "x": [], "y": []}"#,
            "problem.x must have between 1 and 100000 rows, got 0",
        ),
        (
            r#"{"kind": "least_squares", "x": [[0.0]], "y": [1]}"#,
            "problem.x must have rows that span all 1 directions",
        ),
        (
            r#"{"kind": "least_squares", "x": [[1.0], [-2e9]], "y": [1, 2]}"#,
            "problem.x[1][0] must be a finite number with |value| ≤ 1e6, got -2000000000",
        ),
        (
            r#"{"kind": "logistic", "x": [[1.0], [2.0]], "y": [1, 0]}"#,
            "problem.y[1] must be -1 or 1, got 0",
        ),
        (
            r#"{"kind": "quadratic", "h": [[1, 2], [0, 1]], "centers": [[0, 0]]}"#,
            "problem.h[1][0] must equal problem.h[0][1] (H must be symmetric), got 0 and 2",
        ),
        (
            r#"{"kind": "quadratic", "h": [[1, 0], [0, -1]], "centers": [[0, 0]]}"#,
            "problem.h must be positive definite",
        ),
        (
            r#"{"kind": "random_least_squares", "n": 200000}"#,
            "problem.n must be between 1 and 100000, got 200000",
        ),
        (
            r#"{"kind": "random_least_squares", "d": 65}"#,
            "problem.d must be between 1 and 64, got 65",
        ),
        (
            r#"{"kind": "random_least_squares", "n": 2, "d": 3}"#,
            "problem.n must be at least d = 3",
        ),
        (
            r#"{"kind": "random_quadratic", "kappa": 0.5}"#,
            "problem.kappa must be a number from 1 to 1000000, got 0.5",
        ),
    ];
    for (problem, want) in cases {
        let got = rejection(&format!(r#"{{"problem": {problem}}}"#));
        assert!(
            got.starts_with(want),
            "for {problem}:\n got  {got}\n want {want}…"
        );
    }
}

#[test]
fn type_and_syntax_errors_carry_the_path() {
    let got = rejection(
        r#"{"problem": {"kind": "least_squares", "x": [[1.0]], "y": [1.0]}, "method": {"lr": "fast"}}"#,
    );
    assert!(
        got.starts_with("method.lr is not valid: invalid type: string \"fast\", expected f64"),
        "{got}"
    );
    let got = rejection(
        r#"{"problem": {"kind": "least_squares", "x": [[1.0]], "y": [1.0]}, "method": {"lerning_rate": 0.1}}"#,
    );
    assert!(
        got.contains("method")
            && got.contains("unknown field `lerning_rate`")
            && got.contains("`lr`"),
        "{got}"
    );
    let got = rejection(r#"{"problem": {"kind": "least_sqares"}}"#);
    assert!(
        got.starts_with("problem.kind is not valid: unknown variant `least_sqares`")
            && got.contains("least_squares"),
        "{got}"
    );
    let got = rejection(r#"{"problem": {"kind": "least_squares", "x": [[1.0]], "y": [1e400]}}"#);
    assert!(
        got.contains("problem.y") || got.contains("number out of range"),
        "{got}"
    );
    let got = rejection(r#"{"method": {"lr": 0.1}}"#);
    assert!(got.contains("missing field `problem`"), "{got}");
    let got = rejection(r#"{"problem": {"kind": "random_least_squares"}} trailing"#);
    assert!(
        got.starts_with("scenario is not valid JSON: trailing characters at line 1 column 47"),
        "{got}"
    );
    let got = rejection("{not json");
    assert!(
        got.starts_with("scenario is not valid JSON: key must be a string at line 1 column 2"),
        "{got}"
    );
    let got = rejection(
        r#"{"problem": {"kind": "least_squares", "x": [[1.0]], "y": [1.0]}, "sampling": "shuffle"}"#,
    );
    assert!(got.contains("unknown field `sampling`"), "{got}");
    let got = rejection(
        r#"{"problem": {"kind": "least_squares", "x": [[1.0]], "y": [1.0]}, "method": {"sampling": "shuffle"}}"#,
    );
    assert!(
        got.starts_with("method.sampling is not valid: unknown variant `shuffle`")
            && got.contains("without_replacement"),
        "{got}"
    );
}
