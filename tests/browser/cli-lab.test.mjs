// `sgd-lab lab`: a lab state exported from the page ("Scenario (JSON)") gives, on the
// command line, DIR/data.csv byte-identical to the page's "CSV of the numbers", and one
// SVG per chart of the page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openPage, assertClean, waitForLab, downloadOf, REPO } from './harness.mjs';

const CLI = process.env.SGD_LAB_CLI
  ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(REPO, 'target'), 'debug', 'sgd-lab');

for (const hash of ['#lab=step-size&lr2=0.8&runs=2&seed=5', '#lab=expected-loss&runs=50&steps=200&seed=3', '#lab=sandbox&runs=5&steps=120']) {
  test(`${hash}: sgd-lab lab writes the page's CSV byte for byte and an SVG per chart`, async () => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run cargo build (scripts/test-browser.sh does)`);
    const s = await openPage(hash, { viewport: { width: 1280, height: 900 } });
    const { page } = s;
    await waitForLab(page);
    const csv = (await downloadOf(page, page.locator('.btn-csv'))).text;
    const scenario = (await downloadOf(page, page.locator('.btn-json'))).text;
    const charts = await page.locator('.chart canvas').count();
    const dir = mkdtempSync(path.join(tmpdir(), 'sgd-lab-cli-lab-'));
    try {
      const json = path.join(dir, 'state.json');
      writeFileSync(json, scenario);
      execFileSync(CLI, ['lab', json, '--out', path.join(dir, 'out')], { stdio: 'pipe' });
      const files = readdirSync(path.join(dir, 'out')).sort();
      const svgs = files.filter((f) => f.endsWith('.svg'));
      assert.deepEqual(files, [...svgs, 'data.csv'].sort());
      assert.equal(svgs.length, charts, `one SVG per chart: ${files.join(', ')}`);
      for (const f of svgs) assert.match(readFileSync(path.join(dir, 'out', f), 'utf8'), /^<svg[\s\S]*<\/svg>\s*$/);
      const data = readFileSync(path.join(dir, 'out', 'data.csv'), 'utf8');
      assert.ok(csv.split('\n').length > 20, `the page's CSV has rows: ${csv.slice(0, 200)}`);
      assert.equal(data, csv, 'data.csv is the page\'s CSV export, byte for byte');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assertClean(s);
    await s.close();
  });
}

/** RFC 4180 lines: cells in quotes may hold commas and doubled quotes. */
function csvRows(text) {
  return text.trim().split('\n').map((line) => {
    const out = [''];
    let quoted = false;
    for (let i = 0; i < line.length; i += 1) {
      const c = line[i];
      if (c === '"' && quoted && line[i + 1] === '"') { out[out.length - 1] += '"'; i += 1; } else if (c === '"') quoted = !quoted;
      else if (c === ',' && !quoted) out.push('');
      else out[out.length - 1] += c;
    }
    return out;
  });
}

test('gd-vs-sgd: the page\'s HTML table is the core\'s, cell for cell as `sgd-lab lab` writes table.csv, and follows the target ε', async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run cargo build (scripts/test-browser.sh does)`);
  const s = await openPage('#lab=gd-vs-sgd&n=10000&runs=4', { viewport: { width: 1280, height: 900 } });
  const { page } = s;
  await waitForLab(page);
  const box = page.locator('.lab-caption .lab-table');
  assert.equal(await box.getAttribute('tabindex'), '0', 'the table scrolls sideways on a phone: it takes focus');
  assert.equal(await box.getAttribute('role'), 'region');
  // At the start nothing is revealed yet: every measured cell waits.
  assert.match(await box.locator('tbody tr').first().innerText(), /…/);
  await page.locator('#speed').fill('30');
  await page.locator('.btn-play').click();
  await page.waitForFunction(() => document.querySelector('.lab-page').dataset.done === '1', null, { timeout: 30000 });
  const shown = await box.locator('table').evaluate((t) => ({
    title: t.caption.textContent,
    rows: [...t.rows].map((r) => [...r.cells].map((c) => c.textContent)),
    heads: [...t.tHead.rows[0].cells].map((c) => `${c.tagName}:${c.getAttribute('scope')}`),
    rowHeads: [...t.tBodies[0].rows].map((r) => `${r.cells[0].tagName}:${r.cells[0].getAttribute('scope')}`),
  }));
  assert.match(shown.title, /ε = 10⁻⁴/);
  assert.ok(shown.heads.every((h) => h === 'TH:col'), shown.heads.join());
  assert.deepEqual(shown.rowHeads, ['TH:row', 'TH:row', 'TH:row']);
  assert.deepEqual(shown.rows.map((r) => r[0]), ['n', '10²', '10³', '10⁴']);
  assert.ok(shown.rows.slice(1).every((r) => !r.some((c) => c === '…')), 'at the end every cell is filled');
  const scenario = (await downloadOf(page, page.locator('.btn-json'))).text;
  const dir = mkdtempSync(path.join(tmpdir(), 'sgd-lab-cli-table-'));
  try {
    const json = path.join(dir, 'state.json');
    writeFileSync(json, scenario);
    execFileSync(CLI, ['lab', json, '--out', path.join(dir, 'out')], { stdio: 'pipe' });
    const table = csvRows(readFileSync(path.join(dir, 'out', 'table.csv'), 'utf8'));
    assert.deepEqual(shown.rows, table, 'the page shows table.csv, cell for cell');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Another target: the title and the verdicts follow, and the URL carries it.
  await page.locator('#knob-target').fill('0.01');
  await page.locator('#knob-target').press('Enter');
  await page.waitForFunction(() => /ε = 0\.01/.test(document.querySelector('.lab-table caption')?.textContent ?? ''));
  assert.match(await page.evaluate(() => location.hash), /target=0\.01/);
  assertClean(s);
  await s.close();
});

test('a lab without a table shows none', async () => {
  const s = await openPage('#lab=decay', { viewport: { width: 1280, height: 900 } });
  await waitForLab(s.page);
  assert.equal(await s.page.locator('.lab-table').isHidden(), true);
  assert.equal(await s.page.locator('.lab-table table').count(), 0);
  await s.close();
});

test('variance-reduction: its table of memory and cost follows the methods shown', async () => {
  const s = await openPage('#lab=variance-reduction&methods=svrg&runs=2', { viewport: { width: 1280, height: 900 } });
  const { page } = s;
  await waitForLab(page);
  const rows = () => page.locator('.lab-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  let r = await rows();
  assert.deepEqual(r.map((x) => x[0]), ['SGD', 'SVRG']);
  assert.equal(r[1][2], '6', 'SVRG stores w, w̃ and ∇L(w̃): 3 × d = 6 numbers');
  await page.locator('#knob-methods').selectOption('sag');
  await page.waitForFunction(() => /SAG/.test(document.querySelector('.lab-table tbody')?.textContent ?? ''));
  r = await rows();
  assert.deepEqual(r.map((x) => x[0]), ['SGD', 'SAG']);
  assert.match(r[1][4], /^n = \d+ once, at the start$/);
  assertClean(s);
  await s.close();
});
