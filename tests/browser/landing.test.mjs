// The landing page and the app shell: loads cleanly under its CSP, stays on its own
// origin, initialises the Rust core, lists every lab and routes on the hash; the
// lecture path: numbers in the core's order, each ready lab's picture (the CLI's
// drawing), "start here", and previous / next on the lab pages.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync, mkdtempSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openPage, assertClean, overflow, serve, coreCatalogue, waitForLab, DIST, REPO, DEFAULT_CSP, CRATE_VERSION, LAB_IDS } from './harness.mjs';

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

test('a lab page names every module and the wasm in its head and fetches each once (no import waterfall)', async () => {
  // scripts/preload.mjs writes a <link rel="modulepreload"> per module and a wasm
  // preload: the browser fetches them all at once, and the glue's init() reuses the
  // preloaded wasm (a second request, or Chrome's "preloaded but not used" warning,
  // would mean it did not).
  for (const page of ['index.html#lab=step-size', 'embed.html#lab=step-size']) {
    const s = await openPage(page);
    await waitForLab(s.page);
    await s.page.waitForTimeout(500);
    assertClean(s);
    const links = await s.page.evaluate(() => [...document.head.querySelectorAll('link[rel="modulepreload"], link[rel="preload"]')]
      .map((l) => ({ rel: l.rel, path: new URL(l.href).pathname, as: l.getAttribute('as'), cors: l.getAttribute('crossorigin') })));
    const preloaded = links.map((l) => l.path).sort();
    const fetched = s.requests.map((r) => new URL(r.url).pathname).filter((p) => /\.(js|wasm)$/.test(p));
    const expected = fetched.filter((p) => p !== '/www/main.js');
    assert.deepEqual(preloaded, [...new Set(expected)].sort(), `${page}: preload links = the modules and wasm the page loads`);
    assert.equal(fetched.length, new Set(fetched).size, `${page}: each fetched once: ${fetched.join(', ')}`);
    assert.ok(links.some((l) => l.path === '/pkg/sgd_lab_bg.wasm' && l.rel === 'preload' && l.as === 'fetch' && l.cors === ''), `${page}: the wasm preload`);
    assert.ok(links.filter((l) => l.rel === 'modulepreload').length >= 10, `${page}: ${links.length} links`);
    await s.close();
  }
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
  // The lab pages themselves have their own tests (labs.test.mjs).
  await s.page.getByRole('link', { name: 'When SGD beats GD', exact: true }).click();
  await s.page.waitForFunction(() => document.body.dataset.route === 'lab:gd-vs-sgd');
  const section = s.page.locator('section.lab[data-lab="gd-vs-sgd"]');
  await section.waitFor();
  assert.match(await section.locator('h2').innerText(), /When SGD beats GD/);
  await section.locator('.lab-page').waitFor();
  assert.doesNotMatch(await section.innerText(), /coming soon/i);
  assert.equal(await s.page.title(), 'When SGD beats GD — SGD Lab');
  assert.equal(await s.page.evaluate(() => document.activeElement?.id), 'lab-title', 'focus moves to the lab title');
  await s.page.getByRole('link', { name: '← All labs' }).click();
  await s.page.waitForFunction(() => document.body.dataset.route === 'landing');
  assert.equal(await s.page.locator('.lab-card').count(), LAB_IDS.length);
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

// ---- The lecture path: order, numbers, pictures, "start here", previous / next ----

/** The labs on the lecture path (all but the sandbox, which has no lecture time), in
 *  the core's order, and the others. */
function pathOf(catalogue) {
  return { path: catalogue.filter((l) => l.time !== ''), others: catalogue.filter((l) => l.time === '') };
}

const CLI = process.env.SGD_LAB_CLI
  ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(REPO, 'target'), 'debug', 'sgd-lab');

test('the labs are numbered in the core\'s lecture order, with their times; the sandbox follows, unnumbered', async () => {
  const catalogue = await coreCatalogue();
  const { path: lecture, others } = pathOf(catalogue);
  assert.deepEqual(others.map((l) => l.id), ['sandbox']);
  assert.equal(lecture[0].id, 'epochs', 'epochs (08:51) comes first');
  const s = await openPage('');
  const numbered = await s.page.locator('ol.lab-list > .lab-card').evaluateAll((els) => els.map((el) => ({
    id: el.dataset.lab,
    num: el.querySelector('.lab-num')?.textContent ?? null,
    title: el.querySelector('h3').textContent,
    part: el.querySelector('.part').textContent,
  })));
  assert.deepEqual(numbered.map((c) => c.id), lecture.map((l) => l.id));
  numbered.forEach((c, k) => {
    assert.equal(c.num, `${k + 1}.`, `${c.id} is number ${k + 1}`);
    assert.ok(c.title.startsWith(`${k + 1}. ${lecture[k].title}`), c.title);
    if (lecture[k].time !== 'end') assert.ok(c.part.includes(`(${lecture[k].time})`), `${c.id}: ${c.part} shows ${lecture[k].time}`);
  });
  const rest = await s.page.locator('ul.lab-list-more > .lab-card').evaluateAll((els) => els.map((el) => [el.dataset.lab, el.querySelectorAll('.lab-num').length]));
  assert.deepEqual(rest, [['sandbox', 0]]);
  assertClean(s);
  await s.close();
});

test('every ready lab has its picture, loaded, with an alt text from the core; coming-soon labs have none', async () => {
  const catalogue = await coreCatalogue();
  const s = await openPage('');
  await s.page.waitForFunction(() => [...document.querySelectorAll('.lab-thumb')].every((img) => img.complete));
  const cards = await s.page.locator('.lab-card').evaluateAll((els) => els.map((el) => {
    const imgs = [...el.querySelectorAll('img')];
    return {
      id: el.dataset.lab,
      imgs: imgs.map((img) => ({
        src: new URL(img.src).pathname, alt: img.alt, w: img.naturalWidth, h: img.naturalHeight,
        shownW: img.getBoundingClientRect().width, shownH: img.getBoundingClientRect().height,
      })),
    };
  }));
  const byId = Object.fromEntries(catalogue.map((l) => [l.id, l]));
  for (const c of cards) {
    const lab = byId[c.id];
    if (!lab.ready) {
      assert.deepEqual(c.imgs, [], `${c.id} is coming: no picture`);
      continue;
    }
    assert.equal(c.imgs.length, 1, `${c.id} has one picture`);
    const [img] = c.imgs;
    assert.equal(img.src, `/www/thumbs/${c.id}.svg`);
    assert.equal(img.alt, lab.thumb.alt, `${c.id}: the alt text is the core's`);
    assert.ok(img.w >= 230 && img.h >= 150, `${c.id}: the SVG loaded (${img.w}×${img.h})`);
    assert.ok(img.shownW >= 230 && img.shownH >= 150, `${c.id}: shown at ${img.shownW}×${img.shownH}`);
  }
  assertClean(s);
  await s.close();
});

test('the pictures served are the ones sgd-lab thumbs draws', async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run cargo build (scripts/test-browser.sh does)`);
  const dir = mkdtempSync(path.join(tmpdir(), 'sgd-thumbs-'));
  try {
    execFileSync(CLI, ['thumbs', '--out', dir], { stdio: 'pipe' });
    const s = await openPage('');
    const ids = await s.page.locator('.lab-thumb').evaluateAll((els) => els.map((el) => el.closest('.lab-card').dataset.lab));
    assert.deepEqual([...ids].sort(), readdirSync(dir).map((f) => f.replace(/\.svg$/, '')).sort());
    for (const id of ids) {
      const served = await s.page.evaluate((u) => fetch(u).then((r) => r.text()), `www/thumbs/${id}.svg`);
      assert.equal(served, readFileSync(path.join(dir, `${id}.svg`), 'utf8'), `${id}: the served picture is the CLI's`);
    }
    await s.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('"start here" sends a student to the first ready lab of the path and gives an instructor the embed code', async () => {
  const catalogue = await coreCatalogue();
  const { path: lecture } = pathOf(catalogue);
  const first = lecture.findIndex((l) => l.ready);
  const s = await openPage('');
  const box = s.page.locator('.start-here');
  const student = await box.locator('p').nth(0).innerText();
  assert.match(student, new RegExp(`^Students: Open lab ${first + 1}, ${lecture[first].title.replace(/[()*.?]/g, '\\$&')}, press play`));
  assert.match(await box.locator('p').nth(1).innerText(), /^Instructors: Embed a lab .*iframe.*single HTML file.*sgd-lab lab FILE --out DIR/s);
  // The README's snippet form: no style= attribute, the embed view of that lab, 640×420.
  await box.locator('summary').click();
  const snippet = await box.locator('pre').innerText();
  assert.doesNotMatch(snippet, /style=/);
  const src = snippet.match(/src="([^"]+)"/)[1];
  assert.equal(new URL(src).pathname, '/embed.html');
  assert.equal(new URL(src).hash, `#lab=${lecture[first].id}`);
  assert.match(snippet, /width="640" height="420" title="SGD Lab: [^"]+"\s+loading="lazy"><\/iframe>$/);
  // The link opens that lab.
  await box.getByRole('link', { name: lecture[first].title }).click();
  await s.page.waitForFunction((id) => document.body.dataset.route === `lab:${id}`, lecture[first].id);
  // The snippet's page loads that lab in an iframe under the site's CSP.
  const frame = await openPage(`embed.html#lab=${lecture[first].id}`, { viewport: { width: 640, height: 420 } });
  assert.equal(await frame.page.evaluate(() => document.body.dataset.route), `lab:${lecture[first].id}`);
  assert.equal(await frame.page.locator('.start-here').count(), 0, 'no "start here" in the embed');
  await frame.close();
  assertClean(s);
  await s.close();
});

