#!/usr/bin/env node
// Soak: a real `mxcp serve` of spec/fixtures/fuzz/project under a mixed workload for a while, with periodic
// reloads, reporting memory, handles, sessions and latency over time and flagging growth.
//   npm run build && node scripts/soak.mjs [--minutes 10] [--clients 8] [--reload-every 10] [--sample-every 10]
// Workload per client, in a loop: tools/call (SQL and TypeScript), tools/list, resources/read, prompts/get
// on a legacy-era session it keeps; every 20th round it opens a session and abandons it (never DELETEd), and
// every 50th it closes its own session and starts a new one. SIGHUP every --reload-every seconds.
// Verdict: after the first third of the run (warm-up), RSS and heap must not keep growing: growth is a
// least-squares slope over the rest above 64 MiB per hour AND a last-third median above the middle third's
// (16 MiB RSS, 8 MiB heap, 20 handles). Exit 1 on growth, on any failed request, or if the daemon dies.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    clients: { type: 'string', default: '8' },
    'reload-every': { type: 'string', default: '10' },
    'sample-every': { type: 'string', default: '10' },
  },
});
const durationMs = Number(values.minutes) * 60_000;
const root = fileURLToPath(new URL('../', import.meta.url));

const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const base = mkdtempSync(join(tmpdir(), 'mxcp-soak-'));
const project = join(base, 'project');
cpSync(join(root, 'spec/fixtures/fuzz/project'), project, { recursive: true });
// Abandoned sessions must expire: a short idle TTL makes that visible inside a 10-minute run.
mkdirSync(join(base, '.mxcp'));
writeFileSync(join(base, '.mxcp/config.yml'), 'mxcp: 1\ntransport:\n  http:\n    session_idle_timeout: 60s\n');
const child = spawn(process.execPath, [join(root, 'dist/daemon/cli/main.js'), 'serve', '--port', String(port)], {
  cwd: project,
  env: { ...process.env, HOME: base, UV_THREADPOOL_SIZE: '16' },
  stdio: ['ignore', 'ignore', 'pipe'],
});
let stderr = '';
child.stderr.setEncoding('utf8').on('data', (d) => {
  stderr = (stderr + d).slice(-100_000);
});
let died;
child.on('exit', (code, signal) => {
  died = { code, signal };
});
const url = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${url}/health`)).ok) break;
  } catch {}
  if (i > 300 || died) throw new Error(`daemon did not start: ${stderr}`);
  await new Promise((r) => setTimeout(r, 100));
}

const kHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
let latencies = [];
let requests = 0;
const failures = [];

async function rpc(session, method, params) {
  const t = performance.now();
  const headers = { ...kHeaders, 'mcp-protocol-version': '2025-06-18', ...(session ? { 'mcp-session-id': session } : {}) };
  const res = await fetch(`${url}/mcp`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ jsonrpc: '2.0', ...(method.startsWith('notifications/') ? {} : { id: 1 }), method, params }),
  });
  const text = await res.text();
  latencies.push(performance.now() - t);
  requests++;
  if (res.status !== 200 && res.status !== 202) throw new Error(`${method}: HTTP ${res.status} ${text.slice(0, 200)}`);
  if (text.includes('"error":{') || text.includes('"isError":true')) throw new Error(`${method}: ${text.slice(0, 200)}`);
  return res;
}

async function openSession() {
  const res = await rpc(undefined, 'initialize', {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'soak', version: '1' },
  });
  const id = res.headers.get('mcp-session-id');
  await rpc(id, 'notifications/initialized', {});
  return id;
}

const deadline = Date.now() + durationMs;
async function client(n) {
  let session = await openSession();
  for (let round = 1; Date.now() < deadline; round++) {
    try {
      await rpc(session, 'tools/call', { name: 'add', arguments: { a: round, b: n } });
      await rpc(session, 'tools/call', { name: 'echo', arguments: { text: `soak ${n}`, mode: 'shout' } });
      await rpc(session, 'tools/call', { name: 'notify', arguments: { steps: 1 } });
      await rpc(session, 'tools/list', {});
      await rpc(session, 'resources/read', { uri: `users://${1 + (round % 3)}` });
      await rpc(session, 'prompts/get', { name: 'greet', arguments: { name: 'soak' } });
      if (round % 20 === 0) await openSession(); // abandoned
      if (round % 50 === 0) {
        await fetch(`${url}/mcp`, { method: 'DELETE', headers: { 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' } });
        session = await openSession();
      }
    } catch (err) {
      failures.push(`${new Date().toISOString()} client ${n}: ${err.message}`);
      if (failures.length > 50) return;
      session = await openSession().catch(() => session);
    }
  }
}

