// The files of a build folder, as the URL paths the app serves them under ('/index.html', ...),
// and the content hash their names carry. Shared by scripts/postbuild.mjs (the service worker's
// precache list), scripts/split-modules.mjs and bench/size.mjs.
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export function distFiles(dist) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir)) {
      // Dot entries are not part of the build (Trunk stages the next build in dist/.stage).
      if (entry.startsWith('.')) continue;
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else files.push('/' + relative(dist, full).split('\\').join('/'));
    }
  };
  walk(dist);
  return files;
}

/** The first `n` hex digits of the SHA-256 of `buf`: what a content-named file carries. */
export const sha = (buf, n = 16) => createHash('sha256').update(buf).digest('hex').slice(0, n);
