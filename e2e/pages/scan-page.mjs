// Page object for scanning a chip citizen ID card (/books/scan): the viewfinder, the photo
// route, what the screen says, the offer for a new person and the profile form from the card.
export const SCAN_LABELS = {
  action: 'Quét thẻ căn cước',
  title: 'Quét mã QR trên thẻ căn cước',
  addFromServer: 'Thêm từ hệ thống y tế',
  createFromCard: 'Tạo sổ từ thẻ',
  save: 'Tạo sổ',
  fullName: 'Họ và tên',
  dateOfBirth: 'Ngày sinh',
  citizenId: 'Số CCCD',
  oldId: 'Số CMND cũ',
  address: 'Địa chỉ thường trú',
  issuedOn: 'Ngày cấp thẻ',
};

/**
 * Records every camera track the page gets, so a test can tell whether the camera was released:
 * `window.__scanTracks` (run before the app starts).
 */
export async function recordCameraTracks(context) {
  await context.addInitScript(() => {
    window.__scanTracks = [];
    const devices = navigator.mediaDevices;
    if (!devices?.getUserMedia) return;
    const original = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints) => {
      const stream = await original(constraints);
      window.__scanTracks.push(...stream.getTracks());
      return stream;
    };
  });
}

export class ScanPage {
  constructor(app) {
    this.app = app;
    this.page = app.page;
  }

  /** Opens the scan screen from the book list's action, as staff would. */
  async openFromBookList() {
    await this.app.open('/books');
    await this.page.getByRole('link', { name: SCAN_LABELS.action }).click();
    await this.page.getByRole('heading', { level: 1, name: SCAN_LABELS.title }).waitFor();
  }

  screen() {
    return this.page.getByTestId('card-scan');
  }

  /** Which decoder the screen uses: 'barcode-detector' or 'wasm'. */
  async decoder() {
    return this.screen().getAttribute('data-decoder');
  }

  async choosePhoto(path) {
    await this.page.getByTestId('scan-photo').setInputFiles(path);
  }

  refusal() {
    return this.page.getByTestId('scan-refused');
  }

  cameraError() {
    return this.page.getByTestId('camera-error');
  }

  newPerson() {
    return this.page.getByTestId('scan-new-person');
  }

  form() {
    return this.page.getByTestId('card-form');
  }

  field(label) {
    return this.form().getByLabel(label, { exact: true });
  }

  /** States of the camera tracks the page was given: 'live' or 'ended'. */
  async trackStates() {
    return this.page.evaluate(() => window.__scanTracks.map((t) => t.readyState));
  }

  /**
   * Makes the page read as hidden or visible and tells it so, as the browser does when another
   * app comes to the front (headless Chromium keeps every page visible on its own).
   */
  async setVisibility(state) {
    await this.page.evaluate((state) => {
      Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
      Object.defineProperty(document, 'hidden', { value: state === 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    }, state);
  }

  /** Whether the viewfinder shows a playing picture. */
  async isStreaming() {
    return this.page.getByTestId('viewfinder').evaluate((v) => v.srcObject !== null && v.readyState >= 2);
  }
}
