// Hover readouts and slide figures (#11): the values under the pointer are the CSV's;
// the keyboard moves the cursor without stepping the run and the live region says
// what it reads; the readout follows the run while playing; "SVG" is the file
// `sgd-lab lab` writes for that state, byte for byte (also in the print theme); PNG at
// 2× and 4× the chart's size on screen.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openPage, assertClean, waitForLab, downloadOf, labState, REPO, SCREENSHOTS } from './harness.mjs';

const CLI = process.env.SGD_LAB_CLI
  ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(REPO, 'target'), 'debug', 'sgd-lab');

async function playToEnd(page) {
  await page.locator('#speed').fill('30');
  await page.locator('.btn-play').click();
  await page.waitForFunction(() => document.querySelector('.lab-page').dataset.done === '1', null, { timeout: 60000 });
}

function csvTable(text) {
  const [head, ...rows] = text.trim().split('\n').map((l) => l.split(','));
  return { col: (name) => head.indexOf(name), rows };
}

/** The readout of chart `id` after the mouse moves to canvas fraction (fx, fy). */
async function hover(page, id, fx, fy) {
  const canvas = page.locator(`#chart-${id}`);
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + fx * box.width, box.y + fy * box.height);
  await page.waitForFunction((c) => {
    const d = document.querySelector(`#figure-${c}`).dataset.readout;
    return d && d !== 'null';
  }, id, { timeout: 5000 });
  return JSON.parse(await page.locator(`#figure-${id}`).getAttribute('data-readout'));
}

test('decay: the values under the pointer are the CSV\'s means at that step; the box shows them; leaving hides it', async () => {
  const s = await openPage('#lab=decay&runs=20&steps=400', { viewport: { width: 1280, height: 800 } });
  const { page } = s;
  await waitForLab(page);
  await playToEnd(page);
  const csv = csvTable((await downloadOf(page, page.locator('.btn-csv'))).text);
  const [cv, cs, cm] = ['variant', 'step', 'mean_gap'].map(csv.col);
  const variants = [...new Set(csv.rows.map((r) => r[cv]))];
  assert.equal(variants.length, 5);
  for (const fx of [0.3, 0.55, 0.8]) {
    const r = await hover(page, 'gap', fx, 0.5);
    assert.equal(r.x_label, 'step t');
    const means = r.rows.filter((row) => !row.label.includes('∝'));
    assert.equal(means.length, 5, JSON.stringify(r.rows));
    means.forEach((row, v) => {
      assert.ok(Number.isInteger(row.x) && row.x >= 1 && row.x <= 400, `a step: ${row.x}`);
      const line = csv.rows.find((c) => c[cv] === variants[v] && Number(c[cs]) === row.x);
      assert.equal(row.y, Number(line[cm]), `${row.label} at step ${row.x}`);
    });
    const text = await page.locator('#figure-gap .readout-box').innerText();
    assert.match(text, new RegExp(`step t = ${means[0].x}\\b`));
    assert.equal(await page.locator('#figure-gap .readout-dot').count() >= 1, true);
  }
  await page.screenshot({ path: path.join(SCREENSHOTS, 'readout-decay-hover.png') });
  await page.mouse.move(2, 2);
  await page.waitForFunction(() => document.querySelector('#figure-gap .readout-box').hidden);
  assert.equal(await page.locator('#figure-gap').getAttribute('data-readout'), null);
  assertClean(s);
  await s.close();
});

