// Scan benchmark: how long the chip card's QR takes from being in the camera's view to the
// person's book being open on Home, with a fake camera playing a video of the card
// (--use-file-for-fake-video-capture); and, for comparison in the same run, how long the camera
// takes to give its first picture, and a photo of a card from being chosen to the offer shown.
// Release build in dist/, Debian Chromium, 390x844. Reports which decoder ran (headless
// Chromium on Linux has no BarcodeDetector: the wasm decoder).
//
// Usage: node bench/scan.mjs [runs]   (needs dist/ and the e2e fixtures)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

import { CHROMIUM_ARGS, newPhonePage } from '../e2e/support/browser.mjs';
import { writeQrPng, writeQrY4m } from '../e2e/support/card-media.mjs';
import { expected, fixture } from '../e2e/support/fixtures.mjs';
import { startStaticServer } from '../e2e/support/static-server.mjs';
import { AppPage } from '../e2e/pages/app-page.mjs';
import { BooksPage } from '../e2e/pages/books-page.mjs';

const RUNS = Number(process.argv[2] ?? 9);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const stats = (xs) => `median ${median(xs).toFixed(0)} ms (${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)})`;

const dir = await mkdtemp(join(tmpdir(), 'ssk-scan-bench-'));
const video = join(dir, 'adult.y4m');
const photo = join(dir, 'new.png');
await writeQrY4m(expected.cardQr.adult.rows, video);
await writeQrPng(expected.cardQr.newPrecomposed.rows, photo);

const server = await startStaticServer({ root: 'dist' });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
});
const { context, page } = await newPhonePage(browser, { permissions: ['camera'] });
const app = new AppPage(page, server.url);
const books = new BooksPage(app);
await books.importFile(fixture('family.json'));

const cameraStart = [];
const inViewToOpen = [];
let decoder;
for (let i = 0; i < RUNS; i++) {
  // Another person's book open first, so the scan visibly switches books.
  await books.openList();
  await books.openBookOf(expected.child.name);
  await app.open('/books');
  // Timed inside the page: the tap, the first camera picture (the code is in view from then
  // on), and the scanned person's name in the header.
  const times = await page.evaluate(
    (name) =>
      new Promise((resolve, reject) => {
        const start = performance.now();
        let inView = null;
        const check = () => {
          const video = document.querySelector('[data-testid=viewfinder]');
          if (inView === null && video && video.readyState >= 2) inView = performance.now();
          const header = document.querySelector('[data-testid=open-book]');
          if (location.pathname === '/' && header?.textContent.includes(name) && inView !== null) {
            requestAnimationFrame(() => resolve({ start, inView, open: performance.now() }));
          } else {
            requestAnimationFrame(check);
          }
        };
        setTimeout(() => reject(new Error('the scanned book never opened')), 30_000);
        [...document.querySelectorAll('a')].find((a) => a.textContent === 'Quét thẻ căn cước').click();
        check();
      }),
    expected.adult.name,
  );
  cameraStart.push(times.inView - times.start);
  inViewToOpen.push(times.open - times.inView);
  if (!decoder) {
    await app.open('/books/scan');
    decoder = await page.getByTestId('card-scan').getAttribute('data-decoder');
  }
}

// The photo route, from the file chosen to the offer for the new person.
const photoToOffer = [];
const noCamera = await newPhonePage(browser, { permissions: [] });
const noCameraApp = new AppPage(noCamera.page, server.url);
for (let i = 0; i < RUNS; i++) {
  await noCameraApp.open('/books/scan');
  const start = Date.now();
  await noCamera.page.getByTestId('scan-photo').setInputFiles(photo);
  await noCamera.page.getByTestId('scan-new-person').waitFor({ timeout: 30_000 });
  photoToOffer.push(Date.now() - start);
}

console.log(`BENCH scan decoder: ${decoder}`);
console.log(`BENCH scan baseline: tap to the camera's first picture: ${stats(cameraStart)}`);
console.log(`BENCH scan card in view to its book open on Home: ${stats(inViewToOpen)}`);
console.log(`BENCH scan photo chosen to the new-person offer: ${stats(photoToOffer)}`);

await noCamera.context.close();
await context.close();
await browser.close();
await server.close();
await rm(dir, { recursive: true, force: true });
