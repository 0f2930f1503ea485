// Service worker of the kiemtra PWA. `cargo xtask build-pwa` fills in the cache name (it changes
// with every asset) and the exact list of hashed files to precache.
//
// - API calls (/api/) are never touched: they must reach the server or fail visibly.
// - Page loads go to the network first and fall back to the cached app shell, so the app opens
//   on a site with no signal.
// - Other files of the shell are content-hashed: served from the cache first.
// - The agency screens (/agency, their own bundle) are not precached, so a phone never downloads
//   them; once used, their page and hashed files are kept in the same cache.

const CACHE = '__KIEMTRA_CACHE__';
const PRECACHE = __KIEMTRA_PRECACHE__;
const SHELL = '/index.html';
const AGENCY_SHELL = '/agency.html';
/** Files whose name carries their content hash: safe to keep until the next build. */
const HASHED = /-[0-9a-f]{16}(?:_bg\.wasm|\.js|\.css)$/;

function isAgencyPage(pathname) {
  return pathname === '/agency' || pathname.startsWith('/agency/');
}

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
    const agency = isAgencyPage(url.pathname);
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (agency && response.ok) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(AGENCY_SHELL, copy));
          }
          return response;
        })
        .catch(() =>
          caches.open(CACHE)
            .then((cache) => cache.match(agency ? AGENCY_SHELL : SHELL))
            .then((shell) => shell || Response.error()),
        ),
    );
    return;
  }

  event.respondWith(
    caches.open(CACHE).then((cache) =>
      cache.match(request).then((hit) => hit || fetch(request).then((response) => {
        if (response.ok && HASHED.test(url.pathname)) cache.put(request, response.clone());
        return response;
      }))),
  );
});
