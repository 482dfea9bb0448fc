// Hover readouts (#11): the exact values under the pointer on a chart, drawn in an
// overlay (a cursor line, a dot on each series, a box of values) without redrawing
// the chart. The core lays the chart out again on its null backend and reports what
// lies under the pointer (LabHandle.readout, src/chart/probe.rs): the pointer's data
// coordinates and each named series' point nearest to it, the very numbers drawn.
// The keyboard reaches it too: a focused chart shows its cursor, ← → move it along x
// (Shift: ten times as far), ↑ ↓ along y, Home / End to the ends, Esc hides it; what
// the cursor reads is announced in a polite live region.
//
// Test hook: figure.chart[data-readout] is the last readout (JSON, data units).

import { h } from './dom.js';

const SUP = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

/** A number as the readout writes it: 4 significant digits, powers of ten outside
 *  [0.001, 10 000), whole numbers whole. */
export function formatValue(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (Number.isInteger(v) && Math.abs(v) < 1e7) return String(v).replace('-', '−');
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e4)) {
    const [m, e] = v.toExponential(3).split('e');
    const mant = m.replace(/\.?0+$/, '').replace('-', '−');
    const exp = String(Number(e)).split('').map((c) => SUP[c]).join('');
    return `${mant} × 10${exp}`;
  }
  return String(Number(v.toPrecision(4))).replace('-', '−');
}

function rowText(r, head) {
  if (r.point) return `${r.label}: (${formatValue(r.x)}, ${formatValue(r.y)})`;
  const value = r.y !== null && r.y !== undefined ? formatValue(r.y) : `${formatValue(r.lo)} to ${formatValue(r.hi)}`;
  // A point more than a pixel away from the header's x says where it is.
  const apart = r.px && head.px ? Math.abs(r.px[0] - head.px[0]) > 1.5 : r.x !== head.x;
  return `${r.label}: ${value}${apart ? ` (at ${formatValue(r.x)})` : ''}`;
}

/** The readout in words: its header and one line per row. */
export function readoutLines(r) {
  const onX = r.rows.filter((row) => !row.point);
  const first = onX.length ? onX[0] : { x: r.x, px: null };
  const head = onX.length
    ? `${r.x_label} = ${formatValue(first.x)}`
    : [`${r.x_label} = ${formatValue(r.x)}`, r.y_label ? `${r.y_label} = ${formatValue(r.y)}` : null].filter(Boolean).join(', ');
  return [head, ...r.rows.map((row) => rowText(row, first))];
}

/** The overlay of one chart view (`view`: canvas, figure, info, textPx()). */
export class Readout {
  constructor(view, { source, announce }) {
    this.view = view;
    this.source = source; // () => the LabHandle, or null
    this.announce = announce; // (text) => void
    this.at = null; // the probe, in CSS pixels of the canvas; null: hidden
    this.keyed = false; // the probe was placed by the keyboard
    this.pending = false;
    this.line = h('div', { class: 'readout-line', hidden: true });
    this.dots = h('div', { class: 'readout-dots' });
    this.box = h('div', { class: 'readout-box', hidden: true });
    this.layer = h('div', { class: 'readout', 'aria-hidden': 'true' }, this.line, this.dots, this.box);
    this.timer = 0;
    const c = view.canvas;
    c.tabIndex = 0;
    c.addEventListener('pointermove', (e) => {
      if (e.pointerType === 'touch' && !e.buttons) return;
      const r = c.getBoundingClientRect();
      this.at = { x: e.clientX - r.left, y: e.clientY - r.top };
      this.keyed = false;
      this.schedule();
    });
    c.addEventListener('pointerleave', () => this.hide());
    c.addEventListener('pointercancel', () => this.hide());
    c.addEventListener('focus', () => {
      if (this.at) return;
      const p = this.plotCss();
      if (!p) return;
      this.at = { x: (p.left + p.right) / 2, y: (p.top + p.bottom) / 2 };
      this.keyed = true;
      this.update();
    });
    c.addEventListener('blur', () => {
      if (this.keyed) this.hide();
    });
    c.addEventListener('keydown', (e) => this.onKey(e));
  }

  /** The plot area of the last drawing, in CSS pixels of the canvas. */
  plotCss() {
    const f = this.view.figure.dataset.frame ? JSON.parse(this.view.figure.dataset.frame) : null;
    if (!f?.plot) return null;
    const k = this.scale();
    return { left: f.plot.left / k, top: f.plot.top / k, right: f.plot.right / k, bottom: f.plot.bottom / k };
  }

