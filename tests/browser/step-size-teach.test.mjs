// step-size as a student meets it (issue #8): slow motion by default (the small step
// arrives in seconds, the large one at once), the caption in the steps' actual order,
// a diverging step that stops alone where the stand-alone run does, and screenshots at
// defaults, mid-play and the end at 1280×720, 390×844 and in the 640×420 embed
// (artifacts/screenshots/step-size-*).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, assertClean, waitForLab, labState } from './harness.mjs';

const SIZES = [
  ['desktop', 'index.html#lab=step-size', { width: 1280, height: 720 }],
  ['phone', 'index.html#lab=step-size', { width: 390, height: 844 }],
  ['embed', 'embed.html#lab=step-size', { width: 640, height: 420 }],
];

const top = (page) => page.evaluate(() => { window.scrollTo(0, 0); document.querySelector('main')?.scrollTo?.(0, 0); });

for (const [name, target, viewport] of SIZES) {
  test(`step-size at ${viewport.width}×${viewport.height} (${name}): defaults, slow-motion play, the end`, async () => {
    const s = await openPage(target, { viewport });
    const { page } = s;
    await waitForLab(page);
    await s.screenshot(`step-size-${name}-default`);
    // Slow motion: the lab asks for ~25 steps per second (the small step arrives in
    // about 6 s); the slider shows the nearest position.
    const out = await page.locator('#speed-out').innerText();
    const perS = Number((out.match(/([\d.]+)(\/s| steps per second)/) || [])[1]);
    assert.ok(perS >= 15 && perS <= 40, `speed shown as ${out}`);
    await page.locator('.btn-play').click();
    const t0 = Date.now();
    await page.waitForFunction(() => Number(document.querySelector('.lab-page').dataset.t) >= 40, null, { timeout: 20000 });
    const secs = (Date.now() - t0) / 1000;
    // 40 steps at ≤ 40 per second: a second or more, not one frame's worth.
    assert.ok(secs > 0.9, `40 steps took ${secs} s`);
    await page.locator('.btn-play').click(); // pause for a still picture
    await top(page);
    await s.screenshot(`step-size-${name}-mid`);
    await page.locator('.btn-play').click();
    await page.locator('#speed').fill('30');
    await page.waitForFunction(() => document.querySelector('.lab-page').dataset.done === '1', null, { timeout: 30000 });
    assert.equal((await labState(page)).done, '1');
    await top(page);
    await s.screenshot(`step-size-${name}-end`);
    assertClean(s);
    await s.close();
  });
}

test('step-size: the caption follows the actual order of the steps', async () => {
  const s = await openPage('index.html#lab=step-size&lr=0.5&lr2=0.25', { viewport: { width: 1280, height: 720 } });
  const { page } = s;
  await waitForLab(page);
  const caption = await page.locator('.lab-page').innerText();
  assert.match(caption, /The larger step \(η₁\) arrives fast/);
  assert.doesNotMatch(caption, /The larger step \(η₂\)/);
  assertClean(s);
  await s.close();
});

test('step-size: a diverging step stops alone, at the step the stand-alone run diverges', async () => {
  // η₂ = 2.5 > 2/L_s = 2: its paths diverge at step 282 (`sgd-lab run` on the exported
  // scenario with lr 2.5 says so; tests/labs_per_sample_step_size.rs checks every path
  // against simulate()); η₁'s paths go on to the end.
  const s = await openPage('index.html#lab=step-size&lr2=2.5&steps=400', { viewport: { width: 1280, height: 720 } });
  const { page } = s;
  await waitForLab(page);
  await page.locator('#speed').fill('30');
  await page.locator('.btn-play').click();
  // The page pauses when a divergence appears (and announces it); play on.
  await page.waitForFunction(() => document.querySelector('.lab-page').dataset.diverged === '1', null, { timeout: 30000 });
  const paused = await labState(page);
  // (A frame's chunk of steps ends a little past it at top speed.)
  assert.ok(paused.t >= 282 && paused.t < 400, `paused at step ${paused.t}, just after the divergence`);
  // Further paths that diverge change the message without pausing again: one Play
  // runs to the end.
  await page.locator('.btn-play').click();
  await page.waitForFunction(() => document.querySelector('.lab-page').dataset.playing === '0', null, { timeout: 20000 });
  const st = await labState(page);
  assert.equal(st.t, 400, 'η₁ runs to the end');
  assert.equal(st.diverged, '1');
  const alert = await page.locator('.lab-diverged').innerText();
  assert.match(alert, /of η₂ diverged at step 282\b/);
  assert.match(alert, /η = 2\.5 is above 2\/L_s = 2/);
  assert.doesNotMatch(alert, /of η₁ diverged/);
  await top(page);
  await s.screenshot('step-size-desktop-diverged');
  assertClean(s);
  await s.close();
});
