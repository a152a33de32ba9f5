// The station tablet (1180x820, landscape): prescriptions and vaccinations with the chosen record
// beside the list (the address naming it, so Back and deep links work), Home in columns, the
// check-in QR beside the name and ID, rows that say what they hold, buttons that say whose book
// they act on, and the reception flow counted in taps. Phones keep one thing at a time.
// Expectations come from the imported FHIR files, never from the app's code.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { expected, fixture } from '../support/fixtures.mjs';
import { useAppSession } from '../support/session.mjs';
import { startStaticServer } from '../support/static-server.mjs';
import { launchBrowser, newPhonePage } from '../support/browser.mjs';
import { BooksPage } from '../pages/books-page.mjs';
import { OfflineApp } from '../pages/offline-app.mjs';
import { PrescriptionsPage, RX_LABELS, prescriptionsIn } from '../pages/prescriptions-page.mjs';

const TABLET = { width: 1180, height: 820 };
const PHONE = { width: 390, height: 844 };
const vi = RX_LABELS.vi;
const adultPrescriptions = prescriptionsIn(fixture('adult.json'));

let page;
let app;
let books;
let rx;
useAppSession({
  sharedPage: true,
  importFixture: 'family.json',
  onReady: (session) => ({ page, app, books } = session),
});

/** What a row promises to name: every medicine when there are at most three, otherwise the
 *  first two and "+N" for the rest. */
function rowMedicines(medicines) {
  const names = medicines.map((m) => m.name);
  if (names.length <= 3) return names.join(', ');
  return `${names.slice(0, 2).join(', ')} +${names.length - 2}`;
}

/** The adult's vaccinations, newest first, as the rows should show them. */
function adultVaccinations() {
  const resources = JSON.parse(readFileSync(fixture('adult.json'), 'utf8')).entry.map((e) => e.resource);
  const organizations = new Map(
    resources.filter((r) => r.resourceType === 'Organization').map((o) => [`Organization/${o.id}`, o.name]),
  );
  return resources
    .filter((r) => r.resourceType === 'Immunization')
    .map((r) => {
      const applied = r.protocolApplied?.[0] ?? {};
      const k = applied.doseNumberPositiveInt;
      const n = applied.seriesDosesPositiveInt;
      return {
        id: r.identifier.find((i) => i.system.endsWith('/record-id')).value,
        date: r.occurrenceDateTime,
        // "Mũi k/n" only when the dose lies within a series of more than one.
        dose: k === undefined ? null : n > 1 && k <= n ? `Mũi ${k}/${n}` : `Mũi ${k}`,
        facility: organizations.get(r.performer?.find((p) => p.actor?.reference)?.actor.reference) ?? null,
      };
    })
    .sort((a, b) => b.date.localeCompare(a.date));
}

/** A book's address: `/books/` and its device key (16 characters of a-z and 2-7). */
const BOOK_ADDRESS = /^\/books\/[a-z2-7]{16}$/;

/** The row of a person's book on the book list. */
function bookRow(page, name) {
  return page.getByTestId('book-row').filter({ has: page.getByRole('heading', { name, exact: true }) });
}

/** The address a row's name links to. */
async function bookAddress(page, name) {
  const href = await bookRow(page, name).getByRole('link', { name, exact: true }).getAttribute('href');
  assert.match(href, BOOK_ADDRESS);
  return href;
}

/** Left and right edges of an element, in CSS pixels. */
async function box(locator) {
  const b = await locator.boundingBox();
  assert.ok(b, 'element is not on screen');
  return { left: b.x, right: b.x + b.width, top: b.y, bottom: b.y + b.height };
}

