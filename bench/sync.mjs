// Benchmark: adding and refreshing one 5,000-resource book from the local FHIR server
// (e2e/support/fhir-server.mjs) in the release build, against importing the same book from a
// file in the same run (the baseline: the same mapping and save, without the network). Printed
// and written to bench/out/sync.json; nothing is asserted (the machines are shared and noisy).
//
// Reproduce (bench/run does all of it; by hand, after a release build into dist/):
//   cargo run -q --release -p health-book --example fhir_seed -- bench/out/fhir --bench
//   node bench/sync.mjs            # ROUNDS=5 by default; DIST=<folder> serves another build
//
// Besides the times, the main thread's long tasks (over 50 ms, Chromium's `longtask` entries)
// are counted during the add's fetch (ID entered to the preview) and during each refresh: the
// sync runs in the data worker, so what is left on the page is the hand-over and the save.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

import { launchBrowser, newPhonePage } from '../e2e/support/browser.mjs';
import { startFhirServer } from '../e2e/support/fhir-server.mjs';
import { startStaticServer } from '../e2e/support/static-server.mjs';
import { AppPage } from '../e2e/pages/app-page.mjs';
import { FhirRest, SYNC_LABELS, SyncPage } from '../e2e/pages/sync-page.mjs';

const SEED_DIR = process.env.SEED_DIR ?? 'bench/out/fhir';
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const DIST = process.env.DIST ?? 'dist';
const who = JSON.parse(readFileSync(`${SEED_DIR}/people.json`, 'utf8')).bench;

const started = Date.now();
const fhir = await startFhirServer({ port: 8103, seed: [`${SEED_DIR}/bench-5000.json`] });
const seeded = Date.now() - started;
// The app names the local server the way a deployment would (index.html's meta and CSP).
const web = await startStaticServer({ root: DIST, devFhirServer: fhir.url });
const browser = await launchBrowser();
const rest = new FhirRest(fhir.url);

const timed = async (fn) => {
  const t0 = performance.now();
  await fn();
  return Math.round(performance.now() - t0);
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Every page load of the app collects its long tasks; `longTasks` reads and clears them.
const watchLongTasks = (page) =>
  page.addInitScript(() => {
    window.__sskLongTasks = [];
    new PerformanceObserver((list) => window.__sskLongTasks.push(...list.getEntries().map((e) => e.duration)))
      .observe({ type: 'longtask' });
  });
const longTasks = async (page) => {
  const durations = await page.evaluate(() => window.__sskLongTasks.splice(0));
  return { count: durations.length, longestMs: Math.round(Math.max(0, ...durations)) };
};

const runs = [];
for (let round = 0; round < ROUNDS; round++) {
  const { context, page } = await newPhonePage(browser);
  const app = new AppPage(page, web.url);
  const sync = new SyncPage(app);
  const run = {};
  const tasks = {};
  await watchLongTasks(page);

  await app.open('/books/sync');
  await page.getByLabel(SYNC_LABELS.citizenId).fill(who.citizenId);
  await longTasks(page);
  run.addFetch = await timed(async () => {
    await page.getByRole('button', { name: SYNC_LABELS.find }).click();
    await page.getByTestId('sync-preview').waitFor({ timeout: 600_000 });
  });
  tasks.addFetch = await longTasks(page);
  run.addSave = await timed(async () => {
    await page.getByRole('button', { name: SYNC_LABELS.saveBook }).click();
    await sync.panel().waitFor({ timeout: 600_000 });
  });
  await longTasks(page);
  run.refreshNoChange = await timed(() => sync.refresh());
  tasks.refreshNoChange = await longTasks(page);
  const changed = await rest.byRecordId('Immunization', who.citizenId, who.recordIdSystem, who.plainVaccinations[0]);
  await rest.update({ ...changed, lotNumber: `BENCH-${round}` });
  await longTasks(page);
  run.refreshOneChange = await timed(() => sync.refresh());
  tasks.refreshOneChange = await longTasks(page);

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
  runs.push({ ...run, longTasks: tasks });
  console.log(`round ${round + 1}:`, JSON.stringify(run), 'long tasks:', JSON.stringify(tasks));
  await context.close();
  await fileContext.close();
}

const timings = Object.keys(runs[0]).filter((k) => k !== 'longTasks');
const summary = Object.fromEntries(timings.map((k) => [k, median(runs.map((r) => r[k]))]));
const range = (xs) => `${Math.min(...xs)}-${Math.max(...xs)}`;
const baseline = median(runs.map((r) => r.importRead + r.importSave));
const rows = {
  'baseline: import the file (read, map, preview, save)': baseline,
  'add by citizen ID (fetch, map, preview, save)': median(runs.map((r) => r.addFetch + r.addSave)),
  '  of which fetch + map to preview': summary.addFetch,
  '  of which save': summary.addSave,
  'refresh, nothing changed on the server': summary.refreshNoChange,
  'refresh, one record changed on the server': summary.refreshOneChange,
};
const longTaskSummary = Object.fromEntries(Object.keys(runs[0].longTasks).map((k) => {
  const counts = runs.map((r) => r.longTasks[k].count);
  const longest = runs.map((r) => r.longTasks[k].longestMs);
  return [k, { count: median(counts), countRange: range(counts), longestMs: median(longest), longestRange: range(longest) }];
}));
const report = {
  date: new Date().toISOString(),
  dist: DIST,
  resources: who.resources,
  vaccinations: who.vaccinations,
  prescriptions: who.prescriptions,
  serverStartAndSeedMs: seeded,
  medianMs: summary,
  longTasks: longTaskSummary,
  table: rows,
  runs,
};
mkdirSync('bench/out', { recursive: true });
writeFileSync('bench/out/sync.json', JSON.stringify(report, null, 2));
console.log(`\n${who.resources} resources (${who.vaccinations} vaccinations, ${who.prescriptions} prescriptions); median of ${ROUNDS}:`);
console.log('| operation | median ms | ratio to baseline |\n| --- | --- | --- |');
for (const [name, ms] of Object.entries(rows)) console.log(`| ${name} | ${ms} | ${(ms / baseline).toFixed(2)} |`);
console.log('\n| during | long tasks, median (min-max) | longest ms, median (min-max) |\n| --- | --- | --- |');
for (const [k, t] of Object.entries(longTaskSummary)) {
  console.log(`| ${k} | ${t.count} (${t.countRange}) | ${t.longestMs} (${t.longestRange}) |`);
}
for (const k of timings) console.log(`BENCH sync_${k} median_ms=${summary[k]} range_ms=${range(runs.map((r) => r[k]))}`);
console.log(`(server start and seeding: ${seeded} ms)`);

await browser.close();
await web.close();
await fhir.close();
