// Lesson links (#11): a lab's URL may also say how the page looks, for an instructor
// who puts a lab into a lesson with some of it fixed.
//   hide=controls,knobs,caption,export,header   parts of the page not shown
//   hide=theory                                 the charts' theory overlays not drawn
//   hide=lr,batch                               single knobs not shown (fixed)
//   autoplay=1                                  plays as soon as it opens
//   speed=P                                     the Speed slider at position P
//   present=1                                   presenter mode (present.js)
//   quiz=1                                      the lab's question first (quiz.js)
// These keys belong to the page, not to the scenario: they are taken out of the
// parameters before the core reads them, and written back after the lab's own
// whenever the page rewrites its URL, so they survive every change of a knob.
// A name or value the page cannot use is named in a note, as the core's warnings
// name a bad setting; the rest of the link still applies.

import { h } from './dom.js';
import { embedCode, copyText } from './export.js';
import { SPEED_RANGE } from './player.js';

/** The page's parts `hide=` can name, with what each is (the lesson panel's labels). */
export const PARTS = [
  ['controls', 'Play, step, reset and speed'],
  ['knobs', 'The settings panel'],
  ['caption', '"What you see", the formula and the facts'],
  ['export', 'Save and share'],
  ['header', 'The page header and the lab\'s title'],
  ['theory', 'Theory on the charts (bounds, exact floors, predicted rates)'],
];
const PART_NAMES = PARTS.map(([name]) => name);
/** The URL keys that are the page's, not the scenario's. */
export const LESSON_KEYS = ['hide', 'autoplay', 'speed', 'present', 'quiz'];

/** A user's text quoted for a note, cut short if long. */
function quoted(text) {
  const s = String(text);
  return `"${s.length > 40 ? `${s.slice(0, 40)}…` : s}"`;
}

/**
 * Splits a lab's parameters: `{ params, lesson, notes }`. `params` keeps every key but
 * the lesson's; `lesson` is `{ hide: [names], autoplay, speed, present }` (speed null: the
 * lab's own); `notes` says what could not be used. `knobKeys` are the lab's knobs
 * (names `hide=` may use beside the parts). A repeated key: the last value is used.
 */
export function splitLesson(all, knobKeys) {
  const params = new URLSearchParams();
  for (const [k, v] of all) if (!LESSON_KEYS.includes(k)) params.append(k, v);
  const notes = [];
  const lesson = { hide: [], autoplay: false, speed: null, present: false, quiz: false };
  const last = (key) => (all.has(key) ? all.getAll(key).at(-1) : null);

  const hide = last('hide');
  if (hide !== null) {
    const unknown = [];
    for (const raw of hide.split(',')) {
      const name = raw.trim();
      if (name === '') continue;
      if (PART_NAMES.includes(name) || knobKeys.includes(name)) {
        if (!lesson.hide.includes(name)) lesson.hide.push(name);
      } else {
        unknown.push(name);
      }
    }
    if (unknown.length > 0) {
      notes.push(`URL parameter hide: ${unknown.slice(0, 5).map(quoted).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a part of the page or a setting of this lab; allowed: ${PART_NAMES.join(', ')}, or a setting's key (${knobKeys.join(', ')}).`);
    }
  }
  const flag = (key, meaning, otherwise) => {
    const v = last(key);
    if (v === null || v === '0' || v === 'false') return false;
    if (v === '1' || v === 'true') return true;
    notes.push(`URL parameter ${key} must be 1 (${meaning}) or 0, got ${quoted(v)}; ${otherwise}.`);
    return false;
  };
  lesson.autoplay = flag('autoplay', 'play when the page opens', 'not playing');
  lesson.present = flag('present', 'presenter mode', 'the usual page');
  lesson.quiz = flag('quiz', 'the lab\'s question first', 'the question waits under the caption');
  const speed = last('speed');
  if (speed !== null) {
    const n = Number(speed);
    if (speed.trim() !== '' && Number.isInteger(n) && n >= SPEED_RANGE[0] && n <= SPEED_RANGE[1]) lesson.speed = n;
    else notes.push(`URL parameter speed must be a whole number from ${SPEED_RANGE[0]} to ${SPEED_RANGE[1]} (the Speed slider's position), got ${quoted(speed)}; using the lab's own speed.`);
  }
  return { params, lesson, notes };
}

/** The lesson's URL parameters, `[[key, value], …]`, in a fixed order (none if plain). */
export function lessonPairs(lesson) {
  const pairs = [];
  if (lesson.hide.length > 0) pairs.push(['hide', lesson.hide.join(',')]);
  if (lesson.autoplay) pairs.push(['autoplay', '1']);
  if (lesson.speed !== null) pairs.push(['speed', String(lesson.speed)]);
  if (lesson.present) pairs.push(['present', '1']);
  if (lesson.quiz) pairs.push(['quiz', '1']);
  return pairs;
}

/** Shows or hides the parts and knobs the lesson names. Parts are hidden by the
 *  document's `data-hide` (the header lies outside the lab's own element); knobs by
 *  their rows. */
