// Shared helpers for the browser tests (node --test + playwright-core + Debian's
// Chromium). Importing this module registers an `after` hook that closes every page,
// server and browser it opened, so a test file only does:
//
//   import { test } from 'node:test';
//   import assert from 'node:assert/strict';
//   import { openPage, assertClean } from './harness.mjs';
//
//   test('the decay lab draws its chart', async () => {
//     const s = await openPage('index.html#lab=decay', { viewport: { width: 1024, height: 768 } });
//     await s.page.getByRole('button', { name: 'Play' }).click();
//     await s.screenshot('decay-playing');
//     assertClean(s);           // no console error/warning, failed request, CSP violation
//     await s.close();          // optional: the after hook closes what is left
//   });
//
// openPage(target, options) serves dist/ on 127.0.0.1 (random port; one server per
// prefix, shared by the file), opens `target` in a fresh browser context, waits
// until the app sets `document.body.dataset.ready` and returns a session:
//   page, context, url       playwright objects and the URL opened
//   consoleMessages          every console message: { type, text, location }
//   consoleErrors            console errors and warnings only
//   pageErrors               uncaught exceptions: { message, stack }
//   requests                 every request: { url, method, resourceType }
//   failedRequests           network failures and HTTP status ≥ 400: { url, status | error }
//   violations               securitypolicyviolation events: { directive, blockedURI, sample, source, line }
//   problems()               all of the above problems as strings (assertClean checks it is empty)
//   foreignRequests()        requests that leave the page's origin (data: and blob: are local)
//   screenshot(name, opts)   saves artifacts/screenshots/<name>.png (opts go to page.screenshot)
//   waitForReady()           waits again, e.g. after page.goto or a reload
//   close()
// Lab pages: coreCatalogue() (the labs the built core lists, with `ready` flags),
// waitForLab(page) and labState(page) (the lab root's data attributes),
// canvasStats(page, selector) (is a canvas drawn?), downloadOf(page, locator).
// target: a path relative to the served dist/ ('' is the landing page; may carry a
// '#lab=…' hash), or an absolute URL (file://… for the single-file build).
// options: viewport ({ width: 1280, height: 800 }), deviceScaleFactor (1),
//   prefix ('/': serve dist/ under this sub-path), waitForReady (true), timeout (20000),
//   bypassCSP (false; true only to inject a test tool such as axe-core).

import { after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, DEFAULT_CSP } from '../../scripts/serve.mjs';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = path.join(REPO, 'dist');
export const SCREENSHOTS = path.join(REPO, 'artifacts', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export { DEFAULT_CSP };

/** The single-file build as a file:// URL. */
export const SINGLE_FILE_URL = pathToFileURL(path.join(DIST, 'sgd-lab.html')).href;

/** The crate version from Cargo.toml (what `core.version()` must say). */
export const CRATE_VERSION = readFileSync(path.join(REPO, 'Cargo.toml'), 'utf8')
  .match(/^\[package\][^[]*?^version\s*=\s*"([^"]+)"/m)[1];

/** The lab ids of shared/LABS.md, in lecture order, plus the sandbox. */
export const LAB_IDS = [
  'epochs', 'per-sample', 'step-size', 'expected-loss', 'noise-assumptions', 'descent-lemma',
  'decay', 'mini-batch', 'gd-vs-sgd', 'averaging', 'momentum', 'variance-reduction', 'sandbox',
];

const LAUNCH_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

let browserPromise = null;
const servers = new Map();
const sessions = new Set();

/** The shared headless Chromium (launched on first use). */
export function browser() {
  if (!browserPromise) {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} not found: run bash scripts/setup.sh (it installs Debian's chromium)`);
    }
    browserPromise = chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS, headless: true });
  }
  return browserPromise;
}

/** Serves `root` (dist/) under `prefix` on 127.0.0.1 and a free port; one server per
 *  (root, prefix), shared. Resolves to `{ url, port, close }`; `url` ends with "/". */
