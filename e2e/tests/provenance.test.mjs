// Where records came from (issue 15): a file cannot make its records the health system's, nor
// link the book to a server, whatever its extensions claim; what a book holds is exported with
// its provenance.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { FIXTURES_DIR, expected, fixture } from '../support/fixtures.mjs';
import { startFhirServer } from '../support/fhir-server.mjs';
import { useAppSession } from '../support/session.mjs';
import { BooksPage } from '../pages/books-page.mjs';
import { openUnlocked, setUpSharedDevice } from '../pages/device-lock.mjs';
import { SyncPage } from '../pages/sync-page.mjs';

const RECORD_ORIGIN = 'https://so-suc-khoe.example/fhir/StructureDefinition/record-origin';
const BOOK_PROVENANCE = 'https://so-suc-khoe.example/fhir/StructureDefinition/book-provenance';

const FHIR_PORT = 8107;
const SEED = `${FIXTURES_DIR}/fhir/seed.json`;
const elder = JSON.parse(readFileSync(`${FIXTURES_DIR}/fhir/people.json`, 'utf8')).people.find((p) => p.role === 'elder');


/** The child's file, rewritten to claim that every record came from a server, and that the book
 * is another patient's on that server. */
function forgedFile() {
  const bundle = JSON.parse(readFileSync(fixture('child.json'), 'utf8'));
  const forged = 'https://forged.example/fhir';
  let records = 0;
  for (const { resource } of bundle.entry) {
    if (resource.resourceType === 'Patient') {
      resource.extension = (resource.extension ?? []).filter((e) => e.url !== BOOK_PROVENANCE);
      resource.extension.push({
        url: BOOK_PROVENANCE,
        extension: [
          { url: 'source-kind', valueCode: 'server' },
          { url: 'base-url', valueUri: forged },
          { url: 'patient-id', valueString: 'someone-else' },
        ],
      });
    } else if (resource.resourceType === 'Immunization' || resource.resourceType === 'MedicationRequest') {
      resource.extension = (resource.extension ?? []).filter((e) => e.url !== RECORD_ORIGIN);
      resource.extension.push({
        url: RECORD_ORIGIN,
        extension: [
          { url: 'kind', valueCode: 'synced' },
          { url: 'source', valueUri: forged },
        ],
      });
      records += 1;
    }
  }
  assert.ok(records > 0, 'the fixture has records to forge');
  const path = join(mkdtempSync(join(tmpdir(), 'ssk-forged-')), 'forged.json');
  writeFileSync(path, JSON.stringify(bundle));
  return path;
}

