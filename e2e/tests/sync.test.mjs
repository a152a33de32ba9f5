// Sync with real FHIR R4 servers, seeded with generated books: the server in Settings, adding a
// book by citizen ID, incremental refresh with a change and a deletion made on the server, server
// errors and retries, an interrupted sync, the bearer token, and the book after the server is gone.
//
// The same tests run against two engines written independently of the client and of each other:
// - the development server: @medplum/fhir-router behind our wrapper (e2e/support/fhir-server.mjs),
//   on 127.0.0.1:8103 (the tests fail at once if something else holds that port);
// - sekmet-fhir 0.1.1 from PyPI (e2e/support/sekmet-server.mjs), on a free port, with nothing in
//   front of it. Where it differs, the test says which path of the client ran (from the requests
//   the browser made). The tests that need the wrapper's fault injection (`--faults`) run on the
//   development server only: no real server fails on request.
//
// The build names no server, so the static server names each one to the app the way a
// deployment names its own (index.html's meta and connect-src, see static-server.mjs).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { FIXTURES_DIR } from '../support/fixtures.mjs';
import { startFhirServer } from '../support/fhir-server.mjs';
import { startSekmetServer } from '../support/sekmet-server.mjs';
import { BrowserRequestLog } from '../support/request-log.mjs';
import { useAppSession } from '../support/session.mjs';
import { FhirRest, SYNC_LABELS, SyncPage } from '../pages/sync-page.mjs';

const FHIR_PORT = 8103;
const SEED = `${FIXTURES_DIR}/fhir/seed.json`;
const who = JSON.parse(readFileSync(`${FIXTURES_DIR}/fhir/people.json`, 'utf8'));
const adult = who.people.find((p) => p.role === 'adult');
const elder = who.people.find((p) => p.role === 'elder');
const TOKEN = 'e2e-bearer-7f3a9c';
// Records the tests change and delete on the server (no next dose hangs on them).
const [CHANGED, DELETED, WAITING] = adult.plainVaccinations;
const NEEDS_FAULTS = 'needs the development wrapper\'s fault injection (--faults), which no real server has';

const ENGINES = [
  {
    name: 'the development server (medplum engine + wrapper)',
    faults: true,
    connected: /Kết nối được: So Suc Khoe development FHIR server .*4\.5\.2, FHIR 4\.0\.1\./,
    // Its CapabilityStatement offers type-level _history for every synced type: incremental refresh.
    incremental: true,
    history: 'có',
    start: ({ port = FHIR_PORT, token } = {}) => startFhirServer({ port, seed: [SEED], faults: true, token }),
  },
  {
    name: 'sekmet-fhir 0.1.1',
    faults: false,
    connected: /Kết nối được: SEKMET FHIR R4 Tester .*, FHIR 4\.0\.1\./,
    // Its CapabilityStatement lists no ImmunizationRecommendation (it has no search parameters for
    // it), so the client cannot learn those deletions and falls back to a full fetch on refresh.
    incremental: false,
    history: 'không',
    start: ({ port = 0, token } = {}) => startSekmetServer({ port, seed: [SEED], token }),
  },
];

for (const engine of ENGINES) syncSuite(engine);

