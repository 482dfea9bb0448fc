//! Command dispatch, argument parsing and input reading for `sgd-lab`.

mod bench;
mod render;

use sgd_lab::presets::{self, PRESETS};
use sgd_lab::report::{full_output_fits, run_result, MAX_FULL_POINTS};
use sgd_lab::scenario::{Scenario, Setup};
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
  sgd-lab presets                   list the built-in scenarios
  sgd-lab preset NAME               print one built-in scenario
  sgd-lab demo [NAME]               run a preset and print a readable summary
  sgd-lab bench [--quick] [--json]  measure simulation speed (sgd-lab bench --help)
  sgd-lab help                      this text

A scenario is one JSON document; see README.md (\"The scenario format\").
Errors go to stderr as one line naming the field, and the exit status is 2.";

/// Reads a scenario from a path or `-` (stdin) and validates it.
pub fn load(path: &str) -> Result<Setup, String> {
    let text = if path == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        s
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?
    };
    let scenario = Scenario::from_json(&text).map_err(|e| e.to_string())?;
    scenario.build().map_err(|e| e.to_string())
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
            let setup = load(one_file("run", rest, &["--summary"])?)?;
            if !summary && !full_output_fits(&setup) {
                return Err(format!(
                    "runs × (steps + 1) = {} is more than {MAX_FULL_POINTS} points for a full result; add --summary",
                    setup.scenario.runs * (setup.scenario.steps + 1)
                ));
            }
            print_json(&run_result(&setup, summary))
        }
        "theory" => {
            let setup = load(one_file("theory", rest, &[])?)?;
            print_json(&theory(&setup))
        }
        "render" => render::main(rest),
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
        other => Err(format!("unknown command {other:?}; commands: run, theory, render, presets, preset, demo, bench, help")),
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
