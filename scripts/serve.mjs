#!/usr/bin/env node
// A small static server for dist/ (development and the browser tests).
//   node scripts/serve.mjs [--port P] [--host H] [--prefix /sub/path/] [DIR]
// Defaults: DIR dist, host 127.0.0.1, port 8000 (0 = any free port; if P is taken
// the next free port is used). Serves DIR under PREFIX (default /), with the right
// MIME types (application/wasm for .wasm) and the page's Content-Security-Policy as
// a header: for an HTML file the policy of its own <meta http-equiv> (so the header
// and the meta never disagree), else the site's default policy.
// As a module: `import { startServer } from './serve.mjs'`.

import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.woff2': 'font/woff2',
};

const CSP_META = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i;

function send(res, status, body, headers = {}) {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Security-Policy': DEFAULT_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
    ...headers,
  });
  res.end(body);
}

/** The request handler for `root` served under `prefix` (which ends with "/"). */
export function staticHandler(root, prefix = '/') {
  const base = path.resolve(root);
  return async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
        return;
      }
      const url = new URL(req.url, 'http://localhost');
      let pathname;
      try {
        pathname = decodeURIComponent(url.pathname);
      } catch {
        send(res, 400, 'bad request\n');
        return;
      }
      if (`${pathname}/` === prefix) {
        // Relative URLs need the trailing slash.
        send(res, 301, '', { Location: `${prefix}${url.search}` });
        return;
      }
      if (!pathname.startsWith(prefix) || pathname.includes('\0')) {
        send(res, 404, 'not found\n');
        return;
      }
      let rel = pathname.slice(prefix.length);
      if (rel === '' || rel.endsWith('/')) rel += 'index.html';
      const file = path.resolve(base, rel);
      if (file !== base && !file.startsWith(base + path.sep)) {
        send(res, 404, 'not found\n');
        return;
      }
      let info;
      try {
        info = await stat(file);
      } catch {
        send(res, 404, 'not found\n');
        return;
      }
      if (info.isDirectory()) {
        send(res, 301, '', { Location: `${url.pathname}/${url.search}` });
        return;
      }
      const body = await readFile(file);
      const ext = path.extname(file).toLowerCase();
      let csp = DEFAULT_CSP;
      if (ext === '.html') {
        const meta = body.toString('utf8').match(CSP_META);
        if (meta) csp = meta[1];
      }
      res.writeHead(200, {
        'Content-Type': MIME[ext] ?? 'application/octet-stream',
        'Content-Length': body.length,
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      if (!res.headersSent) send(res, 500, 'internal error\n');
      else res.destroy();
      console.error('serve:', err);
    }
  };
}

function normalisePrefix(prefix) {
  let p = prefix || '/';
  if (!p.startsWith('/')) p = `/${p}`;
  if (!p.endsWith('/')) p = `${p}/`;
  return p;
}

/** Starts serving `root`; resolves to `{ url, port, server, close() }` once listening.
 *  `port: 0` picks a free port. */
export async function startServer({ root = 'dist', host = '127.0.0.1', port = 0, prefix = '/' } = {}) {
  const pre = normalisePrefix(prefix);
  const server = http.createServer(staticHandler(root, pre));
  const sockets = new Set();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = server.address().port;
  const url = `http://${host}:${actual}${pre}`;
  const close = () => new Promise((resolve) => {
    for (const socket of sockets) socket.destroy();
    server.close(() => resolve());
  });
  return { url, port: actual, server, close };
}

function parseArgs(argv) {
  const opts = { root: null, host: '127.0.0.1', port: 8000, prefix: '/' };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[(i += 1)];
    };
    if (arg === '--port' || arg === '-p') opts.port = Number(value());
    else if (arg === '--host') opts.host = value();
    else if (arg === '--prefix') opts.prefix = value();
    else if (arg === '--help' || arg === '-h') opts.help = true;
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else if (opts.root === null) opts.root = arg;
    else throw new Error(`unexpected argument ${arg}`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    throw new Error('--port must be an integer from 0 to 65535');
  }
  opts.root ??= 'dist';
  return opts;
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`serve: ${err.message}\nusage: node scripts/serve.mjs [--port P] [--host H] [--prefix /sub/] [DIR]`);
    process.exit(2);
  }
  if (opts.help) {
    console.log('usage: node scripts/serve.mjs [--port P] [--host H] [--prefix /sub/] [DIR]');
    return;
  }
  try {
    const info = await stat(path.join(opts.root, 'index.html'));
    if (!info.isFile()) throw new Error();
  } catch {
    console.error(`serve: ${path.join(opts.root, 'index.html')} not found: build first (bash scripts/build-web.sh)`);
    process.exit(1);
  }
  let served;
  for (let port = opts.port, tries = 0; ; port += 1, tries += 1) {
    try {
      served = await startServer({ ...opts, port });
      break;
    } catch (err) {
      if (err.code !== 'EADDRINUSE' || opts.port === 0 || tries >= 20) throw err;
    }
  }
  console.log(`Serving ${path.resolve(opts.root)} at ${served.url}`);
  console.log(`  single file: ${served.url}sgd-lab.html   embed: ${served.url}embed.html`);
  console.log('  (Ctrl-C to stop)');
  const stop = () => served.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`serve: ${err.message}`);
    process.exit(1);
  });
}
