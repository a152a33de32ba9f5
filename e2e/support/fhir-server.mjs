// The local FHIR R4 development server, for development, the sync tests and the demo: the
// @medplum/fhir-router engine (fhir/medplum-engine.mjs) behind a wrapper that adds what 4.5.2
// lacks (fhir/wrapper.mjs: $everything, _history with deletions, paging, 304, CORS, a token,
// and test-only faults). The wrapper is not a FHIR server: the sync tests also run against an
// independently written one (sekmet-server.mjs).
//
// Usage: node e2e/support/fhir-server.mjs [--port 8103] [--seed bundle.json]... [--token T] [--faults]
import { pathToFileURL } from 'node:url';

import { people } from './fhir/medplum-engine.mjs';
import { BASE_PATH, DEFAULT_PORT, startFhirServer } from './fhir/wrapper.mjs';

export { BASE_PATH, DEFAULT_PORT, people, startFhirServer };

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
