// Offline: once a page of the site has been opened, the service worker (sw.js) has
// cached every file, and the site works with the network gone — a reload, and a lab
// that was never opened before. Online, every load still comes from the network.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openPage, assertClean, canvasStats, waitForLab, DIST } from './harness.mjs';

/** Waits until the service worker controls the page and has cached the wasm. */
async function waitForOfflineCopy(page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(async () => Boolean(await caches.match('pkg/sgd_lab_bg.wasm')), null,
    { timeout: 20000, polling: 200 });
}

async function assertDrawn(page, what) {
  await waitForLab(page);
  const ids = await page.locator('.chart canvas').evaluateAll((cs) => cs.map((c) => c.id));
  assert.ok(ids.length >= 1, `${what}: charts`);
  for (const id of ids) {
    const st = await canvasStats(page, `#${id}`);
    assert.ok(st.colours >= 12 && st.nonWhite > 0.02, `${what} ${id} looks blank: ${JSON.stringify(st)}`);
  }
}

test('the service worker lists every file the site serves, with a version from their bytes', () => {
  const sw = readFileSync(path.join(DIST, 'sw.js'), 'utf8');
  const files = JSON.parse(sw.match(/const FILES = (\[.*\]);/)[1]);
  for (const f of ['./', 'index.html', 'embed.html', 'pkg/sgd_lab.js', 'pkg/sgd_lab_bg.wasm',
    'www/main.js', 'www/loader.js', 'www/style.css', 'www/icon.svg']) {
    assert.ok(files.includes(f), `${f} is cached`);
  }
  assert.ok(!files.includes('sgd-lab.html') && !files.includes('www/bench.js'), 'single file and bench left out');
  assert.match(sw, /const VERSION = '[0-9a-f]{16}';/);
});

test('after one visit, the site reloads and opens another lab with the network gone', async () => {
  const s = await openPage('index.html#lab=per-sample');
  await waitForOfflineCopy(s.page);
  await assertDrawn(s.page, 'online');

  await s.context.setOffline(true);
  // The network is really gone: a fetch the worker does not answer fails.
  const outside = await s.page.evaluate(() => fetch('no-such-file.txt').then(() => 'answered', () => 'failed'));
  assert.equal(outside, 'failed');

  await s.page.reload();
  await s.waitForReady();
  assert.equal(await s.page.evaluate(() => document.body.dataset.route), 'lab:per-sample');
  await assertDrawn(s.page, 'offline reload');

  // A lab this browser never opened: its code is the same files, already cached.
  await s.page.evaluate(() => { location.hash = '#lab=decay'; });
  await s.page.waitForFunction(() => document.body.dataset.route === 'lab:decay');
  await assertDrawn(s.page, 'offline, another lab');
  await s.page.getByRole('button', { name: 'Play' }).click();
  await s.page.waitForFunction(() => Number(document.querySelector('.lab-page').dataset.t) > 0);
  await s.screenshot('offline-decay');

  // Back online, the site answers from the network again.
  await s.context.setOffline(false);
  const online = await s.page.evaluate(() => fetch('index.html', { cache: 'no-store' }).then((r) => r.status));
  assert.equal(online, 200);
  const problems = s.problems().filter((p) => !p.includes('no-such-file.txt'));
  assert.deepEqual(problems, []);
  await s.close();
});

test('the single file and the embed view do not break without a worker of their own', async () => {
  const s = await openPage('embed.html#lab=decay');
  await assertDrawn(s.page, 'embed');
  assertClean(s);
  await s.close();
});