test('previous / next walk the ready labs of the lecture path, forward and back, by click and by keyboard', async () => {
  const catalogue = await coreCatalogue();
  const { path: lecture } = pathOf(catalogue);
  const ready = lecture.filter((l) => l.ready);
  const number = (id) => lecture.findIndex((l) => l.id === id) + 1;
  assert.ok(ready.length >= 2);
  const s = await openPage(`#lab=${ready[0].id}`);
  const route = () => s.page.evaluate(() => document.body.dataset.route);
  const links = async () => s.page.locator('.lecture-nav a').evaluateAll((els) => els.map((a) => [a.rel, a.dataset.lab, a.textContent, a.getAttribute('href')]));
  const seen = [ready[0].id];
  for (let k = 0; k < ready.length; k += 1) {
    const want = [];
    if (k > 0) want.push(['prev', ready[k - 1].id, `← ${number(ready[k - 1].id)}. ${ready[k - 1].title}`, `#lab=${ready[k - 1].id}`]);
    if (k + 1 < ready.length) want.push(['next', ready[k + 1].id, `${number(ready[k + 1].id)}. ${ready[k + 1].title} →`, `#lab=${ready[k + 1].id}`]);
    assert.deepEqual(await links(), want, `on ${ready[k].id}`);
    if (k + 1 === ready.length) break;
    await s.page.locator('.lecture-nav a[rel="next"]').click();
    await s.page.waitForFunction((id) => document.body.dataset.route === `lab:${id}`, ready[k + 1].id);
    seen.push(ready[k + 1].id);
  }
  assert.deepEqual(seen, ready.map((l) => l.id), 'forward through every ready lab');
  // Back by keyboard: focus "previous" and press Enter, down to the first.
  for (let k = ready.length - 1; k > 0; k -= 1) {
    const prev = s.page.locator('.lecture-nav a[rel="prev"]');
    await prev.focus();
    assert.equal(await s.page.evaluate(() => document.activeElement.rel), 'prev', 'the link takes keyboard focus');
    await s.page.keyboard.press('Enter');
    await s.page.waitForFunction((id) => document.body.dataset.route === `lab:${id}`, ready[k - 1].id);
  }
  assert.equal(await route(), `lab:${ready[0].id}`);
  // The sandbox (not on the path) and the embed view have none.
  await s.page.evaluate(() => { location.hash = '#lab=sandbox'; });
  await s.page.waitForFunction(() => document.body.dataset.route === 'lab:sandbox');
  assert.equal(await s.page.locator('.lecture-nav').count(), 0);
  assertClean(s);
  await s.close();
  const e = await openPage(`embed.html#lab=${ready[1].id}`, { viewport: { width: 640, height: 420 } });
  assert.equal(await e.page.locator('.lecture-nav').count(), 0, 'the embed keeps its room for the charts');
  await e.close();
});

