// What the wrapper adds to the engine's data (the engine has none of it): a record of deletions
// (the repository forgets a deleted resource), `_history` with `_since` built from it, and
// `Patient/$everything` with `_since` and paging, plus the Organizations, Practitioners and
// Medications the person's records reference.
import { parseSearchRequest } from '@medplum/core';

import { EngineRepository } from './medplum-engine.mjs';
import { etagOf, instantParam, page } from './wrapper-http.mjs';

/** Patient-compartment types `$everything` returns, each searched with `patient=`. */
const COMPARTMENT = [
  'Immunization', 'ImmunizationRecommendation', 'MedicationRequest', 'Condition', 'Encounter',
  // The person's standing facts (issue 19)
  'AllergyIntolerance', 'Observation',
];
const REFERENCED = new Set(['Organization', 'Practitioner', 'Medication', 'Encounter', 'Condition']);

/** The engine's repository, remembering deletions so `_history` can report them. */
export class RepositoryWithHistory extends EngineRepository {
  constructor() {
    super();
    this.tombstones = [];
    /** Bumped by every write, so a cached listing knows it is stale. */
    this.writes = 0;
  }

  async createResource(resource) {
    this.writes++;
    return super.createResource(resource);
  }

  async deleteResource(resourceType, id) {
    await super.deleteResource(resourceType, id);
    this.writes++;
    this.tombstones.push({ resourceType, id, versionId: this.generateId(), lastUpdated: new Date().toISOString() });
  }

  /** Every version and deletion of `types` after `since` (ms), newest first. */
  changes(types, since) {
    const out = [];
    for (const type of types) {
      for (const [id, versions] of this.history.get(type) ?? []) {
        versions.forEach((resource, i) => {
          const at = Date.parse(resource.meta.lastUpdated);
          if (since === undefined || at > since) {
            out.push({ at, resource, method: i === 0 ? 'POST' : 'PUT', type, id });
          }
        });
      }
    }
    for (const t of this.tombstones) {
      const at = Date.parse(t.lastUpdated);
      if (types.includes(t.resourceType) && (since === undefined || at > since)) {
        out.push({ at, method: 'DELETE', type: t.resourceType, id: t.id });
      }
    }
    return out.sort((a, b) => b.at - a.at);
  }
}

function referencesIn(value, found = new Set()) {
  if (Array.isArray(value)) value.forEach((v) => referencesIn(v, found));
  else if (value && typeof value === 'object') {
    if (typeof value.reference === 'string') found.add(value.reference);
    Object.values(value).forEach((v) => referencesIn(v, found));
  }
  return found;
}

/** `$everything` and `_history` over `repo`, answering under `basePath`. */
export function historyAdditions(repo, basePath) {
  // The pages of one $everything come from one listing, kept until the next write (listing a
  // person's 5,000 resources again for each of 25 pages took most of a sync's time).
  let listed = { key: undefined, items: [] };
  const fullUrl = (url, type, id) => `${url.origin}${basePath}/${type}/${id}`;

  async function everythingItems(patient, since) {
    const id = patient.id;
    const found = [patient];
    for (const type of COMPARTMENT) {
      found.push(...(await repo.searchResources(parseSearchRequest(`${type}?patient=Patient/${id}`))));
    }
    const have = new Set(found.map((r) => `${r.resourceType}/${r.id}`));
    for (const reference of referencesIn(found)) {
      const [type, refId] = reference.split('/');
      if (REFERENCED.has(type) && refId && !have.has(reference)) {
        have.add(reference);
        found.push(await repo.readResource(type, refId).catch(() => undefined));
      }
    }
    return found
      .filter((r) => r && (since === undefined || Date.parse(r.meta.lastUpdated) > since))
      .sort((a, b) => (a.resourceType === 'Patient' ? -1 : 0) - (b.resourceType === 'Patient' ? -1 : 0)
        || a.resourceType.localeCompare(b.resourceType) || a.id.localeCompare(b.id));
  }

  return {
    async everything(id, url) {
      const patient = await repo.readResource('Patient', id);
      const since = instantParam(url.searchParams, '_since');
      const key = `${id} ${since} ${repo.writes}`;
      if (listed.key !== key) listed = { key, items: await everythingItems(patient, since) };
      return page('searchset', listed.items, {
        url,
        toEntry: (r) => ({ fullUrl: fullUrl(url, r.resourceType, r.id), resource: r, search: { mode: 'match' } }),
      });
    },

    history(types, url) {
      const since = instantParam(url.searchParams, '_since');
      return page('history', repo.changes(types, since), {
        url,
        toEntry: (c) => ({
          fullUrl: fullUrl(url, c.type, c.id),
          ...(c.resource ? { resource: c.resource } : {}),
          request: { method: c.method, url: c.method === 'POST' ? c.type : `${c.type}/${c.id}` },
          response: {
            status: c.method === 'POST' ? '201 Created' : c.method === 'DELETE' ? '204 No Content' : '200 OK',
            ...(c.resource ? { etag: etagOf(c.resource) } : {}),
            lastModified: new Date(c.at).toISOString(),
          },
        }),
      });
    },
  };
}
