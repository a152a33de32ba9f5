// The service worker: makes the app open with no network at all.
//
// - At install it stores the app shell: exactly the files the release build produced, listed by
//   scripts/postbuild.mjs (it fills the two constants below; never edit the list by hand).
//   The page registers this worker only once its first screen has mounted
//   (app/src/browser/sw_started.rs), so on a first visit these downloads start after the screen's.
// - Navigations inside the app get the stored index.html, so every deep link works offline,
//   whatever its last path segment looks like (`/vaccinations/imm.2024`).
// - Stored files are answered from the cache first: their names carry a content hash, so a stored
//   file is never stale.
// - Nothing else is touched: requests to other origins (the FHIR sync server), non-GET requests,
//   same-origin API paths, requests for files with a query string (the reachability probe) or with
//   `cache: 'no-store'`, and any URL not in the build go to the network and are never stored
//   (rolled back, the previous version's files come from its cache). The worker writes to its
//   cache only at install.
// - A new version waits until the page asks it to take over (the "new version: reload" banner); it
//   never calls skipWaiting on its own, so nothing reloads under a person showing their QR.
// - A new version keeps the previous version's cache until it has started once, and rolls back
//   to it otherwise (see "Rollback of a bad update" below).

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
const MSG_STARTED = 'STARTED';

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
    caches.open(CACHE_NAME).then(async (cache) => {
      // `no-cache` revalidates with the server, so the stored files are the ones this build
      // produced, yet a file the browser already holds costs only a 304 on a slow network.
      await cache.addAll(PRECACHE.map((path) => new Request(path, { cache: 'no-cache' })));
      await checkShell(cache);
    }),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    // The previous version stays until this one has started (rollback); older ones go.
    keepPreviousVersion()
      // The first install controls the open page at once (nothing older to conflict with); for an
      // update, activation only happens after the page asked for it, or after every tab closed.
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  const type = event.data && event.data.type;
  if (type === MSG_SKIP_WAITING) {
    self.skipWaiting();
  } else if (type === MSG_STARTED) {
    confirming = confirming.then(confirmStarted, confirmStarted);
    event.waitUntil(confirming);
  } else if (type === MSG_GET_VERSION && event.ports[0]) {
    // After any confirmation under way, so what the page reads next (caches) is settled.
    const port = event.ports[0];
    event.waitUntil(confirming.then(() => port.postMessage({ version: BUILD_VERSION })));
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
    event.respondWith(shellFor(request));
    return;
  }
  // A query string or `no-store` marks a request that must reach the network (the reachability
  // probe asks for /manifest.webmanifest?probe with cache: 'no-store').
  if (request.cache === 'no-store' || url.search !== '') return;
  if (precached.has(url.pathname)) {
    event.respondWith(fromCache(url.pathname, request));
  } else {
    // Rolled back, the previous version's shell asks for its own (differently hashed) files.
    event.respondWith(fromRollbackCache(url.pathname, request));
  }
});

// ---- Rollback of a bad update (issue 18) ----------------------------------------------------
// A new version must have started once before the previous one is let go:
// - Install checks that index.html names only files of this build and that its scripts, wasm and
//   styles were stored as what they are (a server that answers a missing file with index.html
//   would otherwise have it stored as the app's script). A mismatch fails the install: the
//   browser keeps the installed version, and this one is never activated.
// - Activate keeps the previous version's cache beside its own, and notes it in the rollback
//   state (`confirmed`: the version that last started).
// - The page posts STARTED once the app has mounted (app/src/browser/sw_started.rs): the
//   previous cache and the rollback state are deleted, so after a good update only this
//   version's cache is left, as before.
// - Every navigation answered while this version has not started yet counts; from the
//   (MAX_UNCONFIRMED_STARTS + 1)-th on, navigations get the previous version's index.html and its
//   files from its cache (rolled back), until a newer version installs.
// The rollback state is a cache of its own (a worker has no localStorage), outside CACHE_PREFIX,
// and exists only between an update's activation and its first start.
const ROLLBACK_CACHE = 'ssk-rollback';
const ROLLBACK_STATE = '/__ssk-rollback-state';
const MAX_UNCONFIRMED_STARTS = 2;

