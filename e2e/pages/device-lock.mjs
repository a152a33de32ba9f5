// Page object for the device lock in Settings.

export const STAFF_PASSPHRASE = 'mật khẩu trạm y tế';

/** Sets up a shared device in Settings with its first staff member (encrypting the books). */
export async function setUpSharedDevice(page, app, { staff = 'Y tá Lan', passphrase = STAFF_PASSPHRASE } = {}) {
  await app.tapNav('settings');
  const card = page.getByTestId('device-lock-card');
  await card.getByRole('radio', { name: /Máy dùng chung/ }).check();
  await page.getByTestId('set-up-staff-name').fill(staff);
  await page.getByTestId('set-up-secret').fill(passphrase);
  await page.getByTestId('set-up-secret-again').fill(passphrase);
  await page.getByTestId('set-up-submit').click();
  await page.getByTestId('lock-button').waitFor({ timeout: 30_000 });
  return card;
}

/**
 * Loads `path` on a device with a secret: a page load is a fresh, locked page, so unlock it
 * (the only staff member) and wait for the open book.
 */
export async function openUnlocked(page, app, path, passphrase = STAFF_PASSPHRASE) {
  await page.goto(app.baseUrl + path);
  await page.getByTestId('unlock-screen').waitFor({ timeout: 60_000 });
  await page.getByTestId('unlock-secret').fill(passphrase);
  await page.getByTestId('unlock-submit').click();
  await page.getByTestId('open-book').waitFor({ timeout: 30_000 });
  await page.getByRole('main').waitFor();
}
