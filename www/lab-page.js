// The lab page: one generic view for every lab whose Rust `ready` flag is true. The
// core owns the simulation behind a LabHandle (knobs, charts, caption, CSV, clicks);
// this module owns the page's state and wiring: the DOM, the knobs, the player, the
// URL. The clock (clock.js), the charts (chart-view.js) and save / share (share.js)
// are their own modules. Nothing here knows a particular lab except the formula
// table in formulas.js.
//
// Registered by lab-views.js; main.js calls `mount(container, ctx)` and, when the hash
// changes to another state of the same lab (back / forward), `update(params)`.
//
// Test hooks on the root element `.lab-page`: data-lab, data-t, data-steps,
// data-done, data-progress, data-playing, data-diverged ("1"/"0"), data-query (the
// state as URL parameters), data-draws (how many times the charts were drawn),
// data-preparing ("1" while an import is built in slices: prepare.js); on
// each figure.chart, data-frame (see chart-view.js).

import { h, clean, message } from './dom.js';
import { buildKnobs } from './controls.js';
import { buildPlayer, bindKeys } from './player.js';
import { formula, formulaLabel } from './formulas.js';
import { Clock } from './clock.js';
import { ChartView, observeSizes, chartSwitcher } from './chart-view.js';
import { Readout } from './readout.js';
import { Share, takePendingImport } from './share.js';
import { splitLesson, lessonPairs, applyLesson, clearLesson, buildLessonPanel } from './lesson.js';
import { applyPresent, presenterKeys } from './present.js';
import { buildQuiz } from './quiz.js';
import { runBuild } from './prepare.js';

/** Above this many seconds of remaining work, the page offers Stop / Continue. */
const HEAVY_S = 3;
/** How often the caption and the spoken status follow a playing animation. */
const CAPTION_MS = 250;
/** How often the visible step counter follows a playing animation (each change
 *  lays the page out again: #8). */
const STATUS_MS = 100;
const SPOKEN_MS = 3000;

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

class LabPage {
  constructor(container, ctx) {
    this.ctx = ctx;
    this.core = ctx.core;
    this.id = ctx.lab.id;
    this.embed = Boolean(ctx.embed);
    this.playing = false;
    this.dirty = true;
    this.drawMs = 0; // measured time to draw one chart
    this.version = 0;
    this.draws = 0;
    this.lastDiverged = null;
    this.lastCaption = 0;
    this.lastStatusText = 0;
    this.lastStatusShown = 0;
    this.interaction = false; // a slider drag or pointer drag has pushed its history entry
    this.destroyed = false;
    /** Notes about the route itself (a repeated `lab`), shown with the warnings. */
    this.routeNotes = ctx.notes ?? [];
    this.clock = new Clock(this);
    this.shareBox = new Share(this);

    const imported = takePendingImport(this.id);
    this.handle = imported ?? this.handleFromParams(ctx.params);
    this.charts = this.handle.charts();
    this.knobs = this.handle.knobs();
    // A lesson link's hide= / autoplay= / speed= (lesson.js): the page's, not the core's.
    const lessonLink = splitLesson(ctx.params, this.knobKeys());
    this.lesson = lessonLink.lesson;
    this.routeNotes = [...this.routeNotes, ...lessonLink.notes];

    this.build(container);
    this.presentOnly = applyPresent(this.root, this.lesson.present, 0);
    this.removePresentKeys = presenterKeys(document, {
      root: this.root,
      on: () => this.lesson.present,
      setOnly: (n) => this.setPresentOnly(n),
      exit: () => this.exitPresent(),
    });
    this.removeKeys = bindKeys(document, {
      toggle: () => this.toggle(),
      step: () => this.step(),
      reset: () => this.reset(),
    });
    this.resizer = observeSizes(this.chartViews, () => {
      if (!this.destroyed) this.render(this.status());
    });
    this.afterChange(null, { fromFile: Boolean(imported) });
    this.player.setSpeedFor(this.status().steps, this.handle.steps_per_second());
    if (this.lesson.speed !== null) this.player.setPosition(this.lesson.speed);
    if (this.lesson.autoplay) this.setPlaying(true);
  }

