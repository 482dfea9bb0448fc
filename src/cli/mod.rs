//! Command dispatch, argument parsing and input reading for `sgd-lab`.

mod bench;
mod kit;
mod lab;
mod questions;
mod render;
mod thumbs;

use sgd_lab::presets::{self, PRESETS};
use sgd_lab::report::{
    compare_result, compare_theory, full_output_fits, full_output_points, run_result,
    MAX_FULL_POINTS,
};
use sgd_lab::scenario::{draw_seed, Scenario, Setup};
use sgd_lab::theory::theory;
use std::io::{Read, Write};

pub const USAGE: &str = "\
sgd-lab — see stochastic gradient descent

USAGE
  sgd-lab run FILE [--summary]      simulate a scenario (FILE or - for stdin), print JSON
  sgd-lab theory FILE               print the theory numbers of a scenario as JSON
  sgd-lab render FILE --out F.svg [--width W] [--height H]
                                    draw the loss-gap chart (and the trajectory) as SVG
                                    (--out - writes to standard output)
  sgd-lab lab FILE [--step T] [--print] [--no-theory] --out DIR
                                    a lab scenario (as the browser exports it) as slide
                                    figures: DIR/<chart>.svg at step T (default: the end)
                                    and DIR/data.csv (the browser's CSV export;
                                    DIR/table.csv too for a lab with a table); --print:
                                    thicker lines, black text; --no-theory: without
                                    bounds, exact floors and predicted rates
  sgd-lab thumbs --out DIR          the landing page's pictures: DIR/<lab>.svg, each
                                    built lab's main chart at its defaults (no text)
  sgd-lab questions [--html]        every lab's predict-then-reveal questions (--html:
                                    the site's questions.html)
  sgd-lab kit                       the site's course kit page (kit.html): every lab
                                    with its claim, questions, embed snippet, figures
  sgd-lab presets                   list the built-in scenarios
  sgd-lab preset NAME               print one built-in scenario
  sgd-lab demo [NAME]               run a preset and print a readable summary
  sgd-lab bench [--quick] [--json]  measure simulation speed (sgd-lab bench --help)
  sgd-lab help                      this text

A scenario is one JSON document; see docs/SCENARIO.md. With \"compare\", run and
theory report every variant. A seed written \"random\" is drawn afresh; run and theory
then print the scenario as run (\"scenario\"), render names the drawn number on stderr.
Errors go to stderr as one line naming the field, and the exit status is 2.";

/// A scenario read and validated, and the seeds drawn for its `"random"` ones.
pub struct Loaded {
    pub setup: Setup,
    /// (path, number) of every seed that said `"random"`; empty when none did.
    pub drawn: Vec<(&'static str, u64)>,
}

/// Reads a scenario from a path or `-` (stdin) and validates it; seeds that say
/// `"random"` are drawn, and named on standard error so that the run can be repeated.
pub fn load(path: &str) -> Result<Setup, String> {
    let l = load_drawn(path)?;
    if !l.drawn.is_empty() {
        let what: Vec<String> = l.drawn.iter().map(|(p, n)| format!("{p} = {n}")).collect();
        eprintln!("sgd-lab: \"random\" drawn: {}", what.join(", "));
    }
    Ok(l.setup)
}

/// Reads a scenario from a path or `-` (stdin), draws its `"random"` seeds and
/// validates it.
pub fn load_drawn(path: &str) -> Result<Loaded, String> {
    let text = if path == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        s
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?
    };
    let mut scenario = Scenario::from_json(&text).map_err(|e| e.to_string())?;
    let drawn = scenario.resolve_seeds(draw_seed);
    let setup = scenario.build().map_err(|e| e.to_string())?;
    Ok(Loaded { setup, drawn })
}

/// A result followed by the scenario it was computed for (with its drawn seeds).
#[derive(serde::Serialize)]
struct WithScenario<'a, T: serde::Serialize> {
    #[serde(flatten)]
    result: T,
    scenario: &'a Scenario,
}

/// Prints a result; after it, when seeds were drawn, the scenario as run, which
/// reproduces the result exactly.
fn print_result<T: serde::Serialize>(result: T, loaded: &Loaded) -> Result<(), String> {
    if loaded.drawn.is_empty() {
        print_json(&result)
    } else {
        print_json(&WithScenario {
            result,
            scenario: &loaded.setup.scenario,
        })
    }
}

pub fn print_json<T: serde::Serialize>(value: &T) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer(&mut out, value).map_err(|e| format!("cannot write output: {e}"))?;
    writeln!(out).map_err(|e| format!("cannot write output: {e}"))
}