test('on a 390×844 phone the first screen shows "start here" and lab 1, without horizontal scrolling', async () => {
  const s = await openPage('', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const boxes = await s.page.evaluate(() => {
    const r = (el) => { const b = el.getBoundingClientRect(); return { top: b.top, bottom: b.bottom, right: b.right }; };
    return {
      start: r(document.querySelector('.start-here h2')),
      student: r(document.querySelector('.start-here p')),
      lab1: r(document.querySelector('ol.lab-list > .lab-card h3')),
      width: document.documentElement.clientWidth,
    };
  });
  for (const [what, b] of Object.entries({ start: boxes.start, student: boxes.student, lab1: boxes.lab1 })) {
    assert.ok(b.bottom <= 844 && b.top >= 0, `${what} is in the first screen: ${JSON.stringify(b)}`);
    assert.ok(b.right <= boxes.width, `${what} fits the width`);
  }
  const o = await overflow(s.page);
  assert.equal(o.x, false, `no horizontal scrolling (${o.scrollWidth} > ${o.clientWidth})`);
  // The embed code, opened, wraps inside the width too.
  await s.page.locator('.start-here summary').click();
  const opened = await overflow(s.page);
  assert.equal(opened.x, false, `the embed code wraps (${opened.scrollWidth} > ${opened.clientWidth})`);
  await s.screenshot('landing-phone-embed-code');
  assertClean(s);
  await s.close();
});