  /** Writes the lab's state (`pairs`) and the lesson's keys into the URL. */
  writeUrl(pairs, history) {
    const settings = settingsOf(pairs);
    for (const [k, v] of lessonPairs(this.lesson)) settings.append(k, v);
    this.ctx.setParams(settings, { push: history === 'push' });
    this.routeNotes = []; // the URL is now the lab's own
  }

  /** Presenter mode: chart `n` alone (0: every chart). */
  setPresentOnly(n) {
    this.presentOnly = applyPresent(this.root, this.lesson.present, n);
    this.dirty = true;
    this.clock.schedule();
  }

  /** Leaves presenter mode (Esc): the usual page, and the URL without present=1. */
  exitPresent() {
    this.lesson.present = false;
    this.presentOnly = applyPresent(this.root, false);
    this.writeUrl(this.query(), 'push');
    this.showWarnings(this.handle.warnings(), true);
    this.dirty = true;
    this.clock.schedule();
  }

  knobKeys() {
    return this.knobs.map((k) => k.key);
  }

  // ---------------------------------------------------------------------------
  // The boundary: the handle answers with JavaScript values (serde-wasm-bindgen).

  handleFromParams(params) {
    const { params: own } = splitLesson(params, []);
    return this.core.LabHandle.from_query([['lab', this.id], ...own.entries()]);
  }

  /** The URL parameters of `handle`'s state: `[[key, value], …]`, `lab` first. */
  queryOf(handle) {
    return handle.query();
  }

  query() {
    return this.handle.query();
  }

  status() {
    const s = this.handle.status();
    const num = (v, d) => (Number.isFinite(v) ? v : d);
    return {
      t: num(s.t, 0),
      steps: num(s.steps, 0),
      done: Boolean(s.done),
      progress: Math.min(1, Math.max(0, num(s.progress, 1))),
      diverged: typeof s.diverged === 'string' ? s.diverged : null,
      clock: typeof s.clock === 'string' ? s.clock : null,
    };
  }

  // ---------------------------------------------------------------------------
  // The page.

  build(container) {
    const alerts = h('div', { class: 'lab-alerts' });
    this.warnBox = h('div', { class: 'lab-warnings', role: 'alert' });
    this.divergedBox = h('p', { class: 'lab-diverged', role: 'alert' });
    this.messageBox = h('p', { class: 'lab-message', role: 'alert' });
    // A large problem being built, a slice per frame (prepare.js), with its Cancel:
    // where the student acted (beside Import, or under the player for a knob).
    this.prepText = h('span', { class: 'preparing-text' });
    this.prepBox = h('p', { class: 'lab-preparing', role: 'status', hidden: true }, this.prepText,
      h('button', { type: 'button', class: 'btn-cancel-prep', onclick: () => this.cancelPreparing(true) }, 'Cancel'));
    alerts.append(this.warnBox, this.divergedBox, this.messageBox);
    // What a chart's keyboard cursor reads (www/readout.js), for screen readers.
    this.readoutLive = h('p', { class: 'visually-hidden readout-live', 'aria-live': 'polite' });
    alerts.append(this.readoutLive);

    this.describeId = `describe-${this.id}`;
    this.chartViews = this.charts.map((info) => this.buildChart(info));
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
    // Predict, then play: above the charts with quiz=1, else closed under the caption
    // (the embed shows it only with quiz=1).
    this.quiz = this.embed && !this.lesson.quiz ? null : buildQuiz({ first: this.lesson.quiz });
    const quizFirst = this.lesson.quiz ? this.quiz.element : null;
    if (this.embed) {
      // More charts than fit side by side: one at a time, chosen by tabs.
      this.switcher = chartSwitcher(this.chartViews, charts);
      this.root.append(alerts, ...[quizFirst].filter(Boolean), this.switcher.element, charts, this.player.element);
      this.describe = h('p', { id: this.describeId, class: 'visually-hidden' });
      this.root.append(this.describe);
    } else {
      this.side = h('div', { class: 'lab-side' }, h('h3', {}, 'Settings'));
      this.buildControls();
      // Presenter mode's one-line caption (hidden otherwise: style.css).
      this.subtitle = h('p', { class: 'present-subtitle' });
      const stage = h('div', { class: 'lab-stage' }, quizFirst, charts, this.subtitle, this.player.element, this.buildCaption(),
        this.lesson.quiz ? null : this.quiz.element);
      this.lessonPanel = buildLessonPanel({
        title: `SGD Lab: ${this.ctx.lab.title}`,
        pairs: () => this.query(),
        speed: () => this.player.position(),
        base: (file) => new URL(file, document.baseURI).href,
      });
      const exportSection = this.shareBox.build();
      this.importRow = exportSection.querySelector('.export-buttons');
      exportSection.append(this.lessonPanel.element);
      this.lessonPanel.setKnobs(this.knobs);
      this.root.append(alerts, h('div', { class: 'lab-layout' }, stage, this.side), exportSection);
    }
    container.replaceChildren(this.root);
    applyLesson(this.root, this.lesson);
  }

