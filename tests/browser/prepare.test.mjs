// A large imported problem is built in slices (#12: www/prepare.js, src/slice.rs):
// the page keeps drawing while it is prepared, says what it is doing, can be
// cancelled (the old state stays), and ends with exactly the imported scenario, in
// this lab or in the lab the file names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, waitForLab, downloadOf, SCREENSHOTS } from './harness.mjs';
import { startGaps, readGaps, importScenario, bigScenario } from './frames.mjs';

/** Longest frame gap while a 15 625 × 64 problem is prepared (measured: 33–83 ms on
 *  an idle 2-core machine; before #12's slices, one task of 333–533 ms). */
const PREPARE_GAP_MS = 200;

/** A 15 625 × 64 problem with few runs and steps: the build is what is measured. */
const big = (kind, lab, extra = {}) => bigScenario(kind, lab, { steps: 300, runs: 20, seed: 4, ...extra });

const state = (page) => page.evaluate(() => {
  const r = document.querySelector('.lab-page').dataset;
  const box = document.querySelector('.lab-preparing');
  return {
    lab: r.lab,
    query: r.query,
    preparing: r.preparing === '1',
    text: box && !box.hidden ? box.textContent : '',
    note: document.querySelector('.share-note')?.textContent ?? '',
    message: document.querySelector('.lab-message')?.textContent ?? '',
  };
});

/** Waits until the page prepares a file, and then, in the same animation frame,
 *  scrolls its status into view and measures it against the Import button. */
const whilePreparing = (page) => page.waitForFunction(() => {
  if (document.querySelector('.lab-page').dataset.preparing !== '1') return null;
  const box = document.querySelector('.lab-preparing');
  box.scrollIntoView({ block: 'center' });
  const b = box.getBoundingClientRect();
  const i = document.querySelector('label[for="import-file"]').getBoundingClientRect();
  return { boxTop: b.top, importBottom: i.bottom };
}, null, { polling: 'raf', timeout: 30000 }).then((h) => h.jsonValue());

/** As soon as the page prepares something (checked every animation frame, so that a
 *  fast machine does not finish first): `cancel` clicks Cancel, `knob` commits a knob
 *  value (`[key, value]`), `read` returns the status and where it sits. */
const onPreparing = (page, what, arg = null) => page.waitForFunction(([act, a]) => {
  if (document.querySelector('.lab-page').dataset.preparing !== '1') return null;
  const box = document.querySelector('.lab-preparing');
  const seen = { text: box.textContent, afterPlayer: box.previousElementSibling?.classList.contains('player') ?? false };
  if (act === 'cancel') box.querySelector('.btn-cancel-prep').click();
  if (act === 'knob') {
    const field = document.getElementById(`knob-${a[0]}`);
    field.value = a[1];
    field.dispatchEvent(new Event('change'));
  }
  return seen;
}, [what, arg], { polling: 'raf', timeout: 30000 }).then((h) => h.jsonValue());

/** Samples the page's state every animation frame until `done(state)`; returns them. */
async function watch(page, until, timeout = 60000) {
  const seen = [];
  const t0 = Date.now();
  for (;;) {
    const s = await state(page);
    seen.push(s);
    if (until(s)) return seen;
    assert.ok(Date.now() - t0 < timeout, `no end after ${timeout} ms: ${JSON.stringify(s)}`);
    await page.waitForTimeout(50);
  }
}

