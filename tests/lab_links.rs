//! Links and imported files with bad or clashing values (issue #12): every message
//! word for word, repeated keys, order independence, and values the lab cannot show.
#![cfg(not(target_arch = "wasm32"))]

use sgd_lab::lab::link::{from_pairs, Source};
use sgd_lab::lab::{self, registry};

/// `a=1&b=2` as pairs (values as written, no decoding needed here).
fn pairs(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k.to_string(), v.to_string())
        })
        .collect()
}

fn warnings(q: &str) -> Vec<String> {
    lab::from_query(&pairs(q)).unwrap().warnings
}

/// The value of `key` in the URL the lab would write for the scenario read from `q`.
fn value(q: &str, key: &str) -> String {
    let got = lab::from_query(&pairs(q)).unwrap();
    lab::to_query(&got.scenario)
        .into_iter()
        .find(|(k, _)| k == key)
        .unwrap_or_else(|| panic!("no {key}"))
        .1
}

#[test]
fn a_bad_value_is_quoted_as_it_was_written() {
    assert_eq!(
        warnings("lab=per-sample&lr=NaN"),
        ["URL parameter lr must be a number from 0.001 to 3, got \"NaN\"; using 0.3"]
    );
    assert_eq!(
        warnings("lab=per-sample&lr=-inf"),
        ["URL parameter lr must be a number from 0.001 to 3, got \"-inf\"; using 0.3"]
    );
    assert_eq!(
        warnings("lab=per-sample&lr=abc"),
        ["URL parameter lr must be a number from 0.001 to 3, got \"abc\"; using 0.3"]
    );
    assert_eq!(
        warnings("lab=expected-loss&runs=1e9"),
        ["URL parameter runs must be a whole number from 1 to 10000, got \"1e9\"; using 1000"]
    );
}

#[test]
fn no_sentence_ends_in_using_nothing() {
    assert_eq!(
        warnings("lab=per-sample&points=1:1,2:NaN"),
        ["URL parameter points must be points x:y separated by commas, e.g. 1:2,0.5:1.3, with |value| ≤ 1e6; \"2:NaN\" is not one; the lab uses its default"]
    );
    // Every knob of every lab, given garbage: no sentence ends in "using" or "using ".
    for id in registry::ready_ids() {
        for k in lab::knobs(id).unwrap() {
            for bad in ["", "NaN", "x:y", "1e309", "-1"] {
                for w in warnings(&format!("lab={}&{}={bad}", id, k.key)) {
                    assert!(!w.trim_end().ends_with("using"), "{w}");
                    assert!(!w.contains("n/a") && !w.contains('∞'), "{w}");
                }
            }
        }
    }
}

#[test]
fn singular_and_plural_are_right() {
    assert_eq!(
        warnings("lab=per-sample&w0=1,2"),
        ["URL parameter w0 must be 1 number with |value| ≤ 1e6, got \"1,2\"; using -0.5"]
    );
    assert_eq!(
        warnings("lab=step-size&w0=1"),
        ["URL parameter w0 must be 2 comma-separated numbers with |value| ≤ 1e6, got \"1\"; using -3,3.5"]
    );
    assert_eq!(
        warnings("lab=step-size&w0=1,NaN"),
        ["URL parameter w0 must be numbers separated by commas, each with |value| ≤ 1e6, got \"1,NaN\"; using -3,3.5"]
    );
}

#[test]
fn a_repeated_key_uses_its_last_valid_value_and_says_so() {
    // The valid 0.3 is kept, wherever the bad value is.
    assert_eq!(
        warnings("lab=per-sample&lr=0.3&lr=xyz"),
        ["URL parameter lr must be a number from 0.001 to 3, got \"xyz\"; using the other value in the link, 0.3"]
    );
    assert_eq!(value("lab=per-sample&lr=0.3&lr=xyz", "lr"), "0.3");
    assert_eq!(value("lab=per-sample&lr=xyz&lr=0.7", "lr"), "0.7");
    // Two valid values: the last, named.
    assert_eq!(
        warnings("lab=per-sample&lr=0.3&lr=0.5"),
        ["URL parameter lr is given 2 times (\"0.3\", \"0.5\"); using the last, 0.5"]
    );
    assert_eq!(value("lab=per-sample&lr=0.3&lr=0.5", "lr"), "0.5");
    // Three values, one bad: both sentences.
    assert_eq!(
        warnings("lab=decay&lr=0.2&lr=9&lr=0.4"),
        [
            "URL parameter lr must be a number from 0.001 to 4, got \"9\"; using the other value in the link, 0.4",
            "URL parameter lr is given 2 times (\"0.2\", \"0.4\"); using the last, 0.4"
        ]
    );
    // An unknown key given twice is named once.
    assert_eq!(
        warnings("lab=decay&lr=1e309&foo=1&foo=2"),
        [
            "URL parameter lr must be a number from 0.001 to 4, got \"1e309\"; using 0.5",
            "URL parameter \"foo\" is not known to this lab and was ignored (it knows: lr, fast, slow_t0, t0, every, gamma, runs, steps, seed)"
        ]
    );
}

