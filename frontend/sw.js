// Service worker of the kiemtra PWA. `cargo xtask build-pwa` fills in the cache name (it changes
// with every asset) and the exact list of hashed files to precache.
//
// - API calls (/api/) are never touched: they must reach the server or fail visibly.
// - Page loads go to the network first and fall back to the cached app shell, so the app opens
//   on a site with no signal.
// - Other files of the shell are content-hashed: served from the cache first.

const CACHE = '__KIEMTRA_CACHE__';
const PRECACHE = __KIEMTRA_PRECACHE__;
const SHELL = '/index.html';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;

  if (request.mode === 'navigate') {
    event.respondWith(
      fetch(request).catch(() =>
        caches.open(CACHE)
          .then((cache) => cache.match(SHELL))
          .then((shell) => shell || Response.error()),
      ),
    );
    return;
  }

  event.respondWith(
    caches.open(CACHE)
      .then((cache) => cache.match(request))
      .then((hit) => hit || fetch(request)),
  );
});