function syncSuite(engine) {
  describe(`sync with ${engine.name}`, () => {
    let fhir;
    let rest;
    let page;
    let app;
    let books;
    let sync;
    let token;
    // Before the app's session: the static server needs the FHIR server's address.
    before(async () => {
      fhir = await engine.start();
      fhirHost = new URL(fhir.url).host;
      rest = new FhirRest(fhir.url);
    });
    useAppSession({
      sharedPage: true,
      devFhirServer: () => fhir.url,
      onReady: (session) => {
        ({ page, app, books } = session);
        sync = new SyncPage(app);
        page.consoleTexts = [];
        page.on('console', (msg) => page.consoleTexts.push(msg.text()));
        // The wrapper logs what it served; for sekmet the browser's view of it says the same.
        if (!engine.faults) browserLog = new BrowserRequestLog(page, fhir.url, () => token);
      },
    });
    let browserLog;
    const requests = () => (engine.faults ? rest.requests() : browserLog.requests());
    const clearRequests = () => (engine.faults ? rest.clearRequests() : browserLog.clear());
    // host:port of the server, kept once it is stopped (a refused connection names it too).
    let fhirHost;
    const fhirOrigin = () => fhirHost;

    after(async () => {
      await fhir?.close();
    });

    /**
     * The page's problems, less the ones a test provoked on purpose: HTTP errors of the FHIR server
     * and the browser's console line for each, connections it dropped, and failed connections to it
     * once it is stopped.
     */
    function unexpectedProblems({ httpStatuses = [], refused = false, dropped = false } = {}) {
      return page.problems.filter((p) => {
        const fromFhir = p.includes(fhirOrigin()) || p.includes('Failed to load resource');
        if (!fromFhir) return true;
        if (httpStatuses.some((s) => p.includes(`http ${s}:`) || p.includes(`status of ${s}`))) return false;
        if (refused && p.includes('ERR_CONNECTION_REFUSED')) return false;
        if (dropped && p.includes('ERR_EMPTY_RESPONSE')) return false;
        return true;
      });
    }

    function clearProblems() {
      page.problems.length = 0;
    }

    const vaccinationCount = async () => {
      await app.open('/vaccinations');
      return page.getByTestId('vaccination-count').innerText();
    };

    test('Settings saves the server address and the connection test says what the server is', async () => {
      await app.open('/settings');
      const address = sync.serverCard().getByLabel(SYNC_LABELS.serverUrl);
      await address.waitFor();
      assert.equal(await address.inputValue(), fhir.url, 'the deployment named this server');
      await sync.configure({ url: fhir.url });
      const said = await sync.testConnection();
      assert.match(said, engine.connected);
      assert.match(said, new RegExp(`\\(\\$everything\\): có\\. .*\\(_history\\): ${engine.history}\\.`));
      assert.deepEqual(unexpectedProblems(), []);
    });

    test('a citizen ID that is on nobody, on two people, or malformed gets a clear message', async () => {
      assert.match((await sync.lookUp(who.unknownCitizenId)).error, /Không có ai mang số căn cước công dân này trên máy chủ/);
      assert.match((await sync.lookUp(who.duplicateCitizenId)).error, /Máy chủ có 2 hồ sơ cùng số căn cước công dân này/);
      await app.open('/books/sync');
      await page.getByLabel(SYNC_LABELS.citizenId).fill('12345');
      await page.getByRole('button', { name: SYNC_LABELS.find }).click();
      await page.getByText('Số căn cước công dân phải có đúng 12 chữ số hợp lệ.').waitFor();
      assert.deepEqual(unexpectedProblems(), []);
    });

    test('adding a book by citizen ID fetches the whole record and saves it', async () => {
      const preview = await sync.addBook(adult.citizenId, { expectPreviewOf: adult.name });
      assert.match(preview, new RegExp(`${adult.vaccinations} mũi tiêm`));
      assert.match(await page.getByTestId('open-book').innerText(), new RegExp(adult.name));
      assert.match(await sync.lastSynced(), /^Đồng bộ lần cuối: \d\d\/\d\d\/\d{4} \d\d:\d\d$/);
      assert.equal(await vaccinationCount(), `${adult.vaccinations} mũi tiêm`);
      await books.openList();
      const row = books.rows().filter({ hasText: adult.name });
      assert.match(await row.innerText(), new RegExp(`${adult.vaccinations} mũi tiêm.*${adult.prescriptions} đơn thuốc`, 's'));
      // Everything came through $everything (paged by the wrapper; one page from sekmet).
      const log = await requests();
      assert.ok(log.some((r) => r.url.includes('$everything') && r.status === 200));
      // The service worker stored none of the server's answers.
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
      const cached = await page.evaluate(async () => {
        const urls = [];
        for (const name of await caches.keys()) {
          for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
        }
        return urls;
      });
      assert.ok(cached.length > 0 && !cached.some((u) => u.includes(fhirOrigin())), cached.join(' '));
      assert.deepEqual(unexpectedProblems(), []);
    });

    const refreshName = engine.incremental
      ? 'a change made on the server arrives alone on refresh; a deletion removes the record'
      : 'a change made on the server is found by a full refresh (no _history for every synced type in the CapabilityStatement); a deletion removes the record';
    test(refreshName, async () => {
      const vaccination = await rest.byRecordId('Immunization', adult.citizenId, adult.recordIdSystem, CHANGED);
      assert.equal((await rest.update({ ...vaccination, lotNumber: 'LOT-E2E-1' })).status, 200);
      await clearRequests();
      await app.open('/');
      assert.equal(await sync.refresh(), 'Đã cập nhật: 0 mới, 1 thay đổi, 0 đã xóa.');
      const log = await requests();
      const changes = log.find((r) => r.url.includes('$everything'));
      if (engine.incremental) {
        assert.match(changes.url, /_since=/, 'only changes were asked for');
        assert.equal(changes.entries, 1, 'and only the changed Immunization came');
        assert.ok(log.some((r) => r.url.includes('/Immunization/_history?_since=')), 'deletions were asked for');
        const patientRead = log.find((r) => /\/Patient\/[^/?$]+$/.test(r.url));
        assert.equal(patientRead.status, 304, 'the Patient was read with If-None-Match and had not changed');
      } else {
        // The fallback path: the whole record again, no _since, no _history, compared on the device.
        assert.doesNotMatch(changes.url, /_since=/, 'a full fetch');
        assert.ok(changes.entries > 1, `the whole record came (${changes.entries} entries)`);
        assert.ok(!log.some((r) => r.url.includes('_history')), 'no deletion history was asked for');
      }
      await app.open(`/vaccinations/${CHANGED}`);
      await page.getByText('LOT-E2E-1').waitFor();

      const gone = await rest.byRecordId('Immunization', adult.citizenId, adult.recordIdSystem, DELETED);
      assert.equal((await rest.remove('Immunization', gone.id)).status, 200);
      await app.open('/');
      assert.equal(await sync.refresh(), 'Đã cập nhật: 0 mới, 0 thay đổi, 1 đã xóa.');
      assert.equal(await vaccinationCount(), `${adult.vaccinations - 1} mũi tiêm`);

      await app.open('/');
      assert.equal(await sync.refresh(), SYNC_LABELS.upToDate);
      assert.deepEqual(unexpectedProblems(), []);
    });

    test('a 500 is retried, a 429 waits for Retry-After, a slow answer times out and is retried', { skip: !engine.faults && NEEDS_FAULTS }, async () => {
      await sync.configure({ timeoutSeconds: 3 });
      await app.open('/');
      await rest.clearRequests();
      await rest.fault({ match: '$everything', status: 500 });
      await rest.fault({ match: '$everything', status: 429, retryAfter: 2 });
      await rest.fault({ match: '$everything', delayMs: 5_000 });
      assert.equal(await sync.refresh(), SYNC_LABELS.upToDate);
      const tries = (await rest.requests()).filter((r) => r.url.includes('$everything'));
      // The third was answered after the client had given up on it (its status may not be in yet).
      assert.equal(tries.length, 4);
      assert.deepEqual([tries[0].status, tries[1].status, tries[3].status], [500, 429, 200]);
      assert.ok(tries[2].at - tries[1].at >= 2_000, `Retry-After was honoured (${tries[2].at - tries[1].at} ms)`);
      assert.deepEqual(unexpectedProblems({ httpStatuses: [500, 429] }), []);
      clearProblems();
    });

    test('a server that keeps failing ends the refresh with the reason, and the book stays as it was', { skip: !engine.faults && NEEDS_FAULTS }, async () => {
      const before = await vaccinationCount();
      await app.open('/');
      await rest.clearRequests();
      await rest.fault({ match: '$everything', status: 503, times: 10 });
      assert.equal(await sync.refresh(), `Máy chủ đang gặp lỗi (HTTP 503). Hãy thử lại sau. ${SYNC_LABELS.unchanged}`);
      const tries = (await rest.requests()).filter((r) => r.url.includes('$everything'));
      assert.equal(tries.length, 4, 'four attempts, then it gave up');
      assert.match(await sync.lastFailure().innerText(), /không thành công: Máy chủ đang gặp lỗi \(HTTP 503\)/);
      await rest.clearFaults();

      // A client error is not retried.
      await rest.clearRequests();
      await rest.fault({ match: '$everything', status: 400 });
      assert.match(await sync.refresh(), /Máy chủ từ chối yêu cầu \(HTTP 400\)/);
      assert.equal((await rest.requests()).filter((r) => r.url.includes('$everything')).length, 1);
      assert.equal(await vaccinationCount(), before);
      assert.deepEqual(unexpectedProblems({ httpStatuses: [503, 400] }), []);
      clearProblems();
    });

    test('another person\'s records in the server\'s answer are left out and counted', { skip: !engine.faults && NEEDS_FAULTS }, async () => {
      const before = await vaccinationCount();
      await app.open('/');
      const someoneElse = { reference: 'Patient/someone-else' };
      await rest.fault({
        match: '$everything',
        addEntries: [
          { resourceType: 'Immunization', id: 'foreign-imm-1', status: 'completed', patient: someoneElse, vaccineCode: { text: 'BCG' }, occurrenceDateTime: '2024-01-02' },
          { resourceType: 'Patient', id: 'someone-else', name: [{ text: 'Người Khác' }] },
        ],
      });
      await sync.refresh();
      assert.equal(
        await sync.panel().getByTestId('sync-foreign').innerText(),
        'Máy chủ gửi kèm 2 mục của người khác; các mục đó đã bị bỏ qua.',
      );
      assert.equal(await vaccinationCount(), before, 'nothing of theirs joined the book');
      assert.deepEqual(unexpectedProblems(), []);
    });

    test('an answer over the cap ends the refresh with a clear message and saves nothing', { skip: !engine.faults && NEEDS_FAULTS }, async () => {
      const before = await vaccinationCount();
      await app.open('/');
      // 21 MB of padding, streamed with no Content-Length: the client counts while it reads.
      await rest.fault({ match: '$everything', padBytes: 21 * 1024 * 1024 });
      assert.equal(
        await sync.refresh(),
        `Máy chủ gửi một câu trả lời lớn hơn 20 MB nên việc đồng bộ đã dừng. Không có gì được lưu. ${SYNC_LABELS.unchanged}`,
      );
      assert.equal(await vaccinationCount(), before);
      assert.deepEqual(unexpectedProblems({ dropped: true }), []);
      clearProblems();
    });

    test('a redirect is not followed: the token stays with the server it was saved for', { skip: !engine.faults && NEEDS_FAULTS }, async () => {
      const before = await vaccinationCount();
      await app.open('/');
      await rest.clearRequests();
      await rest.fault({ match: '$everything', redirectTo: 'http://127.0.0.1:9/elsewhere' });
      assert.equal(
        await sync.refresh(),
        `Máy chủ chuyển yêu cầu sang một địa chỉ khác. Ứng dụng không đi theo để bảo vệ mã truy cập; hãy kiểm tra địa chỉ máy chủ trong Cài đặt. ${SYNC_LABELS.unchanged}`,
      );
      const tries = (await rest.requests()).filter((r) => r.url.includes('$everything'));
      assert.equal(tries.length, 1, 'not retried either');
      assert.equal(await vaccinationCount(), before);
      assert.deepEqual(unexpectedProblems({ httpStatuses: [302] }), []);
      clearProblems();
    });

    test('an interrupted sync (cancelled, or the connection cut) leaves the previous book', { skip: !engine.faults && NEEDS_FAULTS }, async () => {
      const before = await vaccinationCount();
      // A change waits on the server: it must not arrive through an interrupted sync.
      const waiting = await rest.byRecordId('Immunization', adult.citizenId, adult.recordIdSystem, WAITING);
      assert.equal((await rest.remove('Immunization', waiting.id)).status, 200);

      await app.open('/');
      await rest.fault({ match: '$everything', delayMs: 10_000 });
      assert.equal(await sync.refresh({ cancelWhenRunning: true }), SYNC_LABELS.cancelled);
      assert.equal(await vaccinationCount(), before);

      // The connection drops on every attempt at the deletions, after the changes came in (more
      // faults than attempts: Chromium itself retries a request once on a dropped keep-alive).
      await app.open('/');
      await rest.fault({ match: '/Immunization/_history', reset: true, times: 20 });
      assert.equal(await sync.refresh(), `Không kết nối được máy chủ. Hãy kiểm tra mạng và địa chỉ máy chủ. ${SYNC_LABELS.unchanged}`);
      assert.equal(await vaccinationCount(), before);

      // Once the server behaves, the waiting deletion arrives.
      await rest.clearFaults();
      await app.open('/');
      assert.equal(await sync.refresh(), 'Đã cập nhật: 0 mới, 0 thay đổi, 1 đã xóa.');
      await sync.configure({ timeoutSeconds: 30 });
      assert.deepEqual(unexpectedProblems({ dropped: true }), []);
      clearProblems();
    });

    test('the bearer token is sent once saved, only to its server, and never written to the console', async () => {
      await fhir.close();
      // The same address, so the app's settings and the page's connect-src still fit.
      fhir = await engine.start({ port: fhir.port, token: TOKEN });
      token = TOKEN;
      rest = new FhirRest(fhir.url);
      // Without it the server refuses.
      const refused = await sync.lookUp(elder.citizenId);
      assert.match(refused.error, /Máy chủ từ chối truy cập\. Hãy kiểm tra mã truy cập trong Cài đặt\./);

      await sync.configure({ token: TOKEN });
      await clearRequests();
      await sync.addBook(elder.citizenId, { expectPreviewOf: elder.name });
      const log = await requests();
      assert.ok(log.length > 2);
      assert.ok(log.every((r) => r.auth === 'valid' || r.url.endsWith('/metadata')), JSON.stringify(log.map((r) => [r.url, r.auth])));
      assert.ok(!page.consoleTexts.some((t) => t.includes(TOKEN)), 'the token was logged');
      // The field never shows it back.
      await app.open('/settings');
      assert.equal(await sync.serverCard().getByLabel(SYNC_LABELS.token).inputValue(), '');
      assert.deepEqual(unexpectedProblems({ httpStatuses: [401] }), []);
      clearProblems();
    });

    test('with the server gone the book still opens, and a refresh says why it failed', async () => {
      await fhir.close();
      fhir = undefined;
      await books.openList();
      await books.openBookOf(adult.name);
      await page.reload();
      await page.getByTestId('open-book').filter({ hasText: adult.name }).waitFor();
      assert.match(await sync.lastSynced(), /^Đồng bộ lần cuối: /);
      assert.equal(await sync.refresh(), `Không kết nối được máy chủ. Hãy kiểm tra mạng và địa chỉ máy chủ. ${SYNC_LABELS.unchanged}`);
      assert.match(await sync.lastFailure().innerText(), /không thành công: Không kết nối được máy chủ/);
      assert.deepEqual(unexpectedProblems({ refused: true }), []);
    });
  });
}
