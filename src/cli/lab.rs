//! `sgd-lab lab FILE [--step T] --out DIR`: a lab state (a scenario as the browser
//! exports it, with its `lab` part) as slide figures: DIR/<chart-id>.svg for every
//! chart of the lab at step T (default: the end), and DIR/data.csv, the browser's CSV
//! export of that state. `--print`: the print theme (thicker lines, black text), as
//! the browser's "SVG for print"; `--no-theory`: without the theory overlays (bounds,
//! exact floors, predicted rates), as a lesson link's `hide=theory` shows the lab.

use sgd_lab::lab::export::{figures, FigureStyle};

struct Opts {
    file: String,
    step: Option<u64>,
    out: String,
    style: FigureStyle,
}

fn parse(args: &[String]) -> Result<Opts, String> {
    let (mut file, mut step, mut out) = (None, None, None);
    let mut style = FigureStyle::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--step" => {
                let v = it
                    .next()
                    .ok_or("--step needs a whole number T (the step to draw)")?;
                step = Some(
                    v.parse::<u64>()
                        .map_err(|_| format!("--step must be a whole number ≥ 0, got {v:?}"))?,
                );
            }
            "--out" => {
                out = Some(it.next().ok_or("--out needs a directory DIR")?.clone());
            }
            "--print" => style.print = true,
            "--no-theory" => style.theory = false,
            s if s.starts_with("--") => {
                return Err(format!(
                    "lab: unknown option {s} (allowed: --step, --out, --print, --no-theory)"
                ))
            }
            _ if file.is_some() => return Err(format!("lab takes one FILE, got a second: {a:?}")),
            _ => file = Some(a.clone()),
        }
    }
    Ok(Opts {
        file: file.ok_or(
            "lab needs a FILE: a lab scenario as the browser exports it (Scenario (JSON))",
        )?,
        step,
        out: out.ok_or("lab needs --out DIR (the directory to write the SVGs and data.csv to)")?,
        style,
    })
}

pub fn main(args: &[String]) -> Result<(), String> {
    let o = parse(args)?;
    let loaded = super::load_drawn(&o.file)?;
    let s = &loaded.setup.scenario;
    if s.lab.is_none() {
        return Err(format!(
            "{} has no \"lab\" part: export the scenario from a lab page (Scenario (JSON)), or add \"lab\": {{\"id\": \"per-sample\"}}, for example",
            o.file
        ));
    }
    if !loaded.drawn.is_empty() {
        let what: Vec<String> = loaded
            .drawn
            .iter()
            .map(|(p, n)| format!("{p} = {n}"))
            .collect();
        eprintln!("sgd-lab: \"random\" drawn: {}", what.join(", "));
    }
    let f = figures(s, o.step, o.style)?;
    let dir = std::path::Path::new(&o.out);
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", o.out))?;
    let mut written = Vec::new();
    for (id, svg) in &f.charts {
        let path = dir.join(format!("{id}.svg"));
        std::fs::write(&path, svg).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path.display().to_string());
    }
    let path = dir.join("data.csv");
    std::fs::write(&path, &f.csv).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    written.push(path.display().to_string());
    if let Some(table) = &f.table {
        let path = dir.join("table.csv");
        std::fs::write(&path, table)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path.display().to_string());
    }
    eprintln!("sgd-lab: step {}: wrote {}", f.t, written.join(", "));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options_are_read_and_bad_ones_named() {
        let o = parse(&args(&["s.json", "--step", "40", "--out", "figs"])).unwrap();
        assert_eq!(
            (o.file.as_str(), o.step, o.out.as_str(), o.style),
            ("s.json", Some(40), "figs", FigureStyle::default())
        );
        let o = parse(&args(&["s.json", "--print", "--no-theory", "--out", "f"])).unwrap();
        assert_eq!(
            o.style,
            FigureStyle {
                print: true,
                theory: false
            }
        );
        let e = parse(&args(&["s.json", "--step", "-1", "--out", "d"]))
            .err()
            .unwrap();
        assert_eq!(e, "--step must be a whole number ≥ 0, got \"-1\"");
        assert!(parse(&args(&["s.json"]))
            .err()
            .unwrap()
            .starts_with("lab needs --out DIR"));
        assert!(parse(&args(&["--out", "d"]))
            .err()
            .unwrap()
            .starts_with("lab needs a FILE"));
        assert!(parse(&args(&["a", "b", "--out", "d"]))
            .err()
            .unwrap()
            .contains("second"));
        assert!(parse(&args(&["a", "--width", "3"]))
            .err()
            .unwrap()
            .contains("unknown option --width (allowed: --step, --out, --print, --no-theory)"));
    }
}
