// Accessibility, checked by axe-core (the npm package, injected into the page; the
// pages' CSP forbids injected scripts, so these contexts bypass it): the landing page,
// every lab the core says is ready (desktop 1280×720 and phone 390×844) and the embed
// view (640×420) have no serious or critical violation. Then what axe cannot judge:
// every chart has a text alternative that names its numbers, and the status line is a
// polite live region that follows the state.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openPage, coreCatalogue, waitForLab, REPO } from './harness.mjs';

const AXE = readFileSync(path.join(REPO, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const VIEWPORTS = [
  { name: 'desktop', viewport: { width: 1280, height: 720 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
];

/** Serious and critical axe violations of the page as it is now, one line each. */
async function axeProblems(page) {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
  return result
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id} (${v.help}): ${v.targets.join(', ')}`);
}

const labs = (await coreCatalogue()).filter((l) => l.ready).map((l) => l.id);

test('the core lists ready labs to check, and axe really reports a violation', async () => {
  assert.ok(labs.length >= 4, `ready labs: ${labs.join(', ')}`);
  // The checker is live: a button without a name and grey-on-white text are caught.
  const s = await openPage('', { bypassCSP: true });
  await s.page.evaluate(() => {
    const b = document.createElement('button');
    b.innerHTML = '<svg width="10" height="10"></svg>';
    document.body.append(b);
    const p = document.createElement('p');
    p.textContent = 'faint';
    p.style.color = '#eeeeee';
    p.style.background = '#ffffff';
    document.body.append(p);
  });
  const problems = await axeProblems(s.page);
  assert.ok(problems.some((p) => p.includes('button-name')), problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('color-contrast')), problems.join('\n'));
  await s.close();
});

for (const { name, viewport } of VIEWPORTS) {
  test(`the landing page has no serious or critical axe violation (${name})`, async () => {
    const s = await openPage('', { viewport, bypassCSP: true });
    assert.deepEqual(await axeProblems(s.page), []);
    await s.close();
  });

  for (const id of labs) {
    test(`${id} has no serious or critical axe violation (${name})`, async () => {
      const s = await openPage(`index.html#lab=${id}`, { viewport, bypassCSP: true });
      await waitForLab(s.page);
      assert.deepEqual(await axeProblems(s.page), [], `${id} at defaults`);
      // Playing changes the controls' state (the play button's label, the status).
      await s.page.getByRole('button', { name: 'Play' }).click();
      await s.page.waitForFunction(() => Number(document.querySelector('.lab-page').dataset.t) > 0);
      await s.page.getByRole('button', { name: 'Pause' }).click();
      assert.deepEqual(await axeProblems(s.page), [], `${id} while paused mid-run`);
      await s.close();
    });
  }
}

test('the embed view has no serious or critical axe violation (640×420)', async () => {
  for (const id of labs) {
    const s = await openPage(`embed.html#lab=${id}`, { viewport: { width: 640, height: 420 }, bypassCSP: true });
    await waitForLab(s.page);
    assert.deepEqual(await axeProblems(s.page), [], id);
    await s.close();
  }
});

test('presenter mode (present=1) has no serious or critical axe violation (1920×1080)', async () => {
  for (const id of labs) {
    const s = await openPage(`index.html#lab=${id}&present=1`, { viewport: { width: 1920, height: 1080 }, bypassCSP: true });
    await waitForLab(s.page);
    assert.deepEqual(await axeProblems(s.page), [], id);
    await s.close();
  }
});

test('every chart has a text alternative with its numbers, and the status is a polite live region', async () => {
  for (const id of labs) {
    const s = await openPage(`index.html#lab=${id}`);
    await waitForLab(s.page);
    const charts = await s.page.locator('.chart canvas').evaluateAll((cs) => cs.map((c) => {
      // The alternative: aria-describedby / aria-label on the canvas, or its fallback content.
      const ids = (c.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
      const described = ids.map((i) => document.getElementById(i)?.textContent || '').join(' ');
      return {
        id: c.id,
        role: c.getAttribute('role'),
        name: c.getAttribute('aria-label') || '',
        text: `${described} ${c.textContent}`.trim(),
      };
    }));
    assert.ok(charts.length >= 1, id);
    for (const c of charts) {
      assert.ok(c.name.length > 5 || c.text.length > 20, `${id} ${c.id}: no text alternative`);
      assert.match(`${c.name} ${c.text}`, /\d/, `${id} ${c.id}: the alternative names no number`);
    }
    const live = await s.page.locator('[aria-live]').evaluateAll((els) => els.map((e) => ({
      live: e.getAttribute('aria-live'), text: e.textContent,
    })));
    assert.ok(live.some((l) => l.live === 'polite'), `${id}: a polite live region`);
    // The text alternative follows the state: after some steps it says something else.
    const before = await s.page.locator('.chart canvas').first().evaluate((c) => {
      const ids = (c.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
      return ids.map((i) => document.getElementById(i)?.textContent || '').join(' ') + c.textContent;
    });
    await s.page.keyboard.press('s');
    await s.page.keyboard.press('s');
    await s.page.waitForFunction(() => Number(document.querySelector('.lab-page').dataset.t) >= 2);
    const after = await s.page.locator('.chart canvas').first().evaluate((c) => {
      const ids = (c.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
      return ids.map((i) => document.getElementById(i)?.textContent || '').join(' ') + c.textContent;
    });
    assert.notEqual(after, before, `${id}: the text alternative did not follow two steps`);
    await s.close();
  }
});