describe('station tablet', () => {
  before(async () => {
    rx = new PrescriptionsPage(app);
    await books.openList();
    await books.openBookOf(expected.adult.name);
    await page.setViewportSize(TABLET);
  });

  test('prescription rows name their medicines and whether they are current', async () => {
    await rx.openList();
    const rows = rx.rows();
    for (let i = 0; i < 8; i += 1) {
      const p = adultPrescriptions[i];
      const row = rows.nth(i);
      assert.equal(await row.getByTestId('row-medicines').innerText(), rowMedicines(p.medicines), `row ${i}`);
      assert.match(await row.innerText(), /Còn hiệu lực|Đã hết/);
      // The link says which prescription it opens: its date and what it holds.
      assert.equal(
        await row.getByRole('link', { name: `${vi.issuedOn(p.date)}: ${rowMedicines(p.medicines)}`, exact: true }).count(),
        1,
      );
    }
    // Some prescription in the book has more than three medicines, so "+N" was really checked.
    assert.ok(adultPrescriptions.slice(0, 50).some((p) => p.medicines.length > 3));
    assert.deepEqual(page.problems, []);
  });

  test('a prescription opens beside the list; search, Back and the deep link keep both', async () => {
    await rx.openList();
    await rx.search('paracetamol');
    await page.waitForURL((url) => url.searchParams.get('q') === 'paracetamol');
    const first = rx.rows().first();
    const rowsBefore = await rx.rows().count();
    await first.getByRole('link').click();
    await page.getByTestId('prescription').waitFor();
    const url = new URL(page.url());
    assert.match(url.pathname, /^\/prescriptions\/[^/]+$/);
    assert.equal(url.searchParams.get('q'), 'paracetamol');
    // The list is still there, as it was, beside the prescription.
    assert.equal(await rx.rows().count(), rowsBefore);
    assert.equal(await rx.searchBox().inputValue(), 'paracetamol');
    const list = await box(page.locator('.list-pane'));
    const detail = await box(page.getByTestId('prescription'));
    assert.ok(list.right <= detail.left, `list ${JSON.stringify(list)} and detail ${JSON.stringify(detail)} overlap`);
    assert.equal(await first.getByRole('link').getAttribute('aria-current'), 'page');

    // Another one: the address names it, and Back returns to the first.
    const firstPath = url.pathname;
    await rx.rows().nth(1).getByRole('link').click();
    await page.waitForURL((u) => u.pathname !== firstPath && u.pathname.startsWith('/prescriptions/'));
    const secondPath = new URL(page.url()).pathname;
    await page.goBack();
    await page.waitForURL((u) => u.pathname === firstPath);
    assert.equal(await rx.rows().first().getByRole('link').getAttribute('aria-current'), 'page');

    // A deep link (a reload) opens the list and the named prescription together.
    await app.open(`${secondPath}?q=paracetamol`);
    await page.getByTestId('prescription').waitFor();
    await rx.rows().first().waitFor();
    assert.equal(await rx.rows().nth(1).getByRole('link').getAttribute('aria-current'), 'page');
    assert.deepEqual(page.problems, []);
  });

  test('vaccination rows name the vaccine, dose k of n and the facility; one opens beside the list', async () => {
    const want = adultVaccinations();
    await app.open('/vaccinations?view=timeline');
    const rows = page.getByTestId('vaccination');
    await rows.first().waitFor();
    for (let i = 0; i < 8; i += 1) {
      const meta = await rows.nth(i).locator('.record-meta').innerText();
      if (want[i].dose) assert.ok(meta.includes(want[i].dose), `row ${i}: ${meta} lacks ${want[i].dose}`);
      if (want[i].facility) assert.ok(meta.includes(want[i].facility), `row ${i}: ${meta} lacks ${want[i].facility}`);
    }
    assert.ok(want.slice(0, 60).some((v) => v.dose && v.dose.includes('/')), 'no dose k of n in the fixture');

    const title = await rows.nth(2).getByRole('link').innerText();
    await rows.nth(2).getByRole('link').click();
    await page.locator('.detail-pane').getByRole('heading', { level: 2, name: title, exact: true }).waitFor();
    const url = new URL(page.url());
    assert.equal(url.pathname, `/vaccinations/${want[2].id}`);
    assert.equal(url.searchParams.get('view'), 'timeline');
    assert.equal(await rows.count(), expected.adult.vaccinations);
    const list = await box(page.locator('.list-pane'));
    const detail = await box(page.locator('.detail-pane .card').first());
    assert.ok(list.right <= detail.left);
    // Back keeps the view the record was chosen in.
    assert.equal(await page.locator('.detail-pane').getByRole('link', { name: 'Quay lại' }).getAttribute('href'), '/vaccinations?view=timeline');
    assert.deepEqual(page.problems, []);
  });

  test('a book opens beside the list, named by a device key and never by the citizen ID', async () => {
    const [adult, child] = [expected.adult, expected.child];
    await books.openList();
    assert.equal(await page.locator('.nothing-chosen').isVisible(), true);
    const adultAddress = await bookAddress(page, adult.name);
    const childAddress = await bookAddress(page, child.name);
    assert.notEqual(adultAddress, childAddress);
    await books.search('nguyen');
    const rowsBefore = await books.rows().count();

    await bookRow(page, adult.name).getByRole('link', { name: adult.name, exact: true }).click();
    const detail = page.getByTestId('book-detail');
    await detail.waitFor();
    assert.equal(new URL(page.url()).pathname, adultAddress);
    await page.getByRole('heading', { level: 1, name: adult.name, exact: true }).waitFor();
    assert.equal(
      await detail.getByTestId('book-detail-counts').innerText(),
      `${adult.vaccinations} mũi tiêm, ${adult.prescriptions} đơn thuốc`,
    );
    // Beside the list, which kept its search; the chosen row is marked.
    assert.equal(await books.rows().count(), rowsBefore);
    assert.equal(await page.getByRole('searchbox', { name: 'Tìm sổ' }).inputValue(), 'nguyen');
    const list = await box(page.locator('.list-pane'));
    const shown = await box(detail);
    assert.ok(list.right <= shown.left, `list ${JSON.stringify(list)} and detail ${JSON.stringify(shown)} overlap`);
    assert.equal(await bookRow(page, adult.name).getByRole('link').getAttribute('aria-current'), 'page');
    // The detail's actions name whose book they act on, as the rows' do.
    assert.equal(await detail.getByRole('button', { name: `Mở sổ của ${adult.name}`, exact: true }).count(), 1);
    assert.equal(await detail.getByRole('button', { name: `Mã QR khám của ${adult.name}`, exact: true }).count(), 1);

    // Another book, then Back: the address names each in turn.
    await books.search('');
    await bookRow(page, child.name).getByRole('link', { name: child.name, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: child.name, exact: true }).waitFor();
    assert.equal(new URL(page.url()).pathname, childAddress);
    await page.goBack();
    await page.waitForURL((u) => u.pathname === adultAddress);
    await page.getByRole('heading', { level: 1, name: adult.name, exact: true }).waitFor();

    // A deep link (a reload) opens the list and the named book together.
    await app.open(childAddress);
    await page.getByRole('heading', { level: 1, name: child.name, exact: true }).waitFor();
    await books.rows().first().waitFor();
    assert.equal(await bookRow(page, child.name).getByRole('link').getAttribute('aria-current'), 'page');

    // Nothing in any address this tablet visited holds a citizen ID (its history is readable by
    // the next person at the desk).
    const visited = await page.evaluate(() => performance.getEntriesByType('navigation').map((e) => e.name));
    for (const address of [adultAddress, childAddress, page.url(), ...visited]) {
      for (const person of Object.values(expected)) {
        if (person.citizenId) assert.ok(!address.includes(person.citizenId), `${address} holds a citizen ID`);
      }
    }

    // The detail opens the book on request, then its check-in QR.
    await page.getByTestId('book-detail').getByRole('button', { name: `Mã QR khám của ${child.name}` }).click();
    await page.waitForURL((url) => url.pathname === '/check-in');
    await page.getByTestId('open-book').filter({ hasText: child.name }).waitFor();
    await books.openList();
    await books.openBookOf(adult.name);
    assert.deepEqual(page.problems, []);
  });

  test('a book keeps its address when it is saved again, and an unknown address says so', async () => {
    const person = expected.adult;
    await books.openList();
    const before = await bookAddress(page, person.name);
    // Importing the same file again replaces the stored book: a save of a book already there.
    await books.importFile(fixture('family.json'));
    await books.openList();
    assert.equal(await bookAddress(page, person.name), before);
    await app.open(before);
    await page.getByRole('heading', { level: 1, name: person.name, exact: true }).waitFor();

    await app.open('/books/aaaaaaaaaaaaaaaa');
    await page.getByText('Không có sổ này trên máy.').waitFor();
    assert.equal(await page.getByTestId('book-detail').count(), 0);
    await books.openList();
    await books.openBookOf(person.name);
    assert.deepEqual(page.problems, []);
  });

  test('on a phone the book list and a book show one at a time', async () => {
    await page.setViewportSize(PHONE);
    try {
      await books.openList();
      const person = expected.child;
      const address = await bookAddress(page, person.name);
      assert.equal(await page.locator('.nothing-chosen').isVisible(), false);
      await bookRow(page, person.name).getByRole('link', { name: person.name, exact: true }).click();
      await page.getByTestId('book-detail').waitFor();
      assert.equal(new URL(page.url()).pathname, address);
      assert.equal(await books.rows().count(), 0);
      await page.getByTestId('book-detail').waitFor();
      await page.getByRole('link', { name: 'Quay lại' }).click();
      await page.waitForURL((u) => u.pathname === '/books');
      await books.rows().first().waitFor();
      assert.equal(await page.getByTestId('book-detail').count(), 0);
    } finally {
      await page.setViewportSize(TABLET);
    }
  });

  test('phones keep one thing at a time', async () => {
    await page.setViewportSize(PHONE);
    try {
      const id = adultPrescriptions[0].id;
      await rx.openDetail(id);
      assert.equal(await rx.rows().count(), 0);
      await rx.openList();
      assert.equal(await page.locator('.nothing-chosen').isVisible(), false);
      await app.open('/vaccinations?view=timeline');
      await page.getByTestId('vaccination').first().getByRole('link').click();
      await page.getByRole('heading', { level: 1, name: 'Chi tiết mũi tiêm' }).waitFor();
      assert.equal(await page.getByTestId('vaccination').count(), 0);
    } finally {
      await page.setViewportSize(TABLET);
    }
  });

  test('Home is a dashboard of its cards in columns', async () => {
    await app.open('/');
    await page.locator('.person-card').waitFor();
    const person = await box(page.locator('.person-card'));
    const lefts = await page.locator('.home-dashboard > *').evaluateAll((els) =>
      els.map((el) => el.getBoundingClientRect()).filter((r) => r.width > 0).map((r) => r.left),
    );
    assert.ok(lefts.some((left) => left >= person.right), `every card starts at ${lefts}`);
  });

  test('the check-in QR sits beside the name and the grouped ID in landscape', async () => {
    await app.open('/check-in');
    const qr = await box(page.getByTestId('check-in-qr'));
    const id = await box(page.getByTestId('check-in-id'));
    const name = await box(page.locator('#check-in-name'));
    assert.ok(qr.right <= id.left && qr.right <= name.left, `QR ${JSON.stringify(qr)}, ID ${JSON.stringify(id)}`);
    // Side by side, not one under the other.
    assert.ok(id.top < qr.bottom && name.top < qr.bottom);
  });

  test('each book row names whose book its buttons act on, in both languages', async () => {
    const people = [expected.adult.name, expected.child.name, expected['long-address'].name];
    await books.openList();
    for (const name of people) {
      for (const label of [`Mở sổ của ${name}`, `Mã QR khám của ${name}`, `Xuất sổ này ra tệp: sổ của ${name}`, `Xóa khỏi máy: sổ của ${name}`]) {
        assert.equal(await page.getByRole('button', { name: label, exact: true }).count(), 1, label);
      }
    }
    await app.open('/settings');
    await page.getByRole('radio', { name: 'English' }).check();
    try {
      await app.open('/books');
      await books.rows().first().waitFor();
      for (const name of people) {
        for (const label of [`Open book of ${name}`, `Check-in QR for ${name}`, `Remove from device: ${name}'s book`]) {
          assert.equal(await page.getByRole('button', { name: label, exact: true }).count(), 1, label);
        }
      }
    } finally {
      await app.open('/settings');
      await page.getByRole('radio', { name: 'Tiếng Việt' }).check();
    }
  });

  test('the reception flow: find the person, show the check-in QR, next patient, in 3 taps', async () => {
    const person = expected['long-address'];
    await books.openList();
    // Every trusted click or tap the person makes from here on (keyboard typing is not a tap).
    await page.evaluate(() => {
      window.taps = 0;
      document.addEventListener('click', (e) => { if (e.isTrusted) window.taps += 1; }, true);
    });
    // 1: into the search box; the name is typed.
    await page.getByRole('searchbox', { name: 'Tìm sổ' }).click();
    await page.keyboard.type('le ngoc luc');
    await books.rows().filter({ hasText: person.name }).waitFor();
    assert.equal(await books.rows().count(), 1);
    // 2: the row's check-in button opens the book and shows its QR at once.
    await page.getByRole('button', { name: `Mã QR khám của ${person.name}` }).click();
    await page.waitForURL((url) => url.pathname === '/check-in');
    await page.getByTestId('check-in-qr').waitFor();
    await page.getByTestId('open-book').filter({ hasText: person.name }).waitFor();
    assert.equal((await page.getByTestId('check-in-id').innerText()).replace(/\s/g, ''), person.citizenId);
    // 3: done with this patient, back to the list for the next one.
    await page.getByRole('banner').getByRole('link', { name: 'Đổi sổ' }).click();
    await page.waitForURL((url) => url.pathname === '/books');
    await page.getByRole('searchbox', { name: 'Tìm sổ' }).waitFor();
    // One tap to reach the search box, one for the action the desk needs (open the book and show
    // its code are one action), one to hand the tablet on: nothing in between to dismiss or find.
    const taps = await page.evaluate(() => window.taps);
    assert.ok(taps > 0, 'the tap counter saw nothing');
    assert.ok(taps <= 3, `${taps} taps`);
    assert.deepEqual(page.problems, []);
  });
});

describe('station tablet with no network', () => {
  let server;
  let browser;
  before(async () => {
    server = await startStaticServer({ root: process.env.SSK_DIST ?? 'dist' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a deep link to a book opens it beside the list offline', async () => {
    const { context, page } = await newPhonePage(browser, { viewport: TABLET });
    const app = new OfflineApp(page, server.url);
    const list = new BooksPage(app);
    await list.importFile(fixture('family.json'));
    await app.waitForServiceWorker();
    await list.openList();
    const person = expected['long-address'];
    const address = await bookAddress(page, person.name);

    await server.close();
    server = null;
    await context.setOffline(true);
    await app.open(address);
    await page.getByRole('heading', { level: 1, name: person.name, exact: true }).waitFor();
    await page.getByTestId('book-detail').waitFor();
    await list.rows().first().waitFor();
    assert.equal(await bookRow(page, person.name).getByRole('link').getAttribute('aria-current'), 'page');
    assert.deepEqual(page.problems, []);
    await context.close();
  });
});
