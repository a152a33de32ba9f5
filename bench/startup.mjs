// Start-up benchmark (issue 17), each figure beside a baseline from the same run:
//   1. cold start offline (service worker and IndexedDB warm, the server gone and the network
//      off): a new tab to the person's card on Home, and straight to the check-in QR,
//      unthrottled and with 4x CPU throttling; against bench/baseline/, a hand-written
//      vanilla-JS page that reads the same IndexedDB rows and writes the same markup;
//   2. first visit on a slow 3G network (CDP Network.emulateNetworkConditions, DevTools' "Slow
//      3G": 2,000 ms round trip, 50 KB/s each way) to the first screen, against the baseline's
//      first visit;
//   3. memory (wasm linear memory, JS heap) with 500 books on the device, after the list and a
//      book's Home; against the same app on an empty device;
//   4. Lighthouse 12 (mobile preset, simulated throttling) performance and accessibility on Home
//      with a book open, against the baseline page with the same book.
// Release build in dist/, Debian Chromium, 390x844. Reads file names from dist/index.html only
// (the build decides them). Usage: node bench/startup.mjs [runs]   (needs dist/ and the fixtures)
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

import { CHROMIUM_ARGS, launchBrowser, newPhonePage } from '../e2e/support/browser.mjs';
import { expected, fixture } from '../e2e/support/fixtures.mjs';
import { startStaticServer } from '../e2e/support/static-server.mjs';
import { AppPage } from '../e2e/pages/app-page.mjs';
import { BooksPage } from '../e2e/pages/books-page.mjs';
import { keepWasmHandle, memory } from './memory.mjs';

const RUNS = Number(process.argv[2] ?? 7);
const SLOW_RUNS = Number(process.env.SLOW_RUNS ?? 3);
const LIGHTHOUSE_RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const SLOW_3G = { offline: false, latency: 2000, downloadThroughput: 50_000, uploadThroughput: 50_000 };
const HOME_READY = '[data-testid=insurance-status]';
const QR_READY = '[data-testid=check-in-qr] path';
const FIRST_SCREEN = 'main h1';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const stats = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });
const ms = ({ median, min, max }) => `${median.toFixed(0)} ms (${min.toFixed(0)}-${max.toFixed(0)})`;
const ratio = (a, b) => (a.median / b.median).toFixed(2);

// The baseline page, served from its own origin with the app's stylesheet beside it.
const baselineDir = await mkdtemp(join(tmpdir(), 'ssk-baseline-'));
await cp(new URL('./baseline/', import.meta.url).pathname, baselineDir, { recursive: true });
const index = await readFile('dist/index.html', 'utf8');
const css = index.match(/<link[^>]+rel="stylesheet"[^>]+href="\/?([^"]+)"/) ?? index.match(/<link[^>]+href="\/?([^"]+\.css)"/);
if (!css) throw new Error('no stylesheet named in dist/index.html');
await cp(join('dist', css[1]), join(baselineDir, 'style.css'));

// Gzipped, as a deployment serves them: what a phone downloads on a first visit.
const serve = () => Promise.all([
  startStaticServer({ root: 'dist', compress: true }),
  startStaticServer({ root: baselineDir, compress: true }),
]);

/** Every row of the app's database (a device without a secret: plain envelopes). */
async function dumpDatabase(page) {
  return page.evaluate(async () => {
    const request = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
    const db = await request(indexedDB.open('so-suc-khoe'));
    const dump = { version: db.version, stores: {} };
    const tx = db.transaction([...db.objectStoreNames], 'readonly');
    for (const name of db.objectStoreNames) {
      const store = tx.objectStore(name);
      const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
      dump.stores[name] = keys.map((k, i) => [k, values[i]]);
    }
    db.close();
    return dump;
  });
}

/** Writes `dump` (and extra settings) into the database of the page's origin, in one transaction. */
async function loadDatabase(page, dump, extraSettings = []) {
  await page.evaluate(async ([dump, extra]) => {
    const request = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
    const open = indexedDB.open('so-suc-khoe', dump.version);
    open.onupgradeneeded = () => {
      for (const name of Object.keys(dump.stores)) {
        if (!open.result.objectStoreNames.contains(name)) open.result.createObjectStore(name);
      }
    };
    const db = await request(open);
    const tx = db.transaction(Object.keys(dump.stores), 'readwrite');
    for (const [name, rows] of Object.entries(dump.stores)) {
      for (const [key, value] of rows) tx.objectStore(name).put(value, key);
    }
    for (const [key, value] of extra) tx.objectStore('settings').put(value, key);
    await new Promise((ok, fail) => { tx.oncomplete = ok; tx.onerror = () => fail(tx.error); });
    db.close();
  }, [dump, extraSettings]);
}

async function waitForServiceWorker(page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
}

/** Milliseconds from the navigation's start to `ready` in the DOM and painted, in a new tab. */
async function timeLoad(context, url, ready, { cpu = 1, network } = {}) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  if (cpu !== 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
  if (network) {
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', network);
  }
  await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
  const at = await page.evaluate((ready) => new Promise((resolve) => {
    const check = () => (document.querySelector(ready) ? requestAnimationFrame(() => resolve(performance.now())) : setTimeout(check, 5));
    check();
  }), ready);
  await page.close();
  return at;
}

async function series(context, url, ready, options, runs = RUNS) {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await timeLoad(context, url, ready, options));
  return stats(samples);
}

