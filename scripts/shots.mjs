// Screenshots of a lab for looking at (not a test): node scripts/shots.mjs LAB [HASH-EXTRA]
// Saves artifacts/screenshots/shot-<lab>-<size>-<when>.png at 1280×720, 390×844 and
// the 640×420 embed, at the default state, a few seconds into play, and at the end.
// node scripts/shots.mjs landing: the landing page at the three sizes (the window,
// and the whole page as shot-landing-<size>-full.png), pictures loaded.
import { openPage, waitForLab, labState } from '../tests/browser/harness.mjs';

const lab = process.argv[2] || 'sandbox';
const extra = process.argv[3] ? `&${process.argv[3]}` : '';
const sizes = [
  ['desktop', { width: 1280, height: 720 }, 'index.html'],
  ['phone', { width: 390, height: 844 }, 'index.html'],
  ['embed', { width: 640, height: 420 }, 'embed.html'],
];
if (lab === 'landing') {
  for (const [name, viewport, file] of sizes) {
    const s = await openPage(file, { viewport });
    await s.page.waitForFunction(() => [...document.images].every((img) => img.complete));
    await s.screenshot(`shot-landing-${name}`);
    await s.screenshot(`shot-landing-${name}-full`, { fullPage: true });
    console.log(name, s.problems());
    await s.close();
  }
  process.exit(0);
}
for (const [name, viewport, file] of sizes) {
  const s = await openPage(`${file}#lab=${lab}${extra}`, { viewport });
  await waitForLab(s.page);
  await s.page.waitForTimeout(600);
  await s.screenshot(`shot-${lab}-${name}-default`);
  await s.page.keyboard.press('Space');
  await s.page.waitForTimeout(4000);
  await s.screenshot(`shot-${lab}-${name}-mid`);
  await s.page.waitForFunction(() => document.querySelector('.lab-page')?.dataset.done === '1', null, { timeout: 60000 }).catch(() => {});
  await s.page.waitForTimeout(300);
  await s.screenshot(`shot-${lab}-${name}-end`);
  console.log(name, JSON.stringify(await labState(s.page)), s.problems());
  await s.close();
}
process.exit(0);
