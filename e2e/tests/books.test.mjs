// Adding books from files, the person's card on Home, finding and removing books, and bad files
// that must change nothing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { expected, fixture, fixtureDay } from '../support/fixtures.mjs';
import { useAppSession } from '../support/session.mjs';

// The insurance card's "20 days left" counts from the day the fixtures were written.
const session = useAppSession({ onDay: fixtureDay });
const freshApp = () => session.newApp();

const vnDate = (iso) => iso.split('-').reverse().join('/');

describe('books on the device', () => {
  test('importing a book shows the person card with what a person needs', async () => {
    const { context, page, app, books } = await freshApp();
    const adult = expected.adult;
    await books.importFile(fixture('adult.json'), { expectPreviewOf: adult.name });

    assert.match(await page.getByTestId('open-book').innerText(), new RegExp(adult.name));
    assert.equal(await page.getByRole('heading', { level: 2, name: adult.name }).count(), 1);
    assert.match(await page.getByTestId('date-of-birth').innerText(), new RegExp(vnDate(adult.dateOfBirth)));
    // Citizen ID masked until asked for.
    const id = page.getByTestId('citizen-id');
    assert.equal(await id.innerText(), `••••••••${adult.citizenId.slice(8)}`);
    await page.getByRole('button', { name: 'Hiện số' }).click();
    assert.equal(await id.innerText(), adult.citizenId);
    // The province the ID's code names is labelled as the one of birth registration (issue 12),
    // and this person's cards call for no warning.
    if (adult.provinceAtRegistration) {
      const province = page.getByTestId('province-at-registration');
      assert.match(await province.innerText(), new RegExp(`^${adult.provinceAtRegistration}\\s`));
      assert.match(await page.locator('.facts').innerText(), /Tỉnh nơi đăng ký khai sinh/);
    }
    assert.equal(await page.getByTestId('card-warning').count(), 0);
    // Insurance card: expires in 20 days.
    assert.match(await page.getByTestId('insurance-status').innerText(), /Sắp hết hạn: còn 20 ngày/);
    assert.match(await page.getByTestId('insurance-code').innerText(), /HT 3 19 0123456789/);
    assert.match(await page.getByTestId('data-as-of').innerText(), /^Dữ liệu tính đến \d\d\/\d\d\/\d{4}$/);
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('an ID registered abroad is warned of on Home, with no province, and the book is kept', async () => {
    const { context, page, books } = await freshApp();
    const person = expected['long-address'];
    assert.equal(person.provinceAtRegistration, null, 'the fixture is born abroad');
    await books.importFile(fixture('long-address.json'), { expectPreviewOf: person.name });
    assert.equal(await page.getByRole('heading', { level: 2, name: person.name }).count(), 1);
    assert.equal(await page.getByTestId('province-at-registration').count(), 0);
    assert.match(
      await page.getByTestId('card-warning').innerText(),
      new RegExp(`^Mã ${person.citizenId.slice(0, 3)} ở đầu số CCCD không phải mã tỉnh`),
    );
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('a family file adds several books; search finds names without accents and by ID digits', async () => {
    const { context, page, app, books } = await freshApp();
    await books.importFile(fixture('family.json'));
    await books.openList();
    assert.equal(await books.rows().count(), 3);
    assert.match(await page.getByText(/sổ trên máy này$/).innerText(), /^3 sổ/);

    await books.search('hoang van dung');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=book-row]').length === 1);
    assert.equal(await books.rows().getByRole('heading').innerText(), expected.child.name);

    await books.search(expected.adult.citizenId);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=book-row]').length === 1);
    assert.equal(await books.rows().getByRole('heading').innerText(), expected.adult.name);

    await books.search('khong co ai ten nay');
    await page.getByText('Không có sổ nào khớp với nội dung tìm.').waitFor();

    await books.search('');
    await books.openBookOf(expected.child.name);
    assert.equal(await page.getByRole('heading', { level: 2, name: expected.child.name }).count(), 1);
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('bad files are refused with a clear message and change nothing', async () => {
    const { context, page, app, books } = await freshApp();
    await books.importFile(fixture('child.json'));
    for (const [file, message] of [
      ['not-json.json', /không phải tệp sổ sức khỏe/],
      ['not-a-bundle.json', /không phải sổ sức khỏe dạng FHIR Bundle/],
      ['no-patient.json', /không có thông tin người bệnh/],
    ]) {
      assert.match(await books.importRefused(fixture(file)), message, file);
    }
    await books.openList();
    assert.equal(await books.rows().count(), 1);
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test("another person's records in a file are listed as skipped and never saved in the book", async () => {
    const { context, page, app, books } = await freshApp();
    const file = expected.foreignRecords;
    const preview = await books.previewFile(fixture('foreign-records.json'));
    assert.match(await preview.innerText(), new RegExp(file.name));
    const skipped = await preview.getByTestId('import-skipped').innerText();
    for (const resource of file.skipped) {
      assert.match(skipped, new RegExp(`${resource}: thuộc về người khác`), skipped);
    }
    await books.confirmImport();

    await app.open('/vaccinations?view=timeline');
    await page.getByTestId('vaccination').first().waitFor();
    assert.equal(await page.getByTestId('vaccination').count(), file.vaccinations);
    assert.equal(await page.getByText(file.foreignVaccine).count(), 0);
    await app.open('/prescriptions');
    await page.getByTestId('prescription-row').first().waitFor();
    assert.equal(await page.getByTestId('prescription-row').count(), file.prescriptions);
    assert.equal(await page.getByText(file.foreignMedicine).count(), 0);
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('removing a book asks first, then closes and removes it', async () => {
    const { context, page, app, books } = await freshApp();
    await books.importFile(fixture('child.json'));
    await books.openList();
    await books.rows().getByRole('button', { name: 'Xóa khỏi máy' }).click();
    await page.getByRole('button', { name: 'Hủy' }).click();
    assert.equal(await books.rows().count(), 1);
    await books.rows().getByRole('button', { name: 'Xóa khỏi máy' }).click();
    await page.getByRole('button', { name: 'Xóa', exact: true }).click();
    await page.getByText(`Đã xóa sổ của ${expected.child.name} khỏi máy này.`).waitFor();
    await app.open('/');
    await page.getByText('Chưa có sổ sức khỏe nào trên máy này').waitFor();
    assert.equal(await page.getByTestId('open-book').count(), 0);
    assert.deepEqual(page.problems, []);
    await context.close();
  });
});
