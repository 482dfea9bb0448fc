// Themes (#11, www/theme.js and style.css): the system's dark preference, the footer's
// toggle kept across reloads in local storage, axe with no serious or critical
// violation in the dark theme on every page and lab, and the print stylesheet (a lab
// as a handout: charts and caption, no controls).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openPage, assertClean, coreCatalogue, waitForLab, REPO } from './harness.mjs';

const AXE = readFileSync(path.join(REPO, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const labs = (await coreCatalogue()).filter((l) => l.ready).map((l) => l.id);
const bg = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const shown = (page, selector) => page.locator(selector).first().evaluate((el) => el.getClientRects().length > 0);

async function axeProblems(page) {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.targets.join(', ')}`);
}

test('the page follows the system\'s dark preference, and the footer\'s choice overrides it across reloads', async () => {
  const s = await openPage('#lab=per-sample');
  const { page } = s;
  await waitForLab(page);
  assert.equal(await bg(page), 'rgb(251, 251, 249)', 'light by default');
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.equal(await bg(page), 'rgb(18, 18, 18)', 'dark when the system is');
  await page.locator('#theme').selectOption('light');
  assert.equal(await bg(page), 'rgb(251, 251, 249)', 'the reader\'s light wins');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.locator('#theme').selectOption('dark');
  assert.equal(await bg(page), 'rgb(18, 18, 18)', 'the reader\'s dark wins');
  await page.reload();
  await waitForLab(page);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark', 'kept after a reload');
  assert.equal(await page.locator('#theme').inputValue(), 'dark');
  assert.equal(await bg(page), 'rgb(18, 18, 18)');
  assert.ok(!(await page.evaluate(() => location.hash)).includes('theme'), 'not in the URL');
  await page.screenshot({ path: 'artifacts/screenshots/theme-dark-per-sample.png' });
  // Presenter mode stays light (a projector).
  await page.evaluate(() => { location.hash = '#lab=per-sample&present=1'; });
  await page.waitForFunction(() => document.documentElement.dataset.present === '1');
  assert.equal(await bg(page), 'rgb(255, 255, 255)');
  await page.locator('#theme').selectOption('auto').catch(() => {}); // hidden in presenter mode
  await page.evaluate(() => { location.hash = '#lab=per-sample'; });
  await page.locator('#theme').selectOption('auto');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme ?? null), null);
  assert.equal(await page.evaluate(() => localStorage.getItem('sgd-lab-theme')), null, 'auto forgets the choice');
  assertClean(s);
  await s.close();
});

test('dark theme: the landing page and every lab have no serious or critical axe violation', async () => {
  for (const target of ['', ...labs.map((id) => `index.html#lab=${id}`)]) {
    const s = await openPage(target, { bypassCSP: true });
    await s.page.emulateMedia({ colorScheme: 'dark' });
    if (target) await waitForLab(s.page);
    assert.equal(await bg(s.page), 'rgb(18, 18, 18)', target);
    assert.deepEqual(await axeProblems(s.page), [], target || 'landing');
    await s.close();
  }
});

test('printed, a lab is a handout: charts, caption and formula; no controls, settings or sharing', async () => {
  const s = await openPage('#lab=decay');
  const { page } = s;
  await waitForLab(page);
  await page.emulateMedia({ media: 'print' });
  for (const sel of ['.lab-page .player', '.lab-side', '.lab-export', '.site-footer']) assert.equal(await shown(page, sel), false, `${sel} not printed`);
  for (const sel of ['figure.chart canvas', '.lab-caption', '.caption-text', '#lab-title']) assert.equal(await shown(page, sel), true, `${sel} printed`);
  const pdf = await page.pdf({ format: 'A4' });
  assert.ok(pdf.length > 20000, `a PDF with the charts (${pdf.length} bytes)`);
  await s.close();
});
