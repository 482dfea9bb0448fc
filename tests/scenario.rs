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
        got.starts_with("method.lr is not valid: invalid type: string \"fast\", expected a number"),
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

/// The reader (written out in src/scenario/read.rs) and the writer (derived) must agree
/// on every field: each variant written with non-default values reads back equal.
#[test]
fn every_variant_reads_back_what_was_written() {
    use sgd_lab::averaging::Averaging;
    use sgd_lab::method::MethodSpec;
    use sgd_lab::sampler::Sampling;
    use sgd_lab::scenario::LabView;
    use sgd_lab::scenario::{ProblemSpec, VariantSpec};
    use sgd_lab::schedule::Schedule;
    let problems = [
        ProblemSpec::LeastSquares {
            x: vec![vec![1.5, -2.0], vec![0.25, 3.0]],
            y: vec![1.0, -0.5],
        },
        ProblemSpec::Quadratic {
            h: vec![vec![2.0, 0.5], vec![0.5, 1.0]],
            centers: vec![vec![1.0, 2.0]],
        },
        ProblemSpec::Logistic {
            x: vec![vec![1.0], vec![-1.0]],
            y: vec![1.0, -1.0],
            l2: 0.125,
        },
        ProblemSpec::RandomLeastSquares {
            n: 7,
            d: 3,
            noise: 0.3,
            kappa: 4.5,
            w_true: Some(vec![1.0, 2.0, 3.0]),
            seed: 11,
            sorted: true,
        },
        ProblemSpec::RandomQuadratic {
            n: 9,
            d: 2,
            kappa: 7.0,
            spread: 0.2,
            angle: 12.5,
            center: Some(vec![0.5, -0.5]),
            seed: 3,
        },
        ProblemSpec::RandomLogistic {
            n: 30,
            d: 2,
            separation: 1.5,
            l2: 0.2,
            seed: 4,
        },
    ];
    let schedules = [
        Schedule::Constant,
        Schedule::InverseTime { t0: 3.0 },
        Schedule::InverseSqrt { t0: 4.0 },
        Schedule::Exponential { gamma: 0.9 },
        Schedule::Step {
            every: 7,
            gamma: 0.25,
        },
        Schedule::Cosine { steps: Some(50) },
        Schedule::Cosine { steps: None },
    ];
    let averagings = [
        Averaging::None,
        Averaging::Polyak { start: 5 },
        Averaging::Ema { decay: 0.75 },
    ];
    let kinds = [
        MethodKind::Gd,
        MethodKind::Sgd,
        MethodKind::Svrg,
        MethodKind::Sag,
        MethodKind::Saga,
    ];
    let samplings = [
        Sampling::WithReplacement,
        Sampling::WithoutReplacement,
        Sampling::ShuffleOnce,
        Sampling::Cyclic,
    ];
    let mut checked = 0;
    for (i, problem) in problems.iter().enumerate() {
        for (j, schedule) in schedules.iter().enumerate() {
            let s = Scenario {
                problem: problem.clone(),
                method: MethodSpec {
                    kind: kinds[(i + j) % kinds.len()],
                    lr: 0.03,
                    batch: 2,
                    sampling: samplings[j % samplings.len()],
                    momentum: 0.5,
                    dampening: 0.25,
                    nesterov: j % 2 == 0,
                    inner: (j % 2 == 1).then_some(6),
                    sample_weights: None,
                    importance_weighting: false,
                },
                schedule: schedule.clone(),
                averaging: averagings[(i + j) % averagings.len()].clone(),
                w0: (j % 2 == 0).then(|| vec![0.5]),
                steps: 77,
                runs: 3,
                seed: 9_007_199_254_740_991,
                compare: (j % 2 == 1).then(|| {
                    vec![
                        VariantSpec {
                            label: format!("variant {j}, \"quoted\""),
                            method: Some(MethodSpec {
                                kind: kinds[j % kinds.len()],
                                lr: 0.25,
                                batch: 1,
                                sampling: samplings[(j + 1) % samplings.len()],
                                momentum: 0.0,
                                dampening: 0.5,
                                nesterov: false,
                                inner: Some(3),
                                sample_weights: Some(vec![1.0, 2.5, 0.0]),
                                importance_weighting: j % 4 == 1,
                            }),
                            schedule: (j % 3 != 0).then(|| schedule.clone()),
                            averaging: Some(averagings[j % averagings.len()].clone()),
                            steps: None,
                        },
                        VariantSpec {
                            label: "base".into(),
                            method: None,
                            schedule: None,
                            averaging: None,
                            steps: None,
                        },
                    ]
                }),
                lab: (j % 3 == 0).then(|| LabView {
                    id: "step-size".into(),
                    lr2: Some(0.7),
                    shown: (j == 0).then_some(4),
                    x_axis: (j == 3).then(|| "grad_evals".to_string()),
                    target: (j == 6).then_some(2.5e-4),
                }),
            };
            let back = Scenario::from_json(&s.to_json())
                .unwrap_or_else(|e| panic!("{e}\n{}", s.to_json()));
            assert_eq!(back, s);
            checked += 1;
        }
    }
    assert_eq!(checked, 42);
    for p in sgd_lab::presets::PRESETS {
        let s = p.scenario();
        assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s, "{}", p.name);
    }
}

