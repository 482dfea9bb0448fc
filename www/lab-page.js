// The lab page: one generic view for every lab whose Rust `ready` flag is true. The
// core owns the simulation behind a LabHandle (knobs, charts, caption, CSV, clicks);
// this module owns the clock (requestAnimationFrame), the DOM and the URL. Nothing
// here knows a particular lab except the formula table in formulas.js.
//
// Registered by lab-views.js; main.js calls `mount(container, ctx)` and, when the hash
// changes to another state of the same lab (back / forward), `update(params)`.
//
// Test hooks on the root element `.lab-page`: data-lab, data-t, data-steps,
// data-done, data-progress, data-playing, data-diverged ("1"/"0"), data-query (the
// state as URL parameters), data-draws (how many times the charts were drawn); on
// each figure.chart, data-frame (the plot area in canvas pixels and its data ranges).

import { h, clean } from './dom.js';
import { buildKnobs } from './controls.js';
import { buildPlayer, bindKeys, FPS } from './player.js';
import { formula, formulaLabel } from './formulas.js';
import { download, canvasPng, copyText, embedCode } from './export.js';

// Time budgets per animation frame (issue #12: no frame may take more than ~50 ms of
// work, for any legal scenario). Work is measured per slice in time, never carried
// over from one scenario to the next: a new scenario starts with a one-unit slice.
/** Milliseconds of background work (ensembles) per animation frame. */
const WORK_MS = 6;
/** Milliseconds of animation steps per frame (a heavy problem shows fewer steps). */
const ADVANCE_MS = 8;
/** Milliseconds a knob change may spend catching up to the step shown; the rest
 *  follows over the next frames. */
const CATCH_UP_MS = 30;
/** Above this many seconds of remaining work, the page offers Stop / Continue. */
const HEAVY_S = 3;
/** How often the caption and the spoken status follow a playing animation. */
const CAPTION_MS = 250;
const SPOKEN_MS = 3000;
const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/** A scenario imported for another lab, handed to that lab's next mount. */
let pendingImport = null;

export function mount(container, ctx) {
  const page = new LabPage(container, ctx);
  return {
    unmount: () => page.destroy(),
    update: (params, notes) => page.update(params, notes),
  };
}

/** `[key, value]` pairs → URLSearchParams without `lab`. */
function settingsOf(pairs) {
  const params = new URLSearchParams();
  for (const [k, v] of pairs) if (k !== 'lab') params.append(k, v);
  return params;
}

function hashOf(pairs) {
  return `#${new URLSearchParams(pairs).toString()}`;
}

function message(err) {
  return err instanceof Error ? err.message : String(err);
}

class LabPage {
  constructor(container, ctx) {
    this.ctx = ctx;
    this.core = ctx.core;
    this.id = ctx.lab.id;
    this.embed = Boolean(ctx.embed);
    this.playing = false;
    this.dirty = true;
    this.raf = 0;
    this.budget = 1;
    this.stepMs = 0; // measured cost of one animation step (0: not measured yet)
    this.drawMs = 0; // measured time to draw one chart
    this.catchUp = 0; // steps still to take to reach the step shown before a change
    this.workPaused = false;
    this.workStart = 0; // when this scenario's background work started, and at what progress
    this.workStartProgress = 0;
    this.version = 0;
    this.draws = 0;
    this.lastDiverged = null;
    this.lastCaption = 0;
    this.lastStatusText = 0;
    this.interaction = false; // a slider drag or pointer drag has pushed its history entry
    this.destroyed = false;
    /** Notes about the route itself (a repeated `lab`), shown with the warnings. */
    this.routeNotes = ctx.notes ?? [];

    let fromFile = false;
    if (pendingImport && pendingImport.id === this.id) {
      this.handle = pendingImport.handle;
      pendingImport = null;
      fromFile = true;
    } else {
      this.handle = this.handleFromParams(ctx.params);
    }
    this.charts = JSON.parse(this.handle.charts_json());
    this.knobs = JSON.parse(this.handle.knobs_json());

    this.build(container);
    this.removeKeys = bindKeys(document, {
      toggle: () => this.toggle(),
      step: () => this.step(),
      reset: () => this.reset(),
    });
    this.observeSizes();
    this.afterChange(null, { fromFile });
    this.player.setSpeedFor(this.status().steps, this.handle.steps_per_second());
  }

