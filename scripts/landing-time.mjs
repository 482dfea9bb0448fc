// Time to a usable landing page, with and without its pictures (not a test):
//   node scripts/landing-time.mjs [RUNS]
// Opens dist/'s landing page RUNS times (default 7) in headless Chromium, unthrottled
// and with the CPU throttled 4× (a student's phone), and prints the median time from
// navigation to `document.body.dataset.ready` (the list is there and answers) and to
// every picture decoded; "without pictures" is a copy of dist/ whose landing page
// leaves them out (the page before them). The two alternate, run by run.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { browser, serve, DIST } from '../tests/browser/harness.mjs';

const RUNS = Number(process.argv[2] ?? 7);
const bare = mkdtempSync(path.join(tmpdir(), 'sgd-lab-no-pictures-'));
cpSync(DIST, bare, { recursive: true });
const landing = path.join(bare, 'www', 'landing.js');
const code = readFileSync(landing, 'utf8');
const patched = code.replace(/const src = [^;]*;/, 'const src = null;');
if (patched === code) throw new Error('www/landing.js no longer has the line that picks a picture');
writeFileSync(landing, patched);
const urls = { true: (await serve()).url, false: (await serve({ root: bare })).url };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function once({ pictures, throttle }) {
  const context = await (await browser()).newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  if (throttle > 1) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  }
  await page.addInitScript(() => {
    new MutationObserver((_, obs) => {
      if (document.body?.dataset.ready === '1' && !window.__readyAt) {
        window.__readyAt = performance.now();
        obs.disconnect();
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
  });
  await page.goto(urls[pictures]);
  await page.waitForFunction(() => window.__readyAt > 0);
  const t = await page.evaluate(async () => {
    const imgs = [...document.querySelectorAll('.lab-thumb')];
    await Promise.all(imgs.map((img) => img.decode().catch(() => {})));
    return { ready: window.__readyAt, pictures: imgs.length > 0 ? performance.now() : null, n: imgs.filter((i) => i.naturalWidth > 0).length };
  });
  await context.close();
  return t;
}

for (const throttle of [1, 4]) {
  const runs = { false: [], true: [] };
  for (let k = 0; k < RUNS; k += 1) {
    for (const pictures of [false, true]) runs[pictures].push(await once({ pictures, throttle }));
  }
  for (const pictures of [false, true]) {
    const r = runs[pictures];
    const ready = median(r.map((x) => x.ready));
    console.log(`CPU ×${throttle}, ${pictures ? 'with pictures   ' : 'without pictures'}: data-ready ${ready.toFixed(0)} ms`
      + (pictures ? `, all ${r[0].n} pictures decoded ${median(r.map((x) => x.pictures)).toFixed(0)} ms` : '')
      + ` (median of ${RUNS})`);
  }
}
rmSync(bare, { recursive: true, force: true });
process.exit(0);
