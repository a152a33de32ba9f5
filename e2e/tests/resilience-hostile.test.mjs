// Hostile input through file import and sync answers (issue 18; RESILIENCE.md): script payloads
// in every text field, oversized strings, deep nesting, an entry bomb, non-UTF-8 bytes, wrong
// types, numbers and dates out of range, duplicate ids. Each file is generated here from the
// generated fixtures. What must hold: a clear message or safe text; no script runs (the global
// flag every payload would set stays unset); no Content-Security-Policy violation; no element
// the payloads would create; the book already on the device intact.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { FIXTURES_DIR, expected, fixture } from '../support/fixtures.mjs';
import { startFhirServer } from '../support/fhir-server.mjs';
import { useAppSession } from '../support/session.mjs';
import { SyncPage } from '../pages/sync-page.mjs';

const PAYLOADS = [
  '<img src=x onerror="window.__pwned=1">',
  'javascript:window.__pwned=1',
  '<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=1"><script>window.__pwned=1</script></svg>',
  '"><script>window.__pwned=1</script>',
];
// The string values a person reads (names, addresses, vaccine and medicine names, notes, doses).
const TEXT_KEYS = new Set(['text', 'display', 'family', 'given', 'line', 'city', 'district', 'name', 'lotNumber']);
const NOTHING_CHANGED = /Không có gì thay đổi/;

/** A copy of `value` with a payload put before every readable string; counts them in `state`. */
function poison(value, state = { n: 0 }, inText = false) {
  if (typeof value === 'string') return inText ? `${PAYLOADS[state.n++ % PAYLOADS.length]} ${value}` : value;
  if (Array.isArray(value)) return value.map((v) => poison(v, state, inText));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poison(v, state, TEXT_KEYS.has(k))]));
  }
  return value;
}

const dir = mkdtempSync(join(tmpdir(), 'ssk-hostile-'));
const write = (name, content) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
after(() => rmSync(dir, { recursive: true, force: true }));
const adultBundle = () => JSON.parse(readFileSync(fixture('adult.json'), 'utf8'));
const resourceOf = (bundle, type) => bundle.entry.find((e) => e.resource?.resourceType === type).resource;

/** Records CSP violations and fails if anything the payloads would set or create is there. */
async function watchPage(context) {
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective));
  });
}

async function assertNothingRan(page, where) {
  const seen = await page.evaluate(() => ({
    pwned: window.__pwned,
    csp: window.__cspViolations,
    // What the payloads would have made had a screen inserted them as markup or a link.
    elements: document.querySelectorAll('img[src="x"], [onerror], [onload], svg script, a[href^="javascript:"]').length,
  }));
  assert.equal(seen.pwned, undefined, `a payload ran on ${where}`);
  assert.deepEqual(seen.csp, [], `CSP violation on ${where}`);
  assert.equal(seen.elements, 0, `markup from the data on ${where}`);
}

/** Visits every screen that shows the open book's text and checks nothing ran on any. */
async function visitEveryScreen(app, page) {
  for (const path of ['/', '/vaccinations?view=timeline', '/prescriptions', '/books', '/check-in']) {
    await app.open(path);
    await page.locator('main').first().waitFor();
    await page.waitForTimeout(150);
    await assertNothingRan(page, path);
  }
  await app.open('/prescriptions');
  const first = page.getByTestId('prescription-row').first();
  if ((await first.count()) > 0) {
    await first.click();
    await assertNothingRan(page, 'a prescription');
  }
}

