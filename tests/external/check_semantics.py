#!/usr/bin/env python3
"""Independent re-implementation of the update rules, checked against `sgd-lab run`.

Pure Python (no NumPy, no project code): for each case, the CLI's result gives the
indices it drew; this script replays PyTorch's torch.optim.SGD rule (momentum,
dampening, Nesterov), GD, SVRG, SAG and SAGA on those indices from the scenario's data,
with the step-size schedules and iterate averaging written out from their textbook
definitions, and asserts that every iterate, every step size, every averaged iterate
agrees to 1e-10, that the cumulative gradient-evaluation counts are equal, and that the
loss gap L(w_t) − L* agrees with an exact rational computation to 1e-9 relative
(plus 1e-15 √gap, the error that rounding w* to doubles allows)
(fractions.Fraction: L* from the normal equations, L(w) summed over the samples).
Usage: check_semantics.py path/to/sgd-lab
"""
import json
import math
import subprocess
import sys
from fractions import Fraction

BIN = sys.argv[1] if len(sys.argv) > 1 else "target/release/sgd-lab"

X = [[1.0, 0.5], [0.2, 2.0], [1.5, -1.0], [-0.5, 0.3], [0.8, 0.8], [1.2, 0.1]]
Y = [1.0, 2.0, -1.0, 0.5, 0.0, 0.7]
N, D = len(X), 2


def grad_i(w, i):
    r = sum(X[i][k] * w[k] for k in range(D)) - Y[i]
    return [r * X[i][k] for k in range(D)]


def full_grad(w):
    g = [0.0] * D
    for i in range(N):
        gi = grad_i(w, i)
        for k in range(D):
            g[k] += gi[k] / N
    return g


STEPS = 60


