// Runs after `trunk build --release`:
// 0. ships the later screens' split modules and their loader (scripts/split-modules.mjs);
// 1. moves Trunk's inline bootstrap <script type="module"> into its own hashed file, so the
//    Content-Security-Policy can forbid inline scripts (script-src 'self' 'wasm-unsafe-eval').
//    It also refuses inline styles, which the policy forbids too (style-src 'self');
// 2. writes the service worker's precache list and build version from the files the build
//    actually produced (public/sw.js has the two lines it fills);
// 3. prints and records the gzip size of what the app ships (README "Size budget").
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { distFiles, sha } from './dist-files.mjs';
import { shipSplitModules } from './split-modules.mjs';

const dist = process.argv[2] ?? 'dist';
// 0. The split modules, before anything lists or hashes the files.
shipSplitModules(dist);

// 1. The bootstrap script.
const indexPath = join(dist, 'index.html');
let html = readFileSync(indexPath, 'utf8');
const inline = /<script type="module">([\s\S]*?)<\/script>/;
const match = html.match(inline);
if (match) {
  const body = match[1].trim() + '\n';
  const name = `boot-${sha(body)}.js`;
  writeFileSync(join(dist, name), body);
  html = html.replace(inline, `<script type="module" src="/${name}"></script>`);
  writeFileSync(indexPath, html);
} else if (!/<script type="module" src="\/boot-/.test(html)) {
  console.error('postbuild: Trunk bootstrap script not found in index.html');
  process.exit(1);
}
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(html)) {
  console.error('postbuild: an inline script is left in index.html; the CSP would block it');
  process.exit(1);
}
if (/<style[\s>]|<[^>]*\sstyle=/.test(html)) {
  console.error('postbuild: an inline style is in index.html; the CSP (style-src \'self\') would block it');
  process.exit(1);
}

// 2. The service worker's precache list: every file of the build, the worker itself excepted, and
//    the build version that names its cache. The two lines are recognised filled or not, so this
//    step can run again on a processed dist/ (the update test rewrites a copy of dist/ that way).
const files = distFiles(dist);
const precache = files.filter((f) => f !== '/sw.js' && !f.endsWith('.map') && f !== '/build-report.json').sort();
const swPath = join(dist, 'sw.js');
if (existsSync(swPath)) {
  const FILLED = '; // filled by scripts/postbuild.mjs';
  const versionLine = /^const BUILD_VERSION = .*; \/\/ filled by scripts\/postbuild\.mjs$/m;
  const precacheLine = /^const PRECACHE = .*; \/\/ filled by scripts\/postbuild\.mjs$/m;
  const sw = readFileSync(swPath, 'utf8');
  if (!versionLine.test(sw) || !precacheLine.test(sw)) {
    console.error('postbuild: sw.js lacks the BUILD_VERSION or PRECACHE line (see public/sw.js)');
    process.exit(1);
  }
  // The worker's own code counts too: a change to it alone must still name a new cache.
  const template = sw
    .replace(versionLine, 'const BUILD_VERSION = self.__BUILD_VERSION__' + FILLED)
    .replace(precacheLine, 'const PRECACHE = self.__PRECACHE__' + FILLED);
  const version = sha([template, ...precache.map((f) => f + sha(readFileSync(join(dist, f))))].join('\n'));
  writeFileSync(
    swPath,
    template
      .replace(versionLine, () => `const BUILD_VERSION = ${JSON.stringify(version)}${FILLED}`)
      .replace(precacheLine, () => `const PRECACHE = ${JSON.stringify(precache)}${FILLED}`),
  );
  console.log(`Service worker: ${precache.length} files precached, build version ${version}`);
}

// 3. Size report.
const shipped = (ext) => files.filter((f) => f.endsWith(ext)).map((f) => readFileSync(join(dist, f)));
const gz = (bufs) => bufs.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0);
const raw = (bufs) => bufs.reduce((n, b) => n + b.length, 0);
const report = {};
for (const [kind, ext] of [['wasm', '.wasm'], ['js', '.js'], ['css', '.css'], ['html', '.html']]) {
  const bufs = shipped(ext);
  report[kind] = { files: bufs.length, raw: raw(bufs), gzip: gz(bufs) };
}
report.total_gzip = report.wasm.gzip + report.js.gzip + report.css.gzip;
writeFileSync(join(dist, 'build-report.json'), JSON.stringify(report, null, 2) + '\n');
const kb = (n) => (n / 1024).toFixed(1) + ' KB';
console.log(
  `Shipped (gzip): wasm ${kb(report.wasm.gzip)}, js ${kb(report.js.gzip)}, css ${kb(report.css.gzip)}; ` +
    `total ${kb(report.total_gzip)} (budget 200 KB)`,
);
