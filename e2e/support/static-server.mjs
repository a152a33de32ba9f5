// A small static server for the release build in dist/: correct MIME types (application/wasm for
// streaming compilation), and index.html for any navigation so deep links work (as the service
// worker does offline). Trunk's dev server injects an auto-reload script, so tests never use it.
//
// With `devFhirServer` (`--dev-fhir-server URL`) it also names a development FHIR server the way a
// deployment names its own (README "Sync server"): index.html gets
// `<meta name="ssk-fhir-server" content="URL">` and the server's origin in the
// Content-Security-Policy's connect-src. The build itself names no server and allows none but HTTPS.
//
// Usage: node e2e/support/static-server.mjs [dist] [port] [--dev-fhir-server URL]
//        (listens on 127.0.0.1 only)
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

const FHIR_SERVER_META = 'ssk-fhir-server';

/**
 * index.html as a deployment naming `fhirServer` serves it: the meta the app reads at start, and
 * the server's origin added to connect-src (a policy from a meta element cannot be widened later).
 */
export function withFhirServer(html, fhirServer) {
  const origin = new URL(fhirServer).origin;
  const csp = /(<meta http-equiv="Content-Security-Policy" content="[^"]*connect-src 'self')/;
  if (!csp.test(html)) throw new Error('index.html has no connect-src to add the FHIR server to');
  const escaped = fhirServer.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return html
    .replace(csp, `$1 ${origin}`)
    .replace('</head>', `  <meta name="${FHIR_SERVER_META}" content="${escaped}">\n</head>`);
}

/**
 * Starts serving `root`; resolves to { url, port, setRoot(dir), close() }. Port 0 picks a free one.
 * `setRoot` deploys another build at the same origin (the update test); `close` refuses new
 * connections and cuts open ones, so the app is really offline (a service worker's own fetches
 * ignore Playwright's `setOffline`).
 */
export async function startStaticServer({ root = 'dist', port = 0, headers = {}, devFhirServer, compress = false } = {}) {
  let base = resolve(root);
  // With `compress`, text and wasm go out gzipped to a client that accepts it, as any web
  // server or CDN in front of a deployment sends them (the benchmarks of a first visit over a
  // slow network count the bytes a phone really downloads). Compressed once per file.
  const gzipped = new Map();
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
      let file = normalize(join(base, path));
      if (!file.startsWith(base)) {
        res.writeHead(403).end();
        return;
      }
      let info = await stat(file).catch(() => null);
      if (info?.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file).catch(() => null);
      }
      if (!info) {
        // A navigation to a client-side route gets the app shell; a missing asset is a 404.
        if (extname(path) === '' || (req.headers.accept ?? '').includes('text/html')) {
          file = join(base, 'index.html');
        } else {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
          return;
        }
      }
      let body = await readFile(file);
      if (devFhirServer && file === join(base, 'index.html')) {
        body = Buffer.from(withFhirServer(body.toString('utf8'), devFhirServer));
      }
      const encoding = {};
      if (compress && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '') && !['.png', '.ico'].includes(extname(file))) {
        const key = `${file}:${info?.mtimeMs}:${body.length}`;
        if (!gzipped.has(key)) gzipped.set(key, gzipSync(body, { level: 9 }));
        body = gzipped.get(key);
        Object.assign(encoding, { 'content-encoding': 'gzip', vary: 'accept-encoding' });
      }
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        ...encoding,
        // The service worker decides what is cached; the HTTP cache must not serve stale builds.
        'cache-control': 'no-cache',
        ...headers,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ok);
  });
  const actual = server.address().port;
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    setRoot: (dir) => {
      base = resolve(dir);
    },
    close: () =>
      new Promise((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--dev-fhir-server');
  const devFhirServer = at >= 0 ? args[at + 1] : undefined;
  if (at >= 0 && !devFhirServer) throw new Error('--dev-fhir-server needs the FHIR base URL');
  const [root = 'dist', port = '8080'] = args.filter((_, i) => at < 0 || (i !== at && i !== at + 1));
  const { url } = await startStaticServer({ root, port: Number(port), devFhirServer });
  console.log(`So Suc Khoe is running at ${url}/  (Ctrl+C to stop)`);
  if (devFhirServer) console.log(`Development FHIR server named in index.html: ${devFhirServer}`);
}
