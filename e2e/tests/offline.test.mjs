// Installable and fully offline: the manifest and its icons, the service worker's precache (the
// files the build produced), every screen by deep link with the server gone, and an update that
// waits for the person's tap and keeps their data. Each test has its own server, so stopping one
// does not disturb another.
//
// Books and the check-in QR come from other work: extend `every screen opens from the cache` with
// a stored book and its QR once they exist.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

import { startStaticServer } from '../support/static-server.mjs';
import { launchBrowser, newPhonePage } from '../support/browser.mjs';
import { SCREENS } from '../pages/app-page.mjs';
import { OFFLINE_LABELS, OfflineApp } from '../pages/offline-app.mjs';

// SSK_DIST: a copy of dist/ to test, when other builds keep rewriting the shared one.
const DIST = process.env.SSK_DIST ?? 'dist';

/** The precache list and build version that scripts/postbuild.mjs wrote into sw.js. */
function builtServiceWorker(dir) {
  const sw = readFileSync(join(dir, 'sw.js'), 'utf8');
  const version = sw.match(/^const BUILD_VERSION = (".*?");/m);
  const precache = sw.match(/^const PRECACHE = (\[.*?\]);/m);
  assert.ok(version && precache, 'sw.js was processed by scripts/postbuild.mjs');
  return { version: JSON.parse(version[1]), precache: JSON.parse(precache[1]) };
}

function filesOf(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesOf(full) : ['/' + relative(DIST, full).split('\\').join('/')];
  });
}

let browser;
const servers = [];
const temporary = [];

async function server(root = DIST) {
  const started = await startStaticServer({ root });
  servers.push(started);
  return started;
}

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

