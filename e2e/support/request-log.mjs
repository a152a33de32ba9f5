// The requests the page made to a FHIR server, as the browser saw them: for an engine with no
// request log of its own (sekmet), so a test can say which path of the client ran. Same shape as
// the development server's `GET /__requests`: { method, url (path and query), at, status, auth
// ('valid' | 'wrong' | 'none', never the token), entries (of a Bundle answer) }.
export class BrowserRequestLog {
  constructor(page, baseUrl, token = () => undefined) {
    this.origin = new URL(baseUrl).origin;
    this.records = [];
    this.pending = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin !== this.origin) return;
      const record = { method: request.method(), url: url.pathname + url.search, at: Date.now() };
      this.records.push(record);
      this.pending.push(
        request.allHeaders().then(
          (headers) => {
            const sent = headers.authorization;
            record.auth = sent ? (sent === `Bearer ${token()}` ? 'valid' : 'wrong') : 'none';
          },
          // The page closed before the headers could be read (the suite's end): no record of it.
          () => {},
        ),
      );
      this.pending.push(
        request.response().then(
          async (response) => {
            if (!response) return;
            record.status = response.status();
            if (record.method !== 'GET' || record.status !== 200) return;
            const body = await response.json().catch(() => undefined);
            if (body?.resourceType === 'Bundle') record.entries = body.entry?.length ?? 0;
          },
          () => {},
        ),
      );
    });
  }

  async requests() {
    // Bounded: Playwright never settles `response()` for some requests (a CORS preflight, one
    // the page abandoned on navigation), and an unbounded wait hung the whole suite. A record
    // whose answer did not come in time simply has no status, so an assertion on it fails.
    const settled = (p) => Promise.race([p, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    await Promise.all(this.pending.map(settled));
    this.pending.length = 0;
    return this.records.map((r) => ({ ...r }));
  }

  clear() {
    this.records.length = 0;
  }
}
