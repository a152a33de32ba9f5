// In a mountain village with no signal: a book imported while online, then the server gone and
// the network off. The app, the book's screens and the check-in QR all come from the service
// worker's cache and IndexedDB, and the QR still decodes exactly.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { startStaticServer } from '../support/static-server.mjs';
import { launchBrowser, newPhonePage } from '../support/browser.mjs';
import { expected, fixture } from '../support/fixtures.mjs';
import { decodeWithJsQr, decodeWithZbar, screenshotOf } from '../support/qr-decode.mjs';
import { BooksPage } from '../pages/books-page.mjs';
import { OfflineApp } from '../pages/offline-app.mjs';

let server;
let browser;

before(async () => {
  server = await startStaticServer({ root: process.env.SSK_DIST ?? 'dist' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

describe('a stored book with no network', () => {
  test('every screen of the book and the check-in QR work offline', async () => {
    const { context, page } = await newPhonePage(browser);
    const app = new OfflineApp(page, server.url);
    const person = expected.adult;
    await new BooksPage(app).importFile(fixture('adult.json'));
    await app.waitForServiceWorker();

    // The server is gone and the device has no network (setOffline alone does not cover the
    // service worker's own fetches).
    await server.close();
    server = null;
    await context.setOffline(true);

    await page.reload();
    await page.locator('#loading-shell').waitFor({ state: 'detached' });
    await app.waitForConnectionStatus('Ngoại tuyến');
    await page.getByRole('heading', { level: 2, name: person.name }).waitFor();

    await app.open('/vaccinations?view=timeline');
    await page.getByTestId('vaccination').first().waitFor();
    assert.equal(await page.getByTestId('vaccination').count(), person.vaccinations);
    await app.open('/prescriptions');
    await page.getByTestId('prescription-row').first().waitFor();

    await app.open('/check-in');
    await page.getByTestId('check-in-qr').waitFor();
    const png = await screenshotOf(page.getByTestId('check-in-qr'));
    assert.equal(await decodeWithZbar(png), person.checkInFull);
    assert.equal(decodeWithJsQr(png), person.checkInFull);

    assert.deepEqual(page.problems, []);
    await context.close();
  });
});