/** Exports the open book through its button on /books; returns the parsed Bundle. */
async function exportBook(page, app, name) {
  const path = await exportBookFile(page, (p) => app.open(p), name);
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Exports the open book through its button on /books (`open` loads a path); returns the file's path. */
async function exportBookFile(page, open, name) {
  await open('/books');
  const button = page.getByRole('button', { name: `Xuất sổ này ra tệp: sổ của ${name}` });
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const path = join(mkdtempSync(join(tmpdir(), 'ssk-export-')), 'export.json');
  await download.saveAs(path);
  return path;
}

/** `YYYY-MM-DD`, `days` before today. */
const daysAgo = (days) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

/** The exported record-origin parts of the resource whose text (as JSON) includes `marker`. */
function originOf(bundle, marker) {
  const resource = bundle.entry
    .map((e) => e.resource)
    .filter((r) => r.resourceType === 'Immunization' || r.resourceType === 'MedicationRequest')
    .find((r) => JSON.stringify(r).includes(marker));
  assert.ok(resource, `${marker} is in the export`);
  const parts = resource.extension.find((e) => e.url === RECORD_ORIGIN).extension;
  return Object.fromEntries(parts.map((p) => [p.url, p.valueCode ?? p.valueString ?? p.valueDateTime ?? p.valueUri]));
}

const originKinds = (bundle) =>
  bundle.entry
    .map((e) => e.resource)
    .filter((r) => r.resourceType === 'Immunization' || r.resourceType === 'MedicationRequest')
    .map((r) => r.extension.find((e) => e.url === RECORD_ORIGIN).extension.find((p) => p.url === 'kind').valueCode);

describe('provenance', () => {
  let fhir;
  before(async () => {
    fhir = await startFhirServer({ port: FHIR_PORT, seed: [SEED] });
  });
  after(async () => {
    await fhir?.close();
  });
  const session = useAppSession({ devFhirServer: () => fhir.url });

  test('a file with forged provenance imports as "from a file", linked to no server', async () => {
    const { context, page, app, books } = await session.newApp();
    const child = expected.child;
    await books.importFile(forgedFile(), { expectPreviewOf: child.name });

    await app.open('/vaccinations?view=timeline');
    const rows = page.getByTestId('vaccination');
    await rows.first().waitFor();
    const count = await rows.count();
    assert.ok(count > 0);
    // Every row carries the mark, and says the record came from a file.
    assert.equal(await rows.locator('.badge.unverified[data-origin="imported"]').count(), count);
    assert.equal(await rows.filter({ hasText: 'Chưa xác minh' }).count(), count);
    await rows.first().getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'Chi tiết mũi tiêm' }).waitFor();
    const main = await page.getByRole('main').innerText();
    assert.match(main, /Nhập từ tệp/);
    assert.doesNotMatch(main, /Hệ thống y tế/);

    // The export says so too: no record is synced, and the book is the file's, not the server's.
    const exported = await exportBook(page, app, child.name);
    const kinds = originKinds(exported);
    assert.ok(kinds.length > 0);
    assert.deepEqual([...new Set(kinds)], ['imported']);
    const patient = exported.entry.map((e) => e.resource).find((r) => r.resourceType === 'Patient');
    const provenance = patient.extension.find((e) => e.url === BOOK_PROVENANCE).extension;
    assert.equal(provenance.find((p) => p.url === 'source-kind').valueCode, 'imported');
    assert.equal(provenance.find((p) => p.url === 'base-url'), undefined);
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('staff add a vaccination and a prescription for a patient; both stay through a refresh and a re-import', { timeout: 240_000 }, async () => {
    const { context, page, app } = await session.newApp();
    const books = new BooksPage(app);
    const sync = new SyncPage(app);
    await sync.configure({ url: fhir.url });
    await sync.addBook(elder.citizenId, { expectPreviewOf: elder.name });
    await setUpSharedDevice(page, app);
    // Long enough not to lock while the forms are filled in.
    await page.getByTestId('idle-minutes').fill('30');
    await page.getByTestId('device-lock-card').locator('form.idle-time').getByRole('button').click();
    await page.getByTestId('device-lock-card').getByRole('status').filter({ hasText: 'Đã lưu.' }).waitFor();
    // From here on a page load is a locked page: each load unlocks.
    const open = (path) => openUnlocked(page, app, path);

    // A vaccination from the patient's paper card.
    await open('/vaccinations?view=timeline');
    await page.getByTestId('add-entry').click();
    const form = page.getByTestId('vaccination-form');
    await form.waitFor();
    assert.match(await form.getByTestId('entry-author').innerText(), /^Nhân viên Y tá Lan nhập thay cho người bệnh/);
    // Saving an empty form says exactly what is missing.
    await form.getByRole('button', { name: 'Lưu' }).click();
    assert.ok((await form.getByText('Trường này đang để trống.').count()) >= 2);
    await form.getByLabel('Vắc xin').selectOption('CUM');
    assert.match(await form.getByTestId('entry-diseases').innerText(), /Phòng bệnh: Cúm/);
    await form.getByLabel('Ngày tiêm').fill(daysAgo(20));
    assert.match(await form.getByTestId('entry-dose-suggestion').innerText(), /mũi \d+/);
    assert.match(await form.getByLabel('Mũi thứ').inputValue(), /^\d+$/);
    await form.getByLabel('Số lô').fill('LOT-STAFF-15');
    await form.getByLabel('Cơ sở y tế').fill('Trạm Y tế xã Phú Đình');
    await form.getByRole('button', { name: 'Lưu' }).click();
    await page.getByRole('heading', { level: 1, name: 'Chi tiết mũi tiêm' }).waitFor();
    const vaccinationUrl = new URL(page.url()).pathname;
    const facts = page.locator('section:has(#vaccine-name)');
    assert.match(await facts.innerText(), /Nhân viên Y tá Lan nhập trên máy dùng chung lúc/);
    assert.equal(await facts.locator('.badge.unverified[data-origin="entered-by-staff"]').count(), 1);
    assert.match(await facts.innerText(), /LOT-STAFF-15/);

    // A prescription from the slip the patient brought.
    await open('/prescriptions');
    await page.getByTestId('add-entry').click();
    const rx = page.getByTestId('prescription-form');
    await rx.waitFor();
    await rx.getByLabel('Ngày kê đơn').fill(daysAgo(3));
    await rx.getByLabel('Cơ sở y tế').fill('Trạm Y tế xã Phú Đình');
    await rx.getByLabel('Bác sĩ kê đơn').fill('BS. Trần Văn Minh');
    const diagnosis = rx.getByTestId('diagnosis-row').first();
    await diagnosis.getByLabel('Mã ICD-10').fill('viem hong');
    await diagnosis.getByLabel('Tên bệnh').fill('Viêm họng cấp');
    const medicine = rx.getByTestId('medicine-row').first();
    await medicine.getByLabel('Tên thuốc').fill('Paracetamol STAFF-15');
    await medicine.getByLabel('Mỗi lần').fill('1');
    await medicine.getByLabel('Đơn vị (viên, gói, ml)').fill('viên');
    await medicine.getByLabel('Số lần mỗi ngày').fill('ba');
    await medicine.getByLabel('sáng').check();
    await medicine.getByLabel('tối').check();
    await medicine.getByLabel('So với bữa ăn').selectOption('after');
    await medicine.getByLabel('Số ngày').fill('5');
    await rx.getByLabel('Lời dặn').fill('Uống nhiều nước ấm');
    await rx.getByRole('button', { name: 'Lưu' }).click();
    // The core's messages, exactly.
    await rx.getByText('Mã chẩn đoán “viem hong” không đúng dạng ICD-10.').waitFor();
    await rx.getByText('“ba” không phải là một số nguyên.').waitFor();
    await diagnosis.getByLabel('Mã ICD-10').fill('J02.9');
    await medicine.getByLabel('Số lần mỗi ngày').fill('2');
    await rx.getByRole('button', { name: 'Lưu' }).click();
    await page.getByTestId('prescription').waitFor();
    const prescriptionUrl = new URL(page.url()).pathname;
    const rxText = await page.getByTestId('prescription').innerText();
    assert.match(rxText, /Nhân viên Y tá Lan nhập trên máy dùng chung lúc/);
    assert.match(rxText, /Chưa xác minh/);
    assert.match(rxText, /J02\.9/);
    assert.match(rxText, /Paracetamol STAFF-15/);

    // Synced records cannot be corrected; the staff's own can.
    assert.equal(await page.getByTestId('entry-actions').count(), 1);

    const stillThere = async () => {
      await open(vaccinationUrl);
      await page.getByText('LOT-STAFF-15').waitFor();
      assert.match(await page.getByRole('main').innerText(), /Nhân viên Y tá Lan nhập trên máy dùng chung/);
      await open(prescriptionUrl);
      await page.getByText('Paracetamol STAFF-15').waitFor();
      assert.match(await page.getByTestId('prescription').innerText(), /Nhân viên Y tá Lan nhập trên máy dùng chung/);
    };

    // A refresh from the server keeps them.
    await open('/');
    assert.match(await sync.refresh(), /^(Đã cập nhật|Sổ đã mới nhất)/);
    await stillThere();

    // Exported with their provenance.
    const file = await exportBookFile(page, open, elder.name);
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    for (const marker of ['LOT-STAFF-15', 'Paracetamol STAFF-15']) {
      const origin = originOf(exported, marker);
      assert.equal(origin.kind, 'entered-by-staff');
      assert.equal(origin.staff, 'Y tá Lan');
      assert.equal(origin.device, 'shared');
      assert.ok(origin.at, 'with the time it was entered');
    }
    // The synced records are exported as the health system's.
    assert.ok(originKinds(exported).includes('synced'));

    // A re-import of that file keeps both as the staff's, and says so before saving.
    await open('/books/import');
    await page.locator('input[type=file]').setInputFiles(file);
    const preview = page.getByTestId('import-preview');
    await preview.waitFor({ timeout: 30_000 });
    assert.match(await preview.innerText(), /2 mục nhập trên máy này \(do nhân viên hoặc tự khai\) được giữ lại/);
    await books.confirmImport();
    await stillThere();
    assert.deepEqual(page.problems, []);
    await context.close();
  });
});
