// The sync runs in the data worker (issue 17): the page sends it the job and shows what the
// worker reports. What the other sync tests cannot tell apart from a sync on the page: the
// progress line follows the worker's progress replies, Cancel reaches the worker, and a worker
// that cannot start, dies, or stops answering ends the sync with its own message and leaves the
// stored book as it was (RESILIENCE.md, "Data worker faults").
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { FIXTURES_DIR } from '../support/fixtures.mjs';
import { startFhirServer } from '../support/fhir-server.mjs';
import { useAppSession } from '../support/session.mjs';
import { FhirRest, SYNC_LABELS, SyncPage } from '../pages/sync-page.mjs';

// The development server's port, as in sync.test.mjs (the e2e files run one at a time).
const FHIR_PORT = 8103;
const SEED = `${FIXTURES_DIR}/fhir/seed.json`;
const who = JSON.parse(readFileSync(`${FIXTURES_DIR}/fhir/people.json`, 'utf8'));
const adult = who.people.find((p) => p.role === 'adult');
const WORKER_STOPPED = 'Đồng bộ đã dừng trước khi xong. Hãy thử lại.';
const WORKER_SILENT = 'Phần đồng bộ của ứng dụng không trả lời nữa nên đồng bộ đã dừng. Hãy thử lại.';
// The core's bound for a silent worker with the default policy and 30 s requests
// (RetryPolicy::worker_silence_ms, tested natively).
const SILENCE_MS = 270_000;
const WORKER_UNAVAILABLE =
  'Không thể bắt đầu đồng bộ trên máy này: phần đồng bộ của ứng dụng chưa được lưu. Hãy mở ứng dụng một lần khi có kết nối rồi thử lại.';

/** Makes the app's data worker fail to load, as on a phone offline before its files were stored. */
function breakDataWorker() {
  const Original = window.Worker;
  window.Worker = class extends Original {
    constructor(url, options) {
      super(String(url).includes('data-worker') ? '/data-worker-not-stored.js' : url, options);
    }
  };
}

