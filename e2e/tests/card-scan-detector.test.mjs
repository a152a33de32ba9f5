// Scanning a chip citizen ID card through the browser's BarcodeDetector and with a torch (issue
// 16). Headless Chromium on Linux has neither, so card-scan.test.mjs runs the wasm decoder;
// here the page is given a BarcodeDetector that really reads the frames it is handed (jsQR over
// the pixels, see support/barcode-detector.mjs) and a camera track that reports a torch, so
// the app's own detector path and its torch toggle run end to end.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

import { CHROMIUM_ARGS, newPhonePage } from '../support/browser.mjs';
import { installBarcodeDetector, installTorchCamera } from '../support/barcode-detector.mjs';
import { writeQrPng, writeQrY4m } from '../support/card-media.mjs';
import { expected, fixture } from '../support/fixtures.mjs';
import { startStaticServer } from '../support/static-server.mjs';
import { AppPage } from '../pages/app-page.mjs';
import { BooksPage } from '../pages/books-page.mjs';
import { SCAN_LABELS, ScanPage, recordCameraTracks } from '../pages/scan-page.mjs';

const CARDS = expected.cardQr;

let server;
let dir;
const browsers = [];
const media = {};

/** Chromium whose fake camera plays `video`. */
async function launch(video) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
  });
  browsers.push(browser);
  return browser;
}

async function openApp(browser, { torch = false } = {}) {
  const { context, page } = await newPhonePage(browser, { permissions: ['camera'] });
  await installBarcodeDetector(context);
  await recordCameraTracks(context);
  if (torch) await installTorchCamera(context);
  const app = new AppPage(page, server.url);
  return { context, page, app, books: new BooksPage(app), scan: new ScanPage(app) };
}

before(async () => {
  server = await startStaticServer({ root: process.env.SSK_DIST ?? 'dist' });
  dir = await mkdtemp(join(tmpdir(), 'ssk-detector-'));
  for (const key of ['adult', 'notACard']) {
    media[`${key}.y4m`] = join(dir, `${key}.y4m`);
    await writeQrY4m(CARDS[key].rows, media[`${key}.y4m`]);
  }
  media['newPrecomposed.png'] = join(dir, 'newPrecomposed.png');
  await writeQrPng(CARDS.newPrecomposed.rows, media['newPrecomposed.png']);
});

after(async () => {
  for (const browser of browsers) await browser.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('scanning with the browser\'s BarcodeDetector', () => {
  test('the detector reads the camera\'s card and the book opens', async () => {
    const browser = await launch(media['adult.y4m']);
    const { context, page, books, scan } = await openApp(browser);
    await books.importFile(fixture('family.json'));
    await books.openList();
    await books.openBookOf(expected.child.name);

    await scan.openFromBookList();
    assert.equal(await scan.decoder(), 'barcode-detector');
    await page.waitForURL((url) => url.pathname === '/', { timeout: 30_000 });
    await page.getByTestId('open-book').filter({ hasText: expected.adult.name }).waitFor();
    // The detector was handed camera frames and what it read was the card.
    const used = await page.evaluate(() => window.__detector);
    assert.ok(used.constructed >= 1 && used.detected >= 1, JSON.stringify(used));
    assert.equal(used.found.at(-1), CARDS.adult.text);
    assert.deepEqual([...new Set(await scan.trackStates())], ['ended']);

    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('a QR that is not a card is refused while the detector keeps scanning; a photo goes through it too', async () => {
    const browser = await launch(media['notACard.y4m']);
    const { context, page, scan } = await openApp(browser);
    await scan.openFromBookList();
    assert.equal(await scan.decoder(), 'barcode-detector');
    await scan.refusal().waitFor({ timeout: 30_000 });
    assert.match(await scan.refusal().innerText(), /không phải mã trên thẻ căn cước gắn chip/);
    const seen = await page.evaluate(() => window.__detector.detected);
    await page.waitForFunction((n) => window.__detector.detected > n + 2, seen);
    assert.equal(await scan.newPerson().count(), 0);

    // The photo route asks the same detector first: a new person's card is offered a book.
    await scan.choosePhoto(media['newPrecomposed.png']);
    await scan.newPerson().waitFor({ timeout: 30_000 });
    assert.match(await scan.newPerson().innerText(), new RegExp(CARDS.newPersonName));
    assert.ok((await page.evaluate(() => window.__detector.found)).includes(CARDS.newPrecomposed.text));
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('a camera with a torch gets the toggle, which switches it with applyConstraints', async () => {
    const browser = await launch(media['notACard.y4m']);
    const { context, page, scan } = await openApp(browser, { torch: true });
    await scan.openFromBookList();
    const toggle = scan.screen().getByRole('button', { name: 'Bật đèn' });
    await toggle.waitFor({ timeout: 15_000 });
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    await toggle.click();
    const off = scan.screen().getByRole('button', { name: 'Tắt đèn' });
    await off.waitFor();
    assert.equal(await off.getAttribute('aria-pressed'), 'true');
    await off.click();
    await toggle.waitFor();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    assert.deepEqual(await page.evaluate(() => window.__torch.applied), [
      { advanced: [{ torch: true }] },
      { advanced: [{ torch: false }] },
    ]);
    assert.deepEqual(page.problems, []);
    await context.close();
  });
});
