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

/**
 * Writes the `family.json` fixture with `added` more vaccinations for each of its people into
 * `dir`; returns the file's path and the people's names (each book's heading).
 */
export function largerFamily(dir, added) {
  const bundle = JSON.parse(readFileSync(fixture('family.json'), 'utf8'));
  const people = bundle.entry.filter((e) => e.resource?.resourceType === 'Patient').map((e) => e.resource);
  for (const person of people) {
    const template = bundle.entry.find(
      (e) => e.resource?.resourceType === 'Immunization' && e.resource.patient?.reference === `Patient/${person.id}`,
    );
    for (let i = 0; i < added; i++) {
      const copy = structuredClone(template);
      const id = `larger-${person.id}-${i}`;
      copy.resource.id = id;
      copy.fullUrl = copy.fullUrl.replace(/[^/]+$/, id);
      copy.resource.identifier = (copy.resource.identifier ?? []).map((ident) => ({ ...ident, value: id }));
      copy.resource.lotNumber = `LARGER-${person.id}-${i}`;
      bundle.entry.push(copy);
    }
  }
  const path = join(dir, `family-plus-${added}.json`);
  writeFileSync(path, JSON.stringify(bundle));
  return { path, names: people.map((p) => p.name[0].text) };
}
