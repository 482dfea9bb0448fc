// per-sample as a student meets it (issue #8): slow motion by default, the zoom on the
// zone with its trail and histogram, and screenshots at defaults, mid-play and the end
// at 1280×720, 390×844 and in the 640×420 embed (artifacts/screenshots/per-sample-*).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, assertClean, waitForLab, labState } from './harness.mjs';

const SIZES = [
  ['desktop', 'index.html#lab=per-sample', { width: 1280, height: 720 }],
  ['phone', 'index.html#lab=per-sample', { width: 390, height: 844 }],
  ['embed', 'embed.html#lab=per-sample', { width: 640, height: 420 }],
];

for (const [name, target, viewport] of SIZES) {
  test(`per-sample at ${viewport.width}×${viewport.height} (${name}): defaults, slow-motion play, the end`, async () => {
    const s = await openPage(target, { viewport });
    const { page } = s;
    await waitForLab(page);
    await s.screenshot(`per-sample-${name}-default`);
    // The default speed is slow motion: about 5 steps per second.
    const out = await page.locator('#speed-out').innerText();
    const perS = Number((out.match(/([\d.]+)(\/s| steps per second)/) || [])[1]);
    assert.ok(perS >= 4 && perS <= 6, `speed shown as ${out}`);
    await page.locator('.btn-play').click();
    const t0 = Date.now();
    await page.waitForFunction(() => Number(document.querySelector('.lab-page').dataset.t) >= 10, null, { timeout: 15000 });
    const secs = (Date.now() - t0) / 1000;
    // 10 steps at 5 per second (the first at once): about 1.8 s, not a quarter second.
    assert.ok(secs > 1.2, `10 steps took ${secs} s`);
    const top = () => page.evaluate(() => { window.scrollTo(0, 0); document.querySelector('main')?.scrollTo?.(0, 0); });
    await page.locator('.btn-play').click(); // pause for a still picture
    await top();
    await s.screenshot(`per-sample-${name}-mid`);
    await page.locator('.btn-play').click();
    await page.locator('#speed').fill('30');
    await page.waitForFunction(() => document.querySelector('.lab-page').dataset.done === '1', null, { timeout: 20000 });
    const st = await labState(page);
    assert.equal(st.done, '1');
    await top();
    await s.screenshot(`per-sample-${name}-end`);
    assertClean(s);
    await s.close();
  });
}
