#!/usr/bin/env python3
"""Independent re-implementation of the update rules, checked against `sgd-lab run`.

Pure Python (no NumPy, no project code): for each case, the CLI's result gives the
indices it drew; this script replays PyTorch's torch.optim.SGD rule (momentum,
dampening, Nesterov), GD, SVRG and SAGA on those indices from the scenario's data and
asserts every iterate agrees to 1e-10. Usage: check_semantics.py path/to/sgd-lab
"""
import json
import subprocess
import sys

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


def run_cli(method, steps=60, w0=(0.3, -0.4), seed=7):
    doc = {"problem": {"kind": "least_squares", "x": X, "y": Y}, "method": method,
           "w0": list(w0), "steps": steps, "runs": 1, "seed": seed}
    out = subprocess.run([BIN, "run", "-"], input=json.dumps(doc), capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["runs"][0]


def pytorch_sgd(method, indices, w0, full=False):
    lr, mu = method["lr"], method.get("momentum", 0.0)
    damp, nest = method.get("dampening", 0.0), method.get("nesterov", False)
    w, buf, path = list(w0), None, [list(w0)]
    for batch in indices:
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
        w = [w[k] - lr * g[k] for k in range(D)]
        path.append(w)
    return path


def svrg(method, indices, w0):
    lr, inner = method["lr"], method["inner"]
    w, path, snap, mu = list(w0), [list(w0)], None, None
    for t, batch in enumerate(indices):
        if t % inner == 0:
            snap, mu = list(w), full_grad(w)
        g = list(mu)
        for i in batch:
            a, b = grad_i(w, i), grad_i(snap, i)
            for k in range(D):
                g[k] += (a[k] - b[k]) / len(batch)
        w = [w[k] - lr * g[k] for k in range(D)]
        path.append(w)
    return path


def saga(method, indices, w0):
    lr = method["lr"]
    w, path = list(w0), [list(w0)]
    table = [grad_i(w, i) for i in range(N)]
    for batch in indices:
        mean = [sum(table[i][k] for i in range(N)) / N for k in range(D)]
        fresh = [grad_i(w, i) for i in batch]
        g = [mean[k] + sum(f[k] - table[i][k] for f, i in zip(fresh, batch)) / len(batch) for k in range(D)]
        for f, i in zip(fresh, batch):
            table[i] = f
        w = [w[k] - lr * g[k] for k in range(D)]
        path.append(w)
    return path


CASES = [
    ("sgd", {"kind": "sgd", "lr": 0.1, "batch": 1}, pytorch_sgd),
    ("sgd b=3", {"kind": "sgd", "lr": 0.1, "batch": 3}, pytorch_sgd),
    ("momentum", {"kind": "sgd", "lr": 0.05, "batch": 2, "momentum": 0.9}, pytorch_sgd),
    ("momentum+dampening", {"kind": "sgd", "lr": 0.05, "batch": 2, "momentum": 0.8, "dampening": 0.3}, pytorch_sgd),
    ("nesterov", {"kind": "sgd", "lr": 0.05, "batch": 2, "momentum": 0.9, "nesterov": True}, pytorch_sgd),
    ("nesterov without replacement", {"kind": "sgd", "lr": 0.05, "batch": 4, "momentum": 0.7, "nesterov": True,
                                      "sampling": "without_replacement"}, pytorch_sgd),
    ("cyclic", {"kind": "sgd", "lr": 0.1, "batch": 4, "sampling": "cyclic"}, pytorch_sgd),
    ("gd", {"kind": "gd", "lr": 0.2}, lambda m, idx, w0: pytorch_sgd(m, idx, w0, full=True)),
    ("gd nesterov", {"kind": "gd", "lr": 0.2, "momentum": 0.5, "nesterov": True},
     lambda m, idx, w0: pytorch_sgd(m, idx, w0, full=True)),
    ("svrg", {"kind": "svrg", "lr": 0.1, "batch": 2, "inner": 7}, svrg),
    ("saga", {"kind": "saga", "lr": 0.1, "batch": 2}, saga),
]


def main():
    passed = failed = 0
    for name, method, replay in CASES:
        run = run_cli(method)
        w0 = run["w"][0]
        want = replay(method, run["indices"], w0)
        err = max(abs(a - b) for p, q in zip(run["w"], want) for a, b in zip(p, q))
        ok = len(run["w"]) == len(want) and err <= 1e-10
        print(f"{'ok  ' if ok else 'FAIL'} {name:<32} max |Δw| = {err:.2e} over {len(want) - 1} steps")
        passed, failed = passed + ok, failed + (not ok)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
