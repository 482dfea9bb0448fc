// The pieces under the browser tests, checked without a browser: the hash router,
// the single-file bundler, the dev server, and the built pages' static rules
// (relative URLs, CSP meta, no inline script or style, nothing remote).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import http from 'node:http';
import { parseRoute, labHash } from '../../www/route.js';
import { LABS, findLab, applyCatalogue } from '../../www/labs.js';
import { bundle } from '../../scripts/inline.mjs';
import { DIST, DEFAULT_CSP, LAB_IDS, serve } from './harness.mjs';

test('parseRoute reads the lab and its settings from the hash', () => {
  assert.deepEqual(parseRoute('').lab, null);
  assert.deepEqual(parseRoute('#').lab, null);
  assert.deepEqual(parseRoute('#lab=').lab, null);
  const r = parseRoute('#lab=decay&t0=20&note=1e%2B3&x');
  assert.equal(r.lab, 'decay');
  assert.deepEqual([...r.params.entries()], [['t0', '20'], ['note', '1e+3'], ['x', '']]);
  assert.equal(parseRoute('#lab=%3Cb%3E').lab, '<b>');
});

test('labHash and parseRoute round-trip any value', () => {
  const settings = { lr: '0.3', expr: 'a+b&c=d #e', empty: '' };
  const r = parseRoute(labHash('per-sample', settings));
  assert.equal(r.lab, 'per-sample');
  assert.deepEqual(Object.fromEntries(r.params), settings);
  assert.equal(labHash('x', { lab: 'ignored', skip: undefined }), '#lab=x');
});

test('applyCatalogue replaces the list by the core\'s, in its order, and findLab finds in it', () => {
  // The landing page test (landing.test.mjs) checks the real core's catalogue.
  applyCatalogue([
    { id: 'b', title: 'B', part: 'Part (01:02)', time: '01:02', teaser: 'tb', ready: true },
    { id: 'a', title: 'A', part: 'Part', time: '', teaser: 'ta', ready: 1 },
  ]);
  assert.deepEqual(LABS.map((l) => l.id), ['b', 'a']);
  assert.equal(LABS[1].ready, false, 'only true is ready');
  assert.equal(findLab('b').part, 'Part (01:02)');
  applyCatalogue([{ id: 'c', title: 'C', part: 'P', time: '', teaser: 't', ready: false }]);
  assert.deepEqual(LABS.map((l) => l.id), ['c']);
  assert.equal(findLab('b'), null);
  assert.equal(findLab('nope'), null);
});

function withModules(files, fn) {
  const dir = mkdtempSync(path.join(tmpdir(), 'sgd-bundle-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the single-file bundler runs modules in import order with named, renamed and namespace imports', async () => {
  const code = withModules({
    'a.js': "export const A = 1;\nexport function twice(x) { return 2 * x; }\nconst hidden = 3;\nexport { hidden as shown };\n",
    'b.js': "import { A, twice as double } from './a.js';\nimport * as all from './a.js';\nexport class B { value() { return double(A) + all.shown; } }\nlog.push('b');\n",
    'main.js': "import {\n  B,\n} from './b.js';\nimport './a.js';\nlog.push('main');\nawait Promise.resolve();\nresult.value = new B().value();\n",
    'loader.js': 'export const which = "web";\n',
  }, (dir) => bundle(dir, 'main.js').code);
  const sandbox = { log: [], result: {}, console };
  await vm.runInNewContext(`${code.replace(/\.catch\([\s\S]*\);\s*$/, '')}`, sandbox);
  assert.deepEqual(sandbox.log, ['b', 'main']);
  assert.equal(sandbox.result.value, 5);
});

test('the single-file bundler swaps loader.js and refuses what it cannot bundle', () => {
  const files = { 'main.js': "import { which } from './loader.js';\n", 'loader.js': 'export const which = "web";\n', 'loader-single.js': 'export const which = "single";\n' };
  withModules(files, (dir) => {
    const out = bundle(dir, 'main.js');
    assert.deepEqual(out.files, ['loader-single.js', 'main.js']);
    assert.match(out.code, /"single"/);
  });
  const refused = {
    'export default 1;\n': /export default/,
    "import x from './y.js';\n": /default imports/,
    "const m = await import('./y.js');\n": /dynamic import/,
    "export * from './y.js';\n": /export \*/,
    "import { a } from 'https://cdn.example/x.js';\n": /only relative imports/,
    "import { a } from './y';\n": /\.js extension/,
  };
  for (const [source, message] of Object.entries(refused)) {
    withModules({ 'main.js': source, 'y.js': 'export const a = 1;\n' }, (dir) => {
      assert.throws(() => bundle(dir, 'main.js'), message, source);
    });
  }
  withModules({ 'main.js': "import { b } from './b.js';\nexport const a = 1;\n", 'b.js': "import { a } from './main.js';\nexport const b = 2;\n" }, (dir) => {
    assert.throws(() => bundle(dir, 'main.js'), /import cycle: main\.js → b\.js → main\.js/);
  });
});

function get(url, { method = 'GET', path: rawPath } = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request({ host: u.hostname, port: u.port, path: rawPath ?? u.pathname + u.search, method }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the dev server: MIME types, CSP header = the page meta, no escape from dist/', async () => {
  const { url } = await serve();
  const types = {
    '': 'text/html; charset=utf-8',
    'index.html': 'text/html; charset=utf-8',
    'www/main.js': 'text/javascript; charset=utf-8',
    'www/style.css': 'text/css; charset=utf-8',
    'pkg/sgd_lab_bg.wasm': 'application/wasm',
    'www/icon.svg': 'image/svg+xml',
  };
  for (const [p, type] of Object.entries(types)) {
    const res = await get(url + p);
    assert.equal(res.status, 200, p);
    assert.equal(res.headers['content-type'], type, p);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', p);
  }
  assert.equal((await get(url)).headers['content-security-policy'], DEFAULT_CSP);
  const single = await get(`${url}sgd-lab.html`);
  const meta = single.body.toString().match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)[1];
  assert.equal(single.headers['content-security-policy'], meta, 'the single file is served with its own policy');
  assert.equal((await get(`${url}no-such-file`)).status, 404);
  for (const raw of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/www/..%2f..%2fpackage.json']) {
    assert.equal((await get(url, { path: raw })).status, 404, raw);
  }
  assert.equal((await get(url, { method: 'POST' })).status, 405);
  const dir = await get(`${url}www`);
  assert.equal(dir.status, 301);
  assert.equal(dir.headers.location, '/www/');
});

function builtPages() {
  return readdirSync(DIST).filter((f) => f.endsWith('.html') && f !== 'sgd-lab.html');
}

test('every built page: CSP meta, relative URLs only, no inline script or style', () => {
  assert.deepEqual(builtPages().sort(), ['embed.html', 'index.html', 'kit.html', 'questions.html']);
  for (const page of builtPages()) {
    const html = readFileSync(path.join(DIST, page), 'utf8');
    const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/);
    assert.ok(meta, `${page} has the CSP meta`);
    assert.equal(meta[1], DEFAULT_CSP, page);
    assert.doesNotMatch(html, /\sstyle=/i, `${page}: no style attribute`);
    assert.doesNotMatch(html, /<style/i, `${page}: no <style>`);
    for (const m of html.matchAll(/<script\b([^>]*)>/gi)) assert.match(m[1], /\ssrc="/, `${page}: no inline script`);
    for (const m of html.matchAll(/\s(?:src|href)="([^"]*)"/gi)) {
      assert.doesNotMatch(m[1], /^(\/|[a-z][a-z0-9+.-]*:)/i, `${page}: ${m[1]} is relative`);
    }
  }
});

