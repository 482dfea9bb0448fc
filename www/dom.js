// Small DOM helpers for the lab pages. Text (from the URL, a file or the core) only
// ever reaches the page as text nodes or attribute values, never as markup.

/** `h('p', { class: 'x', onclick: f }, 'text', child)`: an element. Strings become
 *  text nodes; `on…` attributes with a function become event listeners; `false`,
 *  `null` and `undefined` attributes and children are skipped. */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

/** Appends children (nested arrays allowed; strings become text). */
export function append(node, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/** Text for the screen: a number the core could not compute never shows as "NaN". */
export function clean(text) {
  return String(text ?? '')
    .replace(/\bNaN\b/g, 'n/a')
    .replace(/-inf\b/g, '−∞')
    .replace(/\binf\b/g, '∞');
}

/** The text of a thrown error (the core's `JsError` carries the core's sentence). */
export function message(err) {
  return err instanceof Error ? err.message : String(err);
}

/** Whether keyboard shortcuts must leave this element alone (typing, sliders, lists). */
export function isTextTarget(el) {
  if (!el || !(el instanceof Element)) return false;
  if (el.isContentEditable) return true;
  return el.matches('input, textarea, select');
}
