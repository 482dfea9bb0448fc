//! `sgd-lab render FILE --out fig.svg [--width W] [--height H]`: one SVG for slides.
//!
//! Panels, left to right: the loss gap on a log axis (one run bold; or several runs
//! faint with the mean bold, the 10–90 % band, and the lecture's bound dashed when it
//! applies); the step size η_t when the schedule is not constant; and the trajectory
//! picture when there is one (each sample's parabola for 1-D least squares or 1-D
//! quadratics, the contour map for 2-D problems).

use sgd_lab::chart::line::{self, Band, LineChart, LineStyle, Series};
use sgd_lab::chart::map::{self, Background, MapChart, MapPath};
use sgd_lab::chart::per_sample::{self, PerSampleChart};
use sgd_lab::chart::{auto_text_px, palette, AxisScale, LegendPos};
use sgd_lab::ensemble::Ensemble;
use sgd_lab::lab::engine::{self, band::band};
use sgd_lab::method::{MethodKind, MethodSpec};
use sgd_lab::run::{simulate, Trajectory};
use sgd_lab::scenario::{Setup, VariantSpec};
use sgd_lab::theory::theory;

use plotters::coord::Shift;
use plotters::prelude::*;

const OPTIONS: &str = "--out, --width, --height";
const MIN_SIZE: u32 = 200;
const MAX_SIZE: u32 = 10_000;
/// Faint runs drawn on the gap chart.
const FAINT_RUNS: usize = 20;
/// Kept trajectories for the 10–90 % band are limited to about this many points.
const BAND_POINTS: u64 = 400_000;
/// Trajectories drawn on the map.
const MAP_PATHS: usize = 3;
/// Iterates before the last one shown as a trail on the per-sample picture.
const TRAIL: usize = 8;

struct Options {
    file: String,
    out: String,
    width: Option<u32>,
    height: Option<u32>,
}

fn size_arg(name: &str, value: Option<&String>) -> Result<u32, String> {
    let bad = |got: &str| {
        format!(
            "render: {name} must be an integer from {MIN_SIZE} to {MAX_SIZE} (pixels), got {got}"
        )
    };
    let v = value.ok_or_else(|| bad("nothing"))?;
    let n: u32 = v.parse().map_err(|_| bad(&format!("{v:?}")))?;
    if !(MIN_SIZE..=MAX_SIZE).contains(&n) {
        return Err(bad(v));
    }
    Ok(n)
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut file = None;
    let mut out = None;
    let (mut width, mut height) = (None, None);
    let mut k = 0;
    while k < args.len() {
        let a = args[k].as_str();
        match a {
            "--out" => {
                let v = args.get(k + 1).filter(|v| !v.starts_with("--")).ok_or(
                    "render: --out needs a file name (the SVG to write, or - for standard output)",
                )?;
                out = Some(v.clone());
                k += 2;
            }
            "--width" => {
                width = Some(size_arg("--width", args.get(k + 1))?);
                k += 2;
            }
            "--height" => {
                height = Some(size_arg("--height", args.get(k + 1))?);
                k += 2;
            }
            _ if a.starts_with("--") => {
                return Err(format!("render: unknown option {a} (allowed: {OPTIONS})"));
            }
            _ => {
                if file.is_some() {
                    return Err("render takes one FILE (or - for standard input), got more".into());
                }
                file = Some(a.to_string());
                k += 1;
            }
        }
    }
    Ok(Options {
        file: file
            .ok_or("render needs a scenario FILE (or - for standard input); see sgd-lab help")?,
        out: out
            .ok_or("render needs --out F.svg (the SVG file to write, or - for standard output)")?,
        width,
        height,
    })
}

pub fn main(args: &[String]) -> Result<(), String> {
    let o = parse(args)?;
    let setup = super::load(&o.file)?;
    let svg = render_svg(&setup, o.width, o.height)?;
    if o.out == "-" {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        out.write_all(svg.as_bytes())
            .and_then(|_| out.flush())
            .map_err(|e| format!("cannot write the SVG to standard output: {e}"))
    } else {
        std::fs::write(&o.out, svg).map_err(|e| format!("cannot write {}: {e}", o.out))
    }
}

/// The panels the scenario gets, with their relative widths.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Panel {
    Gap,
    StepSize,
    PerSample,
    Map,
}

impl Panel {
    fn weight(self) -> f64 {
        match self {
            Panel::StepSize => 0.7,
            _ => 1.0,
        }
    }
}

fn panels(setup: &Setup) -> Vec<Panel> {
    let mut p = vec![Panel::Gap];
    if !setup.scenario.schedule.is_constant() {
        p.push(Panel::StepSize);
    }
    match setup.problem.d() {
        1 if per_sample::samples_of(&setup.problem).is_some() => p.push(Panel::PerSample),
        2 => p.push(Panel::Map),
        _ => {}
    }
    p
}

