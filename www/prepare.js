// Building a lab in slices (#12). An imported scenario may hold a large problem
// (n × d = 10⁶ takes about half a second to generate, factor and analyse): built in
// one piece, the page would not answer for that long. The core's `LabBuild` goes on a
// slice at a time (src/slice.rs); this module runs one slice of a few milliseconds per
// animation frame (the core's loops watch the clock) and says how far it is.
//
// An ordinary scenario is built in the first slice, at once, exactly as before: the
// status line appears only for one that needs more. Used for imports and for knobs
// (a knob that changes a large imported problem, κ for example, builds it again).

import { message } from './dom.js';

/** The first slice, run at once: an ordinary build (every lab's default, a knob that
 *  keeps the problem: a few milliseconds) ends within it, in the same task as the
 *  click, as if there were no slices. */
const FIRST_MS = 30;
/** Each later slice (a frame is 16.7 ms; the page draws in the rest). */
const SLICE_MS = 8;
/** How often the status text follows (it is read out by screen readers). */
const STATUS_MS = 500;

/** Runs `build` (a LabBuild) to its end, a slice per frame. `done(handle)` or
 *  `failed(text)` is called once, at once when the first slice is enough;
 *  `progress(text)` says what it is doing in between. Returns `{ cancel() }`. */
export function runBuild(build, { done, failed, progress }) {
  const t0 = performance.now();
  let frame = -1; // (-1: the first slice)
  let over = false;
  let lastShown = -Infinity;
  const finish = () => {
    over = true;
    let handle;
    try {
      handle = build.finish(); // (frees the build)
    } catch (err) {
      failed(message(err));
      return;
    }
    done(handle);
  };
  const slice = () => {
    if (build.step(frame === -1 ? FIRST_MS : SLICE_MS)) {
      finish();
      return;
    }
    const now = performance.now();
    if (now - lastShown >= STATUS_MS) {
      lastShown = now;
      progress(build.doing(), (now - t0) / 1000);
    }
    frame = requestAnimationFrame(() => {
      frame = 0;
      slice();
    });
  };
  slice();
  return {
    get over() {
      return over;
    },
    cancel() {
      if (over) return;
      over = true;
      cancelAnimationFrame(frame);
      build.free();
    },
  };
}
