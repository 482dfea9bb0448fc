// The player of a lab page (TensorFlow Playground's Player): play / pause, single
// step, reset, and the speed in steps per animation frame on a logarithmic slider,
// plus the keyboard: Space plays or pauses, → or S steps, R resets, whenever focus is
// not in a field (a focused button keeps its own Space).

import { h, isTextTarget } from './dom.js';

const SPEED_POSITIONS = 30;

/** Steps per frame at slider position `pos` (0 … 30): 1 … 1000, logarithmic. */
export function stepsPerFrame(pos) {
  return Math.max(1, Math.round(10 ** (Number(pos) / 10)));
}

/** The slider position whose speed plays `steps` steps in about eight seconds. */
export function defaultSpeed(steps) {
  const perFrame = Math.max(1, (Number(steps) || 0) / 480);
  return Math.min(SPEED_POSITIONS, Math.round(10 * Math.log10(perFrame)));
}

/**
 * Builds the player. `actions`: { toggle(), step(), reset() }. Returns
 * { element, status, live, progress, setPlaying(bool), speed(), setSpeedFor(steps) }.
 */
export function buildPlayer(actions, { compact = false } = {}) {
  const play = h('button', { type: 'button', class: 'btn-play', 'aria-keyshortcuts': 'Space', onclick: () => actions.toggle() }, 'Play');
  const step = h('button', { type: 'button', class: 'btn-step', 'aria-keyshortcuts': 'ArrowRight S', onclick: () => actions.step() }, 'Step');
  const reset = h('button', { type: 'button', class: 'btn-reset', 'aria-keyshortcuts': 'R', onclick: () => actions.reset() }, 'Reset');
  const speedOut = h('output', { id: 'speed-out', for: 'speed' });
  const speed = h('input', {
    type: 'range', id: 'speed', min: 0, max: SPEED_POSITIONS, step: 1, value: 0,
    'aria-describedby': 'speed-out',
  });
  const showSpeed = () => {
    const n = stepsPerFrame(speed.value);
    const words = `${n} step${n === 1 ? '' : 's'} per frame`;
    speedOut.textContent = compact ? `${n}/frame` : words;
    speed.setAttribute('aria-valuetext', words);
  };
  speed.addEventListener('input', showSpeed);
  showSpeed();

  // The visible counter follows every frame; screen readers hear the live copy, which
  // changes only on play / pause / step / reset and every few seconds while playing.
  const status = h('p', { class: 'status' });
  const live = h('p', { class: 'status-live visually-hidden', 'aria-live': 'polite' });
  const progress = h('progress', { class: 'work-progress', max: 1, value: 0, 'aria-label': 'Runs computed', hidden: true });
  const hint = compact ? null : h('p', { class: 'hint' },
    'Keys: ', h('kbd', {}, 'Space'), ' play / pause · ', h('kbd', {}, '→'), ' or ', h('kbd', {}, 'S'),
    ' one step · ', h('kbd', {}, 'R'), ' reset (when you are not typing in a field).');

  const element = h('div', { class: 'player', role: 'group', 'aria-label': 'Animation' },
    h('div', { class: 'player-buttons' }, play, step, reset),
    h('div', { class: 'speed' }, h('label', { for: 'speed' }, 'Speed'), speed, speedOut),
    h('div', { class: 'player-status' }, status, progress, live),
    hint);

  return {
    element,
    status,
    live,
    progress,
    setPlaying(playing) {
      play.textContent = playing ? 'Pause' : 'Play';
      play.classList.toggle('playing', playing);
    },
    speed: () => stepsPerFrame(speed.value),
    setSpeedFor(steps) {
      speed.value = String(defaultSpeed(steps));
      showSpeed();
    },
  };
}

/** Listens for the player's keys on `target` (the document); returns a remover. */
export function bindKeys(target, actions) {
  const onKey = (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const el = e.target;
    if (isTextTarget(el)) return;
    const onControl = el instanceof Element && el.matches('button, a, summary, [role="button"]');
    if (e.key === ' ' || e.code === 'Space') {
      if (onControl) return; // Space activates the focused button itself.
      e.preventDefault();
      actions.toggle();
    } else if (e.key === 'ArrowRight' || e.key === 's' || e.key === 'S') {
      e.preventDefault();
      actions.step();
    } else if (e.key === 'r' || e.key === 'R') {
      e.preventDefault();
      actions.reset();
    }
  };
  target.addEventListener('keydown', onKey);
  return () => target.removeEventListener('keydown', onKey);
}
