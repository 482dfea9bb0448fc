// The sandbox in the browser: it loads, plays to the end and draws; a link with six
// variants round-trips exactly; the variant editor adds, duplicates, renames and
// removes variants through the URL; and the exported scenario is what `sgd-lab run
// --summary` reads, its numbers equal to the page's CSV cell by cell.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openPage, assertClean, waitForLab, labState, canvasStats, downloadOf, REPO } from './harness.mjs';

const CLI = process.env.SGD_LAB_CLI
  ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(REPO, 'target'), 'debug', 'sgd-lab');

const SIX = 'SGD: sgd lr=0.05; Mini-batch 8: sgd lr=0.05 batch=8 without_replacement; '
  + 'Nesterov: sgd lr=0.02 momentum=0.9 nesterov; SVRG: svrg lr=0.05 inner=100; '
  + 'SAGA, 1/t: saga lr=0.05 inverse_time t0=50 polyak start=200; GD, cosine: gd lr=0.5 cosine ema decay=0.95';

/** The variants the URL holds now. */
async function variantsOf(page) {
  const q = new URLSearchParams((await labState(page)).query);
  return q.get('variants');
}

test('the sandbox plays to the end and draws every chart', async () => {
  const s = await openPage('#lab=sandbox&steps=150&runs=8', { viewport: { width: 1280, height: 900 } });
  const { page } = s;
  await waitForLab(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => document.querySelector('.lab-page').dataset.done === '1', null, { timeout: 30000 });
  const st = await labState(page);
  assert.equal(st.t, 150);
  for (const id of ['gap', 'iterates', 'lr']) {
    const c = await canvasStats(page, `#chart-${id}`);
    assert.ok(c.nonWhite > 0.05 && c.colours > 8, `${id}: ${JSON.stringify(c)}`);
  }
  // The caption names the lowest and the highest variant at the step shown.
  const caption = await page.locator('.caption-text').textContent();
  assert.match(caption, /At step 150 SVRG is lowest \([^)]+\) and SGD highest/);
  assert.equal(await page.locator('.variant').count(), 4);
  await s.screenshot('sandbox-end');
  assertClean(s);
  await s.close();
});

test('a link with six variants opens with exactly those and stays under 1500 characters', async () => {
  const q = new URLSearchParams({ lab: 'sandbox', problem: 'least_squares', n: '200', d: '3', variants: SIX, x: 'grad_evals' });
  const s = await openPage(`#${q}`, { viewport: { width: 1280, height: 900 } });
  const { page } = s;
  await waitForLab(page, { timeout: 60000 });
  const st = await labState(page);
  assert.equal(st.warnings, '0');
  assert.equal(await variantsOf(page), SIX);
  const url = new URL(page.url());
  assert.ok(url.hash.length < 1500, `${url.hash.length} characters`);
  assert.equal(await page.locator('.variant').count(), 6);
  assert.ok(await page.locator('.btn-variant-add').isDisabled(), 'no seventh variant');
  // The knobs of the problem shown, not of the others.
  assert.equal(await page.locator('#knob-noise').count(), 1);
  assert.equal(await page.locator('#knob-spread').count(), 0);
  // Reloading the copied link gives the same state.
  await page.reload();
  await s.waitForReady();
  await waitForLab(page, { timeout: 60000 });
  assert.equal((await labState(page)).query, st.query);
  assertClean(s);
  await s.close();
});

