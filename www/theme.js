// The colour theme: the system's (prefers-color-scheme, the default) or one the reader
// picks in the footer, kept in local storage (not in the URL: a link shows the lab,
// not the reader's taste). Sets <html data-theme="light|dark">; style.css does the rest.

import { h } from './dom.js';

const KEY = 'sgd-lab-theme';
const CHOICES = [['auto', 'as the system'], ['light', 'light'], ['dark', 'dark']];

/** The stored choice: "auto", "light" or "dark" (anything else, or no storage: auto). */
export function storedTheme() {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'auto';
  } catch {
    return 'auto'; // storage refused (a sandboxed frame, privacy settings)
  }
}

/** Applies `choice` to the page. */
export function applyTheme(choice) {
  if (choice === 'light' || choice === 'dark') document.documentElement.dataset.theme = choice;
  else delete document.documentElement.dataset.theme;
}

/** The footer's "Theme" select, already showing and applying the stored choice. */
export function themeChoice() {
  const choice = storedTheme();
  applyTheme(choice);
  const select = h('select', { id: 'theme' },
    CHOICES.map(([value, label]) => h('option', { value, selected: value === choice }, label)));
  select.addEventListener('change', () => {
    applyTheme(select.value);
    try {
      if (select.value === 'auto') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, select.value);
    } catch {
      // Not kept: it still applies to this page.
    }
  });
  return h('span', { class: 'theme-choice' }, h('label', { for: 'theme' }, 'Theme: '), select);
}