describe('hostile files', () => {
  const session = useAppSession();

  test('script payloads in every text field are shown as text and nothing runs', async () => {
    const { context, page, app, books } = await session.newApp();
    await watchPage(context);
    await books.importFile(fixture('child.json'));
    const state = { n: 0 };
    const poisoned = poison(adultBundle(), state);
    assert.ok(state.n > 20, `only ${state.n} strings poisoned`);
    const preview = await books.previewFile(write('poisoned.json', JSON.stringify(poisoned)));
    assert.match(await preview.innerText(), new RegExp(expected.adult.name));
    await assertNothingRan(page, 'the import preview');
    await books.confirmImport();
    // The name reads with its payload, as text (once the banner has turned to the new book).
    await page.getByTestId('open-book').filter({ hasText: expected.adult.name }).waitFor();
    const shown = await page.getByTestId('open-book').innerText();
    assert.ok(PAYLOADS.some((p) => shown.includes(p)), shown);
    await visitEveryScreen(app, page);
    await books.openList();
    assert.equal(await books.rows().count(), 2, 'the book already on the device is still there');
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('oversized, malformed and out-of-range files are refused with a message and change nothing', async () => {
    const { context, page, app, books } = await session.newApp();
    await watchPage(context);
    await books.importFile(fixture('child.json'));
    const withPatient = (change) => {
      const bundle = adultBundle();
      change(resourceOf(bundle, 'Patient'));
      return JSON.stringify(bundle);
    };
    const adultText = readFileSync(fixture('adult.json'));
    const cases = [
      ['ten-megabyte-string', withPatient((p) => (p.name[0].family = 'A'.repeat(10 * 1024 * 1024))), /dài bất thường/],
      ['deeply-nested', '['.repeat(200_000) + ']'.repeat(200_000), /cấu trúc bất thường/],
      [
        'entry-bomb',
        JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: Array(60_000).fill({ resource: { resourceType: 'Basic' } }) }),
        /quá nhiều mục/,
      ],
      ['non-utf8', Buffer.concat([adultText.subarray(0, 200), Buffer.from([0xff, 0xfe, 0xc3]), adultText.subarray(200)]), /không phải tệp sổ sức khỏe/],
      ['wrong-type-birth-date', withPatient((p) => (p.birthDate = 19900101)), /Thông tin người bệnh/],
      ['birth-date-0000-00-00', withPatient((p) => (p.birthDate = '0000-00-00')), /Thông tin người bệnh/],
      ['number-past-f64', adultText.toString('utf8').replace('"entry":[', '"x":1e999,"entry":['), /không phải tệp sổ sức khỏe/],
      ['twenty-five-megabytes', Buffer.alloc(25 * 1024 * 1024, 0x20), /quá lớn/],
    ];
    for (const [name, content, message] of cases) {
      const said = await books.importRefused(write(`${name}.json`, content));
      assert.match(said, message, name);
      assert.match(said, NOTHING_CHANGED, name);
      await assertNothingRan(page, name);
    }
    await books.openList();
    assert.equal(await books.rows().count(), 1);
    await app.open('/vaccinations');
    assert.match(await page.getByTestId('vaccination-count').innerText(), new RegExp(String(expected.child.vaccinations)));
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('duplicate ids, dates 9999-12-31 and odd dose numbers import as one sensible book', async () => {
    const { context, page, app, books } = await session.newApp();
    await watchPage(context);
    const bundle = adultBundle();
    const immunizations = bundle.entry.filter((e) => e.resource?.resourceType === 'Immunization');
    bundle.entry.push(structuredClone(immunizations[0]), structuredClone(immunizations[0]));
    immunizations[1].resource.occurrenceDateTime = '9999-12-31';
    if (immunizations[2]) immunizations[2].resource.protocolApplied = [{ doseNumberPositiveInt: 1.8446744073709552e19 }];
    await books.importFile(write('odd.json', JSON.stringify(bundle)), { expectPreviewOf: expected.adult.name });
    await app.open('/vaccinations');
    assert.match(await page.getByTestId('vaccination-count').innerText(), new RegExp(String(expected.adult.vaccinations)));
    await app.open('/');
    assert.match(await page.getByTestId('data-as-of').innerText(), /^Dữ liệu tính đến \d\d\/\d\d\/\d{4}$/);
    await assertNothingRan(page, 'Home');
    assert.deepEqual(page.problems, []);
    await context.close();
  });
});

describe('hostile sync answers', () => {
  let fhir;
  let seedPath;
  before(async () => {
    const seed = JSON.parse(readFileSync(join(FIXTURES_DIR, 'fhir', 'seed.json'), 'utf8'));
    seedPath = write('poisoned-seed.json', JSON.stringify(poison(seed)));
    fhir = await startFhirServer({ port: 0, seed: [seedPath] });
  });
  after(async () => fhir?.close());
  const session = useAppSession({ devFhirServer: () => fhir.url });

  test('a server whose records carry script payloads: the book is saved as text and nothing runs', async () => {
    const who = JSON.parse(readFileSync(join(FIXTURES_DIR, 'fhir', 'people.json'), 'utf8'));
    const adult = who.people.find((p) => p.role === 'adult');
    const { context, page, app, books } = await session.newApp();
    await watchPage(context);
    await books.importFile(fixture('child.json'));
    const sync = new SyncPage(app);
    await sync.configure({ url: fhir.url });
    const preview = await sync.addBook(adult.citizenId);
    assert.ok(PAYLOADS.some((p) => preview.includes(p)), preview);
    await visitEveryScreen(app, page);
    await books.openList();
    assert.equal(await books.rows().count(), 2);
    assert.deepEqual(page.problems, []);
    await context.close();
  });
});
