// The knobs of a lab, generated from the core's knob table (`LabHandle.knobs()`): every knob
// gets a visible label, a help sentence tied to it with aria-describedby, an exact
// text field (the keyboard alternative to every slider and to clicking on a chart)
// and, for numbers, a slider (logarithmic when the knob asks for it); a bool knob is a
// checkbox, a vector knob (a point) an "x, y" text field. Values are checked by the
// core alone (one rule for a link, a file, a field and a slider); its message shows
// under the control. The page never clamps or corrects a value itself.
//
// Events: `onInput(key, value)` while a slider moves (the page rewrites the URL with
// replaceState), `onCommit(key, value)` when a change is final (pushState).

import { h } from './dom.js';
import { buildVariantEditor } from './variants.js';

const SLIDER_STEPS = 1000;

/** A slider position's value as the URL shows it: the knob's own ends at the ends,
 *  else 3 significant digits (whole numbers for integers). Display precision only:
 *  whether a value is allowed is the core's to say. */
function sliderValue(scale, pos, knob) {
  if (pos <= 0) return knob.min;
  if (pos >= SLIDER_STEPS) return knob.max;
  const x = Number(fromPosition(scale, pos).toPrecision(3));
  return knob.type === 'integer' ? Math.round(x) : x;
}

/** How a knob's slider maps positions to values, or null for no slider. */
function sliderScale(knob) {
  if (knob.type === 'number') {
    const log = knob.log && knob.min > 0;
    return { log, min: knob.min, max: knob.max };
  }
  if (knob.type === 'integer' && knob.key !== 'seed' && knob.max - knob.min <= 100000) {
    const log = knob.min >= 1 && knob.max / knob.min >= 50;
    return { log, min: knob.min, max: knob.max };
  }
  return null;
}

function toPosition(scale, value) {
  const v = Math.min(scale.max, Math.max(scale.min, value));
  const f = scale.log
    ? Math.log(v / scale.min) / Math.log(scale.max / scale.min)
    : (v - scale.min) / (scale.max - scale.min);
  return Math.round((Number.isFinite(f) ? f : 0) * SLIDER_STEPS);
}

function fromPosition(scale, pos) {
  const f = pos / SLIDER_STEPS;
  return scale.log
    ? scale.min * (scale.max / scale.min) ** f
    : scale.min + f * (scale.max - scale.min);
}

function rangeText(knob) {
  if (knob.type === 'number' || knob.type === 'integer') return ` Allowed: ${knob.min} to ${knob.max}.`;
  if (['text', 'vector', 'variants'].includes(knob.type) && knob.hint) return ` Format: ${knob.hint}.`;
  return '';
}

/**
 * Builds the controls. Returns `{ element, main, setValues(map), setError(key, message),
 * clearErrors(), focus(key) }`; `map` is a Map of key → value (the URL's values).
 * `extra(key)` may return nodes to add beside a knob's field (e.g. "New seed").
 */
export function buildKnobs(knobs, { onInput, onCommit, extra = () => null }) {
  const rows = new Map();
  const element = h('div', { class: 'knobs' });
  // The lab's main knob (the first of its table) goes beside the player (rule 6:
  // the controls beside the picture); the page places `main`.
  const main = h('div', { class: 'knobs knobs-main' });

  for (const knob of knobs) {
    const id = `knob-${knob.key}`;
    const helpId = `${id}-help`;
    const errorId = `${id}-error`;
    const describedBy = `${helpId} ${errorId}`;
    const scale = sliderScale(knob);
    let field;
    let slider = null;
    let editor = null;

    if (knob.type === 'choice') {
      field = h('select', { id, name: knob.key, 'aria-describedby': describedBy },
        knob.options.map(([value, label]) => h('option', { value }, label)));
      field.addEventListener('change', () => onCommit(knob.key, field.value));
    } else if (knob.type === 'bool') {
      field = h('input', { id, name: knob.key, type: 'checkbox', 'aria-describedby': describedBy });
      field.addEventListener('change', () => onCommit(knob.key, field.checked ? 'true' : 'false'));
    } else {
      const numeric = knob.type === 'number' || knob.type === 'integer';
      field = h('input', {
        id,
        name: knob.key,
        type: 'text',
        inputmode: numeric ? (knob.type === 'integer' ? 'numeric' : 'decimal') : null,
        autocomplete: 'off',
        spellcheck: 'false',
        placeholder: ['text', 'vector', 'variants'].includes(knob.type) ? knob.hint : null,
        'aria-describedby': describedBy,
        class: numeric ? 'knob-number' : `knob-text${knob.type === 'vector' ? ' knob-vector' : ''}`,
      });
      // Enter or leaving the field commits what was typed.
      field.addEventListener('change', () => onCommit(knob.key, field.value));
      if (knob.type === 'variants') {
        // One row per variant; the text field stays as "Edit as one line".
        editor = buildVariantEditor(knob, field, (text) => onCommit(knob.key, text));
      }
      if (scale) {
        slider = h('input', {
          type: 'range',
          id: `${id}-slider`,
          min: 0,
          max: SLIDER_STEPS,
          step: 1,
          'aria-label': `${knob.label} (slider${scale.log ? ', logarithmic' : ''})`,
          'aria-describedby': helpId,
        });
        const valueAt = () => String(sliderValue(scale, Number(slider.value), knob));
        slider.addEventListener('input', () => {
          field.value = valueAt();
          onInput(knob.key, field.value);
        });
        slider.addEventListener('change', () => onCommit(knob.key, valueAt()));
      }
    }

    const error = h('p', { class: 'knob-error', id: errorId, role: 'alert', hidden: true });
    const row = h('div', { class: `knob knob-${knob.type}`, dataset: { key: knob.key } },
      h('label', { for: id }, knob.label),
      h('div', { class: 'knob-fields' }, slider, editor ? editor.element : field, extra(knob.key)),
      h('p', { class: 'help', id: helpId }, knob.help, rangeText(knob)),
      error);
    rows.set(knob.key, { knob, field, slider, scale, error, row, editor });
    (rows.size === 1 ? main : element).append(row);
  }

  function setValues(values) {
    for (const [key, r] of rows) {
      if (!values.has(key)) continue;
      const value = values.get(key);
      if (r.knob.type === 'bool') {
        r.field.checked = value === 'true';
        continue;
      }
      r.field.value = value;
      r.editor?.set(value);
      if (r.slider) {
        const v = Number(value);
        if (Number.isFinite(v)) r.slider.value = String(toPosition(r.scale, v));
      }
    }
  }

  function setError(key, message) {
    const r = rows.get(key);
    if (!r) return;
    r.error.textContent = message;
    r.error.hidden = false;
    r.field.setAttribute('aria-invalid', 'true');
    r.row.classList.add('invalid');
  }

  function clearErrors() {
    for (const r of rows.values()) {
      r.error.textContent = '';
      r.error.hidden = true;
      r.field.removeAttribute('aria-invalid');
      r.row.classList.remove('invalid');
    }
  }

  return {
    element,
    main,
    setValues,
    setError,
    clearErrors,
    focus: (key) => rows.get(key)?.field.focus(),
  };
}
