#!/usr/bin/env node
// Builds the single-file app (dist/sgd-lab.html) that works when opened from disk
// (file://), where a page can neither fetch a .wasm nor load ES modules:
//   - the wasm-bindgen `--target no-modules` glue and the wasm (base64) go into one
//     classic inline <script>, followed by the app's ES modules (www/) bundled into
//     that same script, with www/loader.js swapped for www/loader-single.js;
//   - the landing page's pictures (--thumbs DIR: DIR/<lab>.svg, from `sgd-lab thumbs`)
//     go into that script as `SGD_LAB_THUMBS`, lab id → data: URL, which
//     www/loader-single.js hands to the landing page (images from data: are allowed);
//   - the stylesheets become one inline <style>;
//   - the Content-Security-Policy allows exactly those two blocks by their sha256
//     hashes (no 'unsafe-inline').
//
// Usage:
//   node scripts/inline.mjs --glue DIR/sgd_lab.js --wasm DIR/sgd_lab_bg.wasm \
//        [--thumbs DIR] [--html index.html] [--out dist/sgd-lab.html]
//
// The bundler understands the subset of module syntax the app uses, and refuses
// anything else with a message that says what to write instead:
//   import { a, b as c } from './x.js';   import * as ns from './x.js';   import './x.js';
//   export function f / export async function f / export class C / export const|let|var x
//   export { a, b as c };
// Imports are bound once the imported module has run (fine for functions, classes
// and constants; an exported `let` that is reassigned later is not seen live).

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Module swaps for the single-file build: web file → single-file file (under www/). */
const SWAPS = new Map([['loader.js', 'loader-single.js']]);

class BuildError extends Error {}

function fail(message) {
  throw new BuildError(message);
}

function parseArgs(argv) {
  const opts = {
    html: path.join(REPO, 'index.html'),
    out: path.join(REPO, 'dist', 'sgd-lab.html'),
    glue: null,
    wasm: null,
    thumbs: null,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in opts) || i + 1 >= argv.length) fail(`unknown or incomplete option ${argv[i]}`);
    opts[key] = path.resolve(argv[(i += 1)]);
  }
  if (!opts.glue || !opts.wasm) fail('both --glue and --wasm are required');
  return opts;
}

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

// ---------------------------------------------------------------------------------
// The module bundler.