test('the variant editor adds, duplicates, renames and removes variants through the URL', async () => {
  const s = await openPage('#lab=sandbox&steps=60&runs=3&variants=A%3A+sgd+lr%3D0.1', { viewport: { width: 1280, height: 900 } });
  const { page } = s;
  await waitForLab(page);
  assert.ok(await page.locator('.btn-variant-del').isDisabled(), 'the last variant stays');
  await page.getByRole('button', { name: 'Add a variant' }).click();
  await waitForLab(page);
  assert.equal(await variantsOf(page), 'A: sgd lr=0.1; Variant 2: sgd lr=0.1');
  await page.getByRole('button', { name: 'Copy A' }).click();
  await waitForLab(page);
  assert.equal(await variantsOf(page), 'A: sgd lr=0.1; A 2: sgd lr=0.1; Variant 2: sgd lr=0.1');
  // Rename with the keyboard; change a method line.
  const name = page.getByRole('textbox', { name: 'Name of variant 3' });
  await name.fill('Heavy ball');
  await name.press('Enter');
  await waitForLab(page);
  const method = page.getByRole('textbox', { name: 'Method of Heavy ball' });
  await method.fill('sgd lr=0.05 momentum=0.9');
  await method.press('Enter');
  await waitForLab(page);
  assert.equal(await variantsOf(page), 'A: sgd lr=0.1; A 2: sgd lr=0.1; Heavy ball: sgd lr=0.05 momentum=0.9');
  await page.getByRole('button', { name: 'Remove A 2' }).click();
  await waitForLab(page);
  assert.equal(await variantsOf(page), 'A: sgd lr=0.1; Heavy ball: sgd lr=0.05 momentum=0.9');
  // A bad method line is named with what is allowed, and the lab keeps its state.
  const before = (await labState(page)).query;
  await method.fill('sgd lr=fast');
  await method.press('Enter');
  const error = page.locator('.knob[data-key="variants"] .knob-error');
  await error.waitFor({ state: 'visible' });
  assert.equal(await error.textContent(), 'variants variant 2: lr= must be followed by a number, got "lr=fast"');
  assert.equal((await labState(page)).query, before);
  // Back walks through the edits.
  await page.goBack();
  await waitForLab(page);
  assert.equal(await variantsOf(page), 'A: sgd lr=0.1; A 2: sgd lr=0.1; Heavy ball: sgd lr=0.05 momentum=0.9');
  assert.equal(await page.locator('.variant').count(), 3);
  assertClean(s);
  await s.close();
});

test('the exported scenario is what sgd-lab run reads: the page CSV is its numbers, cell by cell', async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run cargo build (scripts/test-browser.sh does)`);
  const q = new URLSearchParams({ lab: 'sandbox', steps: '80', runs: '6', variants: 'Plain, b=1: sgd lr=0.2; Ball: sgd lr=0.1 momentum=0.5; GD: gd lr=0.5; EMA: sgd lr=0.2 ema decay=0.8' });
  const s = await openPage(`#${q}`, { viewport: { width: 1280, height: 900 } });
  const { page } = s;
  await waitForLab(page);
  const csv = (await downloadOf(page, page.locator('.btn-csv'))).text;
  const scenario = (await downloadOf(page, page.locator('.btn-json'))).text;
  const dir = mkdtempSync(path.join(tmpdir(), 'sgd-lab-sandbox-'));
  let res;
  try {
    const file = path.join(dir, 'state.json');
    writeFileSync(file, scenario);
    res = JSON.parse(execFileSync(CLI, ['run', '--summary', file], { encoding: 'utf8', maxBuffer: 1 << 28 }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const rows = csv.trim().split('\n').map((line) => {
    const cells = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i += 1) {
      const c = line[i];
      if (c === '"' && quoted && line[i + 1] === '"') { cur += '"'; i += 1; } else if (c === '"') quoted = !quoted;
      else if (c === ',' && !quoted) { cells.push(cur); cur = ''; } else cur += c;
    }
    cells.push(cur);
    return cells;
  });
  const header = rows.shift();
  assert.deepEqual(header.slice(0, 2), ['variant', 'step']);
  assert.deepEqual(res.variants.map((v) => v.label), ['Plain, b=1', 'Ball', 'GD', 'EMA']);
  const seen = new Map();
  let cells = 0;
  for (const row of rows) {
    const v = res.variants.find((x) => x.label === row[0]);
    assert.ok(v, `label ${row[0]}`);
    const t = seen.get(row[0]) ?? 0;
    seen.set(row[0], t + 1);
    assert.equal(row[1], String(t));
    header.slice(2).forEach((col, k) => {
      const cell = row[k + 2];
      if (Array.isArray(v[col])) {
        assert.equal(Number(cell), v[col][t], `${row[0]} ${col} at ${t}`);
        cells += 1;
      } else {
        assert.equal(cell, '', `${row[0]} ${col}: a variant without it`);
      }
    });
  }
  assert.deepEqual([...seen.values()], [81, 81, 81, 81]);
  // mean, std, min and max of every variant, and the EMA's averaged mean.
  assert.equal(cells, 4 * 81 * 4 + 81);
  assertClean(s);
  await s.close();
});
