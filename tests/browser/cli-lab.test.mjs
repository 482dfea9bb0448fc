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
