// embed.html: the compact view for an <iframe>; fits 640×420 with no scrollbar and
// adapts to smaller frames (its content area scrolls, the page never does).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, assertClean, overflow, serve, browser, SCREENSHOTS } from './harness.mjs';
import path from 'node:path';
import { mkdirSync } from 'node:fs';

const FRAME = { width: 640, height: 420 };

for (const [name, target] of [
  ['embed-landing', 'embed.html'],
  ['embed-lab', 'embed.html#lab=per-sample&lr=0.3'],
  ['embed-unknown', 'embed.html#lab=nope'],
]) {
  test(`${target} fits ${FRAME.width}×${FRAME.height} without scrollbars`, async () => {
    const s = await openPage(target, { viewport: FRAME });
    await s.screenshot(name);
    assertClean(s);
    const page = await overflow(s.page);
    assert.equal(page.x || page.y, false, `the page does not scroll: ${JSON.stringify(page)}`);
    const main = await overflow(s.page, 'main');
    assert.equal(main.x, false, `no horizontal overflow in main: ${JSON.stringify(main)}`);
    if (name !== 'embed-unknown') {
      assert.equal(main.y, false, `the content fits without scrolling: ${JSON.stringify(main)}`);
    }
    await s.close();
  });
}

test('the embedded lab links to the full app with the same settings', async () => {
  const s = await openPage('embed.html#lab=per-sample&lr=0.3', { viewport: FRAME });
  const link = s.page.getByRole('link', { name: 'Open in SGD Lab ↗' });
  assert.equal(await link.getAttribute('href'), 'index.html#lab=per-sample&lr=0.3');
  assert.equal(await link.getAttribute('target'), '_blank');
  await s.close();
});

test('in a smaller frame (360×240) the page still never scrolls', async () => {
  const s = await openPage('embed.html#lab=expected-loss', { viewport: { width: 360, height: 240 } });
  const page = await overflow(s.page);
  assert.equal(page.x || page.y, false, JSON.stringify(page));
  await s.screenshot('embed-small');
  assertClean(s);
  await s.close();
});

test('embed.html inside a real 640×420 iframe', async () => {
  const { url } = await serve();
  const context = await (await browser()).newContext({ viewport: { width: 760, height: 520 } });
  try {
    const page = await context.newPage();
    // A host page on another origin (about:blank), as on an LMS.
    await page.setContent(`<!doctype html><body style="margin:20px;background:#ddd">
      <iframe title="SGD Lab" src="${url}embed.html#lab=decay" width="640" height="420" style="border:1px solid #888;background:#fff"></iframe></body>`);
    const frame = page.frameLocator('iframe');
    await frame.locator('body[data-ready="1"]').waitFor();
    const inner = await page.frames()[1].evaluate(() => ({
      route: document.body.dataset.route,
      w: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
      h: [document.documentElement.scrollHeight, document.documentElement.clientHeight],
    }));
    assert.equal(inner.route, 'lab:decay');
    assert.ok(inner.w[0] <= inner.w[1] && inner.h[0] <= inner.h[1], JSON.stringify(inner));
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'embed-in-iframe.png') });
  } finally {
    await context.close();
  }
});
