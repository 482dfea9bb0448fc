#!/usr/bin/env bash
# The web benchmark (see scripts/bench-web.mjs): installs what is missing, builds the
# app and the native CLI, then measures in headless Chromium. `--quick` for a smoke run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-web.sh
cargo build --release --quiet
exec node scripts/bench-web.mjs "$@"
