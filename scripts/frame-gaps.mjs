// The longest gap between animation frames (headless Chromium) for the heaviest legal
// scenario of each lab, and for the freeze file of issue #12. Prints one line each:
//   node scripts/frame-gaps.mjs [seconds per case, default 8] [regexp of case names]
//   FRAME_GAPS_LIMIT_S=90   a case whose page does not answer for this long is reported
//                           as blocked (the page before issue #12's fix froze for minutes)
// after bash scripts/build-web.sh. Slow (a minute or two): not part of CI; the fuzz
// test (tests/browser/fuzz.test.mjs) checks the freeze file with a limit.
//
// "open" is the longest gap from the import until a second after the lab opened
// (building the problem and the lab happen there, in slices: www/prepare.js), with
// the time the import took; "then" is the longest gap after it, while the page
// computes and plays.
import { openPage, closeAll } from '../tests/browser/harness.mjs';
import { startGaps, readGaps, freezeFile, importScenario, bigScenario as big } from '../tests/browser/frames.mjs';

const SECONDS = Number(process.argv[2] ?? 8);
const ONLY = process.argv[3] ? new RegExp(process.argv[3]) : null;
const CASES = [
  { name: 'expected-loss: freeze file of #12 (logistic n=1000 d=64, 1000 runs × 300 steps)', lab: 'expected-loss', file: freezeFile() },
  { name: 'expected-loss: least squares n×d = 10⁶ (15625 × 64), 10⁴ runs × 10⁴ steps', lab: 'expected-loss', file: big('ls', 'expected-loss') },
  { name: 'expected-loss: logistic n×d = 10⁶, 10⁴ runs × 10⁴ steps', lab: 'expected-loss', file: big('logistic', 'expected-loss') },
  { name: 'decay: least squares n×d = 10⁶, 10⁴ steps, playing at top speed', lab: 'decay', file: big('ls', 'decay', { runs: 1, schedule: { kind: 'inverse_time', t0: 20 } }), play: true },
  { name: 'sandbox: logistic n×d = 10⁶, two variants × 100 runs × 1000 steps', lab: 'sandbox', file: big('logistic', 'sandbox', { runs: 100, steps: 1000, compare: [{ label: 'SGD' }, { label: 'SGD, η/2', method: { kind: 'sgd', lr: 0.005, batch: 1 } }] }) },
  { name: 'per-sample: 50 samples, 20000 steps, playing at top speed', lab: 'per-sample', hash: 'n=50&spread=5&steps=20000', play: true },
  { name: 'step-size: 10 runs × 20000 steps, playing at top speed', lab: 'step-size', hash: 'runs=10&steps=20000', play: true },
];

async function measure(c) {
  const s = await openPage(`index.html#lab=${c.lab}${c.hash ? `&${c.hash}` : ''}`);
  const { page } = s;
  await page.waitForSelector('.lab-page');
  // Let the defaults finish, as a user would.
  await page.waitForFunction(() => document.querySelector('.lab-page')?.dataset.progress === '1', null, { timeout: 60000 });
  await startGaps(page);
  const t0 = Date.now();
  let opened = 0;
  if (c.file) {
    await importScenario(page, 'case.json', c.file);
    await page.waitForFunction(() => /Opened|could not/.test(`${document.querySelector('.share-note')?.textContent} ${document.querySelector('.lab-message')?.textContent}`), null, { timeout: LIMIT_S * 1000, polling: 'raf' });
    opened = Date.now() - t0;
  }
  if (c.play) {
    await page.evaluate(() => { const r = document.getElementById('speed'); r.value = r.max; r.dispatchEvent(new Event('input')); });
    await page.click('.player-buttons button');
  }
  await page.waitForTimeout(1000);
  const open = await readGaps(page);
  await startGaps(page);
  await page.waitForTimeout(SECONDS * 1000);
  const then = await readGaps(page);
  const info = await page.evaluate(() => {
    const r = document.querySelector('.lab-page').dataset;
    return { t: r.t, progress: Number(r.progress).toFixed(4), status: document.querySelector('.player .status')?.textContent, warn: document.querySelector('.lab-warnings')?.textContent, msg: document.querySelector('.lab-message')?.textContent };
  });
  const problems = s.problems();
  await s.close();
  return { open, then, info, problems, opened };
}

/** A page whose main thread is stuck does not answer: give up after LIMIT_S. */
const LIMIT_S = Number(process.env.FRAME_GAPS_LIMIT_S ?? 90);
function limited(promise) {
  return Promise.race([promise, new Promise((_, fail) => setTimeout(() => fail(new Error(`no answer within ${LIMIT_S} s`)), LIMIT_S * 1000))]);
}

for (const c of CASES.filter((x) => !ONLY || ONLY.test(x.name))) {
  let r;
  try {
    r = await limited(measure(c));
  } catch (err) {
    console.log(`${c.name}\n  longest frame gap: over ${LIMIT_S} s (${err.message}: the main thread is blocked)`);
    continue;
  }
  console.log(`${c.name}\n  ${c.file ? `opened in ${r.opened} ms; ` : ''}longest frame gap: open ${r.open.max.toFixed(0)} ms, then ${r.then.max.toFixed(0)} ms over ${r.then.seconds.toFixed(1)} s (${r.then.frames} frames); t=${r.info.t} progress=${r.info.progress}; status "${r.info.status}"${r.info.msg ? `; message "${r.info.msg}"` : ''}${r.problems.length ? `; PROBLEMS ${r.problems.join(' | ')}` : ''}`);
}
await closeAll?.();
process.exit(0);
