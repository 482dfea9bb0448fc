//! `sgd-lab bench`: steps per second of the simulation engine, as a table of medians.
//!
//! Rows (steps/s = runs × steps / wall time, median of the repetitions):
//! - the benchmark ensemble (preset `bench-ensemble`: 1-D least squares, n = 100,
//!   10 000 runs × 1000 steps, recording the gap statistics of every step) through
//!   `Ensemble::new` (the interleaved kernel) and `Ensemble::generic` (`Run::step`);
//! - two hand-written loops for exactly that case, the "limit" rows: a scalar loop and
//!   one that interleaves 8 runs (same random streams, same statistics);
//! - one 2-D least-squares SGD run with b = 1 and one SVRG run (inner = n) through
//!   `Run::step`.
//!
//! Every ensemble row's statistics are checked bit for bit against the others, so a
//! fast but wrong kernel fails the benchmark. `--json` prints the numbers for
//! `scripts/bench.sh`; `--dump-data` prints the ensemble's data for
//! `scripts/bench_numpy.py`; `--quick` runs tiny sizes (a smoke test).

use sgd_lab::ensemble::{Ensemble, StepStats};
use sgd_lab::method::MethodKind;
use sgd_lab::presets;
use sgd_lab::problem::Problem;
use sgd_lab::rng::Rng;
use sgd_lab::run::{Outcome, Run};
use sgd_lab::scenario::{Scenario, Setup};
use std::hint::black_box;
use std::time::Instant;

const USAGE: &str = "\
usage: sgd-lab bench [--quick] [--json] [--reps N] [--dump-data]
  --quick      tiny sizes: a smoke test that takes well under a second
  --json       print the measurements as one JSON document (for scripts/bench.sh)
  --reps N     timed repetitions of every row (default 7, with --quick 5)
  --dump-data  print the benchmark ensemble's data as JSON (for scripts/bench_numpy.py)
Side by side with NumPy, with one table: bash scripts/bench.sh (docs/BENCHMARKS.md).";

/// 2-D least squares, the `variance-reduction` preset's data.
const LS2_PROBLEM: &str =
    r#"{"kind": "random_least_squares", "n": 100, "d": 2, "noise": 1.0, "kappa": 4, "seed": 6}"#;

struct Options {
    help: bool,
    quick: bool,
    json: bool,
    dump: bool,
    reps: Option<usize>,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        help: false,
        quick: false,
        json: false,
        dump: false,
        reps: None,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--help" | "-h" => o.help = true,
            "--quick" => o.quick = true,
            "--json" => o.json = true,
            "--dump-data" => o.dump = true,
            "--reps" => {
                let v = it.next().ok_or("bench: --reps needs a number")?;
                let n: usize = v
                    .parse()
                    .map_err(|_| format!("bench: --reps must be an integer ≥ 1, got {v:?}"))?;
                if n == 0 {
                    return Err("bench: --reps must be an integer ≥ 1, got 0".into());
                }
                o.reps = Some(n);
            }
            other => {
                return Err(format!(
                    "bench: unknown option {other} (allowed: --quick, --json, --reps N, --dump-data, --help)"
                ))
            }
        }
    }
    Ok(o)
}

/// Problem sizes of one benchmark run.
struct Sizes {
    ens_runs: u64,
    ens_steps: u64,
    /// Steps of one 2-D run (scenarios allow at most 1e6) and how many runs per repetition.
    run_steps: u64,
    sgd_runs: u64,
    svrg_runs: u64,
    reps: usize,
}

impl Sizes {
    fn new(o: &Options) -> Sizes {
        let mut s = if o.quick {
            Sizes {
                ens_runs: 20,
                ens_steps: 200,
                run_steps: 5_000,
                sgd_runs: 1,
                svrg_runs: 1,
                reps: 5,
            }
        } else {
            Sizes {
                ens_runs: 10_000,
                ens_steps: 1000,
                run_steps: 1_000_000,
                sgd_runs: 5,
                svrg_runs: 5,
                reps: 7,
            }
        };
        if let Some(r) = o.reps {
            s.reps = r;
        }
        s
    }
}

