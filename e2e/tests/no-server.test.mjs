// A fresh install of a build that names no health-system server (the release build as it ships):
// "Add from the health system" explains how to set one up and sends a citizen ID nowhere, and the
// Content-Security-Policy allows no development server.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { useAppSession } from '../support/session.mjs';
import { SYNC_LABELS, SyncPage } from '../pages/sync-page.mjs';

const session = useAppSession();

test('with no server configured, adding from the health system explains the setup and sends nothing', async () => {
  const { context, page, app } = await session.newApp();
  const elsewhere = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(session.server.url)) elsewhere.push(r.url());
  });
  await app.open('/books/sync');
  const notice = page.getByTestId('sync-no-server');
  await notice.waitFor();
  assert.match(await notice.innerText(), /Chưa có máy chủ dữ liệu y tế nào được cài đặt/);
  assert.equal(await page.getByLabel(SYNC_LABELS.citizenId).count(), 0, 'no citizen ID field to send');
  await notice.getByRole('link', { name: 'Mở Cài đặt máy chủ dữ liệu y tế' }).click();
  await page.waitForURL((url) => url.pathname === '/settings');
  const address = new SyncPage(app).serverCard().getByLabel(SYNC_LABELS.serverUrl);
  await address.waitFor();
  assert.equal(await address.inputValue(), '');
  assert.deepEqual(elsewhere, [], 'nothing went to another origin');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('the release build allows no development server in connect-src', async () => {
  const html = await (await fetch(`${session.server.url}/index.html`)).text();
  const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
  const connect = /connect-src ([^;]*)/.exec(csp)?.[1] ?? '';
  assert.equal(connect.trim(), "'self' https:");
  assert.doesNotMatch(html.replace(/<!--[\s\S]*?-->/g, ''), /<meta name="ssk-fhir-server"/, 'the build names no server');
});
