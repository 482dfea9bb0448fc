// The lab views, by lab id. A view is a module with
//   export function mount(container, ctx) → { unmount() } (or nothing)
// where container is the lab's empty <div class="lab-body"> and ctx is
//   { core, lab, params, embed, setParams }:
//   core      the wasm exports (version, preset_json, validate_scenario, …)
//   lab       the catalogue entry ({ id, title, part, teaser, ready })
//   params    URLSearchParams of the hash without `lab` (the state of a shared link)
//   embed     true in embed.html (compact: fit 640×420)
//   setParams(settings) writes the lab's state back into the hash without reloading
// Views are registered here with static imports (the single-file bundler follows
// static imports only):
//   import * as perSample from './labs/per-sample.js';
//   export const LAB_VIEWS = { 'per-sample': perSample };
// A lab without a view shows a "coming soon" placeholder.

export const LAB_VIEWS = {};
