// Accessibility as checked by axe-core on every screen, in both languages, with a book open:
// no serious or critical violations. Plus the large-text setting and the system font size.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { expected, fixture } from '../support/fixtures.mjs';
import { useAppSession } from '../support/session.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const SCREENS = [
  '/',
  '/vaccinations',
  '/vaccinations?view=disease',
  '/prescriptions',
  '/prescriptions/active',
  '/check-in',
  '/settings',
  '/books',
  '/books/import',
  // Care plan (issue 19)
  '/coming-up',
  '/today',
  '/paper',
];

let page;
let app;
let books;
useAppSession({
  sharedPage: true,
  importFixture: 'family.json',
  onReady: (session) => ({ page, app, books } = session),
});

/** Runs axe-core in the page (evaluated through the debugger protocol, so the app's CSP, which
 * rightly forbids injected scripts, stays on). Returns serious and critical violations. */
async function seriousViolations() {
  await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ['violations'], runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }),
  );
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

async function visit(path) {
  await app.open(path);
  await page.waitForFunction(() => !document.querySelector('main [role=status].loading'));
  await page.waitForTimeout(150);
}

describe('accessibility', () => {
  test('the checker itself catches a planted violation (so a clean result means something)', async () => {
    await visit('/settings');
    await page.evaluate(() => {
      const b = document.createElement('button');
      b.id = 'planted';
      b.style.cssText = 'color:#eee;background:#fff';
      document.querySelector('main').append(b);
    });
    const violations = await seriousViolations();
    assert.ok(violations.some((v) => v.startsWith('button-name')), violations.join('; '));
    await page.evaluate(() => document.getElementById('planted').remove());
  });

  for (const lang of ['vi', 'en']) {
    test(`axe-core finds no serious or critical violation on any screen (${lang})`, async () => {
      await app.open('/settings');
      await page.getByRole('radio', { name: lang === 'vi' ? 'Tiếng Việt' : 'English' }).check();
      const found = {};
      for (const path of SCREENS) {
        await visit(path);
        assert.equal(await page.getAttribute('html', 'lang'), lang);
        const violations = await seriousViolations();
        if (violations.length) found[path] = violations;
      }
      assert.deepEqual(found, {});
      assert.deepEqual(page.problems, []);
    });
  }

  // The tablet layouts (issue 20): lists with the chosen record beside them, Home in columns, the
  // check-in QR beside the name. The record addresses are read from the lists' own links.
  async function tabletScreens() {
    await visit('/prescriptions');
    const prescription = await page.getByTestId('prescription-row').first().getByRole('link').getAttribute('href');
    await visit('/vaccinations?view=timeline');
    const vaccination = await page.getByTestId('vaccination').first().getByRole('link').getAttribute('href');
    await visit('/books');
    const book = await page.getByTestId('book-row').first().getByRole('heading').getByRole('link').getAttribute('href');
    return ['/', '/prescriptions', prescription, '/vaccinations?view=timeline', vaccination, '/check-in', '/books', book];
  }

  for (const lang of ['vi', 'en']) {
    test(`axe-core finds no serious or critical violation in the tablet layouts (${lang})`, async () => {
      await app.open('/settings');
      await page.getByRole('radio', { name: lang === 'vi' ? 'Tiếng Việt' : 'English' }).check();
      await page.setViewportSize({ width: 1180, height: 820 });
      try {
        const found = {};
        for (const path of await tabletScreens()) {
          await visit(path);
          assert.equal(await page.getAttribute('html', 'lang'), lang);
          const violations = await seriousViolations();
          if (violations.length) found[path] = violations;
        }
        // The side-by-side layout really was what was checked.
        await visit((await tabletScreens())[2]);
        assert.equal(await page.locator('.list-pane').isVisible(), true);
        assert.equal(await page.getByTestId('prescription').isVisible(), true);
        await visit((await tabletScreens())[7]);
        assert.equal(await page.locator('.list-pane').isVisible(), true);
        assert.equal(await page.getByTestId('book-detail').isVisible(), true);
        assert.deepEqual(found, {});
        assert.deepEqual(page.problems, []);
      } finally {
        await page.setViewportSize({ width: 390, height: 844 });
        await app.open('/settings');
        await page.getByRole('radio', { name: 'Tiếng Việt' }).check();
      }
    });
  }

  test('text at 200% neither scrolls sideways nor clips, at 1180 px and at 320 px', async () => {
    for (const viewport of [{ width: 1180, height: 820 }, { width: 320, height: 640 }]) {
      await page.setViewportSize({ width: 1180, height: 820 });
      const screens = await tabletScreens();
      await page.setViewportSize(viewport);
      for (const path of screens) {
        await visit(path);
        // What a system font scale of 200% does: a root size twice the default.
        await page.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
        await page.waitForTimeout(100);
        const { sideways, clipped } = await page.evaluate(() => ({
          sideways: document.scrollingElement.scrollWidth - window.innerWidth,
          // Text cut off by a box that hides what overflows it (the visually hidden labels are
          // meant to be).
          clipped: [...document.querySelectorAll('main *')]
            .filter((el) => !el.closest('.visually-hidden') && el.getClientRects().length > 0)
            .filter((el) => ['hidden', 'clip'].includes(getComputedStyle(el).overflowX))
            .filter((el) => el.scrollWidth > el.clientWidth + 1)
            .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
        }));
        assert.ok(sideways <= 0, `${path} at ${viewport.width} px scrolls ${sideways} px sideways at 200%`);
        assert.deepEqual(clipped, [], `${path} at ${viewport.width} px clips at 200%`);
      }
    }
    await page.evaluate(() => { document.documentElement.style.fontSize = ''; });
    await page.setViewportSize({ width: 390, height: 844 });
  });

  test('large text makes everything bigger and is remembered', async () => {
    await app.open('/settings');
    await page.getByRole('radio', { name: 'Tiếng Việt' }).check();
    // Settings arrives in a module of its own (issue 17): its heading may follow the shell.
    const size = async () => {
      await page.locator('main h1').waitFor();
      return page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('main h1')).fontSize));
    };
    const before = await size();
    await page.getByRole('checkbox', { name: 'Chữ lớn' }).check();
    const after = await size();
    assert.ok(after >= before * 1.2, `${after} is not 20% larger than ${before}`);
    await page.reload();
    await page.locator('#loading-shell').waitFor({ state: 'detached' });
    assert.equal(await size(), after);
    // Nothing spills sideways on a 320 px phone, even with large text.
    await page.setViewportSize({ width: 320, height: 640 });
    for (const path of ['/', '/check-in', '/prescriptions']) {
      await visit(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${path} is ${overflow}px wider than 320 px with large text`);
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await app.open('/settings');
    await page.getByRole('checkbox', { name: 'Chữ lớn' }).uncheck();
  });

  test('touch targets of the navigation and main actions are at least 44 px', async () => {
    await visit('/');
    const small = await page.evaluate(() =>
      [...document.querySelectorAll('.bottom-nav a, main button, main .button')]
        .map((el) => ({ el, r: el.getBoundingClientRect() }))
        .filter(({ r }) => r.width > 0 && (r.width < 44 || r.height < 44))
        .map(({ el, r }) => `${el.textContent.trim()} ${r.width}x${r.height}`),
    );
    assert.deepEqual(small, []);
  });

  test('the person card respects a larger system font size', async () => {
    await visit('/');
    const before = await page.evaluate(() => document.querySelector('.person-name').getBoundingClientRect().height);
    // What Android's font scale or a browser's minimum font size does: a larger root size.
    await page.evaluate(() => { document.documentElement.style.fontSize = '150%'; });
    const after = await page.evaluate(() => document.querySelector('.person-name').getBoundingClientRect().height);
    assert.ok(after > before * 1.3, `${after} vs ${before}`);
    await page.evaluate(() => { document.documentElement.style.fontSize = ''; });
    assert.equal(await page.getByRole('heading', { level: 2, name: expected.adult.name }).count() +
      await page.getByRole('heading', { level: 2, name: expected.child.name }).count() +
      await page.getByRole('heading', { level: 2, name: expected['long-address'].name }).count(), 1);
  });
});
