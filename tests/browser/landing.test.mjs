// The landing page and the app shell: loads cleanly under its CSP, stays on its own
// origin, initialises the Rust core, lists every lab and routes on the hash.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openPage, assertClean, overflow, serve, coreCatalogue, DIST, DEFAULT_CSP, CRATE_VERSION, LAB_IDS } from './harness.mjs';

test('the landing page loads with no console message, failed request or CSP violation', async () => {
  const s = await openPage('');
  await s.screenshot('landing-desktop', { fullPage: true });
  assertClean(s);
  assert.deepEqual(s.foreignRequests(), [], 'every request stays on the page origin');
  const paths = s.requests.map((r) => new URL(r.url).pathname).filter((p) => p !== '/');
  for (const p of ['/www/style.css', '/www/main.js', '/pkg/sgd_lab.js', '/pkg/sgd_lab_bg.wasm']) {
    assert.ok(paths.includes(p), `${p} was requested (requests: ${paths.join(', ')})`);
  }
  assert.equal(await s.page.title(), 'SGD Lab');
  assert.equal(await s.page.locator('h1').innerText(), 'SGD Lab');
  await s.close();
});

test('the CSP is set by the meta and by the server header, and the page works under it', async () => {
  const s = await openPage('');
  const meta = await s.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.equal(meta, DEFAULT_CSP);
  const response = await s.page.request.get(s.url);
  assert.equal(response.headers()['content-security-policy'], DEFAULT_CSP);
  // No inline style or script anywhere in the rendered page.
  const inline = await s.page.evaluate(() => ({
    styleAttrs: document.querySelectorAll('[style]').length,
    styleBlocks: document.querySelectorAll('style').length,
    inlineScripts: [...document.scripts].filter((x) => !x.src).length,
  }));
  assert.deepEqual(inline, { styleAttrs: 0, styleBlocks: 0, inlineScripts: 0 });
  assert.deepEqual(s.violations, []);
  assert.equal(await s.page.evaluate(() => document.body.dataset.ready), '1');
  await s.close();
});

test('the CSP is really enforced: an injected inline script is refused and reported', async () => {
  const s = await openPage('');
  const ran = await s.page.evaluate(async () => {
    window.__inlineRan = false;
    const el = document.createElement('script');
    el.textContent = 'window.__inlineRan = true;';
    document.body.append(el);
    await new Promise((r) => setTimeout(r, 100));
    return window.__inlineRan;
  });
  assert.equal(ran, false, 'the inline script did not run');
  await s.page.waitForTimeout(100);
  // Reported once per policy in force: the server's header and the page's meta.
  assert.equal(s.violations.length, 2, 'the securitypolicyviolation listener saw it under both policies');
  for (const v of s.violations) assert.match(v.directive, /^script-src/);
  await s.close();
});

test('the Rust core initialises and its binding answers', async () => {
  const s = await openPage('');
  assert.equal(await s.page.locator('#core-status').innerText(), `core v${CRATE_VERSION} ready`);
  const answers = await s.page.evaluate(async () => {
    const core = await import(new URL('pkg/sgd_lab.js', document.baseURI).href);
    await core.default(); // already initialised by the page: returns at once
    const error = (f) => {
      try {
        f();
        return null;
      } catch (e) {
        return { isError: e instanceof Error, message: e.message };
      }
    };
    const preset = core.preset_json('per-sample');
    const normalised = JSON.parse(core.validate_scenario(preset));
    return {
      version: core.version(),
      presetKind: JSON.parse(preset).problem.kind,
      normalised: { steps: normalised.steps, method: normalised.method.kind, schedule: normalised.schedule },
      badLr: error(() => core.validate_scenario('{"problem": {"kind": "random_least_squares"}, "method": {"kind": "sgd", "lr": -1}}')),
      badJson: error(() => core.validate_scenario('{"problem": ')),
      unknownPreset: error(() => core.preset_json('no-such-lab')),
    };
  });
  assert.equal(answers.version, CRATE_VERSION);
  assert.equal(answers.presetKind, 'least_squares');
  assert.equal(answers.normalised.steps, 200);
  assert.equal(answers.normalised.method, 'sgd');
  assert.ok(answers.normalised.schedule, 'defaults are filled in');
  assert.deepEqual(answers.badLr, { isError: true, message: 'method.lr must be a finite number > 0, got -1' });
  assert.equal(answers.badJson.isError, true);
  assert.match(answers.badJson.message, /scenario is not valid/);
  assert.match(answers.unknownPreset.message, /unknown preset "no-such-lab"; known presets: per-sample/);
  assertClean(s);
  await s.close();
});

