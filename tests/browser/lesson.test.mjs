// Lesson links (#11, www/lesson.js), in Chromium: `hide=` hides each part of the page
// and single knobs on every ready lab, in index.html and embed.html; the keys survive
// a knob change (they are written back into the URL); `autoplay=1` and `speed=` set
// the player; names and values the page cannot use are named, and the note goes when
// the URL no longer has them; the "For a lesson" panel writes a link and an <iframe>
// snippet that open the same state with the chosen parts hidden.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openPage, assertClean, coreCatalogue, waitForLab, labState, canvasStats, downloadOf, REPO } from './harness.mjs';

const CLI = process.env.SGD_LAB_CLI
  ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(REPO, 'target'), 'debug', 'sgd-lab');

const READY = (await coreCatalogue()).filter((l) => l.ready).map((l) => l.id);
const DESKTOP = { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 };
const PARTS = {
  controls: '.lab-page .player',
  knobs: '.lab-side',
  caption: '.lab-caption',
  export: '.lab-export',
  header: '.site-header',
};

/** Whether `selector`'s first match takes room on the page. */
const shown = (page, selector) => page.locator(selector).first().evaluate((el) => el.getClientRects().length > 0);
const hash = async (page) => new URLSearchParams((await page.evaluate(() => location.hash)).slice(1));

for (const id of READY) {
  test(`${id}: hide= hides every part and a single knob, and survives a knob change`, async () => {
    let s = await openPage(`#lab=${id}&hide=${Object.keys(PARTS).join(',')},theory`, DESKTOP);
    await waitForLab(s.page);
    assertClean(s);
    assert.equal((await labState(s.page)).theory, '0', 'hide=theory: the core draws no theory overlay');
    for (const [part, selector] of Object.entries(PARTS)) {
      assert.equal(await shown(s.page, selector), false, `${part} (${selector}) is hidden`);
    }
    assert.equal(await shown(s.page, '#lab-title'), false, 'the lab title goes with the header');
    assert.equal(await shown(s.page, 'figure.chart canvas'), true, 'the charts stay');
    const full = await s.page.locator('.charts').evaluate((el) => el.getBoundingClientRect().width);
    assert.ok(full > 1000, `without the settings panel the charts take the width (${full} px)`);
    assert.equal((await labState(s.page)).warnings, '0');
    await s.close();

    // One knob of the settings panel (not the main knob beside the player).
    s = await openPage(`#lab=${id}`, DESKTOP);
    await waitForLab(s.page);
    const keys = await s.page.locator('.lab-side .knob[data-key]').evaluateAll((rows) => rows.map((r) => r.dataset.key));
    assert.ok(keys.length >= 2, `${id} has knobs in its panel: ${keys}`);
    const [hidden, other] = [keys[0], keys.find((k) => k !== keys[0] && k !== 'variants')];
    await s.close();
    s = await openPage(`#lab=${id}&hide=${hidden}`, DESKTOP);
    const { page } = s;
    await waitForLab(page);
    assertClean(s);
    assert.equal(await shown(page, `.knob[data-key="${hidden}"]`), false, `knob ${hidden} hidden`);
    assert.equal(await shown(page, `.knob[data-key="${other}"]`), true, `knob ${other} shown`);
    for (const selector of Object.values(PARTS)) assert.equal(await shown(page, selector), true, `${selector} shown`);
    // Change another knob (the seed when it has one: every lab accepts a new seed).
    const key = keys.includes('seed') && hidden !== 'seed' ? 'seed' : other;
    const field = page.locator(`#knob-${key}`);
    if ((await field.getAttribute('type')) === 'checkbox') await field.click();
    else {
      const v = await field.inputValue();
      await field.fill(key === 'seed' ? String(Number(v) + 1) : v === '' ? '1' : v);
      await field.press('Enter');
    }
    await page.waitForFunction(() => document.querySelector('.lab-page').dataset.progress === '1');
    const after = await hash(page);
    assert.equal(after.get('hide'), hidden, `hide= is still in the URL after changing ${key}: ${after}`);
    assert.equal(await shown(page, `.knob[data-key="${hidden}"]`), false, 'and the knob is still hidden');
    await s.close();
  });
}