  /** Canvas pixels per CSS pixel. */
  scale() {
    const { canvas } = this.view;
    const css = canvas.clientWidth || canvas.width;
    return canvas.width / (css || 1);
  }

  onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const p = this.plotCss();
    if (!p) return;
    if (e.key === 'Escape') {
      if (!this.at) return;
      this.hide();
    } else {
      const big = e.shiftKey ? 10 : 1;
      const dx = Math.max(1, (p.right - p.left) / 100) * big;
      const dy = Math.max(1, (p.bottom - p.top) / 100) * big;
      const at = this.at ?? { x: (p.left + p.right) / 2, y: (p.top + p.bottom) / 2 };
      const moves = {
        ArrowLeft: () => ({ x: at.x - dx, y: at.y }),
        ArrowRight: () => ({ x: at.x + dx, y: at.y }),
        ArrowUp: () => ({ x: at.x, y: at.y - dy }),
        ArrowDown: () => ({ x: at.x, y: at.y + dy }),
        Home: () => ({ x: p.left, y: at.y }),
        End: () => ({ x: p.right, y: at.y }),
      };
      const move = moves[e.key];
      if (!move) return;
      const to = move();
      this.at = {
        x: Math.min(p.right, Math.max(p.left, to.x)),
        y: Math.min(p.bottom, Math.max(p.top, to.y)),
      };
      this.keyed = true;
      this.update();
    }
    e.preventDefault();
    e.stopPropagation();
  }

  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.update();
    });
  }

  hide() {
    this.at = null;
    this.keyed = false;
    this.line.hidden = true;
    this.box.hidden = true;
    this.dots.replaceChildren();
    delete this.view.figure.dataset.readout;
  }

  /** Reads the values under the probe again (after a move, or a new drawing). */
  update() {
    const handle = this.source();
    const { canvas, figure, info } = this.view;
    if (!this.at || !handle || canvas.width < 2) return;
    const k = this.scale();
    let r = null;
    try {
      r = handle.readout(info.id, this.at.x * k, this.at.y * k, canvas.width, canvas.height, this.view.textPx());
    } catch {
      r = null; // a chart that cannot be drawn shows its own message
    }
    if (!r) {
      this.line.hidden = true;
      this.box.hidden = true;
      this.dots.replaceChildren();
      figure.dataset.readout = 'null';
      return;
    }
    figure.dataset.readout = JSON.stringify(r);
    this.show(r, k);
  }

  show(r, k) {
    const [left, top, right, bottom] = r.plot.map((v) => v / k);
    const x = Math.min(right, Math.max(left, this.at.x));
    Object.assign(this.line.style, { left: `${x}px`, top: `${top}px`, height: `${bottom - top}px` });
    this.line.hidden = false;
    this.dots.replaceChildren(...r.rows.filter((row) => row.px).map((row) => {
      const [px, py] = row.px.map((v) => v / k);
      if (px < left - 1 || px > right + 1 || py < top - 1 || py > bottom + 1) return null;
      const dot = h('span', { class: 'readout-dot' });
      Object.assign(dot.style, { left: `${px}px`, top: `${py}px`, borderColor: row.color });
      return dot;
    }).filter(Boolean));
    const lines = readoutLines(r);
    this.box.replaceChildren(...lines.map((text, i) => {
      const row = i > 0 ? r.rows[i - 1] : null;
      let swatch = null;
      if (row) {
        swatch = h('span', { class: 'readout-swatch' });
        swatch.style.background = row.color;
      }
      return h('div', { class: i === 0 ? 'readout-head' : 'readout-row' }, swatch, text);
    }));
    this.box.hidden = false;
    // Beside the cursor, on the side with room, near the pointer's height.
    const boxW = this.box.offsetWidth;
    const boxH = this.box.offsetHeight;
    const room = this.view.canvas.clientWidth;
    const gap = 12;
    const bx = x + gap + boxW <= room ? x + gap : Math.max(0, x - gap - boxW);
    const by = Math.min(Math.max(top, this.at.y - boxH / 2), Math.max(top, bottom - boxH));
    Object.assign(this.box.style, { left: `${bx}px`, top: `${by}px` });
    if (this.keyed) {
      clearTimeout(this.timer);
      const text = `${this.view.info.title}: ${lines.join('; ')}`;
      this.timer = setTimeout(() => this.announce(text), 250);
    }
  }
}
