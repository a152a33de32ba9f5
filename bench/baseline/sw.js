// The baseline's service worker: what the app's does, for three files. Precache at install,
// answer navigations with the page and files from the cache, so the baseline too opens offline.
const CACHE = 'baseline-v1';
const FILES = ['/index.html', '/baseline.js', '/style.css'];
self.addEventListener('install', (e) => e.waitUntil(caches.open(CACHE).then((c) => c.addAll(FILES))));
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (url.origin !== location.origin || e.request.method !== 'GET') return;
  const key = e.request.mode === 'navigate' ? '/index.html' : url.pathname;
  e.respondWith(caches.match(key).then((hit) => hit ?? fetch(e.request)));
});
