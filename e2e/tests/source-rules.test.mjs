// House rules that a compiler cannot check, read from the source:
// - every user-facing string comes from the translation tables (app/src/i18n), never a literal in
//   a view;
// - no `unwrap()` on window(), storage or user input in the app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const rustFiles = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? rustFiles(full) : full.endsWith('.rs') ? [full] : [];
  });

const appFiles = rustFiles('app/src').filter((f) => !f.includes('/i18n/'));

test('no user-facing text literal inside view! outside the translation tables', () => {
  const offenders = [];
  for (const file of appFiles) {
    const source = readFileSync(file, 'utf8');
    for (const block of source.matchAll(/view!\s*\{([\s\S]*?)\n\s*\}/g)) {
      // A text node is a string literal standing between tags: `>"Text"` or `"Text"<`.
      for (const m of block[1].matchAll(/>\s*"([^"]*\p{L}[^"]*)"|"([^"]*\p{L}[^"]*)"\s*</gu)) {
        offenders.push(`${file}: "${m[1] ?? m[2]}"`);
      }
    }
  }
  assert.deepEqual(offenders, []);
});

test('no unwrap or expect on window(), storage or input in app code', () => {
  const offenders = [];
  for (const file of appFiles) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (/window\(\)[^;]*\.(unwrap|expect)\(|local_storage\(\)[^;]*\.(unwrap|expect)\(|\.value\(\)[^;]*\.unwrap\(\)/.test(line)) {
          offenders.push(`${file}:${i + 1}: ${line.trim()}`);
        }
      });
  }
  assert.deepEqual(offenders, []);
});
