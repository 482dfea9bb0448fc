#!/usr/bin/env bash
# Mutation testing of the numerical core with cargo-mutants (not in CI: it is slow).
# Each area below is mutated on its own and tested with the core suite's test targets,
# so that one mutant costs one incremental build and a few seconds of tests rather
# than the whole suite (WebAssembly, browser, fuzzing).
#   bash scripts/mutants.sh                       every area, 60 minutes in all
#   bash scripts/mutants.sh --budget 20 schedule  one area, at most 20 minutes
#   bash scripts/mutants.sh --list                the areas and their mutant counts
# Mutants are tested in random order, so a run cut short by the budget is a random
# sample. Results: mutants.out/<area>/ (cargo-mutants' own files: caught.txt,
# missed.txt, timeout.txt, unviable.txt) and one summary line per area, printed at the
# end as a Markdown table (docs/MUTANTS.md holds the figures).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

version=27.1.0
if ! cargo mutants --version 2>/dev/null | grep -q "$version"; then
    echo "installing cargo-mutants $version (cargo install, about 3 minutes)" >&2
    cargo install --locked --quiet cargo-mutants --version "$version"
fi

# area | files (globs, space-separated) | test targets (lib: the unit tests). Every
# area runs the same core suite: the tests that are meant to pin numbers (the slow
# fuzzing, the CLI's process tests and the WebAssembly and browser suites are left out).
core="closed_forms scenario theory theory_pair compare divergence ensemble_lanes ensemble_stats golden lab_numbers lab_csv_cli labs labs_per_sample_step_size"
areas=(
    "theory|src/theory.rs|$core"
    "method|src/method/**|$core"
    "sampler|src/sampler.rs|$core"
    "schedule|src/schedule.rs|$core"
    "averaging|src/averaging.rs|$core"
    "ensemble|src/ensemble/**|$core"
    "problem|src/problem/**|$core"
    "kernel|kernel/src/**|lib $core"
)

budget=60
list=false
only=()
while [ $# -gt 0 ]; do
    case "$1" in
        --budget) budget="$2"; shift 2 ;;
        --list) list=true; shift ;;
        -*) echo "usage: bash scripts/mutants.sh [--budget MINUTES] [--list] [AREA...]" >&2; exit 2 ;;
        *) only+=("$1"); shift ;;
    esac
done

selected=()
for a in "${areas[@]}"; do
    name=${a%%|*}
    if [ ${#only[@]} -eq 0 ] || printf '%s\n' "${only[@]}" | grep -qx "$name"; then
        selected+=("$a")
    fi
done
[ ${#selected[@]} -gt 0 ] || { echo "no such area; known: $(printf '%s ' "${areas[@]%%|*}")" >&2; exit 2; }

file_args() {
    local f
    for f in $1; do printf -- '-f\n%s\n' "$f"; done
}

if $list; then
    for a in "${selected[@]}"; do
        IFS='|' read -r name files tests <<<"$a"
        mapfile -t fa < <(file_args "$files")
        n=$(cargo mutants --list --workspace "${fa[@]}" 2>/dev/null | wc -l)
        echo "$name: $n mutants in $files; tests: $tests"
    done
    exit 0
fi

# The budget is shared out in proportion to nothing cleverer than equal parts.
per_area=$(( budget * 60 / ${#selected[@]} ))
rows=()
for a in "${selected[@]}"; do
    IFS='|' read -r name files tests <<<"$a"
    mapfile -t fa < <(file_args "$files")
    targs=()
    for t in $tests; do
        if [ "$t" = lib ]; then targs+=(--lib); else targs+=(--test "$t"); fi
    done
    out="mutants.out/$name"
    rm -rf "$out"
    mkdir -p "$out"
    echo "== $name ($files; tests: $tests; at most ${per_area}s)" >&2
    start=$(date +%s)
    # --baseline skip: bash scripts/test.sh is the baseline; -j 1 keeps one build at a
    # time (2 cores); each mutant's tests time out after 120 s.
    timeout --signal=INT "$per_area" cargo mutants --workspace "${fa[@]}" \
        --baseline skip --timeout 120 --build-timeout 600 -j 1 --output "$out" \
        --test-workspace true -- "${targs[@]}" >"$out/log.txt" 2>&1 || true
    secs=$(( $(date +%s) - start ))
    total=$(cargo mutants --list --workspace "${fa[@]}" 2>/dev/null | wc -l)
    count() { [ -f "$out/mutants.out/$1.txt" ] && wc -l <"$out/mutants.out/$1.txt" || echo 0; }
    caught=$(count caught); missed=$(count missed); timeout_n=$(count timeout); unviable=$(count unviable)
    tested=$(( caught + missed + timeout_n + unviable ))
    rows+=("| $name | $total | $tested | $caught | $missed | $timeout_n | $unviable | ${secs} s |")
done

echo
echo "| area | mutants | tested | caught | missed | timeout | unviable | time |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
echo
echo "Missed mutants: mutants.out/<area>/mutants.out/missed.txt"