/// Everything the panels draw, simulated once.
struct Sim {
    kept: Vec<Trajectory>,
    runs: u64,
    mean: Vec<f64>,
    mean_avg: Option<Vec<f64>>,
    diverged: usize,
}

fn simulate_all(setup: &Setup) -> Sim {
    let s = &setup.scenario;
    let runs = s.runs;
    let keep = if runs == 1 {
        1
    } else {
        // At least FAINT_RUNS (when there are that many), at most every run.
        let k = (BAND_POINTS / (s.steps + 1))
            .max(FAINT_RUNS as u64)
            .min(runs);
        // A round number of runs reads better in the legend.
        (if k >= 100 && k < runs {
            k / 100 * 100
        } else {
            k
        }) as usize
    };
    let mut ens = Ensemble::new(setup, keep);
    ens.finish();
    Sim {
        kept: ens.kept().to_vec(),
        runs,
        mean: ens.mean_gap(),
        mean_avg: ens.mean_avg_gap(),
        diverged: ens.diverged().len(),
    }
}

fn method_name(setup: &Setup) -> String {
    let m = &setup.scenario.method;
    let base = match m.kind {
        MethodKind::Gd => "GD",
        MethodKind::Sgd => "SGD",
        MethodKind::Svrg => "SVRG",
        MethodKind::Sag => "SAG",
        MethodKind::Saga => "SAGA",
    };
    let mut s = base.to_string();
    if m.momentum > 0.0 {
        s += &format!(
            " + {}momentum {}",
            if m.nesterov { "Nesterov " } else { "" },
            m.momentum
        );
    }
    s
}

/// Whether the x axis counts gradient evaluations (methods whose cost per step varies).
fn x_is_evals(setup: &Setup) -> bool {
    matches!(
        setup.scenario.method.kind,
        MethodKind::Svrg | MethodKind::Sag | MethodKind::Saga
    )
}

fn draw_gap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    setup: &Setup,
    sim: &Sim,
    text_px: Option<f64>,
) -> Result<(), String> {
    let s = &setup.scenario;
    let name = method_name(setup);
    let evals: Option<Vec<f64>> = (x_is_evals(setup))
        .then(|| {
            sim.kept
                .first()
                .map(|tr| tr.grad_evals.iter().map(|&e| e as f64).collect())
        })
        .flatten();
    let th = theory(setup);
    let mut series: Vec<Series> = Vec::new();
    let mut bands: Vec<Band> = Vec::new();
    let faint_label;
    let mean_label;
    let band_label;
    let (lo, hi);
    let one_label = format!("{name}, one run");
    if sim.runs == 1 {
        if let Some(tr) = sim.kept.first() {
            series.push(Series::new(
                &one_label,
                &tr.gap,
                LineStyle::Bold,
                palette::BLUE,
            ));
            if let Some(ag) = &tr.avg_gap {
                series.push(Series::new(
                    "averaged iterate",
                    ag,
                    LineStyle::Bold,
                    palette::BLUISH_GREEN,
                ));
            }
        }
    } else {
        let faint = sim.kept.len().min(FAINT_RUNS);
        faint_label = format!("single runs ({faint} of {})", sim.runs);
        for tr in &sim.kept[..faint] {
            series.push(Series::new(
                &faint_label,
                &tr.gap,
                LineStyle::Faint,
                palette::BLUE,
            ));
        }
        let len = sim.kept.iter().map(|t| t.gap.len()).max().unwrap_or(0);
        // Interpolated quantiles, as the expected-loss lab draws them.
        let gaps: Vec<&[f64]> = sim.kept.iter().map(|t| t.gap.as_slice()).collect();
        (lo, hi) = band(&gaps, len, 0.1, 0.9, 5);
        band_label = if sim.kept.len() as u64 == sim.runs {
            "10–90 % of runs".to_string()
        } else {
            format!("10–90 % of the first {} runs", sim.kept.len())
        };
        bands.push(Band {
            label: &band_label,
            x: None,
            lo: &lo,
            hi: &hi,
            color: palette::BLUE,
        });
        mean_label = format!("mean over {} runs", sim.runs);
        series.push(Series::new(
            &mean_label,
            &sim.mean,
            LineStyle::Bold,
            palette::BLACK,
        ));
        if let Some(ma) = &sim.mean_avg {
            series.push(Series::new(
                "mean of the averaged iterate",
                ma,
                LineStyle::Bold,
                palette::BLUISH_GREEN,
            ));
        }
    }
    if let Some(b) = &th.bound {
        series.push(Series::new(
            "lecture's bound on the mean",
            &b.curve,
            LineStyle::Dashed,
            palette::VERMILLION,
        ));
    }
    if let Some(x) = &evals {
        for sr in &mut series {
            sr.x = Some(x);
        }
        for b in &mut bands {
            b.x = Some(x);
        }
    }
    let mut title = format!("Loss gap: {name}, η = {}", s.method.lr);
    if s.method.kind != MethodKind::Gd {
        title += &format!(", batch {}", s.method.batch);
    }
    if sim.diverged > 0 {
        title += &format!(" ({} diverged)", sim.diverged);
    }
    line::draw(
        area,
        &LineChart {
            title: &title,
            x_label: if evals.is_some() {
                "gradient evaluations"
            } else {
                "step t"
            },
            y_label: "L(w) − L*",
            y_scale: AxisScale::Log,
            series: &series,
            bands: &bands,
            x_range: None,
            y_range: None,
            cursor: None,
            legend: LegendPos::Auto,
            text_px,
            x_scale: AxisScale::Linear,
        },
    )?;
    Ok(())
}

