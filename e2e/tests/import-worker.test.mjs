// Importing a file runs in the data worker (issue 17): the page shows the reading's progress,
// then the same preview as before, and a worker that cannot start, stops or stops answering says
// so and keeps everything stored; choosing the same file again then retries. The long tasks of a
// large import are measured by bench/screens.mjs. Every test here runs under scripts/test: the
// fixtures always include the 18 MB book.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { expected, fixture } from '../support/fixtures.mjs';
import { useAppSession } from '../support/session.mjs';
import { newPhonePage } from '../support/browser.mjs';
import { AppPage } from '../pages/app-page.mjs';
import { BooksPage } from '../pages/books-page.mjs';

const session = useAppSession();
const heavy = expected['prescriptions-5000'];
// The import's watchdog (screens/import/read.rs): a worker silent this long is stopped.
const IMPORT_SILENCE_MS = 60_000;

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

/** A worker that says it is ready, then never answers (hung, or dead without an error event). */
const SILENT_WORKER = `self.postMessage({ id: 0, body: '"Ready"' });
self.onmessage = () => {};`;

describe('import in the data worker', () => {
  test('the fixtures hold the 18 MB book, so no test here is left out', () => {
    assert.ok(heavy, 'expected.json has no prescriptions-5000: e2e_fixtures did not write it');
  });

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

  test('a worker that stops answering is given up after the import\'s bound; the same file chosen again retries', async () => {
    const { context, page, app, books } = await appWithoutServiceWorker();
    await books.importFile(fixture('child.json'));
    await replaceWorkerLoader(context, SILENT_WORKER);
    // The page's timers and Date (the watchdog's), so its minute passes in a moment.
    await context.clock.install();
    await app.open('/books/import');
    await page.reload();
    await books.chooseFile(fixture('adult.json'));
    await page.getByRole('progressbar', { name: 'Tiến độ nhập tệp' }).waitFor();
    const alert = page.getByTestId('import-error');
    await page.clock.runFor(IMPORT_SILENCE_MS - 15_000);
    assert.equal(await alert.count(), 0, 'the import was given up before its bound');
    await page.clock.runFor(30_000);
    await alert.waitFor({ timeout: 15_000 });
    assert.equal(
      await alert.innerText(),
      'Bộ đọc tệp không trả lời nữa nên đã dừng. Không có gì thay đổi; hãy thử chọn lại tệp.',
    );
    // The input was emptied when the file was taken, so the same file is a new choice.
    assert.equal(await books.fileInput().inputValue(), '');
    await context.unroute('**/data-worker_loader.js');
    await books.chooseFile(fixture('adult.json'));
    const preview = page.getByTestId('import-preview');
    await preview.waitFor({ timeout: 30_000 });
    assert.match(await preview.innerText(), new RegExp(expected.adult.name));
    await books.openList();
    assert.equal(await books.rows().count(), 1, 'nothing was saved before the confirmation');
    await context.close();
  });
});