let confirming = Promise.resolve();

async function checkShell(cache) {
  const index = await cache.match(APP_SHELL);
  const html = index ? await index.text() : '';
  const named = [...html.matchAll(/\b(?:src|href)="(\/[^"?#]*)"/g)].map((m) => m[1]);
  const outside = named.filter((path) => !precached.has(path));
  if (!index || outside.length > 0) {
    throw new Error(`index.html names files outside this build: ${outside.join(', ')}`);
  }
  for (const path of PRECACHE.filter((p) => /\.(js|wasm|css)$/.test(p))) {
    const stored = await cache.match(path);
    if (!stored || (stored.headers.get('content-type') ?? '').includes('text/html')) {
      throw new Error(`${path} was served as a page, not as the file the build made`);
    }
  }
}

/** `{ confirmed, version, starts, rolledBack }` while `version` (this one) has not started. */
async function readState() {
  // Not caches.open: that would create the cache, and it must exist only during an update.
  if (!(await caches.has(ROLLBACK_CACHE))) return null;
  const stored = await (await caches.open(ROLLBACK_CACHE)).match(ROLLBACK_STATE);
  return stored ? stored.json().catch(() => null) : null;
}

async function writeState(state) {
  const cache = await caches.open(ROLLBACK_CACHE);
  const body = JSON.stringify(state);
  await cache.put(ROLLBACK_STATE, new Response(body, { headers: { 'content-type': 'application/json' } }));
}

/** The previous version's cache while this version has not started, else null. */
async function previousCache(state) {
  if (!state || state.version !== BUILD_VERSION || !state.confirmed) return null;
  const name = CACHE_PREFIX + state.confirmed;
  return (await caches.has(name)) ? name : null;
}

async function deleteShellCachesExcept(kept) {
  const keep = new Set([CACHE_NAME, kept]);
  const names = await caches.keys();
  await Promise.all(
    names.filter((name) => name.startsWith(CACHE_PREFIX) && !keep.has(name)).map((name) => caches.delete(name)),
  );
}

async function keepPreviousVersion() {
  const state = await readState();
  // The version that last started: named by an earlier update that never started, else the one
  // other cache there is (a worker from before this rollback logic left no state).
  let confirmed = state?.confirmed ?? null;
  if (!confirmed) {
    const others = (await caches.keys()).filter((n) => n.startsWith(CACHE_PREFIX) && n !== CACHE_NAME);
    if (others.length === 1) confirmed = others[0].slice(CACHE_PREFIX.length);
  }
  if (confirmed && confirmed !== BUILD_VERSION && (await caches.has(CACHE_PREFIX + confirmed))) {
    await writeState({ confirmed, version: BUILD_VERSION, starts: 0, rolledBack: false });
    await deleteShellCachesExcept(CACHE_PREFIX + confirmed);
  } else {
    await deleteShellCachesExcept(null);
    await caches.delete(ROLLBACK_CACHE);
  }
}

async function confirmStarted() {
  const state = await readState();
  // A rolled-back page is the previous version starting: it confirms nothing of this one.
  if (state && state.version === BUILD_VERSION && state.rolledBack) return;
  await deleteShellCachesExcept(null);
  await caches.delete(ROLLBACK_CACHE);
}

async function shellFor(request) {
  const state = await readState();
  const previous = await previousCache(state);
  if (previous) {
    const starts = state.starts + 1;
    const rolledBack = state.rolledBack || starts > MAX_UNCONFIRMED_STARTS;
    await writeState({ ...state, starts, rolledBack });
    if (rolledBack) {
      const hit = await (await caches.open(previous)).match(APP_SHELL);
      if (hit) return hit;
    }
  }
  return fromCache(APP_SHELL, request);
}

/** A file outside this build: once rolled back, from the previous version's cache. */
async function fromRollbackCache(path, request) {
  const state = await readState();
  const previous = state?.rolledBack ? await previousCache(state) : null;
  const hit = previous ? await (await caches.open(previous)).match(path) : undefined;
  return hit ?? fetch(request);
}
