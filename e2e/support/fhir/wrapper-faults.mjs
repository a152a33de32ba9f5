// Test-only additions of the wrapper (`faults: true`): fault injection and a log of the requests
// served. `POST /__faults` queues `{ match, method?, times?, status?, retryAfter?, delayMs?,
// reset?, addEntries?, padBytes?, redirectTo? }`, applied to the next requests whose path and
// query contain `match` (`redirectTo`: a 302 to that address; `addEntries`: resources added to the Bundle answered, as a server ignoring its own
// search filter would; `padBytes`: that many spaces after the JSON, streamed without a
// Content-Length, as an answer too large to hold); `GET /__requests`
// lists the requests served (method, URL, status, entry count, whether a token came: never the
// token). `DELETE` clears either. No FHIR server has these: tests that need them run against the
// development server only.
import { readBody, send } from './wrapper-http.mjs';

export function faultControls() {
  const queue = [];
  const requests = [];
  return {
    requests,
    /** Answers `/__faults` and `/__requests`. */
    async control(req, res, url) {
      if (url.pathname === '/__faults' && req.method === 'POST') {
        queue.push({ times: 1, ...JSON.parse(await readBody(req)) });
        return send(res, 204);
      }
      if (url.pathname === '/__faults' && req.method === 'DELETE') {
        queue.length = 0;
        return send(res, 204);
      }
      if (url.pathname === '/__requests' && req.method === 'GET') return send(res, 200, {}, requests);
      if (url.pathname === '/__requests' && req.method === 'DELETE') {
        requests.length = 0;
        return send(res, 204);
      }
      return send(res, 404);
    },
    /** The first queued fault matching this request, used up once per match. */
    take(req, url) {
      const target = url.pathname + url.search;
      const index = queue.findIndex((f) => target.includes(f.match ?? '') && (!f.method || f.method === req.method));
      if (index < 0) return undefined;
      const fault = queue[index];
      if (--fault.times <= 0) queue.splice(index, 1);
      return fault;
    },
  };
}
