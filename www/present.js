// Presenter mode (#11): `present=1` in a lab's URL shows its charts alone across the
// window, with text at projector size (at least 24 CSS pixels: ChartView.textPx) and
// the caption as a one-line subtitle, driven from the keyboard:
//   Space play / pause · S step · R reset (the player's own keys)
//   ← / → the main knob one notch down / up (5 % of its slider)
//   + / − faster / slower · 1–9 one chart alone · 0 every chart · Esc leaves
// The page's parts are hidden by <html data-present> (style.css); this module keeps
// the keys and which chart is shown.

/** How far ← / → move the main knob's slider, in slider positions (of 1000). */
export const KNOB_NOTCH = 50;

/** Sets `<html data-present>` and the chart shown alone (0: all). */
export function applyPresent(root, on, only = 0) {
  if (on) document.documentElement.dataset.present = '1';
  else delete document.documentElement.dataset.present;
  const figures = [...root.querySelectorAll('.charts > figure.chart')];
  const alone = on && only >= 1 && only <= figures.length ? only : 0;
  figures.forEach((f, i) => f.classList.toggle('present-off', alone !== 0 && i + 1 !== alone));
  const charts = root.querySelector('.charts');
  if (charts) charts.dataset.present = String(alone === 0 ? figures.length : 1);
  return alone;
}

/** Moves a range input by `delta` positions and tells its listeners (as a drag and
 *  its release would). Returns whether it moved. */
function nudge(input, delta) {
  const before = input.value;
  input.value = String(Number(input.value) + delta);
  if (input.value === before) return false;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
  return true;
}

/**
 * The presenter's keys on `target` (the document), in the capture phase so that they
 * come before the player's (→ is the knob here, not a step). `page`: { root, on(),
 * setOnly(n), exit() }. Returns a remover.
 */
export function presenterKeys(target, page) {
  const onKey = (e) => {
    if (!page.on() || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const el = e.target;
    if (el instanceof Element && el.matches('input:not([type=range]):not([type=checkbox]), textarea, select')) return;
    const speed = page.root.querySelector('#speed');
    const mainSlider = page.root.querySelector('.knobs-main input[type=range]');
    const mainBox = page.root.querySelector('.knobs-main input[type=checkbox]');
    let done = true;
    if (e.key === 'Escape') page.exit();
    else if (/^[0-9]$/.test(e.key)) page.setOnly(Number(e.key));
    else if ((e.key === '+' || e.key === '=') && speed) nudge(speed, 1);
    else if ((e.key === '-' || e.key === '_') && speed) nudge(speed, -1);
    else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      const dir = e.key === 'ArrowRight' ? 1 : -1;
      if (mainSlider) nudge(mainSlider, dir * KNOB_NOTCH);
      else if (mainBox) mainBox.click();
    } else done = false;
    if (done) {
      e.preventDefault();
      e.stopPropagation();
    }
  };
  target.addEventListener('keydown', onKey, true);
  return () => target.removeEventListener('keydown', onKey, true);
}
