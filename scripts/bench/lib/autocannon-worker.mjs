// One autocannon run in its own process (clients.mjs): reads its spec from the file named by argv[2],
// prints { requests, errors, rps, p50, p99, clientUs } as JSON on stdout.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const autocannon = createRequire(import.meta.url)(spec.entry);
const bodies = spec.bodies;
let n = 0;
let bad = 0;
const cpu0 = process.cpuUsage();
const result = await autocannon({
  url: spec.url,
  connections: spec.concurrency,
  duration: spec.seconds,
  pipelining: 1,
  timeout: 20,
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...spec.headers },
  requests: [
    {
      setupRequest: (req) => {
        req.body = bodies[n++ % bodies.length];
        return req;
      },
      onResponse: (status, body) => {
        if (status !== 200 || body.includes('"isError":true') || body.includes('"error":')) bad++;
      },
    },
  ],
});
const cpu = process.cpuUsage(cpu0);
const total = result.requests.total;
const ok = total - bad;
process.stdout.write(
  JSON.stringify({
    requests: ok,
    errors: bad + result.errors + result.timeouts,
    rps: ok / (result.duration || spec.seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    clientUs: (cpu.user + cpu.system) / Math.max(1, total),
  }),
);
