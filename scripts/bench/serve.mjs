// Serving benchmark, side by side in one run. Usage: npm run build && node scripts/bench/serve.mjs
//   BENCH_SECONDS=5 (per side and round), BENCH_ROUNDS=2 (sides alternate order each round),
//   BENCH_PROFILE=1 (also takes a CPU profile of mxcp serving the point lookup and prints the top self time).
//
// 1. Analytics: GROUP BY over a 1,000,000-row table with a date filter, c=8:
//      mxcp serve --stateless (DuckDB)  vs  Google's MCP Toolbox (SQLite, same rows)    target >= 50x
// 2. Overhead: point lookup on a 10,000-row table, c=32:
//      mxcp serve --stateless  vs  the engine floor (same query in-process, bare @duckdb/node-api pool)  >= 0.8x
//                              vs  a hand-written MCP SDK server (server built per request)             >= 2x
// 3. For the record: mxcp stateful sessions, mxcp over stdio, Toolbox on the point lookup, and the floor
//    behind a bare node:http server (no MCP), which separates HTTP's cost from mxcp's.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drive, fmt, kBin, kStatelessHeaders, startServe, toolCall } from './lib/load.mjs';
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

let n = 0;
const analyticsBody = () => toolCall('sales_by_region', { since: `2025-${String((n++ % 12) + 1).padStart(2, '0')}-01` });
const lookupBody = () => toolCall('lookup', { id: n++ % 10_000 });
const okText = (text) => !text.includes('"isError":true') && !text.includes('"error"');

async function viaHttp(start, body, concurrency, headers = kStatelessHeaders) {
  const side = await start();
  try {
    await drive({ url: `${side.base}/mcp`, headers, body, ok: okText, concurrency, seconds: 1 }); // warm-up
    return await drive({ url: `${side.base}/mcp`, headers, body, ok: okText, concurrency, seconds });
  } finally {
    await side.stop();
  }
}

const mxcpStateless = (extra = {}) => startServe({ cwd: project, home, args: ['--stateless'], ...extra });

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
  'analytics  mxcp': () => viaHttp(mxcpStateless, analyticsBody, 8),
  'analytics  toolbox': () => viaHttp(() => startToolbox(dir, sqlitePath), analyticsBody, 8),
  'lookup     mxcp': () => viaHttp(mxcpStateless, lookupBody, 32),
  'lookup     floor': () => engineFloor(duckPath, { concurrency: 32, seconds }),
  'lookup     http floor': () => viaHttp(() => startHttpFloor(duckPath), lookupBody, 32),
  'lookup     hand-written': () => viaHttp(() => startHandWritten(duckPath), lookupBody, 32, { 'mcp-protocol-version': '2025-06-18' }),
  'lookup     toolbox': () => viaHttp(() => startToolbox(dir, sqlitePath), lookupBody, 32),
  'lookup     mxcp stateful': () => statefulSessions(32),
  'lookup     mxcp stdio': () => stdioCalls({ kBin, cwd: project, home, seconds, concurrency: 32 }),
};

const results = Object.fromEntries(Object.keys(sides).map((k) => [k, []]));
for (let round = 0; round < rounds; round++) {
  const order = round % 2 ? Object.keys(sides).reverse() : Object.keys(sides);
  for (const name of order) {
    try {
      results[name].push(await sides[name]());
    } catch (err) {
      console.log(`  ${name}: skipped (${err.message})`);
    }
  }
}

const mean = (rs, k) => rs.reduce((a, r) => a + r[k], 0) / rs.length;
const summary = {};
console.log(`\n${seconds} s per side, ${rounds} rounds, sides alternated:`);
for (const [name, rs] of Object.entries(results)) {
  if (rs.length === 0) continue;
  summary[name] = { rps: mean(rs, 'rps'), p50: mean(rs, 'p50'), p99: mean(rs, 'p99'), errors: rs.reduce((a, r) => a + r.errors, 0) };
  console.log(`  ${name.padEnd(26)} ${fmt(summary[name])}`);
}
const ratio = (a, b) => (summary[a] && summary[b] ? `${(summary[a].rps / summary[b].rps).toFixed(2)}x` : 'n/a');
console.log('\nratios (req/s):');
console.log(`  analytics: mxcp / toolbox        ${ratio('analytics  mxcp', 'analytics  toolbox')}  (target >= 50x)`);
console.log(`  lookup:    mxcp / engine floor   ${ratio('lookup     mxcp', 'lookup     floor')}  (target >= 0.8x)`);
console.log(`  lookup:    mxcp / hand-written   ${ratio('lookup     mxcp', 'lookup     hand-written')}  (target >= 2x)`);
console.log(
  `  lookup:    mxcp / http floor     ${ratio('lookup     mxcp', 'lookup     http floor')}  (what the MCP layers cost over bare HTTP)`,
);
console.log(`  lookup:    http floor / floor    ${ratio('lookup     http floor', 'lookup     floor')}  (what HTTP itself costs here)`);
console.log(`  lookup:    mxcp / toolbox        ${ratio('lookup     mxcp', 'lookup     toolbox')}  (for the record)`);

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
  for (let i = 0; i < profile.samples.length; i++)
    dt.set(profile.samples[i], (dt.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
  let total = 0;
  for (const node of profile.nodes) {
    const us = dt.get(node.id) ?? 0;
    total += us;
    const f = node.callFrame;
    if (f.functionName === '(idle)' || f.functionName === '(program)') continue;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + us);
  }
  console.log(`\nCPU profile of mxcp serving the lookup (main thread, ${(total / 1e6).toFixed(1)} s sampled), top self time:`);
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