fn draw_step_size<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    sim: &Sim,
    text_px: Option<f64>,
) -> Result<(), String> {
    let lr: &[f64] = sim.kept.first().map_or(&[], |t| &t.lr);
    let series = [Series::new(
        "η_t",
        lr,
        LineStyle::Bold,
        palette::BLUISH_GREEN,
    )];
    line::draw(
        area,
        &LineChart {
            title: "Step size ηₜ",
            x_label: "step t",
            y_label: "ηₜ",
            y_scale: AxisScale::Linear,
            series: &series,
            legend: LegendPos::Hidden,
            text_px,
            ..Default::default()
        },
    )?;
    Ok(())
}

/// The GD run of the same problem, start, step and schedule (for the per-sample
/// picture's GD iterate): a `compare` variant of the scenario, as the per-sample lab
/// builds its GD twin.
fn gd_twin(setup: &Setup) -> Trajectory {
    let base = &setup.scenario.method;
    let gd = MethodSpec {
        kind: MethodKind::Gd,
        momentum: 0.0,
        nesterov: false,
        dampening: 0.0,
        ..base.clone()
    };
    let twin = VariantSpec {
        averaging: Some(Default::default()),
        ..engine::method_variant("GD", gd)
    };
    simulate(
        &engine::variant_setups(setup, vec![twin]).remove(0).setup,
        0,
    )
}

fn draw_per_sample<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    setup: &Setup,
    sim: &Sim,
    text_px: Option<f64>,
) -> Result<(), String> {
    let (xs, ys) = per_sample::samples_of(&setup.problem)
        .ok_or("the per-sample picture is for 1-D least squares and 1-D quadratics")?;
    let tr = sim.kept.first();
    let is_gd = setup.scenario.method.kind == MethodKind::Gd;
    let t = tr.map_or(0, |tr| tr.len() - 1);
    let (sgd, used, trail) = match tr {
        Some(tr) if !is_gd => {
            let from = t.saturating_sub(TRAIL);
            let trail: Vec<f64> = (from..t).map(|k| tr.point(k)[0]).collect();
            let used: Vec<usize> = tr
                .indices
                .last()
                .map(|b| b.iter().map(|&i| i as usize).collect())
                .unwrap_or_default();
            (Some(tr.point(t)[0]), used, trail)
        }
        _ => (None, Vec::new(), Vec::new()),
    };
    let gd = if is_gd {
        tr.map(|tr| tr.point(t)[0])
    } else {
        let g = gd_twin(setup);
        Some(g.point((g.len() - 1).min(t))[0])
    };
    let title = format!("Each sample's loss, at step {t}");
    per_sample::draw(
        area,
        &PerSampleChart {
            title: &title,
            xs: &xs,
            ys: &ys,
            sgd,
            used: &used,
            gd,
            trail: &trail,
            text_px,
            ..Default::default()
        },
    )?;
    Ok(())
}

