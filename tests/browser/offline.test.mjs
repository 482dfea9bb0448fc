// Offline: once a page of the site has been opened, the service worker (sw.js) has
// cached every file, and the site works with the network gone — a reload, and a lab
// that was never opened before. Online, every load still comes from the network.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  openPage, assertClean, canvasStats, waitForLab, serve, DIST, SINGLE_FILE_URL,
} from './harness.mjs';

/** Every file under `dir`, relative, sorted as the build walks them. */
function walk(dir, prefix = '') {
  return readdirSync(dir).sort().flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

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
  // Exactly the files on disk, less the worker, the single file and the bench page.
  const skip = new Set(['sw.js', 'sgd-lab.html', 'www/bench.html', 'www/bench.js']);
  assert.deepEqual(files, ['./', ...walk(DIST).filter((f) => !skip.has(f))]);
  // The version is the hash of those files' names and bytes: any changed byte changes it.
  const hash = createHash('sha256');
  for (const f of files.slice(1)) {
    hash.update(f);
    hash.update(readFileSync(path.join(DIST, f)));
  }
  assert.equal(sw.match(/const VERSION = '([0-9a-f]{16})';/)[1], hash.digest('hex').slice(0, 16));
});

test('network first: a file changed on the server is served new online, and kept for offline', async () => {
  // A copy of the site whose files can change under the page.
  const root = mkdtempSync(path.join(os.tmpdir(), 'sgd-lab-site-'));
  try {
    cpSync(DIST, root, { recursive: true });
    const { url } = await serve({ root });
    const s = await openPage(`${url}index.html#lab=decay`);
    await waitForOfflineCopy(s.page);
    const css = () => s.page.evaluate(() => fetch('www/style.css').then((r) => r.text()));
    assert.ok(!(await css()).includes('/* changed */'));
    writeFileSync(path.join(root, 'www', 'style.css'), `${readFileSync(path.join(root, 'www', 'style.css'), 'utf8')}\n/* changed */\n`);
    // A cache-first worker would answer with the copy cached at install.
    assert.ok((await css()).includes('/* changed */'), 'online, the worker must fetch the new file');
    await s.context.setOffline(true);
    assert.ok((await css()).includes('/* changed */'), 'offline, the worker serves the copy of the last load');
    await s.context.setOffline(false);

    // A new build (another version) replaces the old cache once its worker activates.
    const oldKeys = await s.page.evaluate(() => caches.keys());
    assert.equal(oldKeys.length, 1);
    const swPath = path.join(root, 'sw.js');
    writeFileSync(swPath, readFileSync(swPath, 'utf8').replace(/const VERSION = '[0-9a-f]{16}';/, "const VERSION = 'feedfacefeedface';"));
    await s.page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    await s.page.waitForFunction(async () => {
      const keys = await caches.keys();
      return keys.length === 1 && keys[0] === 'sgd-lab-feedfacefeedface';
    }, null, { timeout: 20000, polling: 200 });
    assert.ok(await s.page.evaluate(() => caches.match('pkg/sgd_lab_bg.wasm').then(Boolean)), 'the new cache is complete');
    assertClean(s);
    await s.close();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
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

/** The landing page's pictures: [lab id, loaded width] for each. */
async function pictures(page) {
  await page.waitForFunction(() => [...document.querySelectorAll('.lab-thumb')].every((img) => img.complete));
  return page.locator('.lab-thumb').evaluateAll((els) => els.map((img) => [img.closest('.lab-card').dataset.lab, img.naturalWidth]));
}

test('the landing page and its pictures work offline (the pictures are in the worker\'s list)', async () => {
  const sw = readFileSync(path.join(DIST, 'sw.js'), 'utf8');
  const files = JSON.parse(sw.match(/const FILES = (\[.*\]);/)[1]);
  const thumbs = readdirSync(path.join(DIST, 'www', 'thumbs')).map((f) => `www/thumbs/${f}`);
  assert.ok(thumbs.length >= 5, `pictures built: ${thumbs.join(', ')}`);
  for (const f of thumbs) assert.ok(files.includes(f), `${f} is cached`);

  const s = await openPage('index.html');
  await waitForOfflineCopy(s.page);
  const online = await pictures(s.page);
  assert.equal(online.length, thumbs.length);
  await s.context.setOffline(true);
  await s.page.reload();
  await s.waitForReady();
  assert.equal(await s.page.evaluate(() => document.body.dataset.route), 'landing');
  const offline = await pictures(s.page);
  assert.deepEqual(offline, online, 'every picture loads from the cache');
  for (const [id, w] of offline) assert.ok(w > 0, `${id}: loaded offline`);
  await s.context.setOffline(false);
  // The browser fetches the favicon after the page's load event, so the reload may
  // cut that fetch short (net::ERR_ABORTED, seen once in a full run): that abort is
  // the test's own navigation, not the page's problem. Any other failure still counts.
  const own = (r) => r.error === 'net::ERR_ABORTED' && r.url.endsWith('/www/icon.svg');
  s.failedRequests.splice(0, s.failedRequests.length, ...s.failedRequests.filter((r) => !own(r)));
  assertClean(s);
  await s.close();
});

test('the single file shows the pictures from data: URLs, asking for nothing', async () => {
  const s = await openPage(SINGLE_FILE_URL);
  const shown = await pictures(s.page);
  const built = readdirSync(path.join(DIST, 'www', 'thumbs')).map((f) => f.replace(/\.svg$/, '')).sort();
  assert.deepEqual(shown.map(([id]) => id).sort(), built);
  for (const [id, w] of shown) assert.ok(w > 0, `${id}: loaded`);
  const srcs = await s.page.locator('.lab-thumb').evaluateAll((els) => els.map((img) => img.src.slice(0, 26)));
  for (const src of srcs) assert.equal(src, 'data:image/svg+xml;base64,');
  // Byte for byte the site's files.
  const first = await s.page.locator('.lab-thumb').first().evaluate((img) => [img.closest('.lab-card').dataset.lab, img.src]);
  const bytes = Buffer.from(first[1].split(',')[1], 'base64');
  assert.ok(bytes.equals(readFileSync(path.join(DIST, 'www', 'thumbs', `${first[0]}.svg`))), `${first[0]}: the same picture`);
  assert.deepEqual(s.requests.filter((r) => !/^(file|data|blob):/.test(r.url)).map((r) => r.url), []);
  assertClean(s);
  await s.close();
});

test('the embed view draws, with the same worker as the site', async () => {
  const s = await openPage('embed.html#lab=decay');
  await assertDrawn(s.page, 'embed');
  await waitForOfflineCopy(s.page);
  assertClean(s);
  await s.close();
});

test('the single file is its own offline copy: from file://, with the network gone, it draws and asks for nothing', async () => {
  const s = await openPage(SINGLE_FILE_URL, { waitForReady: false });
  await s.context.setOffline(true);
  await s.page.reload();
  await s.waitForReady();
  await s.page.evaluate(() => { location.hash = '#lab=per-sample'; });
  await assertDrawn(s.page, 'single file offline');
  assert.equal(await s.page.evaluate(() => navigator.serviceWorker?.controller ?? null), null, 'no worker on file://');
  assert.deepEqual(s.requests.filter((r) => !/^(file|data|blob):/.test(r.url)).map((r) => r.url), []);
  assertClean(s);
  await s.close();
});