  /** The knobs' controls, from `this.knobs` (built again when the knobs change). */
  buildControls() {
    const controls = buildKnobs(this.knobs, {
      onInput: (key, value) => this.setKnob(key, value, false),
      onCommit: (key, value) => this.setKnob(key, value, true),
      extra: (key) => (key === 'seed'
        ? h('button', { type: 'button', class: 'btn-new-seed', onclick: () => this.newSeed() }, 'New seed')
        : null),
    });
    if (this.controls) {
      this.controls.element.replaceWith(controls.element);
      this.controls.main.replaceWith(controls.main);
    } else {
      this.side.append(controls.element);
      this.player.element.querySelector('.player-status').before(controls.main);
      this.root.dataset.knobBuilds = '1';
    }
    this.controls = controls;
    if (this.lesson) applyLesson(this.root, this.lesson);
    this.lessonPanel?.setKnobs(this.knobs);
  }

  /** The knobs again from the handle (a lab's knobs may depend on its state): the
   *  controls are built again only when they differ, keeping the focused control. */
  rereadKnobs() {
    const knobs = this.handle.knobs();
    if (JSON.stringify(knobs) === JSON.stringify(this.knobs)) return;
    this.knobs = knobs;
    const inControls = [this.controls.element, this.controls.main].some((el) => el.contains(document.activeElement));
    const focused = inControls ? document.activeElement.id : null;
    this.buildControls();
    this.root.dataset.knobBuilds = String(Number(this.root.dataset.knobBuilds ?? 1) + 1);
    if (focused) document.getElementById(focused)?.focus();
  }

  buildChart(info) {
    const view = new ChartView(info, { describeId: this.describeId, embed: this.embed });
    view.readout = new Readout(view, {
      source: () => this.handle,
      announce: (text) => {
        if (this.readoutLive) this.readoutLive.textContent = text;
      },
    });
    view.canvas.parentElement.append(view.readout.layer);
    if (info.click) {
      view.bindPointer({
        click: (at) => this.handle.click(info.id, at.x, at.y),
        drag: (from, to) => this.handle.drag(info.id, from.x, from.y, to.x, to.y),
        changed: (kind) => {
          this.cancelPreparing();
          this.restart();
          this.afterChange(kind);
        },
        error: (text) => this.showMessage(text),
      });
    }
    return view;
  }

  buildCaption() {
    this.captionText = h('p', { class: 'caption-text' });
    this.facts = h('dl', { class: 'facts' });
    // A lab's table of numbers (gd-vs-sgd): the core's cells, as text; it scrolls
    // sideways on a phone, so it is a focusable region.
    this.tableBox = h('div', { class: 'lab-table', tabindex: '0', role: 'region', 'aria-label': 'Table of the numbers', hidden: true });
    const math = formula(this.id);
    this.describe = h('p', { id: this.describeId, class: 'describe' });
    return h('section', { class: 'lab-caption', 'aria-labelledby': 'caption-heading' },
      h('h3', { id: 'caption-heading' }, 'What you see'),
      this.captionText,
      math.length ? h('figure', { class: 'formula' },
        // Focusable: a formula wider than a phone scrolls, and the keyboard must reach it.
        h('div', { class: 'formula-math', tabindex: '0', role: 'group', 'aria-label': formulaLabel(this.id) }, math),
        h('figcaption', {}, formulaLabel(this.id))) : null,
      this.tableBox,
      this.facts,
      h('details', { class: 'describe-box' }, h('summary', {}, 'Text description of the charts'), this.describe));
  }

  // ---------------------------------------------------------------------------
  // State.

