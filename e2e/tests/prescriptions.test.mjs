// Prescriptions as a person sees them, for the adult with 40 years of records (400 prescriptions):
// the list newest first and a page at a time, search without accents, year and facility filters
// kept in the address, one prescription in full with its dosage sentences, the printed page, the
// medicines to take today, and the same screens in English. Expectations come from the imported
// FHIR file itself.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { startStaticServer } from '../support/static-server.mjs';
import { launchBrowser, newPhonePage } from '../support/browser.mjs';
import { expected, fixture } from '../support/fixtures.mjs';
import { AppPage } from '../pages/app-page.mjs';
import { BooksPage } from '../pages/books-page.mjs';
import {
  PrescriptionsPage,
  RX_LABELS,
  dateVi,
  fold,
  matchesSearch,
  prescriptionsIn,
} from '../pages/prescriptions-page.mjs';

const vi = RX_LABELS.vi;
const en = RX_LABELS.en;
const all = prescriptionsIn(fixture('adult.json'));
const total = all.length;

let server;
let browser;
let context;
let page;
let app;
let rx;

before(async () => {
  server = await startStaticServer({ root: 'dist' });
  browser = await launchBrowser();
  ({ context, page } = await newPhonePage(browser));
  app = new AppPage(page, server.url);
  rx = new PrescriptionsPage(app);
  await new BooksPage(app).importFile(fixture('adult.json'), { expectPreviewOf: expected.adult.name });
});

