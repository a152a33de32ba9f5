// The development server's HTTP wrapper around the engine (medplum-engine.mjs). It is not a FHIR
// server: everything FHIR-shaped it does not pass to the engine is its own addition, written for
// development and tests, and a real server may behave otherwise. It adds:
//
// - `GET /metadata`, a CapabilityStatement that says what the engine plus this wrapper do;
// - `GET Patient/:id/$everything` and `_history` with `_since`, deletions included
//   (wrapper-history.mjs);
// - `next` links on searches; 304 for `If-None-Match` on reads; `ETag`/`Last-Modified`/`Location`;
// - `patient=<bare id>` (4.5.2 only matches `Patient/<id>`);
// - CORS for the app's origin, an optional bearer token, and 127.0.0.1 only;
// - test-only fault injection and a request log (wrapper-faults.mjs).
import { createServer } from 'node:http';
import { getSearchParameters, getStatus, normalizeOperationOutcome } from '@medplum/core';

import { createMedplumEngine, ENGINE } from './medplum-engine.mjs';
import { historyAdditions, RepositoryWithHistory } from './wrapper-history.mjs';
import { faultControls } from './wrapper-faults.mjs';
import { cors, DEFAULT_COUNT, etagOf, FHIR_JSON, HttpError, outcome, pageLinks, readBody, send } from './wrapper-http.mjs';

export const DEFAULT_PORT = 8103;
export const BASE_PATH = '/fhir/R4';
/** The resource types this server offers (what the health book reads, and what it references). */
const TYPES = [
  'Patient', 'Immunization', 'ImmunizationRecommendation', 'MedicationRequest', 'Condition',
  'Encounter', 'Organization', 'Practitioner', 'Medication',
  // The person's standing facts (issue 19)
  'AllergyIntolerance', 'Observation',
];

/**
 * Starts the server. Resolves to { url (the FHIR base), port, repo, close() }.
 * `seed`: paths of transaction Bundles to load first. Port 0 picks a free one.
 */
export async function startFhirServer({ port = DEFAULT_PORT, seed = [], token, faults = false } = {}) {
  const engine = await createMedplumEngine({ seed, Repository: RepositoryWithHistory });
  const { repo } = engine;
  const additions = historyAdditions(repo, BASE_PATH);
  const testing = faultControls();
  const sockets = new Set();

  function capabilityStatement(url) {
    const interactions = ['read', 'vread', 'update', 'delete', 'create', 'search-type', 'history-instance', 'history-type'];
    return {
      resourceType: 'CapabilityStatement',
      status: 'active',
      date: new Date().toISOString(),
      kind: 'instance',
      software: { name: `So Suc Khoe development FHIR server (${ENGINE.name}, behind a test wrapper)`, version: ENGINE.version },
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

  /** Everything else goes to the engine; searches get `next` links, reads get ETags and 304s. */
  async function routed(req, url, rel, body) {
    const query = new URLSearchParams(url.search);
    for (const name of ['patient', 'subject']) {
      const value = query.get(name);
      if (value && !value.includes('/')) query.set(name, `Patient/${value}`);
    }
    const isSearch = req.method === 'GET' && !rel.includes('/');
    if (isSearch && !query.has('_count')) query.set('_count', String(DEFAULT_COUNT));
    const search = query.toString();
    const [result, resource] = await engine.handle({ method: req.method, url: rel + (search ? `?${search}` : ''), body, headers: req.headers });
    const status = getStatus(result);
    if (resource?.resourceType === 'Bundle' && resource.type === 'searchset') {
      const count = Number(query.get('_count'));
      const offset = Number(query.get('_offset') ?? 0);
      resource.link = pageLinks(url, { offset, count, total: resource.total ?? 0 });
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

  async function handle(req, url) {
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
    if (req.method === 'GET' && everythingMatch) return { status: 200, body: await additions.everything(everythingMatch[1], url) };
    const historyMatch = /^(?:([A-Za-z]+)\/)?_history$/.exec(rel);
    if (req.method === 'GET' && historyMatch) {
      return { status: 200, body: additions.history(historyMatch[1] ? [historyMatch[1]] : TYPES, url) };
    }
    return routed(req, url, rel, body);
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, `http://${req.headers.host ?? `127.0.0.1:${port}`}`);
    cors(res);
    if (req.method === 'OPTIONS') return send(res, 204);
    if (faults && url.pathname.startsWith('/__')) return testing.control(req, res, url);
    // Whether a token came, never the token itself.
    const auth = req.headers.authorization ? (req.headers.authorization === `Bearer ${token}` ? 'valid' : 'wrong') : 'none';
    const record = { method: req.method, url: url.pathname + url.search, at: Date.now(), auth };
    testing.requests.push(record);
    try {
      const fault = faults && url.pathname.startsWith(BASE_PATH) ? testing.take(req, url) : undefined;
      if (fault?.delayMs) await new Promise((ok) => setTimeout(ok, fault.delayMs));
      if (fault?.reset) {
        record.status = 'reset';
        req.socket.destroy();
        return;
      }
      if (fault?.redirectTo) {
        record.status = 302;
        return send(res, 302, { Location: fault.redirectTo });
      }
      if (fault?.status) {
        record.status = fault.status;
        const headers = fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
        return send(res, fault.status, headers, outcome('transient', `injected fault: HTTP ${fault.status}`));
      }
      const answer = await handle(req, url);
      record.status = answer.status;
      if (fault?.addEntries && answer.body?.resourceType === 'Bundle') {
        answer.body.entry = [...(answer.body.entry ?? []), ...fault.addEntries.map((resource) => ({ resource }))];
      }
      if (answer.body?.resourceType === 'Bundle') record.entries = answer.body.entry?.length ?? 0;
      if (fault?.padBytes) return sendPadded(res, answer, fault.padBytes);
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

/** The answer followed by `bytes` spaces, in 1 MB chunks and without a Content-Length. */
function sendPadded(res, answer, bytes) {
  res.writeHead(answer.status, { 'Content-Type': FHIR_JSON, 'Cache-Control': 'no-store', ...answer.headers });
  res.write(JSON.stringify(answer.body));
  const chunk = ' '.repeat(1024 * 1024);
  let left = bytes;
  const more = () => {
    while (left > 0) {
      const part = left >= chunk.length ? chunk : chunk.slice(0, left);
      left -= part.length;
      if (!res.write(part)) return void res.once('drain', more);
    }
    res.end();
  };
  // The client stops reading (and aborts) once it has too much: nothing more to send.
  res.on('close', () => {
    left = 0;
  });
  res.on('error', () => {});
  more();
}
