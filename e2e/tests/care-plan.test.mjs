// The care plan of issue 19, for a book with a missed re-examination and a long-term
// prescription: Coming up on Home marks the missed date overdue; today's plan keeps "taken" and
// "skipped" across a reload; the reminder file parses with a real iCalendar parser (ical.js)
// into the expected daily events with alarms.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import ICAL from 'ical.js';

import { startStaticServer } from '../support/static-server.mjs';
import { launchBrowser, newPhonePage } from '../support/browser.mjs';
import { expected, fixture, fixtureDay } from '../support/fixtures.mjs';
import { AppPage } from '../pages/app-page.mjs';
import { BooksPage } from '../pages/books-page.mjs';

const person = expected.carePlan;

let server;
let browser;
let context;
let page;
let app;

before(async () => {
  server = await startStaticServer({ root: process.env.SSK_DIST ?? 'dist' });
  browser = await launchBrowser();
  // "Overdue 3 days" and the reminders' 20 days count from the fixtures' day.
  ({ context, page } = await newPhonePage(browser, { onDay: fixtureDay }));
  app = new AppPage(page, server.url);
  await new BooksPage(app).importFile(fixture('care-plan.json'), { expectPreviewOf: person.name });
});

after(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

/** The dose rows of today's plan, each as [medicine, state]. */
async function doseStates() {
  const rows = page.getByTestId('dose');
  await rows.first().waitFor();
  return rows.evaluateAll((els) =>
    els.map((el) => [el.querySelector('h3')?.textContent?.trim(), el.dataset.state]),
  );
}

describe('care plan', () => {
  test('Coming up on Home marks the missed re-examination overdue', async () => {
    await app.open('/');
    const section = page.getByTestId('coming-up');
    await section.waitFor();
    const item = section.getByTestId('coming-up-item').first();
    assert.equal(await item.getAttribute('data-overdue'), 'true');
    assert.match(await item.innerText(), /Tái khám tại Trạm Y tế xã Phú Đình/);
    assert.match(await item.getByTestId('due').innerText(), /Quá hạn 3 ngày/);
    assert.match(await section.innerText(), /1 lịch đã quá hạn/);

    await section.getByRole('link', { name: 'Xem tất cả' }).click();
    await page.waitForURL((url) => url.pathname === '/coming-up');
    const rows = page.getByTestId('coming-up-item');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 1);
    assert.match(await rows.first().innerText(), /Theo đơn thuốc/);
  });

  test('taken and skipped are kept on the device across a reload', async () => {
    await app.open('/today');
    const before = await doseStates();
    assert.equal(before.length, person.doses);
    assert.deepEqual(
      before.map(([name]) => name).sort(),
      ['Amlodipin 5mg', 'Amlodipin 5mg', 'Metformin 500mg'],
    );
    assert.ok(before.every(([, state]) => state === 'open'), JSON.stringify(before));

    const doses = page.getByTestId('dose');
    // Morning: Amlodipin taken, Metformin skipped.
    await doses.nth(0).getByRole('button', { name: 'Đã uống' }).click();
    await page.locator('[data-testid=dose][data-state=taken]').waitFor();
    await doses.nth(1).getByRole('button', { name: 'Bỏ liều' }).click();
    await page.locator('[data-testid=dose][data-state=skipped]').waitFor();
    const marked = await doseStates();

    await page.reload();
    await page.locator('#loading-shell').waitFor({ state: 'detached' });
    await page.locator('[data-testid=dose][data-state=skipped]').waitFor();
    const after = await doseStates();
    assert.deepEqual(after, marked);
    assert.deepEqual(after.map(([, s]) => s), ['taken', 'skipped', 'open']);
    assert.equal(
      await doses.nth(0).getByRole('button', { name: 'Đã uống' }).getAttribute('aria-pressed'),
      'true',
    );

    // A second tap undoes a mistaken mark, and that is kept too.
    await doses.nth(1).getByRole('button', { name: 'Bỏ liều' }).click();
    await page.locator('[data-testid=dose][data-state=skipped]').waitFor({ state: 'detached' });
    await page.reload();
    await page.locator('[data-testid=dose][data-state=taken]').waitFor();
    assert.deepEqual((await doseStates()).map(([, s]) => s), ['taken', 'open', 'open']);
  });

  test('the reminder file is iCalendar with a daily event and an alarm per dose time', async () => {
    await app.open('/today');
    const downloading = page.waitForEvent('download');
    await page.getByTestId('export-reminders').click();
    const download = await downloading;
    assert.match(download.suggestedFilename(), /\.ics$/);
    const text = readFileSync(await download.path(), 'utf8');
    assert.ok(text.split('\r\n').every((line) => Buffer.byteLength(line) <= 75), 'lines folded at 75 octets');

    const calendar = new ICAL.Component(ICAL.parse(text));
    assert.equal(calendar.getFirstPropertyValue('version'), '2.0');
    const events = calendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
    // Doses only: the re-examination was missed, so it rings no more.
    assert.equal(events.length, person.doses);
    const uids = new Set(events.map((e) => e.uid));
    assert.equal(uids.size, events.length, 'one UID per event');

    const byTitle = events
      .map((e) => [e.summary, e.startDate.hour, e.startDate.minute])
      .sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1]);
    assert.deepEqual(byTitle, [
      ['Uống thuốc: Amlodipin 5mg', 7, 0],
      ['Uống thuốc: Amlodipin 5mg', 18, 30],
      ['Uống thuốc: Metformin 500mg', 7, 0],
    ]);
    for (const event of events) {
      const rule = event.component.getFirstPropertyValue('rrule');
      assert.equal(rule.freq, 'DAILY');
      // Issued ten days ago for 30 days: today and the 19 days after it.
      assert.equal(rule.count, 20);
      const alarm = event.component.getFirstSubcomponent('valarm');
      assert.ok(alarm, `${event.summary} has an alarm`);
      assert.equal(alarm.getFirstPropertyValue('action'), 'DISPLAY');
      assert.ok(event.startDate.isDate === false && event.startDate.zone === ICAL.Timezone.localTimezone);
    }
    const amlodipin = events.find((e) => e.summary.includes('Amlodipin'));
    assert.match(amlodipin.description, /1 viên · Sau ăn/);
    // The citizen ID is never written into the calendar.
    assert.ok(!text.includes(person.citizenId));
  });
});

describe('paper twin', () => {
  test('one A5 page in both languages with the check-in QR', async () => {
    await app.open('/paper');
    const sheet = page.getByTestId('paper-twin');
    await sheet.waitFor();
    assert.equal(await sheet.getByTestId('paper-name').innerText(), person.name);
    const text = await sheet.innerText();
    for (const label of ['Dị ứng', 'Allergies', 'Thuốc đang dùng', 'Lịch hẹn sắp tới', 'Next appointments']) {
      assert.ok(text.includes(label), label);
    }
    for (const medicine of person.medicines) assert.ok(text.includes(medicine), medicine);
    assert.equal(await sheet.getByTestId('paper-qr').count(), 1);
    // Printed, the named page is A5 (148 x 210 mm = 419.5 x 595.3 pt) and holds it on one sheet.
    const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
    const boxes = [...pdf.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
    assert.ok(boxes.length >= 1, 'the PDF has pages');
    for (const [w, h] of boxes) {
      assert.ok(Math.abs(w - 419.5) < 2 && Math.abs(h - 595.3) < 2, `page ${w} x ${h} pt is A5`);
    }
    assert.equal(boxes.length, 1, 'one sheet');
  });
});