after(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Every violation, of any impact, of the WCAG 2.1 A and AA rules axe-core can check on the page
 *  as it is now (evaluated through the debugger protocol, so the app's CSP stays on). */
async function accessibilityViolations(target) {
  await target.evaluate(axeSource);
  const result = await target.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('prescriptions', () => {
  test('the list shows the newest first, what each was for, and grows a page at a time', async () => {
    assert.equal(expected.adult.prescriptions, total);
    await app.open('/');
    await app.tapNav('prescriptions');
    await app.expectScreen('prescriptions');
    await rx.rows().first().waitFor();
    assert.equal(await rx.count().innerText(), vi.count(total));
    assert.equal(await rx.rows().count(), 50);

    const newest = all[0];
    const first = rx.rows().first();
    assert.equal(await first.getByRole('heading', { level: 2 }).innerText(), dateVi(newest.date));
    const firstText = await first.innerText();
    assert.match(firstText, new RegExp(newest.facility));
    for (const d of newest.diagnoses) assert.ok(firstText.includes(`${d.code} ${d.text}`), firstText);
    assert.ok(firstText.includes(vi.medicineCount(newest.medicines.length)), firstText);

    const dates = await rx.rows().getByRole('heading', { level: 2 }).allInnerTexts();
    assert.deepEqual(dates, all.slice(0, 50).map((p) => dateVi(p.date)));

    const more = page.getByRole('button', { name: vi.showMore(50, total) });
    await more.click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=prescription-row]').length > 50);
    const shown = await rx.rows().count();
    assert.ok(shown >= 100, `${shown} rows after one "Show more"`);
    assert.equal(
      await page.getByRole('button', { name: /^Xem thêm/ }).innerText(),
      vi.showMore(shown, total),
    );
    assert.deepEqual(await accessibilityViolations(page), []);
    assert.deepEqual(page.problems, []);
  });

  test('records entered by staff, and every record read from a file, carry a "Not verified" mark', async () => {
    const year = all.find((p) => p.origin === 'entered-by-staff').date.slice(0, 4);
    const inYear = all.filter((p) => p.date.startsWith(`${year}-`));
    assert.ok(inYear.length <= 50, 'one page holds the year');
    await rx.openList(`?year=${year}`);
    await rx.expectCount(vi.matches(inYear.length, total));
    assert.equal(await rx.rows().count(), inYear.length);
    // Issue 15: the fixture is read from a file, so no record of it is the health system's, and
    // the mark says which were entered by staff.
    const marked = rx.rows().filter({ hasText: vi.unverified });
    assert.equal(await marked.count(), inYear.length);
    const byStaff = rx.rows().locator('.badge.unverified[data-origin="entered-by-staff"]');
    assert.equal(await byStaff.count(), inYear.filter((p) => p.origin === 'entered-by-staff').length);
  });

  test('search finds medicines, active ingredients and diagnoses without accents', async () => {
    await rx.openList();
    for (const query of ['paracetamol', 'viem hong', 'j02']) {
      const wanted = all.filter((p) => matchesSearch(p, query));
      assert.ok(wanted.length > 0 && wanted.length < total, `"${query}" should narrow the list`);
      await rx.search(query);
      await rx.expectCount(vi.matches(wanted.length, total));
      assert.equal(new URL(page.url()).searchParams.get('q'), query);
      const dates = await rx.rows().getByRole('heading', { level: 2 }).allInnerTexts();
      assert.deepEqual(dates, wanted.slice(0, 50).map((p) => dateVi(p.date)));
    }
    // What the rows show agrees: each of them was for a sore throat ("Viêm họng").
    await rx.search('viem hong');
    await rx.expectCount(vi.matches(all.filter((p) => matchesSearch(p, 'viem hong')).length, total));
    for (const text of await rx.rowTexts()) assert.match(fold(text), /viem hong/);

    // Hapacol's active ingredient is paracetamol: found by the ingredient, not the name.
    const byIngredient = all.filter((p) => p.medicines.some((m) => m.name.startsWith('Hapacol')));
    if (byIngredient.length > 0) {
      await rx.search('hapacol');
      await rx.expectCount(vi.matches(byIngredient.length, total));
    }

    await rx.search('khongcothuocnay');
    await rx.expectCount(vi.matches(0, total));
    await page.getByText(vi.noMatch).waitFor();
    await page.getByRole('button', { name: vi.clear }).click();
    await rx.expectCount(vi.count(total));
    assert.equal(await rx.searchBox().inputValue(), '');
    assert.equal(new URL(page.url()).search, '');
    assert.deepEqual(page.problems, []);
  });

  test('year and facility filters compose with search and live in the address', async () => {
    await rx.openList();
    const year = all[0].date.slice(0, 4) - 1;
    const inYear = all.filter((p) => p.date.startsWith(`${year}-`));
    await rx.yearSelect().selectOption(String(year));
    await rx.expectCount(vi.matches(inYear.length, total));
    for (const date of await rx.rows().getByRole('heading', { level: 2 }).allInnerTexts()) {
      assert.ok(date.endsWith(`/${year}`), date);
    }

    const both = inYear.filter((p) => matchesSearch(p, 'paracetamol'));
    await rx.search('paracetamol');
    await rx.expectCount(vi.matches(both.length, total));
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('year'), String(year));
    assert.equal(url.searchParams.get('q'), 'paracetamol');

    // A reload (or a shared link) shows the same list.
    await page.reload();
    await rx.expectCount(vi.matches(both.length, total));
    assert.equal(await rx.searchBox().inputValue(), 'paracetamol');
    assert.equal(await rx.yearSelect().inputValue(), String(year));

    // Back from a prescription returns to the same search.
    if (both.length > 0) {
      await rx.rows().first().getByRole('link').click();
      await page.getByTestId('prescription').waitFor();
      await page.goBack();
      await rx.expectCount(vi.matches(both.length, total));
      assert.equal(await rx.searchBox().inputValue(), 'paracetamol');
    }

    // The facility of the newest prescription, chosen by its name.
    await rx.openList();
    const facility = all[0].facility;
    const atFacility = all.filter((p) => p.facility === facility);
    await rx.facilitySelect().selectOption({ label: facility });
    await rx.expectCount(vi.matches(atFacility.length, total));
    for (const text of (await rx.rowTexts()).slice(0, 10)) assert.ok(text.includes(facility), text);
    assert.deepEqual(page.problems, []);
  });

  test('one prescription in full: every medicine with its dosage written out', async () => {
    const p = all.find((p) => p.medicines.some((m) => m.name === 'Paracetamol 500mg'));
    await rx.openDetail(p.id);
    assert.equal(await app.screenHeading().innerText(), vi.issuedOn(p.date));
    const main = await page.getByRole('main').innerText();
    for (const text of [p.code, p.facility, ...p.diagnoses.flatMap((d) => [d.code, d.text])]) {
      assert.ok(main.includes(text), `${text} is on the page`);
    }
    const medicines = page.getByTestId('prescription').getByRole('heading', { level: 3 });
    assert.deepEqual(await medicines.allInnerTexts(), p.medicines.map((m) => m.name));

    const paracetamol = p.medicines.find((m) => m.name === 'Paracetamol 500mg');
    const dosage = await rx.medicine('Paracetamol 500mg').getByTestId('dosage').innerText();
    assert.ok(
      dosage.startsWith(`Uống mỗi lần 1 viên, ngày 3 lần (sáng, trưa, tối), sau ăn, trong ${paracetamol.days} ngày.`),
      dosage,
    );
    assert.equal(await page.getByTestId('dosage').count(), p.medicines.length);

    await page.getByRole('link', { name: vi.back }).click();
    await app.expectScreen('prescriptions');
    assert.equal(new URL(page.url()).pathname, '/prescriptions');

    await rx.openDetail('no-such-prescription');
    await page.getByText(vi.notFound).waitFor();
    assert.deepEqual(page.problems, []);
  });

  test('the printed prescription says whose it is and holds every medicine', async () => {
    const p = all.find((p) => p.medicines.length >= 2);
    await rx.openDetail(p.id);
    assert.deepEqual(await accessibilityViolations(page), []);
    assert.equal(await page.getByTestId('printed-for').isVisible(), false);
    assert.equal(await page.getByRole('button', { name: vi.print, exact: true }).isVisible(), true);

    await page.emulateMedia({ media: 'print' });
    try {
      for (const viewport of [{ width: 390, height: 844 }, { width: 794, height: 1123 }]) {
        await page.setViewportSize(viewport);
        const printedFor = page.getByTestId('printed-for');
        assert.ok(await printedFor.isVisible());
        const who = await printedFor.innerText();
        assert.ok(who.includes(expected.adult.name), who);
        assert.ok(who.includes(expected.adult.citizenId), who);
        assert.equal(await app.nav().isVisible(), false);
        assert.equal(await page.getByRole('button', { name: vi.print, exact: true }).isVisible(), false);
        assert.equal(await page.getByRole('link', { name: vi.back }).isVisible(), false);
        assert.equal(await app.screenHeading().innerText(), vi.issuedOn(p.date));
        for (const m of p.medicines) {
          assert.ok(await rx.medicine(m.name).first().isVisible(), `${m.name} is printed`);
        }
        for (const dosage of await page.getByTestId('dosage').all()) assert.ok(await dosage.isVisible());
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `printed page is ${overflow}px wider than ${viewport.width}px`);
      }
    } finally {
      await page.emulateMedia({ media: 'screen' });
      await page.setViewportSize({ width: 390, height: 844 });
    }
  });

  test('the screens read in English too', async () => {
    await app.chooseLanguage('en');
    try {
      await rx.openList();
      await app.expectScreen('prescriptions', 'en');
      assert.equal(await rx.count().innerText(), en.count(total));
      const sore = all.filter((p) => matchesSearch(p, 'viem hong'));
      const box = rx.searchBox('en');
      await box.pressSequentially('viem hong', { delay: 20 });
      await box.blur();
      await rx.expectCount(`Found ${sore.length} of ${total} prescriptions`);

      const p = all.find((p) => p.medicines.some((m) => m.name === 'Paracetamol 500mg'));
      await rx.openDetail(p.id);
      assert.equal(await app.screenHeading().innerText(), en.issuedOn(p.date));
      assert.equal(
        await page.getByRole('heading', { level: 2, name: new RegExp(`^${en.medicines}`) }).count(),
        1,
      );
      const dosage = await rx.medicine('Paracetamol 500mg').getByTestId('dosage').innerText();
      assert.match(dosage, /^Take 1 tablet each time, 3 times a day \(morning, noon, evening\), after meals, by mouth/);
    } finally {
      await app.chooseLanguage('vi');
    }
    assert.deepEqual(page.problems, []);
  });
});

