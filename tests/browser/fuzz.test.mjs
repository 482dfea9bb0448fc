// A hostile user, seeded (issue #12): for every lab the core calls ready, random URL
// values and keys, in-place hash changes, back / forward and bad scenario files. After
// each action: no page or console error, no NaN / undefined / Infinity on screen
// (outside the quotes of what the user wrote), a warning naming every bad key, no
// warning about a key that is not in the URL now shown, and the longest gap between
// animation frames under a limit. The freeze file of the issue is a fixed case.
//
//   FUZZ_SEED=1234 node --test tests/browser/fuzz.test.mjs   reproduces a run
//   FUZZ_SECONDS=60                                            time for all labs (default 60)
//
// Frame-gap limits, set from measurements on the 2-core test machine under load
// (scripts/frame-gaps.mjs prints the figures): the freeze file opens with one gap of
// ~0.3 s (building the 64-dimensional problem and solving for w*) and then runs with
// gaps of ~20–35 ms; the limits leave room for a loaded machine.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, coreCatalogue, waitForLab } from './harness.mjs';
import { startGaps, readGaps, freezeFile, importScenario } from './frames.mjs';

const READY = (await coreCatalogue()).filter((l) => l.ready).map((l) => l.id);
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 60);
/** Longest frame gap while a heavy legal scenario computes (measured: 17–35 ms). */
const RUNNING_GAP_MS = 150;
/** Longest gap when the freeze file opens (measured: 330–370 ms when the problem
 *  was built in one task; 50–67 ms since it is built in slices, prepare.js). */
const OPEN_GAP_MS = 300;
/** Longest gap during the fuzzing itself, where every hash change builds a lab
 *  (measured: 33–67 ms with FUZZ_SEED=1, up to 167 ms for step-size with
 *  FUZZ_SEED=285596983 in a loaded full run, where drawing its gap chart of many
 *  long paths takes ~50 ms; each lab logs its figure). */
const FUZZ_GAP_MS = 400;

console.log(`fuzz: FUZZ_SEED=${SEED} (set it to reproduce this run)`);

/** Mulberry32: a small seeded generator. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Values no knob accepts (every knob: numbers, integers, choices, points, vectors). */
const GARBAGE = ['NaN', 'nan', '-inf', 'Infinity', '1e309', 'abc', '<b>x</b>', '1,,2', ':', '0x10', '１', '9'.repeat(40), '"', '%', 'undefined', 'null', '1:NaN'];

function pick(r, list) {
  return list[Math.floor(r() * list.length)];
}

/** Text on screen that must never show: outside the warnings and messages (which
 *  quote what the user wrote, "NaN" included), nothing says NaN / undefined / Infinity. */
async function badText(page) {
  return page.evaluate(() => {
    const app = document.getElementById('app').cloneNode(true);
    for (const n of app.querySelectorAll('.lab-warnings, .lab-message, .notice, input, textarea')) n.remove();
    const text = app.innerText ?? app.textContent;
    const m = text.match(/\bNaN\b|\bundefined\b|\bInfinity\b/);
    return m ? text.slice(Math.max(0, m.index - 60), m.index + 60) : null;
  });
}

async function warningsText(page) {
  return page.evaluate(() => {
    const box = document.querySelector('.lab-warnings');
    return box && !box.hidden ? box.textContent : '';
  });
}

/** Keys a warning names: `URL parameter KEY …` or `URL parameter "KEY" …`. */
function namedKeys(text) {
  const keys = new Set();
  for (const m of text.matchAll(/URL parameter ("([^"]*)"|(\S+))/g)) keys.add(m[2] ?? m[3]);
  return keys;
}

/** Waits until the page shows the state of the current hash (an update is synchronous,
 *  a fresh mount too; one frame settles the DOM). */
async function settle(page) {
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done())));
}

