// Predict, then reveal (#11): the lab's questions (the core's `LabHandle.quiz()`:
// prompt, choices, when the run answers, and the run's verdict once it has) as a
// small form. The student picks a prediction (or not), plays, and the panel says what
// the run on screen bears out, with the numbers that decided it; the verdict is the
// core's, computed from the current run, so it follows the knobs. With `quiz=1` in the
// URL the panel opens above the charts; otherwise it waits, closed, under the caption.
// Skipping is one click (it only closes the panel); nothing waits for an answer.

import { h, clean } from './dom.js';

/** A verdict sentence for question `q` (`picked`: the student's choice or null). */
export function verdictText(q, picked) {
  const said = q.choices[q.verdict.answer];
  if (picked === null) return `The run says: ${said}. ${clean(q.verdict.why)}`;
  const agree = picked === q.verdict.answer;
  return `The run says: ${said}. You predicted “${q.choices[picked]}”: ${agree ? 'the simulation agrees' : 'not this time'}. ${clean(q.verdict.why)}`;
}

/** The panel; `update(items)` follows the core's quiz (cheap when nothing changed). */
export function buildQuiz({ first }) {
  const element = h('details', { class: `quiz${first ? ' quiz-first' : ''}` });
  if (first) element.open = true;
  const body = h('div', { class: 'quiz-body' });
  const skip = h('button', { type: 'button', class: 'quiz-skip', onclick: () => { element.open = false; } }, 'Skip the question');
  element.append(h('summary', {}, 'Predict, then play'), body);
  const picked = []; // per question: the chosen index or null
  let shown = null; // the items last drawn, as JSON
  let results = [];

  function draw(items) {
    results = [];
    body.replaceChildren(...items.map((q, i) => {
      picked[i] ??= null;
      const name = `quiz-${i}`;
      const options = q.choices.map((c, k) => {
        const id = `${name}-${k}`;
        const input = h('input', { type: 'radio', name, id, value: String(k), checked: picked[i] === k, 'aria-describedby': `${name}-result` });
        input.addEventListener('change', () => {
          picked[i] = k;
          refresh(items);
        });
        return h('li', {}, input, h('label', { for: id }, c));
      });
      const result = h('p', { class: 'quiz-result', id: `${name}-result`, 'aria-live': 'polite' });
      results.push(result);
      return h('fieldset', { class: 'quiz-question' },
        h('legend', {}, q.prompt),
        h('ul', { class: 'quiz-choices' }, options),
        result);
    }), skip);
    refresh(items);
  }

  function refresh(items) {
    items.forEach((q, i) => {
      const text = q.verdict
        ? verdictText(q, picked[i])
        : `${picked[i] === null ? 'Pick a prediction, then press Play.' : `Your prediction: “${q.choices[picked[i]]}”.`} ${q.reveal}`;
      const el = results[i];
      if (el.textContent !== text) el.textContent = text;
      el.dataset.verdict = q.verdict ? String(q.verdict.answer) : '';
      el.classList.toggle('agree', Boolean(q.verdict) && picked[i] === q.verdict.answer);
      el.classList.toggle('disagree', Boolean(q.verdict) && picked[i] !== null && picked[i] !== q.verdict.answer);
    });
  }

  return {
    element,
    update(items) {
      element.hidden = items.length === 0;
      if (items.length === 0) return;
      const key = JSON.stringify(items.map((q) => q.prompt));
      if (key !== shown) {
        shown = key;
        draw(items);
      } else {
        refresh(items);
      }
    },
  };
}
