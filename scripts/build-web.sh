#!/usr/bin/env bash
# Builds the static site into dist/ (the README's build-only command):
#   dist/index.html, dist/embed.html, dist/www/…  the pages (relative URLs only)
#   dist/pkg/sgd_lab.js, dist/pkg/sgd_lab_bg.wasm the Rust core (wasm-bindgen --target web)
#   dist/www/thumbs/<lab>.svg                     the landing page's pictures (sgd-lab thumbs)
#   dist/sw.js                                    the service worker (offline once opened)
#   dist/questions.html, dist/kit.html            every lab's questions; the course kit
#   dist/sgd-lab.html                             everything in one file, works from file://
# Steps: cargo (profile wasm-release: opt-level "z", the kernel crate at 3, +simd128) → wasm-bindgen
# (web and no-modules) → binaryen's wasm-opt -Oz from node_modules (never a wasm-opt
# from PATH: Debian's breaks the page) → copy the pages → terser on the served JavaScript → the landing page's pictures
# (sgd-lab thumbs, the native command line in the debug profile) → preload links in the
# pages (scripts/preload.mjs) → the service worker → scripts/inline.mjs.
# First runs scripts/setup.sh without the browser (SKIP_CHROMIUM=1): a fresh machine
# gets the wasm target, the wasm-bindgen CLI and the npm packages; a set-up one loses
# a fraction of a second (SGD_LAB_SKIP_SETUP=1 skips even that).
# Intermediate files go to target/web/ (or $CARGO_TARGET_DIR/web/); dist/ is replaced
# at the end in one move.
set -euo pipefail

cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
say() { printf 'build-web: %s\n' "$*"; }
die() { printf 'build-web: error: %s\n' "$*" >&2; exit 1; }

PROFILE=wasm-release
TARGET=wasm32-unknown-unknown
WASM_OPT=node_modules/binaryen/bin/wasm-opt
TARGET_DIR=${CARGO_TARGET_DIR:-target}
WORK=$TARGET_DIR/web
OUT=dist

if [ "${SGD_LAB_SKIP_SETUP:-0}" != 1 ]; then
    SKIP_CHROMIUM=1 bash scripts/setup.sh
fi
command -v wasm-bindgen >/dev/null || die "wasm-bindgen not found: run bash scripts/setup.sh"
[ -f "$WASM_OPT" ] || die "$WASM_OPT not found: run bash scripts/setup.sh"
for f in index.html embed.html sw.js www/main.js www/loader.js www/loader-single.js www/style.css; do
    [ -f "$f" ] || die "$f is missing"
done

say "cargo build --profile $PROFILE --lib --target $TARGET"
# SIMD128 (every current browser: Chrome/Edge 91+, Firefox 89+, Safari 16.4+) lets the
# ensemble kernel pair its lanes, as SSE2 does natively; results are the same bits.
RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+simd128" \
    cargo build --profile "$PROFILE" --lib --target "$TARGET"
raw="$TARGET_DIR/$TARGET/$PROFILE/sgd_lab.wasm"

rm -rf "$WORK"
mkdir -p "$WORK/web" "$WORK/nomodules"
say "wasm-bindgen $(wasm-bindgen --version | awk '{ print $2 }') --target web, then --target no-modules"
wasm-bindgen --target web --no-typescript --out-dir "$WORK/web" "$raw"
wasm-bindgen --target no-modules --no-typescript --out-dir "$WORK/nomodules" "$raw"

say "wasm-opt -Oz (npm binaryen $(node -p 'require("./node_modules/binaryen/package.json").version'))"
before_opt=$(wc -c < "$WORK/web/sgd_lab_bg.wasm")
# The ensemble kernels stay functions of their own (wasm-opt would inline each into its
# one caller, a large function that V8 then compiles less well).
wasm_opt() { node "$WASM_OPT" --no-inline='*block_impl*' ${WASM_OPT_LEVEL:--Oz} --strip-debug --strip-producers "$1" -o "$1.opt" && mv "$1.opt" "$1"; }
# Both targets usually emit the same module: optimise it once then.
if cmp -s "$WORK/web/sgd_lab_bg.wasm" "$WORK/nomodules/sgd_lab_bg.wasm"; then
    wasm_opt "$WORK/web/sgd_lab_bg.wasm"
    cp "$WORK/web/sgd_lab_bg.wasm" "$WORK/nomodules/sgd_lab_bg.wasm"