  handleFromParams(params) {
    const pairs = [['lab', this.id], ...params.entries()];
    return this.core.LabHandle.from_query(JSON.stringify(pairs));
  }

  // ---------------------------------------------------------------------------
  // The page.

  build(container) {
    const alerts = h('div', { class: 'lab-alerts' });
    this.warnBox = h('div', { class: 'lab-warnings', role: 'alert' });
    this.divergedBox = h('p', { class: 'lab-diverged', role: 'alert' });
    this.messageBox = h('p', { class: 'lab-message', role: 'alert' });
    alerts.append(this.warnBox, this.divergedBox, this.messageBox);

    this.describeId = `describe-${this.id}`;
    this.chartViews = this.charts.map((c) => this.buildChart(c));
    const charts = h('div', { class: 'charts', dataset: { count: String(this.charts.length) } },
      this.chartViews.map((v) => v.figure));

    this.player = buildPlayer({
      toggle: () => this.toggle(),
      step: () => this.step(),
      reset: () => this.reset(),
    }, { compact: this.embed });
    // A heavy legal scenario: its remaining time is shown, and its work can be stopped.
    this.workButton = h('button', { type: 'button', class: 'btn-work', hidden: true, onclick: () => this.toggleWork() }, 'Stop computing');
    this.player.progress.after(this.workButton);

    this.root = h('div', { class: `lab-page${this.embed ? ' compact' : ''}`, dataset: { lab: this.id } });
    if (this.embed) {
      this.root.append(alerts, charts, this.player.element);
      this.describe = h('p', { id: this.describeId, class: 'visually-hidden' });
      this.root.append(this.describe);
    } else {
      this.controls = buildKnobs(this.knobs, {
        onInput: (key, value) => this.setKnob(key, value, false),
        onCommit: (key, value) => this.setKnob(key, value, true),
        extra: (key) => (key === 'seed'
          ? h('button', { type: 'button', class: 'btn-new-seed', onclick: () => this.newSeed() }, 'New seed')
          : null),
      });
      const side = h('div', { class: 'lab-side' },
        h('h3', {}, 'Settings'),
        this.controls.element);
      const stage = h('div', { class: 'lab-stage' }, charts, this.player.element, this.buildCaption());
      this.root.append(alerts, h('div', { class: 'lab-layout' }, stage, side), this.buildExport());
    }
    container.replaceChildren(this.root);
  }

  buildChart(info) {
    const canvas = h('canvas', {
      id: `chart-${info.id}`,
      class: info.click ? 'clickable' : null,
      role: 'img',
      'aria-label': info.title,
      'aria-describedby': this.describeId,
      width: 300,
      height: 200,
    });
    const error = h('p', { class: 'chart-error', role: 'alert', hidden: true });
    const figure = h('figure', { class: 'chart', dataset: { chart: info.id, heatmap: info.heatmap ? '1' : '0' } },
      h('div', { class: 'canvas-box' }, canvas),
      error,
      h('figcaption', {}, info.title, info.click && !this.embed ? h('span', { class: 'click-help' }, ` — ${info.click}`) : null));
    const view = { info, canvas, figure, error, cssWidth: 0, heat: null, heatKey: null, heatFrame: null };
    if (info.click) this.bindPointer(view);
    return view;
  }

  buildCaption() {
    this.captionText = h('p', { class: 'caption-text' });
    this.facts = h('dl', { class: 'facts' });
    const math = formula(this.id);
    this.describe = h('p', { id: this.describeId, class: 'describe' });
    return h('section', { class: 'lab-caption', 'aria-labelledby': 'caption-heading' },
      h('h3', { id: 'caption-heading' }, 'What you see'),
      this.captionText,
      math.length ? h('figure', { class: 'formula' },
        h('div', { class: 'formula-math' }, math), h('figcaption', {}, formulaLabel(this.id))) : null,
      this.facts,
      h('details', { class: 'describe-box' }, h('summary', {}, 'Text description of the charts'), this.describe));
  }

