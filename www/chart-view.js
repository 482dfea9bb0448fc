// The charts of a lab page: one canvas per chart of the core, sized to its box in
// device pixels (a ResizeObserver), drawn by the core (with the heat map blitted
// under the charts that have one), and the pointer: a click or a drag in canvas
// pixels goes to the core, which maps it through the chart's last frame.
//
// While the animation plays, the backing store is the box in CSS pixels ×
// min(devicePixelRatio, PLAYING_SCALE): on a DPR-2 screen a quarter of the pixels to
// rasterise (#8: without a GPU, painting was most of a frame). At rest it is the box in
// device pixels again. Text and line sizes follow canvas.width / CSS width, so only
// the sharpness changes; pointer positions are converted at the current scale.
//
// Test hook: on each figure.chart, data-frame (the plot area in canvas pixels and its
// data ranges, as JSON).

import { h, message } from './dom.js';

/** Canvas pixels per CSS pixel while playing (at most; a DPR-1 screen keeps 1). */
const PLAYING_SCALE = 1;

/** One chart: `info` is the core's `{ id, title, heatmap, click }`. */
export class ChartView {
  constructor(info, { describeId, embed }) {
    this.info = info;
    this.canvas = h('canvas', {
      id: `chart-${info.id}`,
      class: info.click ? 'clickable' : null,
      role: 'img',
      'aria-label': info.title,
      'aria-describedby': describeId,
      width: 300,
      height: 200,
    });
    this.error = h('p', { class: 'chart-error', role: 'alert', hidden: true });
    this.figure = h('figure', { id: `figure-${info.id}`, class: 'chart', dataset: { chart: info.id, heatmap: info.heatmap ? '1' : '0' } },
      h('div', { class: 'canvas-box' }, this.canvas),
      this.error,
      h('figcaption', {}, info.title, info.click && !embed ? h('span', { class: 'click-help' }, ` — ${info.click}`) : null));
    this.cssWidth = 0;
    this.cssHeight = 0;
    this.full = { w: 0, h: 0 }; // the box in device pixels
    this.low = false; // drawn at the playing scale
    this.drawn = null; // what the canvas shows: its inputs, as a key
    this.heat = null;
    this.heatKey = null;
    this.heatFrame = null;
    this.spare = null; // the other scale's heat map, key and frame
  }

  /** Sets the backing store for play (`low`) or rest from the box's size; returns
   *  true when it changed (the canvas is then blank: draw it before the next paint). */
  fit(low) {
    this.low = low;
    const { canvas, full } = this;
    if (full.w === 0) return false;
    const k = Math.min(window.devicePixelRatio || 1, PLAYING_SCALE);
    const w = low ? Math.max(1, Math.min(full.w, Math.round(this.cssWidth * k))) : full.w;
    const hgt = low ? Math.max(1, Math.min(full.h, Math.round(this.cssHeight * k))) : full.h;
    if (canvas.width === w && canvas.height === hgt) return false;
    canvas.width = w;
    canvas.height = hgt;
    this.drawn = null;
    return true;
  }

  /** Text height in canvas pixels: 12–15 CSS pixels by the chart's width, 24–40 in
   *  presenter mode (projector size). */
  textPx() {
    const css = this.cssWidth || this.canvas.clientWidth || 400;
    const ratio = this.canvas.width / css;
    const present = document.documentElement.dataset.present === '1';
    const px = present ? Math.min(40, Math.max(24, css / 40)) : Math.min(15, Math.max(12, css / 34));
    if (this.figure.dataset.textPx !== String(px)) this.figure.dataset.textPx = String(px); // (for tests)
    return px * (Number.isFinite(ratio) && ratio > 0 ? ratio : 1);
  }

