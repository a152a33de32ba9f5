// Storage faults a phone meets (issue 18; RESILIENCE.md): another tab upgrading the database
// under this one, and a browser that cannot open IndexedDB at all. (Records written by a newer
// version, and a quota error at each point of a save, are browser tests: app/tests/storage.rs.)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { fixture } from '../support/fixtures.mjs';
import { useAppSession } from '../support/session.mjs';

const DB_NAME = 'so-suc-khoe';

describe('storage faults', () => {
  const session = useAppSession();

  test('a newer tab upgrading the database: the old tab lets it, says so, and reloads', async () => {
    const { context, page, books } = await session.newApp();
    await books.importFile(fixture('child.json'));
    const current = await page.evaluate(async (name) => (await indexedDB.databases()).find((d) => d.name === name)?.version, DB_NAME);
    assert.ok(current >= 1, 'the app opened its database');
    await page.evaluate(() => {
      window.sameDocument = true;
    });

    // The second tab is a newer version of the app: it opens the database one version up.
    const newer = await context.newPage();
    await newer.goto(`${session.server.url}/manifest.webmanifest`);
    const upgrade = await newer.evaluate(
      ({ name, version }) =>
        new Promise((resolve) => {
          let blocked = false;
          const open = indexedDB.open(name, version);
          open.onblocked = () => {
            blocked = true;
          };
          open.onupgradeneeded = () => open.result.createObjectStore('from-a-newer-version');
          open.onsuccess = () => {
            open.result.close();
            resolve({ ok: true, blocked });
          };
          open.onerror = () => resolve({ ok: false, blocked, error: String(open.error) });
          setTimeout(() => resolve({ ok: false, blocked, error: 'timed out' }), 10_000);
        }),
      { name: DB_NAME, version: current + 1 },
    );
    assert.deepEqual(upgrade, { ok: true, blocked: false }, 'the old tab did not hold the upgrade up');

    // The old tab is told, then reloads by itself.
    const notice = page.getByTestId('superseded-notice');
    await notice.waitFor({ timeout: 10_000 });
    assert.match(await notice.innerText(), /cập nhật ở một thẻ khác.*tải lại/s);
    await page.waitForNavigation({ timeout: 15_000, waitUntil: 'load' });
    assert.equal(await page.evaluate(() => window.sameDocument), undefined, 'the old tab reloaded');
    // This build cannot read a database a newer version wrote: it says so, and changes nothing.
    await page.getByTestId('storage-error').waitFor({ timeout: 15_000 });
    assert.match(await page.getByTestId('storage-error').innerText(), /Không mở được dữ liệu trên máy/);
    const after = await page.evaluate(async (name) => (await indexedDB.databases()).find((d) => d.name === name)?.version, DB_NAME);
    assert.equal(after, current + 1, 'the newer database was not downgraded or deleted');
    await context.close();
  });

  test('IndexedDB cannot be opened: the app still opens, says why and how to recover', async () => {
    const { context, page, app } = await session.newApp();
    // What some private modes and insecure contexts do: open() throws.
    await context.addInitScript(() => {
      IDBFactory.prototype.open = function open() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      };
    });
    await app.open('/');
    const error = page.getByTestId('storage-error');
    await error.waitFor({ timeout: 30_000 });
    assert.match(await error.innerText(), /Không mở được dữ liệu trên máy.*Hãy tải lại trang/s);
    assert.equal(await error.getByRole('button', { name: 'Tải lại' }).count(), 1);
    // The rest of the app still works: navigation, Settings.
    await app.open('/settings');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await context.close();
  });
});
