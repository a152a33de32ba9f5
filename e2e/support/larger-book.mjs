// A much larger book of the same person as the `child.json` fixture, for the resilience tests
// that need a write taking a while (a crash in the middle of it).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { fixture } from './fixtures.mjs';

/** Writes child.json with `added` more vaccinations into `dir`; returns the file's path. */
export function largerChildBook(dir, added) {
  const bundle = JSON.parse(readFileSync(fixture('child.json'), 'utf8'));
  const template = bundle.entry.find((e) => e.resource?.resourceType === 'Immunization');
  for (let i = 0; i < added; i++) {
    const copy = structuredClone(template);
    copy.resource.id = `larger-${i}`;
    copy.fullUrl = copy.fullUrl.replace(/[^/]+$/, `larger-${i}`);
    copy.resource.identifier = copy.resource.identifier.map((id) => ({ ...id, value: `larger-${i}` }));
    copy.resource.lotNumber = `LARGER-${i}`;
    bundle.entry.push(copy);
  }
  const path = join(dir, `child-plus-${added}.json`);
  writeFileSync(path, JSON.stringify(bundle));
  return path;
}
