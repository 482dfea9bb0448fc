// Rule 6 (shared/TEACHING.md), for every ready lab in Chromium: the controls beside
// the picture. Play / pause, step, reset, speed and the lab's main knob are visible
// without scrolling (in the viewport and not covered) at 1280×720 and 390×844; charts
// use the width they have (1920×1080); the 640×420 embed keeps charts readable with
// a chart switcher when they do not fit side by side; the keyboard hint is hidden on
// touch screens. Screenshots: artifacts/screenshots/layout-<lab>-<size>.png.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, assertClean, coreCatalogue, waitForLab, overflow } from './harness.mjs';

const READY = (await coreCatalogue()).filter((l) => l.ready).map((l) => l.id);
const SIZES = {
  laptop: { viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
  wide: { viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 },
};
const EMBED = { viewport: { width: 640, height: 420 }, deviceScaleFactor: 1 };
/** Narrowest chart (CSS px) the embed shows side by side. */
const MIN_EMBED_CHART = 280;

/** Whether `selector`'s element is inside the viewport and is what a click at its
 *  centre would hit (not covered by anything). */
async function inView(page, selector) {
  return page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    const inside = r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= vw + 0.5 && r.bottom <= vh + 0.5;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return { inside, onTop: Boolean(hit && (hit === el || el.contains(hit) || hit.contains(el))), box: r.toJSON(), vw, vh };
  });
}

const CONTROLS = ['.btn-play', '.btn-step', '.btn-reset', '#speed'];

/** The lab's main knob (the first of the core's table) as a selector of its field;
 *  it is the one beside the player. */
async function mainKnob(page) {
  const first = await page.evaluate(async (lab) => {
    const core = await import(new URL('pkg/sgd_lab.js', document.baseURI).href);
    const h = core.LabHandle.from_query([['lab', lab]]);
    const key = h.knobs()[0].key;
    h.free();
    return key;
  }, await page.evaluate(() => document.querySelector('.lab-page').dataset.lab));
  assert.equal(await page.locator(`.player .knobs-main #knob-${first}`).count(), 1, `${first} beside the player`);
  return `#knob-${first}`;
}

