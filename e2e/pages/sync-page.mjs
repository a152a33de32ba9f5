// Page object for sync with the FHIR server: the server card in Settings, "Add a book from the
// health system" (/books/sync), and the sync panel on Home.
import assert from 'node:assert/strict';

export const SYNC_LABELS = {
  serverUrl: 'Địa chỉ máy chủ (FHIR R4)',
  token: 'Mã truy cập (nếu máy chủ yêu cầu)',
  timeout: 'Thời gian chờ mỗi yêu cầu (giây)',
  saveSettings: 'Lưu cài đặt máy chủ',
  saved: 'Đã lưu cài đặt máy chủ.',
  testConnection: 'Kiểm tra kết nối',
  citizenId: 'Số căn cước công dân',
  find: 'Tìm và tải sổ',
  saveBook: 'Lưu sổ',
  refresh: 'Cập nhật từ máy chủ',
  cancel: 'Hủy',
  upToDate: 'Sổ đã mới nhất: không có thay đổi.',
  cancelled: 'Đã hủy. Sổ trên máy không thay đổi.',
  unchanged: 'Sổ trên máy không thay đổi.',
};

export class SyncPage {
  constructor(app) {
    this.app = app;
    this.page = app.page;
  }

  serverCard() {
    return this.page.getByTestId('sync-server-card');
  }

  /** Types the server settings in Settings and saves them. */
  async configure({ url, token, timeoutSeconds } = {}) {
    await this.app.open('/settings');
    const card = this.serverCard();
    const address = card.getByLabel(SYNC_LABELS.serverUrl);
    await address.waitFor();
    if (url !== undefined) await address.fill(url);
    if (token !== undefined) await card.getByLabel(SYNC_LABELS.token).fill(token);
    if (timeoutSeconds !== undefined) await card.getByLabel(SYNC_LABELS.timeout).fill(String(timeoutSeconds));
    await card.getByRole('button', { name: SYNC_LABELS.saveSettings }).click();
    await card.getByText(SYNC_LABELS.saved).waitFor();
  }

  /** Runs the connection test; returns what it says once it has an answer. */
  async testConnection() {
    const card = this.serverCard();
    await card.getByRole('button', { name: SYNC_LABELS.testConnection }).click();
    const result = card.getByTestId('sync-connection-test');
    await this.page.waitForFunction(
      (el) => /Kết nối được|Không kết nối được/.test(el.textContent),
      await result.elementHandle(),
      { timeout: 30_000 },
    );
    return result.innerText();
  }

  /** Looks a citizen ID up on /books/sync; resolves to the preview or the error shown. */
  async lookUp(citizenId) {
    await this.app.open('/books/sync');
    await this.page.getByLabel(SYNC_LABELS.citizenId).fill(citizenId);
    await this.page.getByRole('button', { name: SYNC_LABELS.find }).click();
    const preview = this.page.getByTestId('sync-preview');
    const error = this.page.getByTestId('sync-error');
    await preview.or(error).waitFor({ timeout: 60_000 });
    return (await preview.isVisible()) ? { preview: await preview.innerText() } : { error: await error.innerText() };
  }

  /** Looks a citizen ID up and saves the book; ends on Home with the book open. */
  async addBook(citizenId, { expectPreviewOf } = {}) {
    const found = await this.lookUp(citizenId);
    assert.ok(found.preview, `no preview: ${found.error}`);
    if (expectPreviewOf) assert.match(found.preview, new RegExp(expectPreviewOf));
    await this.page.getByRole('button', { name: SYNC_LABELS.saveBook }).click();
    await this.page.waitForURL((url) => url.pathname === '/', { timeout: 30_000 });
    await this.panel().waitFor();
    return found.preview;
  }

  panel() {
    return this.page.getByTestId('sync-panel');
  }

  /** Taps "Update from the server" on Home and waits for what the refresh ended with. */
  async refresh({ cancelWhenRunning = false } = {}) {
    const panel = this.panel();
    const shown = panel.getByTestId('sync-result');
    const before = (await shown.count()) > 0 ? await shown.innerText() : null;
    await panel.getByRole('button', { name: SYNC_LABELS.refresh }).click();
    if (cancelWhenRunning) {
      const progress = panel.getByTestId('sync-progress');
      await progress.waitFor();
      await progress.getByRole('button', { name: SYNC_LABELS.cancel }).click();
    }
    // The result line is replaced when this refresh ends (the panel is rebuilt after a save).
    await this.page.waitForFunction(
      (previous) => {
        const result = document.querySelector('[data-testid=sync-panel] [data-testid=sync-result]');
        const running = document.querySelector('[data-testid=sync-panel] [data-testid=sync-progress]');
        return result && !running && (previous === null || result.dataset.seen !== 'yes');
      },
      before,
      { timeout: 60_000 },
    );
    const result = panel.getByTestId('sync-result');
    const text = await result.innerText();
    // Mark it, so the next refresh waits for a new line even if the text is the same.
    await result.evaluate((el) => {
      el.dataset.seen = 'yes';
    });
    return text;
  }

