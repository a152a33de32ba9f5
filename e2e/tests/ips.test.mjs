// The International Patient Summary round trip (issue 19): a book exported as an IPS document on
// one device and imported through the normal Import screen on a clean one keeps its allergies,
// chronic conditions, blood group, vaccinations and medicines.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expected, fixture } from '../support/fixtures.mjs';
import { useAppSession } from '../support/session.mjs';

const session = useAppSession();

describe('International Patient Summary', () => {
  test('a book exported as IPS imports on a clean device with everything a clinician needs', async () => {
    const person = expected.ipsPerson;
    const first = await session.newApp();
    await first.books.importFile(fixture('ips-person.json'), { expectPreviewOf: person.name });
    await first.books.openList();
    const row = first.books.rows().filter({ has: first.page.getByRole('heading', { name: person.name }) });
    const [download] = await Promise.all([
      first.page.waitForEvent('download'),
      row.getByRole('button', { name: `Xuất bản tóm tắt sức khỏe quốc tế (IPS): sổ của ${person.name}` }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^so-suc-khoe-ips-\d{4}-\d{4}-\d\d-\d\d\.json$/);
    const path = join(mkdtempSync(join(tmpdir(), 'ssk-ips-')), download.suggestedFilename());
    await download.saveAs(path);
    assert.deepEqual(first.page.problems, []);
    await first.context.close();

    // What another system sees: an IPS document whose Composition comes first.
    const document = JSON.parse(readFileSync(path, 'utf8'));
    assert.equal(document.type, 'document');
    const composition = document.entry[0].resource;
    assert.equal(composition.resourceType, 'Composition');
    assert.equal(composition.type.coding[0].code, '60591-5');
    const sections = composition.section.map((s) => s.code.coding[0].code);
    for (const code of ['11450-4', '48765-2', '10160-0', '11369-6']) assert.ok(sections.includes(code), code);

    // A clean device: a new context has its own, empty storage.
    const second = await session.newApp();
    await second.books.importFile(path, { expectPreviewOf: person.name });
    const page = second.page;
    assert.equal(await page.getByRole('heading', { level: 2, name: person.name }).count(), 1);
    const allergies = page.getByTestId('allergies').locator('.tag');
    assert.deepEqual(await allergies.allInnerTexts(), person.allergies);
    const conditions = page.getByTestId('chronic-conditions').locator('.tag');
    assert.deepEqual(await conditions.allInnerTexts(), person.chronicConditions);
    assert.match(await page.locator('.facts').innerText(), new RegExp(`Nhóm máu\\s+${person.bloodGroup}`));
    await second.books.openList();
    assert.match(
      await second.books.rows().innerText(),
      new RegExp(`${person.vaccinations} mũi tiêm, ${person.prescriptions} đơn thuốc`),
    );
    assert.deepEqual(page.problems, []);
    await second.context.close();
  });
});
