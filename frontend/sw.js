// Service worker of the kiemtra PWA. `cargo xtask build-pwa` fills in the cache name (it changes
// with every asset) and the exact list of hashed files to precache.
//
// - API calls (/api/) are never touched: they must reach the server or fail visibly.
// - Page loads go to the network first and fall back to the cached app shell, so the app opens
//   on a site with no signal.
// - Other files of the shell are content-hashed: served from the cache first.
// - The agency screens (/agency) and the enterprise portal (/portal), each a bundle of its own,
//   are not precached, so a phone never downloads them; once used, their page and hashed files
//   are kept in the same cache.

const CACHE = '__KIEMTRA_CACHE__';
const PRECACHE = __KIEMTRA_PRECACHE__;
const SHELL = '/index.html';
/** The pages of the bundles that are cached when first used, by the first segment of the path. */
const LATER_SHELLS = { agency: '/agency.html', portal: '/portal.html' };
/** Files whose name carries their content hash: safe to keep until the next build. */
const HASHED = /-[0-9a-f]{16}(?:_bg\.wasm|\.js|\.css)$/;

/** The page of a bundle that is not precached, for a path of its screens; `undefined` otherwise. */
function laterShellOf(pathname) {
  const first = pathname.split('/')[1];
  return Object.prototype.hasOwnProperty.call(LATER_SHELLS, first) ? LATER_SHELLS[first] : undefined;
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
    const later = laterShellOf(url.pathname);
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (later && response.ok) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(later, copy));
          }
          return response;
        })
        .catch(() =>
          caches.open(CACHE)
            .then((cache) => cache.match(later || SHELL))
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
