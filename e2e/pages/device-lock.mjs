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

/**
 * Settings, shared device: the unlocked staff member adds another (confirming their own
 * passphrase). Resolves with the status line the form answers with.
 */
export async function addStaff(page, app, { name, passphrase, mine = STAFF_PASSPHRASE }) {
  await app.tapNav('settings');
  const form = page.getByTestId('add-staff');
  await form.getByLabel('Tên nhân viên').fill(name);
  await form.getByLabel('Cụm mật khẩu (ít nhất 8 ký tự)').fill(passphrase);
  await form.getByLabel('Nhập lại cụm mật khẩu').fill(passphrase);
  await form.getByLabel('Cụm mật khẩu của bạn').fill(mine);
  const status = page.getByTestId('staff-list').getByRole('status');
  const before = (await status.count()) ? await status.innerText() : '';
  await form.getByRole('button', { name: 'Thêm nhân viên' }).click();
  // Done when the answer changes, or (a second success says the same "Đã lưu.") when the
  // fields are cleared, which only a success does.
  await page.waitForFunction(
    (before) => {
      const line = document.querySelector('[data-testid=staff-list] [role=status]');
      const name = document.querySelector('[data-testid=add-staff] input[type=text]');
      return line && (line.textContent !== before || name.value === '');
    },
    before,
    { timeout: 60_000 },
  );
  return status.innerText();
}

/** The unlock screen: the passphrase alone (it says who is unlocking). */
export async function unlockWith(page, passphrase) {
  await page.getByTestId('unlock-screen').waitFor();
  await page.getByTestId('unlock-secret').fill(passphrase);
  await page.getByTestId('unlock-submit').click();
  await page.getByTestId('lock-button').waitFor({ timeout: 60_000 });
}