test('hide=theory: expected-loss draws its mean without the bound, floor and exact curves; the figure is sgd-lab lab --no-theory\'s', async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run cargo build (scripts/test-browser.sh does)`);
  const sums = {};
  for (const hide of ['', '&hide=theory']) {
    const s = await openPage(`#lab=expected-loss&runs=40&steps=200${hide}`, DESKTOP);
    const { page } = s;
    await waitForLab(page);
    await page.waitForFunction(() => document.querySelector('.lab-page').dataset.progress === '1');
    await page.locator('.btn-step').click();
    await page.waitForFunction(() => Number(document.querySelector('.lab-page').dataset.t) >= 1);
    await page.waitForTimeout(200);
    sums[hide] = await canvasStats(page, '#chart-gap');
    assert.equal((await labState(page)).theory, hide ? '0' : '1');
    if (hide) {
      // The theory's labels are not read under the pointer either.
      await page.locator('#chart-gap').focus();
      await page.waitForFunction(() => document.querySelector('#figure-gap').dataset.readout);
      const r = JSON.parse(await page.locator('#figure-gap').getAttribute('data-readout'));
      assert.ok(r.rows.every((row) => !/bound|floor|exact|geometric/.test(row.label)), JSON.stringify(r.rows));
      // The slide figure is what the command line draws without the theory.
      const scenario = (await downloadOf(page, page.locator('.btn-json'))).text;
      await page.locator('#figure-format').selectOption('svg');
      const svg = (await downloadOf(page, page.locator('.btn-figure'))).text;
      const dir = mkdtempSync(path.join(tmpdir(), 'sgd-lab-theory-'));
      try {
        writeFileSync(path.join(dir, 's.json'), scenario);
        const t = (await labState(page)).t;
        execFileSync(CLI, ['lab', path.join(dir, 's.json'), '--step', String(t), '--no-theory', '--out', path.join(dir, 'o')], { stdio: 'pipe' });
        assert.equal(svg, readFileSync(path.join(dir, 'o', 'gap.svg'), 'utf8'));
        assert.doesNotMatch(svg, /bound = floor/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    assertClean(s);
    await s.close();
  }
  assert.notEqual(sums[''].sum, sums['&hide=theory'].sum, 'the chart differs without its theory');
  assert.ok(sums['&hide=theory'].nonWhite < sums[''].nonWhite, `less drawn without the theory: ${sums[''].nonWhite} → ${sums['&hide=theory'].nonWhite}`);
});

test('embed.html: hide=controls,header leaves the charts alone, and the full-page link keeps the lesson', async () => {
  const s = await openPage('embed.html#lab=per-sample&hide=controls,header', { viewport: { width: 640, height: 420 } });
  await waitForLab(s.page);
  assertClean(s);
  assert.equal(await shown(s.page, '.lab-page .player'), false);
  assert.equal(await shown(s.page, '#lab-title'), false);
  assert.equal(await shown(s.page, 'figure.chart canvas'), true);
  await s.close();
});

test('autoplay=1 plays at once and speed= sets the slider; bad values are named and forgotten with the URL', async () => {
  const s = await openPage('#lab=decay&autoplay=1&speed=5', DESKTOP);
  const { page } = s;
  await page.waitForFunction(() => Number(document.querySelector('.lab-page')?.dataset.t) > 3, null, { timeout: 20000 });
  assert.equal((await labState(page)).playing, '1');
  assert.equal(await page.locator('#speed').inputValue(), '5');
  assertClean(s);

  await page.evaluate(() => { location.hash = '#lab=decay&hide=knobs,nonsense,lr&autoplay=maybe&speed=99'; });
  await page.waitForFunction(() => document.querySelector('.lab-warnings')?.textContent.includes('nonsense'));
  const text = await page.locator('.lab-warnings').innerText();
  assert.match(text, /hide: "nonsense" is not a part of the page or a setting of this lab; allowed: controls, knobs, caption, export, header/);
  assert.match(text, /autoplay must be 1 \(play when the page opens\) or 0, got "maybe"/);
  assert.match(text, /speed must be a whole number from -20 to 30 \(the Speed slider's position\), got "99"/);
  assert.doesNotMatch(text, /"lr"/, 'lr is a knob of decay: a name hide= may use');
  assert.equal(await shown(page, '.lab-side'), false, 'the valid names still apply');

  await page.evaluate(() => { location.hash = '#lab=decay&hide=caption'; });
  await page.waitForFunction(() => document.querySelector('.lab-page').dataset.warnings === '0');
  assert.equal(await shown(page, '.lab-side'), true, 'knobs back');
  assert.equal(await shown(page, '.lab-caption'), false, 'caption hidden');
  await s.close();
});

for (const id of ['per-sample', 'momentum']) {
  test(`${id}: the lesson panel writes a link and an embed snippet that open this state with the chosen parts hidden`, async () => {
    const s = await openPage(`#lab=${id}`, DESKTOP);
    const { page } = s;
    await waitForLab(page);
    // A state of our own first: a new seed.
    const seed = page.locator('#knob-seed');
    await seed.fill(String(Number(await seed.inputValue()) + 7));
    await seed.press('Enter');
    await waitForLab(page);
    const query = (await labState(page)).query;

    await page.locator('.lesson summary').click();
    const knob = await page.locator('.lesson input[data-hide]').evaluateAll((boxes) => boxes.map((b) => b.dataset.hide)
      .find((k) => !['controls', 'knobs', 'caption', 'export', 'header', 'theory', 'seed'].includes(k)));
    await page.locator('#lesson-hide-export').check();
    await page.locator(`#lesson-hide-${knob}`).check();
    await page.locator('#lesson-autoplay').check();
    const link = await page.locator('#lesson-link').inputValue();
    const snippet = await page.locator('#lesson-embed').inputValue();
    const params = new URLSearchParams(new URL(link).hash.slice(1));
    assert.equal(params.get('hide'), `export,${knob}`);
    assert.equal(params.get('autoplay'), '1');
    assert.match(snippet, /^<iframe src="[^"]*\/embed\.html#lab=/);
    assert.ok(snippet.includes('hide=export%2C'), snippet);
    await s.close();

    const t = await openPage(link, DESKTOP);
    await t.page.waitForFunction(() => Number(document.querySelector('.lab-page')?.dataset.t) > 0, null, { timeout: 20000 });
    const state = await labState(t.page);
    assert.equal(state.query, query, 'the same state');
    assert.equal(state.playing, '1', 'playing');
    assert.equal(await shown(t.page, '.lab-export'), false);
    assert.equal(await shown(t.page, `.knob[data-key="${knob}"]`), false);
    assert.equal(await shown(t.page, '.lab-caption'), true);
    assertClean(t);
    await t.close();
  });
}

test('present=1: the charts alone at projector size, a one-line subtitle, driven by the keyboard; Esc leaves', async () => {
  const s = await openPage('#lab=step-size&present=1', { viewport: { width: 1920, height: 1080 } });
  const { page } = s;
  await waitForLab(page);
  assertClean(s);
  for (const selector of ['.site-header', '.lab-side', '.lab-caption', '.lab-export', '#lab-title']) {
    assert.equal(await shown(page, selector), false, `${selector} hidden`);
  }
  const figures = page.locator('figure.chart');
  const n = await figures.count();
  assert.ok(n >= 2, `${n} charts`);
  for (let i = 0; i < n; i += 1) {
    const px = Number(await figures.nth(i).getAttribute('data-text-px'));
    assert.ok(px >= 24, `chart ${i + 1}: text ${px} CSS px`);
  }
  const widths = await figures.evaluateAll((fs) => fs.map((f) => f.getBoundingClientRect().width));
  assert.ok(widths.reduce((a, b) => a + b, 0) > 1700, `the charts fill the width: ${widths}`);
  const subtitle = await page.locator('.present-subtitle').innerText();
  const caption = await page.locator('.caption-text').evaluate((el) => el.textContent);
  assert.ok(subtitle.length > 10 && caption.startsWith(subtitle), `subtitle "${subtitle}" opens the caption`);
  await page.screenshot({ path: 'artifacts/screenshots/present-step-size-1920.png' });

  // Space plays; 2 shows the second chart alone, 0 every chart.
  await page.locator('body').press('Space');
  await page.waitForFunction(() => document.querySelector('.lab-page').dataset.playing === '1');
  await page.keyboard.press('2');
  assert.equal(await shown(page, 'figure.chart:nth-child(1)'), false);
  assert.equal(await shown(page, 'figure.chart:nth-child(2)'), true);
  const alone = await figures.nth(1).evaluate((f) => f.getBoundingClientRect().width);
  assert.ok(alone > 1700, `one chart takes the width: ${alone}`);
  await page.keyboard.press('0');
  assert.equal(await shown(page, 'figure.chart:nth-child(1)'), true);
  await page.keyboard.press('Space');
  // + and − move the speed; → moves the main knob (a new state in the URL).
  const speed = Number(await page.locator('#speed').inputValue());
  await page.keyboard.press('+');
  assert.equal(Number(await page.locator('#speed').inputValue()), speed + 1);
  await page.keyboard.press('-');
  await page.keyboard.press('-');
  assert.equal(Number(await page.locator('#speed').inputValue()), speed - 1);
  const mainKey = await page.locator('.knobs-main .knob').getAttribute('data-key');
  const before = (await hash(page)).get(mainKey);
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(([k, v]) => new URLSearchParams(location.hash.slice(1)).get(k) !== v, [mainKey, before]);
  const after = (await hash(page)).get(mainKey);
  assert.ok(Number(after) > Number(before), `${mainKey}: ${before} → ${after}`);
  assert.equal((await hash(page)).get('present'), '1', 'still presenting');
  // Esc: the usual page, and the URL says so.
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !new URLSearchParams(location.hash.slice(1)).has('present'));
  assert.equal(await shown(page, '.lab-side'), true);
  await page.waitForFunction(() => Number(document.querySelector('figure.chart').dataset.textPx) <= 15);
  assertClean(s);
  await s.close();
});
