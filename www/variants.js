// The sandbox's variant editor: one row per variant (its colour on the charts, its
// name, its method as one line: "sgd lr=0.1 batch=4 momentum=0.9 inverse_time t0=20
// polyak start=100"), with Copy (duplicate) and Remove, and "Add a variant". Every edit
// writes the whole list back as the knob's text ("Name: method …; Name: …") and
// commits it; the core checks it (src/lab/sandbox/spec.rs) and its message shows
// under the knob. The same text can be edited as one line under "Edit as one line".
//
// This module knows the list's punctuation (";" between variants, ":" after a name)
// and nothing of the methods: what a method line may hold is the core's.

import { h } from './dom.js';

/** Most variants (the core's sandbox::spec::MAX). */
const MAX = 6;
/** Longest name (the core's sandbox::spec::MAX_LABEL). */
const MAX_LABEL = 32;

/** "A: sgd lr=0.1; B: gd" → [{ label: 'A', spec: 'sgd lr=0.1' }, …]. */
export function splitVariants(text) {
  return String(text)
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      const at = part.indexOf(':');
      return at < 0
        ? { label: '', spec: part }
        : { label: part.slice(0, at).trim(), spec: part.slice(at + 1).trim() };
    });
}

/** The inverse of splitVariants. */
export function joinVariants(items) {
  return items
    .map(({ label, spec }) => (label ? `${label}: ${spec}` : spec))
    .join('; ');
}

/** `base` or `base 2`, `base 3`, … : a name no other variant has. */
function freshLabel(base, items) {
  const taken = new Set(items.map((v) => v.label));
  if (base && !taken.has(base)) return base.slice(0, MAX_LABEL);
  const stem = base.replace(/ \d+$/, '').slice(0, MAX_LABEL - 3) || 'Variant';
  for (let k = 2; ; k += 1) {
    if (!taken.has(`${stem} ${k}`)) return `${stem} ${k}`;
  }
}

/**
 * Builds the editor for knob `knob`. `field` is the knob's text input (id, label and
 * description are the controls'), shown under "Edit as one line". `commit(text)`
 * applies a new list. Returns `{ element, set(text) }`: `set` shows a list that came
 * from elsewhere (the URL, back / forward) without rebuilding rows that stay.
 */
export function buildVariantEditor(knob, field, commit) {
  let items = [];
  const rows = h('ol', { class: 'variant-list' });
  const add = h('button', {
    type: 'button',
    class: 'btn-variant-add',
    onclick: () => {
      if (items.length >= MAX) return;
      const last = items[items.length - 1] ?? { spec: 'sgd lr=0.1' };
      apply([...items, { label: freshLabel(`Variant ${items.length + 1}`, items), spec: last.spec }]);
    },
  }, 'Add a variant');
  const element = h('div', { class: 'variant-editor' },
    rows,
    add,
    h('details', { class: 'variant-text' },
      h('summary', {}, 'Edit as one line'),
      field));

  function apply(next) {
    items = next;
    render();
    commit(joinVariants(items));
  }

  function rowOf(i) {
    const describedBy = field.getAttribute('aria-describedby');
    const name = h('input', {
      type: 'text',
      class: 'variant-label',
      'aria-describedby': describedBy,
      maxlength: MAX_LABEL,
      autocomplete: 'off',
      spellcheck: 'false',
    });
    const spec = h('input', {
      type: 'text',
      class: 'variant-spec',
      'aria-describedby': describedBy,
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: 'sgd lr=0.1 batch=4 momentum=0.9',
    });
    const dup = h('button', { type: 'button', class: 'btn-variant-dup' }, 'Copy');
    const del = h('button', { type: 'button', class: 'btn-variant-del' }, 'Remove');
    name.addEventListener('change', () => {
      const copy = items.map((v) => ({ ...v }));
      copy[i].label = name.value.trim();
      apply(copy);
    });
    spec.addEventListener('change', () => {
      const copy = items.map((v) => ({ ...v }));
      copy[i].spec = spec.value.trim();
      apply(copy);
    });
    dup.addEventListener('click', () => {
      if (items.length >= MAX) return;
      const copy = items.map((v) => ({ ...v }));
      copy.splice(i + 1, 0, { label: freshLabel(items[i].label || 'Variant', items), spec: items[i].spec });
      apply(copy);
    });
    del.addEventListener('click', () => {
      if (items.length <= 1) return;
      apply(items.filter((_, k) => k !== i));
    });
    const li = h('li', { class: `variant variant-${i}`, dataset: { index: String(i) } },
      h('span', { class: 'variant-swatch', 'aria-hidden': 'true' }),
      name, spec, dup, del);
    return { li, name, spec, dup, del };
  }

  let built = [];
  function render() {
    if (built.length !== items.length) {
      built = items.map((_, i) => rowOf(i));
      rows.replaceChildren(...built.map((r) => r.li));
    }
    items.forEach((v, i) => {
      const r = built[i];
      const who = v.label || `variant ${i + 1}`;
      if (r.name.value !== v.label) r.name.value = v.label;
      if (r.spec.value !== v.spec) r.spec.value = v.spec;
      r.name.setAttribute('aria-label', `Name of variant ${i + 1}`);
      r.spec.setAttribute('aria-label', `Method of ${who}`);
      r.dup.setAttribute('aria-label', `Copy ${who}`);
      r.del.setAttribute('aria-label', `Remove ${who}`);
      r.dup.disabled = items.length >= MAX;
      r.del.disabled = items.length <= 1;
    });
    add.disabled = items.length >= MAX;
  }

  return {
    element,
    set(text) {
      items = splitVariants(text);
      render();
    },
  };
}
