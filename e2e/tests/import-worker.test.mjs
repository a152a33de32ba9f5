// Importing a file runs in the data worker (issue 17): the page shows the reading's progress,
// then the same preview as before, and a worker that cannot start or stops says so and keeps
// everything stored. The long tasks of a large import are measured by bench/screens.mjs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { expected, fixture } from '../support/fixtures.mjs';
import { useAppSession } from '../support/session.mjs';
import { newPhonePage } from '../support/browser.mjs';
import { AppPage } from '../pages/app-page.mjs';
import { BooksPage } from '../pages/books-page.mjs';

const session = useAppSession();
const heavy = expected['prescriptions-5000'];

/** A fresh phone page with no service worker, so that the page's requests reach the routes. */
async function appWithoutServiceWorker() {
  const { context, page } = await newPhonePage(session.browser, { serviceWorkers: 'block' });
  const app = new AppPage(page, session.server.url);
  return { context, page, app, books: new BooksPage(app) };
}

/** Replaces the data worker's loader: `body` as its script, or a 404 when `body` is null. */
function replaceWorkerLoader(context, body) {
  return context.route('**/data-worker_loader.js', (route) =>
    body == null
      ? route.fulfill({ status: 404, body: '' })
      : route.fulfill({ status: 200, contentType: 'text/javascript', body }),
  );
}

/** A worker that says it is ready, as the real one does, then fails on the first request. */
const STOPPING_WORKER = `self.postMessage({ id: 0, body: '"Ready"' });
self.onmessage = () => { throw new Error('stopped on purpose'); };`;

describe('import in the data worker', { skip: heavy ? false : 'fixtures written without --bench' }, () => {
  test('an 18 MB file shows its progress, then the preview of all its records, and is saved', async () => {
    const { context, page, books } = await session.newApp();
    const { preview, progress } = await books.previewFileWithProgress(fixture('prescriptions-5000.json'));

    assert.ok(progress.length >= 2, `progress seen: ${progress}`);
    assert.deepEqual(progress, [...progress].sort((a, b) => a - b), 'progress only goes forward');
    assert.equal(progress.at(-1), 100);
    const text = await preview.innerText();
    assert.match(text, new RegExp(heavy.name));
    assert.match(text, new RegExp(`${heavy.vaccinations} mũi tiêm và ${heavy.prescriptions} đơn thuốc`));

    await books.confirmImport();
    assert.match(await page.getByTestId('open-book').innerText(), new RegExp(heavy.name));
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('a worker that cannot start says so and changes nothing', async () => {
    const { context, page, app, books } = await appWithoutServiceWorker();
    await replaceWorkerLoader(context, null);
    await app.open('/books/import');
    await page.locator('input[type=file]').setInputFiles(fixture('child.json'));
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 15_000 });
    assert.match(await alert.innerText(), /Không khởi động được bộ đọc tệp/);
    await books.openList();
    assert.equal(await books.rows().count(), 0);
    await context.close();
  });

  test('a worker that stops during the import says so and keeps the books already stored', async () => {
    const { context, page, app, books } = await appWithoutServiceWorker();
    await books.importFile(fixture('child.json'));
    await replaceWorkerLoader(context, STOPPING_WORKER);
    // A new page load starts a new worker, from the replaced loader.
    await app.open('/books/import');
    await page.locator('input[type=file]').setInputFiles(fixture('adult.json'));
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 15_000 });
    assert.match(await alert.innerText(), /Bộ đọc tệp đã dừng trước khi nhập xong/);
    await books.openList();
    assert.equal(await books.rows().count(), 1);
    assert.match(await books.rows().innerText(), new RegExp(expected.child.name));
    await context.close();
  });
});
