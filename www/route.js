// The route lives in the URL hash: `#lab=<id>&key=value…`, parsed with
// URLSearchParams so that a link reproduces a lab's whole state. An empty hash (or
// one without `lab`) is the landing page.

/** A user's text quoted for a note, cut short if long. */
function quoted(text) {
  const s = String(text);
  return `"${s.length > 40 ? `${s.slice(0, 40)}…` : s}"`;
}

/** Parses a hash such as `#lab=per-sample&lr=0.3` into `{ lab, params, notes }`;
 *  `lab` is null for the landing page, `params` holds every other key.
 *  `lab` given several times: the last value that `isLab(value)` accepts is used
 *  (the same rule as every knob: the last valid value), else the last non-empty one;
 *  `notes` then says which (and an empty `lab` with other settings says that they
 *  were not used). */
export function parseRoute(hash, isLab = () => true) {
  const params = new URLSearchParams(String(hash ?? '').replace(/^#/, ''));
  const labs = params.getAll('lab');
  params.delete('lab');
  const given = labs.filter((v) => v !== '');
  const valid = given.filter((v) => isLab(v));
  const lab = valid.at(-1) ?? given.at(-1) ?? null;
  const notes = [];
  if (given.length > 1) {
    notes.push(`The link names the lab ${given.length} times (${given.map(quoted).join(', ')}); showing the last ${valid.length > 0 ? 'that exists' : 'one'}, ${quoted(lab)}.`);
  }
  if (lab === null && labs.length > 0 && [...params.keys()].length > 0) {
    const keys = [...new Set(params.keys())].slice(0, 10).map(quoted).join(', ');
    notes.push(`The link's lab is empty, so the list of labs is shown; its other settings (${keys}) were not used.`);
  }
  return { lab, params, notes };
}

/** The hash of a lab with its settings: `labHash('decay', { t0: 20 })` →
 *  `#lab=decay&t0=20` (values are encoded, so `+` and `&` survive). */
export function labHash(id, settings = {}) {
  const params = new URLSearchParams({ lab: id });
  const entries = settings instanceof URLSearchParams ? settings.entries() : Object.entries(settings);
  for (const [key, value] of entries) {
    if (key !== 'lab' && value !== undefined && value !== null) params.set(key, String(value));
  }
  return `#${params.toString()}`;
}
