// Serving benchmark, side by side in one run. Usage: npm run build && node scripts/bench/serve.mjs
//   BENCH_SECONDS=5 (per side and round), BENCH_ROUNDS=2 (sides alternate order each round),
//   BENCH_CLIENTS=autocannon,wrk (load generators for the HTTP sides; wrk is Debian's package, installed
//   when missing and running as root), BENCH_SIDES=REGEX (only the sides whose name matches),
//   BENCH_PROFILE=1 (also a V8 CPU profile of mxcp serving the lookup).
//
// 1. Analytics: GROUP BY over a 1,000,000-row table with a date filter, c=8:
//      mxcp serve --stateless (DuckDB)  vs  Google's MCP Toolbox (SQLite, same rows)    target >= 50x
// 2. Overhead: point lookup on a 10,000-row table, c=32:
//      mxcp serve --stateless  vs  the engine floor (same query in-process, bare @duckdb/node-api pool)  >= 0.8x
//                              vs  a hand-written MCP SDK server (server built per request)             >= 2x
// 3. For the record: mxcp stateful sessions, mxcp over stdio, Toolbox on the point lookup, the floor
//    behind a bare node:http server (no MCP: separates HTTP's cost from mxcp's), and the floor reading
//    results the way mxcp does (synchronously: the best in-process use of the binding).
//
// Every HTTP side is loaded by each client in its own process, and each side's CPU per request is read
// from /proc: on this 2-core machine the load generator's CPU is taken from the server under test, and the
// in-process floor pays none, so the req/s ratios depend on how cheap the client is (autocannon ~120 µs of
// CPU per request, wrk ~25 µs); CPU per request does not.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { autocannonLoad, wrkBinary, wrkLoad } from './lib/clients.mjs';
import { drive, kBin, kStatelessHeaders, processCpu, startServe, toolCall } from './lib/load.mjs';
import {
  engineFloor,
  kAnalyticsSql,
  kLookupSql,
  makeData,
  startHandWritten,
  startHttpFloor,
  startToolbox,
  stdioCalls,
} from './lib/serve-sides.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const dir = mkdtempSync(join(tmpdir(), 'mxcp-bench-serve-'));
const home = join(dir, 'home');
mkdirSync(home);

console.log('preparing 1,000,000 sales rows and 10,000 items in DuckDB and SQLite ...');
const { duckPath, sqlitePath } = await makeData(dir);

const project = join(dir, 'project');
mkdirSync(join(project, 'tools'), { recursive: true });
writeFileSync(
  join(project, 'mxcp-site.yml'),
  `mxcp: 1\nproject: bench\nprofile: dev\nprofiles:\n  dev:\n    duckdb:\n      path: ${duckPath}\n      readonly: true\n`,
);
writeFileSync(
  join(project, 'tools/sales_by_region.yml'),
  `mxcp: 1\ntool:\n  name: sales_by_region\n  description: Orders and revenue per region since a day\n  parameters:\n    - {name: since, type: string, format: date, description: first day}\n  return: {type: array}\n  source:\n    code: "${kAnalyticsSql}"\n`,
);
writeFileSync(
  join(project, 'tools/lookup.yml'),
  `mxcp: 1\ntool:\n  name: lookup\n  description: One item by id\n  parameters:\n    - {name: id, type: integer, description: the id}\n  return: {type: object}\n  source:\n    code: "${kLookupSql}"\n`,
);

const analyticsBodies = Array.from({ length: 12 }, (_, m) =>
  toolCall('sales_by_region', { since: `2025-${String(m + 1).padStart(2, '0')}-01` }),
);
const lookupBodies = Array.from({ length: 1000 }, (_, i) => toolCall('lookup', { id: (i * 7919) % 10_000 }));
let n = 0;
const lookupBody = () => toolCall('lookup', { id: n++ % 10_000 });
const okText = (text) => !text.includes('"isError":true') && !text.includes('"error"');

const wrk = wrkBinary();
const loaders = {
  autocannon: autocannonLoad,
  ...(wrk ? { wrk: (options) => wrkLoad({ ...options, wrk }) } : {}),
};
const clients = (process.env.BENCH_CLIENTS ?? 'autocannon,wrk').split(',').filter((c) => loaders[c]);
if (!wrk) console.log('wrk is not available (not root, or apt-get failed): autocannon only');

/** An HTTP side under one client: warm-up, then a measured run with the server's CPU per request. */
async function viaHttp(start, bodies, concurrency, client, headers = kStatelessHeaders) {
  const side = await start();
  if (!side) return undefined;
  try {
    const load = loaders[client];
    const url = `${side.base}/mcp`;
    await load({ url, headers, bodies, concurrency, seconds: 1 });
    const before = processCpu(side.pid);
    const r = await load({ url, headers, bodies, concurrency, seconds });
    const after = processCpu(side.pid);
    const count = Math.max(1, r.requests + r.errors);
    return { ...r, serverUs: (after.main + after.other - before.main - before.other) / count, mainUs: (after.main - before.main) / count };
  } finally {
    await side.stop();
  }
}

