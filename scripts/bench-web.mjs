#!/usr/bin/env node
// The web benchmark: serves dist/, drives headless Chromium, and prints side by side
// in one run:
//   - ensemble throughput (10 000 runs × 1000 steps, 1-D least squares, n = 100):
//     the core in WebAssembly, the same loop in plain JavaScript (www/bench.js), and
//     the native core (`sgd-lab bench --json`);
//   - frame time (median, 95th percentile) of the heaviest labs while playing, and of
//     #9's and #10's labs at their defaults: the work each requestAnimationFrame callback does;
//   - bytes transferred (raw and gzip) and the time from navigation to the first
//     drawn chart;
//   - every ready lab at its defaults (#8): with the CPU throttled 4× over CDP
//     (Emulation.setCPUThrottlingRate, a student's phone), the frames delivered per
//     second (requestAnimationFrame callbacks over wall time, so the canvas
//     rasterising between callbacks counts), the frame work p95 and the time from
//     navigation to ready; unthrottled, the time to the first drawn chart.
// Usage: node scripts/bench-web.mjs [--quick] [--defaults-only] [--dist DIR]
//   (--dist serves another build, e.g. a copy of main's dist/, for before / after)
//   (scripts/bench-web.sh builds first)

import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './serve.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const QUICK = process.argv.includes('--quick');
const DEFAULTS_ONLY = process.argv.includes('--defaults-only');
const DIST_AT = process.argv.indexOf('--dist');
const DIST = DIST_AT > 0 ? path.resolve(process.argv[DIST_AT + 1]) : path.join(REPO, 'dist');
/** The CPU slow-down of the throttled rows (Chromium's DevTools "4× slowdown"). */
const THROTTLE = 4;
const RUNS = QUICK ? 1000 : 10000;
const STEPS = 1000;
const REPS = QUICK ? 2 : 9;
const PLAY_MS = QUICK ? 1500 : 5000;

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function pct(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}
const mps = (x) => `${(x / 1e6).toFixed(0)} M steps/s`;
const kb = (x) => `${(x / 1024).toFixed(0)} KB`;