describe('medicines to take today', () => {
  test('on the day of a prescription, its medicines are listed with day 1 and how to take them', async () => {
    // "Today" is the day the newest prescription with two or more timed medicines was issued.
    const issued = all.find((p) => p.medicines.filter((m) => m.days > 0).length >= 2);
    const today = issued.date;
    const dayOf = (iso) => Math.round((Date.parse(today) - Date.parse(iso)) / 86_400_000) + 1;
    const addDays = (iso, n) => new Date(Date.parse(iso) + n * 86_400_000).toISOString().slice(0, 10);
    const wanted = all
      .filter((p) => p.date <= today)
      .flatMap((p) =>
        p.medicines
          .filter((m) => m.days > 0 && dayOf(p.date) <= m.days)
          .map((m) => ({ p, m, day: dayOf(p.date), last: addDays(p.date, m.days - 1) })),
      );
    assert.ok(wanted.length >= 2);

    const own = await newPhonePage(browser);
    try {
      await own.page.clock.setFixedTime(new Date(`${today}T20:00:00+07:00`));
      const ownApp = new AppPage(own.page, server.url);
      const ownRx = new PrescriptionsPage(ownApp);
      await new BooksPage(ownApp).importFile(fixture('adult.json'));

      // Home says how many, and links here.
      const shortcut = own.page.getByTestId('active-medicines');
      assert.equal(await shortcut.innerText(), vi.activeCount(wanted.length));
      await shortcut.click();
      await own.page.waitForURL((url) => url.pathname === '/prescriptions/active');
      await ownRx.activeItems().first().waitFor();
      assert.equal(await ownApp.screenHeading().innerText(), vi.active);
      assert.equal(await ownRx.activeItems().count(), wanted.length);

      const items = await ownRx.activeItems().all();
      for (const [i, { p, m, day, last }] of wanted.entries()) {
        const item = items[i];
        assert.equal(await item.getByRole('heading', { level: 2 }).innerText(), m.name);
        const text = await item.innerText();
        assert.ok(text.includes(vi.dayOf(day, m.days)), text);
        assert.ok(text.includes(vi.until(last)), text);
        assert.ok(text.includes(p.facility), text);
        assert.match(await item.getByTestId('dosage').innerText(), new RegExp(`trong ${m.days} ngày\\.`));
        assert.equal(await item.getByRole('link', { name: vi.issuedOn(p.date) }).count(), 1);
      }
      const todays = wanted.find((w) => w.p.id === issued.id);
      assert.ok(todays && todays.day === 1);

      // From a medicine to its prescription, and back.
      await items[0].getByRole('link').click();
      await own.page.getByTestId('prescription').waitFor();
      assert.equal(await ownApp.screenHeading().innerText(), vi.issuedOn(wanted[0].p.date));
      await own.page.getByRole('link', { name: vi.back }).click();
      await own.page.waitForURL((url) => url.pathname === '/prescriptions/active');
      assert.deepEqual(await accessibilityViolations(own.page), []);
      assert.deepEqual(own.page.problems, []);
    } finally {
      await own.context.close();
    }
  });
});
