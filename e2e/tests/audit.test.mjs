// The access log (issue 15): a staff member opens a book and shows its check-in QR; the book's
// "Who opened this book" names them in plain words; Settings verifies the chain, exports it as
// FHIR AuditEvents, and says so plainly once a stored entry has been tampered with.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

import { expected, fixture } from '../support/fixtures.mjs';
import { useAppSession } from '../support/session.mjs';

const session = useAppSession();
const PASSPHRASE = 'mật khẩu trạm y tế';
const STAFF = 'Y tá Lan';

async function setUpSharedDevice(page, app) {
  await app.tapNav('settings');
  const card = page.getByTestId('device-lock-card');
  await card.getByRole('radio', { name: /Máy dùng chung/ }).check();
  await page.getByTestId('set-up-staff-name').fill(STAFF);
  await page.getByTestId('set-up-secret').fill(PASSPHRASE);
  await page.getByTestId('set-up-secret-again').fill(PASSPHRASE);
  await page.getByTestId('set-up-submit').click();
  await page.getByTestId('lock-button').waitFor({ timeout: 30_000 });
}

/** Swaps the stored values of two audit rows, past the app (as someone copying storage could). */
const swapAuditRows = (page, a, b) =>
  page.evaluate(async ([a, b]) => {
    const db = await new Promise((ok, fail) => {
      const r = indexedDB.open('so-suc-khoe');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const done = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
    const tx = db.transaction('audit', 'readwrite');
    const store = tx.objectStore('audit');
    const [va, vb] = await Promise.all([done(store.get(a)), done(store.get(b))]);
    store.put(vb, a);
    store.put(va, b);
    await new Promise((ok, fail) => { tx.oncomplete = ok; tx.onerror = () => fail(tx.error); });
    db.close();
  }, [a, b]);

describe('the access log', () => {
  test('a staff visit shows in the book, the log verifies and exports, and tampering is reported', { timeout: 180_000 }, async () => {
    const { context, page, app, books } = await session.newApp();
    const child = expected.child;
    await books.importFile(fixture('family.json'));
    await setUpSharedDevice(page, app);

    // The staff member opens the child's book and shows its check-in QR.
    await page.getByRole('link', { name: 'Đổi sổ' }).first().click();
    await books.rows().first().waitFor();
    await books.openBookOf(child.name);
    await app.tapNav('checkIn');
    await page.getByTestId('check-in-qr').waitFor();

    // The book's own page says who opened it, in plain words.
    await app.tapNav('home');
    const visits = page.getByTestId('book-visit');
    await visits.filter({ hasText: 'đã xem mã QR khám' }).waitFor();
    const lines = await visits.allInnerTexts();
    assert.ok(
      lines.some((l) => /^Nhân viên Y tá Lan đã mở sổ lúc \d\d:\d\d, \d\d\/\d\d\/\d{4}, trên máy dùng chung$/.test(l)),
      `the visit is listed: ${lines.join(' | ')}`,
    );
    assert.ok(lines.some((l) => l.startsWith('Nhân viên Y tá Lan đã xem mã QR khám')));

    // Settings: the chain checks, and the export is one AuditEvent per entry.
    await app.tapNav('settings');
    const verdict = page.getByTestId('audit-verdict');
    await verdict.waitFor();
    assert.match(await verdict.innerText(), /^Đã kiểm tra nhật ký: \d+ mục, không mục nào bị sửa/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('audit-export').click(),
    ]);
    const bundle = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.equal(bundle.resourceType, 'Bundle');
    assert.equal(bundle.meta.tag[0].code, 'intact');
    const events = bundle.entry.map((e) => e.resource);
    assert.ok(events.every((e) => e.resourceType === 'AuditEvent'));
    const opened = events.find(
      (e) => e.subtype[0].code === 'book-opened' && e.entity?.[0]?.what?.identifier?.value === child.citizenId,
    );
    assert.ok(opened, 'the opening of the book is exported');
    assert.equal(opened.agent[0].who.display, STAFF);
    assert.equal(events.at(-1).subtype[0].code, 'log-exported');

    // Two stored entries swapped: Settings says the log was tampered with, and where.
    await swapAuditRows(page, 1, 2);
    await app.tapNav('home');
    await app.tapNav('settings');
    const broken = page.getByTestId('audit-verdict');
    await broken.filter({ hasText: 'can thiệp' }).waitFor();
    assert.match(await broken.innerText(), /^Nhật ký đã bị can thiệp: mục thứ 2 /);
    assert.equal(await broken.getAttribute('role'), 'alert');
    assert.deepEqual(page.problems, []);
    await context.close();
  });
});
