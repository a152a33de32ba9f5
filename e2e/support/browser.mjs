// Launches Debian's Chromium through playwright-core (Playwright cannot download a browser here)
// and collects console errors, page errors and CSP violations, which every test asserts are none.
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  // Without these Chromium keeps trying hosts this closed network refuses.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * A new context + page at a phone viewport, with problems recorded in `page.problems`.
 * `onDay` (`YYYY-MM-DD`, a Vietnam date) sets the page's clock to 09:00 of that day, still running:
 * for tests whose expectations count days from the day the fixtures were written
 * (`fixtureDay` in fixtures.mjs), so they do not flip when the day turns (17:00 UTC) between
 * writing the fixtures and running the test. Timers are left real.
 */
export async function newPhonePage(
  browser,
  { viewport = { width: 390, height: 844 }, onDay, ...options } = {},
) {
  // Vietnam's time zone: "today" in the app and in the generated fixtures is the same day.
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor: 1,
    timezoneId: 'Asia/Ho_Chi_Minh',
    ...options,
  });
  // A Content-Security-Policy violation becomes a console error, which the tests count as a
  // problem (Chromium's own report of a violation is only a console message, easy to miss).
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI || 'inline code'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  if (onDay) await context.clock.setSystemTime(new Date(`${onDay}T09:00:00+07:00`));
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') page.problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => page.problems.push(`pageerror: ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 400) page.problems.push(`http ${res.status()}: ${res.url()}`);
  });
  return { context, page };
}
