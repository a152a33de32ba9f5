// Bad updates (issue 18; RESILIENCE.md): a new version whose files do not match its index.html,
// or that fails at start, must not leave the installed app unusable offline. public/sw.js keeps
// the previous version's cache until the new one has started once, and rolls back otherwise.
// The second version is a copy of dist/ edited here, re-processed by scripts/postbuild.mjs (which
// gives its worker a new precache list and build version), deployed at the same origin.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startStaticServer } from '../support/static-server.mjs';
import { launchBrowser, newPhonePage } from '../support/browser.mjs';
import { OfflineApp } from '../pages/offline-app.mjs';

const DIST = process.env.SSK_DIST ?? 'dist';
const MARKER = '<meta name="ssk-test-build" content="v2">';

let browser;
const servers = [];
const temporary = [];
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the build, changed by `edit(dir)`, marked as v2 and re-processed. */
function secondVersion(edit) {
  const dir = mkdtempSync(join(tmpdir(), 'ssk-bad-v2-'));
  temporary.push(dir);
  cpSync(DIST, dir, { recursive: true, dereference: true });
  const index = join(dir, 'index.html');
  writeFileSync(index, readFileSync(index, 'utf8').replace('<head>', `<head>\n  ${MARKER}`));
  edit(dir);
  execFileSync(process.execPath, ['scripts/postbuild.mjs', dir], { stdio: 'pipe' });
  return dir;
}

/** The app installed from v1 and started under its worker (which confirms v1). */
async function installedApp() {
  const local = await startStaticServer({ root: DIST });
  servers.push(local);
  const { context, page } = await newPhonePage(browser);
  const app = new OfflineApp(page, local.url);
  await app.open('/');
  await app.waitForServiceWorker();
  await page.reload();
  await page.locator('#loading-shell').waitFor({ state: 'detached' });
  return { local, context, page, app, v1: await app.serviceWorkerVersion() };
}

async function isV2(page) {
  return (await page.locator('meta[name="ssk-test-build"]').count()) > 0;
}

/** With the server gone and no network, the app opens from the cache, as version 1. */
async function worksOfflineAsV1({ local, context, page, app }) {
  await context.setOffline(true);
  await local.close();
  await page.reload();
  await page.locator('#loading-shell').waitFor({ state: 'detached', timeout: 30_000 });
  await app.expectScreen('home');
  assert.equal(await isV2(page), false, 'version 1 runs');
  await app.open('/vaccinations');
  await app.expectScreen('vaccinations');
}

describe('bad updates', () => {
  test('a version whose files do not match its index.html is never installed', async () => {
    const installed = await installedApp();
    const { local, page, app, v1 } = installed;
    // Its index.html names a script the build does not have: the server answers that path with
    // index.html (a navigation fallback), which must not be stored as the app's script.
    const v2 = secondVersion((dir) => {
      const index = join(dir, 'index.html');
      const html = readFileSync(index, 'utf8');
      const script = readdirSync(dir).find((f) => /^so-suc-khoe-[0-9a-f]+\.js$/.test(f));
      writeFileSync(index, html.replaceAll(`/${script}`, '/so-suc-khoe-0000000000000000.js'));
    });
    local.setRoot(v2);
    const outcome = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration.update().catch(() => {});
      const worker = registration.installing;
      if (!worker) return registration.waiting ? 'installed' : 'refused';
      return new Promise((resolve) => {
        worker.addEventListener('statechange', () => {
          if (worker.state === 'redundant') resolve('refused');
          if (worker.state === 'installed') resolve('installed');
        });
      });
    });
    assert.equal(outcome, 'refused', 'the mismatched version did not install');
    assert.equal(await app.serviceWorkerVersion(), v1);
    await worksOfflineAsV1(installed);
    await installed.context.close();
  });

  test('a version that fails at start is rolled back to the previous one, which works offline', async () => {
    const installed = await installedApp();
    const { local, page, app, v1 } = installed;
    // Consistent files, but its start-up script throws before the app mounts. Like every build
    // file whose content changes, the script gets a new name.
    const v2 = secondVersion((dir) => {
      const boot = readdirSync(dir).find((f) => /^boot-[0-9a-f]+\.js$/.test(f));
      assert.ok(boot, 'the build has a start-up script');
      const broken = 'boot-badbadbadbadbad0.js';
      writeFileSync(join(dir, broken), "throw new Error('version 2 fails at start');\n");
      rmSync(join(dir, boot));
      const index = join(dir, 'index.html');
      writeFileSync(index, readFileSync(index, 'utf8').replace(`/${boot}`, `/${broken}`));
    });
    local.setRoot(v2);
    await page.reload();
    await page.locator('#loading-shell').waitFor({ state: 'detached' });
    await app.reloadButton().waitFor({ timeout: 60_000 });
    await app.reloadButton().click();
    // The new worker takes over and the page reloads into version 2, which never starts.
    await page.waitForFunction(() => document.querySelector('meta[name="ssk-test-build"]') !== null, null, {
      timeout: 30_000,
    });
    assert.notEqual(await app.serviceWorkerVersion(), v1, 'version 2 is active');
    assert.equal(await page.locator('#loading-shell').count(), 1, 'version 2 did not start');
    // The person tries again; after the second failed start, the previous version is back.
    for (let attempt = 0; attempt < 4 && (await isV2(page)); attempt++) {
      await page.reload();
      await page.waitForLoadState('load');
    }
    assert.equal(await isV2(page), false, 'rolled back to version 1');
    await page.locator('#loading-shell').waitFor({ state: 'detached', timeout: 30_000 });
    await app.expectScreen('home');
    await worksOfflineAsV1(installed);
    await installed.context.close();
  });
});
