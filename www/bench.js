// The benchmark page (www/bench.html): times the core's ensemble in WebAssembly and the
// same loop in plain JavaScript on the same data, and publishes the medians in
// document.body.dataset.result (JSON) for scripts/bench-web.mjs.
// Query: ?runs=10000&steps=1000&reps=5

import { loadCore } from './loader.js';

const params = new URLSearchParams(location.search);
const RUNS = Number(params.get('runs') ?? 10000);
const STEPS = Number(params.get('steps') ?? 1000);
const REPS = Number(params.get('reps') ?? 5);

/** xoshiro128**: a fast 32-bit generator, what a JS programmer would reach for. */
function xoshiro128ss(seed) {
  let a = seed >>> 0, b = 0x9e3779b9, c = 0x243f6a88, d = 0xb7e15162;
  const next = () => {
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9);
    const t = b << 9;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t; d = rotl(d, 11);
    return r >>> 0;
  };
  for (let i = 0; i < 8; i++) next();
  return next;
}
function rotl(x, k) { return (x << k) | (x >>> (32 - k)); }

/** The ensemble in plain JS: per-step sum, sum of squares, min and max of the gap
 *  over runs (the same statistics the core keeps). Returns the last mean gap. */
function jsEnsemble(data, runs, steps) {
  const x = Float64Array.from(data.x), y = Float64Array.from(data.y);
  const n = x.length, lr = data.lr, ws = data.w_star, h = data.h;
  const sum = new Float64Array(steps + 1), sumSq = new Float64Array(steps + 1);
  const min = new Float64Array(steps + 1).fill(Infinity), max = new Float64Array(steps + 1);
  for (let r = 0; r < runs; r++) {
    const next = xoshiro128ss(r + 1);
    let w = data.w0;
    let e = w - ws;
    let gap = 0.5 * h * e * e;
    sum[0] += gap; sumSq[0] += gap * gap; min[0] = Math.min(min[0], gap); max[0] = Math.max(max[0], gap);
    for (let t = 1; t <= steps; t++) {
      const i = (next() * n) / 4294967296 | 0;
      const xi = x[i];
      w -= lr * ((xi * w - y[i]) * xi);
      e = w - ws;
      gap = 0.5 * h * e * e;
      sum[t] += gap; sumSq[t] += gap * gap;
      if (gap < min[t]) min[t] = gap;
      if (gap > max[t]) max[t] = gap;
    }
  }
  return sum[steps] / runs;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn) {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

async function main() {
  const out = document.getElementById('out');
  try {
    const core = await loadCore();
    const data = JSON.parse(core.bench_data());
    // Warm up both (JIT, wasm tier-up: the optimised code replaces the baseline code
    // only from the next call on, after a background compile) on smaller ensembles.
    for (let k = 0; k < 3; k++) {
      core.bench_ensemble(Math.min(RUNS, 2000), STEPS);
      jsEnsemble(data, Math.min(RUNS, 2000), STEPS);
    }
    const wasm = [], js = [];
    let wasmGap = NaN, jsGap = NaN;
    for (let k = 0; k < REPS; k++) {
      const a = time(() => core.bench_ensemble(RUNS, STEPS));
      const b = time(() => jsEnsemble(data, RUNS, STEPS));
      wasm.push(a.ms); js.push(b.ms);
      wasmGap = a.value; jsGap = b.value;
    }
    const steps = RUNS * STEPS;
    const result = {
      runs: RUNS, steps: STEPS, reps: REPS,
      wasm_ms: median(wasm), js_ms: median(js), wasm_all_ms: wasm, js_all_ms: js,
      wasm_steps_per_s: steps / (median(wasm) / 1000),
      js_steps_per_s: steps / (median(js) / 1000),
      wasm_last_mean_gap: wasmGap, js_last_mean_gap: jsGap,
    };
    document.body.dataset.result = JSON.stringify(result);
    out.textContent = `wasm ${(result.wasm_steps_per_s / 1e6).toFixed(0)} M steps/s, ` +
      `plain JS ${(result.js_steps_per_s / 1e6).toFixed(0)} M steps/s`;
  } catch (err) {
    document.body.dataset.result = JSON.stringify({ error: String(err) });
    out.textContent = `benchmark failed: ${err}`;
  }
}

main();
