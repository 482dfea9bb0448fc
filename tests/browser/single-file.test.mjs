// dist/sgd-lab.html: the whole app in one file that works straight from disk.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openPage, assertClean, DIST, SINGLE_FILE_URL, CRATE_VERSION, LAB_IDS } from './harness.mjs';

const html = readFileSync(path.join(DIST, 'sgd-lab.html'), 'utf8');

test('the single file has everything inline and a hash-based CSP', () => {
  assert.doesNotMatch(html, /<script[^>]*\ssrc=/i, 'no external script');
  assert.doesNotMatch(html, /<link[^>]*rel="stylesheet"/i, 'no external stylesheet');
  const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/)[1];
  assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/]+=*' 'wasm-unsafe-eval'/);
  assert.match(csp, /style-src 'sha256-[A-Za-z0-9+/]+=*'/);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|\*/);
  assert.match(html, /^<!doctype html>\n<html lang="en" data-build="single">\n<head>\n/);
  // A CSP <meta> counts only inside <head>, before anything it must govern.
  assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<style>'));
  assert.equal((html.match(/<script>/g) ?? []).length, 1, 'one inline script');
  assert.equal((html.match(/<style>/g) ?? []).length, 1, 'one inline style');
  assert.doesNotMatch(html, /\sstyle="/, 'no style attributes');
});

test('the single file renders from file:// and initialises its wasm', async () => {
  const s = await openPage(SINGLE_FILE_URL);
  assert.ok(s.page.url().startsWith('file://'));
  await s.screenshot('single-file', { fullPage: true });
  assertClean(s);
  assert.deepEqual(s.foreignRequests(), [], 'no request but the file itself');
  assert.equal(await s.page.locator('#core-status').innerText(), `core v${CRATE_VERSION} ready`);
  assert.equal(await s.page.locator('.lab-card').count(), LAB_IDS.length);
  assert.equal(await s.page.locator('.web-only').count(), 0, 'links to other files are gone');
  assert.deepEqual(s.violations, []);
  await s.close();
});

test('the single file routes on the hash like the site', async () => {
  const s = await openPage(`${SINGLE_FILE_URL}#lab=gd-vs-sgd&lr=0.1`);
  assert.equal(await s.page.evaluate(() => document.body.dataset.route), 'lab:gd-vs-sgd');
  assert.match(await s.page.locator('section.lab h2').innerText(), /When SGD beats GD/);
  await s.page.getByRole('link', { name: '← All labs' }).click();
  await s.page.waitForFunction(() => document.body.dataset.route === 'landing');
  assertClean(s);
  await s.close();
});

test('the single file enforces its CSP from file:// (an injected script is refused)', async () => {
  const s = await openPage(SINGLE_FILE_URL);
  const ran = await s.page.evaluate(async () => {
    window.__inlineRan = false;
    const el = document.createElement('script');
    el.textContent = 'window.__inlineRan = true;';
    document.body.append(el);
    await new Promise((r) => setTimeout(r, 100));
    return window.__inlineRan;
  });
  assert.equal(ran, false);
  await s.page.waitForTimeout(100);
  assert.equal(s.violations.length, 1, 'one policy (the meta) reported it');
  assert.match(s.violations[0].directive, /^script-src/);
  await s.close();
});

test('dist/index.html opened from disk (where modules cannot load) says what to do', async () => {
  const s = await openPage(SINGLE_FILE_URL.replace(/sgd-lab\.html$/, 'index.html'), { waitForReady: false });
  // The hint appears after a second (a normal load replaces it before that).
  await s.page.waitForFunction(() => /opened from a file/.test(document.querySelector('#app .loading').innerText));
  assert.equal(await s.page.locator('#app .loading a').getAttribute('href'), 'sgd-lab.html');
  await s.screenshot('index-from-file');
  await s.close();
});
