// The device lock on a shared tablet: after the configured idle time the page holds nothing of
// the patient (no name, no citizen ID anywhere in document.body), only the unlock screen; the
// same staff member unlocking returns to the open book.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { expected, fixture } from '../support/fixtures.mjs';
import { useAppSession } from '../support/session.mjs';

const session = useAppSession();
const PASSPHRASE = 'mật khẩu trạm y tế';

describe('device lock', () => {
  test('idle lock with a short timeout clears every patient detail from the DOM', { timeout: 180_000 }, async () => {
    const { context, page, app, books } = await session.newApp();
    const adult = expected.adult;
    await books.importFile(fixture('adult.json'), { expectPreviewOf: adult.name });

    // Settings: a shared device with its first staff member; encryption runs over the book.
    await app.tapNav('settings');
    const card = page.getByTestId('device-lock-card');
    await card.getByRole('radio', { name: /Máy dùng chung/ }).check();
    await page.getByTestId('set-up-staff-name').fill('Y tá Lan');
    await page.getByTestId('set-up-secret').fill(PASSPHRASE);
    await page.getByTestId('set-up-secret-again').fill(PASSPHRASE);
    await page.getByTestId('set-up-submit').click();
    await page.getByTestId('lock-button').waitFor({ timeout: 30_000 });

    // The shortest idle time Settings offers: one minute.
    await page.getByTestId('idle-minutes').fill('1');
    await card.locator('form.idle-time').getByRole('button').click();
    await card.getByRole('status').filter({ hasText: 'Đã lưu.' }).waitFor();

    await app.tapNav('home');
    await page.getByRole('heading', { level: 2, name: adult.name }).waitFor();
    assert.match(await page.getByTestId('open-book').innerText(), new RegExp(adult.name));

    // No touch for a minute: locked.
    await page.getByTestId('unlock-screen').waitFor({ timeout: 100_000 });
    const html = await page.evaluate(() => document.body.innerHTML);
    assert.ok(!html.includes(adult.name), 'the name is gone from the page');
    assert.ok(!html.includes(adult.citizenId), 'the citizen ID is gone from the page');
    assert.equal(await page.getByTestId('open-book').count(), 0);

    // A wrong passphrase opens nothing; the right one returns to the book.
    await page.getByTestId('unlock-secret').fill('không phải mật khẩu');
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('unlock-problem').waitFor();
    assert.match(await page.getByTestId('unlock-problem').innerText(), /Sai mã/);
    await page.getByTestId('unlock-secret').fill(PASSPHRASE);
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('open-book').waitFor({ timeout: 30_000 });
    assert.match(await page.getByTestId('open-book').innerText(), new RegExp(adult.name));

    // The Lock button locks at once.
    await page.getByTestId('lock-button').click();
    await page.getByTestId('unlock-screen').waitFor();
    assert.ok(!(await page.evaluate(() => document.body.innerHTML)).includes(adult.name));
    assert.deepEqual(page.problems, []);
    await context.close();
  });
});