export function applyLesson(root, lesson) {
  const parts = lesson.hide.filter((n) => PART_NAMES.includes(n));
  if (parts.length > 0) document.documentElement.dataset.hide = parts.join(' ');
  else delete document.documentElement.dataset.hide;
  for (const row of root.querySelectorAll('.knob[data-key]')) {
    row.hidden = lesson.hide.includes(row.dataset.key);
  }
}

/** Leaves the page as it was before any lesson (a lab page unmounts). */
export function clearLesson() {
  delete document.documentElement.dataset.hide;
}

/**
 * The "For a lesson" panel: checkboxes for what to hide (parts, then the lab's
 * knobs), autoplay and "keep this speed"; it writes the lab's current state with
 * those choices as a link (full page) and an <iframe> snippet (embed view).
 * `page`: { title, knobs(): [{key, label}], pairs(): the lab's own [[k, v]], speed(): the
 * slider position, base(view): the page's URL for 'index.html' or 'embed.html' }.
 */
export function buildLessonPanel(page) {
  const boxes = new Map();
  const box = (name, label) => {
    const id = `lesson-hide-${name}`;
    const input = h('input', { type: 'checkbox', id, dataset: { hide: name }, 'aria-describedby': 'lesson-help' });
    boxes.set(name, input);
    return h('li', {}, input, h('label', { for: id }, label));
  };
  const knobList = h('ul', { class: 'lesson-list' });
  const option = (id) => h('input', { type: 'checkbox', id, 'aria-describedby': 'lesson-help' });
  const autoplay = option('lesson-autoplay');
  const keepSpeed = option('lesson-speed');
  const present = option('lesson-present');
  const quizFirst = option('lesson-quiz');
  const out = (id, label) => h('input', { type: 'text', readonly: true, class: 'lesson-out', id, 'aria-label': label, 'aria-describedby': 'lesson-note' });
  const link = out('lesson-link', 'Lesson link');
  const snippet = out('lesson-embed', 'Lesson embed code');
  const note = h('p', { class: 'share-note', id: 'lesson-note', 'aria-live': 'polite' }, 'The link and the embed code hold the lab as it is now, with your choices.');

  const lesson = () => ({
    hide: [...boxes].filter(([, b]) => b.checked).map(([name]) => name),
    autoplay: autoplay.checked,
    speed: keepSpeed.checked ? page.speed() : null,
    present: present.checked,
    quiz: quizFirst.checked,
  });
  const hashOf = (l) => {
    const params = new URLSearchParams(page.pairs());
    for (const [k, v] of lessonPairs(l)) params.set(k, v);
    return `#${params.toString()}`;
  };
  const refresh = () => {
    const l = lesson();
    link.value = `${page.base('index.html')}${hashOf(l)}`;
    snippet.value = embedCode(`${page.base('embed.html')}${hashOf(l)}`, page.title);
  };
  const copy = (input, what) => h('button', {
    type: 'button',
    onclick: async () => {
      refresh();
      input.select();
      note.textContent = (await copyText(input.value)) ? `${what} copied.` : `Select the ${what.toLowerCase()} above and copy it.`;
    },
  }, `Copy ${what.toLowerCase()}`);

  const element = h('details', { class: 'lesson' },
    h('summary', {}, 'For a lesson: a link with parts hidden'),
    h('p', { id: 'lesson-help', class: 'lesson-sub' }, 'What you tick is hidden (or switched on) in the link and the embed code below; the settings stay at the values on screen.'),
    h('fieldset', {}, h('legend', {}, 'Hide'),
      h('ul', { class: 'lesson-list' }, PARTS.map(([name, label]) => box(name, label))),
      h('p', { class: 'lesson-sub' }, 'Fix these settings (hidden, kept at their current values):'),
      knobList),
    h('p', {}, autoplay, h('label', { for: 'lesson-autoplay' }, 'Play as soon as it opens')),
    h('p', {}, keepSpeed, h('label', { for: 'lesson-speed' }, 'Keep the current speed')),
    h('p', {}, present, h('label', { for: 'lesson-present' }, 'Presenter mode (charts only, large text; Esc leaves it)')),
    h('p', {}, quizFirst, h('label', { for: 'lesson-quiz' }, 'Ask the lab\'s question first (predict, then play)')),
    h('p', {}, h('label', { for: 'lesson-link' }, 'Link'), link, copy(link, 'Link')),
    h('p', {}, h('label', { for: 'lesson-embed' }, 'Embed code'), snippet, copy(snippet, 'Embed code')),
    note);
  element.addEventListener('change', refresh);
  element.addEventListener('toggle', refresh);

  return {
    element,
    refresh,
    /** The knobs' boxes again (a lab's knobs may change with its state). */
    setKnobs(knobs) {
      const checked = new Set(lesson().hide);
      for (const key of [...boxes.keys()]) if (!PART_NAMES.includes(key)) boxes.delete(key);
      knobList.replaceChildren(...knobs.map((k) => box(k.key, k.label)));
      for (const [name, b] of boxes) b.checked = checked.has(name);
      refresh();
    },
  };
}