describe('the sync in the data worker', () => {
  let fhir;
  let rest;
  before(async () => {
    fhir = await startFhirServer({ port: FHIR_PORT, seed: [SEED], faults: true });
    rest = new FhirRest(fhir.url);
  });
  after(async () => {
    await fhir?.close();
  });
  const session = useAppSession({ devFhirServer: () => fhir.url });

  async function appWithBook() {
    const opened = await session.newApp();
    const sync = new SyncPage(opened.app);
    await sync.addBook(adult.citizenId, { expectPreviewOf: adult.name });
    return { ...opened, sync };
  }

  // A refresh held by the server (its deletions' answer delayed), whose data worker is then
  // killed, with or without an error event reaching the page. Returns the book's vaccination
  // count from before, which must still be there after.
  async function refreshWithDeadWorker({ app, sync }, { silently }) {
    const before = await vaccinationCount(app);
    await app.open('/');
    await rest.fault({ match: '/Immunization/_history', delayMs: 20_000 });
    await sync.startRefresh();
    await sync.killDataWorker({ silently });
    return before;
  }

  async function vaccinationCount(app) {
    await app.open('/vaccinations');
    return app.page.getByTestId('vaccination-count').innerText();
  }

  test('the progress line shows what the worker has received, and Cancel stops it there', async () => {
    const { context, app, sync } = await appWithBook();
    try {
      const before = await vaccinationCount(app);
      await app.open('/');
      // The changes come in; the deletions' answer is held long enough to read the line and tap
      // Cancel while the worker waits for it.
      await rest.fault({ match: '/Immunization/_history', delayMs: 20_000 });
      const panel = sync.panel();
      await panel.getByRole('button', { name: SYNC_LABELS.refresh }).click();
      const progress = panel.getByTestId('sync-progress');
      // The page alone only knows that a sync started ("connecting"); the line moves on to what
      // has arrived only through the worker's progress replies (sent after each page).
      await progress.getByText(/Đang tải… đã nhận \d+ mục/).waitFor({ timeout: 15_000 });
      await progress.getByRole('button', { name: SYNC_LABELS.cancel }).click();
      await panel.getByTestId('sync-result').getByText(SYNC_LABELS.cancelled).waitFor({ timeout: 20_000 });
      assert.equal(await progress.count(), 0, 'the sync still runs after Cancel');
      assert.equal(await vaccinationCount(app), before);
    } finally {
      await rest.clearFaults();
      await context.close();
    }
  });

  test('a server the page\'s connect-src does not allow is not reached from the worker either', async () => {
    // A working server on an origin the deployment did not name (only :8103 was added to
    // connect-src): the worker's own fetch is under no meta policy, so the page must refuse it.
    const elsewhere = await startFhirServer({ port: FHIR_PORT + 1, seed: [SEED], faults: true });
    const { context, app } = await session.newApp();
    try {
      const sync = new SyncPage(app);
      const other = new FhirRest(elsewhere.url);
      await sync.configure({ url: elsewhere.url });
      await other.clearRequests();
      assert.equal(
        (await sync.lookUp(adult.citizenId)).error,
        'Không kết nối được máy chủ. Hãy kiểm tra mạng và địa chỉ máy chủ.',
      );
      assert.deepEqual(await other.requests(), []);
    } finally {
      await context.close();
      await elsewhere.close();
    }
  });

  test('a data worker that cannot start ends the sync with its own message; the book stays', async () => {
    const { context, page, app, sync } = await appWithBook();
    try {
      const before = await vaccinationCount(app);
      await page.addInitScript(breakDataWorker);
      await app.open('/');
      await page.reload();
      await sync.panel().waitFor();
      assert.equal(await sync.refresh(), `${WORKER_UNAVAILABLE} ${SYNC_LABELS.unchanged}`);
      assert.equal(await vaccinationCount(app), before);
      assert.equal((await sync.lookUp(adult.citizenId)).error, WORKER_UNAVAILABLE);
    } finally {
      await context.close();
    }
  });

  test('a data worker that dies during a sync ends it with its own message; the book stays', async () => {
    const { context, app, sync } = await appWithBook();
    try {
      const before = await refreshWithDeadWorker({ app, sync }, { silently: false });
      assert.equal(await sync.resultAfterRefresh(), `${WORKER_STOPPED} ${SYNC_LABELS.unchanged}`);
      assert.equal(await vaccinationCount(app), before);
    } finally {
      await rest.clearFaults();
      await context.close();
    }
  });

  test('a data worker that stops answering is given up after the core\'s bound, not before; the book stays', async () => {
    const { context, page, app, sync } = await appWithBook();
    try {
      const before = await vaccinationCount(app);
      // The page's timers and Date from here on (the worker's own stay real): the watchdog's
      // minutes pass in a moment.
      await context.clock.install();
      await app.open('/');
      await page.reload();
      await sync.panel().waitFor();
      await rest.fault({ match: '/Immunization/_history', delayMs: 20_000 });
      await sync.startRefresh();
      // Dead without a word: no error event reaches the page.
      await sync.killDataWorker({ silently: true });
      const progress = sync.panel().getByTestId('sync-progress');
      await page.clock.runFor(SILENCE_MS - 30_000);
      assert.equal(await progress.count(), 1, 'the sync was given up before the retries could have ended');
      await page.clock.runFor(60_000);
      assert.equal(await sync.resultAfterRefresh(), `${WORKER_SILENT} ${SYNC_LABELS.unchanged}`);
      assert.equal(await vaccinationCount(app), before);
    } finally {
      await rest.clearFaults();
      await context.close();
    }
  });

  test('Cancel against a silently dead worker ends at once as cancelled, and the next sync starts a new worker', async () => {
    const { context, app, sync } = await appWithBook();
    try {
      const before = await refreshWithDeadWorker({ app, sync }, { silently: true });
      await sync.panel().getByTestId('sync-progress').getByRole('button', { name: SYNC_LABELS.cancel }).click();
      // The core's CANCEL_ACK_MS (3 s) and a margin; without it this waits for the 270 s watchdog.
      assert.equal(await sync.resultAfterRefresh({ timeout: 10_000 }), SYNC_LABELS.cancelled);
      assert.equal(await vaccinationCount(app), before);
      await rest.clearFaults();
      await app.open('/');
      await sync.panel().waitFor();
      assert.equal(await sync.refresh(), SYNC_LABELS.upToDate);
    } finally {
      await rest.clearFaults();
      await context.close();
    }
  });
});