test('a 10⁶-entry problem is prepared in slices: the page keeps drawing and says how far it is', async () => {
  const s = await openPage('index.html#lab=expected-loss');
  const { page } = s;
  await waitForLab(page);
  const before = await state(page);
  for (const kind of ['ls', 'logistic']) {
    await startGaps(page);
    const file = big(kind, 'expected-loss');
    await importScenario(page, `${kind}.json`, file);
    const seen = await watch(page, (x) => /Opened/.test(x.note) && !x.preparing);
    const gaps = await readGaps(page);
    const shown = seen.filter((x) => x.preparing).map((x) => x.text);
    console.log(`prepare ${kind}: ${shown.length} samples while preparing, e.g. "${shown[Math.floor(shown.length / 2)]}"; longest frame gap ${gaps.max.toFixed(0)} ms over ${gaps.seconds.toFixed(1)} s`);
    assert.ok(shown.length > 0, `${kind}: the preparation was never shown`);
    for (const text of shown) assert.match(text, /^Preparing “(ls|logistic)\.json”: [^:]+: \d+ % · \d+\.\d s Cancel$/);
    assert.ok(gaps.max < PREPARE_GAP_MS, `${kind}: a frame gap of ${gaps.max} ms while preparing`);
    const end = seen.at(-1);
    assert.notEqual(end.query, before.query);
    assert.match(end.query, /runs=20&steps=300/);
    assert.equal(end.message, '');
    // The file's scenario, as the export gives it back.
    const exported = JSON.parse((await downloadOf(page, page.locator('.btn-json'))).text);
    const want = JSON.parse(file);
    for (const k of ['kind', 'n', 'd', 'seed']) assert.equal(exported.problem[k], want.problem[k], k);
    assert.equal(exported.steps, 300);
    assert.equal(exported.runs, 20);
  }
  await page.setViewportSize({ width: 1280, height: 720 });
  await importScenario(page, 'shot.json', big('logistic', 'expected-loss', { seed: 9 }));
  // Beside the Import button, where the student acted (on a phone too).
  const at = await whilePreparing(page);
  await page.screenshot({ path: `${SCREENSHOTS}/prepare-1280.png` });
  assert.ok(Math.abs(at.boxTop - at.importBottom) < 60, `status at ${at.boxTop}, Import button ending at ${at.importBottom}`);
  await watch(page, (x) => /Opened “shot/.test(x.note));
  await page.setViewportSize({ width: 390, height: 844 });
  await importScenario(page, 'phone.json', big('ls', 'expected-loss', { seed: 10 }));
  const phone = await whilePreparing(page);
  await page.screenshot({ path: `${SCREENSHOTS}/prepare-390.png` });
  assert.ok(Math.abs(phone.boxTop - phone.importBottom) < 60, `phone: status at ${phone.boxTop}, Import button ending at ${phone.importBottom}`);
  await watch(page, (x) => /Opened “phone/.test(x.note));
  assert.deepEqual(s.problems(), []);
  await s.close();
});

test('Cancel keeps the state the page showed; a file for another lab is prepared, then opens there', async () => {
  const s = await openPage('index.html#lab=expected-loss&lr=0.1');
  const { page } = s;
  await waitForLab(page);
  const before = await state(page);
  await importScenario(page, 'big.json', big('ls', 'expected-loss'));
  await onPreparing(page, 'cancel');
  const after = await state(page);
  assert.equal(after.preparing, false);
  assert.equal(after.note, 'Import cancelled: the lab keeps what it showed.');
  await page.waitForTimeout(1500);
  const later = await state(page);
  assert.equal(later.query, before.query, 'the cancelled import never lands');
  assert.equal(await page.evaluate(() => location.hash), '#lab=expected-loss&lr=0.1');
  // A knob moved while a file is prepared cancels it too: the knob's state wins.
  await importScenario(page, 'big.json', big('ls', 'expected-loss'));
  await onPreparing(page, 'knob', ['lr', '0.2']);
  await page.waitForTimeout(1500);
  const knob = await state(page);
  assert.equal(knob.preparing, false);
  assert.match(knob.query, /lr=0\.2/);
  assert.doesNotMatch(knob.query, /steps=300/);
  // A knob that changes a large imported problem (κ) builds it in slices too, its
  // status under the player; Cancel puts the knob back to the state kept.
  await importScenario(page, 'big.json', big('ls', 'expected-loss'));
  await watch(page, (x) => /Opened “big/.test(x.note) && !x.preparing);
  await page.fill('#knob-kappa', '20');
  await page.press('#knob-kappa', 'Enter');
  const seen = await onPreparing(page, 'read');
  assert.ok(seen.afterPlayer, 'a knob\'s status is under the player');
  assert.match(seen.text, /^Preparing Condition number κ = 20: /);
  const kappa = await watch(page, (x) => !x.preparing);
  assert.match(kappa.at(-1).query, /kappa=20&/);
  assert.match(kappa.at(-1).query, /steps=300/, 'the imported scenario with the new κ');
  await page.fill('#knob-kappa', '30');
  await page.press('#knob-kappa', 'Enter');
  await onPreparing(page, 'cancel');
  await page.waitForTimeout(1000);
  assert.match((await state(page)).query, /kappa=20&/);
  assert.equal(await page.inputValue('#knob-kappa'), '20');
  // Another lab's file: prepared here, then that lab opens with it.
  await importScenario(page, 'decay.json', big('ls', 'decay', { runs: 1, schedule: { kind: 'inverse_time', t0: 20 } }));
  await page.waitForFunction(() => document.querySelector('.lab-page')?.dataset.lab === 'decay', null, { timeout: 60000 });
  await waitForLab(page, { timeout: 60000 });
  const decay = await state(page);
  assert.match(decay.query, /steps=300/);
  assert.deepEqual(s.problems(), []);
  await s.close();
});