/// The 1-D ensemble's numbers, as the hand-written loops and the NumPy script use them.
struct Data1 {
    x: Vec<f64>,
    y: Vec<f64>,
    w0: f64,
    w_star: f64,
    h: f64,
    lr: f64,
    seed: u64,
    runs: u64,
    steps: u64,
}

impl Data1 {
    fn new(setup: &Setup) -> Result<Data1, String> {
        let Problem::LeastSquares(ls) = &*setup.problem else {
            return Err("bench: the bench-ensemble preset is not least squares".into());
        };
        let s = &setup.scenario;
        let m = &s.method;
        let plain = m.kind == MethodKind::Sgd && m.momentum == 0.0 && m.batch == 1;
        if ls.d() != 1 || !plain || !s.schedule.is_constant() {
            return Err("bench: the bench-ensemble preset is not 1-D SGD with b = 1".into());
        }
        Ok(Data1 {
            x: (0..ls.n()).map(|i| ls.row(i)[0]).collect(),
            y: (0..ls.n()).map(|i| ls.target(i)).collect(),
            w0: setup.w0[0],
            w_star: ls.optimum()[0],
            h: ls.h()[0],
            lr: s.method.lr,
            seed: s.seed,
            runs: s.runs,
            steps: s.steps,
        })
    }

    fn gap(&self, w: f64) -> f64 {
        let e = w - self.w_star;
        0.5 * self.h * e * e
    }

    fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "source": "sgd-lab preset bench-ensemble",
            "n": self.x.len(),
            "x": self.x,
            "y": self.y,
            "w0": self.w0,
            "w_star": self.w_star,
            "h": self.h,
            "lr": self.lr,
            "batch": 1,
            "seed": self.seed,
            "runs": self.runs,
            "steps": self.steps,
        })
    }
}

/// The hand-written scalar loop: one run after the other, w ← w − η (x_i w − y_i) x_i.
#[inline(never)]
fn reference_scalar(d: &Data1) -> StepStats {
    let steps = d.steps as usize;
    let mut st = StepStats::new(steps + 1);
    let n = d.x.len() as u32;
    let (x, y) = (&d.x[..], &d.y[..]);
    let (lr, w_star, h) = (d.lr, d.w_star, d.h);
    let gap0 = d.gap(d.w0);
    let StepStats {
        shift,
        sum,
        sum_sq,
        min,
        max,
        count,
        ..
    } = &mut st;
    let (shift, sum, sum_sq) = (
        &mut shift[..=steps],
        &mut sum[..=steps],
        &mut sum_sq[..=steps],
    );
    let (min, max, count) = (&mut min[..=steps], &mut max[..=steps], &mut count[..=steps]);
    for r in 0..d.runs {
        let mut rng = Rng::for_run(d.seed, r);
        let mut w = d.w0;
        let mut add = |t: usize, g: f64| {
            if r == 0 {
                shift[t] = g;
            }
            let dev = g - shift[t];
            sum[t] += dev;
            sum_sq[t] += dev * dev;
            min[t] = min[t].min(g);
            max[t] = max[t].max(g);
            count[t] += 1;
        };
        add(0, gap0);
        for t in 1..=steps {
            let i = rng.index(n) as usize;
            let (xi, yi) = (x[i], y[i]);
            w -= lr * ((xi * w - yi) * xi);
            let e = w - w_star;
            add(t, 0.5 * h * e * e);
        }
    }
    st
}

/// `rng.index(n)` (same draws, same result) with the rejection loop, taken with
/// probability < n/2³², out of line: without an inner loop the lanes' loop unrolls.
#[inline(always)]
fn index_hot(rng: &mut Rng, n: u32) -> u32 {
    let m = rng.next_u32() as u64 * n as u64;
    if (m as u32) < n {
        return index_cold(rng, n, m);
    }
    (m >> 32) as u32
}

#[cold]
#[inline(never)]
fn index_cold(rng: &mut Rng, n: u32, mut m: u64) -> u32 {
    let threshold = n.wrapping_neg() % n;
    while (m as u32) < threshold {
        m = rng.next_u32() as u64 * n as u64;
    }
    (m >> 32) as u32
}

