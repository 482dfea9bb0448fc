#!/usr/bin/env bash
# The README's first command: installs what is missing (wasm target, wasm-bindgen CLI,
# npm packages; not the browser, which only the tests need), builds dist/ and serves
# it on http://127.0.0.1 (prints the URL).
#   bash scripts/start.sh [--port P]      (default 8000, or the next free port)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-web.sh        # runs scripts/setup.sh first
exec node scripts/serve.mjs "$@" dist
