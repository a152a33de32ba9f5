// Where records came from (issue 15): a file cannot make its records the health system's, nor
// link the book to a server, whatever its extensions claim; what a book holds is exported with
// its provenance.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expected, fixture } from '../support/fixtures.mjs';
import { useAppSession } from '../support/session.mjs';

const RECORD_ORIGIN = 'https://so-suc-khoe.example/fhir/StructureDefinition/record-origin';
const BOOK_PROVENANCE = 'https://so-suc-khoe.example/fhir/StructureDefinition/book-provenance';

const session = useAppSession();

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
  await app.open('/books');
  const button = page.getByRole('button', { name: `Xuất sổ này ra tệp: sổ của ${name}` });
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return JSON.parse(readFileSync(await download.path(), 'utf8'));
}

const originKinds = (bundle) =>
  bundle.entry
    .map((e) => e.resource)
    .filter((r) => r.resourceType === 'Immunization' || r.resourceType === 'MedicationRequest')
    .map((r) => r.extension.find((e) => e.url === RECORD_ORIGIN).extension.find((p) => p.url === 'kind').valueCode);

describe('provenance', () => {
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
});
