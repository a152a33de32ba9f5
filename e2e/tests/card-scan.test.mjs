// Scanning a chip citizen ID card (issue 16): a fake camera plays a generated video of a card's
// QR (--use-fake-device-for-media-stream --use-file-for-fake-video-capture), and the photo route
// gets generated PNGs. Headless Chromium on Linux has no BarcodeDetector, so the wasm decoder
// (rqrr) is what these tests exercise; each test reports which decoder ran.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

import { CHROMIUM_ARGS, launchBrowser, newPhonePage } from '../support/browser.mjs';
import { writeQrPng, writeQrY4m } from '../support/card-media.mjs';
import { expected, fixture } from '../support/fixtures.mjs';
import { startStaticServer } from '../support/static-server.mjs';
import { AppPage } from '../pages/app-page.mjs';
import { BooksPage } from '../pages/books-page.mjs';
import { SCAN_LABELS, ScanPage, recordCameraTracks } from '../pages/scan-page.mjs';
import { SYNC_LABELS, SyncPage } from '../pages/sync-page.mjs';

const CARDS = expected.cardQr;
const NEW_NAME = CARDS.newPersonName;

let server;
let dir;
const browsers = [];

/** Chromium whose camera shows `video` (a Y4M file), or with no camera at all. */
async function launch(video) {
  const browser = video
    ? await chromium.launch({
        executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
        headless: true,
        args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
      })
    : await launchBrowser();
  browsers.push(browser);
  return browser;
}

async function openApp(browser, { camera = false } = {}) {
  const { context, page } = await newPhonePage(browser, { permissions: camera ? ['camera'] : [] });
  await recordCameraTracks(context);
  const app = new AppPage(page, server.url);
  return { context, page, app, books: new BooksPage(app), scan: new ScanPage(app) };
}

const media = {};

before(async () => {
  server = await startStaticServer({ root: process.env.SSK_DIST ?? 'dist' });
  dir = await mkdtemp(join(tmpdir(), 'ssk-scan-'));
  for (const key of ['adult', 'notACard']) {
    media[`${key}.y4m`] = join(dir, `${key}.y4m`);
    await writeQrY4m(CARDS[key].rows, media[`${key}.y4m`]);
  }
  for (const key of ['newPrecomposed', 'newDecomposed', 'invalidCard', 'notACard']) {
    media[`${key}.png`] = join(dir, `${key}.png`);
    await writeQrPng(CARDS[key].rows, media[`${key}.png`]);
  }
});

