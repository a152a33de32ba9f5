// Issue 14: the first-run choice of device mode, removing a personal device's PIN, and the
// encryption migration (on and off) killed midway: the page is closed or its renderer crashed
// at several moments of a migration of several books, then the device is opened again. Every
// book must be readable, the app must start normally, and the migration must finish.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { expected, fixture } from '../support/fixtures.mjs';
import { useAppSession } from '../support/session.mjs';
import { rawStores, waitForSetting } from '../support/raw-stores.mjs';
import { AppPage } from '../pages/app-page.mjs';
import { BooksPage } from '../pages/books-page.mjs';

const session = useAppSession();
const PIN = '24681357';
const PASSPHRASE = 'mật khẩu trạm y tế';
const MARKER = 'vault.migration';
// The family file (the 40-year adult's 460 records and others) and one more book.
const NAMES = [expected.adult.name, expected.child.name, expected['long-address'].name];

async function importBooks(books) {
  await books.importFile(fixture('family.json'));
  await books.importFile(fixture('long-address.json'));
}

/** Settings: a PIN on a personal device; returns once the submit is tapped. */
async function startPersonalPin(page, app) {
  await app.tapNav('settings');
  await page.getByTestId('set-up-secret').fill(PIN);
  await page.getByTestId('set-up-secret-again').fill(PIN);
  await page.getByTestId('set-up-submit').click();
}

/** Every book of the list by name, on a device that is open (plain or unlocked). */
async function expectEveryBook(page, app) {
  const books = new BooksPage(app);
  const heading = page.getByRole('heading', { level: 1, name: 'Sổ trên máy này' });
  // By taps (a reload would lock an encrypted device again).
  const switchBook = page.getByRole('banner').getByRole('link', { name: 'Đổi sổ' });
  if (!(await heading.isVisible())) {
    if (await switchBook.isVisible()) await switchBook.click();
    else await app.tapNav('home');
  }
  await heading.or(switchBook).first().waitFor();
  if (!(await heading.isVisible())) await switchBook.click();
  await heading.waitFor();
  await books.rows().first().waitFor({ timeout: 30_000 });
  for (const name of NAMES) {
    await books.rows().filter({ has: page.getByRole('heading', { name }) }).first().waitFor();
  }
  assert.equal(await page.getByTestId('empty-state').count(), 0);
}

/** A new page of the same device (its storage) after the kill, opened without answering. */
async function reopen(context) {
  const page = await context.newPage();
  const app = new AppPage(page, session.server.url);
  await app.openFresh('/books');
  return { again: page, reopened: app };
}

/** Kills the page the way `how` says: closing it, or crashing its renderer. */
async function kill(page, how) {
  if (how === 'crash') {
    const cdp = await page.context().newCDPSession(page);
    const crashed = new Promise((ok) => page.once('crash', ok));
    // Never answered: the session dies with the renderer. Wait for the crash itself.
    cdp.send('Page.crash').catch(() => {});
    await crashed;
  }
  await page.close();
}

