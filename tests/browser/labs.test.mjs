// Every lab page (www/lab-page.js) in real Chromium, for every lab the built core
// calls ready (so a lab that flips its flag is covered with no change here): clean
// load, charts drawn and crisp, play, the URL round trip, back / forward, a bad URL,
// the keyboard, import, divergence, the CSV against `sgd-lab run`, phone and embed
// layouts, and the single-file build. Screenshots: artifacts/screenshots/lab-<id>-*.png.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  openPage, assertClean, overflow, coreCatalogue, waitForLab, labState, canvasStats, downloadOf,
  REPO, SINGLE_FILE_URL,
} from './harness.mjs';

const READY = (await coreCatalogue()).filter((l) => l.ready).map((l) => l.id);
const DESKTOP = { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 2 };
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3 };
const EMBED = { viewport: { width: 640, height: 420 } };
const CLI = process.env.SGD_LAB_CLI
  ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(REPO, 'target'), 'debug', 'sgd-lab');

test('the core says at least decay and expected-loss are ready', () => {
  assert.ok(READY.includes('decay') && READY.includes('expected-loss'), READY.join(', '));
});

/** Every canvas of the page is drawn: sized to its CSS box × DPR, many colours. */
async function assertChartsDrawn(page, dpr, what) {
  // The charts shown (the embed's chart switcher shows one at a time when they do not fit).
  const ids = await page.locator('.chart:not([hidden]) canvas').evaluateAll((cs) => cs.map((c) => c.id));
  assert.ok(ids.length >= 1, `${what}: charts`);
  const stats = {};
  for (const id of ids) {
    const st = await canvasStats(page, `#${id}`);
    assert.ok(Math.abs(st.width - st.cssWidth * dpr) <= 1.5 && Math.abs(st.height - st.cssHeight * dpr) <= 1.5,
      `${what} ${id}: canvas ${st.width}×${st.height} for ${st.cssWidth}×${st.cssHeight} CSS px at DPR ${dpr}`);
    assert.ok(st.colours >= 12 && st.nonWhite > 0.02, `${what} ${id} looks blank: ${JSON.stringify(st)}`);
    stats[id] = st;
  }
  return stats;
}

/** No "NaN" or "inf" on the screen. */
async function assertNoNaN(page, what) {
  const text = await page.locator('#app').innerText();
  assert.doesNotMatch(text, /\bNaN\b|\binf\b|\bundefined\b|\bnull\b|\[object /, what);
}

function parseCsv(text) {
  // RFC 4180: a cell in quotes may hold commas ("SGD, 1/t decay") and doubled quotes.
  const cells = (line) => {
    const out = [''];
    let quoted = false;
    for (let i = 0; i < line.length; i += 1) {
      const c = line[i];
      if (c === '"' && quoted && line[i + 1] === '"') { out[out.length - 1] += '"'; i += 1; } else if (c === '"') quoted = !quoted;
      else if (c === ',' && !quoted) out.push('');
      else out[out.length - 1] += c;
    }
    return out;
  };
  const [header, ...rows] = text.trim().split('\n');
  return { cols: cells(header), rows: rows.map(cells) };
}

/** The loss gap at step t of run 0 (the `gap` or `mean_gap` column). */
function gapAt(csv, t) {
  const { cols, rows } = parseCsv(csv);
  const g = cols.includes('gap') ? cols.indexOf('gap') : cols.indexOf('mean_gap');
  const step = cols.indexOf('step');
  const run = cols.indexOf('run');
  assert.ok(g >= 0 && step >= 0, `CSV columns: ${cols.join(',')}`);
  const mine = rows.filter((r) => run < 0 || r[run] === '0');
  const row = mine.find((r) => Number(r[step]) === t) ?? mine[mine.length - 1];
  return Number(row[g]);
}

/** A number as the captions print it ("1.234", "−1.5 × 10⁻³", "10⁻⁴") */
function shownNumber(text) {
  const sup = { '⁰': '0', '¹': '1', '²': '2', '³': '3', '⁴': '4', '⁵': '5', '⁶': '6', '⁷': '7', '⁸': '8', '⁹': '9', '⁻': '-' };
  const t = String(text).trim().replace(/\u2212/g, '-');
  const m = /^(-?[\d.]+ × )?(-?)10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)$/.exec(t);
  if (!m) return Number(t);
  const k = Number([...m[3]].map((c) => sup[c]).join(''));
  return (m[1] ? Number(m[1].slice(0, -3)) : m[2] ? -1 : 1) * 10 ** k;
}

/** Agrees with a caption's 4 significant digits. */
function assertShown(got, want, what) {
  assert.ok(Number.isFinite(got) && Math.abs(got - want) <= 6e-4 * Math.abs(want) + 1e-12,
    `${what}: the page shows ${got}, step t of the CSV (the run as sgd-lab computes it) has ${want}`);
}