for (const id of READY) {
  test(`fuzz ${id}: random links, in-place hash changes, back / forward and bad files`, async () => {
    const r = rng(SEED ^ [...id].reduce((a, c) => a * 31 + c.charCodeAt(0), 7));
    const s = await openPage(`index.html#lab=${id}`);
    const { page } = s;
    await waitForLab(page);
    // Valid values: the lab's own defaults, as its URL writes them.
    const defaults = [...new URLSearchParams(await page.evaluate(() => document.querySelector('.lab-page').dataset.query))]
      .filter(([k]) => k !== 'lab');
    const knobKeys = defaults.map(([k]) => k);
    await startGaps(page);
    const deadline = Date.now() + (SECONDS * 1000) / READY.length;
    let actions = 0;
    let worstGap = 0;
    let pos = 0; // where we are in this page's history entries, and how many there are
    let len = 1;
    while (Date.now() < deadline) {
      actions += 1;
      const roll = r();
      if (roll < 0.15 && (pos > 0 || pos < len - 1)) {
        // Back or forward (within this page's entries), then the warnings must be
        // those of the hash now shown.
        const back = pos > 0 && (pos === len - 1 || r() < 0.6);
        const before = await page.evaluate(() => location.hash);
        await page.evaluate((b) => (b ? history.back() : history.forward()), back);
        await page.waitForFunction((h) => location.hash !== h, before, { timeout: 5000 }).catch(() => {});
        pos += back ? -1 : 1;
      } else if (roll < 0.22) {
        // A bad or heavy scenario file.
        const files = [
          ['broken.json', '{"problem": '],
          ['array.json', '[1, 2, 3]'],
          ['nan.json', `{"lab": {"id": "${id}"}, "steps": NaN}`],
          ['negative.json', JSON.stringify({ problem: { kind: 'random_least_squares', n: 5, d: 1 }, method: { kind: 'sgd', lr: -1 }, steps: 10, lab: { id } })],
          ['huge-steps.json', JSON.stringify({ problem: { kind: 'random_least_squares', n: 5, d: 1 }, method: { kind: 'sgd', lr: 0.1 }, steps: 1e12, lab: { id } })],
          ['other-lab.json', '{"problem": {"kind": "random_least_squares"}, "lab": {"id": "no-such-lab"}}'],
          ['text.json', 'NaN undefined <script>x</script>'],
        ];
        const [name, body] = pick(r, files);
        await importScenario(page, name, body);
        await page.waitForFunction(() => !document.querySelector('.lab-message')?.hidden, null, { timeout: 5000 });
        const msg = await page.locator('.lab-message').innerText();
        assert.match(msg, new RegExp(`“${name.replace('.', '\\.')}” could not be opened: \\S`), `${id}: ${name}: ${msg} (FUZZ_SEED=${SEED})`);
      } else {
        // A random link, set in place (a hashchange on the mounted lab).
        const params = new URLSearchParams({ lab: id });
        const bad = new Set();
        const n = 1 + Math.floor(r() * 4);
        for (let i = 0; i < n; i += 1) {
          const kind = r();
          if (kind < 0.4) {
            const [k, v] = pick(r, defaults);
            params.append(k, v);
          } else if (kind < 0.85) {
            const k = pick(r, knobKeys);
            params.append(k, pick(r, GARBAGE));
            bad.add(k);
          } else {
            const k = `zz${Math.floor(r() * 1000)}`;
            params.append(k, pick(r, GARBAGE));
            bad.add(k);
          }
        }
        const hash = `#${params.toString()}`;
        if (hash !== await page.evaluate(() => location.hash)) {
          pos += 1;
          len = pos + 1;
        }
        await page.evaluate((h) => { location.hash = h; }, hash);
        await settle(page);
        const named = namedKeys(await warningsText(page));
        for (const k of bad) assert.ok(named.has(k), `${id}: #${params} names ${[...named]}, not ${k} (FUZZ_SEED=${SEED})`);
      }
      await settle(page);
      // The warnings describe the URL shown now, never an earlier one.
      const shown = new URLSearchParams((await page.evaluate(() => location.hash)).slice(1));
      const fromFile = await page.evaluate(() => /could not be opened|is \d+ bytes/.test(document.querySelector('.lab-message')?.textContent ?? ''));
      const text = await warningsText(page);
      for (const k of namedKeys(text)) {
        assert.ok(shown.has(k) || fromFile, `${id}: a warning names ${k}, which #${shown} does not hold: ${text} (FUZZ_SEED=${SEED})`);
      }
      const bad = await badText(page);
      assert.equal(bad, null, `${id}: on screen: …${bad}… (FUZZ_SEED=${SEED})`);
      assert.deepEqual(s.problems(), [], `${id} (FUZZ_SEED=${SEED})`);
      assert.equal(await page.evaluate(() => document.querySelector('.lab-page')?.dataset.lab), id);
    }
    const gaps = await readGaps(page);
    worstGap = gaps.max;
    console.log(`fuzz ${id}: ${actions} actions, longest frame gap ${worstGap.toFixed(0)} ms`);
    assert.ok(worstGap < FUZZ_GAP_MS, `${id}: a frame gap of ${worstGap.toFixed(0)} ms (limit ${FUZZ_GAP_MS}; FUZZ_SEED=${SEED})`);
    // A 20 MiB + 1 byte file: sizes in bytes.
    await importScenario(page, 'big.json', ' '.repeat(20 * 1024 * 1024 + 1));
    await page.waitForFunction(() => !document.querySelector('.lab-message')?.hidden);
    assert.equal(await page.locator('.lab-message').innerText(),
      '“big.json” is 20971521 bytes; a scenario file is at most 20971520 bytes (20 MiB).');
    await s.close();
  });
}