  buildExport() {
    const isSingle = document.documentElement.dataset.build === 'single';
    this.shareOut = h('input', { type: 'text', readonly: true, class: 'share-out', id: 'share-out', 'aria-label': 'Text to copy', 'aria-describedby': 'share-note', hidden: true });
    this.shareNote = h('p', { class: 'share-note', id: 'share-note', 'aria-live': 'polite' });
    const fileInput = h('input', { type: 'file', id: 'import-file', accept: '.json,application/json', class: 'visually-hidden' });
    fileInput.addEventListener('change', () => this.importFile(fileInput));
    const pngButtons = this.charts.map((c, k) => h('button', {
      type: 'button', class: 'btn-png', dataset: { chart: c.id },
      onclick: () => this.exportPng(k),
    }, `PNG: ${c.title}`));
    return h('section', { class: 'lab-export', 'aria-labelledby': 'export-heading' },
      h('h3', { id: 'export-heading' }, 'Save and share'),
      h('div', { class: 'export-buttons' },
        pngButtons,
        h('button', { type: 'button', class: 'btn-csv', onclick: () => this.exportCsv() }, 'CSV of the numbers'),
        h('button', { type: 'button', class: 'btn-json', onclick: () => this.exportScenario() }, 'Scenario (JSON)'),
        h('span', { class: 'import' }, fileInput, h('label', { for: 'import-file', class: 'button' }, 'Import scenario…'))),
      h('div', { class: 'export-buttons' },
        h('button', { type: 'button', class: 'btn-link', onclick: () => this.share('link') }, 'Copy link'),
        isSingle ? null : h('button', { type: 'button', class: 'btn-embed', onclick: () => this.share('embed') }, 'Copy embed code')),
      this.shareOut,
      this.shareNote,
      h('p', { class: 'help' }, 'The scenario file is what ', h('code', {}, 'sgd-lab run FILE'),
        ' reads; the CSV holds the same numbers the command prints.'));
  }

  // ---------------------------------------------------------------------------
  // State.

  status() {
    const s = JSON.parse(this.handle.status_json());
    const num = (v, d) => (Number.isFinite(v) ? v : d);
    return {
      t: num(s.t, 0),
      steps: num(s.steps, 0),
      done: Boolean(s.done),
      progress: Math.min(1, Math.max(0, num(s.progress, 1))),
      diverged: typeof s.diverged === 'string' ? s.diverged : null,
    };
  }

  query() {
    return JSON.parse(this.handle.query_json());
  }

  /** Replaces the handle (freeing the old one) and keeps the step the page was at. */
  swapHandle(next, keepT) {
    const t = keepT ? this.status().t + this.catchUp : 0;
    this.handle.free();
    this.handle = next;
    this.newScenario();
    this.advanceFor(t, CATCH_UP_MS);
  }

  /** A new scenario: time measurements start again (the budget does not carry over
   *  from a cheap problem to a heavy one). */
  newScenario() {
    this.budget = 1;
    this.stepMs = 0;
    this.catchUp = 0;
    this.workPaused = false;
    this.workStart = 0;
    this.workStartProgress = 0;
    this.heavy = false;
  }

  /** Takes up to `steps` animation steps within about `ms`; what is left is taken
   *  over the next frames. Returns the steps taken. */
  advanceFor(steps, ms) {
    this.catchUp = 0;
    if (steps <= 0) return 0;
    const taken = this.advanceTimed(steps, ms, false);
    this.catchUp = steps - taken;
    if (this.catchUp > 0) this.schedule();
    return taken;
  }