async function metrics() {
  const text = await (await fetch(`${url}/metrics`)).text();
  const get = (name) => Number(new RegExp(`^${name} ([\\d.e+]+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return {
    heap: get('mxcp_process_nodejs_heap_size_used_bytes') / 2 ** 20,
    handles: get('mxcp_process_nodejs_active_handles_total'),
    sessions: get('mxcp_sessions'),
    generation: get('mxcp_generation'),
  };
}
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? Number.NaN;

const samples = [];
const t0 = Date.now();
console.log('   t(s)   rss MiB  heap MiB  handles  sessions  gen   req/s   p50 ms   p99 ms');
const sampler = setInterval(async () => {
  if (died) return;
  const m = await metrics().catch(() => undefined);
  if (!m) return;
  const lat = latencies.sort((a, b) => a - b);
  const window = Number(values['sample-every']);
  const s = { t: (Date.now() - t0) / 1000, rss: rss(), ...m, rps: requests / window, p50: pct(lat, 50), p99: pct(lat, 99) };
  latencies = [];
  requests = 0;
  samples.push(s);
  const f = (x, w, d = 1) => x.toFixed(d).padStart(w);
  console.log(
    `${f(s.t, 7, 0)} ${f(s.rss, 9)} ${f(s.heap, 9)} ${f(s.handles, 8, 0)} ${f(s.sessions, 9, 0)} ${f(s.generation, 4, 0)} ${f(s.rps, 7, 0)} ${f(s.p50, 8)} ${f(s.p99, 8)}`,
  );
}, Number(values['sample-every']) * 1000);
const reloader = setInterval(() => {
  if (!died) child.kill('SIGHUP');
}, Number(values['reload-every']) * 1000);

await Promise.all(Array.from({ length: Number(values.clients) }, (_, i) => client(i)));
clearInterval(sampler);
clearInterval(reloader);
child.kill('SIGTERM');
const exit = await new Promise((r) => (died ? r(died) : child.once('exit', (code, signal) => r({ code, signal }))));
rmSync(base, { recursive: true, force: true });

/** Least-squares slope of y over t (seconds), in units per hour. */
function slopePerHour(points, key) {
  const n = points.length;
  if (n < 3) return 0;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const my = points.reduce((a, p) => a + p[key], 0) / n;
  const num = points.reduce((a, p) => a + (p.t - mt) * (p[key] - my), 0);
  const den = points.reduce((a, p) => a + (p.t - mt) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 3600;
}
const steady = samples.slice(Math.floor(samples.length / 3));
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
/** How much the last third's median exceeds the middle third's: a slope alone is noise on a short run. */
const rise = (key) => {
  const third = Math.floor(samples.length / 3);
  return median(samples.slice(2 * third).map((s) => s[key])) - median(samples.slice(third, 2 * third).map((s) => s[key]));
};
const growth = { rss: slopePerHour(steady, 'rss'), heap: slopePerHour(steady, 'heap'), handles: slopePerHour(steady, 'handles') };
console.log(
  `\nafter warm-up (${steady.length} samples): rss ${growth.rss.toFixed(1)} MiB/h, heap ${growth.heap.toFixed(1)} MiB/h, handles ${growth.handles.toFixed(1)}/h`,
);
console.log(`failed requests: ${failures.length}${failures.length ? `\n  ${failures.slice(0, 10).join('\n  ')}` : ''}`);
console.log(`daemon exit: ${JSON.stringify(exit)}`);
const rises = { rss: rise('rss'), heap: rise('heap'), handles: rise('handles') };
console.log(
  `last third vs middle third (medians): rss ${rises.rss.toFixed(1)} MiB, heap ${rises.heap.toFixed(1)} MiB, handles ${rises.handles}`,
);
const grew = (growth.rss > 64 && rises.rss > 16) || (growth.heap > 64 && rises.heap > 8) || rises.handles > 20;
if (grew) console.log('GROWTH: memory or handles keep rising after warm-up');
process.exit(!grew && failures.length === 0 && exit.code === 0 ? 0 : 1);
