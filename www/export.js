// Files out and text to share: downloads (PNG, CSV, JSON) through a blob: link, and
// copying with the clipboard API when the page may use it, with a visible text field
// that holds the same text in any case (select it and copy by hand).

import { h } from './dom.js';

/** Offers `blob` as a download named `name`. */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  // Chromium reads the blob when the click is handled; give it a moment anyway.
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** The PNG of a canvas as a Blob. */
export function canvasPng(canvas) {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the canvas could not be encoded'))), 'image/png');
  });
}

/** Copies `text`; resolves to true if the clipboard took it. Never throws. */
export async function copyText(text) {
  try {
    if (!navigator.clipboard?.writeText) return false;
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** The `<iframe>` snippet that embeds `embedUrl` at 640×420. */
export function embedCode(embedUrl, title) {
  const attr = (s) => String(s).replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
  return `<iframe src="${attr(embedUrl)}" width="640" height="420" title="${attr(title)}" loading="lazy"></iframe>`;
}