  /** Advances by up to `steps` in slices sized by the measured cost of a step, and
   *  stops after about `ms`. With `watch`, also stops when a divergence appears, so
   *  that a fast animation stops close to the step where it happened. */
  advanceTimed(steps, ms, watch) {
    const start = performance.now();
    const before = this.lastDiverged;
    const most = Math.max(1, Math.ceil(steps / 64));
    let taken = 0;
    while (taken < steps) {
      const slice = this.stepMs > 0 ? Math.max(1, Math.min(most, Math.floor(1 / this.stepMs))) : 1;
      const t0 = performance.now();
      const n = this.handle.advance(Math.min(slice, steps - taken));
      const dt = performance.now() - t0;
      if (n > 0) {
        const per = Math.max(dt / n, 1e-4);
        this.stepMs = this.stepMs > 0 ? 0.5 * this.stepMs + 0.5 * per : per;
      }
      taken += n;
      if (n === 0) break;
      if (watch && n < steps) {
        const d = this.status().diverged;
        if (d && d !== before) break;
      }
      if (performance.now() - start > ms) break;
    }
    return taken;
  }

  /** After the scenario changed (or at start): controls, URL, alerts, redraw.
   *  `history`: null (leave the URL), 'push' or 'replace'; `fromFile`: the handle
   *  came from an imported file (its warnings are about the file, not the link). */
  afterChange(history, { fromFile = false } = {}) {
    this.version += 1;
    this.lastDiverged = null;
    const pairs = this.query();
    this.root.dataset.query = new URLSearchParams(pairs).toString();
    if (this.controls) {
      this.controls.clearErrors();
      this.controls.setValues(new Map(pairs));
    }
    if (history) {
      this.ctx.setParams(settingsOf(pairs), { push: history === 'push' });
      this.routeNotes = []; // the URL is now the lab's own
    }
    this.showWarnings(JSON.parse(this.handle.warnings_json()), !fromFile);
    for (const v of this.chartViews) v.heatKey = null;
    this.dirty = true;
    this.lastCaption = 0;
    this.lastStatusText = 0;
    this.schedule();
  }

  /** Shows the handle's warnings: from the URL (with a heading) or from a file.
   *  They are the core's sentences as they are: they quote what the user wrote
   *  (`got "NaN"`), so they do not go through `clean`. */
  showWarnings(handleWarnings, fromUrl) {
    const warnings = fromUrl ? [...this.routeNotes, ...handleWarnings] : handleWarnings;
    this.root.dataset.warnings = String(warnings.length);
    if (warnings.length === 0) {
      this.warnBox.replaceChildren();
      this.warnBox.hidden = true;
      return;
    }
    this.warnBox.hidden = false;
    const heading = warnings.length === 1 ? 'One setting in the link could not be used:' : 'Some settings in the link could not be used:';
    const list = h('ul', {}, warnings.map((w) => h('li', {}, String(w))));
    if (fromUrl) this.warnBox.replaceChildren(h('p', {}, heading), list);
    else this.warnBox.replaceChildren(list);
  }

  showMessage(text) {
    this.messageBox.textContent = text ?? '';
    this.messageBox.hidden = !text;
  }

  setKnob(key, value, commit) {
    const before = this.root.dataset.query;
    if (commit && !this.interaction && new URLSearchParams(before).get(key) === String(value).trim()) {
      this.controls?.clearErrors();
      return; // nothing changed (e.g. Enter on an unchanged field): keep the runs
    }
    const t = this.status().t;
    try {
      this.handle.set_knob(key, value);
    } catch (err) {
      this.controls?.setError(key, message(err));
      if (commit) this.interaction = false;
      return;
    }
    this.newScenario();
    this.advanceFor(t, CATCH_UP_MS);
    this.showMessage(null);
    const changed = new URLSearchParams(this.query()).toString() !== before;
    let history = null;
    if (changed || this.interaction) history = this.interaction ? 'replace' : 'push';
    if (!commit && history === 'push') this.interaction = true;
    if (commit) this.interaction = false;
    this.afterChange(history);
  }

  newSeed() {
    const seed = crypto.getRandomValues(new Uint32Array(1))[0];
    this.setKnob('seed', String(seed), true);
  }

