// The device lock on a shared tablet: after the configured idle time the page holds nothing of
// the patient (no name, no citizen ID anywhere in document.body), only the unlock screen; the
// same staff member unlocking returns to the open book.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { expected, fixture } from '../support/fixtures.mjs';
import { useAppSession } from '../support/session.mjs';
import { startStaticServer } from '../support/static-server.mjs';
import { launchBrowser, newPhonePage } from '../support/browser.mjs';
import { decodeWithJsQr, decodeWithZbar, screenshotOf } from '../support/qr-decode.mjs';
import { BooksPage } from '../pages/books-page.mjs';
import { OfflineApp } from '../pages/offline-app.mjs';
import { rawStores } from '../support/raw-stores.mjs';
import { STAFF_PASSPHRASE, addStaff, setUpSharedDevice, unlockWith } from '../pages/device-lock.mjs';

const session = useAppSession();
const PASSPHRASE = STAFF_PASSPHRASE;

/**
 * Rewrites the stored vault metadata as a version from before the device salt left it: each
 * slot wrapped under a salt of its own with the passphrase it had then, names in clear.
 * `slots`: [{ id, passphrase (now), older (then), name }].
 */
const storeAsOlderVersion = (page, slots) =>
  page.evaluate(async (slots) => {
    const done = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
    const db = await done(indexedDB.open('so-suc-khoe'));
    const stored = await done(db.transaction('settings').objectStore('settings').get('vault.meta'));
    const meta = JSON.parse(stored.b);
    const subtle = crypto.subtle;
    const derive = async (secret, salt) => subtle.deriveKey(
      { name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(salt), iterations: 600000 },
      await subtle.importKey('raw', new TextEncoder().encode(secret), 'PBKDF2', false, ['deriveKey']),
      { name: 'AES-KW', length: 256 },
      false,
      ['wrapKey', 'unwrapKey'],
    );
    for (const { id, passphrase, older, name } of slots) {
      const slot = meta.slots.find((s) => s.id === id);
      const data = await subtle.unwrapKey(
        'raw', new Uint8Array(slot.wrapped_data_key), await derive(passphrase, meta.kdf.salt), 'AES-KW',
        { name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
      );
      const salt = Array(16).fill(id);
      const wrapped = await subtle.wrapKey('raw', data, await derive(older, salt), 'AES-KW');
      slot.wrapped_data_key = Array.from(new Uint8Array(wrapped));
      slot.kdf = { salt, iterations: 600000 };
      slot.holder = { holder: 'staff', display_name: name };
    }
    delete meta.kdf;
    const tx = db.transaction('settings', 'readwrite');
    tx.objectStore('settings').put({ f: 1, b: JSON.stringify(meta) }, 'vault.meta');
    await new Promise((ok, fail) => { tx.oncomplete = ok; tx.onerror = () => fail(tx.error); });
    db.close();
  }, slots);

describe('device lock', () => {
  test('idle lock with a short timeout clears every patient detail from the DOM', { timeout: 180_000 }, async () => {
    const { context, page, app, books } = await session.newApp();
    const adult = expected.adult;
    await books.importFile(fixture('adult.json'), { expectPreviewOf: adult.name });

    // Settings: a shared device with its first staff member; encryption runs over the book.
    const card = await setUpSharedDevice(page, app);

    // The shortest idle time Settings offers: one minute.
    await page.getByTestId('idle-minutes').fill('1');
    await card.locator('form.idle-time').getByRole('button').click();
    await card.getByRole('status').filter({ hasText: 'Đã lưu.' }).waitFor();

    await app.tapNav('home');
    await page.getByRole('heading', { level: 2, name: adult.name }).waitFor();
    assert.match(await page.getByTestId('open-book').innerText(), new RegExp(adult.name));

    // No touch for a minute: locked.
    await page.getByTestId('unlock-screen').waitFor({ timeout: 100_000 });
    const html = await page.evaluate(() => document.body.innerHTML);
    assert.ok(!html.includes(adult.name), 'the name is gone from the page');
    assert.ok(!html.includes(adult.citizenId), 'the citizen ID is gone from the page');
    assert.ok(!html.includes('Y tá Lan'), 'no staff member is named before unlocking');
    assert.equal(await page.getByTestId('open-book').count(), 0);

    // A wrong passphrase opens nothing; the right one returns to the book.
    await page.getByTestId('unlock-secret').fill('không phải mật khẩu');
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('unlock-problem').waitFor();
    assert.match(await page.getByTestId('unlock-problem').innerText(), /Sai mã/);
    await page.getByTestId('unlock-secret').fill(PASSPHRASE);
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('open-book').waitFor({ timeout: 30_000 });
    assert.match(await page.getByTestId('open-book').innerText(), new RegExp(adult.name));
    assert.equal(await page.getByTestId('unlocked-as').innerText(), 'Đã mở khóa: Y tá Lan');

    // The Lock button locks at once.
    await page.getByTestId('lock-button').click();
    await page.getByTestId('unlock-screen').waitFor();
    assert.ok(!(await page.evaluate(() => document.body.innerHTML)).includes(adult.name));
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('staff unlock by passphrase alone; names are stored sealed; only the same member returns to the open book', { timeout: 240_000 }, async () => {
    const { context, page, app, books } = await session.newApp();
    const adult = expected.adult;
    await books.importFile(fixture('adult.json'), { expectPreviewOf: adult.name });
    await setUpSharedDevice(page, app);
    const AN = 'mật khẩu của bác sĩ An';
    assert.equal(await addStaff(page, app, { name: 'Bác sĩ An', passphrase: AN }), 'Đã lưu.');
    // A passphrase that already opens the device for someone cannot be another member's.
    assert.match(
      await addStaff(page, app, { name: 'Y tá Hoa', passphrase: STAFF_PASSPHRASE }),
      /đã mở được máy cho một nhân viên khác/,
    );
    const list = await page.getByTestId('staff-list').locator('li').allInnerTexts();
    assert.equal(list.length, 2);
    assert.ok(list[0].includes('Y tá Lan') && list[1].includes('Bác sĩ An'), list.join(' | '));
    // Stored: no staff name anywhere, in any store.
    for (const rows of Object.values(await rawStores(page))) {
      for (const row of rows) {
        assert.ok(!row.includes('Y tá Lan') && !row.includes('Bác sĩ An'), 'staff names are sealed');
      }
    }

    await app.tapNav('home');
    await page.getByRole('heading', { level: 2, name: adult.name }).waitFor();
    await page.getByTestId('lock-button').click();
    await page.getByTestId('unlock-screen').waitFor();
    const html = await page.evaluate(() => document.body.innerHTML);
    assert.ok(!html.includes('Y tá Lan') && !html.includes('Bác sĩ An'), 'the unlock screen names no one');
    assert.equal(await page.getByTestId('unlock-staff').count(), 0, 'no staff to choose from');

    // An, not Lan: unlocked as An, and Lan's open book does not come back.
    await unlockWith(page, AN);
    assert.equal(await page.getByTestId('unlocked-as').innerText(), 'Đã mở khóa: Bác sĩ An');
    await page.getByRole('main').waitFor();
    assert.equal(await page.getByTestId('open-book').count(), 0, 'another staff member starts afresh');
    await page.getByTestId('lock-button').click();
    await unlockWith(page, STAFF_PASSPHRASE);
    assert.equal(await page.getByTestId('unlocked-as').innerText(), 'Đã mở khóa: Y tá Lan');
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('a passphrase two older slots share unlocks as the name picked, never as a guess', { timeout: 240_000 }, async () => {
    const { context, page, app, books } = await session.newApp();
    // A device holding a book (a fresh one asks how it is used first).
    await books.importFile(fixture('adult.json'), { expectPreviewOf: expected.adult.name });
    await setUpSharedDevice(page, app);
    const AN = 'mật khẩu của bác sĩ An';
    assert.equal(await addStaff(page, app, { name: 'Bác sĩ An', passphrase: AN }), 'Đã lưu.');
    await page.getByTestId('lock-button').click();
    await page.getByTestId('unlock-screen').waitFor();
    // An older version let An take Lan's passphrase.
    await storeAsOlderVersion(page, [
      { id: 1, passphrase: STAFF_PASSPHRASE, older: STAFF_PASSPHRASE, name: 'Y tá Lan' },
      { id: 2, passphrase: AN, older: STAFF_PASSPHRASE, name: 'Bác sĩ An' },
    ]);
    await page.reload();

    await page.getByTestId('unlock-secret').fill(STAFF_PASSPHRASE);
    await page.getByTestId('unlock-submit').click();
    const choices = page.getByTestId('unlock-pick-staff');
    await choices.first().waitFor({ timeout: 60_000 });
    assert.deepEqual(await choices.allInnerTexts(), ['Y tá Lan', 'Bác sĩ An']);
    assert.match(await page.getByTestId('unlock-problem').innerText(), /nhiều nhân viên dùng chung/);
    assert.equal(await page.getByTestId('lock-button').count(), 0, 'still locked');

    await choices.filter({ hasText: 'Bác sĩ An' }).click();
    await page.getByTestId('lock-button').waitFor({ timeout: 60_000 });
    assert.equal(await page.getByTestId('unlocked-as').innerText(), 'Đã mở khóa: Bác sĩ An');
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('"Done with this patient" removes the person and everything about them, leaving no trace in any store', async () => {
    const { context, page, app, books } = await session.newApp();
    const adult = expected.adult;
    await books.importFile(fixture('adult.json'), { expectPreviewOf: adult.name });
    await setUpSharedDevice(page, app);
    await app.tapNav('home');
    await page.getByRole('heading', { level: 2, name: adult.name }).waitFor();
    const before = await rawStores(page);
    assert.ok(before.books.length === 1 && before.vaccinations.length > 0, 'the book is stored');
    assert.equal(before.settings.filter((row) => row.includes('vault.book.')).length, 1);
    for (const rows of Object.values(before)) {
      for (const row of rows) {
        assert.ok(!row.includes(adult.citizenId) && !row.includes(adult.name), 'stored encrypted');
      }
    }

    await page.getByTestId('done-with-patient').click();
    const question = page.getByRole('alertdialog');
    assert.match(await question.innerText(), new RegExp(adult.name), 'the confirmation names the person');
    await page.getByTestId('done-with-patient-confirm').click();
    await page.waitForURL((url) => url.pathname === '/books');
    await page.locator('[data-testid=empty-state]').waitFor();
    assert.ok(!(await page.evaluate(() => document.body.innerHTML)).includes(adult.name));

    const after = await rawStores(page);
    assert.deepEqual(after.books, []);
    assert.deepEqual(after.vaccinations, []);
    assert.deepEqual(after.prescriptions, []);
    // Left: the lock's own metadata (key slots, staff names sealed) and device-wide settings only.
    assert.equal(after.settings.filter((row) => row.includes('vault.book.')).length, 0, "the person's key is gone");
    assert.ok(after.settings.length < before.settings.length);
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('on an encrypted device with no network, unlocking opens the check-in QR', { timeout: 180_000 }, async () => {
    // Its own server, closed halfway: the app must then come from the worker's cache alone.
    let server = await startStaticServer({ root: process.env.SSK_DIST ?? 'dist' });
    const browser = await launchBrowser();
    try {
      const { context, page } = await newPhonePage(browser);
      const app = new OfflineApp(page, server.url);
      const adult = expected.adult;
      await new BooksPage(app).importFile(fixture('adult.json'), { expectPreviewOf: adult.name });
      await app.waitForServiceWorker();
      await setUpSharedDevice(page, app);

      await server.close();
      server = null;
      await context.setOffline(true);
      await page.reload();
      // A reload is a fresh page: the keys are gone, so only the unlock screen shows.
      await page.getByTestId('unlock-screen').waitFor({ timeout: 60_000 });
      assert.ok(!(await page.evaluate(() => document.body.innerHTML)).includes(adult.name));
      await page.getByTestId('unlock-secret').fill(PASSPHRASE);
      await page.getByTestId('unlock-submit').click();
      await page.getByTestId('open-book').waitFor({ timeout: 30_000 });

      // A tap, not a page load: a load would be a fresh, locked page again.
      await app.tapNav('checkIn');
      await page.getByTestId('check-in-qr').waitFor();
      const png = await screenshotOf(page.getByTestId('check-in-qr'));
      assert.equal(await decodeWithZbar(png), adult.checkInFull);
      assert.equal(decodeWithJsQr(png), adult.checkInFull);
      assert.deepEqual(page.problems, []);
      await context.close();
    } finally {
      await browser.close();
      await server?.close();
    }
  });
});
