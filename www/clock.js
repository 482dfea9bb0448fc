// The clock of a lab page: the animation loop (requestAnimationFrame), the steps it
// takes while playing (slow motion paced by time), and the background work
// (ensembles) in slices measured in time. A new scenario starts the clock afresh
// (`restart`): the page shows it from step 0 (rule 9, shared/TEACHING.md).
//
// Time budgets per animation frame (issue #12: no frame may take more than ~50 ms of
// work, for any legal scenario). Work is measured per slice in time, never carried
// over from one scenario to the next: a new scenario starts with a one-unit slice.

import { FPS } from './player.js';

/** Milliseconds of background work (ensembles) per animation frame. */
const WORK_MS = 6;
/** Milliseconds of animation steps per frame (a heavy problem shows fewer steps). */
const ADVANCE_MS = 8;

export class Clock {
  /** `page`: the lab page (its handle, status(), playing, player, dirty, destroyed,
   *  setPlaying, checkDiverged and render). */
  constructor(page) {
    this.page = page;
    this.raf = 0;
    this.lastTick = 0;
    this.credit = 0;
    this.fresh = false;
    this.newScenario();
  }

  /** A new scenario: time measurements start again (the budget does not carry over
   *  from a cheap problem to a heavy one). */
  newScenario() {
    this.budget = 1;
    this.stepMs = 0; // measured cost of one animation step (0: not measured yet)
    this.workPaused = false;
    this.workStart = 0; // when this scenario's background work started, and at what progress
    this.workStartProgress = 0;
    this.heavy = false;
  }

  /** The handle holds a new scenario at step 0: measurements and pacing start
   *  again, and a playing animation goes on from there. */
  restart(playing) {
    this.newScenario();
    this.startPacing(playing);
    this.fresh = true; // the next frame shows step 0 before it steps on
    this.schedule();
  }

  /** Starts play or slow motion afresh (slow motion takes its first step at once). */
  startPacing(playing) {
    this.lastTick = 0;
    this.credit = playing ? 1 : 0;
  }

  /** Advances by up to `steps` in slices sized by the measured cost of a step, and
   *  stops after about `ms`, or when a divergence appears, so that a fast animation
   *  stops close to the step where it happened. */
  advanceTimed(steps, ms) {
    const { page } = this;
    const start = performance.now();
    const before = page.lastDiverged;
    const most = Math.max(1, Math.ceil(steps / 64));
    let taken = 0;
    while (taken < steps) {
      const slice = this.stepMs > 0 ? Math.max(1, Math.min(most, Math.floor(1 / this.stepMs))) : 1;
      const t0 = performance.now();
      const n = page.handle.advance(Math.min(slice, steps - taken));
      const dt = performance.now() - t0;
      if (n > 0) {
        const per = Math.max(dt / n, 1e-4);
        this.stepMs = this.stepMs > 0 ? 0.5 * this.stepMs + 0.5 * per : per;
      }
      taken += n;
      if (n === 0) break;
      if (n < steps) {
        const d = page.status().diverged;
        if (d && d !== before) break;
      }
      if (performance.now() - start > ms) break;
    }
    return taken;
  }

  /** Background work for about WORK_MS, in slices whose size (in steps of a run) is
   *  set from the time the last slice took: aimed at ~2 ms each. */
  work() {
    const start = performance.now();
    if (this.workStart === 0) {
      this.workStart = start;
      this.workStartProgress = this.page.status().progress;
    }
    let progress = 0;
    for (;;) {
      const t0 = performance.now();
      progress = this.page.handle.work(this.budget);
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
    if (!this.workPaused) this.workStart = 0; // the rate is measured again
  }

  schedule() {
    if (!this.raf && !this.page.destroyed) this.raf = requestAnimationFrame(() => this.frame());
  }

  stop() {
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
  }

  /** Steps to take this frame while playing: the speed, or in slow motion (less than
   *  a step per frame) a step whenever enough credit has built up, whatever the
   *  display's frame rate. */
  stepsNow() {
    const perFrame = this.page.player.speed();
    if (perFrame >= 1) {
      this.lastTick = 0;
      this.credit = 0;
      return perFrame;
    }
    const now = performance.now();
    const dt = this.lastTick ? Math.min(now - this.lastTick, 250) : 1000 / FPS;
    this.lastTick = now;
    this.credit = (this.credit || 0) + perFrame * FPS * dt / 1000;
    const want = Math.floor(this.credit);
    this.credit -= want;
    return want;
  }

  frame() {
    this.raf = 0;
    const { page } = this;
    if (page.destroyed) return;
    let s = page.status();
    if (s.progress < 1 && !this.workPaused) {
      this.work();
      s = page.status();
      page.dirty = true;
    }
    if (this.fresh) {
      this.fresh = false;
      page.dirty = true;
    } else if (page.playing) {
      const want = this.stepsNow();
      const taken = want > 0 ? this.advanceTimed(want, ADVANCE_MS) : 0;
      if (taken > 0) page.dirty = true;
      s = page.status();
      if (s.done || (want > 0 && taken === 0 && s.progress >= 1)) page.setPlaying(false);
    }
    page.checkDiverged(s);
    if (page.dirty) page.render(s);
    if (page.playing || (s.progress < 1 && !this.workPaused)) this.schedule();
  }
}
