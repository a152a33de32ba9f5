// In a mountain village with no signal: a book imported while online, then the server gone and
// the network off. The app, the book's screens and the check-in QR all come from the service
// worker's cache and IndexedDB, and the QR still decodes exactly.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startStaticServer } from '../support/static-server.mjs';
import { launchBrowser, newPhonePage } from '../support/browser.mjs';
import { expected, fixture } from '../support/fixtures.mjs';
import { decodeWithJsQr, decodeWithZbar, screenshotOf } from '../support/qr-decode.mjs';
import { BooksPage } from '../pages/books-page.mjs';
import { OfflineApp } from '../pages/offline-app.mjs';

let server;
let browser;
const temporary = [];

// A FHIR id (or record ID) may contain a dot: `/vaccinations/imm.2024` ends like a file name.
const DOTTED_ID = 'imm.2024';
const RECORD_ID_SYSTEM = 'https://so-suc-khoe.example/fhir/sid/record-id';

/** A copy of the book file whose first vaccination has the record ID `DOTTED_ID`. */
function withDottedVaccinationId(path) {
  const bundle = JSON.parse(readFileSync(path, 'utf8'));
  const records = bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === 'Immunization');
  const id = records[0]?.identifier?.find((i) => i.system === RECORD_ID_SYSTEM);
  assert.ok(id, 'the fixture names its vaccinations by record ID');
  id.value = DOTTED_ID;
  const dir = mkdtempSync(join(tmpdir(), 'ssk-dotted-'));
  temporary.push(dir);
  const copy = join(dir, 'adult-dotted.json');
  writeFileSync(copy, JSON.stringify(bundle));
  return copy;
}

before(async () => {
  server = await startStaticServer({ root: process.env.SSK_DIST ?? 'dist' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

describe('a stored book with no network', () => {
  test('every screen of the book and the check-in QR work offline', async () => {
    const { context, page } = await newPhonePage(browser);
    const app = new OfflineApp(page, server.url);
    const person = expected.adult;
    await new BooksPage(app).importFile(withDottedVaccinationId(fixture('adult.json')));
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
    // A record whose id looks like a file name: the worker must still answer with the app shell.
    await app.open(`/vaccinations/${DOTTED_ID}`);
    await page.locator('#vaccine-name').waitFor();
    assert.equal(await page.getByText('Không tìm thấy mũi tiêm này trong sổ.').count(), 0);

    await app.open('/check-in');
    await page.getByTestId('check-in-qr').waitFor();
    const png = await screenshotOf(page.getByTestId('check-in-qr'));
    assert.equal(await decodeWithZbar(png), person.checkInFull);
    assert.equal(decodeWithJsQr(png), person.checkInFull);

    assert.deepEqual(page.problems, []);
    await context.close();
  });
});
