// The second FHIR R4 engine of the sync tests: sekmet-fhir from PyPI (Apache-2.0, Python, SQLite),
// written independently of the client and of the development server's engine. scripts/setup
// installs it in its own venv ($SEKMET_VENV); this module starts it on a free port of 127.0.0.1
// with a data folder of its own, seeds it with the same transaction Bundles, and stops it by PID.
//
// Nothing is added in front of it: it sends CORS headers itself (FastAPI's CORSMiddleware, any
// origin), has `Patient/$everything` (one page, `_count` and `_since` ignored), type-level
// `_history?_since=` with deletions, `_offset` paging with `next` links, and search by identifier
// and by `patient=`. Its simulator (which answers MedicationRequests by itself) is turned off.
//
// Usage: node e2e/support/sekmet-server.mjs [--port P] [--seed bundle.json]... [--token T]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const SEKMET_VENV = process.env.SEKMET_VENV ?? join(homedir(), '.cache/so-suc-khoe/venv-sekmet');
const SEKMET = join(SEKMET_VENV, 'bin/sekmet');
const READY_WITHIN_MS = 60_000;

/** A port of 127.0.0.1 nobody listens on right now. */
function freePort() {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
  });
}

async function waitReady(url, child, log) {
  const until = Date.now() + READY_WITHIN_MS;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`sekmet exited (${child.exitCode}):\n${log()}`);
    const answer = await fetch(`${url}/metadata`).catch(() => undefined);
    // 401: up, and asking for the token (metadata may be protected too).
    if (answer?.ok || answer?.status === 401) return;
    await new Promise((ok) => setTimeout(ok, 200));
  }
  throw new Error(`sekmet did not answer ${url}/metadata within ${READY_WITHIN_MS / 1000} s:\n${log()}`);
}

/**
 * Starts sekmet; resolves to { url (the FHIR base), port, engine: 'sekmet', close() }. `seed`:
 * paths of transaction Bundles POSTed once it is ready. `token`: the only bearer token it accepts.
 */
export async function startSekmetServer({ port = 0, seed = [], token } = {}) {
  const actual = port || (await freePort());
  const url = `http://127.0.0.1:${actual}/fhir`;
  const dir = mkdtempSync(join(tmpdir(), 'ssk-sekmet-'));
  const settings = [
    'host: 127.0.0.1',
    `port: ${actual}`,
    `base_url: ${url}`,
    `data_dir: ${join(dir, 'data')}`,
    'simulator: {enabled: false}',
    ...(token ? ['server_auth: {types: [bearer], tokens: [' + JSON.stringify(token) + ']}'] : []),
  ];
  writeFileSync(join(dir, 'settings.yaml'), settings.join('\n') + '\n');
  // Its relative paths (keys/) land in the temp folder too.
  const child = spawn(SEKMET, ['serve', '-c', join(dir, 'settings.yaml')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  const keep = (chunk) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const spawned = new Promise((ok, fail) => {
    child.once('spawn', ok);
    child.once('error', (err) => fail(new Error(`cannot run ${SEKMET} (run scripts/setup): ${err.message}`)));
  });
  const exited = new Promise((ok) => child.once('exit', ok));
  const close = async () => {
    if (child.exitCode === null) {
      process.kill(child.pid, 'SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await spawned;
    await waitReady(url, child, () => output.join('').slice(-4000));
    for (const path of seed) {
      const answer = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/fhir+json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: readFileSync(path),
      });
      if (!answer.ok) throw new Error(`seeding ${path}: HTTP ${answer.status} ${(await answer.text()).slice(0, 2000)}`);
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { url, port: actual, engine: 'sekmet', pid: child.pid, close };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const option = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const started = Date.now();
  const server = await startSekmetServer({
    port: Number(option('--port') ?? 0),
    seed: args.flatMap((a, i) => (args[i - 1] === '--seed' ? [a] : [])),
    token: option('--token'),
  });
  console.log(`sekmet FHIR R4 server on ${server.url} (pid ${server.pid}, ready and seeded in ${Date.now() - started} ms)`);
  const stop = () => server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
