#!/usr/bin/env bash
# The browser tests: installs what is missing (scripts/setup.sh, Chromium included),
# builds dist/ and the sgd-lab command line (target/debug), then runs
# tests/browser/*.test.mjs with node's test runner against headless Debian Chromium.
# Screenshots land in artifacts/screenshots/.
#   bash scripts/test-browser.sh [node --test options, e.g. --test-name-pattern=embed]
#   SKIP_BUILD=1 bash scripts/test-browser.sh    reuses the current dist/
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    SGD_LAB_SKIP_SETUP=1 bash scripts/build-web.sh
fi
# The command line, whose numbers the lab pages' CSV exports are compared with.
cargo build --bin sgd-lab
mkdir -p artifacts/screenshots
# The files, not the directory: node 20 and node 22 expand a directory differently.
# --test-timeout bounds each test *file* too (node runs a file as one test): a file
# of many lab tests on a busy 2-core machine passed 120 s once, so the limit is generous;
# every page wait inside the tests has its own, shorter timeout.
exec node --test --test-concurrency=1 --test-timeout=600000 "$@" tests/browser/*.test.mjs
