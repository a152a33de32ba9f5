// Storage faults a phone meets (issue 18; RESILIENCE.md): another tab upgrading the database
// under this one, a browser that cannot open IndexedDB at all, the browser evicting the books,
// and a device really full. (Records written by a newer version, and a quota error at each point
// of a save, are browser tests: app/tests/storage.rs.)
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

import { expected, fixture } from '../support/fixtures.mjs';
import { largerChildBook } from '../support/larger-book.mjs';
import { useAppSession } from '../support/session.mjs';
import { smallDisk } from '../support/small-disk.mjs';
import { AppPage } from '../pages/app-page.mjs';
import { BooksPage } from '../pages/books-page.mjs';

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

describe('the browser evicting storage', () => {
  const session = useAppSession();
  const MARKER = 'ssk.books-held.so-suc-khoe';

  /** What Chromium's quota eviction deletes: the origin's IndexedDB and Cache Storage. */
  async function evict(context, page, origin) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'indexeddb,cache_storage' });
  }

  test('books the browser evicted: Home says so and offers the health system or a backup', async () => {
    const { context, page, app, books } = await session.newApp();
    await books.importFile(fixture('child.json'));
    await books.importFile(fixture('adult.json'));
    const marker = await page.evaluate((key) => localStorage.getItem(key), MARKER);
    assert.match(marker, /"books":2/, 'the marker counts the books');
    for (const person of [expected.child, expected.adult]) {
      assert.ok(!marker.includes(person.name) && !marker.includes(person.citizenId), 'the marker names nobody');
    }

    await evict(context, page, session.server.url);
    await app.open('/');
    const notice = page.getByTestId('evicted-books');
    await notice.waitFor({ timeout: 30_000 });
    assert.match(await notice.innerText(), /Trình duyệt đã xóa dữ liệu của ứng dụng/);
    assert.match(await notice.innerText(), /Máy này giữ 2 sổ sức khỏe từ \d{2}\/\d{2}\/\d{4}/);
    assert.equal(await notice.getByRole('link', { name: 'Thêm từ hệ thống y tế' }).getAttribute('href'), '/books/sync');
    assert.equal(await notice.getByRole('link', { name: 'Khôi phục từ tệp sao lưu' }).getAttribute('href'), '/books/import');

    // Restoring from the backup file brings the book back; the notice has done its work.
    await notice.getByRole('link', { name: 'Khôi phục từ tệp sao lưu' }).click();
    await page.waitForURL((url) => url.pathname === '/books/import');
    await books.importFile(fixture('child.json'));
    assert.equal(await page.getByTestId('evicted-books').count(), 0);

    // Dismissed on another eviction, it stays away after a reload.
    await evict(context, page, session.server.url);
    await app.open('/');
    await page.getByTestId('evicted-books').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Đã hiểu' }).click();
    await page.getByTestId('empty-state').waitFor();
    await app.open('/');
    await page.getByTestId('empty-state').waitFor();
    assert.equal(await page.getByTestId('evicted-books').count(), 0, 'dismissed for good');
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('removing the last book, or everything, on purpose is not reported as an eviction', async () => {
    const { context, page, app, books } = await session.newApp();
    await books.importFile(fixture('child.json'));
    await books.openList();
    await books.rows().getByRole('button', { name: 'Xóa khỏi máy' }).click();
    await page.getByRole('button', { name: 'Xóa', exact: true }).click();
    await page.getByText(`Đã xóa sổ của ${expected.child.name} khỏi máy này.`).waitFor();
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), MARKER), null, 'the marker went with the last book');
    // An eviction now finds nothing to report: the books were removed by the person.
    await evict(context, page, session.server.url);
    await app.open('/');
    await page.getByTestId('empty-state').waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('evicted-books').count(), 0);

    // "Remove everything from this device".
    await books.importFile(fixture('adult.json'));
    await app.tapNav('settings');
    const card = page.getByTestId('wipe-card');
    await card.getByRole('button', { name: 'Xóa mọi thứ…' }).click();
    const reloaded = page.waitForEvent('load');
    await card.getByRole('alertdialog').getByRole('button', { name: 'Xóa vĩnh viễn' }).click();
    await reloaded;
    await app.open('/');
    await page.getByTestId('empty-state').waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('evicted-books').count(), 0);
    assert.deepEqual(page.problems, []);
    await context.close();
  });
});

describe('a device really full', () => {
  const session = useAppSession();
  const dir = mkdtempSync(join(tmpdir(), 'ssk-full-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const disk = smallDisk();

  test(
    'importing a large book into a full origin ends in "storage full", and the books stay',
    { skip: disk.unavailable, timeout: 300_000 },
    async () => {
      const context = await disk.launch();
      const page = await context.newPage();
      page.problems = [];
      const app = new AppPage(page, session.server.url);
      const books = new BooksPage(app);
      await books.importFile(fixture('child.json'));
      await app.open('/vaccinations');
      await page.getByTestId('vaccination-count').waitFor({ timeout: 60_000 });
      const before = await page.getByTestId('vaccination-count').innerText();

      // Fill the origin with incompressible bytes until the browser refuses (its quota is 60 % of
      // the small disk), then give back a little, less than the large book needs.
      const filled = await page.evaluate(fillOrigin);
      assert.match(filled.error, /QuotaExceededError/, `the origin filled up: ${JSON.stringify(filled)}`);
      console.log(`the origin took ${filled.chunks} MB of filler before the quota error`);

      await books.previewFile(largerChildBook(dir, 6000));
      await page.getByRole('button', { name: 'Nhập sổ' }).click();
      const error = page.getByTestId('storage-error');
      await error.waitFor({ timeout: 60_000 });
      assert.match(await error.innerText(), /Bộ nhớ của máy đã đầy nên không lưu được\. Dữ liệu cũ vẫn còn nguyên/);

      // After a reload the previous book is whole.
      await app.open('/vaccinations');
      await page.getByTestId('vaccination-count').waitFor({ timeout: 60_000 });
      assert.equal(await page.getByTestId('vaccination-count').innerText(), before);
      await context.close();
    },
  );
});

/** In the page: fills a database of its own with 1 MB random chunks until a write is refused. */
async function fillOrigin() {
  const db = await new Promise((ok, fail) => {
    const r = indexedDB.open('e2e-filler', 1);
    r.onupgradeneeded = () => r.result.createObjectStore('chunks');
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
  const put = (key, value) =>
    new Promise((ok, fail) => {
      const tx = db.transaction('chunks', 'readwrite');
      tx.objectStore('chunks').put(value, key);
      tx.oncomplete = ok;
      tx.onabort = () => fail(tx.error);
    });
  let chunks = 0;
  try {
    for (;;) {
      const chunk = new Uint8Array(1 << 20);
      for (let at = 0; at < chunk.length; at += 65536) crypto.getRandomValues(chunk.subarray(at, at + 65536));
      await put(chunks, chunk);
      chunks++;
      if (chunks > 4096) return { chunks, error: 'never full' };
    }
  } catch (e) {
    // 256 KB back: room for small writes (the access log), not for the large book.
    const small = new Uint8Array(1 << 18);
    const freed = await new Promise((ok) => {
      const tx = db.transaction('chunks', 'readwrite');
      tx.objectStore('chunks').put(small, 0);
      tx.oncomplete = () => ok(true);
      tx.onabort = () => ok(false);
    });
    db.close();
    return { chunks, freed, error: `${e?.name}: ${e?.message}` };
  } finally {
    db.close();
  }
}
