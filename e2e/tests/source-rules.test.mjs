// House rules that a compiler cannot check, read from the source:
// - every user-facing string comes from the translation tables (app/src/i18n), never a literal in
//   a view;
// - no `unwrap()` on window(), storage or user input in the app;
// - console output only through app/src/browser/console.rs (which redacts personal values), and no
//   personal field (citizen ID, name, birth date...) named in a diagnostic.
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

// ---- the console (issue 14: no personal identifier is ever written to it) ----------------------

const CONSOLE_MODULE = 'app/src/browser/console.rs';

/** Lines that write to the console other than through the redacting module. */
function directConsoleOutput(file, source) {
  const offenders = [];
  source.split('\n').forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, '');
    if (
      /\b(leptos::logging|web_sys::console|console_error_panic_hook|gloo_console)\b/.test(code) ||
      /\bconsole::(log|warn|error|info|debug|trace)/.test(code) ||
      /(?<![\w:])(log|warn|error|debug_warn|debug_log|console_debug_log)!\s*\(/.test(code)
    ) {
      offenders.push(`${file}:${i + 1}: ${line.trim()}`);
    }
  });
  return offenders;
}

/** The argument text of every `console_warn!(...)` / `console_log!(...)`, parentheses balanced. */
function diagnostics(source) {
  const found = [];
  for (const m of source.matchAll(/console_(?:warn|log)!\s*\(/g)) {
    let depth = 1;
    let i = m.index + m[0].length;
    const start = i;
    while (i < source.length && depth > 0) {
      if (source[i] === '(') depth += 1;
      if (source[i] === ')') depth -= 1;
      i += 1;
    }
    found.push(source.slice(start, i - 1));
  }
  return found;
}

// Fields and variables that hold who a person is. An error (`{e}`) may be logged: its text is
// redacted on the way out; a named personal field must not be, redaction or not.
const PERSONAL =
  /citizen_id|full_name|date_of_birth|birth|profile|\.name\b|\bname\b|phone|address|insurance|old_id|allerg|query|search/i;

/** What a diagnostic's arguments refer to: the code outside its string literals, and the names
 * interpolated inside them (`{e}`, `{book:?}`); the words of the message itself do not count. */
function referencedCode(args) {
  const interpolated = [...args.matchAll(/"(?:[^"\\]|\\.)*"/g)]
    .flatMap((lit) => [...lit[0].matchAll(/\{([^}:]*)/g)].map((m) => m[1]))
    .join(' ');
  return `${args.replace(/"(?:[^"\\]|\\.)*"/g, '""')} ${interpolated}`;
}

function personalDiagnostics(file, source) {
  return diagnostics(source)
    .filter((args) => PERSONAL.test(referencedCode(args)))
    .map((args) => `${file}: console_*!(${args.trim()})`);
}

test('the console rules catch what they are meant to catch', () => {
  // So the two rules below cannot pass by matching nothing.
  assert.equal(directConsoleOutput('x.rs', 'leptos::logging::log!("{id}");').length, 1);
  assert.equal(directConsoleOutput('x.rs', 'web_sys::console::warn_1(&v);').length, 1);
  assert.equal(directConsoleOutput('x.rs', 'use leptos::logging::*;\n    warn!("x");').length, 2);
  assert.equal(directConsoleOutput('x.rs', 'crate::console_warn!("sync: {e}");').length, 0);
  assert.equal(
    personalDiagnostics('x.rs', 'crate::console_warn!(\n  "book {}",\n  book.profile.citizen_id.as_str()\n);').length,
    1,
  );
  assert.equal(personalDiagnostics('x.rs', 'crate::console_log!("opened {}", p.full_name);').length, 1);
  assert.equal(personalDiagnostics('x.rs', 'crate::console_log!("opened {full_name}");').length, 1);
  assert.equal(personalDiagnostics('x.rs', 'crate::console_warn!("export: {e}");').length, 0);
  assert.equal(personalDiagnostics('x.rs', 'crate::console_warn!("insurance QR not made: {e}");').length, 0);
});

test('console output goes only through the redacting console module', () => {
  const offenders = appFiles
    .filter((f) => f !== CONSOLE_MODULE)
    .flatMap((f) => directConsoleOutput(f, readFileSync(f, 'utf8')));
  assert.deepEqual(offenders, []);
  // The module itself redacts everything it writes.
  const module = readFileSync(CONSOLE_MODULE, 'utf8');
  assert.match(module, /redact_personal/);
  assert.doesNotMatch(module, /leptos::logging/);
});

test('no personal field is named in a diagnostic', () => {
  const offenders = appFiles.flatMap((f) => personalDiagnostics(f, readFileSync(f, 'utf8')));
  assert.deepEqual(offenders, []);
});
