// Loads the Rust core for the web build: the wasm-bindgen `--target web` glue in
// ../pkg fetches ../pkg/sgd_lab_bg.wasm relative to itself (so any sub-path works).
// The single-file build (scripts/inline.mjs) swaps this file for loader-single.js;
// nothing else differs between the two builds.

import init, * as wasm from '../pkg/sgd_lab.js';

/** Initialises the wasm module once and returns its exports
 *  (`version`, `preset_json`, `validate_scenario`, …). */
export async function loadCore() {
  await init();
  return wasm;
}

/** Makes the site work offline once opened: registers ../sw.js (the site's root, so
 *  that it serves every page) where the browser allows it. Failing to register (plain
 *  HTTP on a host other than localhost, a sandboxed frame) only leaves it online-only. */
export function registerOffline() {
  if (!('serviceWorker' in navigator) || !/^https?:$/.test(location.protocol)) return;
  navigator.serviceWorker.register(new URL('../sw.js', import.meta.url)).catch(() => {});
}


/** The address of lab `id`'s picture: www/thumbs/<id>.svg, drawn by the core at build
 *  time (`sgd-lab thumbs`, scripts/build-web.sh). */
export function thumbUrl(id) {
  return new URL(`thumbs/${encodeURIComponent(id)}.svg`, import.meta.url).href;
}
