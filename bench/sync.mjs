// Benchmark: adding and refreshing one 5,000-resource book from the local FHIR server
// (e2e/support/fhir-server.mjs) in the release build, against importing the same book from a
// file in the same run (the baseline: the same mapping and save, without the network). Printed
// and written to bench/out/sync.json; nothing is asserted (the machines are shared and noisy).
//
// Reproduce (bench/run does all of it; by hand, after a release build into dist/):
//   cargo run -q --release -p health-book --example fhir_seed -- bench/out/fhir --bench
//   node bench/sync.mjs            # ROUNDS=5 by default
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

import { launchBrowser, newPhonePage } from '../e2e/support/browser.mjs';
import { startFhirServer } from '../e2e/support/fhir-server.mjs';
import { startStaticServer } from '../e2e/support/static-server.mjs';
import { AppPage } from '../e2e/pages/app-page.mjs';
import { FhirRest, SYNC_LABELS, SyncPage } from '../e2e/pages/sync-page.mjs';

const SEED_DIR = process.env.SEED_DIR ?? 'bench/out/fhir';
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const who = JSON.parse(readFileSync(`${SEED_DIR}/people.json`, 'utf8')).bench;

const started = Date.now();
const fhir = await startFhirServer({ port: 8103, seed: [`${SEED_DIR}/bench-5000.json`] });
const seeded = Date.now() - started;
// The app names the local server the way a deployment would (index.html's meta and CSP).
const web = await startStaticServer({ root: 'dist', devFhirServer: fhir.url });
const browser = await launchBrowser();
const rest = new FhirRest(fhir.url);

const timed = async (fn) => {
  const t0 = performance.now();
  await fn();
  return Math.round(performance.now() - t0);
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const runs = [];
for (let round = 0; round < ROUNDS; round++) {
  const { context, page } = await newPhonePage(browser);
  const app = new AppPage(page, web.url);
  const sync = new SyncPage(app);
  const run = {};

  await app.open('/books/sync');
  await page.getByLabel(SYNC_LABELS.citizenId).fill(who.citizenId);
  run.addFetch = await timed(async () => {
    await page.getByRole('button', { name: SYNC_LABELS.find }).click();
    await page.getByTestId('sync-preview').waitFor({ timeout: 600_000 });
  });
  run.addSave = await timed(async () => {
    await page.getByRole('button', { name: SYNC_LABELS.saveBook }).click();
    await sync.panel().waitFor({ timeout: 600_000 });
  });
  run.refreshNoChange = await timed(() => sync.refresh());
  const changed = await rest.byRecordId('Immunization', who.citizenId, who.recordIdSystem, who.plainVaccinations[0]);
  await rest.update({ ...changed, lotNumber: `BENCH-${round}` });
  run.refreshOneChange = await timed(() => sync.refresh());

  // The same book from a file, into a fresh device.
  const { context: fileContext, page: filePage } = await newPhonePage(browser);
  const fileApp = new AppPage(filePage, web.url);
  await fileApp.open('/books/import');
  run.importRead = await timed(async () => {
    await filePage.locator('input[type=file]').setInputFiles(`${SEED_DIR}/bench-5000-file.json`);
    await filePage.getByTestId('import-preview').waitFor({ timeout: 600_000 });
  });
  run.importSave = await timed(async () => {
    await filePage.getByRole('button', { name: 'Nhập sổ' }).click();
    await filePage.waitForURL((url) => url.pathname === '/', { timeout: 600_000 });
    await filePage.getByTestId('open-book').waitFor({ timeout: 600_000 });
  });
  runs.push(run);
  console.log(`round ${round + 1}:`, JSON.stringify(run));
  await context.close();
  await fileContext.close();
}

const summary = Object.fromEntries(Object.keys(runs[0]).map((k) => [k, median(runs.map((r) => r[k]))]));
const baseline = median(runs.map((r) => r.importRead + r.importSave));
const rows = {
  'baseline: import the file (read, map, preview, save)': baseline,
  'add by citizen ID (fetch, map, preview, save)': median(runs.map((r) => r.addFetch + r.addSave)),
  '  of which fetch + map to preview': summary.addFetch,
  '  of which save': summary.addSave,
  'refresh, nothing changed on the server': summary.refreshNoChange,
  'refresh, one record changed on the server': summary.refreshOneChange,
};
const report = {
  date: new Date().toISOString(),
  resources: who.resources,
  vaccinations: who.vaccinations,
  prescriptions: who.prescriptions,
  serverStartAndSeedMs: seeded,
  medianMs: summary,
  table: rows,
  runs,
};
mkdirSync('bench/out', { recursive: true });
writeFileSync('bench/out/sync.json', JSON.stringify(report, null, 2));
console.log(`\n${who.resources} resources (${who.vaccinations} vaccinations, ${who.prescriptions} prescriptions); median of ${ROUNDS}:`);
console.log('| operation | median ms | ratio to baseline |\n| --- | --- | --- |');
for (const [name, ms] of Object.entries(rows)) console.log(`| ${name} | ${ms} | ${(ms / baseline).toFixed(2)} |`);
console.log(`(server start and seeding: ${seeded} ms)`);

await browser.close();
await web.close();
await fhir.close();