test('step-size: the keyboard moves the cursor (not the run), the live region reads it, and it follows the run while playing', async () => {
  const s = await openPage('#lab=step-size', { viewport: { width: 1280, height: 800 } });
  const { page } = s;
  await waitForLab(page);
  const before = (await labState(page)).t;
  await page.locator('#chart-gap').focus();
  await page.waitForFunction(() => document.querySelector('#figure-gap').dataset.readout);
  const first = JSON.parse(await page.locator('#figure-gap').getAttribute('data-readout'));
  for (let i = 0; i < 5; i += 1) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  const moved = JSON.parse(await page.locator('#figure-gap').getAttribute('data-readout'));
  assert.ok(moved.x > first.x, `the cursor moved right: ${first.x} → ${moved.x}`);
  assert.equal((await labState(page)).t, before, '→ on a chart moves its cursor, not the run');
  await page.waitForFunction(() => document.querySelector('.readout-live').textContent.length > 0);
  const spoken = await page.locator('.readout-live').textContent();
  assert.match(spoken, /^.+: step t = \d+/);
  assert.match(spoken, /η₁/);
  // The map reads each step size's current iterate.
  await page.locator('#chart-map').focus();
  await page.waitForFunction(() => document.querySelector('#figure-map').dataset.readout);
  const map = JSON.parse(await page.locator('#figure-map').getAttribute('data-readout'));
  assert.ok(map.rows.some((r) => r.point && r.label.startsWith('η₁')), JSON.stringify(map.rows));
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('#figure-map .readout-box').isHidden(), true);
  // While playing the values under a still pointer follow the run.
  const r0 = await hover(page, 'gap', 0.9, 0.5);
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('Space'); // (a click would move the mouse away)
  await page.waitForFunction((x) => {
    const d = JSON.parse(document.querySelector('#figure-gap').dataset.readout || 'null');
    return d && d.rows.length && d.rows[0].x > x;
  }, r0.rows[0]?.x ?? 0, { timeout: 15000 });
  await page.keyboard.press('Space');
  assertClean(s);
  await s.close();
});

test('slide figures: SVG and SVG for print are the files `sgd-lab lab` writes; PNG at 2× and 4× the chart on screen', async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run cargo build (scripts/test-browser.sh does)`);
  const s = await openPage('#lab=decay&runs=10&steps=300&seed=4', { viewport: { width: 1280, height: 800 } });
  const { page } = s;
  await waitForLab(page);
  await playToEnd(page);
  const scenario = (await downloadOf(page, page.locator('.btn-json'))).text;
  const dir = mkdtempSync(path.join(tmpdir(), 'sgd-lab-figures-'));
  try {
    const json = path.join(dir, 'state.json');
    writeFileSync(json, scenario);
    execFileSync(CLI, ['lab', json, '--out', path.join(dir, 'plain')], { stdio: 'pipe' });
    execFileSync(CLI, ['lab', json, '--print', '--out', path.join(dir, 'print')], { stdio: 'pipe' });
    const charts = await page.locator('#figure-chart option').count();
    assert.equal(charts, 2);
    for (let k = 0; k < charts; k += 1) {
      const id = await page.locator('.chart').nth(k).getAttribute('data-chart');
      await page.locator('#figure-chart').selectOption(String(k));
      for (const [format, sub] of [['svg', 'plain'], ['svg-print', 'print']]) {
        await page.locator('#figure-format').selectOption(format);
        const got = await downloadOf(page, page.locator('.btn-figure'));
        const want = readFileSync(path.join(dir, sub, `${id}.svg`), 'utf8');
        assert.ok(want.length > 2000);
        assert.equal(got.text, want, `${id} ${format}: the page's SVG is sgd-lab lab's`);
        assert.equal(got.name, `sgd-lab-decay-${id}${format === 'svg-print' ? '-print' : ''}.svg`);
      }
    }
    const plain = readFileSync(path.join(dir, 'plain', 'gap.svg'), 'utf8');
    const print = readFileSync(path.join(dir, 'print', 'gap.svg'), 'utf8');
    const widths = (svg) => [...svg.matchAll(/stroke-width="(\d+)"/g)].map((m) => Number(m[1]));
    assert.ok(Math.max(...widths(print)) > Math.max(...widths(plain)), 'print lines are thicker');
    assert.doesNotMatch(print, /fill="#222222"/, 'print text is black, not dark grey');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // PNG: 2× and 4× the canvas's CSS box (read from the PNG's header).
  await page.locator('#figure-chart').selectOption('0');
  const css = await page.locator('#chart-gap').evaluate((c) => c.getBoundingClientRect());
  for (const [format, k] of [['png2', 2], ['png4', 4]]) {
    await page.locator('#figure-format').selectOption(format);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.btn-figure').click()]);
    const bytes = readFileSync(await download.path());
    assert.equal(bytes.toString('latin1', 1, 4), 'PNG');
    assert.equal(bytes.readUInt32BE(16), Math.round(css.width * k));
    assert.equal(bytes.readUInt32BE(20), Math.round(css.height * k));
    assert.equal(download.suggestedFilename(), `sgd-lab-decay-gap@${k}x.png`);
  }
  // The page's own canvas is drawn again afterwards (not left blank or at 4×).
  const shown = await page.locator('#chart-gap').evaluate((c) => c.width);
  assert.ok(shown < css.width * 3, `the page's canvas keeps its own size: ${shown}`);
  assertClean(s);
  await s.close();
});
