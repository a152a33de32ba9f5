// Export of every book (issue 17): the file is written book by book instead of with every book in
// memory at once; it must still be one FHIR Bundle with each book once, the backup that imports
// again on another device.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expected, fixture } from '../support/fixtures.mjs';
import { useAppSession } from '../support/session.mjs';

const session = useAppSession();

describe('export of every book', () => {
  test('the file holds each book once and imports back on a new device', async () => {
    const { context, page, app, books } = await session.newApp();
    await books.importFile(fixture('family.json'));
    await app.open('/settings');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Xuất tất cả sổ ra một tệp' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^so-suc-khoe-\d{4}-\d\d-\d\d\.json$/);
    // Kept outside the browser context: its downloads are deleted when it closes.
    const path = join(await mkdtemp(join(tmpdir(), 'ssk-export-')), download.suggestedFilename());
    await download.saveAs(path);
    const bundle = JSON.parse(await readFile(path, 'utf8'));
    assert.equal(bundle.resourceType, 'Bundle');
    assert.equal(bundle.type, 'collection');
    const patients = bundle.entry.filter((e) => e.resource.resourceType === 'Patient');
    assert.equal(patients.length, 3, 'one Patient per book');
    assert.equal(new Set(patients.map((e) => e.resource.id)).size, 3, 'each book under its own Patient');
    const fullUrls = bundle.entry.map((e) => e.fullUrl);
    assert.equal(new Set(fullUrls).size, fullUrls.length, 'no entry written twice');
    assert.deepEqual(page.problems, []);
    await context.close();

    const other = await session.newApp();
    await other.books.importFile(path);
    await other.books.openList();
    assert.equal(await other.books.rows().count(), 3);
    await other.books.search(expected.adult.citizenId);
    await other.page.waitForFunction(() => document.querySelectorAll('[data-testid=book-row]').length === 1);
    assert.equal(await other.books.rows().getByRole('heading').innerText(), expected.adult.name);
    assert.deepEqual(other.page.problems, []);
    await other.context.close();
  });
});
