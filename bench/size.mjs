// Size report (issue 17): what a phone downloads, and where the wasm's bytes come from.
//
//   node bench/size.mjs [dist] [--attribute <cargo .wasm>]... [--previous <older dist>] [--json <file>]
//
// 1. Every shipped file of dist/ with its raw, gzip (level 9) and brotli (quality 11) size.
// 2. The critical path: index.html and what it loads before the first screen can be used (its
//    scripts, stylesheets and preloads, and the files those scripts name). Manifest and icons load
//    beside it without blocking; the worker modules load only on first use.
// 3. The total: every file the service worker precaches, plus sw.js itself.
// 5. With --previous (the dist/ of the version a phone already has): what that phone downloads to
//    update, i.e. the files whose bytes changed or are new (the service worker revalidates the
//    rest and gets a 304 for each), and what stays in its cache.
// 4. With --attribute (cargo's wasm of a bin, which keeps the function names): the same wasm-bindgen
//    and `wasm-opt -Oz` steps as the release build, with names kept, then twiggy's top functions,
//    bytes per crate, the dominator tree and the largest data segments. Release dist/ wasm has no
//    names, so attribution needs cargo's own output (Trunk leaves it in the target dir).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, posix } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

import { distFiles } from '../scripts/dist-files.mjs';

const args = process.argv.slice(2);
let dist = 'dist';
const attribute = [];
let jsonOut = null;
let previous = null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--attribute') attribute.push(args[++i]);
  else if (args[i] === '--previous') previous = args[++i];
  else if (args[i] === '--json') jsonOut = args[++i];
  else dist = args[i];
}

const gzip = (buf) => gzipSync(buf, { level: 9 }).length;
const brotli = (buf) =>
  brotliCompressSync(buf, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: buf.length },
  }).length;
const kb = (n) => (n / 1024).toFixed(1);

// --- 1. Every shipped file.
const files = distFiles(dist);
// Build artefacts that never leave the server.
const shipped = files.filter((f) => f !== '/build-report.json' && !f.endsWith('.map')).sort();
const sizes = new Map(
  shipped.map((f) => {
    const buf = readFileSync(join(dist, f));
    return [f, { file: f, raw: buf.length, gzip: gzip(buf), brotli: brotli(buf) }];
  }),
);

// --- 2. The critical path, followed from index.html.
const critical = new Set(['/index.html']);
const html = readFileSync(join(dist, 'index.html'), 'utf8');
for (const tag of html.match(/<(?:script|link)\b[^>]*>/g) ?? []) {
  // The manifest and icons do not hold up the first screen.
  if (/rel="(?:manifest|icon|apple-touch-icon)"/.test(tag)) continue;
  const ref = tag.match(/\b(?:src|href)="([^"]+)"/);
  if (ref && sizes.has(ref[1])) critical.add(ref[1]);
}
// Scripts name what they load in turn (Trunk's bootstrap names the app's JS and wasm).
for (let grew = true; grew; ) {
  grew = false;
  for (const f of [...critical].filter((f) => f.endsWith('.js'))) {
    const js = readFileSync(join(dist, f), 'utf8');
    const named = [...js.matchAll(/['"](\/[^'"\s]+\.(?:js|wasm|css))['"]/g)].map((m) => m[1]);
    // Static imports by a relative path (the main JS imports the split modules' loader); the
    // loader's own `new URL("./split_….wasm")` are fetched on first use, not followed here.
    for (const m of js.matchAll(/\b(?:from|import)\s*['"](\.\/[^'"\s]+\.js)['"]/g)) named.push(posix.join(posix.dirname(f), m[1]));
    for (const ref of named) {
      if (sizes.has(ref) && !critical.has(ref)) {
        critical.add(ref);
        grew = true;
      }
    }
  }
}
const sum = (list) =>
  list.reduce((t, f) => ({ raw: t.raw + f.raw, gzip: t.gzip + f.gzip, brotli: t.brotli + f.brotli }), {
    raw: 0,
    gzip: 0,
    brotli: 0,
  });
const all = [...sizes.values()];
const criticalTotal = sum(all.filter((f) => critical.has(f.file)));
const total = sum(all);

