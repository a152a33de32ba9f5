// The check-in QR scans first time: decoded by zbar and jsQR exactly as the chip card's layout
// says, for names and addresses full of Vietnamese diacritics and for the longest address; the
// minimal variant leaves the address out; the insurance code has its own QR.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { expected, fixture } from '../support/fixtures.mjs';
import { useAppSession } from '../support/session.mjs';
import { decodeWithJsQr, decodeWithZbar, screenshotOf } from '../support/qr-decode.mjs';

let page;
let app;
let books;
useAppSession({
  sharedPage: true,
  importFixture: 'family.json',
  onReady: (session) => ({ page, app, books } = session),
});

async function decodeCheckIn(testId = 'check-in-qr') {
  const png = await screenshotOf(page.getByTestId(testId));
  return { zbar: await decodeWithZbar(png), jsqr: decodeWithJsQr(png) };
}

describe('check-in QR', () => {
  for (const key of ['adult', 'child', 'long-address']) {
    test(`decodes exactly with zbar and jsQR: ${key}`, async () => {
      const person = expected[key];
      await books.openList();
      await books.openBookOf(person.name);
      await app.tapNav('checkIn');
      const decoded = await decodeCheckIn();
      assert.equal(decoded.zbar, person.checkInFull);
      assert.equal(decoded.jsqr, person.checkInFull);
      // Independently of how the payload was built: the card's seven fields, name and address
      // exactly as stored, with their diacritics.
      const fields = decoded.zbar.split('|');
      assert.equal(fields.length, 7);
      assert.equal(fields[0], person.citizenId);
      assert.equal(fields[2], person.name);
      assert.equal(fields[5], person.address);
      // The fallback digits are the same ID.
      assert.equal((await page.getByTestId('check-in-id').innerText()).replace(/\s/g, ''), person.citizenId);
      // An ID whose first digits are no province code (born abroad) is warned of, from the
      // core's finding, and still makes its code (issue 12).
      const idWarning = page.getByTestId('check-in-id-warning');
      if (person.provinceAtRegistration) {
        assert.equal(await idWarning.count(), 0);
      } else {
        assert.match(await idWarning.innerText(), new RegExp(`^Mã ${person.citizenId.slice(0, 3)} ở đầu số CCCD không phải mã tỉnh`));
      }
      assert.deepEqual(page.problems, []);
    });
  }

  test('the minimal variant leaves the address out, and is remembered', async () => {
    const person = expected['long-address'];
    await books.openList();
    await books.openBookOf(person.name);
    await app.tapNav('checkIn');
    await page.getByRole('checkbox', { name: 'Không đưa địa chỉ vào mã QR' }).check();
    let decoded = await decodeCheckIn();
    assert.equal(decoded.zbar, person.checkInMinimal);
    assert.equal(decoded.jsqr, person.checkInMinimal);
    await page.reload();
    await page.getByTestId('check-in-qr').waitFor();
    decoded = await decodeCheckIn();
    assert.equal(decoded.zbar, person.checkInMinimal);
    await page.getByRole('checkbox', { name: 'Không đưa địa chỉ vào mã QR' }).uncheck();
    decoded = await decodeCheckIn();
    assert.equal(decoded.jsqr, person.checkInFull);
  });

  test('the health insurance code has its own QR with its validity', async () => {
    const person = expected.child;
    await books.openList();
    await books.openBookOf(person.name);
    await app.open('/check-in');
    const decoded = await decodeCheckIn('insurance-qr');
    assert.equal(decoded.zbar, person.insuranceCode);
    assert.equal(decoded.jsqr, person.insuranceCode);
    assert.match(await page.getByTestId('insurance-validity').innerText(), /hạn|hiệu lực/);
  });

  test('full-screen mode enlarges the code and it still decodes', async () => {
    const person = expected.adult;
    await books.openList();
    await books.openBookOf(person.name);
    await app.open('/check-in');
    const before = await page.getByTestId('check-in-qr').boundingBox();
    await page.getByRole('button', { name: 'Phóng to mã' }).click();
    await page.getByRole('button', { name: 'Thu nhỏ' }).waitFor();
    const during = await page.getByTestId('check-in-qr').boundingBox();
    assert.ok(during.width >= before.width, `${during.width} < ${before.width}`);
    const decoded = await decodeCheckIn();
    assert.equal(decoded.zbar, person.checkInFull);
    await page.getByRole('button', { name: 'Thu nhỏ' }).click();
    assert.deepEqual(page.problems, []);
  });
});