  /** Back / forward (or an edited hash) to another state of this lab. The warnings
   *  always follow: they describe the URL now shown, never an earlier one. */
  update(params, notes = []) {
    this.routeNotes = notes;
    let next;
    try {
      next = this.handleFromParams(params);
    } catch (err) {
      this.showMessage(message(err));
      return true;
    }
    const same = next.query_json() === this.handle.query_json();
    if (same) {
      // The same state (e.g. `lr=abc` → no lr): keep the runs, refresh the warnings.
      this.showWarnings(JSON.parse(next.warnings_json()), true);
      this.showMessage(null);
      next.free();
      return true;
    }
    this.showMessage(null);
    this.swapHandle(next, true);
    this.afterChange(null);
    return true;
  }

  // ---------------------------------------------------------------------------
  // The player and the clock.

  setPlaying(playing) {
    this.playing = playing;
    // Slow motion takes its first step at once.
    this.lastTick = 0;
    this.credit = playing ? 1 : 0;
    this.player.setPlaying(playing);
    this.root.dataset.playing = playing ? '1' : '0';
    this.lastStatusText = 0;
    this.dirty = true;
    this.schedule();
  }

  toggle() {
    if (this.playing) {
      this.setPlaying(false);
      return;
    }
    const s = this.status();
    if (s.done || (s.steps > 0 && s.t >= s.steps && s.progress >= 1)) this.handle.reset();
    this.setPlaying(true);
  }

  step() {
    if (this.playing) this.setPlaying(false);
    this.handle.advance(1);
    this.dirty = true;
    this.lastStatusText = 0;
    this.schedule();
  }

  reset() {
    this.handle.reset();
    this.catchUp = 0;
    this.lastDiverged = null;
    this.dirty = true;
    this.lastStatusText = 0;
    this.lastCaption = 0;
    this.schedule();
  }

  schedule() {
    if (!this.raf && !this.destroyed) this.raf = requestAnimationFrame(() => this.frame());
  }

  /** Background work for about WORK_MS, in slices whose size (in steps of a run) is
   *  set from the time the last slice took: aimed at ~2 ms each. */
  work() {
    const start = performance.now();
    if (this.workStart === 0) {
      this.workStart = start;
      this.workStartProgress = this.status().progress;
    }
    let progress = 0;
    for (;;) {
      const t0 = performance.now();
      progress = this.handle.work(this.budget);
      const dt = performance.now() - t0;
      if (dt < 1) this.budget = Math.min(1 << 20, this.budget * 2);
      else if (dt > 3) this.budget = Math.max(1, Math.floor(this.budget * 2 / dt));
      if (progress >= 1 || performance.now() - start > WORK_MS) break;
    }
    return progress;
  }

  /** Seconds of background work left, from the rate so far (null: not known yet). */
  workEta(progress) {
    if (this.workStart === 0 || progress >= 1) return null;
    const elapsed = (performance.now() - this.workStart) / 1000;
    const done = progress - this.workStartProgress;
    if (elapsed < 0.5 || done <= 0) return null;
    return (elapsed / done) * (1 - progress);
  }

  toggleWork() {
    this.workPaused = !this.workPaused;
    if (!this.workPaused) {
      this.workStart = 0; // the rate is measured again
    }
    this.dirty = true;
    this.schedule();
  }

  frame() {
    this.raf = 0;
    if (this.destroyed) return;
    let s = this.status();
    if (s.progress < 1 && !this.workPaused) {
      this.work();
      s = this.status();
      this.dirty = true;
    }
    if (this.catchUp > 0) {
      const want = this.catchUp;
      this.catchUp = 0;
      const taken = this.advanceTimed(want, ADVANCE_MS, false);
      this.catchUp = want - taken;
      this.dirty = true;
      s = this.status();
    } else if (this.playing) {
      // Slow motion (less than a step per frame) is paced by time: a step whenever
      // enough credit has built up, whatever the display's frame rate.
      const perFrame = this.player.speed();
      let want = perFrame;
      if (perFrame < 1) {
        const now = performance.now();
        const dt = this.lastTick ? Math.min(now - this.lastTick, 250) : 1000 / FPS;
        this.lastTick = now;
        this.credit = (this.credit || 0) + perFrame * FPS * dt / 1000;
        want = Math.floor(this.credit);
        this.credit -= want;
      } else {
        this.lastTick = 0;
        this.credit = 0;
      }
      const taken = want > 0 ? this.advanceTimed(want, ADVANCE_MS, true) : 0;
      if (taken > 0) this.dirty = true;
      s = this.status();
      if (s.done || (want > 0 && taken === 0 && s.progress >= 1)) this.setPlaying(false);
    }
    this.checkDiverged(s);
    if (this.dirty) this.render(s);
    if (this.playing || this.catchUp > 0 || (s.progress < 1 && !this.workPaused)) this.schedule();
  }