/** The caption's facts as shown: [[term, value], …]. */
async function facts(page) {
  return page.locator('.lab-caption dl').evaluate((dl) => [...dl.querySelectorAll('dt')]
    .map((dt) => [dt.textContent, dt.nextElementSibling?.textContent ?? '']));
}

/**
 * What play changed, read off the page at step t: a number each lab shows for the
 * current step (a caption fact or the text description), checked against row t of the
 * CSV export — which holds the whole run as `sgd-lab run` computes it, independent of
 * the animation. A lab added later must add its check here.
 */
async function assertShowsStep(page, id, csv, t) {
  const { cols, rows } = parseCsv(csv);
  const col = (name) => cols.indexOf(name);
  const run0 = rows.filter((r) => col('run') < 0 || r[col('run')] === '0');
  const row = run0.find((r) => Number(r[col('step')]) === t);
  // (gd-vs-sgd's CSV is by data set and method; its check reads its own rows.)
  assert.ok(row || id === 'gd-vs-sgd', `${id}: the CSV has step ${t}`);
  const f = await facts(page);
  const fact = (prefix) => {
    const hit = f.find(([k]) => k.startsWith(prefix));
    assert.ok(hit, `${id}: a fact "${prefix}…" among ${f.map(([k]) => k).join(' | ')}`);
    return hit[1];
  };
  if (id === 'per-sample') {
    assertShown(shownNumber(fact(`SGD w_${t}`)), Number(row[col('w0')]), `${id} SGD w_${t}`);
  } else if (id === 'step-size') {
    const text = await page.locator('.describe').textContent();
    const m = text.match(/After (\d+) steps from .*?the paths at η₁ = [^ ]+ are at \(([^,]+), ([^)]+)\)/);
    assert.ok(m, `${id}: the description names the paths' positions: ${text}`);
    assert.equal(Number(m[1]), t);
    assertShown(shownNumber(m[2]), Number(row[col('w0')]), `${id} path 1 w₁ at t = ${t}`);
    assertShown(shownNumber(m[3]), Number(row[col('w1')]), `${id} path 1 w₂ at t = ${t}`);
  } else if (id === 'decay') {
    // The first schedule (constant) comes first in the CSV; its fact starts "mean gap …".
    const m = fact('constant').match(/^mean gap ([^;]+);/);
    assert.ok(m, `decay: the constant schedule's mean gap at step ${t}: ${fact('constant')}`);
    assertShown(shownNumber(m[1]), Number(row[col('mean_gap')]), `${id} constant mean gap`);
  } else if (id === 'expected-loss') {
    assertShown(shownNumber(fact(`mean gap at t = ${t}`)), Number(row[col('mean_gap')]), `${id} mean gap`);
  } else if (id === 'sandbox' || id === 'averaging' || id === 'epochs' || id === 'momentum') {
    // The first variant's rows come first; its fact is "<label>: mean gap at t = …".
    const label = row[col('variant')];
    const shown = fact(`${label}: mean gap at t = ${t}`).split(' after ')[0];
    assertShown(shownNumber(shown), Number(row[col('mean_gap')]), `${id} ${label} mean gap`);
  } else if (id === 'descent-lemma') {
    // One row per sample at step t: w_t, and how many samples raise the loss.
    assertShown(shownNumber(fact(`w at step ${t}`)), Number(row[col('w0')]), `${id} w at step ${t}`);
    const mine = rows.filter((r) => Number(r[col('step')]) === t);
    const hurt = mine.filter((r) => Number(r[col('loss_change')]) > 0).length;
    assert.equal(fact('samples that raise the loss'), `${hurt} of ${mine.length}`);
  } else if (id === 'noise-assumptions') {
    // One row per sample at step t: w_t, and each sample's probability.
    const m = fact(`w at step ${t}`).match(/^\(([^,]+), ([^)]+)\)$/);
    assert.ok(m, `${id}: w at step ${t} is a point: ${fact(`w at step ${t}`)}`);
    assertShown(shownNumber(m[1]), Number(row[col('w0')]), `${id} w₁ at step ${t}`);
    assertShown(shownNumber(m[2]), Number(row[col('w1')]), `${id} w₂ at step ${t}`);
  } else if (id === 'mini-batch') {
    // The clock counts samples processed (geometrically): b = 1, first in the CSV, is
    // at its step x = the samples shown, which its fact names.
    const hit = f.find(([k]) => /^b = 1: mean gap at samples processed \d+$/.test(k));
    assert.ok(hit, `${id}: b = 1's mean gap among ${f.map(([k]) => k).join(' | ')}`);
    const x = Number(hit[0].match(/(\d+)$/)[1]);
    const status = await page.locator('.status').innerText();
    assert.match(status, new RegExp(`^${x} of \\d+ samples`), `${id}: the status names x = ${x}`);
    const r = run0.find((r) => r[col('variant')] === 'b = 1' && Number(r[col('step')]) === x);
    assert.ok(r, `${id}: the CSV has b = 1's step ${x}`);
    assertShown(shownNumber(hit[1]), Number(r[col('mean_gap')]), `${id} b = 1 mean gap at ${x} samples`);
  } else if (id === 'gd-vs-sgd') {
    // The clock counts gradient evaluations (geometrically); on 100 samples GD has
    // taken ⌊x/100⌋ steps (at most its planned passes), whose gap the description names.
    const status = await page.locator('.status').innerText();
    const x = Number(status.match(/^([\d\u202f]+) of /)[1].replace(/\u202f/g, ''));
    const text = await page.locator('.describe').textContent();
    const m = text.match(/n = 100: GD after (\d+) steps? \(([\d\u202f]+) evaluations\) at ([^;]+);/);
    assert.ok(m, `${id}: the description names GD's step on n = 100: ${text}`);
    const last = Math.max(...rows.filter((r) => r[col('n')] === '100' && r[col('method')] === 'gd').map((r) => Number(r[col('step')])));
    assert.equal(Number(m[1]), Math.min(Math.floor(x / 100), last), `${id}: ${x} evaluations shown`);
    const r = rows.find((r) => r[col('n')] === '100' && r[col('method')] === 'gd' && Number(r[col('step')]) === Number(m[1]));
    assertShown(shownNumber(m[3]), Number(r[col('mean_gap')]), `${id} GD's gap on n = 100`);
  } else if (id === 'variance-reduction') {
    // SGD (first in the CSV) spends one evaluation a step, so the caption's comparison
    // at equal evaluations quotes it at step t: "<mean> after <t> evaluations".
    const label = row[col('variant')];
    const [shown, after] = fact(`${label}: mean gap`).split(' after ');
    assert.equal(parseInt(after, 10), t, `${id}: ${label} quoted after ${after}`);
    assertShown(shownNumber(shown), Number(row[col('mean_gap')]), `${id} ${label} mean gap`);
  } else {
    assert.fail(`${id}: add to assertShowsStep a number this lab shows for the current step`);
  }
}

