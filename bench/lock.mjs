// Device-lock benchmark (issue 14): how long unlocking takes at the chosen PBKDF2 iteration count
// (600,000), unthrottled and with 4x CPU throttling (DevTools' Emulation.setCPUThrottlingRate, a
// stand-in for a mid-range phone); and opening the 40-year book (60 vaccinations, 400
// prescriptions) on an encrypted device against the same book on a plain one, in the same run.
// "Open" is from the tap on the book list's "Mở sổ" to the person's name on Home: the load and
// (encrypted) decryption of every record, plus rendering, which both sides share. Unlocking
// takes the passphrase alone: one derivation with the device salt, tried against every staff
// slot; the last rows time it with five staff members, unlocking as the last one added.
// Release build in dist/, Debian Chromium, 390x844.
//
// Usage: node bench/lock.mjs [runs]   (needs dist/ and the e2e fixtures)
import { launchBrowser, newPhonePage } from '../e2e/support/browser.mjs';
import { expected, fixture } from '../e2e/support/fixtures.mjs';
import { startStaticServer } from '../e2e/support/static-server.mjs';
import { AppPage } from '../e2e/pages/app-page.mjs';
import { BooksPage } from '../e2e/pages/books-page.mjs';
import { addStaff } from '../e2e/pages/device-lock.mjs';

const RUNS = Number(process.argv[2] ?? 7);
const PASSPHRASE = 'mật khẩu trạm y tế';
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const stats = (xs) => `median ${median(xs).toFixed(0)} ms (${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)})`;

const server = await startStaticServer({ root: 'dist' });
const browser = await launchBrowser();
const person = expected.adult;

/** A page with the 40-year book imported; `encrypted` sets up a shared device over it. */
async function device(encrypted) {
  const { context, page } = await newPhonePage(browser);
  const app = new AppPage(page, server.url);
  const books = new BooksPage(app);
  // The family file: the 40-year adult and others, so each timed open switches books and loads.
  await books.importFile(fixture('family.json'));
  if (encrypted) {
    await app.tapNav('settings');
    await page.getByTestId('device-lock-card').getByRole('radio', { name: /Máy dùng chung/ }).check();
    await page.getByTestId('set-up-staff-name').fill('Y tá Lan');
    await page.getByTestId('set-up-secret').fill(PASSPHRASE);
    await page.getByTestId('set-up-secret-again').fill(PASSPHRASE);
    await page.getByTestId('set-up-submit').click();
    await page.getByTestId('lock-button').waitFor({ timeout: 60_000 });
  }
  return { context, page, app };
}

/** "Mở sổ" on the list (reached by taps, so an unlocked device stays unlocked) for `name`. */
async function openFromList(page, name) {
  await page.getByRole('banner').getByRole('link', { name: 'Đổi sổ' }).click();
  await page.getByRole('heading', { level: 1, name: 'Sổ trên máy này' }).waitFor();
  const row = page.getByTestId('book-row').filter({ has: page.getByRole('heading', { name }) });
  const open = row.getByRole('button', { name: 'Mở sổ', exact: false }).first();
  await open.waitFor();
  const start = Date.now();
  await open.click();
  await page.getByRole('heading', { level: 2, name }).waitFor({ timeout: 30_000 });
  return Date.now() - start;
}

/** The child's book first (untimed), then the adult's, timed: a real switch and load. */
async function timeOpen({ page }) {
  await openFromList(page, expected.child.name);
  return openFromList(page, person.name);
}

/** Lock, then from the unlock tap to the unlocked app. */
async function timeUnlock({ page }, passphrase = PASSPHRASE) {
  await page.getByTestId('lock-button').click();
  await page.getByTestId('unlock-screen').waitFor();
  await page.getByTestId('unlock-secret').fill(passphrase);
  const start = Date.now();
  await page.getByTestId('unlock-submit').click();
  await page.getByTestId('lock-button').waitFor({ timeout: 60_000 });
  return Date.now() - start;
}

const plain = await device(false);
const sealed = await device(true);
const openPlain = [];
const openSealed = [];
for (let i = 0; i < RUNS; i++) {
  // Alternate, so drift in the machine's load falls on both sides alike.
  openPlain.push(await timeOpen(plain));
  openSealed.push(await timeOpen(sealed));
}
const unlock = [];
for (let i = 0; i < RUNS; i++) unlock.push(await timeUnlock(sealed));
const cdp = await sealed.context.newCDPSession(sealed.page);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
const unlockSlow = [];
for (let i = 0; i < RUNS; i++) unlockSlow.push(await timeUnlock(sealed));
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });

// Five staff members: unlocking as the last one tries every slot's wrapped key.
const LAST = 'mật khẩu nhân viên thứ năm';
for (const [i, name] of ['Bác sĩ An', 'Y tá Hoa', 'Dược sĩ Bình', 'Y sĩ Nam'].entries()) {
  const passphrase = i === 3 ? LAST : `mật khẩu của ${name}`;
  const status = await addStaff(sealed.page, sealed.app, { name, passphrase });
  if (status !== 'Đã lưu.') throw new Error(`staff not added: ${status}`);
}
const unlockFive = [];
for (let i = 0; i < RUNS; i++) unlockFive.push(await timeUnlock(sealed, LAST));
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
const unlockFiveSlow = [];
for (let i = 0; i < RUNS; i++) unlockFiveSlow.push(await timeUnlock(sealed, LAST));
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });

const ratio = median(openSealed) / median(openPlain);
console.log(`BENCH lock book: ${person.vaccinations} vaccinations, ${person.prescriptions} prescriptions; PBKDF2-SHA256 600,000 rounds`);
console.log(`BENCH lock open plain (baseline): ${stats(openPlain)}`);
console.log(`BENCH lock open encrypted: ${stats(openSealed)}; ratio of medians ${ratio.toFixed(2)}x (target 1.3x)`);
console.log(`BENCH lock unlock to the open book: ${stats(unlock)}`);
console.log(`BENCH lock unlock to the open book, 4x CPU throttling: ${stats(unlockSlow)}`);
console.log(`BENCH lock unlock, 5 staff members, as the last: ${stats(unlockFive)}`);
console.log(`BENCH lock unlock, 5 staff members, as the last, 4x CPU throttling: ${stats(unlockFiveSlow)}`);

await plain.context.close();
await sealed.context.close();
await browser.close();
await server.close();