#[test]
fn the_order_of_the_keys_does_not_matter() {
    for q in ["lab=per-sample&spread=3&n=8", "lab=per-sample&n=8&spread=3"] {
        assert_eq!(warnings(q), Vec::<String>::new(), "{q}");
        assert_eq!(value(q, "n"), "8", "{q}");
        assert_eq!(value(q, "spread"), "3", "{q}");
        assert_eq!(value(q, "dataset"), "random", "{q}");
    }
    for q in [
        "lab=decay&every=7&t0=3&gamma=0.3",
        "lab=decay&gamma=0.3&t0=3&every=7",
    ] {
        assert_eq!(warnings(q), Vec::<String>::new(), "{q}");
        assert_eq!(value(q, "every"), "7", "{q}");
        assert_eq!(value(q, "gamma"), "0.3", "{q}");
        assert_eq!(value(q, "t0"), "3", "{q}");
    }
}

#[test]
fn a_value_the_lab_cannot_show_is_named_with_the_reason() {
    // Issue #12's decay links (every=1 became 400, t0=5 became 20, gamma=0.01 became
    // 0.5): each schedule has its own knobs now, so each value is used as written.
    assert_eq!(warnings("lab=decay&every=1"), Vec::<String>::new());
    assert_eq!(value("lab=decay&every=1", "every"), "1");
    assert_eq!(
        warnings("lab=decay&t0=5&schedule=constant"),
        ["URL parameter schedule is no longer needed: the decay lab shows the five schedules side by side, each with its own settings (fast, slow_t0, t0, every, gamma)"]
    );
    assert_eq!(value("lab=decay&t0=5&schedule=constant", "t0"), "5");
    assert_eq!(value("lab=decay&gamma=0.01", "gamma"), "0.01");
    // The sandbox's knobs of another problem.
    assert_eq!(
        warnings("lab=sandbox&problem=logistic&kappa=30"),
        ["URL parameter kappa \"30\" was not used: it applies only to problem=quadratic or least_squares, and the problem is logistic"]
    );
    assert_eq!(
        warnings("lab=per-sample&dataset=custom"),
        ["URL parameter dataset \"custom\" was not used: dataset=custom needs its points (points=x:y,x:y,…), so the lab shows the lecture data"]
    );
    assert_eq!(
        warnings("lab=per-sample&dataset=lecture&points=1:1,2:2"),
        ["URL parameter dataset \"lecture\" was not used: the link's other settings (points, n, spread or data_seed) give custom data, which the lab shows"]
    );
    assert_eq!(
        value("lab=per-sample&dataset=lecture&points=1:1,2:2", "points"),
        "1:1,2:2"
    );
    // The values the lab writes itself read back without a word.
    for id in registry::ready_ids() {
        let q = lab::to_query(&lab::default_scenario(id).unwrap());
        assert_eq!(lab::from_query(&q).unwrap().warnings, Vec::<String>::new());
    }
}

#[test]
fn a_file_value_is_the_files_not_a_url_parameter() {
    let file = |q: &str| from_pairs(&pairs(q), Source::File).unwrap().warnings;
    assert_eq!(
        file("lab=decay&every=200000"),
        ["the file's every must be a whole number from 1 to 100000, got \"200000\""]
    );
    assert_eq!(
        file("lab=expected-loss&runs=20000&steps=5"),
        [
            "the file's runs must be a whole number from 1 to 10000, got \"20000\"",
            "the file's steps must be a whole number from 10 to 2000, got \"5\""
        ]
    );
    assert_eq!(
        file("lab=sandbox&problem=points&n=30"),
        ["the file's n \"30\" was not used: it applies only to a generated problem (quadratic, least_squares or logistic), and the problem is points"]
    );
}

#[test]
fn a_knob_edited_in_the_page_never_silently_does_nothing() {
    use sgd_lab::lab::link::set_knob;
    let s = lab::from_query(&pairs("lab=sandbox&problem=logistic"))
        .unwrap()
        .scenario;
    assert_eq!(
        set_knob("sandbox", &s, "spread", "2").unwrap_err(),
        "spread \"2\" was not used: it applies only to problem=quadratic, and the problem is logistic"
    );
    let d = lab::default_scenario("decay").unwrap();
    assert_eq!(
        set_knob("decay", &d, "t0", "abc").unwrap_err(),
        lab::knobs("decay")
            .unwrap()
            .iter()
            .find(|k| k.key == "t0")
            .map(|k| format!("t0 {}", k.check("abc").unwrap_err()))
            .unwrap()
    );
    // A value the lab can show is applied, and the knob then shows it.
    let s3 = set_knob("decay", &d, "t0", "7.08").unwrap();
    assert_eq!(
        lab::to_query(&s3)
            .into_iter()
            .find(|(k, _)| k == "t0")
            .unwrap()
            .1,
        "7.08"
    );
    assert!(set_knob("decay", &s, "colour", "red")
        .unwrap_err()
        .starts_with("the decay lab has no knob \"colour\" (it has: "));
}
