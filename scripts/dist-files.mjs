// The files of a build folder, as the URL paths the app serves them under ('/index.html', ...).
// Shared by scripts/postbuild.mjs (the service worker's precache list) and bench/size.mjs.
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