/** Frame work times and the first canvas draw, recorded by hooks installed before the page runs. */
function instrument() {
  const frames = [];
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => raf((ts) => {
    const t0 = performance.now();
    try { cb(ts); } finally { frames.push(performance.now() - t0); }
  });
  let first = null;
  const proto = CanvasRenderingContext2D.prototype;
  for (const name of ['stroke', 'fill', 'fillRect', 'putImageData', 'drawImage']) {
    const orig = proto[name];
    proto[name] = function (...args) {
      if (first === null && this.canvas.width > 0 && this.canvas.isConnected) first = performance.now();
      return orig.apply(this, args);
    };
  }
  // When the page says it is ready (body[data-ready="1"]), in page time.
  let ready = null;
  new MutationObserver(() => {
    if (ready === null && document.body?.dataset.ready === '1') ready = performance.now();
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
  window.__sgdBench = { frames, firstDraw: () => first, ready: () => ready };
}

/** Every ready lab at its defaults: throttled frames/s, frame work and time to ready;
 *  unthrottled first chart. */
async function defaultsRows(browser, server) {
  const probe = await browser.newPage();
  await probe.goto(`${server.url}index.html`);
  const ids = await probe.evaluate(async () => {
    const core = await import(new URL('pkg/sgd_lab.js', document.baseURI).href);
    await core.default();
    return core.lab_catalogue().filter((l) => l.ready).map((l) => l.id);
  });
  await probe.close();
  const open = async (id, throttle) => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 2 });
    await ctx.addInitScript(instrument);
    const p = await ctx.newPage();
    if (throttle > 1) {
      const cdp = await ctx.newCDPSession(p);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    }
    await p.goto(`${server.url}index.html#lab=${id}`);
    await p.waitForFunction(() => document.body.dataset.ready === '1' && window.__sgdBench.firstDraw() !== null, null, { timeout: 60000 });
    return { ctx, p };
  };
  const rows = [];
  for (const id of ids) {
    // Unthrottled: navigation to the first chart drawn (page time starts at navigation).
    let { ctx, p } = await open(id, 1);
    const firstDraw = await p.evaluate(() => window.__sgdBench.firstDraw());
    await ctx.close();
    ({ ctx, p } = await open(id, THROTTLE));
    const ready = await p.evaluate(() => window.__sgdBench.ready());
    await p.waitForTimeout(500);
    await p.getByRole('button', { name: /^play/i }).first().click();
    // Frames counted from the first callback after the click to the last one seen.
    await p.evaluate(() => { window.__sgdBench.frames.length = 0; window.__sgdBench.t0 = performance.now(); });
    await p.waitForTimeout(PLAY_MS);
    const got = await p.evaluate(() => ({ frames: [...window.__sgdBench.frames], wall: performance.now() - window.__sgdBench.t0 }));
    await ctx.close();
    rows.push({ id, fps: got.frames.length / (got.wall / 1000), median: pct(got.frames, 0.5), p95: pct(got.frames, 0.95), ready, firstDraw });
  }
  console.log(`\n| lab at its defaults | frames/s delivered, CPU ${THROTTLE}× slower | frame work median | p95 | ready after navigation | first chart, unthrottled |`);
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.id} | ${r.fps.toFixed(0)} | ${r.median.toFixed(1)} ms | ${r.p95.toFixed(1)} ms | ${r.ready.toFixed(0)} ms | ${r.firstDraw.toFixed(0)} ms |`);
  }
}

async function main() {
  const server = await startServer({ root: DIST });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  try {
    console.log(`SGD Lab web benchmark${QUICK ? ' (quick)' : ''}: Chromium ${browser.version()}`);
    await defaultsRows(browser, server);
    if (DEFAULTS_ONLY) return;
    // 1. Throughput: wasm and plain JS in the page.
    const page = await browser.newPage();
    await page.goto(`${server.url}www/bench.html?runs=${RUNS}&steps=${STEPS}&reps=${REPS}`);
    await page.waitForFunction(() => document.body.dataset.result, null, { timeout: 600000 });
    const web = JSON.parse(await page.evaluate(() => document.body.dataset.result));
    if (web.error) throw new Error(web.error);
    await page.close();

    // Native, the same ensemble through the same interleaved kernel.
    const bin = path.join(REPO, 'target/release/sgd-lab');
    const native = JSON.parse(execFileSync(bin, ['bench', '--json', ...(QUICK ? ['--quick'] : [])], { encoding: 'utf8' }));
    const row = native.rows.find((r) => r.id === 'ensemble_kernel') ?? native.rows[0];
    const nativeRate = row.steps_per_s ?? row.rate;

    // 2. Frame times while playing, 3. bytes and first chart, per lab.
    const labs = [
      ['step-size', 'lab=step-size&runs=10&steps=20000'],
      ['expected-loss', 'lab=expected-loss&runs=10000&steps=1000'],
      ['per-sample', 'lab=per-sample&steps=20000'],
      // Six variants × 100 runs × 1000 steps (#7's row).
      ['sandbox', `lab=sandbox&runs=100&steps=1000&variants=${encodeURIComponent(
        'SGD: sgd lr=0.2; 1/t: sgd lr=0.5 inverse_time t0=20; Averaged: sgd lr=0.2 polyak start=100; '
        + 'SVRG: svrg lr=0.2 inner=50; Ball: sgd lr=0.1 momentum=0.5; Batch 4: sgd lr=0.2 batch=4')}`],
      // The labs of #10 at their defaults.
      ['epochs', 'lab=epochs'],
      ['averaging', 'lab=averaging'],
      ['momentum', 'lab=momentum'],
      ['variance-reduction', 'lab=variance-reduction'],
      // The labs of #9 at their defaults.
      ['noise-assumptions', 'lab=noise-assumptions'],
      ['descent-lemma', 'lab=descent-lemma'],
      ['mini-batch', 'lab=mini-batch'],
      ['gd-vs-sgd', 'lab=gd-vs-sgd'],
    ];
    const rows = [];
    for (const [id, hash] of labs) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 2 });
      await ctx.addInitScript(instrument);
      const p = await ctx.newPage();
      const bodies = [];
      p.on('response', async (res) => {
        try { bodies.push({ url: res.url(), body: await res.body() }); } catch { /* redirects have no body */ }
      });
      await p.goto(`${server.url}index.html#${hash}`);
      await p.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 30000 });
      await p.waitForFunction(() => window.__sgdBench.firstDraw() !== null, null, { timeout: 30000 });
      const firstDraw = await p.evaluate(() => window.__sgdBench.firstDraw());
      await p.waitForTimeout(300);
      await p.evaluate(() => { window.__sgdBench.frames.length = 0; });
      await p.getByRole('button', { name: /^play/i }).first().click();
      await p.waitForTimeout(PLAY_MS);
      const frames = await p.evaluate(() => [...window.__sgdBench.frames]);
      const raw = bodies.reduce((a, b) => a + b.body.length, 0);
      const gz = bodies.reduce((a, b) => a + gzipSync(b.body, { level: 9 }).length, 0);
      const wasm = bodies.find((b) => b.url.endsWith('.wasm'));
      rows.push({
        id, frames: frames.length, median: pct(frames, 0.5), p95: pct(frames, 0.95),
        firstDraw, raw, gz, wasmRaw: wasm?.body.length ?? 0, wasmGz: wasm ? gzipSync(wasm.body, { level: 9 }).length : 0,
        requests: bodies.length,
      });
      await ctx.close();
    }

    console.log(`\nSGD Lab web benchmark${QUICK ? ' (quick)' : ''}: Chromium ${browser.version()}, ${RUNS} runs × ${STEPS} steps\n`);
    console.log('| ensemble (1-D least squares, n = 100) | throughput | ratio |');
    console.log('|---|---|---|');
    console.log(`| WebAssembly (the core, in Chromium) | ${mps(web.wasm_steps_per_s)} | 1 |`);
    console.log(`| plain JavaScript (same loop, xoshiro128**) | ${mps(web.js_steps_per_s)} | wasm / JS = ${(web.wasm_steps_per_s / web.js_steps_per_s).toFixed(2)} |`);
    console.log(`| native (sgd-lab bench, ${row.name ?? row.id}) | ${mps(nativeRate)} | wasm / native = ${(web.wasm_steps_per_s / nativeRate).toFixed(2)} |`);
    const each = (ms) => ms.map((m) => (RUNS * STEPS / m / 1e3).toFixed(0)).join(' ');
    console.log(`\nevery repetition, M steps/s: wasm ${each(web.wasm_all_ms)}; JS ${each(web.js_all_ms)}`);
    console.log(`\nlast mean gap: wasm ${web.wasm_last_mean_gap}, JS ${web.js_last_mean_gap} (different random streams; same problem)\n`);
    console.log('| lab (playing) | frames/s | frame work median | p95 | first chart after navigation | transferred raw | gzip | wasm raw | wasm gzip | requests |');
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    for (const r of rows) {
      console.log(`| ${r.id} | ${(r.frames / (PLAY_MS / 1000)).toFixed(0)} | ${r.median.toFixed(2)} ms | ${r.p95.toFixed(2)} ms | ${r.firstDraw.toFixed(0)} ms | ${kb(r.raw)} | ${kb(r.gz)} | ${kb(r.wasmRaw)} | ${kb(r.wasmGz)} | ${r.requests} |`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((err) => { console.error(`bench-web: ${err.stack ?? err}`); process.exit(1); });
