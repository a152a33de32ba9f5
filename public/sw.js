// The service worker: makes the app open with no network at all.
//
// - At install it stores the app shell: exactly the files the release build produced, listed by
//   scripts/postbuild.mjs (it fills the two constants below; never edit the list by hand).
// - Navigations inside the app get the stored index.html, so every deep link works offline,
//   whatever its last path segment looks like (`/vaccinations/imm.2024`).
// - Stored files are answered from the cache first: their names carry a content hash, so a stored
//   file is never stale.
// - Nothing else is touched: requests to other origins (the FHIR sync server), non-GET requests,
//   same-origin API paths, requests for files with a query string (the reachability probe) or with
//   `cache: 'no-store'`, and any URL not in the build go to the network and are never stored. The
//   worker writes to its cache only at install.
// - A new version waits until the page asks it to take over (the "new version: reload" banner); it
//   never calls skipWaiting on its own, so nothing reloads under a person showing their QR.
// - On activate it deletes the caches of older versions.

const BUILD_VERSION = self.__BUILD_VERSION__; // filled by scripts/postbuild.mjs
const PRECACHE = self.__PRECACHE__; // filled by scripts/postbuild.mjs

const CACHE_PREFIX = 'ssk-shell-';
const CACHE_NAME = CACHE_PREFIX + BUILD_VERSION;
const APP_SHELL = '/index.html';
// Same-origin paths the app uses as an API (none today; a same-origin proxy to the sync server
// would live here). Never answered from or written to the cache.
const API_PREFIXES = ['/api/', '/fhir/'];
// Messages from the page (app/src/browser/service_worker.rs sends the same strings).
const MSG_SKIP_WAITING = 'SKIP_WAITING';
const MSG_GET_VERSION = 'GET_VERSION';

const processed = typeof BUILD_VERSION === 'string' && Array.isArray(PRECACHE);
const precached = new Set(processed ? PRECACHE : []);

self.addEventListener('install', (event) => {
  if (!processed) {
    // `trunk serve` copies public/ as is: better no worker than one that caches nothing useful.
    // A rejected waitUntil fails the install (a thrown error would only be reported).
    event.waitUntil(Promise.reject(new Error('sw.js was not processed by scripts/postbuild.mjs')));
    return;
  }
  event.waitUntil(
    caches.open(CACHE_NAME).then((cache) =>
      // `no-cache` revalidates with the server, so the stored files are the ones this build
      // produced, yet a file the browser already holds costs only a 304 on a slow network.
      cache.addAll(PRECACHE.map((path) => new Request(path, { cache: 'no-cache' }))),
    ),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME)
            .map((name) => caches.delete(name)),
        ),
      )
      // The first install controls the open page at once (nothing older to conflict with); for an
      // update, activation only happens after the page asked for it, or after every tab closed.
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  const type = event.data && event.data.type;
  if (type === MSG_SKIP_WAITING) {
    self.skipWaiting();
  } else if (type === MSG_GET_VERSION && event.ports[0]) {
    event.ports[0].postMessage({ version: BUILD_VERSION });
  }
});

/** Same-origin paths the app uses as an API: never answered from the cache. */
function isApi(url) {
  return API_PREFIXES.some((prefix) => url.pathname.startsWith(prefix));
}

/**
 * A navigation is always to an app route: the build has no page but index.html, and a route may
 * end in what looks like a file extension (a record whose FHIR id is `imm.2024`).
 */
function isAppRoute(request) {
  return request.mode === 'navigate';
}

async function fromCache(path, request) {
  const cache = await caches.open(CACHE_NAME);
  const hit = await cache.match(path);
  // A miss (storage evicted under pressure, or a file outside the build) falls back to the network.
  return hit ?? fetch(request);
}

self.addEventListener('fetch', (event) => {
  if (!processed) return;
  const request = event.request;
  const url = new URL(request.url);
  // Not answering (no respondWith) leaves the request to the network, untouched and unstored.
  if (request.method !== 'GET' || url.origin !== self.location.origin || isApi(url)) return;
  if (isAppRoute(request)) {
    // Any app route, with or without a query string, gets the stored shell; the router takes over.
    event.respondWith(fromCache(APP_SHELL, request));
    return;
  }
  // A query string or `no-store` marks a request that must reach the network (the reachability
  // probe asks for /manifest.webmanifest?probe with cache: 'no-store').
  if (request.cache === 'no-store' || url.search !== '') return;
  if (precached.has(url.pathname)) event.respondWith(fromCache(url.pathname, request));
});
