#!/usr/bin/env bash
# Installs what the web build and the browser tests need; idempotent and fast when
# everything is already there (each step checks before it installs):
#   1. the wasm32-unknown-unknown Rust target;
#   2. the wasm-bindgen CLI at exactly the version Cargo.lock pins;
#   3. Debian's chromium (+ chromium-driver) when /usr/bin/chromium is missing;
#   4. the npm dev dependencies (playwright-core, binaryen's wasm-opt, axe-core, terser) when
#      node_modules is missing or older than package-lock.json.
# Usage: bash scripts/setup.sh        (SKIP_CHROMIUM=1 to skip step 3)
set -euo pipefail

cd "$(dirname "$0")/.."
say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

# Cargo's bin directory is where `cargo install` puts wasm-bindgen; a fresh shell
# may not have it on PATH yet.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

command -v cargo >/dev/null || die "cargo not found: install Rust (https://rustup.rs) first"
command -v node >/dev/null || die "node not found: install Node.js 20 or newer first"
command -v npm >/dev/null || die "npm not found: install npm first"

# 1. The wasm target.
if command -v rustup >/dev/null; then
    if rustup target list --installed | grep -x wasm32-unknown-unknown >/dev/null; then
        say "wasm32-unknown-unknown target: present"
    else
        say "adding the wasm32-unknown-unknown target"
        rustup target add wasm32-unknown-unknown
    fi
elif ! rustc --print target-list >/dev/null 2>&1; then
    die "rustup not found and rustc unusable: cannot add the wasm32 target"
else
    say "no rustup: assuming the wasm32-unknown-unknown target comes with this rustc"
fi

# 2. The wasm-bindgen CLI, at the version of the wasm-bindgen crate in Cargo.lock
#    (the CLI refuses modules built by another version).
if [ ! -f Cargo.lock ]; then
    say "no Cargo.lock yet: generating it"
    cargo generate-lockfile
fi
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$want" ] || die "Cargo.lock names no wasm-bindgen crate"
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" = "$want" ]; then
    say "wasm-bindgen CLI $want: present"
else
    say "installing wasm-bindgen-cli $want (found: ${have:-none}; takes a few minutes)"
    # Not --locked: the CLI's own lockfile asks for a crate the registry lacks.
    cargo install wasm-bindgen-cli --version "=$want" --force
    have=$(wasm-bindgen --version | awk '{ print $2 }')
    [ "$have" = "$want" ] || die "wasm-bindgen --version says $have after installing $want"
fi

# 3. Chromium for the browser tests (Debian's package; playwright's own browser
#    download cannot work here).
if [ -x /usr/bin/chromium ]; then
    say "chromium: present ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))"
elif [ "${SKIP_CHROMIUM:-0}" = 1 ]; then
    say "chromium: missing, skipped (SKIP_CHROMIUM=1)"
else
    command -v apt-get >/dev/null || die "/usr/bin/chromium is missing and apt-get is not available"
    sudo=""
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null || die "installing chromium needs root (or sudo)"
        sudo="sudo"
    fi
    say "installing chromium (apt-get)"
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y chromium chromium-driver
    [ -x /usr/bin/chromium ] || die "apt-get installed chromium but /usr/bin/chromium is missing"
fi

# 4. npm dev dependencies. The stamp holds the hash of the lockfile node_modules
#    was installed from.
stamp=node_modules/.sgd-lab-install-stamp
if [ -f package-lock.json ]; then
    lock_hash=$(sha256sum package-lock.json package.json | sha256sum | awk '{ print $1 }')
    if [ -d node_modules ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_hash" ] \
        && [ -f node_modules/playwright-core/package.json ] && [ -f node_modules/binaryen/bin/wasm-opt ] \
        && [ -f node_modules/axe-core/axe.min.js ] && [ -f node_modules/terser/package.json ]; then
        say "npm packages: up to date"
    else
        say "installing npm packages (npm ci)"
        npm ci --no-audit --no-fund
        echo "$lock_hash" > "$stamp"
    fi
else
    say "no package-lock.json: npm install"
    npm install --no-audit --no-fund
    lock_hash=$(sha256sum package-lock.json package.json | sha256sum | awk '{ print $1 }')
    echo "$lock_hash" > "$stamp"
fi

say "done"