export function serve({ prefix = '/', root = DIST } = {}) {
  if (!existsSync(path.join(root, 'index.html'))) {
    throw new Error(`${root}/index.html not found: run bash scripts/build-web.sh first`);
  }
  const key = `${root}\0${prefix}`;
  if (!servers.has(key)) servers.set(key, startServer({ root, prefix, port: 0 }));
  return servers.get(key);
}

/** Opens `target` in a fresh context and records what the page does (see the top). */
export async function openPage(target = '', options = {}) {
  const {
    viewport = { width: 1280, height: 800 },
    deviceScaleFactor = 1,
    prefix = '/',
    waitForReady = true,
    timeout = 20000,
    bypassCSP = false,
  } = options;
  const url = /^[a-z][a-z0-9+.-]*:/i.test(target) ? target : `${(await serve({ prefix })).url}${target}`;
  const context = await (await browser()).newContext({ viewport, deviceScaleFactor, bypassCSP });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);

  const consoleMessages = [];
  const consoleErrors = [];
  const pageErrors = [];
  const requests = [];
  const failedRequests = [];
  const violations = [];

  page.on('console', (msg) => {
    const entry = { type: msg.type(), text: msg.text(), location: msg.location() };
    consoleMessages.push(entry);
    if (entry.type === 'error' || entry.type === 'warning') consoleErrors.push(entry);
  });
  page.on('pageerror', (err) => pageErrors.push({ message: err.message, stack: err.stack }));
  page.on('request', (req) => requests.push({ url: req.url(), method: req.method(), resourceType: req.resourceType() }));
  page.on('requestfailed', (req) => failedRequests.push({ url: req.url(), error: req.failure()?.errorText ?? 'failed' }));
  page.on('response', (res) => {
    if (res.status() >= 400) failedRequests.push({ url: res.url(), status: res.status() });
  });
  // Bindings and init scripts are injected by the DevTools protocol: the page's CSP
  // does not apply to them.
  await page.exposeFunction('__harnessReportViolation', (v) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__harnessReportViolation({
        directive: e.violatedDirective,
        blockedURI: e.blockedURI,
        sample: e.sample,
        source: e.sourceFile,
        line: e.lineNumber,
      });
    }, true);
  });

  const session = {
    page,
    context,
    url,
    consoleMessages,
    consoleErrors,
    pageErrors,
    requests,
    failedRequests,
    violations,
    problems() {
      return [
        ...consoleErrors.map((m) => `console ${m.type}: ${m.text} (${m.location?.url ?? ''}:${m.location?.lineNumber ?? ''})`),
        ...pageErrors.map((e) => `uncaught: ${e.message}`),
        ...failedRequests.map((r) => `request failed: ${r.url} (${r.status ?? r.error})`),
        ...violations.map((v) => `CSP violation: ${v.directive} blocked ${v.blockedURI || v.sample || '?'} (${v.source}:${v.line})`),
      ];
    },
    foreignRequests() {
      const origin = new URL(page.url()).origin;
      return requests.filter((r) => {
        const u = new URL(r.url);
        if (u.protocol === 'data:' || u.protocol === 'blob:') return false;
        // file:// pages have an opaque origin: only the page's own file is "its own".
        if (u.protocol === 'file:') return r.url.split('#')[0] !== page.url().split('#')[0];
        return u.origin !== origin;
      });
    },
    async waitForReady() {
      await page.waitForFunction(() => {
        const ready = document.body?.dataset.ready;
        return ready === '1' || ready === 'error';
      }, null, { timeout });
      const ready = await page.evaluate(() => document.body.dataset.ready);
      if (ready !== '1') {
        const text = await page.evaluate(() => document.getElementById('app')?.innerText ?? '');
        throw new Error(`the app reported a load error: ${text}\n${session.problems().join('\n')}`);
      }
    },
    async screenshot(name, opts = {}) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const file = path.join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path: file, ...opts });
      return file;
    },
    async close() {
      sessions.delete(session);
      await context.close().catch(() => {});
    },
  };
  sessions.add(session);

  await page.goto(url, { waitUntil: 'load' });
  if (waitForReady) await session.waitForReady();
  return session;
}

