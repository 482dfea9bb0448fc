#!/usr/bin/env bash
# Runs every test of SGD Lab. On a fresh machine it first installs what it needs
# (scripts/setup.sh: wasm target, the wasm-bindgen CLI at the Cargo.lock version,
# Debian's chromium, npm packages). Plain, idempotent, the same here and in CI.
#   bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
start=$(date +%s)
step() { printf '\n== %s (%ss)\n' "$*" "$(( $(date +%s) - start ))"; }

step "set-up"
bash scripts/setup.sh

step "formatting (cargo fmt --check)"
cargo fmt --all -- --check

step "lints (cargo clippy, warnings are errors)"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "native tests: core, theory, scenario format, CLI, fuzzing"
cargo test --workspace --all-targets

step "external check: an independent Python replay of the update rules"
python3 tests/external/check_semantics.py target/debug/sgd-lab

step "benchmark smoke test (figures come from scripts/bench.sh)"
target/debug/sgd-lab bench --quick

step "WebAssembly: same bits as native, binding tests (wasm-bindgen-test in node)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    cargo test --release --target wasm32-unknown-unknown --test wasm_parity --test wasm_binding

step "browser tests (headless Chromium)"
bash scripts/test-browser.sh

step "all tests passed"