test('the freeze file of issue #12 opens without freezing the page', async () => {
  const s = await openPage('index.html#lab=expected-loss');
  const { page } = s;
  await waitForLab(page);
  await startGaps(page);
  await importScenario(page, 'freeze.json', freezeFile());
  await page.waitForFunction(() => Number(document.querySelector('.lab-page').dataset.progress) < 1);
  await page.waitForTimeout(1000);
  const open = await readGaps(page);
  await startGaps(page);
  await page.waitForTimeout(3000);
  const then = await readGaps(page);
  const state = await page.evaluate(() => ({
    progress: Number(document.querySelector('.lab-page').dataset.progress),
    status: document.querySelector('.player .status').textContent,
    stop: document.querySelector('.btn-work')?.hidden === false,
  }));
  console.log(`freeze file: longest frame gap ${open.max.toFixed(0)} ms while opening, then ${then.max.toFixed(0)} ms over ${then.seconds.toFixed(1)} s; ${state.status}`);
  assert.ok(open.max < OPEN_GAP_MS, `opening: ${open.max} ms`);
  assert.ok(then.max < RUNNING_GAP_MS, `running: ${then.max} ms`);
  assert.ok(state.progress > 0 && state.progress < 1, `progress ${state.progress}`);
  // A heavy legal scenario says how long it takes, and can be stopped and continued.
  assert.match(state.status, /computing the runs: \d+ % \(about \d+ (s|min) left\)/);
  assert.ok(state.stop, 'a Stop button for the heavy work');
  await page.click('.btn-work');
  const stopped = await page.evaluate(() => document.querySelector('.lab-page').dataset.progress);
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => document.querySelector('.lab-page').dataset.progress), stopped, 'stopped');
  assert.match(await page.locator('.player .status').innerText(), /runs stopped at \d+ %/);
  assert.equal(await page.locator('.btn-work').innerText(), 'Continue computing');
  await page.click('.btn-work');
  await page.waitForFunction((p) => document.querySelector('.lab-page').dataset.progress !== p, stopped);
  assert.deepEqual(s.problems(), []);
  await s.close();
});