const browser = await launchBrowser();
const version = browser.version();

// ---- 1. Cold start offline ----
let [appServer, baseServer] = await serve();
const { context, page } = await newPhonePage(browser);
const app = new AppPage(page, appServer.url);
await new BooksPage(app).importFile(fixture('adult.json'));
await waitForServiceWorker(page);
await app.open('/check-in');
const qrSvg = await page.locator('svg[data-testid=check-in-qr]').evaluate((svg) => svg.outerHTML);
const dump = await dumpDatabase(page);
await page.goto(baseServer.url + '/');
await loadDatabase(page, dump, [['bench.qr-svg', { f: 1, b: JSON.stringify(qrSvg) }]]);
await page.reload();
await waitForServiceWorker(page);
await page.locator(HOME_READY).waitFor();
await page.close();

const appUrl = appServer.url;
const baseUrl = baseServer.url;
await appServer.close();
await baseServer.close();
await context.setOffline(true);

const cold = [];
for (const cpu of [1, 4]) {
  for (const [screen, path, ready] of [['Home, the person card', '/', HOME_READY], ['the check-in QR', '/check-in', QR_READY]]) {
    const base = await series(context, baseUrl + path, ready, { cpu });
    const ours = await series(context, appUrl + path, ready, { cpu });
    cold.push({ label: `${screen}${cpu === 1 ? '' : `, ${cpu}x CPU throttling`}`, ours, base });
  }
}
await context.close();

// ---- 2. First visit on slow 3G (fresh origins, nothing stored) ----
[appServer, baseServer] = await serve();
const firstVisit = [];
for (const [label, url] of [['baseline', baseServer.url], ['app', appServer.url]]) {
  const samples = [];
  for (let i = 0; i < SLOW_RUNS; i++) {
    const fresh = await browser.newContext({ viewport: { width: 390, height: 844 } });
    samples.push(await timeLoad(fresh, url + '/', FIRST_SCREEN, { network: SLOW_3G }));
    await fresh.close();
  }
  firstVisit.push({ label, ...stats(samples) });
}

// ---- 3. Memory with 500 books ----
const mem = await newPhonePage(browser);
await keepWasmHandle(mem.context);
const memApp = new AppPage(mem.page, appServer.url);
await memApp.open('/');
await mem.page.locator(FIRST_SCREEN).waitFor();
const emptyMemory = await memory(mem.page);
await new BooksPage(memApp).importFile(fixture('family.json'));
// 497 more books, each a copy of the 20-record book under its own citizen ID and address key.
await mem.page.evaluate(async ([template]) => {
  const request = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
  const db = await request(indexedDB.open('so-suc-khoe'));
  const tx = db.transaction(['books', 'vaccinations', 'prescriptions'], 'readwrite');
  const header = await request(tx.objectStore('books').get(template));
  const range = IDBKeyRange.bound([template], [template, []]);
  const records = {};
  for (const store of ['vaccinations', 'prescriptions']) {
    const s = tx.objectStore(store);
    const [keys, values] = await Promise.all([request(s.getAllKeys(range)), request(s.getAll(range))]);
    records[store] = keys.map((k, i) => [k[1], values[i]]);
  }
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  for (let n = 0; n < 497; n++) {
    const id = `0011900${String(n).padStart(5, '0')}`;
    const body = JSON.parse(header.b);
    body.profile.citizen_id = id;
    body.profile.full_name = `${body.profile.full_name} ${n}`;
    body.profile.old_id_number = null;
    // A key of the app's form (16 characters of a-z, 2-7), unique per copy.
    const key = Array.from({ length: 16 }, (_, i) => alphabet[Math.floor(n / 32 ** i) % 32]).join('');
    tx.objectStore('books').put({ ...header, b: JSON.stringify(body), k: key }, id);
    for (const [store, rows] of Object.entries(records)) {
      for (const [recordId, value] of rows) tx.objectStore(store).put(value, [id, recordId]);
    }
  }
  await new Promise((ok, fail) => { tx.oncomplete = ok; tx.onerror = () => fail(tx.error); });
  db.close();
}, [expected['long-address'].citizenId]);
await mem.page.reload();
const memBooks = new BooksPage(memApp);
await memBooks.openList();
const listed = await memBooks.rows().count();
await memBooks.openBookOf(expected.adult.name);
await mem.page.locator(HOME_READY).waitFor();
const fullMemory = await memory(mem.page);
await mem.context.close();

