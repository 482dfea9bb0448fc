#!/usr/bin/env python3
"""The benchmark ensemble of `sgd-lab bench`, written vectorised across runs in NumPy.

Preset `bench-ensemble`: 1-D least squares, n = 100, 10 000 runs x 1000 steps,
step 0.05, batch 1. All runs advance together: each step draws one index per run
with NumPy's Generator, updates every w at once, w <- w - lr (x_i w - y_i) x_i, and
records the mean gap L(w_t) - L* = mean of h/2 (w_t - w*)^2 over the runs. (The
Rust rows record more per step: sum, sum of squares, min, max and count.)

The data (x, y, w0, w*, h, lr, sizes) come from `sgd-lab bench --dump-data`, so both
sides simulate the same problem; the random streams differ (NumPy's PCG64 against
the simulator's per-run streams), so the two mean-gap curves agree statistically,
not bit for bit. One thread: NumPy's element-wise operations are single-threaded.

    python3 scripts/bench_numpy.py --data data.json [--reps 5] [--json]
    python3 scripts/bench_numpy.py            # runs target/release/sgd-lab bench --dump-data
"""

import argparse
import json
import os
import subprocess
import sys
import time


def load(args):
    if args.data:
        with open(args.data) as f:
            return json.load(f)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    exe = os.path.join(root, "target", "release", "sgd-lab")
    cmd = [exe, "bench", "--dump-data"] + (["--quick"] if args.quick else [])
    try:
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit(f"bench_numpy.py: cannot run {' '.join(cmd)} ({e}); build it "
                 "(cargo build --release) or pass --data FILE")
    return json.loads(out)


def ensemble(np, d, runs, steps, seed):
    """Mean gap at t = 0 .. steps of `runs` runs of SGD, vectorised across runs."""
    x = np.asarray(d["x"], dtype=np.float64)
    y = np.asarray(d["y"], dtype=np.float64)
    n = x.shape[0]
    lr, w_star, half_h = d["lr"], d["w_star"], 0.5 * d["h"]
    rng = np.random.default_rng(seed)
    w = np.full(runs, d["w0"], dtype=np.float64)
    mean_gap = np.empty(steps + 1)
    e = w - w_star
    mean_gap[0] = half_h * np.mean(e * e)
    for t in range(steps):
        i = rng.integers(0, n, size=runs)
        xi = x[i]
        w -= lr * ((xi * w - y[i]) * xi)
        e = w - w_star
        mean_gap[t + 1] = half_h * np.mean(e * e)
    return mean_gap


def median(v):
    s = sorted(v)
    m = len(s) // 2
    return s[m] if len(s) % 2 else 0.5 * (s[m - 1] + s[m])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", help="JSON printed by `sgd-lab bench --dump-data`")
    ap.add_argument("--quick", action="store_true",
                    help="without --data: the tiny sizes of `sgd-lab bench --quick`")
    ap.add_argument("--reps", type=int, default=5, help="timed repetitions (default 5)")
    ap.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = ap.parse_args()
    if args.reps < 1:
        sys.exit("bench_numpy.py: --reps must be at least 1")
    try:
        import numpy as np
    except ImportError:
        sys.exit("bench_numpy.py: NumPy is missing (python3 -m pip install numpy)")

    d = load(args)
    runs, steps = d["runs"], d["steps"]
    ensemble(np, d, runs, steps, 0)  # warm-up, untimed
    secs = []
    curve = None
    for rep in range(args.reps):
        start = time.perf_counter()
        curve = ensemble(np, d, runs, steps, rep)
        secs.append(time.perf_counter() - start)
    med = median(secs)
    marks = sorted({0, steps // 10, steps // 2, steps})
    result = {
        "id": "numpy",
        "name": "ensemble 1-D LS, NumPy vectorised across runs",
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "runs": runs,
        "steps": runs * steps,
        "reps": args.reps,
        "median_s": med,
        "min_s": min(secs),
        "steps_per_s": runs * steps / med,
        "secs": secs,
        "mean_gap_at": {str(t): float(curve[t]) for t in marks},
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"NumPy {np.__version__}, Python {result['python']}: {runs} runs x {steps} steps, "
              f"median of {args.reps}: {med * 1e3:.1f} ms, "
              f"{result['steps_per_s'] / 1e6:.1f} M steps/s")
        print("mean gap at " + ", ".join(f"t={t}: {curve[t]:.4g}" for t in marks))


if __name__ == "__main__":
    main()
