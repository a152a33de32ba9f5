// A tablet shared by many patients (issue 14): whose book is open is on every screen, in a colour
// of that person's own; "Remove everything from this device" leaves nothing of the app behind; and
// no personal identifier is ever written to the console.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { expected, fixture } from '../support/fixtures.mjs';
import { useAppSession } from '../support/session.mjs';
import { LABELS, SCREENS } from '../pages/app-page.mjs';

const session = useAppSession();

const birthYear = (person) => Number(person.dateOfBirth.slice(0, 4));

/** Every console message of a page, whatever its level (the app's own rule covers them all). */
function recordConsole(page) {
  const messages = [];
  page.on('console', (msg) => messages.push(msg.text()));
  return messages;
}

/** The banner as assistive technology finds it: a group named with the person and birth year. */
function banner(page, person) {
  return page.getByRole('group', { name: `Sổ đang mở: ${person.name}, sinh năm ${birthYear(person)}` });
}

/** The banner's colours, as the browser paints them, and WCAG's contrast ratio between them. */
async function bannerColours(page) {
  return page.getByTestId('open-book').evaluate((el) => {
    const style = getComputedStyle(el);
    const channels = (css) => css.match(/\d+/g).slice(0, 3).map(Number);
    const luminance = (css) => {
      const [r, g, b] = channels(css).map((c) => {
        const v = c / 255;
        return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const [bg, fg] = [luminance(style.backgroundColor), luminance(style.color)];
    return {
      background: style.backgroundColor,
      hue: el.dataset.hue,
      contrast: (Math.max(bg, fg) + 0.05) / (Math.min(bg, fg) + 0.05),
    };
  });
}

/** What the origin keeps: databases, caches, web storage keys and service workers. */
function storedState(page) {
  return page.evaluate(async () => ({
    databases: (await indexedDB.databases()).map((d) => d.name).sort(),
    caches: (await caches.keys()).sort(),
    localStorage: localStorage.length,
    sessionStorage: sessionStorage.length,
    serviceWorkers: (await navigator.serviceWorker.getRegistrations()).length,
  }));
}

/** Something of every kind the wipe must remove, beyond what the app itself stored. */
function addMarkers(page) {
  return page.evaluate(async () => {
    localStorage.setItem('e2e-marker', '1');
    sessionStorage.setItem('e2e-marker', '1');
    await (await caches.open('e2e-marker')).put('/e2e-marker', new Response('x'));
    await new Promise((resolve, reject) => {
      const request = indexedDB.open('e2e-marker-db');
      // Closed at once, so this connection does not block the deletion.
      request.onsuccess = () => {
        request.result.close();
        resolve();
      };
      request.onerror = () => reject(request.error);
    });
  });
}

describe('a device shared by several people', () => {
  test('the open book is named, with birth year and its own colour, on every screen', async () => {
    const { context, page, app, books } = await session.newApp();
    const messages = recordConsole(page);
    const { adult, child } = expected;
    await books.importFile(fixture('family.json'));
    await books.openList();
    await books.openBookOf(adult.name);

    for (const { key } of SCREENS) {
      await app.tapNav(key);
      await app.expectScreen(key);
      await banner(page, adult).waitFor();
      const text = await page.getByTestId('open-book').innerText();
      assert.match(text, new RegExp(adult.name));
      assert.match(text, new RegExp(`sinh năm ${birthYear(adult)}`));
    }
    // After a reload too (the banner comes from storage, not from the previous screen).
    await app.open('/prescriptions');
    await banner(page, adult).waitFor();
    const adultColours = await bannerColours(page);
    assert.ok(adultColours.contrast >= 4.5, `contrast ${adultColours.contrast} on ${adultColours.background}`);

    await books.openList();
    await books.openBookOf(child.name);
    await banner(page, child).waitFor();
    const childColours = await bannerColours(page);
    assert.ok(childColours.contrast >= 4.5, `contrast ${childColours.contrast} on ${childColours.background}`);
    assert.notEqual(childColours.background, adultColours.background);
    assert.notEqual(childColours.hue, adultColours.hue);
    // The same person keeps the same colour.
    await books.openList();
    await books.openBookOf(adult.name);
    await banner(page, adult).waitFor();
    assert.deepEqual(await bannerColours(page), adultColours);

    for (const person of [adult, child]) {
      for (const value of [person.citizenId, person.name, person.dateOfBirth]) {
        assert.deepEqual(messages.filter((m) => m.includes(value)), [], `console names ${value}`);
      }
    }
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('"Remove everything" leaves no database, cache, stored key or service worker', async () => {
    const { context, page, app, books } = await session.newApp();
    await books.importFile(fixture('adult.json'), { expectPreviewOf: expected.adult.name });
    // The offline shell is stored, and a preference: English.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(async () => (await caches.keys()).some((k) => k.startsWith('ssk-shell-')));
    await app.chooseLanguage('en');
    await addMarkers(page);
    const before = await storedState(page);
    assert.ok(before.databases.includes('so-suc-khoe') && before.databases.includes('e2e-marker-db'));
    assert.ok(before.caches.includes('e2e-marker') && before.caches.length >= 2);
    assert.ok(before.localStorage >= 2 && before.sessionStorage >= 1 && before.serviceWorkers === 1);

    const card = page.getByTestId('wipe-card');
    await card.getByRole('button', { name: 'Remove everything…' }).click();
    const confirm = card.getByRole('alertdialog');
    assert.match(await confirm.innerText(), /Permanently remove 1 health book/);
    assert.match(await confirm.innerText(), /needs a network connection to open again/);

    // The page the wipe opens must not start the app, which would create its database again:
    // what is left is read from that bare page. Then the app starts for real.
    await page.route('**/*.wasm', (route) => route.abort());
    const reloaded = page.waitForEvent('load');
    await confirm.getByRole('button', { name: 'Remove permanently' }).click();
    await reloaded;
    assert.equal(new URL(page.url()).pathname, '/');
    assert.deepEqual(await storedState(page), {
      databases: [],
      caches: [],
      localStorage: 0,
      sessionStorage: 0,
      serviceWorkers: 0,
    });

    await page.unroute('**/*.wasm');
    page.problems.length = 0; // the deliberately refused wasm above
    await app.open('/');
    // A first run: no book, no banner, and the default language again.
    await page.getByText(LABELS.vi.noBook).first().waitFor();
    assert.equal(await page.getByTestId('open-book').count(), 0);
    await books.openList();
    assert.equal(await books.rows().count(), 0);
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('a database held open by another tab is reported, and the wipe succeeds once it closes', async () => {
    const { context, page, app, books } = await session.newApp();
    await books.importFile(fixture('adult.json'), { expectPreviewOf: expected.adult.name });
    // Another tab holding the database open and ignoring requests to close it (an old version of
    // the app would): a page of the same origin that is not the app.
    const other = await context.newPage();
    await other.goto(`${session.server.url}/manifest.webmanifest?other-tab`);
    await other.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const request = indexedDB.open('so-suc-khoe');
          request.onsuccess = () => {
            window.heldOpen = request.result;
            resolve();
          };
          request.onerror = () => reject(request.error);
        }),
    );

    await app.tapNav('settings');
    const card = page.getByTestId('wipe-card');
    await card.getByRole('button', { name: 'Xóa mọi thứ…' }).click();
    await card.getByRole('button', { name: 'Xóa vĩnh viễn' }).click();
    const error = card.getByTestId('wipe-error');
    await error.waitFor();
    assert.match(await error.innerText(), /đang mở ở một thẻ hoặc cửa sổ khác/);
    assert.equal(new URL(page.url()).pathname, '/settings');

    await other.close();
    const reloaded = page.waitForEvent('load');
    await card.getByRole('button', { name: 'Xóa vĩnh viễn' }).click();
    await reloaded;
    await page.locator('#loading-shell').waitFor({ state: 'detached' });
    await app.answerFirstRun(); // the wipe leaves a fresh device
    await page.getByText(LABELS.vi.noBook).first().waitFor();
    assert.equal(await page.getByTestId('open-book').count(), 0);
    assert.deepEqual(page.problems, []);
    await context.close();
  });
});