def run_cli(method, schedule=None, averaging=None, steps=STEPS, w0=(0.3, -0.4), seed=7):
    doc = {"problem": {"kind": "least_squares", "x": X, "y": Y}, "method": method,
           "w0": list(w0), "steps": steps, "runs": 1, "seed": seed}
    if schedule:
        doc["schedule"] = schedule
    if averaging:
        doc["averaging"] = averaging
    out = subprocess.run([BIN, "run", "-"], input=json.dumps(doc), capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["runs"][0]


def schedule_lr(schedule, lr, t, total=STEPS):
    """η_t for step t = 0, 1, … from the schedule's definition (docs/SCENARIO.md)."""
    kind = (schedule or {"kind": "constant"})["kind"]
    if kind == "constant":
        return lr
    if kind == "inverse_time":
        return lr / (1 + t / schedule["t0"])
    if kind == "inverse_sqrt":
        return lr / math.sqrt(1 + t / schedule["t0"])
    if kind == "exponential":
        return lr * schedule["gamma"] ** t
    if kind == "step":
        return lr * schedule["gamma"] ** (t // schedule["every"])
    if kind == "cosine":
        s = schedule.get("steps") or total
        return lr * 0.5 * (1 + math.cos(math.pi * min(t / s, 1.0)))
    raise ValueError(kind)


def average(averaging, path):
    """u_t of every iterate: Polyak–Ruppert from step k (u_t = w_t up to k) or an EMA."""
    if not averaging:
        return None
    if averaging["kind"] == "polyak":
        k = averaging["start"]
        out = []
        for t in range(len(path)):
            tail = path[k:t + 1] if t > k else [path[t]]
            out.append([sum(w[j] for w in tail) / len(tail) for j in range(D)])
        return out
    beta, u, out = averaging["decay"], list(path[0]), [list(path[0])]
    for w in path[1:]:
        u = [beta * u[j] + (1 - beta) * w[j] for j in range(D)]
        out.append(u)
    return out


def exact_gap(w):
    """L(w) − L* in exact rational arithmetic: L* from the 2×2 normal equations."""
    xs = [[Fraction(v) for v in row] for row in X]
    ys = [Fraction(v) for v in Y]
    a = [[sum(r[i] * r[j] for r in xs) for j in range(D)] for i in range(D)]
    b = [sum(r[i] * y for r, y in zip(xs, ys)) for i in range(D)]
    det = a[0][0] * a[1][1] - a[0][1] * a[1][0]
    w_star = [(b[0] * a[1][1] - b[1] * a[0][1]) / det, (a[0][0] * b[1] - a[1][0] * b[0]) / det]

    def loss(v):
        return sum((sum(r[k] * v[k] for k in range(D)) - y) ** 2 for r, y in zip(xs, ys)) / (2 * N)

    return loss([Fraction(v) for v in w]) - loss(w_star)


def pytorch_sgd(method, indices, w0, sched=None, full=False):
    lr, mu = method["lr"], method.get("momentum", 0.0)
    damp, nest = method.get("dampening", 0.0), method.get("nesterov", False)
    w, buf, path, evals = list(w0), None, [list(w0)], [0]
    for t, batch in enumerate(indices):
        evals.append(evals[-1] + (N if full else len(batch)))
        if full:
            g = full_grad(w)
        else:
            g = [0.0] * D
            for i in batch:
                gi = grad_i(w, i)
                for k in range(D):
                    g[k] += gi[k] / len(batch)
        if mu != 0.0:
            buf = list(g) if buf is None else [mu * buf[k] + (1 - damp) * g[k] for k in range(D)]
            g = [g[k] + mu * buf[k] for k in range(D)] if nest else buf
        eta = schedule_lr(sched, lr, t)
        w = [w[k] - eta * g[k] for k in range(D)]
        path.append(w)
    return path, evals


def svrg(method, indices, w0, sched=None):
    lr, inner = method["lr"], method["inner"]
    w, path, snap, mu, evals = list(w0), [list(w0)], None, None, [0]
    for t, batch in enumerate(indices):
        cost = 2 * len(batch)
        if t % inner == 0:
            snap, mu = list(w), full_grad(w)
            cost += N
        evals.append(evals[-1] + cost)
        g = list(mu)
        for i in batch:
            a, b = grad_i(w, i), grad_i(snap, i)
            for k in range(D):
                g[k] += (a[k] - b[k]) / len(batch)
        eta = schedule_lr(sched, lr, t)
        w = [w[k] - eta * g[k] for k in range(D)]
        path.append(w)
    return path, evals


def sag(method, indices, w0, sched=None):
    """SAG (Le Roux, Schmidt, Bach): the table starts with every gradient at w0 (n
    evaluations at the first step); each step replaces the batch's rows and steps along
    the table's mean."""
    lr = method["lr"]
    w, path, evals = list(w0), [list(w0)], [0]
    table = [grad_i(w, i) for i in range(N)]
    for t, batch in enumerate(indices):
        evals.append(evals[-1] + len(batch) + (N if t == 0 else 0))
        for i in batch:
            table[i] = grad_i(w, i)
        g = [sum(table[i][k] for i in range(N)) / N for k in range(D)]
        eta = schedule_lr(sched, lr, t)
        w = [w[k] - eta * g[k] for k in range(D)]
        path.append(w)
    return path, evals


def saga(method, indices, w0, sched=None):
    lr = method["lr"]
    w, path, evals = list(w0), [list(w0)], [0]
    table = [grad_i(w, i) for i in range(N)]
    for t, batch in enumerate(indices):
        evals.append(evals[-1] + len(batch) + (N if t == 0 else 0))
        mean = [sum(table[i][k] for i in range(N)) / N for k in range(D)]
        fresh = [grad_i(w, i) for i in batch]
        g = [mean[k] + sum(f[k] - table[i][k] for f, i in zip(fresh, batch)) / len(batch) for k in range(D)]
        for f, i in zip(fresh, batch):
            table[i] = f
        eta = schedule_lr(sched, lr, t)
        w = [w[k] - eta * g[k] for k in range(D)]
        path.append(w)
    return path, evals


def gd(method, indices, w0, sched=None):
    return pytorch_sgd(method, indices, w0, sched, full=True)


SGD1 = {"kind": "sgd", "lr": 0.1, "batch": 1}
# (name, method, replay, schedule, averaging)
CASES = [
    ("sgd", SGD1, pytorch_sgd, None, None),
    ("sgd b=3", {"kind": "sgd", "lr": 0.1, "batch": 3}, pytorch_sgd, None, None),
    ("momentum", {"kind": "sgd", "lr": 0.05, "batch": 2, "momentum": 0.9}, pytorch_sgd, None, None),
    ("momentum+dampening", {"kind": "sgd", "lr": 0.05, "batch": 2, "momentum": 0.8, "dampening": 0.3},
     pytorch_sgd, None, None),
    ("nesterov", {"kind": "sgd", "lr": 0.05, "batch": 2, "momentum": 0.9, "nesterov": True}, pytorch_sgd, None, None),
    ("nesterov without replacement", {"kind": "sgd", "lr": 0.05, "batch": 4, "momentum": 0.7, "nesterov": True,
                                      "sampling": "without_replacement"}, pytorch_sgd, None, None),
    ("cyclic", {"kind": "sgd", "lr": 0.1, "batch": 4, "sampling": "cyclic"}, pytorch_sgd, None, None),
    ("shuffle once", {"kind": "sgd", "lr": 0.1, "batch": 4, "sampling": "shuffle_once"}, pytorch_sgd, None, None),
    ("gd", {"kind": "gd", "lr": 0.2}, gd, None, None),
    ("gd nesterov", {"kind": "gd", "lr": 0.2, "momentum": 0.5, "nesterov": True}, gd, None, None),
    ("svrg", {"kind": "svrg", "lr": 0.1, "batch": 2, "inner": 7}, svrg, None, None),
    ("sag", {"kind": "sag", "lr": 0.1, "batch": 2}, sag, None, None),
    ("saga", {"kind": "saga", "lr": 0.1, "batch": 2}, saga, None, None),
    ("sgd 1/t", SGD1, pytorch_sgd, {"kind": "inverse_time", "t0": 5}, None),
    ("sgd 1/sqrt(t)", SGD1, pytorch_sgd, {"kind": "inverse_sqrt", "t0": 3}, None),
    ("sgd exponential", SGD1, pytorch_sgd, {"kind": "exponential", "gamma": 0.97}, None),
    ("sgd step decay", SGD1, pytorch_sgd, {"kind": "step", "every": 7, "gamma": 0.5}, None),
    ("sgd cosine", SGD1, pytorch_sgd, {"kind": "cosine"}, None),
    ("sag 1/t", {"kind": "sag", "lr": 0.2, "batch": 1}, sag, {"kind": "inverse_time", "t0": 10}, None),
    ("sgd polyak from 0", SGD1, pytorch_sgd, None, {"kind": "polyak", "start": 0}),
    ("sgd polyak from 20 (SWA)", SGD1, pytorch_sgd, None, {"kind": "polyak", "start": 20}),
    ("sgd ema 0.9", SGD1, pytorch_sgd, None, {"kind": "ema", "decay": 0.9}),
    ("momentum 1/t + ema", {"kind": "sgd", "lr": 0.05, "batch": 2, "momentum": 0.9}, pytorch_sgd,
     {"kind": "inverse_time", "t0": 20}, {"kind": "ema", "decay": 0.8}),
]


def max_abs(a, b):
    return max((abs(x - y) for p, q in zip(a, b) for x, y in zip(p, q)), default=0.0)


def check(name, method, replay, sched, avg):
    run = run_cli(method, sched, avg)
    w0 = run["w"][0]
    want, evals = replay(method, run["indices"], w0, sched)
    problems = []
    err = max_abs(run["w"], want)
    if len(run["w"]) != len(want) or err > 1e-10:
        problems.append(f"w off by {err:.2e}")
    lrs = [schedule_lr(sched, method["lr"], t) for t in range(len(want) - 1)]
    lr_err = max((abs(a - b) for a, b in zip(run["lr"], lrs)), default=0.0)
    if len(run["lr"]) != len(lrs) or lr_err > 1e-12:
        problems.append(f"step sizes off by {lr_err:.2e}")
    sampling = method.get("sampling")
    if sampling in ("without_replacement", "shuffle_once", "cyclic"):
        # Each epoch (⌈n/b⌉ batches) visits every sample once; shuffled once repeats
        # its first epoch's order, cyclic is 0 … n−1.
        per = -(-len(X) // method.get("batch", 1))
        idx = run["indices"]
        epochs = [sum(idx[k:k + per], []) for k in range(0, len(idx) - per + 1, per)]
        if any(sorted(e) != list(range(len(X))) for e in epochs):
            problems.append(f"{sampling}: an epoch is not a permutation")
        if sampling == "shuffle_once" and any(e != epochs[0] for e in epochs):
            problems.append("shuffle_once: the epochs' orders differ")
        if sampling == "cyclic" and any(e != list(range(len(X))) for e in epochs):
            problems.append("cyclic: not in order")
    if run["grad_evals"] != evals:
        problems.append(f"grad_evals {run['grad_evals'][:4]}… vs {evals[:4]}…")
    # The CLI's w* is the exact minimiser rounded to doubles (an error δ ~ 1e-16), so
    # its gap ½ eᵀHe carries an error ~ ‖H e‖ δ ~ √gap · 1e-16 besides the relative
    # rounding: near w* (GD reaches gaps of 1e-24 here) that term dominates.
    gap_err = 0.0
    for g, w in zip(run["gap"], run["w"]):
        exact = float(exact_gap(w))
        gap_err = max(gap_err, abs(g - exact) / (1e-9 * exact + 1e-15 * math.sqrt(exact) + 1e-300))
    if gap_err > 1:
        problems.append(f"gap off by {gap_err:.2f} × (1e-9 gap + 1e-15 √gap)")
    if avg:
        u = average(avg, want)
        u_err = max_abs(run["avg_w"], u)
        if len(run["avg_w"]) != len(u) or u_err > 1e-10:
            problems.append(f"avg_w off by {u_err:.2e}")
    elif "avg_w" in run and run["avg_w"] is not None:
        problems.append("avg_w present without averaging")
    return err, len(want) - 1, problems


def main():
    passed = failed = 0
    for name, method, replay, sched, avg in CASES:
        err, steps, problems = check(name, method, replay, sched, avg)
        ok = not problems
        detail = "" if ok else ": " + "; ".join(problems)
        print(f"{'ok  ' if ok else 'FAIL'} {name:<32} max |Δw| = {err:.2e} over {steps} steps{detail}")
        passed, failed = passed + ok, failed + (not ok)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
