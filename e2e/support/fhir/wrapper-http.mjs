// The wrapper's HTTP plumbing (not the engine's): errors as OperationOutcomes, CORS for the app's
// origin, JSON answers, and `_offset` paging with `next` links, which the engine does not make.
export const FHIR_JSON = 'application/fhir+json; charset=utf-8';
export const DEFAULT_COUNT = 100;
const MAX_COUNT = 1000;

export class HttpError extends Error {
  constructor(status, text) {
    super(text);
    this.status = status;
  }
}

export const outcome = (code, text) => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code, details: { text } }],
});

export function etagOf(resource) {
  return resource?.meta?.versionId ? `W/"${resource.meta.versionId}"` : undefined;
}

export function intParam(query, name, fallback) {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const n = Number.parseInt(raw, 10);
  if (!Number.isFinite(n) || n < 0) throw new HttpError(400, `${name} must be a non-negative integer`);
  return n;
}

export function instantParam(query, name) {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const at = Date.parse(raw);
  if (Number.isNaN(at)) throw new HttpError(400, `${name} is not an instant: ${raw}`);
  return at;
}

/** `self`, and `next` when `offset + count` is short of `total` (`_offset` paging). */
export function pageLinks(url, { offset, count, total }) {
  const link = [{ relation: 'self', url: url.href }];
  if (offset + count < total) {
    const next = new URL(url.href);
    next.searchParams.set('_offset', String(offset + count));
    next.searchParams.set('_count', String(count));
    link.push({ relation: 'next', url: next.href });
  }
  return link;
}

/** A page of `items` as a Bundle of `type` with `self` and `next` links. */
export function page(type, items, { url, toEntry }) {
  const count = Math.min(intParam(url.searchParams, '_count', DEFAULT_COUNT), MAX_COUNT);
  const offset = intParam(url.searchParams, '_offset', 0);
  const link = pageLinks(url, { offset, count, total: items.length });
  return { resourceType: 'Bundle', type, total: items.length, link, entry: items.slice(offset, offset + count).map(toEntry) };
}

export function cors(res) {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Accept, If-None-Match, If-Match, If-None-Exist, Prefer');
  res.setHeader('Access-Control-Expose-Headers', 'ETag, Last-Modified, Location, Retry-After, Date, Content-Location');
  res.setHeader('Access-Control-Max-Age', '600');
}

export function send(res, status, headers = {}, body) {
  const text = body === undefined || status === 204 || status === 304 ? undefined : JSON.stringify(body);
  res.writeHead(status, { ...(text ? { 'Content-Type': FHIR_JSON } : {}), 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

export function readBody(req) {
  return new Promise((ok, fail) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}
