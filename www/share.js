// Save and share, for a lab page: PNG of each chart, the CSV of the numbers, the
// scenario file (what `sgd-lab run` reads), importing a scenario file (into this lab,
// or handed to the lab it names), and copying the link or the embed code.

import { h, message } from './dom.js';
import { download, canvasPng, copyText, embedCode } from './export.js';

const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/** A scenario imported for another lab, handed to that lab's next mount. */
let pendingImport = null;

/** The handle imported for lab `id`, if a file for it was just opened elsewhere. */
export function takePendingImport(id) {
  if (!pendingImport || pendingImport.id !== id) return null;
  const { handle } = pendingImport;
  pendingImport = null;
  return handle;
}

export function hashOf(pairs) {
  return `#${new URLSearchParams(pairs).toString()}`;
}

export class Share {
  /** `page`: the lab page (id, core, ctx, handle, chartViews, query(), showMessage,
   *  adopt(handle, fileName)). */
  constructor(page) {
    this.page = page;
  }

  build() {
    const { page } = this;
    const isSingle = document.documentElement.dataset.build === 'single';
    this.out = h('input', { type: 'text', readonly: true, class: 'share-out', id: 'share-out', 'aria-label': 'Text to copy', 'aria-describedby': 'share-note', hidden: true });
    this.note = h('p', { class: 'share-note', id: 'share-note', 'aria-live': 'polite' });
    const fileInput = h('input', { type: 'file', id: 'import-file', accept: '.json,application/json', class: 'visually-hidden' });
    fileInput.addEventListener('change', () => this.importFile(fileInput));
    const pngButtons = page.chartViews.map((v, k) => h('button', {
      type: 'button', class: 'btn-png', dataset: { chart: v.info.id },
      onclick: () => this.exportPng(k),
    }, `PNG: ${v.info.title}`));
    return h('section', { class: 'lab-export', 'aria-labelledby': 'export-heading' },
      h('h3', { id: 'export-heading' }, 'Save and share'),
      h('div', { class: 'export-buttons' },
        pngButtons,
        h('button', { type: 'button', class: 'btn-csv', onclick: () => this.exportCsv() }, 'CSV of the numbers'),
        h('button', { type: 'button', class: 'btn-json', onclick: () => this.exportScenario() }, 'Scenario (JSON)'),
        h('span', { class: 'import' }, fileInput, h('label', { for: 'import-file', class: 'button' }, 'Import scenario…'))),
      this.buildFigures(),
      h('div', { class: 'export-buttons' },
        h('button', { type: 'button', class: 'btn-link', onclick: () => this.share('link') }, 'Copy link'),
        isSingle ? null : h('button', { type: 'button', class: 'btn-embed', onclick: () => this.share('embed') }, 'Copy embed code')),
      this.out,
      this.note,
      h('p', { class: 'help' }, 'The scenario file is what ', h('code', {}, 'sgd-lab run FILE'),
        ' reads; the CSV holds the same numbers the command prints.'));
  }

  /** Slide figures: a chart as PNG at 2× or 4× its size on screen, or as the SVG that
   *  `sgd-lab lab` writes for this state (also in the print theme). */
  buildFigures() {
    const { page } = this;
    this.figureChart = h('select', { id: 'figure-chart', 'aria-describedby': 'figure-help' },
      page.chartViews.map((v, k) => h('option', { value: String(k) }, v.info.title)));
    this.figureFormat = h('select', { id: 'figure-format', 'aria-describedby': 'figure-help' },
      h('option', { value: 'png2' }, 'PNG, 2× the screen'),
      h('option', { value: 'png4' }, 'PNG, 4× the screen'),
      h('option', { value: 'svg' }, 'SVG (as sgd-lab lab)'),
      h('option', { value: 'svg-print' }, 'SVG for print (thick lines, black text)'));
    return h('div', { class: 'export-figure' },
      h('label', { for: 'figure-chart' }, 'Figure'), this.figureChart,
      h('label', { for: 'figure-format' }, 'as'), this.figureFormat,
      h('button', { type: 'button', class: 'btn-figure', 'aria-describedby': 'figure-help', onclick: () => this.exportFigure() }, 'Save figure'),
      h('p', { class: 'help', id: 'figure-help' }, 'For slides: a sharper PNG, or an SVG that is the same file as ',
        h('code', {}, 'sgd-lab lab FILE --out DIR'), ' writes for this state (', h('code', {}, '--print'), ' for print).'));
  }

