#!/usr/bin/env bash
# Measures the simulator side by side with the same ensemble written in NumPy and
# prints one table of medians (the figures in docs/BENCHMARKS.md come from it).
#   bash scripts/bench.sh            full sizes, about a minute
#   bash scripts/bench.sh --quick    tiny sizes, a smoke test of the whole pipeline
# Rust and NumPy take turns, ROUNDS times, so that both see the same machine; the
# medians are over all their repetitions. Idempotent: it builds, installs NumPy if
# missing, measures and prints; it writes nothing but a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

quick=()
rounds=3
for arg in "$@"; do
    case "$arg" in
        --quick) quick=(--quick); rounds=1 ;;
        *) echo "usage: bash scripts/bench.sh [--quick]" >&2; exit 2 ;;
    esac
done

cargo build --release --quiet
bin=target/release/sgd-lab

if ! python3 -c 'import numpy' 2>/dev/null; then
    echo "installing NumPy (python3 -m pip install numpy)" >&2
    python3 -m pip install --quiet numpy || python3 -m pip install --quiet --user numpy
fi

# NumPy's element-wise operations are single-threaded; keep any BLAS pool quiet too.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" bench ${quick[@]+"${quick[@]}"} --dump-data > "$tmp/data.json"
for round in $(seq "$rounds"); do
    echo "round $round of $rounds: sgd-lab bench, then NumPy" >&2
    "$bin" bench ${quick[@]+"${quick[@]}"} --json > "$tmp/rust-$round.json"
    python3 scripts/bench_numpy.py --data "$tmp/data.json" --json > "$tmp/numpy-$round.json"
done

python3 - "$tmp" "$rounds" "$(rustc --version)" <<'EOF'
import json, sys
tmp, rounds, rustc = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rust = [json.load(open(f"{tmp}/rust-{r}.json")) for r in range(1, rounds + 1)]
numpy = [json.load(open(f"{tmp}/numpy-{r}.json")) for r in range(1, rounds + 1)]

def median(v):
    s = sorted(v)
    m = len(s) // 2
    return s[m] if len(s) % 2 else 0.5 * (s[m - 1] + s[m])

rows = []
for i, row in enumerate(rust[0]["rows"]):
    secs = [s for r in rust for s in r["rows"][i]["secs"]]
    rows.append((row["id"], row["name"], row["steps"], secs))
rows.insert(2, ("numpy", numpy[0]["name"], numpy[0]["steps"],
                [s for r in numpy for s in r["secs"]]))
rate = {rid: steps / median(secs) for rid, _, steps, secs in rows}

m = rust[0]["machine"]
e = rust[0]["ensemble"]
print(f"machine: {m['cpu']}, {m['cores']} logical CPUs; one thread per measurement")
print(f"{rustc}; NumPy {numpy[0]['numpy']}, Python {numpy[0]['python']}")
print(f"ensemble: {e['runs']} runs x {e['steps']} steps, n = {e['n']}; "
      f"{rounds} round(s) of Rust then NumPy; medians over all repetitions")
print()
print(f"| {'case':<52} | {'steps':>10} | {'reps':>4} | {'median':>10} | {'steps/s':>10} | {'÷ NumPy':>7} | {'÷ ref×8':>7} |")
print(f"|{'-' * 54}|{'-' * 12}:|{'-' * 5}:|{'-' * 11}:|{'-' * 11}:|{'-' * 8}:|{'-' * 8}:|")
for rid, name, steps, secs in rows:
    med = median(secs)
    r = rate[rid]
    print(f"| {name:<52} | {steps:>10} | {len(secs):>4} | {med * 1e3:>7.2f} ms | {r / 1e6:>8.1f} M "
          f"| {r / rate['numpy']:>7.2f} | {r / rate['reference_interleaved']:>7.2f} |")
print()
print(f"Rust ensemble (interleaved kernel) / NumPy: {rate['ensemble_kernel'] / rate['numpy']:.2f}x")
print(f"Rust ensemble / hand-written 8-way interleaved loop: "
      f"{rate['ensemble_kernel'] / rate['reference_interleaved']:.2f}")
ok = all(r["identical"] for r in rust)
print(f"interleaved kernel bit-identical to Ensemble::generic and the hand-written loops: "
      f"{'yes' if ok else 'NO'}")
marks = sorted(rust[-1]["mean_gap_at"], key=int)
print("mean gap (Rust / NumPy, same data, different random streams): " + ", ".join(
    f"t={t}: {rust[-1]['mean_gap_at'][t]:.4g} / {numpy[-1]['mean_gap_at'][t]:.4g}" for t in marks))
sys.exit(0 if ok else 1)
EOF