  /** Rule 9 (shared/TEACHING.md): a change restarts the story. The handle holds the
   *  new scenario at step 0; the page shows it from there, and keeps playing if it
   *  was playing (the new start, the new step size are seen from their first step). */
  restart() {
    this.clock.restart(this.playing);
  }

  /** Replaces the handle (freeing the old one) and restarts with the new one. */
  swapHandle(next) {
    this.handle.free();
    this.handle = next;
    this.restart();
  }

  /** Builds `build` (a core LabBuild) a slice per frame while the page goes on with
   *  its state; `use(handle)` then gets the lab, or `failed(text)` says why there is
   *  none. `what` names it in the status line (“case.json”). A change of the state
   *  (a knob, a click, back / forward) or another import cancels it. */
  prepare(build, what, { use, failed, near = this.importRow, cancelled = null }) {
    this.cancelPreparing();
    if (near && this.prepBox.previousElementSibling !== near) near.after(this.prepBox);
    this.onCancelled = cancelled;
    this.preparing = runBuild(build, {
      done: (handle) => {
        this.endPreparing();
        use(handle);
      },
      failed: (text) => {
        this.endPreparing();
        failed(text);
      },
      progress: (doing, seconds) => {
        this.prepBox.hidden = false;
        this.root.dataset.preparing = '1';
        this.prepText.textContent = `Preparing ${what}: ${doing || 'building the lab'} · ${seconds.toFixed(1)} s `;
      },
    });
    if (this.preparing.over) this.preparing = null; // (built in the first slice)
  }

  /** Stops a build in progress; the page keeps its state. `byUser`: the Cancel button. */
  cancelPreparing(byUser = false) {
    if (!this.preparing) return;
    const focused = this.prepBox.contains(document.activeElement);
    const cancelled = this.onCancelled;
    this.preparing.cancel();
    this.endPreparing();
    if (byUser) cancelled?.(focused);
  }

  endPreparing() {
    this.preparing = null;
    this.onCancelled = null;
    this.prepBox.hidden = true;
    this.prepText.textContent = '';
    this.root.dataset.preparing = '0';
  }