  /** The chosen figure as a download: `{ name, blob }`. */
  async figure() {
    const { page } = this;
    const k = Number(this.figureChart.value);
    const v = page.chartViews[k];
    const format = this.figureFormat.value;
    const base = `sgd-lab-${page.id}-${v.info.id}`;
    if (format.startsWith('svg')) {
      const print = format === 'svg-print';
      const svg = page.handle.svg(v.info.id, print);
      return { name: `${base}${print ? '-print' : ''}.svg`, blob: new Blob([svg], { type: 'image/svg+xml' }) };
    }
    const scale = format === 'png4' ? 4 : 2;
    const canvas = v.drawScaled(page.handle, scale);
    page.redraw();
    return { name: `${base}@${scale}x.png`, blob: await canvasPng(canvas) };
  }

  async exportFigure() {
    try {
      const { name, blob } = await this.figure();
      download(blob, name);
    } catch (err) {
      this.page.showMessage(message(err));
    }
  }

  fileName(ext) {
    return `sgd-lab-${this.page.id}.${ext}`;
  }

  async exportPng(k) {
    const v = this.page.sharpen(k);
    try {
      download(await canvasPng(v.canvas), `sgd-lab-${this.page.id}-${v.info.id}.png`);
    } catch (err) {
      this.page.showMessage(message(err));
    }
  }

  exportCsv() {
    download(new Blob([this.page.handle.csv()], { type: 'text/csv' }), this.fileName('csv'));
  }

  exportScenario() {
    download(new Blob([this.page.handle.scenario_json()], { type: 'application/json' }), this.fileName('json'));
  }

  async importFile(input) {
    const { page } = this;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) {
      page.showMessage(`“${file.name}” is ${file.size} bytes; a scenario file is at most ${MAX_IMPORT_BYTES} bytes (20 MiB).`);
      return;
    }
    this.note.textContent = '';
    const text = await file.text();
    if (page.destroyed) return;
    const failed = (why) => page.showMessage(`“${file.name}” could not be opened: ${why}`);
    let build;
    try {
      // Read and checked at once; built in slices if it is large (prepare.js).
      build = page.core.LabBuild.from_scenario(text, page.id);
    } catch (err) {
      failed(message(err));
      return;
    }
    page.showMessage(null);
    page.prepare(build, `“${file.name}”`, {
      failed,
      cancelled: (focused) => {
        this.note.textContent = 'Import cancelled: the lab keeps what it showed.';
        if (focused) document.getElementById('import-file')?.focus();
      },
      use: (next) => {
        if (next.id() !== page.id) {
          // Another lab's scenario: that lab's page adopts it.
          pendingImport = { id: next.id(), handle: next };
          location.hash = hashOf(page.queryOf(next));
          return;
        }
        page.adopt(next);
        this.note.textContent = `Opened “${file.name}”.`;
      },
    });
  }

  async share(kind) {
    const { page } = this;
    let text;
    if (kind === 'link') {
      text = location.href;
    } else {
      const url = new URL('embed.html', document.baseURI);
      url.hash = hashOf(page.query()).slice(1);
      text = embedCode(url.href, `SGD Lab: ${page.ctx.lab.title}`);
    }
    this.out.hidden = false;
    this.out.value = text;
    const copied = await copyText(text);
    const what = kind === 'link' ? 'Link' : 'Embed code';
    this.note.textContent = copied
      ? `${what} copied to the clipboard (it is also in the field above).`
      : `Select the ${what.toLowerCase()} in the field above and copy it (the browser did not allow copying).`;
    this.out.focus();
    this.out.select();
  }
}