describe('installable', () => {
  test('the manifest has what install needs, and its icons load at their sizes', async () => {
    const { url } = await server();
    const { context, page } = await newPhonePage(browser);
    const app = new OfflineApp(page, url);
    await app.open('/');

    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    const manifest = await page.evaluate(async (h) => (await fetch(h)).json(), href);
    assert.equal(manifest.name, 'Sổ Sức Khỏe điện tử');
    assert.equal(manifest.short_name, 'Sổ Sức Khỏe');
    assert.equal(manifest.lang, 'vi');
    assert.equal(manifest.translations.en.short_name, 'Health Book');
    assert.equal(manifest.start_url, '/');
    assert.equal(manifest.scope, '/');
    assert.equal(manifest.display, 'standalone');
    assert.match(manifest.theme_color, /^#[0-9a-f]{6}$/i);
    assert.match(manifest.background_color, /^#[0-9a-f]{6}$/i);
    for (const purpose of ['any', 'maskable']) {
      for (const size of ['192x192', '512x512']) {
        assert.ok(
          manifest.icons.some((i) => i.purpose === purpose && i.sizes === size && i.type === 'image/png'),
          `a ${purpose} icon of ${size}`,
        );
      }
    }
    // Each icon (and the iOS one) loads, is a PNG and has the size it claims.
    const appleIcon = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
    const icons = [...manifest.icons, { src: appleIcon, sizes: '180x180' }];
    for (const icon of icons) {
      const seen = await page.evaluate(async (src) => {
        const response = await fetch(src);
        const bitmap = await createImageBitmap(await response.blob());
        return { status: response.status, type: response.headers.get('content-type'), size: `${bitmap.width}x${bitmap.height}` };
      }, icon.src);
      assert.equal(seen.status, 200, icon.src);
      assert.match(seen.type, /^image\/png/, icon.src);
      assert.equal(seen.size, icon.sizes, icon.src);
    }
    // iOS reads these instead of the manifest.
    for (const name of ['apple-mobile-web-app-capable', 'apple-mobile-web-app-title', 'apple-mobile-web-app-status-bar-style']) {
      assert.equal(await page.locator(`meta[name="${name}"]`).count(), 1, name);
    }
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('the service worker controls the page and stored exactly the files of the build', async () => {
    const { url } = await server();
    const { context, page } = await newPhonePage(browser);
    const app = new OfflineApp(page, url);
    await app.open('/');
    await app.waitForServiceWorker();

    const built = builtServiceWorker(DIST);
    const expected = filesOf(DIST)
      .filter((f) => !['/sw.js', '/build-report.json'].includes(f) && !f.endsWith('.map'))
      .sort();
    assert.deepEqual(built.precache, expected, 'the precache list is the build output');
    assert.equal(await app.serviceWorkerVersion(), built.version);
    assert.deepEqual(await app.caches(), { [`ssk-shell-${built.version}`]: expected });
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('Settings offers the install the browser holds, and opens it on a tap', async () => {
    const { url } = await server();
    const { context, page } = await newPhonePage(browser);
    const app = new OfflineApp(page, url);
    await app.open('/settings');
    const card = app.installCard();
    await card.waitFor();
    // Headless Chromium never offers installation by itself: nothing to tap, the menu hint instead.
    assert.equal(await card.getByRole('button').count(), 0);
    await card.getByText(OFFLINE_LABELS.vi.browserMenu).waitFor();

    // What Chromium fires once the app is installable.
    const keptByApp = await page.evaluate(() => {
      const event = new Event('beforeinstallprompt', { cancelable: true });
      window.installPrompts = 0;
      event.prompt = async () => {
        window.installPrompts += 1;
        return { outcome: 'accepted' };
      };
      event.userChoice = Promise.resolve({ outcome: 'accepted', platform: 'web' });
      return !window.dispatchEvent(event);
    });
    assert.ok(keptByApp, 'the app keeps the event (no browser mini-infobar)');
    await card.getByRole('button', { name: OFFLINE_LABELS.vi.installAction }).click();
    await card.getByText(OFFLINE_LABELS.vi.installDone).waitFor();
    assert.equal(await page.evaluate(() => window.installPrompts), 1);
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('on an iPhone in Safari, Settings explains Share, then Add to Home Screen', async () => {
    const { url } = await server();
    const { context, page } = await newPhonePage(browser, {
      userAgent:
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      hasTouch: true,
    });
    const app = new OfflineApp(page, url);
    await app.open('/settings');
    await app.installCard().getByText(OFFLINE_LABELS.vi.iosSteps).waitFor();
    assert.deepEqual(page.problems, []);
    await context.close();
  });
});

describe('offline', () => {
  test('with the server stopped and no network, every screen opens by deep link from the cache', async () => {
    const local = await server();
    const { context, page } = await newPhonePage(browser);
    const app = new OfflineApp(page, local.url);
    await app.open('/');
    await app.waitForServiceWorker();
    await app.waitForConnectionStatus('');

    await context.setOffline(true);
    await local.close();
    await app.waitForConnectionStatus(OFFLINE_LABELS.vi.offline);

    await page.reload();
    await page.locator('#loading-shell').waitFor({ state: 'detached' });
    await app.expectScreen('home');
    for (const { key, path } of SCREENS) {
      await app.open(path);
      await app.expectScreen(key);
      assert.equal(await app.connectionStatus().textContent(), OFFLINE_LABELS.vi.offline, path);
    }
    // Tapping through works too (the router, not the network).
    await app.tapNav('vaccinations');
    await app.expectScreen('vaccinations');
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('the reachability probe goes to the network, never to the cache', async () => {
    const local = await server();
    const { context, page } = await newPhonePage(browser);
    const app = new OfflineApp(page, local.url);
    await app.open('/');
    await app.waitForServiceWorker();
    const probe = page.waitForResponse((r) => r.url().endsWith('/manifest.webmanifest?probe'));
    // The app probes again when the browser says it is back online.
    await context.setOffline(true);
    await context.setOffline(false);
    const response = await probe;
    assert.equal(response.status(), 200);
    assert.equal(response.fromServiceWorker(), false, 'the probe passed the service worker by');
    await app.waitForConnectionStatus('');
    const cached = Object.values(await app.caches()).flat();
    assert.ok(!cached.some((path) => path.includes('probe')), 'the probe was not stored');
    assert.deepEqual(page.problems, []);
    await context.close();
  });
});

describe('updates', () => {
  test('a new version waits for the tap (never on the check-in screen) and keeps the data', async () => {
    // Version 2: the same build with one visible change, re-processed by the post-build step,
    // which gives its worker a new precache list and build version.
    const v2 = mkdtempSync(join(tmpdir(), 'ssk-v2-'));
    temporary.push(v2);
    cpSync(DIST, v2, { recursive: true, dereference: true });
    const index = join(v2, 'index.html');
    writeFileSync(index, readFileSync(index, 'utf8').replace('<head>', '<head>\n  <meta name="ssk-test-build" content="v2">'));
    execFileSync(process.execPath, ['scripts/postbuild.mjs', v2], { stdio: 'pipe' });
    const v1Version = builtServiceWorker(DIST).version;
    const v2Version = builtServiceWorker(v2).version;
    assert.notEqual(v2Version, v1Version);

    const local = await server();
    const { context, page } = await newPhonePage(browser);
    const app = new OfflineApp(page, local.url);
    await app.open('/');
    await app.waitForServiceWorker();
    assert.equal(await app.serviceWorkerVersion(), v1Version);
    // Data written by version 1: a value in IndexedDB and the language preference.
    await page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open('ssk-e2e-update', 1);
          open.onupgradeneeded = () => open.result.createObjectStore('kept');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction('kept', 'readwrite');
            tx.objectStore('kept').put('written by version 1', 'note');
            tx.oncomplete = () => {
              open.result.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
    );

    // Deploy version 2; opening the app makes the browser find it.
    local.setRoot(v2);
    await page.reload();
    await page.locator('#loading-shell').waitFor({ state: 'detached' });
    await app.reloadButton().waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('meta[name="ssk-test-build"]').count(), 0, 'still version 1');

    // On the check-in screen: no banner over the QR, and nothing reloads.
    await page.evaluate(() => {
      window.sameDocument = true;
    });
    await app.tapNav('checkIn');
    await app.expectScreen('checkIn');
    assert.equal(await app.updateBanner().count(), 0);
    await page.waitForTimeout(1_500);
    assert.equal(await page.evaluate(() => window.sameDocument), true, 'no reload on check-in');

    // Elsewhere the banner is back, in the language chosen (a preference written by version 1).
    await app.chooseLanguage('en');
    await app.expectScreen('settings', 'en');
    await app.reloadButton('en').waitFor();
    assert.equal(await page.evaluate(() => window.sameDocument), true, 'nothing reloads without the tap');

    await app.reloadButton('en').click();
    await page.waitForFunction(() => document.querySelector('meta[name="ssk-test-build"]') !== null, null, {
      timeout: 30_000,
    });
    await page.locator('#loading-shell').waitFor({ state: 'detached' });
    await app.waitForServiceWorker();
    assert.equal(await app.serviceWorkerVersion(), v2Version);
    assert.deepEqual(Object.keys(await app.caches()), [`ssk-shell-${v2Version}`], 'the old cache is gone');
    await app.expectScreen('settings', 'en');
    assert.equal(await app.updateBanner('en').count(), 0);
    const kept = await page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open('ssk-e2e-update', 1);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const get = open.result.transaction('kept').objectStore('kept').get('note');
            get.onsuccess = () => resolve(get.result);
            get.onerror = () => reject(get.error);
          };
        }),
    );
    assert.equal(kept, 'written by version 1');
    assert.deepEqual(page.problems, []);
    await context.close();
  });
});
