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
