// The landing page and the lecture path: the labs in the lecture's order (the core's
// catalogue, src/lab/registry.rs, is that order), numbered, each ready lab with a
// small picture drawn by the core at build time (`sgd-lab thumbs`, see
// scripts/build-web.sh); "start here" for a student and an instructor; and the
// previous / next links of a lab page. Every text here comes from the catalogue or
// is fixed; nothing from the URL reaches it.

import { h } from './dom.js';
import { LABS } from './labs.js';
import { labHash } from './route.js';
import { thumbUrl } from './loader.js';

/** The labs of the lecture path, in order: those with a lecture time (the sandbox,
 *  which covers the whole lecture, has none and is not numbered). */
export function lecturePath() {
  return LABS.filter((lab) => lab.time !== '');
}

/** Lab `id`'s number on the path (1, 2, …), or null (the sandbox). */
export function labNumber(id) {
  const k = lecturePath().findIndex((lab) => lab.id === id);
  return k < 0 ? null : k + 1;
}

function badge(lab) {
  return lab.ready ? null : h('span', { class: 'badge' }, 'coming soon');
}

/** The picture of a ready lab (none for the others: no fake chart). */
function thumb(lab) {
  const src = lab.ready && lab.thumb_alt ? thumbUrl(lab.id) : null;
  if (!src) return null;
  return h('img', {
    class: 'lab-thumb',
    src,
    alt: lab.thumb_alt,
    width: 240,
    height: 160,
    decoding: 'async',
  });
}

function card(lab, { embed }) {
  const n = labNumber(lab.id);
  const link = h('a', { href: labHash(lab.id) }, lab.title);
  return h('li', { class: `lab-card${lab.ready ? '' : ' coming'}`, dataset: { lab: lab.id } },
    h('h3', { class: 'lab-card-title' },
      n === null ? null : h('span', { class: 'lab-num' }, `${n}.`), n === null ? null : ' ',
      link, ' ', badge(lab)),
    embed ? null : thumb(lab),
    embed ? null : h('p', { class: 'teaser' }, lab.teaser),
    embed ? null : h('p', { class: 'part' }, 'Lecture: ', lab.part));
}

/** The list of labs: the numbered lecture path, then the other labs (the sandbox). */
export function labList({ embed = false } = {}) {
  const path = lecturePath();
  const others = LABS.filter((lab) => !path.includes(lab));
  return h('section', { class: 'labs', 'aria-labelledby': 'labs-heading' },
    h('h2', { id: 'labs-heading' }, embed ? 'Choose a lab' : 'The labs, in lecture order'),
    h('ol', { class: 'lab-list' }, path.map((lab) => card(lab, { embed }))),
    others.length === 0 ? null : [
      embed ? null : h('h2', { id: 'more-heading', class: 'more-heading' }, 'For the whole lecture'),
      h('ul', { class: 'lab-list lab-list-more', 'aria-labelledby': embed ? 'labs-heading' : 'more-heading' },
        others.map((lab) => card(lab, { embed })))]);
}

/** The README's embed snippet for lab `lab` on this site (no style= attribute: a host
 *  page whose CSP forbids inline styles would block it). */
function embedSnippet(lab) {
  const src = new URL(`embed.html${labHash(lab.id)}`, document.baseURI).href;
  return `<iframe src="${src}"\n        width="640" height="420" title="SGD Lab: ${lab.title}"\n        loading="lazy"></iframe>`;
}

/** "Start here": one paragraph for a student, one for an instructor. */
export function startHere({ single = false } = {}) {
  const first = lecturePath().find((lab) => lab.ready) ?? null;
  const open = first === null
    ? 'Open a lab,'
    : ['Open lab ', String(labNumber(first.id)), ', ', h('a', { href: labHash(first.id) }, first.title), ','];
  const instructor = single
    ? ['This file is the whole app: hand it out or upload it to a course page. ',
      'For slides, a lab’s “Scenario (JSON)” and ', h('code', {}, 'sgd-lab lab FILE --out DIR'), ' give its charts as SVG.']
    : ['Embed a lab in a course page with its “Copy embed code” button (an ', h('code', {}, '<iframe>'),
      '), hand out ', h('a', { href: 'sgd-lab.html', download: '' }, 'the single HTML file'),
      ', or make slide SVGs with ', h('code', {}, 'sgd-lab lab FILE --out DIR'), '. ',
      'The ', h('a', { href: 'kit.html' }, 'course kit'), ' has every lab’s snippet, questions and figure command on one page.'];
  return h('section', { class: 'start-here', 'aria-labelledby': 'start-heading' },
    h('h2', { id: 'start-heading' }, 'Start here'),
    h('p', {}, h('strong', {}, 'Students: '), open,
      ' press play and read the caption; then change one knob and watch what moves. The address holds what you see.'),
    h('p', {}, h('strong', {}, 'Instructors: '), instructor),
    single || first === null ? null : h('details', { class: 'snippet' },
      h('summary', {}, 'The embed code'), h('pre', {}, h('code', {}, embedSnippet(first)))));
}

/** Previous / next ready lab on the lecture path around lab `id`, as a nav (null for
 *  a lab off the path, or when there is no ready neighbour). */
export function lectureNav(id) {
  const path = lecturePath();
  const k = path.findIndex((lab) => lab.id === id);
  if (k < 0) return null;
  const prev = path.slice(0, k).reverse().find((lab) => lab.ready) ?? null;
  const next = path.slice(k + 1).find((lab) => lab.ready) ?? null;
  if (!prev && !next) return null;
  const link = (lab, rel, text) => h('a', { href: labHash(lab.id), rel, class: `lecture-${rel}`, dataset: { lab: lab.id } }, text);
  return h('nav', { class: 'lecture-nav', 'aria-label': 'In the lecture' },
    prev ? link(prev, 'prev', `← ${labNumber(prev.id)}. ${prev.title}`) : h('span', {}),
    next ? link(next, 'next', `${labNumber(next.id)}. ${next.title} →`) : null);
}