/** Fails with a readable list if the session saw any console error or warning, uncaught
 *  exception, failed request or CSP violation. */
export function assertClean(session, message = 'the page reported problems') {
  assert.deepEqual(session.problems(), [], message);
}

/** Sizes that tell whether an element (default: the document) overflows its box. */
export async function overflow(page, selector = null) {
  return page.evaluate((sel) => {
    const el = sel ? document.querySelector(sel) : document.documentElement;
    if (!el) throw new Error(`no element matches ${sel}`);
    return {
      scrollWidth: el.scrollWidth,
      clientWidth: el.clientWidth,
      scrollHeight: el.scrollHeight,
      clientHeight: el.clientHeight,
      x: el.scrollWidth > el.clientWidth,
      y: el.scrollHeight > el.clientHeight,
    };
  }, selector);
}

/** The core's lab catalogue (`[{ id, title, ready }]`), read from the built wasm in a
 *  page, so that tests cover whatever labs the core says are ready. */
export async function coreCatalogue() {
  const s = await openPage('');
  try {
    return await s.page.evaluate(async () => {
      const core = await import(new URL('pkg/sgd_lab.js', document.baseURI).href);
      await core.default();
      return core.lab_catalogue();
    });
  } finally {
    await s.close();
  }
}

/** Waits until the lab page (www/lab-page.js) has drawn its charts and finished its
 *  background work; returns the root's data attributes (t, steps, done, query, …). */
export async function waitForLab(page, { timeout = 20000 } = {}) {
  await page.waitForFunction(() => {
    const d = document.querySelector('.lab-page')?.dataset;
    return d && Number(d.draws) >= 1 && d.progress === '1';
  }, null, { timeout });
  return labState(page);
}

/** The lab page's data attributes, numbers as numbers. */
export async function labState(page) {
  return page.evaluate(() => {
    const d = { ...document.querySelector('.lab-page').dataset };
    for (const k of ['t', 'steps', 'draws', 'progress']) d[k] = Number(d[k]);
    return d;
  });
}

/** Pixel statistics of a canvas: backing and CSS size, distinct colours (in 4-bit
 *  steps), the share of pixels that are not white, and a checksum of the pixels. */
export async function canvasStats(page, selector) {
  return page.locator(selector).evaluate((canvas) => {
    const { width, height } = canvas;
    // Read a copy: repeated readbacks of the page's own canvas make Chromium warn.
    const copy = document.createElement('canvas');
    copy.width = width;
    copy.height = height;
    const g = copy.getContext('2d', { willReadFrequently: true });
    g.drawImage(canvas, 0, 0);
    const data = g.getImageData(0, 0, width, height).data;
    const colours = new Set();
    let nonWhite = 0;
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      colours.add(((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4));
      if (r < 245 || g < 245 || b < 245) nonWhite += 1;
      sum = (sum * 31 + r + 7 * g + 13 * b) % 1000000007;
    }
    const rect = canvas.getBoundingClientRect();
    return {
      width, height, cssWidth: rect.width, cssHeight: rect.height,
      colours: colours.size, nonWhite: nonWhite / (width * height), sum,
    };
  });
}

/** Clicks `locator` and resolves to the download it starts: `{ name, text }`. */
export async function downloadOf(page, locator) {
  const [download] = await Promise.all([page.waitForEvent('download'), locator.click()]);
  const file = await download.path();
  return { name: download.suggestedFilename(), text: readFileSync(file, 'utf8') };
}

/** Closes every session, server and the browser (registered as an `after` hook). */
export async function closeAll() {
  await Promise.all([...sessions].map((s) => s.close()));
  const all = [...servers.values()];
  servers.clear();
  await Promise.all(all.map(async (p) => (await p).close().catch(() => {})));
  if (browserPromise) {
    const b = browserPromise;
    browserPromise = null;
    await (await b).close().catch(() => {});
  }
}

after(closeAll);
