// Loads the Rust core in the single-file build (dist/sgd-lab.html): the page's one
// inline script defines `wasm_bindgen` (wasm-bindgen `--target no-modules`) and
// `SGD_LAB_WASM_BASE64` before this code, and a file:// page cannot fetch, so the
// module is decoded from base64. Same interface as loader.js.

/** Initialises the wasm module once and returns its exports. */
export async function loadCore() {
  const text = atob(SGD_LAB_WASM_BASE64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
  await wasm_bindgen({ module_or_path: bytes });
  return wasm_bindgen;
}

/** The single file has no service worker beside it (and file:// pages cannot have one):
 *  it is its own offline copy. */
export function registerOffline() {}


/** Lab `id`'s picture: scripts/inline.mjs puts every www/thumbs/<id>.svg into the page's
 *  script as `SGD_LAB_THUMBS` (id → data: URL; the CSP allows images from data:). */
export function thumbUrl(id) {
  return Object.hasOwn(SGD_LAB_THUMBS, id) ? SGD_LAB_THUMBS[id] : null;
}