const mxcpStateless = async (extra = {}) => {
  const serve = await startServe({ cwd: project, home, args: ['--stateless'], ...extra });
  return { ...serve, pid: serve.child.pid };
};

/** Stateful: each of `concurrency` clients opens a session and calls on it (one connection each). */
async function statefulSessions(concurrency) {
  const serve = await startServe({ cwd: project, home });
  try {
    const sessions = [];
    for (let i = 0; i < concurrency; i++) {
      const res = await fetch(`${serve.base}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 0,
          method: 'initialize',
          params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'b', version: '1' } },
        }),
      });
      await res.text();
      sessions.push({ 'mcp-session-id': res.headers.get('mcp-session-id'), 'mcp-protocol-version': '2025-06-18' });
    }
    const parts = await Promise.all(
      sessions.map((headers) => drive({ url: `${serve.base}/mcp`, headers, body: lookupBody, ok: okText, concurrency: 1, seconds })),
    );
    return {
      requests: parts.reduce((a, r) => a + r.requests, 0),
      errors: parts.reduce((a, r) => a + r.errors, 0),
      rps: parts.reduce((a, r) => a + r.rps, 0),
      p50: parts.reduce((a, r) => a + r.p50, 0) / parts.length,
      p99: Math.max(...parts.map((r) => r.p99)),
    };
  } finally {
    await serve.stop();
  }
}

const sides = {
  'lookup     floor': () => engineFloor(duckPath, { concurrency: 32, seconds }),
  'lookup     floor, sync reads': () => engineFloor(duckPath, { concurrency: 32, seconds, syncReads: true }),
  'lookup     mxcp stateful': () => statefulSessions(32),
  'lookup     mxcp stdio': () => stdioCalls({ kBin, cwd: project, home, seconds, concurrency: 32 }),
};
for (const client of clients) {
  const c = `[${client}]`;
  Object.assign(sides, {
    [`analytics  mxcp ${c}`]: () => viaHttp(mxcpStateless, analyticsBodies, 8, client),
    [`analytics  toolbox ${c}`]: () => viaHttp(() => startToolbox(dir, sqlitePath), analyticsBodies, 8, client),
    [`lookup     mxcp ${c}`]: () => viaHttp(mxcpStateless, lookupBodies, 32, client),
    [`lookup     http floor ${c}`]: () => viaHttp(() => startHttpFloor(duckPath), lookupBodies, 32, client),
    [`lookup     hand-written ${c}`]: () =>
      viaHttp(() => startHandWritten(duckPath), lookupBodies, 32, client, { 'mcp-protocol-version': '2025-06-18' }),
    [`lookup     toolbox ${c}`]: () => viaHttp(() => startToolbox(dir, sqlitePath), lookupBodies, 32, client),
  });
}

if (process.env.BENCH_SIDES) {
  const only = new RegExp(process.env.BENCH_SIDES);
  for (const name of Object.keys(sides)) if (!only.test(name)) delete sides[name];
}
const results = Object.fromEntries(Object.keys(sides).map((k) => [k, []]));
for (let round = 0; round < rounds; round++) {
  const order = round % 2 ? Object.keys(sides).reverse() : Object.keys(sides);
  for (const name of order) {
    try {
      const r = await sides[name]();
      if (r) results[name].push({ ...r, round });
      else console.log(`  ${name}: skipped (not available here)`);
    } catch (err) {
      console.log(`  ${name}: skipped (${err.message})`);
    }
  }
}

const mean = (rs, k) => (rs.every((r) => r[k] !== undefined) ? rs.reduce((a, r) => a + r[k], 0) / rs.length : undefined);
const num = (v, digits = 0, width = 6) => (v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(digits)).padStart(width);
const summary = {};
console.log(`\n${seconds} s per side, ${rounds} rounds, sides alternated; CPU in µs per request (server: the whole process)`);
console.log(`  ${'side'.padEnd(36)}  req/s  p50 ms  p99 ms  errors  server CPU  (main thread)  client CPU`);
for (const [name, rs] of Object.entries(results)) {
  if (rs.length === 0) continue;
  const m = (k) => mean(rs, k);
  summary[name] = { rps: m('rps'), p50: m('p50'), p99: m('p99'), errors: rs.reduce((a, r) => a + r.errors, 0), serverUs: m('serverUs') };
  console.log(
    `  ${name.padEnd(36)} ${num(m('rps'))}  ${num(m('p50'), 1)}  ${num(m('p99'), 1)}  ${num(summary[name].errors, 0)}  ${num(m('serverUs'), 0, 10)}  ${num(m('mainUs'), 0, 13)}  ${num(m('clientUs'), 0, 10)}`,
  );
}
/**
 * a / b per round (the two sides ran minutes apart at most, so a drift of the shared machine's speed
 * cancels out), as the median over rounds with the range; `key` is rps, or serverUs for CPU per request.
 */
const ratio = (a, b, key = 'rps') => {
  const perRound = [];
  for (const x of results[a] ?? []) {
    const y = (results[b] ?? []).find((r) => r.round === x.round);
    if (y && x[key] !== undefined && y[key] !== undefined && y[key] > 0) perRound.push(x[key] / y[key]);
  }
  if (perRound.length === 0) return 'n/a';
  perRound.sort((p, q) => p - q);
  const mid = perRound.length >> 1;
  const median = perRound.length % 2 ? perRound[mid] : (perRound[mid - 1] + perRound[mid]) / 2;
  const range = perRound.length > 1 ? ` (${perRound[0].toFixed(2)}-${perRound.at(-1).toFixed(2)})` : '';
  return `${median.toFixed(2)}x${range}`.padEnd(19);
};
for (const client of clients) {
  const c = ` [${client}]`;
  console.log(`\nratios of req/s, median over rounds (range), HTTP sides loaded by ${client}:`);
  console.log(`  analytics: mxcp / toolbox             ${ratio(`analytics  mxcp${c}`, `analytics  toolbox${c}`)}  (target >= 50x)`);
  console.log(`  lookup:    mxcp / engine floor        ${ratio(`lookup     mxcp${c}`, 'lookup     floor')}  (target >= 0.8x)`);
  console.log(`  lookup:    mxcp / hand-written        ${ratio(`lookup     mxcp${c}`, `lookup     hand-written${c}`)}  (target >= 2x)`);
  console.log(
    `  lookup:    mxcp / http floor          ${ratio(`lookup     mxcp${c}`, `lookup     http floor${c}`)}  (what the MCP layers cost over bare HTTP)`,
  );
  console.log(
    `  lookup:    http floor / floor         ${ratio(`lookup     http floor${c}`, 'lookup     floor')}  (what HTTP and this client cost here)`,
  );
  console.log(
    `  lookup:    mxcp / floor, sync reads   ${ratio(`lookup     mxcp${c}`, 'lookup     floor, sync reads')}  (against the best in-process use)`,
  );
  console.log(`  lookup:    mxcp / toolbox             ${ratio(`lookup     mxcp${c}`, `lookup     toolbox${c}`)}  (for the record)`);
}
const mxcpLookup = clients.map((c) => `lookup     mxcp [${c}]`).find((k) => summary[k]);
if (mxcpLookup) {
  console.log('\nCPU per request, inverted (how many requests one core-second serves, relative; client-independent):');
  console.log(
    `  lookup:    engine floor / mxcp        ${ratio('lookup     floor', mxcpLookup, 'serverUs')}  (mxcp's efficiency against the floor)`,
  );
  const hand = clients.map((c) => `lookup     hand-written [${c}]`).find((k) => summary[k]);
  if (hand) console.log(`  lookup:    hand-written / mxcp        ${ratio(hand, mxcpLookup, 'serverUs')}`);
}

if (process.env.BENCH_PROFILE === '1') {
  const profDir = join(dir, 'profile');
  mkdirSync(profDir);
  const serve = await mxcpStateless({ nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`] });
  await drive({ url: `${serve.base}/mcp`, headers: kStatelessHeaders, body: lookupBody, ok: okText, concurrency: 32, seconds });
  await serve.stop();
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  const profile = JSON.parse(readFileSync(join(profDir, file), 'utf8'));
  const self = new Map();
  const dt = new Map();
  // Counted samples, not timeDeltas (wall time). Even so, read this as where the main thread is when it
  // gets a core, not as CPU: on 2 cores shared with DuckDB's threads and the client, the thread is often
  // descheduled right after a native call wakes a libuv thread (the binding's `run`), and V8 takes the
  // pending sample there. For CPU by function use perf (docs/performance.md).
  for (const id of profile.samples) dt.set(id, (dt.get(id) ?? 0) + 1);
  let total = 0;
  for (const node of profile.nodes) {
    const us = dt.get(node.id) ?? 0;
    total += us;
    const f = node.callFrame;
    if (f.functionName === '(idle)' || f.functionName === '(program)') continue;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + us);
  }
  console.log(`\nCPU profile of mxcp serving the lookup (main thread, ${total} samples), top self time:`);
  for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20))
    console.log(`  ${((us / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
  // Where the main thread's time goes, by owner.
  const owners = new Map();
  for (const [k, us] of self) {
    const owner = k.includes('@duckdb/')
      ? 'DuckDB binding'
      : k.includes(' dist/')
        ? 'mxcp (dist/)'
        : k.includes('node_modules/')
          ? 'other npm packages'
          : 'Node.js (http, streams, GC, module loading)';
    owners.set(owner, (owners.get(owner) ?? 0) + us);
  }
  console.log('by owner:');
  for (const [o, us] of [...owners].sort((a, b) => b[1] - a[1])) console.log(`  ${((us / total) * 100).toFixed(1).padStart(5)}%  ${o}`);
}
rmSync(dir, { recursive: true, force: true });
