// The route lives in the URL hash: `#lab=<id>&key=value…`, parsed with
// URLSearchParams so that a link reproduces a lab's whole state. An empty hash (or
// one without `lab`) is the landing page.

/** Parses a hash such as `#lab=per-sample&lr=0.3` into `{ lab, params }`;
 *  `lab` is null for the landing page, `params` holds every other key. */
export function parseRoute(hash) {
  const params = new URLSearchParams(String(hash ?? '').replace(/^#/, ''));
  const lab = params.get('lab');
  params.delete('lab');
  return { lab: lab === null || lab === '' ? null : lab, params };
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
