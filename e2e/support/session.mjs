// The setup every end-to-end test file shares: serve dist/, launch Chromium, and (optionally) one
// phone page with books imported through the Import screen. Registers its own before/after hooks.
import { after, before } from 'node:test';

import { startStaticServer } from './static-server.mjs';
import { launchBrowser, newPhonePage } from './browser.mjs';
import { fixture } from './fixtures.mjs';
import { AppPage } from '../pages/app-page.mjs';
import { BooksPage } from '../pages/books-page.mjs';

/**
 * Returns an object whose fields are filled before the tests run: `server`, `browser`, and with
 * `sharedPage: true` also `context`, `page`, `app`, `books`. `importFixture` names a fixture file
 * to import into the shared page first; `onReady(session)` runs once all of that is done.
 * `devFhirServer` (a URL, or a function giving it once earlier hooks have run) names a FHIR server
 * the way a deployment does (see static-server.mjs); without it the app has no server configured.
 * `onDay` sets every page's clock to that day (see `newPhonePage`).
 */
export function useAppSession({ sharedPage = false, importFixture, onReady, devFhirServer, onDay } = {}) {
  const session = {};
  before(async () => {
    session.server = await startStaticServer({
      root: process.env.SSK_DIST ?? 'dist',
      devFhirServer: typeof devFhirServer === 'function' ? devFhirServer() : devFhirServer,
    });
    session.browser = await launchBrowser();
    if (sharedPage) {
      Object.assign(session, await session.newApp());
      if (importFixture) await session.books.importFile(fixture(importFixture));
    }
    onReady?.(session);
  });
  after(async () => {
    await session.context?.close();
    await session.browser?.close();
    await session.server?.close();
  });
  /** A fresh context (its own storage) with a phone page and its page objects. */
  session.newApp = async () => {
    const { context, page } = await newPhonePage(session.browser, { onDay });
    const app = new AppPage(page, session.server.url);
    return { context, page, app, books: new BooksPage(app) };
  };
  return session;
}
