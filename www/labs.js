// The lab catalogue. The Rust core's registry (src/lab/registry.rs) is the one
// source of truth for ids, titles, lecture parts, teasers, lecture order and `ready`;
// this module keeps no copy. Once the core has loaded, main.js calls
// applyCatalogue(core.lab_catalogue()), which fills LABS in lecture order; a lab the
// core lists as not ready shows a "coming soon" badge.

/** `[{ id, title, part, time, teaser, ready, thumb_alt }]`, filled by applyCatalogue. */
export const LABS = [];

export function findLab(id) {
  return LABS.find((lab) => lab.id === id) ?? null;
}

/** Replaces LABS by the core's catalogue (`[{ id, title, part, time, teaser, ready }]`,
 *  in lecture order). */
export function applyCatalogue(catalogue) {
  LABS.splice(0, LABS.length, ...catalogue.map((entry) => ({
    id: String(entry.id),
    title: String(entry.title),
    part: String(entry.part),
    time: String(entry.time),
    teaser: String(entry.teaser),
    ready: entry.ready === true,
    // The alt text of its picture (www/thumbs/<id>.svg), for a ready lab; else null.
    thumb_alt: entry.thumb ? String(entry.thumb.alt) : null,
  })));
}
