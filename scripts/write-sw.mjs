#!/usr/bin/env node
// Writes <site>/sw.js from the repository's sw.js: FILES becomes every file the site
// serves (paths relative to the site's root, './' for the landing page), VERSION the
// first 16 hex digits of a SHA-256 over those files' names and bytes. Left out: the
// single-file build (it is its own offline copy), the benchmark page, sw.js itself.
// Usage: node scripts/write-sw.mjs <site directory>   (scripts/build-web.sh)

import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const site = process.argv[2];
if (!site) {
  console.error('usage: node scripts/write-sw.mjs <site directory>');
  process.exit(2);
}

const SKIP = new Set(['sw.js', 'sgd-lab.html', 'www/bench.html', 'www/bench.js']);
function walk(dir, prefix = '') {
  return readdirSync(dir).sort().flatMap((name) => {
    const rel = prefix + name;
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full, `${rel}/`) : [rel];
  });
}
const files = walk(site).filter((f) => !SKIP.has(f));
const hash = createHash('sha256');
for (const f of files) {
  hash.update(f);
  hash.update(readFileSync(path.join(site, f)));
}
const version = hash.digest('hex').slice(0, 16);

const template = readFileSync(path.join(REPO, 'sw.js'), 'utf8');
const out = template
  .replace("const VERSION = 'dev';", `const VERSION = '${version}';`)
  .replace('const FILES = [];', `const FILES = ${JSON.stringify(['./', ...files])};`);
if (!out.includes(version) || !out.includes('"./"')) {
  console.error('write-sw: sw.js no longer has the VERSION and FILES lines to fill in');
  process.exit(1);
}
writeFileSync(path.join(site, 'sw.js'), out);
console.log(`write-sw: ${files.length + 1} files, version ${version}`);