after(async () => {
  for (const browser of browsers) await browser.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('scanning a chip citizen ID card', () => {
  test('the camera reads the card of a book on the device and opens it; the camera is released', async (t) => {
    const browser = await launch(media['adult.y4m']);
    const { context, page, books, scan } = await openApp(browser, { camera: true });
    await books.importFile(fixture('family.json'));
    await books.openList();
    await books.openBookOf(expected.child.name);

    await scan.openFromBookList();
    t.diagnostic(`decoder: ${await scan.decoder()}`);
    await page.waitForURL((url) => url.pathname === '/', { timeout: 30_000 });
    await page.getByTestId('open-book').filter({ hasText: expected.adult.name }).waitFor();
    assert.equal(await page.getByRole('heading', { level: 2, name: expected.adult.name }).count(), 1);
    // The screen was left: every camera track it had is stopped.
    const states = await scan.trackStates();
    assert.ok(states.length > 0, 'the camera was used');
    assert.deepEqual([...new Set(states)], ['ended']);
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('a QR that is not a card is refused with a message while scanning goes on; leaving stops the camera', async (t) => {
    const browser = await launch(media['notACard.y4m']);
    const { context, page, scan } = await openApp(browser, { camera: true });
    await scan.openFromBookList();
    t.diagnostic(`decoder: ${await scan.decoder()}`);
    const refusal = scan.refusal();
    await refusal.waitFor({ timeout: 30_000 });
    assert.match(await refusal.innerText(), /không phải mã trên thẻ căn cước gắn chip/);
    assert.match(await refusal.innerText(), /Đang tiếp tục quét/);
    // Still scanning: the picture keeps coming and the track is live.
    assert.equal(await scan.isStreaming(), true);
    assert.deepEqual([...new Set(await scan.trackStates())], ['live']);
    assert.equal(await scan.newPerson().count(), 0);

    // The tab hidden (another app in front): the camera is released, and taken again on return.
    await scan.setVisibility('hidden');
    await page.waitForFunction(() => window.__scanTracks.every((track) => track.readyState === 'ended'));
    const before = (await scan.trackStates()).length;
    await scan.setVisibility('visible');
    await page.waitForFunction((n) => window.__scanTracks.length > n && window.__scanTracks.at(-1).readyState === 'live', before);
    await page.waitForFunction(() => document.querySelector('[data-testid=viewfinder]').readyState >= 2);

    await page.getByRole('link', { name: 'Quay lại' }).click();
    await page.waitForURL((url) => url.pathname === '/books');
    await page.waitForFunction(() => window.__scanTracks.every((track) => track.readyState === 'ended'));
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('camera permission denied: a clear message, and a photo of a new card pre-fills the profile', async (t) => {
    const browser = await launch(media['notACard.y4m']);
    const { context, page, app, scan } = await openApp(browser, { camera: false });
    await scan.openFromBookList();
    t.diagnostic(`decoder: ${await scan.decoder()}`);
    await scan.cameraError().waitFor({ timeout: 15_000 });
    assert.match(await scan.cameraError().innerText(), /chưa được phép dùng máy ảnh/);

    await scan.choosePhoto(media['newPrecomposed.png']);
    const offer = scan.newPerson();
    await offer.waitFor({ timeout: 30_000 });
    assert.match(await offer.innerText(), new RegExp(NEW_NAME));
    // Both ways to start the book, side by side.
    await offer.getByRole('button', { name: SCAN_LABELS.addFromServer }).waitFor();
    await offer.getByRole('button', { name: SCAN_LABELS.createFromCard }).click();
    await scan.form().waitFor();
    assert.equal(await scan.field(SCAN_LABELS.fullName).inputValue(), NEW_NAME);
    assert.equal(await scan.field(SCAN_LABELS.dateOfBirth).inputValue(), '1985-03-12');
    assert.equal(await scan.field(SCAN_LABELS.citizenId).inputValue(), '019185004321');
    assert.equal(await scan.field(SCAN_LABELS.oldId).inputValue(), '012345678');
    assert.equal(await scan.field(SCAN_LABELS.address).inputValue(), 'Xóm Khuôn Tát, Xã Phú Đình, Tỉnh Thái Nguyên');
    assert.equal(await scan.field(SCAN_LABELS.issuedOn).inputValue(), '2021-04-15');

    await scan.form().getByRole('button', { name: SCAN_LABELS.save }).click();
    await page.waitForURL((url) => url.pathname === '/', { timeout: 30_000 });
    const heading = page.getByRole('heading', { level: 2, name: NEW_NAME });
    await heading.waitFor();
    assert.equal(await heading.innerText(), NEW_NAME);
    // Home offers the next scan too.
    await page.getByRole('main').getByRole('link', { name: SCAN_LABELS.action }).waitFor();
    await app.open('/books');
    // The list comes from storage after the page loads: wait for it before counting.
    await page.getByTestId('book-row').first().waitFor();
    assert.equal(await page.getByTestId('book-row').count(), 1);
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('no camera: a decomposed card gives the same precomposed name; an invalid card says why', async (t) => {
    const browser = await launch(null);
    const { context, page, scan } = await openApp(browser);
    await scan.openFromBookList();
    t.diagnostic(`decoder: ${await scan.decoder()}`);
    await scan.cameraError().waitFor({ timeout: 15_000 });
    assert.match(await scan.cameraError().innerText(), /Không tìm thấy máy ảnh|chưa được phép dùng máy ảnh/);

    await scan.choosePhoto(media['invalidCard.png']);
    await scan.refusal().waitFor({ timeout: 30_000 });
    assert.match(await scan.refusal().innerText(), /số căn cước không hợp lệ/);

    await scan.choosePhoto(media['newDecomposed.png']);
    await scan.newPerson().waitFor({ timeout: 30_000 });
    await scan.newPerson().getByRole('button', { name: SCAN_LABELS.createFromCard }).click();
    const name = await scan.field(SCAN_LABELS.fullName).inputValue();
    assert.equal(name, NEW_NAME);
    assert.equal(name, name.normalize('NFC'));
    assert.notEqual(CARDS.newDecomposed.text, CARDS.newPrecomposed.text, 'the card really is decomposed');
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('"Add from the health system" opens the sync flow with the citizen ID filled in', async () => {
    const browser = await launch(null);
    const { context, page, app, scan } = await openApp(browser);
    await new SyncPage(app).configure({ url: 'https://fhir.example.vn/fhir' });
    await scan.openFromBookList();
    await scan.choosePhoto(media['newPrecomposed.png']);
    await scan.newPerson().getByRole('button', { name: SCAN_LABELS.addFromServer }).click();
    await page.waitForURL((url) => url.pathname === '/books/sync');
    // The ID is handed over in memory: it never enters the address (a shared tablet's history).
    assert.equal(new URL(page.url()).search, '');
    assert.equal(await page.getByLabel(SYNC_LABELS.citizenId).inputValue(), '019185004321');
    assert.deepEqual(page.problems, []);
    await context.close();
  });
});
