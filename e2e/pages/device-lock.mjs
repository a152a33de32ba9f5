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