#[test]
fn every_default_is_the_documented_one() {
    use sgd_lab::averaging::Averaging;
    use sgd_lab::scenario::ProblemSpec;
    use sgd_lab::schedule::Schedule;
    let read = |json: &str| Scenario::from_json(json).unwrap_or_else(|e| panic!("{e}"));
    let problem = |kind: &str| read(&format!(r#"{{"problem": {{"kind": "{kind}"}}}}"#)).problem;
    assert_eq!(
        problem("random_least_squares"),
        ProblemSpec::RandomLeastSquares {
            n: 20,
            d: 1,
            noise: 1.0,
            kappa: 1.0,
            w_true: None,
            seed: 0,
            sorted: false
        }
    );
    assert_eq!(
        problem("random_quadratic"),
        ProblemSpec::RandomQuadratic {
            n: 20,
            d: 2,
            kappa: 10.0,
            spread: 1.0,
            angle: 30.0,
            center: None,
            seed: 0
        }
    );
    assert_eq!(
        problem("random_logistic"),
        ProblemSpec::RandomLogistic {
            n: 20,
            d: 2,
            separation: 1.0,
            l2: 0.01,
            seed: 0
        }
    );
    let logistic = read(r#"{"problem": {"kind": "logistic", "x": [[1.0]], "y": [1.0]}}"#);
    assert!(matches!(logistic.problem, ProblemSpec::Logistic { l2, .. } if l2 == 0.0));
    let with = |part: &str| {
        read(&format!(
            r#"{{"problem": {{"kind": "random_quadratic"}}, {part}}}"#
        ))
    };
    let schedule = |kind: &str| with(&format!(r#""schedule": {{"kind": "{kind}"}}"#)).schedule;
    assert_eq!(schedule("inverse_time"), Schedule::InverseTime { t0: 10.0 });
    assert_eq!(schedule("inverse_sqrt"), Schedule::InverseSqrt { t0: 10.0 });
    assert_eq!(
        schedule("exponential"),
        Schedule::Exponential { gamma: 0.95 }
    );
    assert_eq!(
        schedule("step"),
        Schedule::Step {
            every: 100,
            gamma: 0.5
        }
    );
    assert_eq!(schedule("cosine"), Schedule::Cosine { steps: None });
    let averaging = |kind: &str| with(&format!(r#""averaging": {{"kind": "{kind}"}}"#)).averaging;
    assert_eq!(averaging("polyak"), Averaging::Polyak { start: 0 });
    assert_eq!(averaging("ema"), Averaging::Ema { decay: 0.9 });
    // Null is "left out" for the optional fields.
    let s = with(r#""w0": null, "lab": null, "method": {"inner": null}"#);
    assert_eq!((s.w0, s.lab, s.method.inner), (None, None, None));
}

#[test]
fn reading_errors_name_the_path_the_value_and_what_is_allowed() {
    let lsq = r#""problem": {"kind": "least_squares", "x": [[1.0]], "y": [1.0]}"#;
    let cases: &[(String, &str)] = &[
        (
            format!(r#"{{{lsq}, "steps": -3}}"#),
            "steps is not valid: invalid value: integer `-3`, expected a whole number ≥ 0",
        ),
        (
            format!(r#"{{{lsq}, "runs": 2.5}}"#),
            "runs is not valid: invalid type: floating point `2.5`, expected a whole number ≥ 0",
        ),
        (
            format!(r#"{{{lsq}, "seed": "7"}}"#),
            "seed is not valid: invalid type: string \"7\", expected a whole number ≥ 0",
        ),
        (
            r#"{"problem": {"kind": "least_squares", "x": [[1.0, "a"]], "y": [1.0]}}"#.into(),
            "problem.x[0][1] is not valid: invalid type: string \"a\", expected a number",
        ),
        (
            r#"{"problem": {"kind": "least_squares", "x": [1.0], "y": [1.0]}}"#.into(),
            "problem.x[0] is not valid: invalid type: floating point `1.0`, expected a sequence of numbers",
        ),
        (
            r#"{"problem": {"kind": "least_squares", "y": [1.0]}}"#.into(),
            "problem is not valid: missing field `x`",
        ),
        (
            r#"{"problem": {"x": [[1.0]], "y": [1.0]}}"#.into(),
            "problem is not valid: missing field `kind`",
        ),
        (
            r#"{"problem": {"kind": "random_quadratic", "noise": 1}}"#.into(),
            "problem.noise is not valid: unknown field `noise`, expected one of `kind`, `n`, `d`, `kappa`, `spread`, `angle`, `center`, `seed`",
        ),
        (
            r#"{"problem": {"kind": 3}}"#.into(),
            "problem.kind is not valid: invalid type: integer `3`, expected a string, one of `least_squares`",
        ),
        (
            r#"{"problem": [1]}"#.into(),
            "problem is not valid: invalid type: sequence, expected an object with a `kind`",
        ),
        (
            format!(r#"{{{lsq}, "method": {{"nesterov": 1}}}}"#),
            "method.nesterov is not valid: invalid type: integer `1`, expected a boolean",
        ),
        (
            format!(r#"{{{lsq}, "method": {{"lr": null}}}}"#),
            "method.lr is not valid: invalid type: null, expected a number",
        ),
        (
            format!(r#"{{{lsq}, "method": {{"kind": "adam"}}}}"#),
            "method.kind is not valid: unknown variant `adam`, expected one of `gd`, `sgd`, `svrg`, `sag`, `saga`",
        ),
        (
            format!(r#"{{{lsq}, "method": "sgd"}}"#),
            "method is not valid: invalid type: string \"sgd\", expected a method object",
        ),
        (
            format!(r#"{{{lsq}, "schedule": {{"kind": "constant", "t0": 5}}}}"#),
            "schedule.t0 is not valid: unknown field `t0`, expected `kind`",
        ),
        (
            format!(r#"{{{lsq}, "schedule": {{"kind": "step", "t0": 5}}}}"#),
            "schedule.t0 is not valid: unknown field `t0`, expected one of `kind`, `every`, `gamma`",
        ),
        (
            format!(r#"{{{lsq}, "averaging": {{"kind": "swa"}}}}"#),
            "averaging.kind is not valid: unknown variant `swa`, expected one of `none`, `polyak`, `ema`",
        ),
        (
            format!(r#"{{{lsq}, "lab": {{"lr2": 1}}}}"#),
            "lab is not valid: missing field `id`",
        ),
        (
            format!(r#"{{{lsq}, "lab": {{"id": "step-size", "zoom": 2}}}}"#),
            "lab.zoom is not valid: unknown field `zoom`, expected one of `id`, `lr2`, `shown`",
        ),
        (
            "[1, 2]".into(),
            "scenario is not valid: invalid type: sequence, expected a scenario object",
        ),
        (
            format!(r#"{{{lsq}, "w0": [1e999]}}"#),
            "w0[0] is not valid: number `1e+999` is out of range (an f64 is below 1.8e308 in magnitude)",
        ),
        (
            format!(r#"{{{lsq}, "seed": -0, "steps": 1e1}}"#),
            "steps is not valid: invalid type: floating point `10.0`, expected a whole number ≥ 0",
        ),
    ];
    for (json, want) in cases {
        let got = rejection(json);
        assert!(
            got.starts_with(want),
            "for {json}:\n got  {got}\n want {want}…"
        );
    }
}

/// A number in a scenario file reads as the standard library parses it (correctly
/// rounded), the same bits as the URL's knobs give, even in the cases that fast
/// parsers round wrongly.
#[test]
fn numbers_read_correctly_rounded() {
    for text in [
        "0.1",
        "0.30000000000000004",
        "9007199254740993",
        "2.2250738585072011e-308",
        "4.9406564584124654e-324",
        "1.7976931348623157e308",
        "0.1000000000000000055511151231257827021181583404541015625",
        "7.038531e-26",
        "3.0000000000000004440892098500626161694526672363281249",
        "3.00000000000000044408920985006261616945266723632812500001",
    ] {
        let json = format!(
            r#"{{"problem": {{"kind": "random_least_squares"}}, "method": {{"lr": {text}}}}}"#
        );
        let got = Scenario::from_json(&json).unwrap().method.lr;
        let want: f64 = text.parse().unwrap();
        assert_eq!(got.to_bits(), want.to_bits(), "{text}");
    }
}

#[test]
fn the_first_field_in_the_format_s_order_is_named_first() {
    let got = rejection(r#"{"problem": {"kind": "nope"}, "method": {"lr": "x"}, "steps": -1}"#);
    assert!(got.starts_with("problem.kind is not valid"), "{got}");
    let got = rejection(
        r#"{"problem": {"kind": "random_quadratic"}, "method": {"lr": "x"}, "steps": -1}"#,
    );
    assert!(got.starts_with("method.lr is not valid"), "{got}");
}

/// The scenario module stands alone: nothing in src/scenario/ uses the labs (the labs
/// read the scenario, never the other way round).
#[test]
fn the_scenario_module_does_not_use_the_labs() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/scenario");
    let mut files = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        files += 1;
        for (k, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap();
            assert!(
                !code.contains("crate::lab") && !code.contains("super::lab"),
                "{}:{}: {line}",
                path.display(),
                k + 1
            );
        }
    }
    assert!(files >= 5, "{files} files read");
}