// ---- 4. Lighthouse on Home with a book open ----
const lhChrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  chromeFlags: ['--headless=new', ...CHROMIUM_ARGS],
});
const remote = await chromium.connectOverCDP(`http://127.0.0.1:${lhChrome.port}`);
const lhPage = await remote.contexts()[0].newPage();
const lhApp = new AppPage(lhPage, appServer.url);
await new BooksPage(lhApp).importFile(fixture('adult.json'));
await waitForServiceWorker(lhPage);
await lhPage.goto(baseServer.url + '/');
await loadDatabase(lhPage, dump);
await lhPage.close();
const scores = [];
for (const [label, url] of [['baseline', baseServer.url + '/'], ['app', appServer.url + '/']]) {
  const runs = [];
  for (let i = 0; i < LIGHTHOUSE_RUNS; i++) {
    const result = await lighthouse(url, {
      port: lhChrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility'],
      // Keep the stored book (and the service worker): "Home with a book open".
      disableStorageReset: true,
    });
    const { categories, audits } = result.lhr;
    runs.push({
      performance: categories.performance.score * 100,
      accessibility: categories.accessibility.score * 100,
      lcp: audits['largest-contentful-paint'].numericValue,
      tbt: audits['total-blocking-time'].numericValue,
    });
  }
  scores.push({ label, runs });
}
await remote.close().catch(() => {});
await lhChrome.kill();
await browser.close();
await appServer.close();
await baseServer.close();
await rm(baselineDir, { recursive: true, force: true });

// ---- Report ----
console.log(`\nChromium ${version}; ${RUNS} runs per cold-start figure, ${SLOW_RUNS} per first visit, ${LIGHTHOUSE_RUNS} Lighthouse runs\n`);
console.log('Cold start offline (new tab, navigation start to content painted), median (min-max):\n');
console.log('| to | app | vanilla-JS baseline | ratio |');
console.log('| --- | --- | --- | --- |');
for (const r of cold) console.log(`| ${r.label} | ${ms(r.ours)} | ${ms(r.base)} | ${ratio(r.ours, r.base)} |`);
console.log('\nFirst visit, slow 3G (2,000 ms RTT, 50 KB/s), navigation start to the first screen:\n');
const [fvBase, fvApp] = firstVisit;
console.log(`| app | ${ms(fvApp)} | baseline ${ms(fvBase)} | ratio ${ratio(fvApp, fvBase)} |`);
console.log(`\nMemory with ${listed} books listed and the 40-year book on Home: wasm ${fullMemory.wasmMiB.toFixed(1)} MiB, ` +
  `JS heap ${fullMemory.heapMiB.toFixed(1)} MiB (total ${(fullMemory.wasmMiB + fullMemory.heapMiB).toFixed(1)} MiB); ` +
  `empty device, same app: wasm ${emptyMemory.wasmMiB.toFixed(1)} MiB, JS heap ${emptyMemory.heapMiB.toFixed(1)} MiB`);
console.log('\nLighthouse 12 (mobile preset), Home with a book open, median (min-max):\n');
console.log('| page | performance | accessibility | LCP ms | TBT ms |');
console.log('| --- | --- | --- | --- | --- |');
for (const { label, runs } of scores) {
  const col = (f) => { const s = stats(runs.map(f)); return `${s.median.toFixed(0)} (${s.min.toFixed(0)}-${s.max.toFixed(0)})`; };
  console.log(`| ${label} | ${col((r) => r.performance)} | ${col((r) => r.accessibility)} | ${col((r) => r.lcp)} | ${col((r) => r.tbt)} |`);
}
