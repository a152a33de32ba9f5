// Page object for the app shell: what a person sees and taps, found by role and accessible name.
import assert from 'node:assert/strict';

/** Visible labels of the shell, per language, as a person reads them. */
export const LABELS = {
  vi: {
    nav: 'Điều hướng chính',
    home: 'Trang chủ',
    vaccinations: 'Tiêm chủng',
    prescriptions: 'Đơn thuốc',
    checkIn: 'Mã QR khám',
    settings: 'Cài đặt',
    noBook: 'Chưa có sổ sức khỏe nào trên máy này',
  },
  en: {
    nav: 'Main navigation',
    home: 'Home',
    vaccinations: 'Vaccinations',
    prescriptions: 'Prescriptions',
    checkIn: 'Check-in',
    settings: 'Settings',
    noBook: 'No health book on this device yet',
  },
};

export const SCREENS = [
  { key: 'home', path: '/' },
  { key: 'vaccinations', path: '/vaccinations' },
  { key: 'prescriptions', path: '/prescriptions' },
  { key: 'checkIn', path: '/check-in' },
  { key: 'settings', path: '/settings' },
];

export class AppPage {
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
  }

  /**
   * Opens the app at `path`. A fresh device first asks how it is used (a blocking choice);
   * this answers "Personal phone" there, as a person setting up their own phone would, so
   * tests written for a plain device start from one. Use `openFresh` to see that screen.
   */
  async open(path = '/') {
    await this.openFresh(path);
    await this.answerFirstRun();
  }

  /**
   * After a load the app did itself (a wipe's fresh page): waits until the lock state is known
   * and, on a fresh device, answers the first-run choice as a personal phone.
   */
  async answerFirstRun() {
    await this.waitForLockState();
    if (await this.page.getByTestId('first-run').isVisible()) await this.choosePersonal();
  }

  async waitForLockState() {
    await this.page
      .locator('[data-testid=first-run], [data-testid=unlock-screen], [data-testid=resume-encryption], main[data-vault-ready=true]')
      .first()
      .waitFor();
  }

  /** Opens the app and waits until the device's lock state is known, answering nothing. */
  async openFresh(path = '/') {
    await this.page.goto(this.baseUrl + path);
    await this.page.locator('#loading-shell').waitFor({ state: 'detached' });
    await this.waitForLockState();
  }

  /** The first-run choice: a personal phone, no lock for now. */
  async choosePersonal() {
    await this.page.getByTestId('first-run-personal').check();
    await this.page.getByTestId('first-run-continue').click();
    await this.page.locator('main[data-vault-ready=true]').waitFor();
  }

  nav(lang = 'vi') {
    return this.page.getByRole('navigation', { name: LABELS[lang].nav });
  }

  async tapNav(key, lang = 'vi') {
    await this.nav(lang).getByRole('link', { name: LABELS[lang][key], exact: true }).click();
  }

  screenHeading() {
    return this.page.getByRole('main').getByRole('heading', { level: 1 });
  }

  async expectScreen(key, lang = 'vi') {
    await this.page.waitForFunction(
      (text) => document.querySelector('main h1')?.textContent === text,
      LABELS[lang][key],
      { timeout: 10_000 },
    );
    assert.equal(await this.screenHeading().textContent(), LABELS[lang][key]);
  }

  async currentNavItem() {
    return this.nav().locator('[aria-current="page"]').innerText();
  }

  async chooseLanguage(lang) {
    await this.tapNav('settings', this.lang ?? 'vi');
    const name = lang === 'vi' ? 'Tiếng Việt' : 'English';
    await this.page.getByRole('radio', { name }).check();
    this.lang = lang;
  }
}
