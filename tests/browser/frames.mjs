// Frame gaps in the page: the longest time between two animation frames, measured by
// a requestAnimationFrame loop injected through the DevTools protocol (the page's CSP
// does not apply to it). Shared by fuzz.test.mjs and scripts/frame-gaps.mjs.

/** Starts (or restarts) measuring; `since` resets the longest gap. */
export async function startGaps(page) {
  await page.evaluate(() => {
    const g = window.__gaps ?? (window.__gaps = { running: false });
    g.max = 0;
    g.frames = 0;
    g.last = performance.now();
    g.start = g.last;
    if (g.running) return;
    g.running = true;
    const tick = (now) => {
      const gap = now - g.last;
      if (gap > g.max) g.max = gap;
      g.last = now;
      g.frames += 1;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/** `{ max, frames, seconds }` since `startGaps` (the gap still open counts too). */
export async function readGaps(page) {
  return page.evaluate(() => {
    const g = window.__gaps;
    const now = performance.now();
    return { max: Math.max(g.max, now - g.last), frames: g.frames, seconds: (now - g.start) / 1000 };
  });
}

/** The scenario of issue #12 that froze the page for 20–28 s (473 bytes). */
export function freezeFile() {
  return JSON.stringify({
    problem: { kind: 'random_logistic', n: 1000, d: 64, separation: 1, l2: 0.01, seed: 1 },
    method: { kind: 'sgd', lr: 0.05, batch: 1, sampling: 'with_replacement' },
    schedule: { kind: 'constant' },
    averaging: { kind: 'none' },
    w0: new Array(64).fill(0),
    steps: 300,
    runs: 1000,
    seed: 1,
    lab: { id: 'expected-loss' },
  });
}

/** The heaviest legal problem a file can hold (n × d = 10⁶: 15 625 × 64), least
 *  squares or logistic (`kind`), for lab `lab`, as scenario text; `extra` replaces
 *  top-level fields (steps, runs, seed, compare …). */
export function bigScenario(kind, lab, extra = {}) {
  return JSON.stringify({
    problem: kind === 'logistic'
      ? { kind: 'random_logistic', n: 15625, d: 64, separation: 1, l2: 0.01, seed: 1 }
      : { kind: 'random_least_squares', n: 15625, d: 64, noise: 1, kappa: 10, seed: 1 },
    method: { kind: 'sgd', lr: 0.01, batch: 1 },
    w0: new Array(64).fill(0),
    steps: 10000,
    runs: 10000,
    seed: 1,
    lab: { id: lab },
    ...extra,
  });
}

/** Imports `json` as a scenario file on a lab page. */
export async function importScenario(page, name, json) {
  await page.setInputFiles('#import-file', { name, mimeType: 'application/json', buffer: Buffer.from(json) });
}
