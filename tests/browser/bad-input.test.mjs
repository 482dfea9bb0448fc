// The reproductions of issue #12, word for word: warnings that follow in-place hash
// changes and back / forward, notes about the `lab` key itself, a file's values named
// as the file's, and NaN quoted as written.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, waitForLab } from './harness.mjs';
import { importScenario } from './frames.mjs';

async function warnings(page) {
  return page.evaluate(() => {
    const box = document.querySelector('.lab-warnings');
    return box && !box.hidden ? [...box.querySelectorAll('li')].map((li) => li.textContent) : [];
  });
}

async function goTo(page, hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await page.waitForFunction((h) => location.hash === h, hash);
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done())));
}

test('warnings always describe the URL shown: in-place changes, back and forward', async () => {
  const s = await openPage('index.html#lab=per-sample&lr=abc');
  const { page } = s;
  await waitForLab(page);
  assert.deepEqual(await warnings(page), ['URL parameter lr must be a number from 0.001 to 3, got "abc"; using 0.3']);
  await goTo(page, '#lab=per-sample');
  assert.deepEqual(await warnings(page), []);
  await page.goBack();
  await page.waitForFunction(() => location.hash === '#lab=per-sample&lr=abc');
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done())));
  assert.deepEqual(await warnings(page), ['URL parameter lr must be a number from 0.001 to 3, got "abc"; using 0.3']);
  await page.goForward();
  await page.waitForFunction(() => location.hash === '#lab=per-sample');
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done())));
  assert.deepEqual(await warnings(page), []);
  // NaN is quoted as written, not as "n/a".
  await goTo(page, '#lab=per-sample&lr=NaN');
  assert.deepEqual(await warnings(page), ['URL parameter lr must be a number from 0.001 to 3, got "NaN"; using 0.3']);
  await goTo(page, '#lab=decay&lr=1e309&foo=1');
  await waitForLab(page);
  assert.equal((await warnings(page)).length, 2);
  await goTo(page, '#lab=decay&lr=0.5');
  assert.deepEqual(await warnings(page), []);
  await goTo(page, '#lab=expected-loss&runs=1e9');
  await waitForLab(page);
  assert.deepEqual(await warnings(page), ['URL parameter runs must be a whole number from 1 to 10000, got "1e9"; using 1000']);
  await goTo(page, '#lab=expected-loss');
  assert.deepEqual(await warnings(page), []);
  assert.deepEqual(s.problems(), []);
  await s.close();
});

test('a repeated or empty lab key says which lab is shown', async () => {
  const s = await openPage('index.html#lab=decay&lab=step-size');
  const { page } = s;
  await waitForLab(page);
  assert.equal(await page.evaluate(() => document.querySelector('.lab-page').dataset.lab), 'step-size');
  assert.deepEqual(await warnings(page), ['The link names the lab 2 times ("decay", "step-size"); showing the last that exists, "step-size".']);
  await goTo(page, '#lab=step-size&lab=nope');
  assert.deepEqual(await warnings(page), ['The link names the lab 2 times ("step-size", "nope"); showing the last that exists, "step-size".']);
  await goTo(page, '#lab=&lr=1e309');
  await page.waitForFunction(() => document.body.dataset.route === 'landing');
  assert.deepEqual(await page.locator('.notice').allInnerTexts(),
    ['The link\'s lab is empty, so the list of labs is shown; its other settings ("lr") were not used.']);
  assert.deepEqual(s.problems(), []);
  await s.close();
});

test('a file out of a knob\'s range is named as the file\'s, and values a link cannot show are named', async () => {
  const s = await openPage('index.html#lab=sandbox&problem=logistic&kappa=30');
  const { page } = s;
  await waitForLab(page);
  assert.deepEqual(await warnings(page), ['URL parameter kappa "30" was not used: it applies only to problem=quadratic or least_squares, and the problem is logistic']);
  // The file below is for decay.
  await goTo(page, '#lab=decay');
  await waitForLab(page);
  const file = JSON.stringify({
    problem: { kind: 'random_least_squares', n: 20, d: 1, noise: 1, seed: 1 },
    method: { kind: 'sgd', lr: 0.2 },
    schedule: { kind: 'step', every: 200000, gamma: 0.5 },
    w0: [0],
    steps: 300,
    seed: 1,
    lab: { id: 'decay' },
  });
  await importScenario(page, 'every.json', file);
  await page.waitForFunction(() => /the file's every/.test(document.querySelector('.lab-warnings')?.textContent ?? ''));
  const w = await warnings(page);
  assert.equal(w.length, 1);
  assert.match(w[0], /keeps only the knobs: the file's every must be a whole number from 1 to 100000, got "200000"/);
  assert.doesNotMatch(w[0], /URL parameter/);
  assert.deepEqual(s.problems(), []);
  await s.close();
});