  /** Draws the chart with `handle`'s state (`version` names the scenario, for the
   *  heat map's cache; `s` is the status: step t and progress). Skipped when the
   *  canvas already shows the same inputs at the same size. Returns true when the
   *  chart must be drawn again (its box moved since the heat map was made). */
  draw(handle, version, s) {
    const { canvas, info } = this;
    if (canvas.width < 2 || canvas.height < 2 || this.cssWidth === 0) return false;
    const textPx = this.textPx();
    const drawn = `${version}|${s.t}|${s.progress}|${canvas.width}x${canvas.height}@${textPx}`;
    if (this.drawn === drawn) return false;
    this.drawn = null;
    let again = false;
    try {
      if (info.heatmap) {
        const key = `${canvas.width}x${canvas.height}@${textPx}#${version}`;
        if (this.heatKey !== key) {
          // Two kept: the playing scale's and the resting scale's.
          const spare = this.spare;
          this.spare = this.heatKey === null ? null : { heat: this.heat, heatKey: this.heatKey, heatFrame: this.heatFrame };
          if (spare?.heatKey === key) Object.assign(this, spare);
          else {
            this.heat = handle.heatmap(info.id, canvas.width, canvas.height, textPx) ?? null;
            this.heatKey = key;
            this.heatFrame = null;
          }
        }
        const g = canvas.getContext('2d');
        if (this.heat) g.putImageData(this.heat.image, this.heat.left, this.heat.top);
        else {
          g.fillStyle = '#ffffff';
          g.fillRect(0, 0, canvas.width, canvas.height);
        }
      }
      handle.draw(info.id, canvas, textPx);
      const frame = JSON.stringify(handle.frame(info.id));
      if (this.figure.dataset.frame !== frame) this.figure.dataset.frame = frame; // (for tests)
      if (info.heatmap) {
        // If the chart's box moved since the heat map was made, make it again.
        if (this.heatFrame === null) this.heatFrame = frame;
        else if (frame !== this.heatFrame) {
          this.heatKey = null;
          again = true;
        }
      }
      if (!again) this.drawn = drawn;
      if (!this.error.hidden) this.error.hidden = true;
      if (this.readout?.at) this.readout.update(); // the values under the pointer follow the run
    } catch (err) {
      this.error.textContent = `This chart could not be drawn: ${message(err)}`;
      this.error.hidden = false;
    }
    return again;
  }

  /** The chart drawn afresh on a new canvas `scale` times its box in CSS pixels
   *  (a PNG for slides: text and lines scale with it); the view's own canvas is drawn
   *  again afterwards by `redraw`. */
  drawScaled(handle, scale) {
    const css = { w: this.cssWidth || this.canvas.clientWidth, h: this.cssHeight || this.canvas.clientHeight };
    const canvas = h('canvas', { width: Math.max(2, Math.round(css.w * scale)), height: Math.max(2, Math.round(css.h * scale)) });
    const textPx = (this.textPx() / (this.canvas.width / (css.w || 1))) * scale;
    const g = canvas.getContext('2d');
    g.fillStyle = '#ffffff';
    g.fillRect(0, 0, canvas.width, canvas.height);
    if (this.info.heatmap) {
      const heat = handle.heatmap(this.info.id, canvas.width, canvas.height, textPx);
      if (heat) g.putImageData(heat.image, heat.left, heat.top);
    }
    handle.draw(this.info.id, canvas, textPx);
    this.drawn = null; // the handle's frame is now the big canvas's: draw this one again
    return canvas;
  }

  /** Canvas pixel of a pointer event. */
  pixelOf(e) {
    const r = this.canvas.getBoundingClientRect();
    return {
      x: ((e.clientX - r.left) * this.canvas.width) / (r.width || 1),
      y: ((e.clientY - r.top) * this.canvas.height) / (r.height || 1),
    };
  }

  /** Clicks and drags. `on.drag(from, to)` and `on.click(at)` (canvas pixels) return
   *  whether the scenario changed; they may throw the core's message, which goes to
   *  `on.error`. `on.changed(kind)` follows a change: 'push' (a click, a drag's first
   *  move) or 'replace' (a drag's later moves). */
  bindPointer(on) {
    let g = null;
    const c = this.canvas;
    const attempt = (f) => {
      try {
        return f();
      } catch (err) {
        on.error(message(err));
        return false;
      }
    };
    c.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      try {
        c.setPointerCapture(e.pointerId);
      } catch { /* not capturable: fine */ }
      const p = this.pixelOf(e);
      g = { id: e.pointerId, start: p, last: p, moved: false, grabbed: false, refused: false };
      e.preventDefault();
    });
    c.addEventListener('pointermove', (e) => {
      if (!g || e.pointerId !== g.id) return;
      const p = this.pixelOf(e);
      const ratio = c.width / (this.cssWidth || 1);
      if (!g.moved && Math.hypot(p.x - g.start.x, p.y - g.start.y) < 4 * ratio) return;
      g.moved = true;
      if (g.refused) return;
      if (attempt(() => on.drag(g.last, p))) {
        g.last = p;
        on.changed(g.grabbed ? 'replace' : 'push');
        g.grabbed = true;
      } else if (!g.grabbed) {
        g.refused = true;
      }
    });
    const end = (e) => {
      if (!g || e.pointerId !== g.id) return;
      const gesture = g;
      g = null;
      if (e.type !== 'pointerup' || gesture.moved) return;
      if (attempt(() => on.click(gesture.start))) on.changed('push');
    };
    c.addEventListener('pointerup', end);
    c.addEventListener('pointercancel', end);
  }
}