describe('first run', () => {
  test('a fresh device asks how it is used before anything else; a shared one sets up its first staff member there', async () => {
    const { context, page, app } = await session.newApp();
    await app.openFresh('/');
    await page.getByTestId('first-run').waitFor();
    assert.equal(await page.getByRole('navigation').count(), 0, 'nothing else is reachable');
    await page.getByTestId('first-run-shared').check();
    // A staff member is required: a too-short passphrase is refused with a message.
    await page.getByTestId('set-up-staff-name').fill('Y tá Lan');
    await page.getByTestId('set-up-secret').fill('ngắn');
    await page.getByTestId('set-up-secret-again').fill('ngắn');
    await page.getByTestId('set-up-submit').click();
    await page.getByTestId('first-run').getByRole('alert').waitFor();
    await page.getByTestId('set-up-secret').fill(PASSPHRASE);
    await page.getByTestId('set-up-secret-again').fill(PASSPHRASE);
    await page.getByTestId('set-up-submit').click();
    await page.getByTestId('lock-button').waitFor({ timeout: 60_000 });
    // From now on the device is a locked shared device, never asked again.
    await app.openFresh('/');
    await page.getByTestId('unlock-screen').waitFor();
    // The unlock screen names no one (staff names are stored sealed); the passphrase says who.
    assert.ok(!(await page.evaluate(() => document.body.innerHTML)).includes('Y tá Lan'));
    await page.getByTestId('unlock-secret').fill(PASSPHRASE);
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('unlocked-as').filter({ hasText: 'Đã mở khóa: Y tá Lan' }).waitFor({ timeout: 60_000 });
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('a personal phone goes on at once and is not asked again', async () => {
    const { context, page, app } = await session.newApp();
    await app.openFresh('/');
    await page.getByTestId('first-run-personal').check();
    await page.getByTestId('first-run-continue').click();
    await page.getByRole('navigation').first().waitFor();
    await app.openFresh('/');
    assert.equal(await page.getByTestId('first-run').count(), 0);
    assert.deepEqual(page.problems, []);
    await context.close();
  });
});

describe('removing the PIN', () => {
  test('after a confirmation and the current PIN, every book is stored readable again', { timeout: 180_000 }, async () => {
    const { context, page, app, books } = await session.newApp();
    await importBooks(books);
    await startPersonalPin(page, app);
    await page.getByTestId('lock-button').waitFor({ timeout: 60_000 });
    const sealed = JSON.stringify(await rawStores(page));
    assert.ok(!sealed.includes(expected.adult.name), 'encrypted');

    await page.getByTestId('turn-off-start').click();
    await page.getByTestId('turn-off-secret').fill('00000000');
    await page.getByTestId('turn-off-confirm').click();
    await page.getByTestId('turn-off-problem').waitFor();
    assert.match(await page.getByTestId('turn-off-problem').innerText(), /Sai mã/);
    assert.ok(!JSON.stringify(await rawStores(page)).includes(expected.adult.name), 'still encrypted');

    await page.getByTestId('turn-off-secret').fill(PIN);
    await page.getByTestId('turn-off-confirm').click();
    await page.getByTestId('device-set-up').waitFor({ timeout: 60_000 });
    assert.equal(await page.getByTestId('lock-button').count(), 0, 'nothing to lock');
    const plain = await rawStores(page);
    assert.ok(JSON.stringify(plain.books).includes(expected.adult.citizenId), 'readable under the citizen ID');
    assert.ok(!plain.settings.some((row) => row.includes('vault.')), 'no key or lock metadata left');
    await expectEveryBook(page, app);
    assert.deepEqual(page.problems, []);
    await context.close();
  });
});

describe('a migration killed midway', () => {
  // Killed as soon as the marker is written (the migration then reads and seals everything),
  // and at later moments, alternately by closing the page and by crashing its renderer.
  const moments = [0, 0, 40, 120, 300, 900].map((delay, i) => ({ delay, how: i % 2 ? 'crash' : 'close' }));

  for (const { delay, how } of moments) {
    test(`turning encryption on, ${how} ${delay} ms after the marker: reopens readable and finishes`, { timeout: 240_000 }, async () => {
      const { context, page, app, books } = await session.newApp();
      await importBooks(books);
      await app.tapNav('settings');
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 }); // a slower phone: a wider window
      const marker = waitForSetting(page, MARKER);
      await startPersonalPin(page, app);
      await marker;
      await new Promise((ok) => setTimeout(ok, delay));
      await kill(page, how);

      const { again, reopened } = await reopen(context);
      const screen = again.locator('[data-testid=resume-encryption], [data-testid=unlock-screen]');
      await screen.first().waitFor();
      if (await again.getByTestId('resume-encryption').isVisible()) {
        // Interrupted: the old, plain data, all of it, or (when the closed page's commit
        // landed after this page looked) the new, encrypted data, all of it; never a mix.
        // Either way the same PIN finishes it (the resume finds a finished migration and
        // only clears its marker).
        const stored = await rawStores(again);
        const plain = JSON.stringify(stored.books).includes(expected.adult.citizenId);
        const sealed = stored.settings.some((row) => row.includes('"vault.meta"'));
        assert.ok(plain !== sealed, `all or nothing: plain ${plain}, sealed ${sealed}`);
        await again.getByTestId('resume-secret').fill(PIN);
        await again.getByTestId('resume-submit').click();
      } else {
        // The commit came first: encrypted, locked.
        await again.getByTestId('unlock-secret').fill(PIN);
        await again.getByTestId('unlock-submit').click();
      }
      await again.getByTestId('lock-button').waitFor({ timeout: 120_000 });
      const stored = await rawStores(again);
      assert.ok(!stored.settings.some((row) => row.includes(MARKER)), 'finished: no marker');
      assert.ok(!JSON.stringify(stored).includes(expected.adult.name), 'everything encrypted');
      await expectEveryBook(again, reopened);
      await context.close();
    });
  }

  for (const { delay, how } of moments.slice(0, 4)) {
    test(`removing the PIN, ${how} ${delay} ms after the marker: reopens locked and unlocking finishes`, { timeout: 240_000 }, async () => {
      const { context, page, app, books } = await session.newApp();
      await importBooks(books);
      await startPersonalPin(page, app);
      await page.getByTestId('lock-button').waitFor({ timeout: 60_000 });
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      await page.getByTestId('turn-off-start').click();
      await page.getByTestId('turn-off-secret').fill(PIN);
      const marker = waitForSetting(page, MARKER);
      await page.getByTestId('turn-off-confirm').click();
      await marker;
      await new Promise((ok) => setTimeout(ok, delay));
      await kill(page, how);

      const { again, reopened } = await reopen(context);
      if (await again.getByTestId('unlock-screen').isVisible()) {
        assert.ok(!JSON.stringify(await rawStores(again)).includes(expected.adult.name), 'the old data, encrypted');
        await again.getByTestId('unlock-finishes-off').waitFor();
        await again.getByTestId('unlock-secret').fill(PIN);
        await again.getByTestId('unlock-submit').click();
        await again.locator('main[data-vault-ready=true]').waitFor({ timeout: 120_000 });
      }
      // Plain again, nothing to unlock.
      assert.equal(await again.getByTestId('lock-button').count(), 0);
      const stored = await rawStores(again);
      assert.ok(!stored.settings.some((row) => row.includes('vault.')), 'finished: no marker, no keys');
      assert.ok(JSON.stringify(stored.books).includes(expected.adult.citizenId));
      await expectEveryBook(again, reopened);
      await context.close();
    });
  }
});
