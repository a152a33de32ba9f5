// Page object for adding books (Import screen) and choosing among them (/books).
import assert from 'node:assert/strict';

export class BooksPage {
  constructor(app) {
    this.app = app;
    this.page = app.page;
  }

  /** Imports a FHIR Bundle file through the Import screen, checks the preview, confirms. */
  async importFile(path, { expectPreviewOf } = {}) {
    const preview = await this.previewFile(path);
    if (expectPreviewOf) assert.match(await preview.innerText(), new RegExp(expectPreviewOf));
    await this.confirmImport();
  }

  /** Chooses a file on the Import screen; returns the preview shown before anything is saved. */
  async previewFile(path) {
    await this.app.open('/books/import');
    await this.page.locator('input[type=file]').setInputFiles(path);
    const preview = this.page.getByTestId('import-preview');
    await preview.waitFor({ timeout: 30_000 });
    return preview;
  }

  /**
   * Chooses a file on the Import screen and records what its progress bar says until the
   * preview (or a refusal) replaces it. Returns the preview and the progress values seen, in
   * order (the bar's aria-valuenow, 0-100).
   */
  async previewFileWithProgress(path, { timeout = 60_000 } = {}) {
    await this.app.open('/books/import');
    await this.page.evaluate((name) => {
      window.__sskProgress = [];
      const record = () => {
        const bar = document.querySelector(`[role=progressbar][aria-label="${name}"]`);
        const value = bar?.getAttribute('aria-valuenow');
        if (value != null && window.__sskProgress.at(-1) !== Number(value)) window.__sskProgress.push(Number(value));
      };
      new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true });
    }, 'Tiến độ nhập tệp');
    await this.page.locator('input[type=file]').setInputFiles(path);
    const preview = this.page.getByTestId('import-preview');
    await preview.waitFor({ timeout });
    return { preview, progress: await this.page.evaluate(() => window.__sskProgress) };
  }

  /** The Import screen's file input. */
  fileInput() {
    return this.page.locator('input[type=file]');
  }

  /** Chooses a file on the Import screen already open (no navigation, so a retry is a retry). */
  async chooseFile(path) {
    await this.fileInput().setInputFiles(path);
  }

  /** Confirms the preview; a successful import opens the (first) book on Home. */
  async confirmImport() {
    await this.page.getByRole('button', { name: 'Nhập sổ' }).click();
    await this.page.waitForURL((url) => url.pathname === '/', { timeout: 30_000 });
    await this.page.getByTestId('open-book').waitFor();
  }

  /** Tries to import a file that must be refused; returns the message shown. */
  async importRefused(path) {
    await this.app.open('/books/import');
    await this.page.locator('input[type=file]').setInputFiles(path);
    const error = this.page.getByTestId('import-error');
    await error.waitFor({ timeout: 15_000 });
    return error.innerText();
  }

  async openList() {
    await this.app.open('/books');
    await this.page.getByRole('heading', { level: 1, name: 'Sổ trên máy này' }).waitFor();
    // The list comes from storage: wait for it (or for the empty state) before anyone counts.
    await this.page.locator('[data-testid=book-row], [data-testid=empty-state]').first().waitFor();
  }

  rows() {
    return this.page.getByTestId('book-row');
  }

  async search(text) {
    await this.page.getByRole('searchbox', { name: 'Tìm sổ' }).fill(text);
  }

  async openBookOf(name) {
    await this.rows().filter({ has: this.page.getByRole('heading', { name }) }).getByRole('button', { name: 'Mở sổ' }).click();
    await this.page.waitForURL((url) => url.pathname === '/');
    await this.page.getByTestId('open-book').filter({ hasText: name }).waitFor();
  }
}