fn one_file<'a>(cmd: &str, rest: &'a [String], flags: &[&str]) -> Result<&'a str, String> {
    let files: Vec<&String> = rest
        .iter()
        .filter(|a| !a.starts_with("--") || a.as_str() == "-")
        .collect();
    for a in rest.iter().filter(|a| a.starts_with("--")) {
        if !flags.contains(&a.as_str()) {
            return Err(format!(
                "{cmd}: unknown option {a} (allowed: {})",
                if flags.is_empty() {
                    "none".into()
                } else {
                    flags.join(", ")
                }
            ));
        }
    }
    match files.as_slice() {
        [f] => Ok(f.as_str()),
        [] => Err(format!(
            "{cmd} needs a scenario FILE (or - for standard input); see sgd-lab help"
        )),
        _ => Err(format!("{cmd} takes one FILE, got {}", files.len())),
    }
}

pub fn main(args: &[String]) -> Result<(), String> {
    let Some(cmd) = args.first() else {
        println!("{USAGE}");
        return Ok(());
    };
    let rest = &args[1..];
    match cmd.as_str() {
        "run" => {
            let summary = rest.iter().any(|a| a == "--summary");
            let loaded = load_drawn(one_file("run", rest, &["--summary"])?)?;
            let setup = &loaded.setup;
            if !summary && !full_output_fits(setup) {
                return Err(format!(
                    "{}runs × (steps + 1) = {} is more than {MAX_FULL_POINTS} points for a full result; add --summary",
                    if setup.scenario.is_compare() { "variants × " } else { "" },
                    full_output_points(setup)
                ));
            }
            if setup.scenario.is_compare() {
                print_result(compare_result(setup, summary), &loaded)
            } else {
                print_result(run_result(setup, summary), &loaded)
            }
        }
        "theory" => {
            let loaded = load_drawn(one_file("theory", rest, &[])?)?;
            let setup = &loaded.setup;
            if setup.scenario.is_compare() {
                print_result(compare_theory(setup), &loaded)
            } else {
                print_result(theory(setup), &loaded)
            }
        }
        "render" => render::main(rest),
        "lab" => lab::main(rest),
        "thumbs" => thumbs::main(rest),
        "questions" => questions::main(rest),
        "kit" => kit::main(rest),
        "presets" => {
            for p in PRESETS {
                println!("{:<20} {}", p.name, p.title);
            }
            Ok(())
        }
        "preset" => {
            let name = rest.first().ok_or("preset needs a NAME; sgd-lab presets lists them")?;
            let p = presets::find(name).ok_or_else(|| {
                format!("no preset named {name:?}; known: {}", PRESETS.iter().map(|p| p.name).collect::<Vec<_>>().join(", "))
            })?;
            println!("{}", p.scenario().to_json());
            Ok(())
        }
        "demo" => demo(rest.first().map(String::as_str).unwrap_or("per-sample")),
        "bench" => bench::main(rest),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command {other:?}; commands: run, theory, render, lab, thumbs, questions, kit, presets, preset, demo, bench, help")),
    }
}

/// A human-readable tour of one preset: what the CLI computes, in words and numbers.
fn demo(name: &str) -> Result<(), String> {
    let p = presets::find(name).ok_or_else(|| format!("no preset named {name:?}"))?;
    let setup = p.scenario().build().map_err(|e| e.to_string())?;
    let th = theory(&setup);
    let res = run_result(&setup, true);
    let s = &setup.scenario;
    println!("preset {}: {}", p.name, p.title);
    println!(
        "  problem {} with n = {}, d = {}; method {}, step {}, batch {}; {} steps × {} run(s), seed {}",
        setup.problem.kind(),
        setup.problem.n(),
        setup.problem.d(),
        serde_json::to_string(&s.method.kind).unwrap_or_default().trim_matches('"'),
        s.method.lr,
        s.method.batch,
        s.steps,
        s.runs,
        s.seed
    );
    println!(
        "  optimum w* = {:?}, L* = {:.6}",
        th.optimum.w, th.optimum.loss
    );
    println!(
        "  L_s = {:.4}, m = {:.4}, largest stable GD step 2/L_s = {:.4}, sigma0 = {:.4}",
        th.smoothness, th.strong_convexity, th.max_stable_lr, th.sigma0
    );
    if let Some([lo, hi]) = th.zone_of_confusion {
        println!("  zone of confusion: [{lo:.4}, {hi:.4}]");
    }
    let g = &res.mean_gap;
    for t in [0, g.len() / 10, g.len() / 2, g.len() - 1] {
        println!("  step {t:>6}: mean gap L(w) - L* = {:.3e}", g[t]);
    }
    if let Some(b) = &th.bound {
        println!(
            "  lecture's bound floor eta*L_s*M/(2m) = {:.3e} (M = {:.4}, M_G = {:.4})",
            b.floor, b.m, b.m_g
        );
    }
    if !res.diverged.is_empty() {
        println!(
            "  {} run(s) diverged, the first at step {}",
            res.diverged.len(),
            res.diverged[0].step
        );
    }
    println!(
        "  (sgd-lab preset {} | sgd-lab run - prints every number as JSON)",
        p.name
    );
    Ok(())
}
