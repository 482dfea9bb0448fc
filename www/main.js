// The app shell: loads the Rust core, then routes on the URL hash
// (`#lab=<id>&key=value…`) to the landing list or a lab. Shared by index.html (full
// view), embed.html (`<html data-view="embed">`, compact) and the single-file build
// (`<html data-build="single">`, where scripts/inline.mjs swaps loader.js for
// loader-single.js). Text from the URL only ever reaches the page
// through textContent.
//
// When the page is usable, `document.body.dataset.ready` is "1" (tests wait for it;
// "error" if the core failed to load) and `document.body.dataset.route` names what
// is shown: "landing", "lab:<id>" or "unknown".

import { loadCore, registerOffline } from './loader.js';
import { LABS, findLab, applyCatalogue } from './labs.js';
import { parseRoute, labHash } from './route.js';
import { LAB_VIEWS, registerReadyLabs } from './lab-views.js';
import { labList as landingList, startHere, lectureNav } from './landing.js';
import { applyTheme, storedTheme, themeChoice } from './theme.js';

applyTheme(storedTheme());

const root = document.documentElement;
const isEmbed = root.dataset.view === 'embed';
const APP_TITLE = 'SGD Lab';

/** `h('p', { class: 'x' }, 'text', child)`: an element; strings become text nodes. */
function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

function badge(lab) {
  return lab.ready ? null : h('span', { class: 'badge' }, 'coming soon');
}

function labList() {
  return landingList({ embed: isEmbed });
}

/** The landing page: "start here" (not in the embed) and the labs. */
function landing() {
  return [isEmbed ? null : startHere({ single: root.dataset.build === 'single' }), labList()].filter(Boolean);
}

function notice(text) {
  return h('p', { class: 'notice', role: 'alert' }, text);
}

/** The starting scenario of a lab, validated by the core (proof that it runs here). */
function presetSummary(core, id) {
  let normalised;
  try {
    normalised = JSON.parse(core.validate_scenario(core.preset_json(id)));
  } catch {
    return null; // Not every lab has a preset yet.
  }
  const problem = String(normalised.problem.kind).replaceAll('_', ' ');
  const method = normalised.method;
  const facts = [
    ['problem', problem],
    ['method', `${String(method.kind).toUpperCase()}, step ${method.lr}`],
    ['steps', String(normalised.steps)],
    ['runs', String(normalised.runs)],
    ['seed', String(normalised.seed)],
  ];
  return h('div', { class: 'preset' },
    h('h3', {}, 'Starting scenario (checked by the core)'),
    h('dl', {}, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])));
}

function settingsFromLink(params) {
  const entries = [...params.entries()].slice(0, 20);
  if (entries.length === 0) return null;
  return h('div', { class: 'settings' },
    h('h3', {}, 'Settings from the link'),
    h('dl', {}, entries.map(([k, v]) => [h('dt', {}, k.slice(0, 40)), h('dd', {}, v.slice(0, 200))])));
}

function labSection(lab, params, notes, core, hasView) {
  const fullAppLink = isEmbed
    ? h('a', { class: 'open-full', href: `index.html${labHash(lab.id, params)}`, target: '_blank', rel: 'noopener' },
      'Open in SGD Lab ↗')
    : null;
  const placeholder = hasView ? null : [
    h('p', { class: 'placeholder', role: 'note' },
      'This lab is being built: the picture, the knobs and play / pause / step arrive soon.'),
    isEmbed ? null : presetSummary(core, lab.id),
    isEmbed ? null : settingsFromLink(params),
  ];
  return h('section', { class: 'lab', dataset: { lab: lab.id }, 'aria-labelledby': 'lab-title' },
    h('p', { class: 'crumbs' }, h('a', { href: '#' }, '← All labs'), fullAppLink ? ' · ' : null, fullAppLink),
    h('h2', { id: 'lab-title', tabindex: '-1' }, lab.title, ' ', badge(lab)),
    h('p', { class: 'teaser' }, lab.teaser),
    isEmbed ? null : h('p', { class: 'part' }, 'From the lecture: ', lab.part),
    placeholder,
    hasView ? null : notes.map(notice),
    hasView ? h('div', { class: 'lab-body' }) : null,
    isEmbed ? null : lectureNav(lab.id));
}