/// The hand-written loop with 8 runs in lockstep (their dependency chains overlap),
/// for this case only: constant step, b = 1, no divergence test, (x_i, y_i) side by
/// side, no bounds checks, min/max of the 8 gaps as a tree (they are finite and
/// ≥ +0 here), sum and sum of squares in run order. Leftover runs go one by one.
#[inline(never)]
fn reference_interleaved(d: &Data1) -> StepStats {
    const K: usize = 8;
    let steps = d.steps as usize;
    let mut st = StepStats::new(steps + 1);
    let n = d.x.len() as u32;
    let xy: Vec<[f64; 2]> = d.x.iter().zip(&d.y).map(|(&x, &y)| [x, y]).collect();
    let (lr, w_star, h) = (d.lr, d.w_star, d.h);
    let gap0 = d.gap(d.w0);
    let blocks = d.runs / K as u64;
    let mn = |a: f64, b: f64| if b < a { b } else { a };
    let mx = |a: f64, b: f64| if b > a { b } else { a };
    {
        let StepStats {
            shift,
            sum,
            sum_sq,
            min,
            max,
            count,
            ..
        } = &mut st;
        let (shift, sum, sum_sq) = (
            &mut shift[..=steps],
            &mut sum[..=steps],
            &mut sum_sq[..=steps],
        );
        let (min, max, count) = (&mut min[..=steps], &mut max[..=steps], &mut count[..=steps]);
        for b in 0..blocks {
            let mut rng: [Rng; K] =
                core::array::from_fn(|k| Rng::for_run(d.seed, b * K as u64 + k as u64));
            let mut w = [d.w0; K];
            // Every run starts at w0: the deviations of step 0 are 0, and its sums stay 0.
            shift[0] = gap0;
            min[0] = min[0].min(gap0);
            max[0] = max[0].max(gap0);
            count[0] += K as u64;
            for t in 1..=steps {
                let mut s = [[0.0; 2]; K];
                for k in 0..K {
                    let i = index_hot(&mut rng[k], n) as usize;
                    // SAFETY: index_hot(n) < n = xy.len().
                    s[k] = unsafe { *xy.get_unchecked(i) };
                }
                let mut g = [0.0; K];
                for k in 0..K {
                    let [xi, yi] = s[k];
                    w[k] -= lr * ((xi * w[k] - yi) * xi);
                    let e = w[k] - w_star;
                    g[k] = 0.5 * h * e * e;
                }
                // The first block sets each step's shift to run 0's gap.
                if b == 0 {
                    shift[t] = g[0];
                }
                let (mut su, mut q) = (sum[t], sum_sq[t]);
                for gk in g {
                    let dev = gk - shift[t];
                    su += dev;
                    q += dev * dev;
                }
                let lo = mn(
                    mn(mn(g[0], g[1]), mn(g[2], g[3])),
                    mn(mn(g[4], g[5]), mn(g[6], g[7])),
                );
                let hi = mx(
                    mx(mx(g[0], g[1]), mx(g[2], g[3])),
                    mx(mx(g[4], g[5]), mx(g[6], g[7])),
                );
                (sum[t], sum_sq[t]) = (su, q);
                min[t] = mn(min[t], lo);
                max[t] = mx(max[t], hi);
                count[t] += K as u64;
            }
        }
    }
    for r in blocks * K as u64..d.runs {
        let mut rng = Rng::for_run(d.seed, r);
        let mut w = d.w0;
        st.add(0, gap0);
        for t in 1..=steps {
            let i = rng.index(n) as usize;
            w -= lr * ((d.x[i] * w - d.y[i]) * d.x[i]);
            st.add(t, d.gap(w));
        }
    }
    st
}

/// The timings of one row.
struct Measured {
    id: &'static str,
    name: &'static str,
    steps: u64,
    secs: Vec<f64>,
}

impl Measured {
    fn median(&self) -> f64 {
        let mut s = self.secs.clone();
        s.sort_by(f64::total_cmp);
        let m = s.len() / 2;
        if s.len() % 2 == 1 {
            s[m]
        } else {
            0.5 * (s[m - 1] + s[m])
        }
    }
    fn min(&self) -> f64 {
        self.secs.iter().copied().fold(f64::INFINITY, f64::min)
    }
    /// Steps per second at the median time.
    fn rate(&self) -> f64 {
        self.steps as f64 / self.median()
    }
}