const IDENT = '[A-Za-z_$][\\w$]*';
const IMPORT_FROM = /^import\s+([^'";]*?)\s+from\s*(['"])([^'"\n]+)\2[ \t]*;?/gm;
const IMPORT_BARE = /^import\s*(['"])([^'"\n]+)\1[ \t]*;?/gm;
const EXPORT_LIST = /^export\s*\{([^}]*)\}[ \t]*;?/gm;
const EXPORT_DECL = new RegExp(
  `^export\\s+((?:async\\s+)?function\\s*\\*?\\s*(${IDENT})|class\\s+(${IDENT})|(?:const|let|var)\\s+(${IDENT}|[{[]))`,
  'gm',
);

/** Resolves `spec` imported by module `from` (both relative to www/) to a key. */
function resolveSpec(spec, from, where) {
  if (!spec.startsWith('./') && !spec.startsWith('../')) {
    fail(`${where}: import of "${spec}": only relative imports of files in www/ can be bundled`);
  }
  const key = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  if (key.startsWith('../')) fail(`${where}: import of "${spec}" leaves www/`);
  if (!key.endsWith('.js')) fail(`${where}: import of "${spec}": write the file name with its .js extension`);
  return key;
}

function parseNames(list, where, what) {
  return list.split(',').map((s) => s.trim()).filter(Boolean).map((item) => {
    const m = item.match(new RegExp(`^(${IDENT})(?:\\s+as\\s+(${IDENT}))?$`));
    if (!m) fail(`${where}: cannot read "${item}" in ${what}`);
    return { name: m[1], alias: m[2] ?? m[1] };
  });
}

/** Rewrites one module's source; returns { code, deps, exports: [[exported, local]] }. */
function transformModule(key, source) {
  const where = `www/${key}`;
  const deps = [];
  const exportsList = [];
  let code = source;

  for (const bad of [
    [/^export\s+default\b/m, 'export default (use a named export)'],
    [/^export\s*\*/m, 'export * from … (import, then export by name)'],
    [/^export\s*\{[^}]*\}\s*from\b/m, 'export { … } from … (import, then export by name)'],
    [/\bimport\s*\(/, 'dynamic import() (use a static import)'],
    [/\bimport\.meta\b/, 'import.meta (the single file has no module URL)'],
  ]) {
    if (bad[0].test(code)) fail(`${where}: the single-file bundler does not support ${bad[1]}`);
  }

  code = code.replace(IMPORT_FROM, (_all, clause, _q, spec) => {
    const dep = resolveSpec(spec, key, where);
    deps.push(dep);
    const ref = `__sgdModules[${JSON.stringify(dep)}]`;
    const c = clause.trim();
    const star = c.match(new RegExp(`^\\*\\s+as\\s+(${IDENT})$`));
    if (star) return `const ${star[1]} = ${ref};`;
    const named = c.match(/^\{([^}]*)\}$/s);
    if (named) {
      const names = parseNames(named[1], where, 'an import list');
      const pattern = names.map(({ name, alias }) => (name === alias ? name : `${name}: ${alias}`)).join(', ');
      return `const { ${pattern} } = ${ref};`;
    }
    return fail(`${where}: cannot bundle "import ${c} from '${spec}'" (default imports are not supported: use import { name } or import * as ns)`);
  });
  code = code.replace(IMPORT_BARE, (_all, _q, spec) => {
    deps.push(resolveSpec(spec, key, where));
    return '';
  });
  code = code.replace(EXPORT_LIST, (_all, list) => {
    for (const { name, alias } of parseNames(list, where, 'an export list')) exportsList.push([alias, name]);
    return '';
  });
  code = code.replace(EXPORT_DECL, (_all, decl, fn, cls, variable) => {
    const name = fn ?? cls ?? variable;
    if (name === '{' || name === '[') fail(`${where}: destructuring exports are not supported`);
    exportsList.push([name, name]);
    return decl;
  });
  const leftover = code.match(/^[ \t]*(import|export)\b.*$/m);
  if (leftover) fail(`${where}: cannot bundle the statement "${leftover[0].trim()}"`);

  return { code, deps, exports: exportsList };
}

/** Bundles www/<entry> and what it imports into one classic-script expression. */
export function bundle(wwwDir, entry, swaps = SWAPS) {
  const modules = new Map();
  const order = [];
  const visiting = new Set();

  const visit = (key, chain) => {
    if (modules.has(key)) return;
    if (visiting.has(key)) fail(`import cycle: ${[...chain, key].join(' → ')} (the bundler needs an acyclic graph)`);
    visiting.add(key);
    const file = swaps.get(key) ?? key;
    let source;
    try {
      source = readFileSync(path.join(wwwDir, file), 'utf8');
    } catch {
      fail(`www/${file} not found (imported as ${key} by ${chain.at(-1) ?? 'the page'})`);
    }
    const mod = transformModule(file, source);
    for (const dep of mod.deps) visit(dep, [...chain, key]);
    visiting.delete(key);
    modules.set(key, { ...mod, file });
    order.push(key);
  };
  visit(entry, []);

  const parts = ['(async () => {', '"use strict";', 'const __sgdModules = Object.create(null);'];
  for (const key of order) {
    const { code, exports, file } = modules.get(key);
    const getters = exports
      .map(([exported, local]) => `${JSON.stringify(exported)}: { enumerable: true, get: () => ${local} }`)
      .join(', ');
    parts.push(
      `// ---- www/${file}${file === key ? '' : ` (as ${key})`} ----`,
      `__sgdModules[${JSON.stringify(key)}] = await (async () => {`,
      `const __exports = Object.create(null);`,
      `Object.defineProperties(__exports, { ${getters} });`,
      code.trimEnd(),
      'return __exports;',
      '})();',
    );
  }
  parts.push('})().catch((err) => { console.error("SGD Lab failed to start", err); });');
  return { code: parts.join('\n'), files: order.map((k) => modules.get(k).file) };
}

