// SGD Lab's service worker: the site works offline once a page of it has been opened.
// Network first, the cache as the fallback: online, every load gets the files as they
// are now (an update shows at once, never a stale mix); offline, the files of the last
// visit. On install it caches every file the site needs, so a lab never opened before
// works offline too. scripts/build-web.sh writes the list and the version (a hash of
// the files) into dist/sw.js; a new version replaces the old cache when it activates.
// Only this origin's GET requests are touched (the site makes no other).

const VERSION = 'dev';
const FILES = [];
const CACHE = `sgd-lab-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE)
    .then((cache) => cache.addAll(FILES))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys
      .filter((key) => key.startsWith('sgd-lab-') && key !== CACHE)
      .map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(fetch(request)
    .then((response) => {
      if (response.ok && response.type === 'basic') {
        const copy = response.clone();
        event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
      }
      return response;
    })
    .catch(() => caches.open(CACHE)
      .then((cache) => cache.match(request, { ignoreSearch: true }))
      .then((cached) => cached ?? Response.error())));
});