/// A row to measure: `run` computes it once and leaves its result where the caller
/// checks it afterwards.
struct Row<'a> {
    m: Measured,
    run: Box<dyn FnMut() + 'a>,
}

impl<'a> Row<'a> {
    fn new(id: &'static str, name: &'static str, steps: u64, run: impl FnMut() + 'a) -> Self {
        Row {
            m: Measured {
                id,
                name,
                steps,
                secs: Vec::new(),
            },
            run: Box::new(run),
        }
    }
}

/// One untimed round (warm-up), then `reps` timed rounds; each round runs every row
/// once, so that a disturbance from other processes spreads over all rows instead
/// of falling on one.
fn measure(rows: &mut [Row<'_>], reps: usize) {
    for round in 0..=reps {
        for row in rows.iter_mut() {
            let start = Instant::now();
            (row.run)();
            let secs = start.elapsed().as_secs_f64();
            if round > 0 {
                row.m.secs.push(secs);
            }
        }
    }
}

fn ensemble(setup: &Setup, generic: bool) -> Ensemble {
    let mut e = if generic {
        Ensemble::generic(black_box(setup), 0)
    } else {
        Ensemble::new(black_box(setup), 0)
    };
    e.finish();
    e
}

/// `runs` runs of `setup` through `Run::step`, to the end; returns the last gaps' sum.
fn stepwise(setup: &Setup, runs: u64) -> f64 {
    let mut total = 0.0;
    for r in 0..runs {
        let mut run = Run::new(black_box(setup), r);
        while run.step() == Outcome::Stepped {}
        black_box(run.w());
        total += run.gap();
    }
    total
}

fn setup_2d(method: &str, steps: u64) -> Result<Setup, String> {
    let json = format!(
        r#"{{"problem": {LS2_PROBLEM}, "method": {method}, "w0": [-2.0, 3.0], "steps": {steps}, "runs": 1, "seed": 1}}"#
    );
    let sc = Scenario::from_json(&json).map_err(|e| format!("bench: {e}"))?;
    sc.build().map_err(|e| format!("bench: {e}"))
}

fn machine() -> (String, usize) {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    (cpu, cores)
}

fn same(a: &StepStats, b: &StepStats) -> bool {
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<u64>>();
    bits(&a.shift) == bits(&b.shift)
        && bits(&a.sum) == bits(&b.sum)
        && bits(&a.sum_sq) == bits(&b.sum_sq)
        && bits(&a.min) == bits(&b.min)
        && bits(&a.max) == bits(&b.max)
        && a.count == b.count
}

pub fn main(args: &[String]) -> Result<(), String> {
    let o = parse(args)?;
    if o.help {
        println!("{USAGE}");
        return Ok(());
    }
    let sz = Sizes::new(&o);
    let preset =
        presets::find("bench-ensemble").ok_or("bench: preset bench-ensemble is missing")?;
    let mut sc = preset.scenario();
    sc.runs = sz.ens_runs;
    sc.steps = sz.ens_steps;
    let ens_setup = sc.build().map_err(|e| format!("bench: {e}"))?;
    let data = Data1::new(&ens_setup)?;
    if o.dump {
        println!("{}", data.to_json());
        return Ok(());
    }
    let sgd_setup = setup_2d(r#"{"kind": "sgd", "lr": 0.1, "batch": 1}"#, sz.run_steps)?;
    let svrg_setup = setup_2d(
        r#"{"kind": "svrg", "lr": 0.1, "batch": 1, "inner": 100}"#,
        sz.run_steps,
    )?;

    let ens_steps = sz.ens_runs * sz.ens_steps;
    let reps = sz.reps;
    let mut kernel = None;
    let mut generic = None;
    let mut scalar = None;
    let mut interleaved = None;
    let (mut sink_sgd, mut sink_svrg) = (0.0, 0.0);
    let mut rows = vec![
        Row::new(
            "ensemble_kernel",
            "ensemble 1-D LS, Ensemble::new (interleaved kernel)",
            ens_steps,
            || kernel = Some(black_box(ensemble(&ens_setup, false))),
        ),
        Row::new(
            "ensemble_generic",
            "ensemble 1-D LS, Ensemble::generic (Run::step)",
            ens_steps,
            || generic = Some(black_box(ensemble(&ens_setup, true))),
        ),
        Row::new(
            "reference_scalar",
            "hand-written scalar loop (limit)",
            ens_steps,
            || scalar = Some(black_box(reference_scalar(black_box(&data)))),
        ),
        Row::new(
            "reference_interleaved",
            "hand-written 8-way interleaved loop (limit)",
            ens_steps,
            || interleaved = Some(black_box(reference_interleaved(black_box(&data)))),
        ),
        Row::new(
            "run_sgd_2d",
            "2-D LS SGD b = 1, one run (Run::step)",
            sz.sgd_runs * sz.run_steps,
            || sink_sgd += black_box(stepwise(&sgd_setup, sz.sgd_runs)),
        ),
        Row::new(
            "run_svrg_2d",
            "2-D LS SVRG inner = n, one run (Run::step)",
            sz.svrg_runs * sz.run_steps,
            || sink_svrg += black_box(stepwise(&svrg_setup, sz.svrg_runs)),
        ),
    ];
    measure(&mut rows, reps);
    let rows: Vec<Measured> = rows.into_iter().map(|r| r.m).collect();
    black_box((sink_sgd, sink_svrg));
    let (Some(kernel), Some(generic), Some(scalar), Some(interleaved)) =
        (kernel, generic, scalar, interleaved)
    else {
        return Err("bench: a row did not run".into());
    };
    if !kernel.is_interleaved() {
        return Err("bench: the ensemble did not use the interleaved kernel".into());
    }

    let g = kernel.gap_stats();
    let mut mismatches = Vec::new();
    for (name, other) in [
        ("Ensemble::generic", generic.gap_stats()),
        ("hand-written scalar", &scalar),
        ("hand-written interleaved", &interleaved),
    ] {
        if !same(g, other) {
            mismatches.push(name);
        }
    }
    if !kernel.diverged().is_empty() || !generic.diverged().is_empty() {
        mismatches.push("divergence (none expected)");
    }
    let identical = mismatches.is_empty();

    let mean_gap = kernel.mean_gap();
    let steps = sz.ens_steps as usize;
    let mean_gap_at: serde_json::Map<String, serde_json::Value> = [0, steps / 10, steps / 2, steps]
        .iter()
        .filter_map(|&t| Some((t.to_string(), serde_json::json!(mean_gap.get(t)?))))
        .collect();
    let (cpu, cores) = machine();
    let limit = rows[3].rate();
    if o.json {
        let out = serde_json::json!({
            "machine": {"cpu": cpu, "cores": cores},
            "quick": o.quick,
            "reps": reps,
            "ensemble": {"runs": sz.ens_runs, "steps": sz.ens_steps, "n": data.x.len()},
            "identical": identical,
            "mean_gap_at": mean_gap_at,
            "rows": rows.iter().map(|r| serde_json::json!({
                "id": r.id,
                "name": r.name,
                "steps": r.steps,
                "median_s": r.median(),
                "min_s": r.min(),
                "steps_per_s": r.rate(),
                "secs": r.secs,
            })).collect::<Vec<_>>(),
        });
        println!("{out}");
    } else {
        println!("sgd-lab bench: {cpu}, {cores} logical CPU(s), 1 thread used");
        println!(
            "median of {reps} repetitions; steps/s = runs × steps / time; ensemble = {} runs × {} steps, n = {}",
            sz.ens_runs,
            sz.ens_steps,
            data.x.len()
        );
        println!(
            "{:<52} {:>11} {:>11} {:>11} {:>9}",
            "case", "steps", "median", "steps/s", "÷ ref×8"
        );
        for r in &rows {
            println!(
                "{:<52} {:>11} {:>9.2}ms {:>9.1} M {:>9.2}",
                r.name,
                r.steps,
                r.median() * 1e3,
                r.rate() / 1e6,
                r.rate() / limit
            );
        }
        println!(
            "ensemble statistics bit-identical across the four ensemble rows: {}",
            if identical { "yes" } else { "NO" }
        );
    }
    if !identical {
        return Err(format!(
            "bench: the interleaved kernel's statistics differ from: {}",
            mismatches.join(", ")
        ));
    }
    Ok(())
}