console.log(`Size of ${dist}/ (KB; gzip level 9, brotli quality 11)`);
console.log('| file | critical path | raw | gzip | brotli |');
console.log('| --- | --- | --- | --- | --- |');
for (const f of [...all].sort((a, b) => b.gzip - a.gzip)) {
  console.log(`| ${f.file} | ${critical.has(f.file) ? 'yes' : ''} | ${kb(f.raw)} | ${kb(f.gzip)} | ${kb(f.brotli)} |`);
}
console.log(`| **critical path** (${critical.size} files) | | ${kb(criticalTotal.raw)} | ${kb(criticalTotal.gzip)} | ${kb(criticalTotal.brotli)} |`);
// The later screens' modules (issue 17): fetched the first time their screen opens.
const laterFiles = all.filter((f) => /^\/(?:split|chunk)_[^/]*\.wasm$/.test(f.file));
const later = sum(laterFiles);
console.log(`| later screens' modules (${laterFiles.length} files, on first use) | | ${kb(later.raw)} | ${kb(later.gzip)} | ${kb(later.brotli)} |`);
console.log(`| **total** (${all.length} files) | | ${kb(total.raw)} | ${kb(total.gzip)} | ${kb(total.brotli)} |`);
console.log(`BENCH size critical_gzip_kb=${kb(criticalTotal.gzip)} total_gzip_kb=${kb(total.gzip)} critical_brotli_kb=${kb(criticalTotal.brotli)} total_brotli_kb=${kb(total.brotli)} later_gzip_kb=${kb(later.gzip)}`);

// --- 5. An update from an older build.
let update = null;
if (previous) {
  const same = (f) => {
    try {
      return readFileSync(join(previous, f)).equals(readFileSync(join(dist, f)));
    } catch {
      return false;
    }
  };
  const changed = all.filter((f) => !same(f.file));
  const kept = all.filter((f) => same(f.file));
  update = { previous, changed: sum(changed), kept: sum(kept), files: changed.map((f) => f.file) };
  console.log(`\nUpdate from ${previous}: ${changed.length} files downloaded, ${kept.length} kept in the cache`);
  for (const f of changed) console.log(`  ${f.file}: ${kb(f.gzip)} KB gzip, ${kb(f.brotli)} KB brotli`);
  console.log(`BENCH size update_gzip_kb=${kb(update.changed.gzip)} update_brotli_kb=${kb(update.changed.brotli)} kept_gzip_kb=${kb(update.kept.gzip)}`);
}

// --- 4. Attribution.
const sections = (buf) => {
  let p = 8;
  const leb = () => {
    let r = 0;
    let s = 0;
    let x;
    do {
      x = buf[p++];
      r += (x & 0x7f) * 2 ** s;
      s += 7;
    } while (x & 0x80);
    return r;
  };
  const names = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount'];
  const out = [];
  const segments = [];
  while (p < buf.length) {
    const id = buf[p++];
    const len = leb();
    const start = p;
    let name = names[id];
    if (id === 0) {
      const l = leb();
      name = 'custom:' + buf.subarray(p, p + l).toString();
    }
    if (id === 11) {
      const n = leb();
      for (let i = 0; i < n; i++) {
        // Active segments of memory 0 with an i32.const offset: all that rustc emits.
        if (leb() !== 0) break;
        p++;
        const offset = leb();
        p++;
        const l = leb();
        segments.push({ offset, raw: l, gzip: gzip(buf.subarray(p, p + l)) });
        p += l;
      }
    }
    out.push({ name, raw: len, gzip: gzip(buf.subarray(start, start + len)) });
    p = start + len;
  }
  return { sections: out, segments };
};

