// The lab page's own rules (www/lab-page.js) in real Chromium: the knobs are read
// again from the core after every change (a lab's knobs may depend on its state), and
// "New seed" and `"seed": "random"` draw from the core (getrandom).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, assertClean, waitForLab, labState, downloadOf } from './harness.mjs';

const DESKTOP = { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 };

/** Sets knob `key` by its text field (Enter commits) and waits for the new state. */
async function setField(page, key, value) {
  const before = (await labState(page)).query;
  await page.locator(`#knob-${key}`).fill(value);
  await page.locator(`#knob-${key}`).press('Enter');
  await page.waitForFunction((q) => document.querySelector('.lab-page').dataset.query !== q, before);
}

test('the knobs are read again after every change; the controls are rebuilt only when they differ', async () => {
  const s = await openPage('#lab=decay', DESKTOP);
  const { page } = s;
  await waitForLab(page);
  // A handle whose knob list depends on its state: while the flag is set, an extra knob
  // is listed. The page calls the same class's method (one module instance).
  await page.evaluate(async () => {
    const core = await import(new URL('pkg/sgd_lab.js', document.baseURI).href);
    const proto = core.LabHandle.prototype;
    const knobs = proto.knobs;
    proto.knobs = function extra() {
      const list = knobs.call(this);
      return window.__extraKnob
        ? [...list, { key: 'extra', label: 'Extra', help: 'A test knob.', type: 'integer', min: 1, max: 5 }]
        : list;
    };
    document.querySelector('#knob-lr').__marker = 'first build';
  });
  const builds = () => page.evaluate(() => document.querySelector('.lab-page').dataset.knobBuilds);
  const marker = () => page.evaluate(() => document.querySelector('#knob-lr').__marker ?? null);
  assert.equal(await builds(), '1');

  // The same knobs after a change: the controls stay (the same element).
  await setField(page, 'lr', '0.25');
  assert.equal(await builds(), '1');
  assert.equal(await marker(), 'first build');
  assert.equal(await page.locator('#knob-extra').count(), 0);

  // Different knobs after a change: rebuilt, with every value shown.
  await page.evaluate(() => { window.__extraKnob = true; });
  await setField(page, 'lr', '0.3');
  assert.equal(await builds(), '2');
  assert.equal(await marker(), null, 'a new control');
  assert.equal(await page.locator('#knob-extra').count(), 1);
  assert.equal(await page.locator('label[for=knob-extra]').innerText(), 'Extra');
  assert.equal(await page.locator('#knob-lr').inputValue(), '0.3');
  await page.evaluate(() => { document.querySelector('#knob-lr').__marker = 'second build'; });

  // The same (extended) list again: kept.
  await setField(page, 'seed', '12');
  assert.equal(await builds(), '2');
  assert.equal(await marker(), 'second build');
  assert.equal(await page.locator('#knob-seed').inputValue(), '12');

  // Back to the core's list: rebuilt without the extra knob.
  await page.evaluate(() => { window.__extraKnob = false; });
  await setField(page, 'seed', '13');
  assert.equal(await builds(), '3');
  assert.equal(await page.locator('#knob-extra').count(), 0);
  assert.equal(await page.locator('#knob-seed').inputValue(), '13');
  assertClean(s);
  await s.close();
});

test('"New seed" is drawn by the core: 53-bit seeds, shown in the control and the URL', async () => {
  const s = await openPage('#lab=expected-loss', DESKTOP);
  const { page } = s;
  await waitForLab(page);
  const seeds = [];
  for (let k = 0; k < 2; k += 1) {
    const before = (await labState(page)).query;
    await page.locator('.btn-new-seed').click();
    await page.waitForFunction((q) => document.querySelector('.lab-page').dataset.query !== q, before);
    const q = new URLSearchParams((await labState(page)).query);
    const seed = q.get('seed');
    assert.match(seed, /^\d+$/);
    assert.equal(await page.locator('#knob-seed').inputValue(), seed);
    assert.equal(new URLSearchParams(new URL(page.url()).hash.slice(1)).get('seed'), seed);
    seeds.push(BigInt(seed));
  }
  // Uniform in 0 … 2^53 − 1: both below 2^32 (what crypto.getRandomValues into a
  // Uint32Array gave) with probability 2^-42.
  assert.ok(seeds.every((x) => x < 2n ** 53n), seeds.join(', '));
  assert.ok(seeds.some((x) => x >= 2n ** 32n), `not 53-bit draws: ${seeds.join(', ')}`);
  assert.notEqual(seeds[0], seeds[1]);
  assertClean(s);
  await s.close();
});