  /** A handle from an imported file of this lab: shown from step 0, paused. */
  adopt(next) {
    this.swapHandle(next);
    this.setPlaying(false);
    this.afterChange('push', { fromFile: true });
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
      this.rereadKnobs();
      this.controls.clearErrors();
      this.controls.setValues(new Map(pairs));
    }
    if (history) this.writeUrl(pairs, history);
    this.lessonPanel?.refresh();
    this.showWarnings(this.handle.warnings(), !fromFile);
    for (const v of this.chartViews) v.heatKey = null;
    this.dirty = true;
    this.lastCaption = 0;
    this.lastStatusText = 0;
    this.clock.schedule();
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
    this.cancelPreparing();
    const refused = (text) => {
      this.controls?.setError(key, text);
      if (commit) this.interaction = false;
    };
    let build;
    try {
      build = this.core.LabBuild.for_knob(this.handle, key, value);
    } catch (err) {
      refused(message(err));
      return;
    }
    // At once as a rule (the problem is reused); in slices when a knob changes a
    // large imported problem.
    const label = this.knobs.find((k) => k.key === key)?.label ?? key;
    this.prepare(build, `${label} = ${String(value).trim()}`, {
      near: this.player.element,
      failed: refused,
      cancelled: (focused) => {
        // The controls show the state kept.
        this.controls?.setValues(new Map(this.query()));
        if (commit) this.interaction = false;
        if (focused) document.getElementById(`knob-${key}`)?.focus();
      },
      use: (next) => {
        this.swapHandle(next);
        this.showMessage(null);
        const changed = new URLSearchParams(this.query()).toString() !== before;
        let history = null;
        if (changed || this.interaction) history = this.interaction ? 'replace' : 'push';
        if (!commit && history === 'push') this.interaction = true;
        if (commit) this.interaction = false;
        this.afterChange(history);
      },
    });
  }

  /** A seed drawn by the core (getrandom), as `"seed": "random"` in a file is. */
  newSeed() {
    this.setKnob('seed', String(this.core.draw_seed()), true);
  }

  /** Back / forward (or an edited hash) to another state of this lab. The warnings
   *  always follow: they describe the URL now shown, never an earlier one. */
  update(params, notes = []) {
    this.cancelPreparing();
    const lessonLink = splitLesson(params, this.knobKeys());
    this.lesson = lessonLink.lesson;
    applyLesson(this.root, this.lesson);
    this.presentOnly = applyPresent(this.root, this.lesson.present, this.presentOnly);
    this.dirty = true;
    this.routeNotes = [...notes, ...lessonLink.notes];
    let next;
    try {
      next = this.handleFromParams(params);
    } catch (err) {
      this.showMessage(message(err));
      return true;
    }
    const same = next.query_string() === this.handle.query_string();
    if (same) {
      // The same state (e.g. `lr=abc` → no lr): keep the runs, refresh the warnings.
      this.showWarnings(next.warnings(), true);
      this.showMessage(null);
      next.free();
      return true;
    }
    this.showMessage(null);
    this.swapHandle(next);
    this.afterChange(null);
    return true;
  }

  // ---------------------------------------------------------------------------
  // The player.

  setPlaying(playing) {
    this.playing = playing;
    this.clock.startPacing(playing);
    this.player.setPlaying(playing);
    this.root.dataset.playing = playing ? '1' : '0';
    this.lastStatusText = 0;
    this.dirty = true;
    this.clock.schedule();
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
    this.clock.schedule();
  }

  reset() {
    this.handle.reset();
    this.lastDiverged = null;
    this.dirty = true;
    this.lastStatusText = 0;
    this.lastCaption = 0;
    this.clock.schedule();
  }

  toggleWork() {
    this.clock.toggleWork();
    this.dirty = true;
    this.clock.schedule();
  }

  // ---------------------------------------------------------------------------
  // Drawing (called by the clock when something changed).

  /** A divergence that appears stops the animation and is announced. */
  checkDiverged(s) {
    // The first divergence of a run pauses the animation (the message is read); later
    // ones only change the message (one pause, not one per diverging path).
    if (s.diverged && !this.lastDiverged && this.playing) this.setPlaying(false);
    this.lastDiverged = s.diverged;
    const text = s.diverged ? clean(s.diverged) : '';
    if (this.divergedBox.textContent !== text) this.divergedBox.textContent = text;
    // (Set only on a change: even an unchanged attribute recalculates style.)
    if (this.divergedBox.hidden !== !text) this.divergedBox.hidden = !text;
    this.root.dataset.diverged = text ? '1' : '0';
  }

  render(s) {
    this.dirty = false;
    // A lesson's hide=theory: the core leaves the theory overlays out of every chart.
    const theory = !this.lesson.hide.includes('theory');
    if (this.handle.theory() !== theory) {
      this.handle.set_theory(theory);
      this.version += 1; // (every chart is drawn again)
    }
    this.root.dataset.theory = theory ? '1' : '0'; // (for tests)
    // Fewer canvas pixels while playing, full sharpness at rest (chart-view.js).
    let resized = false;
    for (const v of this.chartViews) resized = v.fit(this.playing) || resized;
    // While playing, charts that take long to draw (thousands of steps of many paths)
    // take turns, one per frame, so that a frame stays near one chart's drawing time
    // (but a canvas just resized is blank: all are drawn then).
    const slow = !resized && this.playing && this.chartViews.length > 1 && this.drawMs > 20;
    const views = slow ? [this.chartViews[this.draws % this.chartViews.length]] : this.chartViews;
    const t0 = performance.now();
    let again = false;
    for (const v of views) again = v.draw(this.handle, this.version, s) || again;
    if (again) {
      this.dirty = true;
      this.clock.schedule();
    }
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
    this.renderStatus(s, now);
    if (!this.playing || now - this.lastCaption >= CAPTION_MS) {
      this.lastCaption = now;
      this.renderCaption();
    }
  }

  renderStatus(s, now) {
    const { clock } = this;
    const { progress } = this.player;
    if (progress.hidden !== s.progress >= 1) progress.hidden = s.progress >= 1;
    if (progress.value !== s.progress) progress.value = s.progress;
    // A lab whose clock is not steps says where it is in its own words.
    const where = s.clock ?? (this.embed ? `Step ${s.t} / ${s.steps}` : `Step ${s.t} of ${s.steps}`);
    let text = where;
    if (s.done) text += ' · finished';
    else if (this.playing && !this.embed) text += ' · playing';
    const pct = Math.floor(s.progress * 100);
    const eta = clock.workEta(s.progress);
    if (eta !== null && eta > HEAVY_S) clock.heavy = true;
    const left = eta === null ? '' : ` (about ${eta < 90 ? `${Math.ceil(eta)} s` : `${Math.ceil(eta / 60)} min`} left)`;
    if (s.progress < 1 && clock.workPaused) text += ` · runs stopped at ${pct} %`;
    else if (s.progress < 1) text += this.embed ? ` · runs ${pct} %${left}` : ` · computing the runs: ${pct} %${left}`;
    const offer = s.progress < 1 && (clock.heavy || clock.workPaused);
    if (this.workButton.hidden !== !offer) this.workButton.hidden = !offer;
    const label = clock.workPaused ? 'Continue computing' : 'Stop computing';
    if (this.workButton.textContent !== label) this.workButton.textContent = label;
    if (this.player.status.textContent !== text && (!this.playing || now - this.lastStatusShown >= STATUS_MS)) {
      this.lastStatusShown = now;
      this.player.status.textContent = text;
    }
    if (!this.playing || now - this.lastStatusText >= SPOKEN_MS) {
      this.lastStatusText = now;
      const spoken = `${this.playing ? 'Playing, ' : ''}${s.clock ?? `${this.playing ? 'step' : 'Step'} ${s.t} of ${s.steps}`}${s.done ? ', finished' : ''}`
        + `${s.progress < 1 ? `; computing the runs, ${pct} %` : ''}`;
      if (this.player.live.textContent !== spoken) this.player.live.textContent = spoken;
    }
  }

  /** The caption, the facts and the text description; only what changed is
   *  replaced (each change lays the page out again). */
  renderCaption() {
    const setText = (el, text) => {
      if (el.textContent !== text) el.textContent = text;
    };
    setText(this.describe, clean(this.handle.describe()));
    this.quiz?.update(this.handle.quiz());
    if (!this.captionText) return;
    const caption = this.handle.caption();
    setText(this.captionText, clean(caption.text));
    // The subtitle: the caption's first sentence.
    if (this.subtitle) setText(this.subtitle, clean(caption.text).split(/(?<=[.!?])\s/)[0]);
    const facts = (caption.facts ?? []).map(([k, v]) => [clean(k), clean(v)]);
    const shown = this.facts.children;
    if (shown.length === 2 * facts.length) facts.flat().forEach((text, i) => setText(shown[i], text));
    else this.facts.replaceChildren(...facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
    this.renderTable();
  }

  /** The lab's table, built again only when a cell changed. */
  renderTable() {
    const t = this.handle.table();
    const key = t ? JSON.stringify(t) : '';
    if (key === this.tableKey) return;
    this.tableKey = key;
    this.tableBox.hidden = !t;
    if (!t) {
      this.tableBox.replaceChildren();
      return;
    }
    this.tableBox.replaceChildren(h('table', {},
      h('caption', {}, clean(t.title)),
      h('thead', {}, h('tr', {}, t.head.map((c) => h('th', { scope: 'col' }, clean(c))))),
      h('tbody', {}, t.rows.map((row) => h('tr', {}, row.map((c, i) => h(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row' } : { class: c.length > 24 ? 'long' : null }, clean(c))))))));
  }

  /** Draws the charts again (after one was drawn elsewhere, as a slide figure). */
  redraw() {
    if (!this.destroyed && this.handle) this.render(this.status());
  }

  /** Chart `k` at full sharpness now (for a PNG while playing; the next frame
   *  returns it to the playing scale). */
  sharpen(k) {
    const v = this.chartViews[k];
    if (v.fit(false)) v.draw(this.handle, this.version, this.status());
    v.low = this.playing;
    return v;
  }

  // ---------------------------------------------------------------------------

  destroy() {
    this.destroyed = true;
    this.cancelPreparing();
    this.clock.stop();
    this.resizer?.disconnect();
    this.switcher?.disconnect();
    this.removeKeys?.();
    clearLesson();
    this.removePresentKeys?.();
    applyPresent(this.root, false);
    this.handle?.free();
    this.handle = null;
  }
}
