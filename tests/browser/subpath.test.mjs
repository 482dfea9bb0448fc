// dist/ works from any static host and any sub-path: every URL is relative.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, assertClean, serve, CRATE_VERSION } from './harness.mjs';

const PREFIX = '/some/sub/path/';

test('the app works when dist/ is served under /some/sub/path/', async () => {
  const s = await openPage('', { prefix: PREFIX });
  assertClean(s);
  assert.deepEqual(s.foreignRequests(), []);
  const outside = s.requests.map((r) => new URL(r.url).pathname).filter((p) => !p.startsWith(PREFIX));
  assert.deepEqual(outside, [], 'every request stays under the sub-path');
  assert.equal(await s.page.locator('#core-status').innerText(), `core v${CRATE_VERSION} ready`);
  await s.page.getByRole('link', { name: 'Momentum' }).click();
  await s.page.waitForFunction(() => document.body.dataset.route === 'lab:momentum');
  assert.equal(new URL(s.page.url()).pathname, PREFIX);
  await s.screenshot('subpath-lab');
  assertClean(s);
  await s.close();
});

test('the sub-path without its trailing slash redirects, then works', async () => {
  const { url } = await serve({ prefix: PREFIX });
  const s = await openPage(url.replace(/\/$/, ''));
  assert.equal(new URL(s.page.url()).pathname, PREFIX);
  assertClean(s);
  await s.close();
});

test('the embed view and the single file also work under the sub-path', async () => {
  for (const target of ['embed.html#lab=averaging', 'sgd-lab.html#lab=averaging']) {
    const s = await openPage(target, { prefix: PREFIX });
    assert.equal(await s.page.evaluate(() => document.body.dataset.route), 'lab:averaging', target);
    assertClean(s, target);
    assert.deepEqual(s.foreignRequests(), [], target);
    await s.close();
  }
});
