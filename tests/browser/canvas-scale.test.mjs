// Fewer canvas pixels while playing, full sharpness at rest (#8, www/chart-view.js):
// at DPR 2 a playing chart's backing store is its box in CSS pixels, and in device
// pixels again once paused, with the plot area at the same place in CSS pixels; a
// click on the map after a pause lands where it was aimed; a PNG taken while playing
// is at the full device scale.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openPage, assertClean, waitForLab, labState } from './harness.mjs';

const DPR = 2;
const OPTIONS = { viewport: { width: 1280, height: 900 }, deviceScaleFactor: DPR };

/** Every chart's backing size, CSS box and plot area (in CSS pixels). */
function sizes(page) {
  return page.locator('figure.chart').evaluateAll((figs) => figs.map((fig) => {
    const c = fig.querySelector('canvas');
    const r = c.getBoundingClientRect();
    const k = r.width / c.width;
    const { plot } = JSON.parse(fig.dataset.frame);
    return {
      id: fig.dataset.chart, width: c.width, height: c.height, cssWidth: r.width, cssHeight: r.height,
      plot: [plot.left, plot.top, plot.right, plot.bottom].map((v) => v * k),
    };
  }));
}

/** Waits until every chart is drawn at `scale` canvas pixels per CSS pixel. */
async function atScale(page, scale) {
  await page.waitForFunction((k) => [...document.querySelectorAll('figure.chart canvas')].every((c) => {
    const r = c.getBoundingClientRect();
    return Math.abs(c.width - r.width * k) <= 1 && Math.abs(c.height - r.height * k) <= 1;
  }), scale, { timeout: 10000 });
  // Two frames more: the page draws in the frame that resized.
  await page.evaluate(() => new Promise((go) => requestAnimationFrame(() => requestAnimationFrame(go))));
  return sizes(page);
}

test('playing draws at CSS pixels, pausing at device pixels again, with the same layout; a click after a pause lands where aimed', async () => {
  const s = await openPage('index.html#lab=step-size', OPTIONS);
  const { page } = s;
  await waitForLab(page);
  const rest = await atScale(page, DPR);
  // Slow motion: it keeps playing while the test looks.
  await page.locator('#speed').fill('-10');
  await page.locator('.btn-play').click();
  const playing = await atScale(page, 1);
  assert.equal((await labState(page)).playing, '1');
  for (const [k, c] of playing.entries()) {
    assert.ok(Math.abs(c.width - c.cssWidth) <= 1, `${c.id}: ${c.width} canvas px for ${c.cssWidth} CSS px while playing`);
    // Only the sharpness changes: the plot area is where it was, in CSS pixels.
    c.plot.forEach((v, i) => assert.ok(Math.abs(v - rest[k].plot[i]) <= 2, `${c.id}: plot edge ${i} at ${v} playing, ${rest[k].plot[i]} at rest`));
  }
  await page.locator('.btn-play').click();
  const paused = await atScale(page, DPR);
  for (const c of paused) {
    assert.ok(Math.abs(c.width - c.cssWidth * DPR) <= 1, `${c.id}: ${c.width} canvas px for ${c.cssWidth} CSS px when paused`);
  }

  // A click on the map after the pause: w0 is the data point under the pointer.
  const map = paused.find((c) => c.id === 'map');
  assert.ok(map, 'step-size has its map');
  const at = await page.locator('figure[data-chart="map"]').evaluate((fig) => {
    const c = fig.querySelector('canvas');
    const r = c.getBoundingClientRect();
    const k = r.width / c.width;
    const { plot, x_range: xr, y_range: yr } = JSON.parse(fig.dataset.frame);
    const fx = 0.3;
    const fy = 0.7;
    return {
      x: r.left + k * (plot.left + fx * (plot.right - plot.left)),
      y: r.top + k * (plot.top + fy * (plot.bottom - plot.top)),
      want: [xr[0] + fx * (xr[1] - xr[0]), yr[1] + fy * (yr[0] - yr[1])],
      // Three CSS pixels in data units, and the core's rounding (1/1000 of the box).
      tol: [xr, yr].map((d, i) => {
        const px = i ? (plot.bottom - plot.top) * k : (plot.right - plot.left) * k;
        return (3 * Math.abs(d[1] - d[0])) / px + Math.max(Math.abs(xr[1] - xr[0]), Math.abs(yr[1] - yr[0])) / 1000;
      }),
    };
  });
  const before = (await labState(page)).query;
  await page.mouse.click(at.x, at.y);
  await page.waitForFunction((q) => document.querySelector('.lab-page').dataset.query !== q, before);
  const w0 = new URLSearchParams((await labState(page)).query).get('w0').split(',').map(Number);
  w0.forEach((v, i) => assert.ok(Math.abs(v - at.want[i]) <= at.tol[i],
    `w0[${i}] = ${v}, aimed at ${at.want[i]} (± ${at.tol[i]})`));
  assertClean(s);
  await s.close();
});

test('a PNG taken while playing is at the full device scale', async () => {
  const s = await openPage('index.html#lab=decay', OPTIONS);
  const { page } = s;
  await waitForLab(page);
  await page.locator('#speed').fill('-10');
  await page.locator('.btn-play').click();
  const playing = await atScale(page, 1);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.btn-png').first().click()]);
  const png = readFileSync(await download.path());
  const size = [png.readUInt32BE(16), png.readUInt32BE(20)];
  assert.ok(Math.abs(size[0] - playing[0].cssWidth * DPR) <= 1 && Math.abs(size[1] - playing[0].cssHeight * DPR) <= 1,
    `PNG ${size.join('×')} for a ${playing[0].cssWidth}×${playing[0].cssHeight} CSS px chart`);
  assert.equal((await labState(page)).playing, '1', 'still playing');
  await atScale(page, 1);
  assertClean(s);
  await s.close();
});