  /** A divergence that appears stops the animation and is announced. */
  checkDiverged(s) {
    if (s.diverged && s.diverged !== this.lastDiverged && this.playing) this.setPlaying(false);
    this.lastDiverged = s.diverged;
    const text = s.diverged ? clean(s.diverged) : '';
    if (this.divergedBox.textContent !== text) this.divergedBox.textContent = text;
    this.divergedBox.hidden = !text;
    this.root.dataset.diverged = text ? '1' : '0';
  }

  render(s) {
    this.dirty = false;
    // While playing, charts that take long to draw (thousands of steps of many paths)
    // take turns, one per frame, so that a frame stays near one chart's drawing time.
    const slow = this.playing && this.chartViews.length > 1 && this.drawMs > 20;
    const views = slow ? [this.chartViews[this.draws % this.chartViews.length]] : this.chartViews;
    const t0 = performance.now();
    for (const v of views) this.drawChart(v);
    this.drawMs = (performance.now() - t0) / views.length;
    this.draws += 1;
    const now = performance.now();
    const r = this.root.dataset;
    r.t = String(s.t);
    r.steps = String(s.steps);
    r.done = s.done ? '1' : '0';
    r.progress = String(s.progress);
    r.draws = String(this.draws);
    r.playing = this.playing ? '1' : '0';

    this.player.progress.hidden = s.progress >= 1;
    this.player.progress.value = s.progress;
    let text = this.embed ? `Step ${s.t} / ${s.steps}` : `Step ${s.t} of ${s.steps}`;
    if (s.done) text += ' · finished';
    else if (this.playing && !this.embed) text += ' · playing';
    const pct = Math.floor(s.progress * 100);
    const eta = this.workEta(s.progress);
    if (eta !== null && eta > HEAVY_S) this.heavy = true;
    const left = eta === null ? '' : ` (about ${eta < 90 ? `${Math.ceil(eta)} s` : `${Math.ceil(eta / 60)} min`} left)`;
    if (s.progress < 1 && this.workPaused) text += ` · runs stopped at ${pct} %`;
    else if (s.progress < 1) text += this.embed ? ` · runs ${pct} %${left}` : ` · computing the runs: ${pct} %${left}`;
    const offer = s.progress < 1 && (this.heavy || this.workPaused);
    this.workButton.hidden = !offer;
    const label = this.workPaused ? 'Continue computing' : 'Stop computing';
    if (this.workButton.textContent !== label) this.workButton.textContent = label;
    if (this.player.status.textContent !== text) this.player.status.textContent = text;
    if (!this.playing || now - this.lastStatusText >= SPOKEN_MS) {
      this.lastStatusText = now;
      const spoken = `${this.playing ? 'Playing, step' : 'Step'} ${s.t} of ${s.steps}${s.done ? ', finished' : ''}`
        + `${s.progress < 1 ? `; computing the runs, ${pct} %` : ''}`;
      if (this.player.live.textContent !== spoken) this.player.live.textContent = spoken;
    }
    if (!this.playing || now - this.lastCaption >= CAPTION_MS) {
      this.lastCaption = now;
      this.renderCaption();
    }
  }

  renderCaption() {
    this.describe.textContent = clean(this.handle.describe());
    if (!this.captionText) return;
    const caption = JSON.parse(this.handle.caption_json());
    this.captionText.textContent = clean(caption.text);
    this.facts.replaceChildren(...(caption.facts ?? []).flatMap(([k, v]) => [
      h('dt', {}, clean(k)), h('dd', {}, clean(v)),
    ]));
  }