async function play(page) {
  if ((await labState(page)).playing !== '1') await page.locator('.btn-play').click();
}
async function pause(page) {
  if ((await labState(page)).playing === '1') await page.locator('.btn-play').click();
}
async function fastest(page) {
  await page.locator('#speed').fill('30');
}

for (const id of READY) {
  test(`${id}: loads clean at 1280×900 DPR 2, draws every chart, and play shows step t of the run and lowers the loss gap`, async () => {
    const s = await openPage(`#lab=${id}`, DESKTOP);
    const { page } = s;
    const start = await waitForLab(page);
    assert.equal(start.t, 0);
    assert.equal(start.lab, id);
    const before = await assertChartsDrawn(page, 2, id);
    await s.screenshot(`lab-${id}-desktop`);
    await s.screenshot(`lab-${id}-desktop-full`, { fullPage: true });
    await assertNoNaN(page, id);
    // Every control has a visible label and a description.
    const unlabelled = await page.locator('.lab-page input:not([type=file]), .lab-page select').evaluateAll((els) => els
      .filter((el) => !(el.labels?.length || el.getAttribute('aria-label')) || !el.getAttribute('aria-describedby'))
      .map((el) => el.id || el.outerHTML.slice(0, 60)));
    assert.deepEqual(unlabelled, [], 'every control is labelled and described');
    assert.match(await page.locator('.lab-caption .caption-text').innerText(), /\w{4}/);
    assert.ok(await page.locator('.lab-caption dl dt').count() >= 1, 'the caption lists facts');

    const csv0 = (await downloadOf(page, page.locator('.btn-csv'))).text;
    const gap0 = gapAt(csv0, 0);
    await play(page);
    const target = Math.min(start.steps, 40);
    await page.waitForFunction((n) => Number(document.querySelector('.lab-page').dataset.t) >= n, target);
    await pause(page);
    const { t } = await labState(page);
    assert.ok(t >= target, `t = ${t}`);
    const csvT = (await downloadOf(page, page.locator('.btn-csv'))).text;
    const gapT = gapAt(csvT, t);
    assert.ok(Number.isFinite(gapT) && gapT < gap0, `${id}: the loss gap fell from ${gap0} to ${gapT} (t = ${t})`);
    // What play changed on screen is step t of the run (not a precomputed end state).
    await assertShowsStep(page, id, csvT, t);
    const after = await assertChartsDrawn(page, 2, `${id} after play`);
    assert.ok(Object.keys(after).some((k) => after[k].sum !== before[k].sum), 'the picture changed');
    // A lab with a clock of its own (mini-batch: samples processed) says it in words.
    const where = id === 'mini-batch' ? /^\d+ of \d+ samples/
      : id === 'gd-vs-sgd' ? /^[\d\u202f]+ of [\d\u202f]+ gradient evaluations/
        : new RegExp(`Step ${t} of ${start.steps}`);
    assert.match(await page.locator('.status').innerText(), where);
    await assertNoNaN(page, `${id} after play`);
    assertClean(s);
    assert.deepEqual(s.foreignRequests(), []);
    await s.close();
  });

  test(`${id}: on a phone (390×844, DPR 3) the charts stack and nothing scrolls sideways`, async () => {
    const s = await openPage(`#lab=${id}`, PHONE);
    await waitForLab(s.page);
    await assertChartsDrawn(s.page, 3, `${id} phone`);
    const o = await overflow(s.page);
    assert.equal(o.x, false, JSON.stringify(o));
    const boxes = await s.page.locator('.chart').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON()));
    for (let k = 1; k < boxes.length; k += 1) {
      assert.ok(Math.abs(boxes[k].left - boxes[0].left) < 1 && boxes[k].top >= boxes[k - 1].bottom, 'stacked');
    }
    await s.screenshot(`lab-${id}-phone`);
    await s.screenshot(`lab-${id}-phone-full`, { fullPage: true });
    assertClean(s);
    await s.close();
  });

  test(`${id}: the embed view fits 640×420 without scrollbars and plays`, async () => {
    const s = await openPage(`embed.html#lab=${id}`, EMBED);
    const { page } = s;
    await waitForLab(page);
    await assertChartsDrawn(page, 1, `${id} embed`);
    for (const sel of [null, 'main']) {
      const o = await overflow(page, sel);
      assert.equal(o.x || o.y, false, `${sel ?? 'page'}: ${JSON.stringify(o)}`);
    }
    for (const name of ['Play', 'Step', 'Reset']) {
      const box = await page.getByRole('button', { name, exact: true }).boundingBox();
      assert.ok(box && box.y + box.height <= 420 && box.x + box.width <= 640, `${name} is inside the frame`);
    }
    const link = page.getByRole('link', { name: 'Open in SGD Lab ↗' });
    assert.match(await link.getAttribute('href'), new RegExp(`^index\\.html#lab=${id}`));
    await s.screenshot(`lab-${id}-embed`);
    await play(page);
    await page.waitForFunction(() => Number(document.querySelector('.lab-page').dataset.t) >= 3);
    assertClean(s);
    await s.close();
  });

  test(`${id}: knobs changed in the page come back exactly from the URL; back and forward restore states`, async () => {
    const s = await openPage(`#lab=${id}`, DESKTOP);
    const { page } = s;
    await waitForLab(page);
    const knobs = await page.evaluate(async (lab) => {
      const core = await import(new URL('pkg/sgd_lab.js', document.baseURI).href);
      const h = core.LabHandle.from_query([['lab', lab]]);
      const out = h.knobs();
      h.free();
      return out;
    }, id);
    await page.evaluate(() => { document.querySelector('.lab-page').__marker = 'same page'; });
    const states = [(await labState(page)).query];
    const refused = [];
    const round3 = (v) => Number(v.toPrecision(3));
    let gone = 0;
    for (const k of knobs) {
      const field = page.locator(`#knob-${k.key}`);
      if (await field.count() === 0) {
        // A knob of another problem (the sandbox shows the chosen problem's only).
        gone += 1;
        continue;
      }
      const current = await field.inputValue();
      let value;
      if (k.type === 'variants') {
        // One more variant, typed as one line.
        await page.locator(`.knob[data-key="${k.key}"] summary`).click();
        value = `${current}; Extra: sgd lr=0.05`;
        await field.fill(value);
        await field.press('Enter');
      } else if (k.type === 'choice') {
        value = k.options.map(([v]) => v).find((v) => v !== current);
        await field.selectOption(value);
      } else if (k.type === 'bool') {
        // A checkbox: toggled by a click; the URL holds true or false.
        value = String(!(await field.isChecked()));
        await field.click();
      } else if (k.type === 'number' || k.type === 'integer') {
        const f = (x) => (k.log && k.min > 0 ? k.min * (k.max / k.min) ** x : k.min + x * (k.max - k.min));
        value = k.key === 'seed' ? '4242' : String(k.type === 'integer' ? Math.round(f(0.37)) : round3(f(0.37)));
        if (value === current) value = String(k.type === 'integer' ? Math.round(f(0.63)) : round3(f(0.63)));
        await field.fill(value);
        await field.press('Enter');
      } else {
        // Free text (start point, data points): every number in it moved by 0.25.
        // An empty one takes the example its hint gives ("… e.g. 1:1,0.8:1.6").
        const base = current || (k.hint ?? '').split('e.g. ')[1] || '';
        value = base.replace(/−/g, '-').replace(/-?\d+(\.\d+)?(e-?\d+)?/g, (m) => String(round3(Number(m) + 0.25)));
        assert.notEqual(value, current, `${k.key}: a new value for ${current}`);
        await field.fill(value);
        await field.press('Enter');
      }
      const error = page.locator(`#knob-${k.key}-error`);
      if (await error.isVisible()) {
        // A value inside the knob's range that does not fit the rest of the scenario is
        // refused with a message that names it; never silently.
        const text = await error.innerText();
        assert.match(text, /\w{4}/, `${k.key}: the refusal says why`);
        refused.push(`${k.key}=${value}: ${text}`);
        continue;
      }
      const q = (await labState(page)).query;
      assert.notEqual(q, states[states.length - 1], `${k.key}=${value} was accepted, so the state changes`);
      assert.equal(new URLSearchParams(q).get(k.key), value, `${k.key}: the URL holds the value as typed`);
      states.push(q);
    }
    // Most knobs take a new value in range; those that depend on another knob's choice
    // (the sandbox's spread once the problem is not a quadratic) refuse and say why.
    assert.ok(refused.length <= Math.floor(knobs.length / 2), `refused: ${refused.join('\n')}`);
    for (const r of refused) assert.match(r, /was not used: it applies only to|must be/, r);
    // One slider by keyboard (input + change events): one press, one state (the page
    // no longer snaps slider values to a grid, so every press is a new value).
    const slider = page.locator('.knob input[type=range]').first();
    await slider.focus();
    await slider.press('ArrowRight');
    await page.waitForTimeout(50);
    const q = (await labState(page)).query;
    const sliderMoved = q !== states[states.length - 1];
    if (sliderMoved) states.push(q);
    assert.equal(states.length, 1 + knobs.length - gone - refused.length + (sliderMoved ? 1 : 0),
      `every accepted knob change is a state: ${states.join('\n')}`);
    assert.equal(new URL(page.url()).hash, `#${states[states.length - 1]}`, 'the hash is the state');

    const values = (p) => p.locator('.knobs input[type=text], .knobs select').evaluateAll(
      (els) => Object.fromEntries(els.map((el) => [el.id, el.value])));
    const mine = await values(page);
    const fresh = await openPage(new URL(page.url()).hash, DESKTOP);
    const freshState = await waitForLab(fresh.page);
    assert.equal(freshState.query, states[states.length - 1], 'the query after a reload');
    assert.deepEqual(await values(fresh.page), mine, 'every control');
    assert.equal(await fresh.page.locator('.lab-warnings').isVisible(), false, 'no warning');
    assertClean(fresh);
    await fresh.close();

    // Back and forward walk the committed states, in place (no remount).
    for (let k = states.length - 2; k >= Math.max(0, states.length - 4); k -= 1) {
      await page.goBack();
      await page.waitForFunction((want) => document.querySelector('.lab-page')?.dataset.query === want, states[k]);
    }
    await page.goForward();
    const back = Math.max(0, states.length - 4) + 1;
    await page.waitForFunction((want) => document.querySelector('.lab-page')?.dataset.query === want, states[back]);
    const sameControls = new URLSearchParams(states[back]);
    for (const k of knobs) {
      // Text is checked above; a knob of another problem (sandbox) is not shown.
      if (k.type === 'text' || await page.locator(`#knob-${k.key}`).count() === 0) continue;
      const field = page.locator(`#knob-${k.key}`);
      const shown = k.type === 'bool' ? String(await field.isChecked()) : await field.inputValue();
      assert.equal(shown, sameControls.get(k.key), `${k.key} after forward`);
    }
    assert.equal(await page.evaluate(() => document.querySelector('.lab-page').__marker), 'same page');
    assertClean(s);
    await s.close();
  });

  test(`${id}: a click on a chart (and a drag where the chart offers one) changes the scenario`, async (t) => {
    const s = await openPage(`#lab=${id}`, DESKTOP);
    const { page } = s;
    await waitForLab(page);
    const charts = await page.locator('figure.chart:has(canvas.clickable)').evaluateAll((els) => els.map((el) => ({
      id: el.dataset.chart,
      help: el.querySelector('.click-help')?.textContent ?? '',
    })));
    if (charts.length === 0) {
      t.skip('no chart of this lab reacts to the pointer');
      await s.close();
      return;
    }
    const query = async () => (await labState(page)).query;
    for (const c of charts) {
      // The middle of the plot area, in page coordinates.
      const at = await page.locator(`figure[data-chart="${c.id}"]`).evaluate((fig) => {
        const canvas = fig.querySelector('canvas');
        const { plot } = JSON.parse(fig.dataset.frame);
        const r = canvas.getBoundingClientRect();
        const k = r.width / canvas.width;
        return { x: r.left + k * (0.4 * plot.left + 0.6 * plot.right), y: r.top + k * (0.55 * plot.top + 0.45 * plot.bottom) };
      });
      const before = await query();
      const entries = await page.evaluate(() => history.length);
      await page.mouse.click(at.x, at.y);
      await page.waitForFunction((q) => document.querySelector('.lab-page').dataset.query !== q, before);
      assert.equal(await page.evaluate(() => history.length), entries + 1, `${c.id}: a click is one history entry`);
      assert.equal(new URL(page.url()).hash, `#${await query()}`);
      if (/drag/i.test(c.help)) {
        const mid = await query();
        await page.mouse.move(at.x, at.y);
        await page.mouse.down();
        await page.mouse.move(at.x + 25, at.y - 20, { steps: 6 });
        await page.mouse.up();
        await page.waitForFunction((q) => document.querySelector('.lab-page').dataset.query !== q, mid);
        assert.equal(await page.evaluate(() => history.length), entries + 2, `${c.id}: a drag is one history entry`);
      }
    }
    await assertChartsDrawn(page, 2, `${id} after clicks`);
    assertClean(s);
    await s.close();
  });

  test(`${id}: a bad URL shows what is allowed, keeps the defaults and still plays`, async () => {
    // The sandbox's step sizes live in its variants: its bad value is a number of runs.
    const [key, said] = id === 'sandbox'
      ? ['runs', /URL parameter runs must be a whole number from \d+ to \d+, got "banana"; using \d+/]
      : ['lr', /URL parameter lr must be a number from [\d.]+ to [\d.]+, got "banana"; using [\d.]+/];
    const s = await openPage(`#lab=${id}&${key}=banana&foo=1`, DESKTOP);
    const { page } = s;
    await waitForLab(page);
    const box = page.locator('.lab-warnings[role=alert]');
    assert.ok(await box.isVisible());
    const text = await box.innerText();
    assert.match(text, said);
    assert.match(text, new RegExp(`URL parameter "foo" is not known to this lab and was ignored \\(it knows: .*${key}`));
    const clean = await openPage(`#lab=${id}`, DESKTOP);
    await waitForLab(clean.page);
    assert.equal(await page.locator(`#knob-${key}`).inputValue(), await clean.page.locator(`#knob-${key}`).inputValue());
    await clean.close();
    await play(page);
    await page.waitForFunction(() => Number(document.querySelector('.lab-page').dataset.t) >= 3);
    await s.screenshot(`lab-${id}-bad-url`);
    assertClean(s);
    await s.close();
  });

  test(`${id}: play, step and reset from the keyboard`, async () => {
    const s = await openPage(`#lab=${id}`, DESKTOP);
    const { page } = s;
    await waitForLab(page);
    assert.match(await page.locator('.hint').innerText(), /Space.*play.*→.*S.*step.*R.*reset/s);
    const state = () => labState(page);
    await page.locator('#lab-title').focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => document.querySelector('.lab-page').dataset.t === '1');
    await page.keyboard.press('s');
    await page.waitForFunction(() => document.querySelector('.lab-page').dataset.t === '2');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => Number(document.querySelector('.lab-page').dataset.t) > 3);
    assert.equal((await state()).playing, '1');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelector('.lab-page').dataset.playing === '0');
    await page.keyboard.press('r');
    await page.waitForFunction(() => document.querySelector('.lab-page').dataset.t === '0');
    // Typing in a field is typing, not a shortcut.
    await page.locator('#knob-seed').focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('r');
    await page.waitForTimeout(100);
    assert.equal((await state()).playing, '0');
    assert.equal((await state()).t, 0);
    // The buttons work with Tab and Enter, and focus is visible.
    await page.locator('.btn-step').focus();
    const outline = await page.locator('.btn-step').evaluate((el) => getComputedStyle(el).outlineStyle);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('.lab-page').dataset.t === '1');
    assert.notEqual(outline, 'none');
    assertClean(s);
    await s.close();
  });

  test(`${id}: import refuses a bad file, a huge step diverges and stops, and the CSV is what sgd-lab run computes`, async () => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run cargo build (scripts/test-browser.sh does)`);
    const s = await openPage(`#lab=${id}`, DESKTOP);
    const { page } = s;
    await waitForLab(page);
    const query = (await labState(page)).query;
    const file = (name, text) => ({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
    await page.setInputFiles('#import-file', file('broken.json', '{"problem": '));
    const msg = page.locator('.lab-message[role=alert]');
    await msg.waitFor();
    assert.match(await msg.innerText(), /“broken\.json” could not be opened: scenario is not valid JSON/);
    await page.setInputFiles('#import-file', file('other.json', '{"problem": {"kind": "random_least_squares"}, "lab": {"id": "no-such-lab"}}'));
    await page.waitForFunction(() => /no-such-lab/.test(document.querySelector('.lab-message').textContent));
    assert.match(await msg.innerText(), /lab must be one of .* got "no-such-lab"/);
    assert.equal((await labState(page)).query, query, 'a refused file changes nothing');

    // The whole run, then the numbers against the command line.
    await fastest(page);
    await play(page);
    await page.waitForFunction(() => document.querySelector('.lab-page').dataset.done === '1', null, { timeout: 30000 });
    const csv = (await downloadOf(page, page.locator('.btn-csv'))).text;
    const scenario = (await downloadOf(page, page.locator('.btn-json'))).text;
    const dir = mkdtempSync(path.join(tmpdir(), 'sgd-lab-export-'));
    try {
      const json = path.join(dir, `${id}.json`);
      writeFileSync(json, scenario);
      const { cols, rows } = parseCsv(csv);
      if (cols.includes('sample') || cols.includes('evaluations')) {
        // descent-lemma, noise-assumptions: a row per sample at the step shown;
        // gd-vs-sgd: every data set's curves. `sgd-lab lab` writes it byte for byte
        // from the same scenario.
        const t = Number(rows[0][cols.indexOf('step')]);
        execFileSync(CLI, ['lab', json, '--step', String(t), '--out', dir]);
        assert.equal(csv, readFileSync(path.join(dir, 'data.csv'), 'utf8'));
        assert.ok(rows.length * cols.length > 100, `${rows.length} rows`);
      } else {
        const ensemble = !cols.includes('gap');
        const result = JSON.parse(execFileSync(CLI, ['run', json, ...(ensemble ? ['--summary'] : [])], { maxBuffer: 1 << 28 }));
        // expected-loss's bound columns against `sgd-lab theory` too.
        const theory = cols.includes('bound') ? JSON.parse(execFileSync(CLI, ['theory', json])) : null;
        const checked = compareWithCli(csv, result, theory);
        assert.ok(checked > 100, `${checked} numbers compared`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    // A step size far too large, from a file (the knobs stop below divergence).
    const big = JSON.parse(scenario);
    big.method.lr *= 200;
    if (big.lab?.lr2) big.lab.lr2 *= 200;
    for (const v of big.compare ?? []) if (v.method) v.method.lr *= 200;
    const before = (await labState(page)).query;
    await page.setInputFiles('#import-file', file('huge-step.json', JSON.stringify(big)));
    await page.waitForFunction((q) => document.querySelector('.lab-page').dataset.query !== q, before);
    if (!big.compare?.every((v) => v.method)) {
      // The step is a knob whose range stops below it: the file is used, with a note.
      assert.match(await page.locator('.lab-warnings').innerText(), /a link or a reload keeps only the knobs/);
    }
    await fastest(page);
    await play(page);
    await page.waitForFunction(() => document.querySelector('.lab-page').dataset.diverged === '1', null, { timeout: 30000 });
    await page.waitForFunction(() => document.querySelector('.lab-page').dataset.playing === '0');
    const stopped = (await labState(page)).t;
    await page.waitForTimeout(200);
    assert.equal((await labState(page)).t, stopped, 'the animation stopped');
    const alert = page.locator('.lab-diverged[role=alert]');
    assert.ok(await alert.isVisible());
    assert.match(await alert.innerText(), /diverged/);
    await assertNoNaN(page, `${id} diverged`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await s.screenshot(`lab-${id}-diverged`);
    assertClean(s);
    await s.close();
  });
}

/** Compares every cell of a lab's CSV with `sgd-lab run`'s JSON (and expected-loss's bound
 *  columns with `sgd-lab theory`'s); returns the count. */
function compareWithCli(csv, result, theory = null) {
  const { cols, rows } = parseCsv(csv);
  let checked = 0;
  if (cols[0] === 'variant') {
    // Several variants: each row against its variant's summary (sgd-lab run --summary).
    const seen = new Map();
    for (const cells of rows) {
      const v = result.variants.find((x) => x.label === cells[0]);
      assert.ok(v, `a variant labelled ${cells[0]}`);
      const t = Number(cells[1]);
      seen.set(cells[0], (seen.get(cells[0]) ?? 0) + 1);
      cols.slice(2).forEach((c, k) => {
        if (Array.isArray(v[c])) {
          assert.equal(Number(cells[k + 2]), v[c][t], `${v.label} ${c} at step ${t}`);
          checked += 1;
        } else {
          assert.equal(cells[k + 2], '', `${v.label} ${c}: a variant without it`);
        }
      });
    }
    for (const v of result.variants) assert.equal(seen.get(v.label), v.mean_gap.length, `every step of ${v.label}`);
    return checked;
  }
  const steps = new Map();
  for (const cells of rows) {
    const at = (c) => cells[cols.indexOf(c)];
    const run = cols.includes('run') ? Number(at('run')) : 0;
    const t = Number(at('step'));
    steps.set(run, Math.max(steps.get(run) ?? 0, t));
    const r = result.runs[run];
    cols.forEach((c, k) => {
      if (c === 'run' || c === 'step') return;
      let want;
      if (Array.isArray(result[c])) want = result[c][t];
      else if (/^w\d+$/.test(c)) want = r.w[t][Number(c.slice(1))];
      else if (/^avg_w\d+$/.test(c)) want = r.avg_w[t][Number(c.slice(5))];
      else if (c === 'lr') want = t === 0 ? '' : r.lr[t - 1];
      else if (c === 'indices') want = t === 0 ? '' : r.indices[t - 1].join(' ');
      else if (r && Array.isArray(r[c])) want = r[c][t];
      else if (theory && c === 'bound') want = theory.bound?.curve[t] ?? '';
      else if (theory && c === 'bound_floor') want = theory.bound?.floor ?? '';
      else if (theory && c === 'bound_geometric') {
        // (1 − ηm)^t (L(w0) − L*): JavaScript's power may differ in the last bit.
        if (!theory.bound) want = '';
        else {
          const geo = theory.bound.rate ** t * theory.bound.initial_gap;
          assert.ok(Math.abs(Number(cells[k]) - geo) <= 1e-14 * geo, `${c} at step ${t}: ${cells[k]} vs ${geo}`);
          checked += 1;
          return;
        }
      } else if (['band_lo', 'band_hi', 'exact_mean_gap'].includes(c)) {
        // Not printed by the CLI: tests/lab_expected_loss.rs checks them natively.
        return;
      } else assert.fail(`CSV column ${c} has no counterpart in sgd-lab run`);
      if (typeof want === 'number') assert.equal(Number(cells[k]), want, `${c} at run ${run}, step ${t}`);
      else assert.equal(cells[k], String(want), `${c} at run ${run}, step ${t}`);
      checked += 1;
    });
  }
  if (cols.includes('mean_gap')) assert.equal(rows.length, result.mean_gap.length, 'every step of the ensemble');
  return checked;
}

test('PNG export, copy link and copy embed code', async () => {
  const s = await openPage('#lab=decay', DESKTOP);
  const { page } = s;
  await waitForLab(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.btn-png').first().click()]);
  assert.match(download.suggestedFilename(), /^sgd-lab-decay-\w+\.png$/);
  const png = readFileSync(await download.path());
  assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], 'a PNG file');
  await page.locator('#knob-seed').fill('77');
  await page.locator('#knob-seed').press('Enter');
  await page.waitForFunction(() => document.querySelector('.lab-page').dataset.query.includes('seed=77'));
  await page.locator('.btn-link').click();
  const out = page.locator('.share-out');
  await out.waitFor();
  assert.equal(await out.inputValue(), page.url());
  await page.waitForFunction(() => /copied|copy it/.test(document.querySelector('.share-note').textContent));
  await page.locator('.btn-embed').click();
  await page.waitForFunction(() => /Embed code|embed code/.test(document.querySelector('.share-note').textContent));
  const code = await out.inputValue();
  assert.match(code, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/embed\.html#lab=decay&amp;[^"]*seed=77[^"]*" width="640" height="420" title="SGD Lab: Learning-rate schedules" loading="lazy"><\/iframe>$/);
  assertClean(s);
  await s.close();
});

test('a scenario file made for another lab opens that lab with its settings', async () => {
  const s = await openPage('#lab=decay', DESKTOP);
  const { page } = s;
  await waitForLab(page);
  const other = READY.find((l) => l !== 'decay');
  const scenario = await page.evaluate(async (lab) => {
    const core = await import(new URL('pkg/sgd_lab.js', document.baseURI).href);
    const h = core.LabHandle.from_query([['lab', lab], ['seed', '31']]);
    const json = h.scenario_json();
    h.free();
    return json;
  }, other);
  await page.setInputFiles('#import-file', { name: `${other}.json`, mimeType: 'application/json', buffer: Buffer.from(scenario) });
  await page.waitForFunction((lab) => document.body.dataset.route === `lab:${lab}`, other);
  const state = await waitForLab(page);
  assert.equal(state.lab, other);
  assert.match(state.query, /seed=31/);
  assert.equal(new URL(page.url()).hash, `#${state.query}`);
  await page.goBack();
  await page.waitForFunction(() => document.body.dataset.route === 'lab:decay');
  assertClean(s);
  await s.close();
});

test('the single-file build renders a lab from file:// and plays it', async () => {
  const s = await openPage(`${SINGLE_FILE_URL}#lab=decay`, DESKTOP);
  const { page } = s;
  await waitForLab(page);
  await assertChartsDrawn(page, 2, 'single file');
  await play(page);
  await page.waitForFunction(() => Number(document.querySelector('.lab-page').dataset.t) >= 10);
  assert.equal(await page.locator('.btn-embed').count(), 0, 'no embed code: there is no embed.html beside the file');
  await s.screenshot('lab-decay-single-file');
  assertClean(s);
  assert.deepEqual(s.foreignRequests(), []);
  await s.close();
});

test('the landing page marks exactly the ready labs as ready', async () => {
  const s = await openPage('');
  const badges = await s.page.locator('.lab-card').evaluateAll((els) => Object.fromEntries(
    els.map((el) => [el.dataset.lab, Boolean(el.querySelector('.badge'))])));
  for (const [lab, coming] of Object.entries(badges)) assert.equal(coming, !READY.includes(lab), lab);
  await s.close();
});
