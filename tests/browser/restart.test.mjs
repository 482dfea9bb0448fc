// Rule 9 (shared/TEACHING.md), for every ready lab in Chromium: a change restarts the
// story. A knob change or a click on a chart shows step 0 of the new scenario, and a
// playing animation keeps playing from there (a paused one stays paused at 0).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, assertClean, coreCatalogue, waitForLab, labState } from './harness.mjs';

const READY = (await coreCatalogue()).filter((l) => l.ready).map((l) => l.id);
const DESKTOP = { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 };

/** From now on, records every data-t and data-playing the page shows. */
async function watch(page) {
  await page.evaluate(() => {
    const root = document.querySelector('.lab-page');
    window.__seen = { t: [], playing: [] };
    window.__observer?.disconnect();
    window.__observer = new MutationObserver(() => {
      window.__seen.t.push(Number(root.dataset.t));
      window.__seen.playing.push(root.dataset.playing);
    });
    window.__observer.observe(root, { attributes: true, attributeFilter: ['data-t', 'data-playing'] });
  });
}

const seen = (page) => page.evaluate(() => window.__seen);

/** The middle-ish of a clickable chart's plot area, in page coordinates. */
async function plotPoint(page, chart, fx, fy) {
  return page.locator(`figure[data-chart="${chart}"]`).evaluate((fig, [x, y]) => {
    const canvas = fig.querySelector('canvas');
    const { plot } = JSON.parse(fig.dataset.frame);
    const r = canvas.getBoundingClientRect();
    const k = r.width / canvas.width;
    return { x: r.left + k * ((1 - x) * plot.left + x * plot.right), y: r.top + k * ((1 - y) * plot.top + y * plot.bottom) };
  }, [fx, fy]);
}

/** Plays until step `n` at least. */
async function playTo(page, n) {
  await page.locator('.btn-play').click();
  await page.waitForFunction((k) => Number(document.querySelector('.lab-page').dataset.t) >= k, n, { timeout: 20000 });
}

for (const id of READY) {
  test(`${id}: a knob change or a click restarts from step 0 and keeps playing`, async () => {
    const s = await openPage(`#lab=${id}`, DESKTOP);
    const { page } = s;
    await waitForLab(page);
    // One step per frame: a few steps before the change, far from the end.
    await page.locator('#speed').fill('0');

    // Playing: a new step size (the sandbox's live in its variants: a number of runs).
    const key = (await page.locator('#knob-lr').count()) ? 'lr' : 'runs';
    const knob = page.locator(`#knob-${key}`);
    const other = (v) => (key === 'lr' ? String(Number((v * 0.8).toPrecision(3))) : String(Math.max(1, Math.round(v * 0.8))));
    await playTo(page, 6);
    const lr = Number(await knob.inputValue());
    await watch(page);
    const before = (await labState(page)).t;
    await knob.fill(other(lr));
    await knob.press('Enter');
    await page.waitForFunction(() => window.__seen.t.includes(0));
    await page.waitForFunction(() => Number(document.querySelector('.lab-page').dataset.t) >= 2, null, { timeout: 20000 });
    let got = await seen(page);
    assert.ok(before >= 6, `${id}: played to ${before}`);
    const zero = got.t.indexOf(0);
    assert.ok(got.t.slice(0, zero).every((t) => t >= before), `${id}: from the step shown straight back to 0: ${got.t.join(',')}`);
    assert.ok(!got.playing.includes('0'), `${id}: it kept playing (${got.playing.join(',')})`);

    // Paused: back to 0 and stays there.
    await page.locator('.btn-play').click();
    await page.waitForFunction(() => document.querySelector('.lab-page').dataset.playing === '0');
    const paused = (await labState(page)).t;
    assert.ok(paused > 0);
    await knob.fill(String(lr));
    await knob.press('Enter');
    await page.waitForFunction(() => document.querySelector('.lab-page').dataset.t === '0');
    await page.waitForTimeout(200);
    assert.equal((await labState(page)).t, 0, `${id}: paused at step 0`);
    assert.equal((await labState(page)).playing, '0');

    // A click on a chart while playing.
    const clickable = await page.locator('figure.chart:has(canvas.clickable)').evaluateAll((els) => els.map((el) => el.dataset.chart));
    for (const chart of clickable) {
      await playTo(page, 4);
      await watch(page);
      const q = (await labState(page)).query;
      const at = await plotPoint(page, chart, 0.35, 0.4);
      await page.mouse.click(at.x, at.y);
      await page.waitForFunction((x) => document.querySelector('.lab-page').dataset.query !== x, q);
      await page.waitForFunction(() => window.__seen.t.includes(0));
      await page.waitForFunction(() => Number(document.querySelector('.lab-page').dataset.t) >= 2, null, { timeout: 20000 });
      got = await seen(page);
      assert.ok(!got.playing.includes('0'), `${id} ${chart}: it kept playing`);
      await page.locator('.btn-play').click();
      await page.waitForFunction(() => document.querySelector('.lab-page').dataset.playing === '0');
    }
    assertClean(s);
    await s.close();
  });
}