  // ---------------------------------------------------------------------------
  // Charts: sizes, drawing, heat maps, pointer.

  observeSizes() {
    this.resizer = new ResizeObserver((entries) => {
      let changed = false;
      for (const e of entries) {
        const v = this.chartViews.find((x) => x.canvas === e.target);
        if (!v) continue;
        const css = e.contentRect;
        const dpr = window.devicePixelRatio || 1;
        // The exact device-pixel box where the browser gives one that agrees with the
        // ratio (emulated ratios, as in headless tests, report CSS pixels there).
        const box = e.devicePixelContentBoxSize?.[0];
        const pick = (exact, cssSize) => {
          const est = Math.round(cssSize * dpr);
          return Math.max(1, exact !== undefined && Math.abs(exact - est) <= 1 ? exact : est);
        };
        const w = pick(box?.inlineSize, css.width);
        const hgt = pick(box?.blockSize, css.height);
        v.cssWidth = css.width;
        if (v.canvas.width !== w || v.canvas.height !== hgt) {
          v.canvas.width = w;
          v.canvas.height = hgt;
          v.heatKey = null;
          changed = true;
        }
      }
      // Drawn now, before the browser paints the cleared canvases.
      if (changed && !this.destroyed) this.render(this.status());
    });
    for (const v of this.chartViews) {
      try {
        this.resizer.observe(v.canvas, { box: 'device-pixel-content-box' });
      } catch {
        this.resizer.observe(v.canvas);
      }
    }
  }

  /** Text height in canvas pixels: 12–15 CSS pixels, by the chart's width. */
  textPx(v) {
    const css = v.cssWidth || v.canvas.clientWidth || 400;
    const ratio = v.canvas.width / css;
    return Math.min(15, Math.max(12, css / 34)) * (Number.isFinite(ratio) && ratio > 0 ? ratio : 1);
  }

  drawChart(v) {
    const { canvas, info } = v;
    if (canvas.width < 2 || canvas.height < 2 || v.cssWidth === 0) return;
    const textPx = this.textPx(v);
    try {
      if (info.heatmap) {
        const key = `${canvas.width}x${canvas.height}@${textPx}#${this.version}`;
        if (v.heatKey !== key) {
          v.heat = this.handle.heatmap(info.id, canvas.width, canvas.height, textPx) ?? null;
          v.heatKey = key;
          v.heatFrame = null;
        }
        const g = canvas.getContext('2d');
        if (v.heat) g.putImageData(v.heat.image, v.heat.left, v.heat.top);
        else {
          g.fillStyle = '#ffffff';
          g.fillRect(0, 0, canvas.width, canvas.height);
        }
      }
      this.handle.draw(info.id, canvas, textPx);
      const frame = this.handle.frame_json(info.id) ?? '';
      if (v.figure.dataset.frame !== frame) v.figure.dataset.frame = frame; // (for tests)
      if (info.heatmap) {
        // If the chart's box moved since the heat map was made, make it again.
        if (v.heatFrame === null) v.heatFrame = frame;
        else if (frame !== v.heatFrame) {
          v.heatKey = null;
          this.dirty = true;
          this.schedule();
        }
      }
      if (!v.error.hidden) v.error.hidden = true;
    } catch (err) {
      v.error.textContent = `This chart could not be drawn: ${message(err)}`;
      v.error.hidden = false;
    }
  }

  /** Canvas pixel of a pointer event. */
  pixelOf(v, e) {
    const r = v.canvas.getBoundingClientRect();
    return {
      x: ((e.clientX - r.left) * v.canvas.width) / (r.width || 1),
      y: ((e.clientY - r.top) * v.canvas.height) / (r.height || 1),
    };
  }