test('nothing the site ships names a remote host (no CDN, no web fonts)', () => {
  const www = readdirSync(path.join(DIST, 'www'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(js|css|html|svg|json)$/.test(e.name))
    .map((e) => path.relative(DIST, path.join(e.parentPath ?? e.path, e.name)));
  const files = ['index.html', 'embed.html', 'sw.js', ...www, 'pkg/sgd_lab.js'];
  assert.ok(files.includes('www/main.js') && files.includes('www/style.css'));
  for (const f of files) {
    const text = readFileSync(path.join(DIST, f), 'utf8')
      .replace(/xmlns(:\w+)?="http:\/\/www\.w3\.org\/[^"]*"/g, '') // SVG namespaces are names, not requests
      .replace(/(['"])http:\/\/www\.w3\.org\/1998\/Math\/MathML\1/g, '') // and so is MathML's (createElementNS; terser writes "")
      .replace(/^\s*\/\/.*$/gm, ''); // a whole-line comment (wasm-bindgen's glue cites MDN) loads nothing
    assert.doesNotMatch(text, /https?:\/\//, `${f} names no remote URL`);
    assert.doesNotMatch(text, /@import|@font-face/, `${f} loads no font or stylesheet`);
  }
});

test('parseRoute: a repeated lab uses the last that exists and says so; an empty lab with settings says they were not used', () => {
  const known = (v) => ['decay', 'step-size'].includes(v);
  const r = parseRoute('#lab=decay&lab=step-size&lr=1', known);
  assert.equal(r.lab, 'step-size');
  assert.deepEqual([...r.params.keys()], ['lr']);
  assert.deepEqual(r.notes, ['The link names the lab 2 times ("decay", "step-size"); showing the last that exists, "step-size".']);
  assert.equal(parseRoute('#lab=decay&lab=zzz', known).lab, 'decay');
  assert.equal(parseRoute('#lab=yyy&lab=zzz', known).lab, 'zzz');
  assert.deepEqual(parseRoute('#lab=yyy&lab=zzz', known).notes, ['The link names the lab 2 times ("yyy", "zzz"); showing the last one, "zzz".']);
  const empty = parseRoute('#lab=&lr=1e309', known);
  assert.equal(empty.lab, null);
  assert.deepEqual(empty.notes, ['The link\'s lab is empty, so the list of labs is shown; its other settings ("lr") were not used.']);
  assert.deepEqual(parseRoute('#lab=decay', known).notes, []);
  assert.deepEqual(parseRoute('', known).notes, []);
});