// The crate a symbol belongs to: `<impl Trait for crate::Type>` and `<crate::Type as Trait>` go to
// the type's crate (that is where the generic was instantiated from).
const crateOf = (name) => {
  const m = name.match(/^<+(?:impl [^ ]+ for )?&?(?:mut )?(?:dyn )?([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::/);
  if (m) return m[1];
  const m2 = name.match(/^([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::/);
  if (m2) return m2[1];
  if (/^<F as leptos_router|^<Match as leptos_router|^<T as leptos_router/.test(name)) return 'leptos_router';
  if (/^<T as tachys/.test(name)) return 'tachys';
  if (/^<T as reactive_graph/.test(name)) return 'reactive_graph';
  if (name.startsWith('data segment')) return '(data)';
  if (name.startsWith('export ') || name.startsWith('import ')) return '(imports/exports)';
  return '(other)';
};

const report = { dist, files: all, critical: [...critical].sort(), critical_total: criticalTotal, later, total, update, attribution: [] };
for (const wasm of attribute) {
  const tmp = mkdtempSync(join(tmpdir(), 'ssk-size-'));
  try {
    const stem = basename(wasm, '.wasm');
    // The app's wasm is split as in the release build (scripts/wasm-split/wasm-bindgen, on PATH
    // through scripts/lib.sh): what is attributed is the main part, the one on the critical path.
    const args = ['--target=web', '--keep-debug', `--out-dir=${tmp}`];
    if (stem === 'so-suc-khoe') args.push('--out-name=so-suc-khoe');
    execFileSync('wasm-bindgen', [...args, wasm], { stdio: 'inherit' });
    const bound = join(tmp, `${stem}_bg.wasm`);
    const named = join(tmp, `${stem}.named.wasm`);
    // Same optimisation as the release build (index.html: data-wasm-opt="z"), names kept.
    execFileSync('wasm-opt', ['-Oz', '--debuginfo', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals', bound, '-o', named], { stdio: 'inherit' });
    const buf = readFileSync(named);
    const { sections: secs, segments } = sections(buf);
    const csv = execFileSync('twiggy', ['top', '-n', '1000000', '-f', 'csv', named], { maxBuffer: 1 << 28 }).toString();
    const rows = csv
      .split('\n')
      .slice(1)
      .map((r) => r.match(/^(.*),(\d+),([\d.]+),([\d.]*),([\d.]*)$/))
      .filter(Boolean)
      .map((m) => ({ name: m[1].replace(/^"|"$/g, '').replace(/""/g, '"'), bytes: Number(m[2]) }))
      .filter((r) => !/subsection|^custom section/.test(r.name));
    const byCrate = new Map();
    for (const r of rows) byCrate.set(crateOf(r.name), (byCrate.get(crateOf(r.name)) ?? 0) + r.bytes);
    const crates = [...byCrate].sort((a, b) => b[1] - a[1]).map(([crate, bytes]) => ({ crate, bytes }));
    const top = rows.sort((a, b) => b.bytes - a.bytes).slice(0, 30);
    const dominators = execFileSync('twiggy', ['dominators', '-d', '2', '-r', '40', named], { maxBuffer: 1 << 26 }).toString();
    const bigSegments = segments.sort((a, b) => b.gzip - a.gzip).slice(0, 8);

    console.log(`\nAttribution of ${stem} (wasm-bindgen + wasm-opt -Oz, names kept; name section not counted)`);
    console.log('| section | raw KB | gzip KB |');
    console.log('| --- | --- | --- |');
    for (const s of secs.filter((s) => s.name !== 'custom:name')) console.log(`| ${s.name} | ${kb(s.raw)} | ${kb(s.gzip)} |`);
    console.log('\nLargest data segments (tables do not compress; look them up in a link map by offset)');
    for (const s of bigSegments) console.log(`  offset ${s.offset}: ${kb(s.raw)} KB raw, ${kb(s.gzip)} KB gzip`);
    console.log('\nCode and data by crate (raw bytes, twiggy top)');
    for (const c of crates.slice(0, 25)) console.log(`  ${String(c.bytes).padStart(9)}  ${c.crate}`);
    console.log('\nTop functions (raw bytes)');
    for (const r of top) console.log(`  ${String(r.bytes).padStart(9)}  ${r.name.slice(0, 140)}`);
    console.log('\nDominators (retained bytes, depth 2)');
    console.log(dominators.split('\n').slice(0, 45).map((l) => l.slice(0, 160)).join('\n'));
    report.attribution.push({ wasm, sections: secs, segments: bigSegments, crates, top });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(report, null, 2) + '\n');
