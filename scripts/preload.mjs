#!/usr/bin/env node
// Lets a served page fetch everything it needs at once (#8's first chart): without
// this, the browser discovers the ES modules one import level at a time (main.js →
// lab-views.js → lab-page.js → controls.js → variants.js, five round trips) and the
// wasm only when the glue's init() runs, after all of them.
//   node scripts/preload.mjs DIST
// Walks the static imports from DIST/www/main.js (the served, minified modules) and
// writes, into DIST/index.html and DIST/embed.html just before the page's module
// script, a <link rel="modulepreload"> per module and a <link rel="preload"> for the
// wasm (as="fetch" crossorigin, which is how wasm-bindgen's init fetches it, so the
// browser reuses the preloaded response). Relative URLs only, so any sub-path works.
// The single file (scripts/inline.mjs) starts from the source index.html and has none.
// As a module: `import { moduleGraph, preloadLinks } from './preload.mjs'`.

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ENTRY = 'www/main.js';
const WASM = 'pkg/sgd_lab_bg.wasm';
// Static imports and re-exports, minified or not: `import{a as b}from"./x.js"`,
// `import*as w from"../pkg/sgd_lab.js"`, `import"./x.js"`. Dynamic import() is not
// followed (the app has none: the single-file bundler refuses it).
const IMPORT = /(?:^|[;\s}])(?:import|export)\s*(?:[\w$*{][^'"]*?\s*from\s*)?(['"])(\.{1,2}\/[^'"\s]+)\1/g;

/** Every module the page loads, in breadth-first order from www/main.js, as paths
 *  relative to `dist` (e.g. "www/main.js", "pkg/sgd_lab.js"). */
export function moduleGraph(dist) {
  const seen = [ENTRY];
  for (let i = 0; i < seen.length; i += 1) {
    const file = seen[i];
    let source;
    try {
      source = readFileSync(path.join(dist, file), 'utf8');
    } catch {
      throw new Error(`preload: ${file} not found (imported by ${seen.slice(0, i).join(', ') || 'the page'})`);
    }
    for (const m of source.matchAll(IMPORT)) {
      const dep = path.posix.normalize(path.posix.join(path.posix.dirname(file), m[2]));
      if (dep.startsWith('../')) throw new Error(`preload: ${file} imports ${m[2]}, outside the site`);
      if (!seen.includes(dep)) seen.push(dep);
    }
  }
  return seen;
}

/** The <link> tags for `modules` (the entry itself is the page's own script). */
export function preloadLinks(modules) {
  const lines = modules
    .filter((m) => m !== ENTRY)
    .map((m) => `<link rel="modulepreload" href="${m}">`);
  lines.push(`<link rel="preload" href="${WASM}" as="fetch" type="application/wasm" crossorigin>`);
  return lines;
}

function main() {
  const dist = process.argv[2];
  if (!dist) throw new Error('usage: node scripts/preload.mjs DIST');
  const links = preloadLinks(moduleGraph(dist));
  const script = `<script type="module" src="${ENTRY}"></script>`;
  for (const page of ['index.html', 'embed.html']) {
    const file = path.join(dist, page);
    const html = readFileSync(file, 'utf8');
    const at = html.indexOf(script);
    if (at < 0 || html.indexOf(script, at + 1) >= 0) {
      throw new Error(`preload: ${page} must hold exactly one ${script}`);
    }
    const indent = html.slice(html.lastIndexOf('\n', at) + 1, at);
    const block = links.map((l) => `${l}\n${indent}`).join('');
    writeFileSync(file, html.slice(0, at) + block + html.slice(at));
  }
  console.log(`preload: ${links.length - 1} modules and the wasm preloaded in index.html and embed.html`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
