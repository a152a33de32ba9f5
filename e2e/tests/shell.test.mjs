// The app shell: loads at a phone viewport with no errors, every screen is reachable by tap and by
// deep link, the language switch changes what is shown and survives a reload.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { startStaticServer } from '../support/static-server.mjs';
import { launchBrowser, newPhonePage } from '../support/browser.mjs';
import { AppPage, LABELS, SCREENS } from '../pages/app-page.mjs';

let server;
let browser;

before(async () => {
  server = await startStaticServer({ root: 'dist' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

describe('app shell', () => {
  test('loads at 390x844 in Vietnamese with no console errors', async () => {
    const { context, page } = await newPhonePage(browser);
    const app = new AppPage(page, server.url);
    await app.open('/');
    await app.expectScreen('home');
    assert.equal(await page.getAttribute('html', 'lang'), 'vi');
    assert.equal(await page.getByText(LABELS.vi.noBook).count(), 1);
    // Nothing overflows sideways on a phone.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the viewport`);
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('every screen is reachable by tapping the bottom navigation', async () => {
    const { context, page } = await newPhonePage(browser);
    const app = new AppPage(page, server.url);
    await app.open('/');
    for (const { key, path } of [...SCREENS.slice(1), SCREENS[0]]) {
      await app.tapNav(key);
      await app.expectScreen(key);
      assert.equal(new URL(page.url()).pathname, path);
      assert.equal(await app.currentNavItem(), LABELS.vi[key]);
    }
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('every screen opens from a deep link', async () => {
    const { context, page } = await newPhonePage(browser);
    const app = new AppPage(page, server.url);
    for (const { key, path } of SCREENS) {
      await app.open(path);
      await app.expectScreen(key);
    }
    await app.open('/no-such-page');
    assert.equal(await app.screenHeading().textContent(), 'Không tìm thấy trang này.');
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('switching to English changes the text and survives a reload', async () => {
    const { context, page } = await newPhonePage(browser);
    const app = new AppPage(page, server.url);
    await app.open('/settings');
    await page.getByRole('radio', { name: 'English' }).check();
    await app.expectScreen('settings', 'en');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await app.tapNav('home', 'en');
    await app.expectScreen('home', 'en');
    assert.equal(await page.getByText(LABELS.en.noBook).count(), 1);

    await page.reload();
    await page.locator('#loading-shell').waitFor({ state: 'detached' });
    await app.expectScreen('home', 'en');
    assert.equal(await app.nav('en').getByRole('link', { name: 'Vaccinations' }).count(), 1);

    // And back.
    await app.open('/settings');
    await page.getByRole('radio', { name: 'Tiếng Việt' }).check();
    await app.expectScreen('settings', 'vi');
    assert.deepEqual(page.problems, []);
    await context.close();
  });
});