test('an imported scenario with "seed": "random" runs with a drawn seed, which the URL and export show', async () => {
  const s = await openPage('#lab=decay', DESKTOP);
  const { page } = s;
  await waitForLab(page);
  const exported = JSON.parse((await downloadOf(page, page.locator('.btn-json'))).text);
  exported.seed = 'random';
  await page.setInputFiles('#import-file', { name: 'random.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(exported)) });
  await page.waitForFunction(() => /Opened/.test(document.querySelector('.share-note').textContent));
  const state = await waitForLab(page);
  const seed = new URLSearchParams(state.query).get('seed');
  assert.match(seed, /^\d+$/, state.query);
  assert.equal(new URLSearchParams(new URL(page.url()).hash.slice(1)).get('seed'), seed);
  assert.equal(await page.locator('#knob-seed').inputValue(), seed);
  const again = (await downloadOf(page, page.locator('.btn-json'))).text;
  // The export carries the drawn number as it is (no rounding through a float).
  assert.match(again, new RegExp(`"seed": ${seed}\\b`));
  assert.equal(await page.locator('.lab-message').isVisible(), false);
  assertClean(s);
  await s.close();
});

test('one rule for every value: the core refuses with its message; a slider\'s ends are the knob\'s own ends', async () => {
  const s = await openPage('#lab=expected-loss', DESKTOP);
  const { page } = s;
  await waitForLab(page);
  const knob = (await page.evaluate(async () => {
    const core = await import(new URL('pkg/sgd_lab.js', document.baseURI).href);
    const h = core.LabHandle.from_query([['lab', 'expected-loss']]);
    const k = h.knobs().find((x) => x.key === 'lr');
    h.free();
    return k;
  }));
  const before = (await labState(page)).query;
  for (const bad of [String(knob.max * 1.5), '-1', 'abc']) {
    await page.locator('#knob-lr').fill(bad);
    await page.locator('#knob-lr').press('Enter');
    await page.locator('#knob-lr-error').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#knob-lr-error').innerText(),
      `lr must be a number from ${knob.min} to ${knob.max}, got "${bad}"`);
    assert.equal(await page.locator('#knob-lr').getAttribute('aria-invalid'), 'true');
    assert.equal((await labState(page)).query, before, 'nothing changed');
  }
  const slider = page.locator('#knob-lr-slider');
  await slider.focus();
  await slider.press('End');
  await page.waitForFunction((v) => new URLSearchParams(document.querySelector('.lab-page').dataset.query).get('lr') === v, String(knob.max));
  await slider.press('Home');
  await page.waitForFunction((v) => new URLSearchParams(document.querySelector('.lab-page').dataset.query).get('lr') === v, String(knob.min));
  assert.equal(await page.locator('#knob-lr-error').isVisible(), false);
  assertClean(s);
  await s.close();
});

test('a vector knob is an "x, y" field checked by the core; a bool knob is a labelled checkbox', async () => {
  const s = await openPage('#lab=step-size', DESKTOP);
  const { page } = s;
  await waitForLab(page);
  const kinds = await page.evaluate(async () => {
    const core = await import(new URL('pkg/sgd_lab.js', document.baseURI).href);
    const h = core.LabHandle.from_query([['lab', 'step-size']]);
    const out = Object.fromEntries(h.knobs().map((k) => [k.key, k.type]));
    h.free();
    return out;
  });
  assert.equal(kinds.w0, 'vector');
  assert.match(await page.locator('#knob-w0').getAttribute('class'), /knob-vector/);
  const before = (await labState(page)).query;
  const cases = [
    ['1,2,3', 'w0 must be 2 comma-separated numbers with |value| ≤ 1e6, got "1,2,3"'],
    ['1; 2', 'w0 must be numbers separated by commas, each with |value| ≤ 1e6, got "1; 2"'],
    ['1, 2e7', 'w0 must be numbers separated by commas, each with |value| ≤ 1e6, got "1, 2e7"'],
  ];
  for (const [bad, said] of cases) {
    await page.locator('#knob-w0').fill(bad);
    await page.locator('#knob-w0').press('Enter');
    await page.waitForFunction((t) => document.querySelector('#knob-w0-error').textContent === t, said);
    assert.equal((await labState(page)).query, before, `${bad}: nothing changed`);
  }
  await setField(page, 'w0', ' -1.5 , 2 ');
  assert.equal(new URLSearchParams((await labState(page)).query).get('w0'), '-1.5,2');
  assert.equal(await page.locator('#knob-w0').inputValue(), '-1.5,2');
  assert.equal(await page.locator('#knob-w0-error').isVisible(), false);

  // A bool knob (no lab has one yet: the handle's list is extended): a checkbox with
  // its label, operated by the keyboard, whose value goes to the core as true / false.
  await page.evaluate(async () => {
    const core = await import(new URL('pkg/sgd_lab.js', document.baseURI).href);
    const proto = core.LabHandle.prototype;
    const knobs = proto.knobs;
    proto.knobs = function withFlag() {
      return [...knobs.call(this), { key: 'flag', label: 'Show the flag', help: 'A test knob.', type: 'bool' }];
    };
  });
  await setField(page, 'w0', '-1,2');
  const box = page.locator('#knob-flag');
  assert.equal(await box.getAttribute('type'), 'checkbox');
  assert.equal(await page.locator('label[for=knob-flag]').innerText(), 'Show the flag');
  await box.focus();
  await page.keyboard.press('Space');
  await page.locator('#knob-flag-error').waitFor({ state: 'visible' });
  assert.match(await page.locator('#knob-flag-error').innerText(), /^the step-size lab has no knob "flag" \(it has: lr, /);
  assert.equal(new URLSearchParams((await labState(page)).query).get('w0'), '-1,2');
  await s.close();
});