// ---------------------------------------------------------------------------------
// The page.

/** Text that may sit inside <script>/<style> without ending it early. */
function checkInlineSafe(text, tag, what) {
  const closing = new RegExp(`</${tag}`, 'i');
  if (closing.test(text)) fail(`${what} contains "</${tag}", which would end the inline <${tag}> early`);
  if (tag === 'script' && /<!--|<script/i.test(text)) fail(`${what} contains "<!--" or "<script", which changes how an inline script is parsed`);
}

function replaceOnce(html, pattern, replacement, what) {
  const matches = html.match(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`)) ?? [];
  if (matches.length !== 1) fail(`${what}: expected exactly one match in the page, found ${matches.length}`);
  return html.replace(pattern, () => replacement);
}

/** DIR/<id>.svg → `{ id: 'data:image/svg+xml;base64,…' }` (none without a DIR). */
function thumbsOf(dir) {
  if (!dir) return {};
  const out = {};
  for (const name of readdirSync(dir).sort()) {
    const m = name.match(/^([a-z0-9-]+)\.svg$/);
    if (!m) fail(`${dir}/${name}: the thumbnails directory holds only <lab id>.svg files`);
    out[m[1]] = `data:image/svg+xml;base64,${readFileSync(path.join(dir, name)).toString('base64')}`;
  }
  return out;
}

export function buildSingleFile({ html: htmlPath, glue, wasm, thumbs = null }) {
  const htmlDir = path.dirname(htmlPath);
  let html = readFileSync(htmlPath, 'utf8');

  // Stylesheets → one <style>.
  const sheets = [...html.matchAll(/<link\s+rel="stylesheet"\s+href="([^"]+)"\s*\/?>/g)].map((m) => m[1]);
  if (sheets.length === 0) fail(`${htmlPath}: no <link rel="stylesheet" href="…">`);
  const css = sheets.map((href) => {
    if (/^[a-z]+:|^\//i.test(href)) fail(`stylesheet ${href}: only relative stylesheets can be inlined`);
    const text = readFileSync(path.join(htmlDir, href), 'utf8');
    if (/@import\b/.test(text)) fail(`${href}: @import cannot be inlined`);
    const url = text.match(/url\(\s*['"]?(?!data:)([^)'"]*)/);
    if (url) fail(`${href}: url(${url[1]}) would not resolve in the single file (use a data: URL)`);
    return `/* ${href} */\n${text.trim()}`;
  }).join('\n');
  const styleText = `\n${css}\n`;
  checkInlineSafe(styleText, 'style', 'the stylesheet');

  // The entry module → one classic script: glue, wasm, bundled app.
  const entryMatch = html.match(/<script\s+type="module"\s+src="([^"]+)"\s*><\/script>/);
  if (!entryMatch) fail(`${htmlPath}: no <script type="module" src="…"></script>`);
  const entryPath = path.resolve(htmlDir, entryMatch[1]);
  const wwwDir = path.dirname(entryPath);
  const app = bundle(wwwDir, path.basename(entryPath));
  const glueText = readFileSync(glue, 'utf8');
  if (!/^let wasm_bindgen = /m.test(glueText)) fail(`${glue} is not wasm-bindgen --target no-modules output`);
  const wasmBytes = readFileSync(wasm);
  const pictures = thumbsOf(thumbs);
  const scriptText = [
    '',
    '// ---- wasm-bindgen glue (--target no-modules) ----',
    glueText.trim(),
    `// ---- the Rust core, ${wasmBytes.length} bytes of WebAssembly ----`,
    `const SGD_LAB_WASM_BASE64 = "${wasmBytes.toString('base64')}";`,
    '// ---- the landing page\'s pictures (sgd-lab thumbs), lab id → data: URL ----',
    `const SGD_LAB_THUMBS = ${JSON.stringify(pictures)};`,
    app.code,
    '',
  ].join('\n');
  checkInlineSafe(scriptText, 'script', 'the bundled script');

  // The icon → a data: URL (allowed by img-src data:, for images only).
  let iconData = null;
  html = html.replace(/<link\s+rel="icon"\s+href="([^"]+)"([^>]*)>/g, (all, href, rest) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return all;
    const bytes = readFileSync(path.join(htmlDir, href));
    const type = { '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon' }[path.extname(href)];
    if (!type) fail(`icon ${href}: only .svg, .png or .ico can be inlined`);
    iconData = type === 'image/svg+xml'
      ? `data:${type},${encodeURIComponent(bytes.toString('utf8').trim())}`
      : `data:${type};base64,${bytes.toString('base64')}`;
    return `<link rel="icon" href="${iconData}"${rest}>`;
  });

  const csp = [
    "default-src 'self'",
    `script-src ${sha256(scriptText)} 'wasm-unsafe-eval'`,
    `style-src ${sha256(styleText)}`,
    ...(iconData || Object.keys(pictures).length > 0 ? ['img-src data:'] : []),
  ].join('; ');

  const htmlTag = html.match(/<html\b([^>]*)>/);
  html = replaceOnce(html, /<html\b[^>]*>/, `<html${htmlTag?.[1] ?? ''} data-build="single">`, '<html>');
  html = replaceOnce(html, /<meta\s+http-equiv="Content-Security-Policy"\s+content="[^"]*"\s*\/?>/,
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`, 'the CSP <meta>');
  html = html.replace('<title>SGD Lab</title>', '<title>SGD Lab (single file)</title>');
  html = html.replace(/[ \t]*<link\s+rel="stylesheet"\s+href="[^"]+"\s*\/?>\n?/g, '');
  html = replaceOnce(html, /[ \t]*<script\s+type="module"\s+src="[^"]+"\s*><\/script>\n?/, '', 'the entry <script>');

  // Elements marked class="web-only" link to the site's other files: they mean
  // nothing in a file sent on its own, so they go (they must not nest their own tag).
  html = html.replace(/<([a-z][a-z0-9]*)\b[^>]*\bclass="(?:[^"]*\s)?web-only(?:\s[^"]*)?"[^>]*>([\s\S]*?)<\/\1>/gi, (all, tag, inner) => {
    if (new RegExp(`<${tag}\\b`, 'i').test(inner)) fail(`a class="web-only" <${tag}> contains another <${tag}>: the single-file build cannot remove it`);
    return '';
  });
  // Anything else relative would be a broken link once the file travels alone.
  for (const m of html.matchAll(/\s(?:src|href)="(?![a-z][a-z0-9+.-]*:|#)([^"]+)"/gi)) {
    fail(`the single file would keep the relative link "${m[1]}" (mark its element class="web-only" to drop it from the single file)`);
  }

  html = replaceOnce(html, /<\/head>/, `  <style>${styleText}</style>\n</head>`, '</head>');
  html = replaceOnce(html, /<\/body>/, `<script>${scriptText}</script>\n</body>`, '</body>');

  return { html, csp, modules: app.files, wasmBytes: wasmBytes.length };
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const out = buildSingleFile(opts);
  mkdirSync(path.dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, out.html);
  console.log(`inline: ${path.relative(process.cwd(), opts.out)} (${out.modules.length} modules: ${out.modules.join(', ')}; wasm ${out.wasmBytes} bytes)`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (err) {
    if (!(err instanceof BuildError)) throw err;
    console.error(`inline: error: ${err.message}`);
    process.exit(1);
  }
}
