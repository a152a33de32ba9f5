// Generated health books (FHIR Bundle files) for the tests, written by the health-book crate's
// generators: `cargo run -p health-book --example e2e_fixtures -- <dir>` (scripts/test does it).
// `expected` says what the tests should see for each book.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const FIXTURES_DIR = resolve(process.env.E2E_FIXTURES ?? 'e2e/.fixtures');

if (!existsSync(join(FIXTURES_DIR, 'expected.json'))) {
  throw new Error(
    `no fixtures in ${FIXTURES_DIR}: run cargo run -p health-book --example e2e_fixtures -- ${FIXTURES_DIR}`,
  );
}

export const expected = JSON.parse(readFileSync(join(FIXTURES_DIR, 'expected.json'), 'utf8'));

export const fixture = (name) => join(FIXTURES_DIR, name);

/** The Vietnam day the fixtures were written for: pass it as `onDay` to pages that count days. */
export const fixtureDay = expected.today;
