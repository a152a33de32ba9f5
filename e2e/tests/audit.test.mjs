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

/** A fresh app with the adult's book imported, on the page of its first vaccination. */
async function adultOnFirstVaccination() {
  const opened = await session.newApp();
  const { page, app, books } = opened;
  await books.importFile(fixture('adult.json'), { expectPreviewOf: expected.adult.name });
  await app.tapNav('vaccinations');
  await page.getByTestId('vaccination').first().getByRole('link').click();
  await page.getByRole('heading', { level: 1, name: 'Chi tiết mũi tiêm' }).waitFor();
  return { ...opened, recordPath: new URL(page.url()).pathname };
}

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

  test('a correction note on a record survives a reload, is exported with the book and comes back with it', { timeout: 150_000 }, async () => {
    const { context, page, app, books, recordPath } = await adultOnFirstVaccination();
    const adult = expected.adult;

    // An empty note is refused with a clear message; a real one is kept.
    await page.getByTestId('report-error').click();
    await page.getByTestId('correction-save').click();
    await page.getByRole('alert').filter({ hasText: 'Hãy viết điều gì sai' }).waitFor();
    const NOTE = 'Sai ngày tiêm: đúng là 12/03/2024, xem sổ giấy';
    await page.getByTestId('correction-text').fill(NOTE);
    await page.getByTestId('correction-save').click();
    await page.getByTestId('correction-note').filter({ hasText: NOTE }).waitFor();

    // The record's page shows the one note, signed by the phone's owner.
    const noteShownOnItsRecord = async () => {
      await app.open(recordPath);
      const note = page.getByTestId('correction-note');
      await note.first().waitFor();
      assert.equal(await note.count(), 1);
      assert.match(await note.innerText(), new RegExp(NOTE));
      assert.match(await note.innerText(), /Chủ máy ghi lúc \d\d:\d\d, \d\d\/\d\d\/\d{4}/);
    };
    await noteShownOnItsRecord();

    // The book's export carries it as a Task asking to change that record.
    await books.openList();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: `Xuất sổ này ra tệp: sổ của ${adult.name}` }).click(),
    ]);
    const bundle = JSON.parse(await readFile(await download.path(), 'utf8'));
    const tasks = bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === 'Task');
    assert.equal(tasks.length, 1);
    assert.equal(tasks[0].description, NOTE);
    assert.equal(tasks[0].code.coding[0].code, 'change');
    assert.equal(tasks[0].focus.type, 'Immunization');
    assert.equal(tasks[0].for.identifier.value, adult.citizenId);

    // Restoring that backup after the book was removed brings the note back on its record,
    // signed as before; the preview leaves no Task of the file out.
    await books.rows().getByRole('button', { name: 'Xóa khỏi máy' }).click();
    await page.getByRole('button', { name: 'Xóa', exact: true }).click();
    await page.getByText(`Đã xóa sổ của ${adult.name} khỏi máy này.`).waitFor();
    const preview = await books.previewFile(await download.path());
    assert.match(await preview.innerText(), new RegExp(adult.name));
    assert.doesNotMatch(await preview.innerText(), /Task\//);
    // The preview counts what the file brings by kind, the note it restores included.
    assert.equal(
      await preview.getByTestId('import-restored-notes').innerText(),
      '1 ghi chú báo lỗi trong tệp được khôi phục.',
    );
    await books.confirmImport();
    await noteShownOnItsRecord();
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('a correction note can be edited without losing a new note being typed, and taken back after asking', { timeout: 120_000 }, async () => {
    const { context, page, app, recordPath } = await adultOnFirstVaccination();
    const FIRST = 'Sai số lô vắc xin';
    await page.getByTestId('report-error').click();
    await page.getByTestId('correction-text').fill(FIRST);
    await page.getByTestId('correction-save').click();
    const note = page.getByTestId('correction-note');
    await note.filter({ hasText: FIRST }).waitFor();
    assert.equal(await note.getByTestId('correction-edited').count(), 0);

    // A second note is being typed when the first is edited: its words stay where they are.
    const TYPING = 'Thiếu mũi nhắc lại';
    await page.getByTestId('report-error').click();
    await page.getByTestId('correction-text').fill(TYPING);
    await note.getByRole('button', { name: 'Sửa', exact: true }).click();
    const field = note.getByRole('textbox', { name: 'Sửa ghi chú báo lỗi' });
    assert.equal(await field.inputValue(), FIRST);
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'correction-edit-text');
    assert.equal(await page.getByTestId('correction-text').inputValue(), TYPING);
    // Emptied, it is refused as a new note would be, and nothing changes.
    await field.fill('  ');
    await note.getByRole('button', { name: 'Lưu thay đổi' }).click();
    await note.getByRole('alert').filter({ hasText: 'Hãy viết điều gì sai' }).waitFor();
    const EDITED = 'Sai số lô vắc xin: đúng là AB123';
    await field.fill(EDITED);
    await note.getByRole('button', { name: 'Lưu thay đổi' }).click();
    await note.filter({ hasText: EDITED }).getByTestId('correction-edited').waitFor();
    assert.match(await note.innerText(), /Chủ máy ghi lúc \d\d:\d\d, \d\d\/\d\d\/\d{4}/);
    assert.match(await note.getByTestId('correction-edited').innerText(), /^Chủ máy sửa lúc \d\d:\d\d, \d\d\/\d\d\/\d{4}$/);
    assert.equal(await page.getByTestId('correction-text').inputValue(), TYPING);

    // After a reload the new words are the ones kept.
    await app.open(recordPath);
    await note.first().waitFor();
    assert.equal(await note.count(), 1);
    assert.match(await note.innerText(), new RegExp(EDITED));
    assert.doesNotMatch(await note.innerText(), new RegExp(`${FIRST}$`, 'm'));

    // Removal asks first; Cancel keeps the note.
    await note.getByRole('button', { name: 'Xóa', exact: true }).click();
    const question = note.getByRole('alertdialog');
    assert.match(await question.innerText(), /Xóa ghi chú báo lỗi này\?/);
    await question.getByRole('button', { name: 'Hủy' }).click();
    await question.waitFor({ state: 'detached' });
    assert.equal(await note.count(), 1);
    await note.getByRole('button', { name: 'Xóa', exact: true }).click();
    await note.getByRole('alertdialog').getByRole('button', { name: 'Xóa ghi chú' }).click();
    await page.getByText('Chưa có ghi chú báo lỗi nào cho bản ghi này.').waitFor();
    await app.open(recordPath);
    await page.getByText('Chưa có ghi chú báo lỗi nào cho bản ghi này.').waitFor();
    assert.equal(await note.count(), 0);
    assert.deepEqual(page.problems, []);
    await context.close();
  });
});