test('the landing page lists every lab of the core\'s catalogue in lecture order; those the core has not built are marked "coming soon"', async () => {
  const catalogue = await coreCatalogue();
  const ready = new Set(catalogue.filter((l) => l.ready).map((l) => l.id));
  assert.ok(ready.has('decay'), 'the core has ready labs');
  const s = await openPage('');
  assert.equal(await s.page.evaluate(() => document.body.dataset.route), 'landing');
  const cards = await s.page.locator('.lab-card').evaluateAll((els) => els.map((el) => ({
    id: el.dataset.lab,
    href: el.querySelector('a').getAttribute('href'),
    title: el.querySelector('a').textContent,
    badge: el.querySelector('.badge')?.textContent ?? null,
    teaser: el.querySelector('.teaser')?.textContent ?? '',
    part: el.querySelector('.part')?.textContent ?? '',
  })));
  assert.deepEqual(cards.map((c) => c.id), LAB_IDS);
  // Titles, teasers and parts come from the core (src/lab/registry.rs), not a JS copy.
  assert.deepEqual(cards.map((c) => [c.title, c.teaser, c.part]),
    catalogue.map((l) => [l.title, l.teaser, `Lecture: ${l.part}`]));
  for (const c of cards) {
    assert.equal(c.href, `#lab=${c.id}`);
    assert.equal(c.badge, ready.has(c.id) ? null : 'coming soon', `${c.id}: badge`);
    assert.ok(c.title.length > 3, `${c.id} has a title`);
    assert.ok(c.teaser.length > 30, `${c.id} has a teaser`);
  }
  await s.close();
});

test('the router: a lab link shows its section, "All labs" comes back', async () => {
  const s = await openPage('');
  // A lab that is still a placeholder (the lab pages have their own tests: labs.test.mjs).
  await s.page.getByRole('link', { name: 'Iterate averaging' }).click();
  await s.page.waitForFunction(() => document.body.dataset.route === 'lab:averaging');
  const section = s.page.locator('section.lab[data-lab="averaging"]');
  await section.waitFor();
  assert.match(await section.locator('h2').innerText(), /Iterate averaging/);
  assert.match(await section.locator('.preset').innerText(), /least squares/);
  assert.equal(await s.page.title(), 'Iterate averaging — SGD Lab');
  assert.equal(await s.page.evaluate(() => document.activeElement?.id), 'lab-title', 'focus moves to the lab title');
  await s.screenshot('lab-placeholder', { fullPage: true });
  await s.page.getByRole('link', { name: '← All labs' }).click();
  await s.page.waitForFunction(() => document.body.dataset.route === 'landing');
  assert.equal(await s.page.locator('.lab-card').count(), LAB_IDS.length);
  assertClean(s);
  await s.close();
});

test('a link with settings opens the lab directly and shows them as text', async () => {
  const s = await openPage('#lab=averaging&t0=20&schedule=inverse_time&note=1e%2B3');
  assert.equal(await s.page.evaluate(() => document.body.dataset.route), 'lab:averaging');
  const settings = await s.page.locator('.settings dl').innerText();
  assert.match(settings, /t0\s+20/);
  assert.match(settings, /note\s+1e\+3/);
  assertClean(s);
  await s.close();
});

test('an unknown lab id gives a clear message and the list, and URL text stays text', async () => {
  const evil = '<img src=x onerror="window.__pwned=1">';
  const s = await openPage(`#lab=${encodeURIComponent(evil)}`);
  assert.equal(await s.page.evaluate(() => document.body.dataset.route), 'unknown');
  const text = await s.page.locator('.notice').innerText();
  assert.equal(text, `There is no lab called “${evil}”. Choose one of the labs below.`);
  // The only images are the labs' pictures, from the site's own files.
  const imgs = await s.page.locator('#app img').evaluateAll((els) => els.map((el) => [el.className, new URL(el.src).pathname]));
  for (const [cls, src] of imgs) assert.ok(cls === 'lab-thumb' && /^\/www\/thumbs\/[a-z-]+\.svg$/.test(src), `${cls} ${src}`);
  assert.equal(await s.page.evaluate(() => window.__pwned), undefined);
  assert.equal(await s.page.locator('.lab-card').count(), LAB_IDS.length);
  await s.screenshot('unknown-lab');
  assertClean(s);
  await s.close();
});

test('on a phone in portrait the page fits the width and keyboard focus is visible', async () => {
  const s = await openPage('', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const o = await overflow(s.page);
  assert.equal(o.x, false, `no horizontal scrolling (${o.scrollWidth} > ${o.clientWidth})`);
  await s.page.keyboard.press('Tab');
  const focus = await s.page.evaluate(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return { tag: el.tagName, outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
  assert.equal(focus.tag, 'A');
  assert.notEqual(focus.outline, 'none');
  assert.ok(focus.width >= 2, `outline ${focus.width}px`);
  await s.screenshot('landing-phone');
  await s.screenshot('landing-phone-full', { fullPage: true });
  assertClean(s);
  await s.close();
});

test('if the core cannot load, the page says so instead of staying blank', async () => {
  const broken = mkdtempSync(path.join(tmpdir(), 'sgd-dist-'));
  try {
    cpSync(DIST, broken, { recursive: true });
    rmSync(path.join(broken, 'pkg', 'sgd_lab_bg.wasm'));
    const { url } = await serve({ root: broken });
    const s = await openPage(url, { waitForReady: false });
    await s.page.waitForFunction(() => document.body.dataset.ready === 'error');
    assert.match(await s.page.locator('.notice').innerText(), /could not start/);
    assert.equal(await s.page.locator('#core-status').innerText(), 'core failed to load');
    await s.screenshot('core-load-error');
    await s.close();
  } finally {
    rmSync(broken, { recursive: true, force: true });
  }
});