for (const id of READY) {
  for (const [size, options] of Object.entries({ laptop: SIZES.laptop, phone: SIZES.phone })) {
    test(`${id}: at ${options.viewport.width}×${options.viewport.height} the player and the main knob are in view`, async () => {
      const s = await openPage(`#lab=${id}`, options);
      const { page } = s;
      if (size === 'phone') {
        // A touch screen (playwright's isMobile leaves the pointer media queries alone).
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
        await cdp.send('Emulation.setEmulatedMedia', { features: [{ name: 'pointer', value: 'coarse' }, { name: 'hover', value: 'none' }] });
      }
      await waitForLab(page);
      const main = await mainKnob(page);
      for (const sel of [...CONTROLS, main]) {
        const v = await inView(page, sel);
        assert.ok(v.inside && v.onTop, `${id} ${size}: ${sel} ${JSON.stringify(v)}`);
      }
      // The main knob's label is in view too, and a chart starts above the fold.
      assert.ok((await inView(page, `label[for=${main.slice(1)}]`)).inside, `${id} ${size}: the main knob's label`);
      const chart = await page.locator('.chart').first().boundingBox();
      assert.ok(chart.y < options.viewport.height / 2, `${id} ${size}: the first chart starts at ${chart.y}`);
      // Scrolled down through the charts, the player is still in view (sticky).
      await page.evaluate(() => window.scrollBy(0, window.innerHeight / 2));
      await page.waitForTimeout(100);
      for (const sel of ['.btn-play', main]) {
        const v = await inView(page, sel);
        assert.ok(v.inside && v.onTop, `${id} ${size} scrolled: ${sel} ${JSON.stringify(v)}`);
      }
      await page.evaluate(() => window.scrollTo(0, 0));
      if (size === 'phone') {
        // The sticky bar is compact on a phone: at most 15 % of the height, while
        // every control in it keeps a tap target of at least 40 px.
        const bar = await page.locator('.player').evaluate((el) => el.getBoundingClientRect().height / window.innerHeight);
        assert.ok(bar <= 0.15, `${id} phone: the player bar takes ${(100 * bar).toFixed(1)} % of the height`);
        for (const sel of [...CONTROLS, main]) {
          const b = await page.locator(sel).first().boundingBox();
          assert.ok(b.height >= 40 && b.width >= 40, `${id} phone: ${sel} is ${b.width}×${b.height}`);
        }
      }
      const hint = await page.locator('.hint').isVisible();
      assert.equal(hint, size !== 'phone', `${id} ${size}: the keyboard hint ${hint ? 'shows' : 'is hidden'}`);
      assert.equal((await overflow(page)).x, false, `${id} ${size}: no sideways scrolling`);
      await s.screenshot(`layout-${id}-${size}`);
      assertClean(s);
      await s.close();
    });
  }

  test(`${id}: at 1920×1080 the charts use the width they have`, async () => {
    const s = await openPage(`#lab=${id}`, SIZES.wide);
    const { page } = s;
    await waitForLab(page);
    const widths = await page.locator('.chart canvas').evaluateAll((cs) => cs.map((c) => c.getBoundingClientRect().width));
    const stage = await page.locator('.lab-stage').evaluate((el) => el.getBoundingClientRect().width);
    const row = await page.locator('.charts').evaluate((el) => el.getBoundingClientRect().width);
    assert.ok(stage > 1200, `${id}: the stage is ${stage} px wide at 1920`);
    // Whatever the number of charts per row, the rows fill the stage.
    assert.ok(row >= stage - 1, `${id}: charts ${row} of ${stage}`);
    assert.ok(Math.max(...widths) > 480, `${id}: charts ${widths.join(', ')} px wide`);
    // No chart alone beside empty space: each row of charts fills the row.
    const boxes = await page.locator('.chart').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON()));
    const rows = new Map();
    for (const b of boxes) rows.set(Math.round(b.top), (rows.get(Math.round(b.top)) ?? 0) + b.width);
    for (const [top, w] of rows) assert.ok(w >= 0.95 * row - 40, `${id}: the row at ${top} fills ${w} of ${row} px`);
    for (const sel of [...CONTROLS, await mainKnob(page)]) {
      const v = await inView(page, sel);
      assert.ok(v.inside && v.onTop, `${id} wide: ${sel} ${JSON.stringify(v)}`);
    }
    await s.screenshot(`layout-${id}-wide`);
    assertClean(s);
    await s.close();
  });

  test(`${id}: the 640×420 embed keeps charts readable, with a keyboard chart switcher when they do not fit`, async () => {
    const s = await openPage(`embed.html#lab=${id}`, EMBED);
    const { page } = s;
    await waitForLab(page);
    const count = await page.locator('.chart').count();
    const shown = async () => page.locator('.chart').evaluateAll((els) => els
      .filter((el) => !el.hidden)
      .map((el) => ({ id: el.dataset.chart, w: el.querySelector('canvas').getBoundingClientRect().width, h: el.querySelector('canvas').getBoundingClientRect().height })));
    let visible = await shown();
    for (const c of visible) assert.ok(c.w >= MIN_EMBED_CHART - 20 && c.h >= 150, `${id}: ${JSON.stringify(c)}`);
    const tabs = page.getByRole('tab');
    if (count * MIN_EMBED_CHART > 640 - 24) {
      assert.equal(await tabs.count(), count, `${id}: one tab per chart`);
      assert.equal(await page.getByRole('tablist').getAttribute('aria-label'), 'Charts');
      assert.equal(visible.length, 1);
      // Arrow keys move along the tabs and show their chart (drawn).
      await tabs.first().focus();
      for (let k = 1; k < count; k += 1) {
        await page.keyboard.press('ArrowRight');
        const tab = tabs.nth(k);
        assert.equal(await tab.getAttribute('aria-selected'), 'true');
        assert.equal(await page.evaluate(() => document.activeElement.getAttribute('role')), 'tab');
        visible = await shown();
        assert.equal(visible.length, 1);
        assert.equal(visible[0].id, await tab.getAttribute('data-chart'));
        assert.equal(await tab.getAttribute('aria-controls'), await page.locator(`.chart[data-chart="${visible[0].id}"]`).getAttribute('id'));
        await page.waitForFunction((c) => {
          const canvas = document.querySelector(`.chart[data-chart="${c}"] canvas`);
          return Math.abs(canvas.width - canvas.getBoundingClientRect().width) <= 1.5 && document.querySelector(`.chart[data-chart="${c}"]`).dataset.frame;
        }, visible[0].id);
        await s.screenshot(`layout-${id}-embed-${visible[0].id}`);
      }
      await page.keyboard.press('Home');
      assert.equal(await tabs.first().getAttribute('aria-selected'), 'true');
    } else {
      assert.equal(await tabs.count(), 0, `${id}: ${count} charts fit side by side`);
      assert.equal(visible.length, count);
      await s.screenshot(`layout-${id}-embed`);
    }
    for (const sel of [null, 'main']) {
      const o = await overflow(page, sel);
      assert.equal(o.x || o.y, false, `${id} ${sel ?? 'page'}: ${JSON.stringify(o)}`);
    }
    assertClean(s);
    await s.close();
  });
}