/** Keeps every view's canvas at its box's size (in device pixels at rest, see
 *  ChartView.fit); calls `onResize()`
 *  (at once, before the browser paints the cleared canvases) when one changed.
 *  Returns the observer (disconnect it when the page goes). */
export function observeSizes(views, onResize) {
  const resizer = new ResizeObserver((entries) => {
    let changed = false;
    for (const e of entries) {
      const v = views.find((x) => x.canvas === e.target);
      if (!v) continue;
      const css = e.contentRect;
      const dpr = window.devicePixelRatio || 1;
      // The exact device-pixel box where the browser gives one that agrees with the
      // ratio (emulated ratios, as in headless tests, report CSS pixels there).
      const box = e.devicePixelContentBoxSize?.[0];
      const pick = (exact, cssSize) => {
        const est = Math.round(cssSize * dpr);
        return Math.max(1, exact !== undefined && Math.abs(exact - est) <= 1 ? exact : est);
      };
      v.full = { w: pick(box?.inlineSize, css.width), h: pick(box?.blockSize, css.height) };
      v.cssWidth = css.width;
      v.cssHeight = css.height;
      if (v.fit(v.low)) changed = true;
    }
    if (changed) onResize();
  });
  for (const v of views) {
    try {
      resizer.observe(v.canvas, { box: 'device-pixel-content-box' });
    } catch {
      resizer.observe(v.canvas);
    }
  }
  return resizer;
}

/** Narrowest chart (CSS pixels) shown side by side with others in the embed. */
const MIN_CHART_PX = 280;

/**
 * The embed's chart switcher: when the charts' row is too narrow for every chart at
 * MIN_CHART_PX, one chart shows at a time and a labelled tab list (arrow keys, Home,
 * End; roving tabindex) chooses it; otherwise the tabs are hidden and every chart
 * shows. Returns `{ element, disconnect() }`.
 */
export function chartSwitcher(views, row) {
  let selected = 0;
  let tabbed = false;
  const tabs = views.map((v, k) => {
    return h('button', {
      type: 'button',
      role: 'tab',
      id: `tab-${v.info.id}`,
      class: 'chart-tab',
      'aria-controls': v.figure.id,
      title: v.info.title,
      dataset: { chart: v.info.id },
      onclick: () => select(k, false),
    }, v.info.title);
  });
  const element = h('div', { class: 'chart-tabs', role: 'tablist', 'aria-label': 'Charts', hidden: true }, tabs);
  element.addEventListener('keydown', (e) => {
    const last = views.length - 1;
    const to = { ArrowRight: selected + 1, ArrowLeft: selected - 1, Home: 0, End: last }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    e.stopPropagation();
    select((to + views.length) % views.length, true);
  });

  function show() {
    views.forEach((v, k) => {
      const on = !tabbed || k === selected;
      v.figure.hidden = !on;
      tabs[k].setAttribute('aria-selected', String(k === selected));
      tabs[k].tabIndex = k === selected ? 0 : -1;
      if (tabbed) {
        v.figure.setAttribute('role', 'tabpanel');
        v.figure.setAttribute('aria-labelledby', tabs[k].id);
      } else {
        v.figure.removeAttribute('role');
        v.figure.removeAttribute('aria-labelledby');
      }
    });
    element.hidden = !tabbed;
  }

  function select(k, focus) {
    selected = k;
    show();
    if (focus) tabs[k].focus();
  }

  const observer = new ResizeObserver(() => {
    const width = row.clientWidth;
    if (width === 0) return;
    const gap = parseFloat(getComputedStyle(row).columnGap) || 0;
    const fit = Math.max(1, Math.floor((width + gap) / (MIN_CHART_PX + gap)));
    const want = views.length > fit;
    if (want !== tabbed) {
      tabbed = want;
      show();
    }
  });
  observer.observe(row);
  show();
  return { element, disconnect: () => observer.disconnect() };
}