/** The mounted lab view, if any: `{ unmount(), update?(params) }`, and its lab id. */
let mounted = null;
let mountedId = null;
/** The hash the page shows (a view's setParams changes it without an event). */
let shownHash = null;

function unmountView() {
  const view = mounted;
  mounted = null;
  mountedId = null;
  try {
    view?.unmount?.();
  } catch (err) {
    console.error('SGD Lab: a lab view failed to unmount', err);
  }
}

function render(core, { moveFocus }) {
  const app = document.getElementById('app');
  const { lab: id, params, notes } = parseRoute(location.hash, (v) => findLab(v) !== null);
  const lab = id === null ? null : findLab(id);
  let route;
  shownHash = location.hash;
  // Another state of the lab on screen (back / forward): the view updates in place.
  if (mounted?.update && lab !== null && lab.id === mountedId) {
    try {
      if (mounted.update(params, notes)) {
        app.querySelector('.open-full')?.setAttribute('href', `index.html${labHash(lab.id, params)}`);
        return;
      }
    } catch (err) {
      console.error(`SGD Lab: the ${lab.id} lab failed to update`, err);
    }
  }
  unmountView();
  if (id === null) {
    app.replaceChildren(...notes.map(notice), ...landing());
    document.title = APP_TITLE;
    route = 'landing';
  } else if (lab === null) {
    const shown = id.length > 60 ? `${id.slice(0, 60)}…` : id;
    app.replaceChildren(...notes.map(notice), notice(`There is no lab called “${shown}”. Choose one of the labs below.`), labList());
    document.title = `Unknown lab — ${APP_TITLE}`;
    route = 'unknown';
  } else {
    const view = Object.hasOwn(LAB_VIEWS, lab.id) ? LAB_VIEWS[lab.id] : null;
    const section = labSection(lab, params, notes, core, view !== null);
    app.replaceChildren(section);
    if (view) {
      const body = section.querySelector('.lab-body');
      const setParams = (settings, { push = false } = {}) => {
        const hash = labHash(lab.id, settings);
        if (hash === location.hash) return;
        if (push) history.pushState(null, '', hash);
        else history.replaceState(null, '', hash);
        shownHash = location.hash;
        section.querySelector('.open-full')?.setAttribute('href', `index.html${hash}`);
      };
      try {
        mounted = view.mount(body, { core, lab, params, notes, embed: isEmbed, setParams }) ?? null;
        mountedId = lab.id;
      } catch (err) {
        console.error(`SGD Lab: the ${lab.id} lab failed to start`, err);
        body.replaceChildren(notice(`This lab failed to start: ${err instanceof Error ? err.message : String(err)}`));
      }
    }
    document.title = `${lab.title} — ${APP_TITLE}`;
    route = `lab:${lab.id}`;
    if (moveFocus) document.getElementById('lab-title')?.focus();
  }
  document.body.dataset.route = route;
}

function showLoadError(err) {
  const app = document.getElementById('app');
  const message = err instanceof Error ? err.message : String(err);
  app.replaceChildren(
    notice('The simulator could not start. Reload the page, or try a current version of Firefox, Chrome, Edge or Safari.'),
    h('p', { class: 'error-detail' }, message));
  document.getElementById('core-status').textContent = 'core failed to load';
  document.body.dataset.ready = 'error';
}

async function start() {
  let core;
  try {
    if (typeof WebAssembly !== 'object') throw new Error('WebAssembly is not available.');
    core = await loadCore();
  } catch (err) {
    console.error('SGD Lab: the core failed to load', err);
    showLoadError(err);
    return;
  }
  document.getElementById('core-status').textContent = `core v${core.version()} ready`;
  document.querySelector('.site-footer p')?.append(themeChoice());
  const catalogue = core.lab_catalogue();
  applyCatalogue(catalogue);
  registerReadyLabs(catalogue);
  render(core, { moveFocus: false });
  // Back / forward over pushState entries fires popstate (and hashchange when the
  // hash differs); either re-renders once.
  const onNavigate = () => {
    if (location.hash !== shownHash) render(core, { moveFocus: true });
  };
  window.addEventListener('hashchange', onNavigate);
  window.addEventListener('popstate', onNavigate);
  document.body.dataset.ready = '1';
  registerOffline();
}

await start();