  bindPointer(v) {
    let g = null;
    const c = v.canvas;
    c.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      try {
        c.setPointerCapture(e.pointerId);
      } catch { /* not capturable: fine */ }
      const p = this.pixelOf(v, e);
      g = { id: e.pointerId, start: p, last: p, moved: false, grabbed: false, refused: false, t: this.status().t };
      e.preventDefault();
    });
    c.addEventListener('pointermove', (e) => {
      if (!g || e.pointerId !== g.id) return;
      const p = this.pixelOf(v, e);
      const ratio = c.width / (v.cssWidth || 1);
      if (!g.moved && Math.hypot(p.x - g.start.x, p.y - g.start.y) < 4 * ratio) return;
      g.moved = true;
      if (g.refused) return;
      let changed = false;
      try {
        changed = this.handle.drag(v.info.id, g.last.x, g.last.y, p.x, p.y);
      } catch (err) {
        this.showMessage(message(err));
      }
      if (changed) {
        g.last = p;
        if (g.t > 0) this.handle.advance(g.t);
        this.afterChange(g.grabbed ? 'replace' : 'push');
        g.grabbed = true;
      } else if (!g.grabbed) {
        g.refused = true;
      }
    });
    const end = (e) => {
      if (!g || e.pointerId !== g.id) return;
      const gesture = g;
      g = null;
      if (e.type !== 'pointerup' || gesture.moved) return;
      let changed = false;
      try {
        changed = this.handle.click(v.info.id, gesture.start.x, gesture.start.y);
      } catch (err) {
        this.showMessage(message(err));
      }
      if (changed) {
        if (gesture.t > 0) this.handle.advance(gesture.t);
        this.afterChange('push');
      }
    };
    c.addEventListener('pointerup', end);
    c.addEventListener('pointercancel', end);
  }

  // ---------------------------------------------------------------------------
  // Export, import, share.

  fileName(ext) {
    return `sgd-lab-${this.id}.${ext}`;
  }

  async exportPng(k) {
    const v = this.chartViews[k];
    try {
      download(await canvasPng(v.canvas), `sgd-lab-${this.id}-${v.info.id}.png`);
    } catch (err) {
      this.showMessage(message(err));
    }
  }

  exportCsv() {
    download(new Blob([this.handle.csv()], { type: 'text/csv' }), this.fileName('csv'));
  }

  exportScenario() {
    download(new Blob([this.handle.scenario_json()], { type: 'application/json' }), this.fileName('json'));
  }

  async importFile(input) {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) {
      this.showMessage(`“${file.name}” is ${file.size} bytes; a scenario file is at most ${MAX_IMPORT_BYTES} bytes (20 MiB).`);
      return;
    }
    let next;
    try {
      next = this.core.LabHandle.from_scenario(await file.text(), this.id);
    } catch (err) {
      this.showMessage(`“${file.name}” could not be opened: ${message(err)}`);
      return;
    }
    this.showMessage(null);
    if (next.id() !== this.id) {
      // Another lab's scenario: that lab's page adopts it.
      pendingImport = { id: next.id(), handle: next };
      location.hash = hashOf(JSON.parse(next.query_json()));
      return;
    }
    this.swapHandle(next, false);
    this.setPlaying(false);
    this.afterChange('push', { fromFile: true });
    this.shareNote.textContent = `Opened “${file.name}”.`;
  }

  async share(kind) {
    let text;
    if (kind === 'link') {
      text = location.href;
    } else {
      const url = new URL('embed.html', document.baseURI);
      url.hash = hashOf(this.query()).slice(1);
      text = embedCode(url.href, `SGD Lab: ${this.ctx.lab.title}`);
    }
    this.shareOut.hidden = false;
    this.shareOut.value = text;
    const copied = await copyText(text);
    const what = kind === 'link' ? 'Link' : 'Embed code';
    this.shareNote.textContent = copied
      ? `${what} copied to the clipboard (it is also in the field above).`
      : `Select the ${what.toLowerCase()} in the field above and copy it (the browser did not allow copying).`;
    this.shareOut.focus();
    this.shareOut.select();
  }

  // ---------------------------------------------------------------------------

  destroy() {
    this.destroyed = true;
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
    this.resizer?.disconnect();
    this.removeKeys?.();
    this.handle?.free();
    this.handle = null;
  }
}