  /** The page's data worker (the one running the sync), once it has started. */
  async dataWorker() {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const worker = this.page.workers().find((w) => w.url().includes('data-worker'));
      if (worker) return worker;
      if (Date.now() > deadline) throw new Error('no data worker started');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * Ends the data worker from inside, as a crash would: `silently` closes it (the page gets no
   * event at all, as when the browser kills a worker); otherwise an uncaught error ends it (the
   * page gets the worker's error event).
   */
  async killDataWorker({ silently }) {
    const worker = await this.dataWorker();
    const closed = new Promise((resolve) => worker.once('close', resolve));
    await worker.evaluate((quiet) => {
      setTimeout(() => {
        if (quiet) self.close();
        else throw new Error('the data worker crashed on purpose');
      }, 0);
    }, silently);
    if (silently) await closed;
  }

  /** Starts "Update from the server" on Home and waits until the worker has reported pages. */
  async startRefresh() {
    const panel = this.panel();
    await panel.getByRole('button', { name: SYNC_LABELS.refresh }).click();
    await panel.getByTestId('sync-progress').getByText(/Đang tải… đã nhận \d+ mục/).waitFor({ timeout: 15_000 });
  }

  /** The refresh's result line, once the refresh has ended (the progress line is gone). */
  async resultAfterRefresh({ timeout = 15_000 } = {}) {
    const panel = this.panel();
    await panel.getByTestId('sync-progress').waitFor({ state: 'detached', timeout });
    return panel.getByTestId('sync-result').innerText();
  }

  lastSynced() {
    return this.panel().getByTestId('sync-last-synced').innerText();
  }

  lastFailure() {
    return this.panel().getByTestId('sync-last-failure');
  }
}

/** REST calls to the test server, as another system editing the record would make them. */
export class FhirRest {
  constructor(baseUrl) {
    this.base = baseUrl;
    this.origin = new URL(baseUrl).origin;
  }

  async json(path, init = {}) {
    const response = await fetch(`${this.base}/${path}`, init);
    const text = await response.text();
    return { status: response.status, etag: response.headers.get('etag'), body: text ? JSON.parse(text) : undefined };
  }

  /** The server's id of the person with this citizen ID. */
  async patientId(citizenId) {
    const system = 'http://fhir.ehealth.gov.vn/core/sid/national_id';
    const { body } = await this.json(`Patient?identifier=${encodeURIComponent(`${system}|${citizenId}`)}`);
    assert.equal(body.entry?.length, 1, `Patient ${citizenId} on the server`);
    return body.entry[0].resource.id;
  }

  /** The person's resource of `type` whose record-ID identifier is `recordId`. */
  async byRecordId(type, citizenId, system, recordId) {
    const patient = await this.patientId(citizenId);
    const query = `identifier=${encodeURIComponent(`${system}|${recordId}`)}&patient=Patient/${patient}`;
    const { body } = await this.json(`${type}?${query}`);
    assert.equal(body.entry?.length, 1, `${type} ${recordId} on the server`);
    return body.entry[0].resource;
  }

  async update(resource) {
    return this.json(`${resource.resourceType}/${resource.id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/fhir+json', 'if-match': `W/"${resource.meta.versionId}"` },
      body: JSON.stringify(resource),
    });
  }

  async remove(type, id) {
    return this.json(`${type}/${id}`, { method: 'DELETE' });
  }

  async fault(fault) {
    const response = await fetch(`${this.origin}/__faults`, { method: 'POST', body: JSON.stringify(fault) });
    assert.equal(response.status, 204);
  }

  async clearFaults() {
    await fetch(`${this.origin}/__faults`, { method: 'DELETE' });
  }

  async requests() {
    return (await fetch(`${this.origin}/__requests`)).json();
  }

  async clearRequests() {
    await fetch(`${this.origin}/__requests`, { method: 'DELETE' });
  }
}
