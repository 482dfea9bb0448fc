// Predict, then reveal (#11, www/quiz.js), in Chromium: `quiz=1` opens a lab with its
// question above the charts; a prediction answered both ways on two labs (the run's
// verdict, the core's, agrees with one and not the other); the verdict follows a knob
// change; skipping is one click; questions.html lists every question.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, assertClean, waitForLab } from './harness.mjs';

const DESKTOP = { viewport: { width: 1280, height: 900 } };

/** Opens `hash` with quiz=1 at full speed, predicts choice `k`, plays to the end;
 *  returns the result text and the verdict's index. */
async function predictAndPlay(hash, k) {
  const s = await openPage(`#${hash}&quiz=1&speed=30`, DESKTOP);
  const { page } = s;
  await waitForLab(page);
  const quiz = page.locator('details.quiz');
  assert.equal(await quiz.evaluate((d) => d.open), true, 'open at first');
  const top = await quiz.evaluate((d) => d.getBoundingClientRect().top);
  const charts = await page.locator('.charts').evaluate((c) => c.getBoundingClientRect().top);
  assert.ok(top < charts, 'above the charts');
  const result = page.locator('.quiz-result').first();
  assert.match(await result.innerText(), /Pick a prediction, then press Play\./);
  await page.locator(`#quiz-0-${k}`).check();
  assert.match(await result.innerText(), /^Your prediction: /);
  await page.locator('.btn-play').click();
  await page.waitForFunction(() => document.querySelector('.quiz-result')?.dataset.verdict !== '', null, { timeout: 60000 });
  const text = await result.innerText();
  const verdict = Number(await result.getAttribute('data-verdict'));
  assertClean(s);
  await s.close();
  return { text, verdict };
}

for (const [lab, hash] of [['per-sample', 'lab=per-sample'], ['decay', 'lab=decay&runs=20']]) {
  test(`${lab}: a prediction the run agrees with, then one it does not`, async () => {
    const first = await predictAndPlay(hash, 0);
    const right = first.verdict;
    const wrong = right === 0 ? 1 : 0;
    if (right === 0) assert.match(first.text, /the simulation agrees/);
    else assert.match(first.text, /not this time/);
    const again = await predictAndPlay(hash, right);
    assert.equal(again.verdict, right, 'the same run, the same verdict');
    assert.match(again.text, /You predicted “[^”]+”: the simulation agrees\./);
    const other = await predictAndPlay(hash, wrong);
    assert.match(other.text, /: not this time\./);
    assert.match(other.text, /\d/, 'with the numbers that decided it');
  });
}

test('the verdict follows the knobs: samples that agree send SGD to w*', async () => {
  const inside = await predictAndPlay('lab=per-sample', 0);
  assert.equal(inside.verdict, 1, inside.text);
  assert.match(inside.text, /^The run says: Bouncing inside the zone of confusion\./);
  const agree = await predictAndPlay('lab=per-sample&points=1:2,2:4,0.5:1&steps=400', 0);
  assert.equal(agree.verdict, 0, agree.text);
  assert.match(agree.text, /the simulation agrees/);
});

test('skipping is one click, and without quiz=1 the question waits closed under the caption', async () => {
  let s = await openPage('#lab=momentum&quiz=1', DESKTOP);
  await waitForLab(s.page);
  await s.page.locator('.quiz-skip').click();
  assert.equal(await s.page.locator('details.quiz').evaluate((d) => d.open), false);
  await s.page.locator('.btn-play').click();
  await s.page.waitForFunction(() => Number(document.querySelector('.lab-page').dataset.t) > 0);
  assertClean(s);
  await s.close();
  s = await openPage('#lab=momentum', DESKTOP);
  await waitForLab(s.page);
  const q = s.page.locator('details.quiz');
  assert.equal(await q.evaluate((d) => d.open), false);
  const below = await q.evaluate((d) => d.getBoundingClientRect().top > document.querySelector('.lab-caption').getBoundingClientRect().top);
  assert.ok(below, 'under the caption');
  assert.equal(await s.page.locator('.quiz-question').count(), 2, 'momentum asks two');
  // A lab without questions has no panel.
  await s.page.evaluate(() => { location.hash = '#lab=sandbox'; });
  await waitForLab(s.page);
  assert.equal(await s.page.locator('details.quiz:not([hidden])').count(), 0);
  await s.close();
});

test('questions.html lists every lab\'s questions with a quiz link, under the site\'s CSP', async () => {
  const s = await openPage('questions.html', { waitForReady: false });
  assertClean(s);
  const links = await s.page.locator('.kit-lab h2 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.includes('index.html#lab=per-sample&quiz=1'), links.join(' '));
  assert.ok(links.length >= 4, links.join(' '));
  assert.match(await s.page.locator('main').innerText(), /Which schedule has the lowest mean loss gap when the run ends\?/);
  await s.close();
});

test('kit.html: every ready lab with its claim, snippet and figure command; its snippet loads the lab in an iframe under a strict CSP', async () => {
  const s = await openPage('kit.html', { waitForReady: false });
  assertClean(s);
  const sections = await s.page.locator('.kit-lab').count();
  assert.ok(sections >= 13, `${sections} labs`);
  const text = await s.page.locator('main').innerText();
  assert.match(text, /sgd-lab lab sgd-lab-gd-vs-sgd\.json --out slides\/gd-vs-sgd/);
  assert.match(text, /Into Moodle or Canvas/);
  // The per-sample snippet, pointed at this server, in a host page whose CSP allows
  // nothing but frames from it (as a strict LMS page would).
  const snippet = await s.page.locator('#kit-per-sample .kit-code code').first().innerText();
  assert.match(snippet, /^<iframe src="https:\/\/YOUR-HOST\/sgd-lab\/embed\.html#lab=per-sample" width="640" height="420"/);
  const base = new URL('.', s.page.url()).href;
  const host = snippet.replace('https://YOUR-HOST/sgd-lab/', base);
  await s.page.setContent(`<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; frame-src ${new URL(base).origin}"></head><body>${host}</body></html>`);
  const frame = s.page.frameLocator('iframe');
  await frame.locator('body[data-ready="1"]').waitFor({ timeout: 20000 });
  assert.equal(await frame.locator('body').getAttribute('data-route'), 'lab:per-sample');
  await s.close();
});
