// The lab views, by lab id. A view is a module with
//   export function mount(container, ctx) → { unmount(), update?(params) } (or nothing)
// where container is the lab's empty <div class="lab-body"> and ctx is
//   { core, lab, params, embed, setParams }:
//   core      the wasm exports (version, preset_json, lab_catalogue, LabHandle, …)
//   lab       the catalogue entry ({ id, title, part, teaser, ready })
//   params    URLSearchParams of the hash without `lab` (the state of a shared link)
//   embed     true in embed.html (compact: fit 640×420)
//   setParams(settings, { push }) writes the lab's state into the hash without
//             reloading: pushState when `push` (a committed change, so that back
//             returns to the previous state), replaceState otherwise
// `update(params)`, if the view has it, is called when the hash changes to another
// state of the same lab (back / forward); returning true means "handled" (no remount).
// Views are registered with static imports (the single-file bundler follows static
// imports only). Every lab whose Rust `ready` flag is true (core.lab_catalogue()) is
// shown by the one generic lab page; a lab without a view shows a "coming soon"
// placeholder.

import * as labPage from './lab-page.js';

export const LAB_VIEWS = {};

/** Registers the generic lab page for every ready lab of the core's catalogue
 *  (`[{ id, title, ready }]`). */
export function registerReadyLabs(catalogue) {
  for (const entry of catalogue) {
    if (entry.ready) LAB_VIEWS[entry.id] = labPage;
    else delete LAB_VIEWS[entry.id];
  }
}
