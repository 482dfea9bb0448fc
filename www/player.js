// The player of a lab page (TensorFlow Playground's Player): play / pause, single
// step, reset, and the speed in steps per animation frame on a logarithmic slider,
// plus the keyboard: Space plays or pauses, → or S steps, R resets, whenever focus is
// not in a field (a focused button keeps its own Space).

import { h, isTextTarget } from './dom.js';

const SPEED_POSITIONS = 30;
/** Slow-motion positions below 0: down to 10⁻² steps per frame (0.6 steps per second). */
const SLOW_POSITIONS = 20;
/** The Speed slider's positions, lowest and highest (a lesson link's `speed=`). */
export const SPEED_RANGE = [-SLOW_POSITIONS, SPEED_POSITIONS];
/** Frames per second the slow-motion speeds are stated for (the page paces by time). */
export const FPS = 60;

/** Steps per frame at slider position `pos` (−20 … 30): 0.01 … 1000, logarithmic;
 *  whole steps from 1 up, fractions of a step (slow motion) below. */
export function stepsPerFrame(pos) {
  const v = 10 ** (Number(pos) / 10);
  return v >= 1 ? Math.round(v) : Math.max(10 ** (-SLOW_POSITIONS / 10), v);
}

/** The slider position closest to `perSecond` steps per second. */
export function slowSpeed(perSecond) {
  const pos = Math.round(10 * Math.log10(Number(perSecond) / FPS));
  return Math.max(-SLOW_POSITIONS, Math.min(SPEED_POSITIONS, Number.isFinite(pos) ? pos : 0));
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
    type: 'range', id: 'speed', min: -SLOW_POSITIONS, max: SPEED_POSITIONS, step: 1, value: 0,
    'aria-describedby': 'speed-out',
  });
  const showSpeed = () => {
    const n = stepsPerFrame(speed.value);
    const perS = Math.round(n * FPS * 10) / 10;
    const slow = n < 1;
    const words = slow ? `slow motion, ${perS} steps per second` : `${n} step${n === 1 ? '' : 's'} per frame`;
    speedOut.textContent = compact ? (slow ? `${perS}/s` : `${n}/frame`) : words;
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
    /** The slider's position, and setting it (a lesson link's `speed=`). */
    position: () => Number(speed.value),
    setPosition(pos) {
      speed.value = String(pos);
      showSpeed();
    },
    /** The default speed: `perSecond` steps per second when the lab asks for slow
     *  motion (> 0), else the whole run in about eight seconds. */
    setSpeedFor(steps, perSecond = 0) {
      speed.value = String(perSecond > 0 ? slowSpeed(perSecond) : defaultSpeed(steps));
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