else
    wasm_opt "$WORK/web/sgd_lab_bg.wasm"
    wasm_opt "$WORK/nomodules/sgd_lab_bg.wasm"
fi

say "assembling $OUT/"
stage="$WORK/dist"
mkdir -p "$stage/pkg" "$stage/www"
cp "$WORK/web/sgd_lab.js" "$WORK/web/sgd_lab_bg.wasm" "$stage/pkg/"
cp index.html embed.html "$stage/"
# Everything in www/ except what only the single file uses.
cp -R www/. "$stage/www/"
rm -f "$stage/www/loader-single.js"
# The served modules minified (terser from node_modules, per file, as ES modules: the
# imports and exports stay, comments and whitespace go; #10's page-size goal). The
# sources in www/ are what the single file bundles and what a reader opens.
say "terser (npm terser $(node -p 'require("./node_modules/terser/package.json").version'))"
for f in "$stage"/www/*.js "$stage/pkg/sgd_lab.js"; do
    node_modules/.bin/terser "$f" --module --compress --mangle --output "$f.min"
    mv "$f.min" "$f"
done
# The landing page's pictures, drawn by the core (the native command line, the same
# drawing code as the page's canvases): www/thumbs/<lab>.svg.
say "sgd-lab thumbs (the landing page's pictures)"
cargo build --quiet --bin sgd-lab
"$TARGET_DIR/debug/sgd-lab" thumbs --out "$stage/www/thumbs"
# Every lab's predict-then-reveal questions on one page, for instructors.
"$TARGET_DIR/debug/sgd-lab" questions --html > "$stage/questions.html"
# The course kit: every lab's claim, questions, embed snippet and slide command.
"$TARGET_DIR/debug/sgd-lab" kit > "$stage/kit.html"
# Every module and the wasm named in the pages' <head>, so the browser fetches them
# at once instead of one import level at a time (#8's first chart).
node scripts/preload.mjs "$stage"
# The service worker, with the list of files to cache and a version that changes
# whenever one of them does (sw.js says why).
node scripts/write-sw.mjs "$stage"
node scripts/inline.mjs --html index.html \
    --glue "$WORK/nomodules/sgd_lab.js" --wasm "$WORK/nomodules/sgd_lab_bg.wasm" \
    --thumbs "$stage/www/thumbs" \
    --out "$stage/sgd-lab.html"

# Swap in the new dist/ in one move, so a server running on it never sees half.
if [ -d "$OUT" ]; then
    rm -rf "$WORK/dist.old"
    mv "$OUT" "$WORK/dist.old"
fi
mv "$stage" "$OUT"
rm -rf "$WORK/dist.old"

gz() { gzip -9c "$@" | wc -c; }
kb() { awk -v b="$1" 'BEGIN { printf "%7.1f KB", b / 1024 }'; }
size() { wc -c < "$1"; }
page_files=$(find "$OUT" -type f ! -name 'sgd-lab.html' ! -name 'embed.html' | sort)
page_raw=0; page_gz=0
for f in $page_files; do
    page_raw=$((page_raw + $(size "$f")))
    page_gz=$((page_gz + $(gz "$f")))
done
say "sizes (raw / gzip -9):"
printf '  %-34s %s (cargo) → %s (wasm-bindgen) → wasm-opt:\n' "wasm" "$(kb "$(size "$raw")")" "$(kb "$before_opt")"
printf '  %-34s %s / %s\n' "dist/pkg/sgd_lab_bg.wasm" "$(kb "$(size "$OUT/pkg/sgd_lab_bg.wasm")")" "$(kb "$(gz "$OUT/pkg/sgd_lab_bg.wasm")")"
printf '  %-34s %s / %s\n' "landing page, every file it loads" "$(kb "$page_raw")" "$(kb "$page_gz")"
printf '  %-34s %s / %s\n' "dist/sgd-lab.html (single file)" "$(kb "$(size "$OUT/sgd-lab.html")")" "$(kb "$(gz "$OUT/sgd-lab.html")")"
say "done: serve with  node scripts/serve.mjs $OUT"
