// The later screens' modules (issue 17), shipped: called by scripts/postbuild.mjs after
// `trunk build --release`.
//
// scripts/wasm-split/wasm-bindgen left the split modules and their JS loader in
// <target>/wasm-bindgen/release/wasm-split/ (Trunk copies only the main module). This step
//   1. checks they come from the same cargo build as dist/ (a stale set would not link);
//   2. runs `wasm-opt -Oz` on each, as Trunk does on the main module, and names each by its
//      content, so an old main module can never load a newer screen (a missing file is an
//      error the screen shows, a mismatched one would break memory);
//   3. names the main module and its JS by content as well (Trunk's name changes with any
//      screen), writes the loader under a content name, pointing at those files and at the
//      main JS, and points the main JS's import of the loader at it;
//   4. writes the new names into index.html, with fresh integrity attributes.
// Running it again on a processed dist/ changes nothing.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sha } from './dist-files.mjs';

const LOADER = '__wasm_split.js';
const LOADER_IMPORT = /(\bfrom\s*)(['"])\.\/__wasm_split\.js\2/;
const MAIN_IMPORT = /(\bfrom\s*)(['"])\.\/so-suc-khoe\.js\2/;

function fail(message) {
  console.error(`postbuild (split modules): ${message}`);
  process.exit(1);
}

/** Ships the split modules into `dist`; returns their file names (none when already done). */
export function shipSplitModules(dist) {
  const mainJs = readdirSync(dist).find((f) => /^so-suc-khoe-[0-9a-f]+\.js$/.test(f));
  if (!mainJs) fail(`no so-suc-khoe-<hash>.js in ${dist}`);
  let js = readFileSync(join(dist, mainJs), 'utf8');
  if (!LOADER_IMPORT.test(js)) {
    // Either done already (the import names a content-named loader), or never split.
    if (js.includes('__wasm_split_placeholder__')) {
      fail('the app wasm still has unsplit imports: build through scripts/lib.sh, whose PATH puts scripts/wasm-split/wasm-bindgen first');
    }
    return [];
  }

  // 1. The split set of this very build.
  const target = process.env.CARGO_TARGET_DIR ?? 'target';
  const splitDir = join(target, 'wasm-bindgen', 'release', 'wasm-split');
  const cargoWasm = join(target, 'wasm32-unknown-unknown', 'release', 'so-suc-khoe.wasm');
  const stamp = join(splitDir, 'source.sha256');
  if (!existsSync(stamp) || !existsSync(cargoWasm)) fail(`no split modules in ${splitDir}`);
  const cargoSha = sha(readFileSync(cargoWasm), 64);
  if (readFileSync(stamp, 'utf8').trim() !== cargoSha) fail(`${splitDir} was split from another build of ${cargoWasm}`);

  // 2. Each module optimised, then named by its content.
  let loader = readFileSync(join(splitDir, LOADER), 'utf8');
  const shipped = [];
  const work = mkdtempSync(join(tmpdir(), 'ssk-split-'));
  try {
    for (const file of readdirSync(splitDir).filter((f) => f.endsWith('.wasm')).sort()) {
      const optimised = join(work, file);
      // The features the app's wasm is built with (rustc's defaults for wasm32, as bench/size.mjs).
      const run = spawnSync('wasm-opt', ['-Oz', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue', join(splitDir, file), '-o', optimised], { encoding: 'utf8' });
      // wasm-split writes a name subsection binaryen does not know (and drops): not worth a line
      // per module in every build's log. Anything else it says is shown.
      const said = (run.stderr ?? '').split('\n').filter((l) => l && !/unknown name subsection/.test(l));
      if (said.length) console.error(said.join('\n'));
      if (run.status !== 0) fail(`wasm-opt failed on ${file}: ${run.error?.message ?? `exit ${run.status}`}`);
      const bytes = readFileSync(optimised);
      const name = `${file.slice(0, -'.wasm'.length)}-${sha(bytes)}.wasm`;
      const reference = `"./${file}"`;
      if (!loader.includes(reference)) fail(`the loader does not name ${file}`);
      loader = loader.split(reference).join(`"./${name}"`);
      writeFileSync(join(dist, name), bytes);
      shipped.push(name);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  // 3. The main module named by content too. Trunk names it by cargo's wasm, which holds every
  //    screen: a change to one screen alone would rename the main module, unchanged, and every
  //    returning phone would download it again. Its JS imports the loader, and the loader it:
  //    the JS is named by what it and the loader are before they name each other.
  if (!MAIN_IMPORT.test(loader)) fail('the loader does not import ./so-suc-khoe.js');
  const mainWasm = mainJs.replace(/\.js$/, '_bg.wasm');
  const wasmBytes = readFileSync(join(dist, mainWasm));
  const newWasm = `so-suc-khoe-${sha(wasmBytes)}_bg.wasm`;
  const newJs = `so-suc-khoe-${sha(Buffer.concat([wasmBytes, Buffer.from(js), Buffer.from(loader)]))}.js`;
  loader = loader.replace(MAIN_IMPORT, (_, from, q) => `${from}${q}./${newJs}${q}`);
  const loaderName = `__wasm_split-${sha(loader)}.js`;
  writeFileSync(join(dist, loaderName), loader);
  // wasm-bindgen imports the loader once per split point: every one of them.
  js = js.replace(new RegExp(LOADER_IMPORT.source, 'g'), (_, from, q) => `${from}${q}./${loaderName}${q}`);
  rmSync(join(dist, mainJs));
  writeFileSync(join(dist, newJs), js);
  if (newWasm !== mainWasm) renameSync(join(dist, mainWasm), join(dist, newWasm));
  shipped.push(loaderName);

  // 4. index.html names the main module's new names, with their integrity.
  const indexPath = join(dist, 'index.html');
  const named = readFileSync(indexPath, 'utf8');
  if (!named.includes(`/${mainJs}`) || !named.includes(`/${mainWasm}`)) fail(`index.html does not name ${mainJs} and ${mainWasm}`);
  const html = named.split(`/${mainJs}`).join(`/${newJs}`).split(`/${mainWasm}`).join(`/${newWasm}`).replace(/<(?:link|script)\b[^>]*>/g, (tag) => {
    const ref = tag.match(/\b(?:href|src)="\/([^"]+)"/);
    const integrity = tag.match(/\bintegrity="sha(256|384|512)-[^"]+"/);
    if (!ref || !integrity || !existsSync(join(dist, ref[1]))) return tag;
    const digest = createHash(`sha${integrity[1]}`).update(readFileSync(join(dist, ref[1]))).digest('base64');
    return tag.replace(integrity[0], `integrity="sha${integrity[1]}-${digest}"`);
  });
  writeFileSync(indexPath, html);
  console.log(`Split modules: ${shipped.length - 1} modules and their loader ${loaderName}`);
  return shipped;
}
