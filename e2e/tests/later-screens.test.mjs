// The screens that are not on the first load (issue 17) are wasm modules of their own: the first
// load fetches none of them, each arrives the first time its screen opens (offline too, from the
// service worker's cache), and one that cannot be fetched is a message with a retry, never a
// stopped app.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { newPhonePage } from '../support/browser.mjs';
import { useAppSession } from '../support/session.mjs';
import { expected, fixture } from '../support/fixtures.mjs';
import { BooksPage } from '../pages/books-page.mjs';
import { OFFLINE_LABELS, OfflineApp } from '../pages/offline-app.mjs';

/** Each later screen: its address, the split module it comes in and its heading. */
const LATER = [
  { path: '/settings', module: 'settings', heading: 'Cài đặt' },
  { path: '/books/import', module: 'import', heading: 'Nhập sổ từ tệp' },
  { path: '/books/sync', module: 'sync_add', heading: 'Thêm sổ từ hệ thống y tế' },
  { path: '/books/scan', module: 'card_scan', heading: 'Quét mã QR trên thẻ căn cước' },
  { path: '/coming-up', module: 'coming_up', heading: 'Sắp tới' },
  { path: '/today', module: 'medicine_plan', heading: 'Thuốc hôm nay' },
  { path: '/paper', module: 'paper_twin', heading: 'Bản in khổ A5' },
  { path: '/entry/vaccination', module: 'vaccination_entry', heading: 'Thêm mũi tiêm' },
  { path: '/entry/prescription', module: 'prescription_entry', heading: 'Thêm đơn thuốc' },
  { path: '/vaccinations', module: 'vaccinations', heading: 'Tiêm chủng' },
  { path: '/prescriptions', module: 'prescriptions', heading: 'Đơn thuốc' },
  { path: '/prescriptions/active', module: 'active_medicines', heading: 'Thuốc đang dùng' },
];
// Not visited here: the two record details (their lists' tests open them, vaccinations.test.mjs
// and prescriptions.test.mjs), which come in modules of their own the same way.
const NOT_LOADED = 'Chưa tải được màn hình này.';

const splitModule = (pathname) => pathname.match(/^\/split_([a-z_]+)-[0-9a-f]+\.wasm$/)?.[1];
const isLaterModule = (pathname) => /^\/(?:split|chunk)_[^/]*\.wasm$/.test(pathname);

const session = useAppSession();

async function expectHeading(page, heading, path) {
  await page.getByRole('main').getByRole('heading', { level: 1, name: heading }).waitFor({ timeout: 15_000 });
  assert.equal(await page.getByTestId('screen-not-loaded').count(), 0, `${path} loaded its module`);
}

describe('later screens', () => {
  test('the first load fetches none of them; each arrives on first use, offline from the cache', async () => {
    const { context, page } = await newPhonePage(session.browser);
    const requested = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    const fromWorker = new Set();
    page.on('response', (response) => {
      const module = splitModule(new URL(response.url()).pathname);
      if (module && response.fromServiceWorker()) fromWorker.add(module);
    });
    const app = new OfflineApp(page, session.server.url);
    await app.open('/');
    await app.expectScreen('home');
    assert.deepEqual(requested.filter(isLaterModule), [], 'Home needs no later screen');

    // A book, so the screens that show one have one to show (this opens Import online).
    await new BooksPage(app).importFile(fixture('care-plan.json'), { expectPreviewOf: expected.carePlan.name });
    await app.waitForServiceWorker();
    await app.waitForConnectionStatus('');
    // No network at all: the page and its service worker alike.
    await context.setOffline(true);
    await app.waitForConnectionStatus(OFFLINE_LABELS.vi.offline);

    for (const { path, heading } of LATER) {
      await app.open(path);
      await expectHeading(page, heading, path);
    }
    assert.deepEqual([...fromWorker].sort(), LATER.map((s) => s.module).sort(), 'each module came from the service worker');
    // Tapping through loads one too, within the app.
    await app.open('/');
    await app.tapNav('settings');
    await expectHeading(page, 'Cài đặt', '/settings');
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('a module that cannot be fetched: the screen says so, the app goes on, and a retry loads it', async () => {
    // No service worker: the failed fetch is the network's, as on a first visit with a bad link.
    const { context, page } = await newPhonePage(session.browser, { serviceWorkers: 'block' });
    const settingsModule = /\/split_settings-[0-9a-f]+\.wasm$/;
    let refused = 0;
    await context.route(settingsModule, (route) => {
      refused += 1;
      return route.abort('internetdisconnected');
    });
    const app = new OfflineApp(page, session.server.url);
    await app.open('/');
    await app.tapNav('settings');
    const notice = page.getByTestId('screen-not-loaded');
    await notice.waitFor();
    assert.equal(await notice.getAttribute('role'), 'alert');
    assert.match(await notice.innerText(), new RegExp(NOT_LOADED));
    assert.ok(refused >= 1, 'the module was asked for');

    // The rest of the app is unaffected.
    await app.tapNav('home');
    await app.expectScreen('home');
    await app.tapNav('settings');
    await notice.waitFor();

    // The connection is back: "Try again" fetches it.
    await context.unroute(settingsModule);
    await notice.getByRole('button', { name: 'Thử lại' }).click();
    await expectHeading(page, 'Cài đặt', '/settings');
    // Only the refused fetch itself is a problem (the loader reports it to the console).
    const others = page.problems.filter((p) => !/split_settings|Failed to fetch|ERR_INTERNET_DISCONNECTED/.test(p));
    assert.deepEqual(others, []);
    await context.close();
  });
});