fn draw_map<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    setup: &Setup,
    sim: &Sim,
    text_px: Option<f64>,
) -> Result<(), String> {
    let p = &*setup.problem;
    let w_star = (p.optimum()[0], p.optimum()[1]);
    let w0 = (setup.w0[0], setup.w0[1]);
    let mins = map::minimizers(p);
    // The box: start, optimum and minimisers, then the paths where they stay near.
    let mut pts = vec![w0, w_star];
    pts.extend(mins.iter().step_by((mins.len() / 500).max(1)));
    let (bx, by) = map::auto_box(&pts);
    let near = |q: &(f64, f64)| {
        let (cx, cy) = (0.5 * (bx.0 + bx.1), 0.5 * (by.0 + by.1));
        (q.0 - cx).abs() <= 1.5 * (bx.1 - bx.0) && (q.1 - cy).abs() <= 1.5 * (by.1 - by.0)
    };
    let paths_n = sim.kept.len().min(MAP_PATHS);
    for tr in &sim.kept[..paths_n] {
        pts.extend(tr.w.chunks_exact(2).map(|c| (c[0], c[1])).filter(near));
    }
    let (bx, by) = map::auto_box(&pts);
    let (w, h) = area.dim_in_pixel();
    let (xr, yr) = map::fit_box(bx, by, map::plot_area(w, h, text_px));
    let contours = map::contour_lines(p, xr, yr);
    let labels: Vec<String> = (0..paths_n)
        .map(|k| {
            if paths_n == 1 {
                format!("{} path", method_name(setup))
            } else {
                format!("run {}", k + 1)
            }
        })
        .collect();
    let colors = [palette::VERMILLION, palette::BLUE, palette::REDDISH_PURPLE];
    let paths: Vec<MapPath> = sim.kept[..paths_n]
        .iter()
        .enumerate()
        .map(|(k, tr)| MapPath {
            label: &labels[k],
            points: &tr.w,
            color: colors[k % colors.len()],
        })
        .collect();
    let t = sim.kept.first().map_or(0, |tr| tr.len() - 1);
    let title = format!("Contours of L and the iterates, {t} steps");
    map::draw(
        area,
        &MapChart {
            title: &title,
            x_range: xr,
            y_range: yr,
            background: Background::Contours,
            contours: &contours,
            paths: &paths,
            minimizers: &mins,
            optimum: Some(w_star),
            text_px,
            ..Default::default()
        },
    )?;
    Ok(())
}

/// The whole figure as an SVG document.
pub fn render_svg(
    setup: &Setup,
    width: Option<u32>,
    height: Option<u32>,
) -> Result<String, String> {
    let panels = panels(setup);
    let weights: f64 = panels.iter().map(|p| p.weight()).sum();
    let height = height.unwrap_or(600);
    let width = width.unwrap_or((800.0 * weights).round() as u32);
    let sim = simulate_all(setup);
    // One text size for every panel; plotters' SVG writes text at 1/1.24 of the
    // size it is given, so ask for that much more to match the canvas.
    let panel_w = width as f64 / weights;
    let text_px = Some(auto_text_px(panel_w.round() as u32, height) * 1.24);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE)
            .map_err(|e| format!("drawing failed: {e}"))?;
        let mut rest = root.clone();
        for (k, panel) in panels.iter().enumerate() {
            let area = if k + 1 == panels.len() {
                rest.clone()
            } else {
                let w = (panel_w * panel.weight()).round() as i32;
                let (a, b) = rest.split_horizontally(w);
                rest = b;
                a
            };
            match panel {
                Panel::Gap => draw_gap(&area, setup, &sim, text_px)?,
                Panel::StepSize => draw_step_size(&area, &sim, text_px)?,
                Panel::PerSample => draw_per_sample(&area, setup, &sim, text_px)?,
                Panel::Map => draw_map(&area, setup, &sim, text_px)?,
            }
        }
        root.present().map_err(|e| format!("drawing failed: {e}"))?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Vec<String> {
        s.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn options_are_checked() {
        let o = parse(&args(&["s.json", "--out", "f.svg", "--width", "900"])).unwrap();
        assert_eq!(
            (o.file.as_str(), o.out.as_str(), o.width, o.height),
            ("s.json", "f.svg", Some(900), None)
        );
        let e = parse(&args(&["s.json", "--out", "f.svg", "--width", "50"]))
            .err()
            .unwrap();
        assert!(
            e.contains("--width") && e.contains("200") && e.contains("10000"),
            "{e}"
        );
        let e = parse(&args(&["s.json", "--out", "f.svg", "--height", "x"]))
            .err()
            .unwrap();
        assert!(e.contains("--height"), "{e}");
        let e = parse(&args(&["s.json", "--outt", "f.svg"])).err().unwrap();
        assert!(
            e.contains("--outt") && e.contains("--out, --width, --height"),
            "{e}"
        );
        let e = parse(&args(&["s.json"])).err().unwrap();
        assert!(e.contains("--out"), "{e}");
        let e = parse(&args(&["--out", "f.svg"])).err().unwrap();
        assert!(e.contains("FILE"), "{e}");
        let e = parse(&args(&["s.json", "--out"])).err().unwrap();
        assert!(e.contains("--out needs"), "{e}");
    }

    #[test]
    fn every_preset_renders() {
        for p in sgd_lab::presets::PRESETS {
            if p.name.starts_with("bench") {
                continue;
            }
            let setup = p.scenario().build().unwrap();
            let svg = render_svg(&setup, None, None).unwrap_or_else(|e| panic!("{}: {e}", p.name));
            assert!(
                svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
                "{}",
                p.name
            );
            assert!(svg.contains("L(w) − L*"), "{}", p.name);
        }
    }
}
