// Shared load harness for the serve benchmarks: start `mxcp serve` on a project, drive JSON-RPC POSTs at a
// fixed concurrency for a fixed time over keep-alive connections (undici Pool), report req/s and latency.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

const kRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const kBin = join(kRoot, 'dist/daemon/cli/main.js');

export function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts `mxcp serve --port P ...args` in `cwd` with HOME=`home`; resolves once /health answers. */
export async function startServe({ cwd, home, args = [], env = {}, nodeArgs = [] }) {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, kBin, 'serve', '--port', String(port), ...args], {
    cwd,
    env: { ...process.env, HOME: home, UV_THREADPOOL_SIZE: '16', MXCP_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-20_000);
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {}
    if (i > 600 || child.exitCode !== null) throw new Error(`serve did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    base,
    port,
    child,
    stderr: () => stderr,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

/**
 * `concurrency` workers POST `body()` to `url` for `seconds`; a response counts as ok when it is HTTP 200
 * and `ok(text)` holds. Returns { requests, errors, rps, p50, p99 } (ms).
 */
export async function drive({ url, headers = {}, body, ok = () => true, concurrency = 32, seconds = 5, onTick }) {
  const u = new URL(url);
  const pool = new Pool(u.origin, { connections: concurrency, pipelining: 1 });
  const latencies = [];
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  const h = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers };
  const worker = async () => {
    while (performance.now() < deadline) {
      const t = performance.now();
      try {
        const res = await pool.request({ path: u.pathname, method: 'POST', headers: h, body: body() });
        const text = await res.body.text();
        if (res.statusCode === 200 && ok(text)) latencies.push(performance.now() - t);
        else errors++;
      } catch {
        errors++;
      }
      onTick?.();
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
  return { requests: latencies.length, errors, rps: latencies.length / elapsed, p50: pct(0.5), p99: pct(0.99) };
}

/** A `tools/call` body for the stateless 2025-11-25 era (no session needed). */
export function toolCall(name, args) {
  return JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } });
}
export const kStatelessHeaders = { 'mcp-protocol-version': '2025-11-25' };

export const fmt = (r) =>
  `${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms  errors ${r.errors}`;

/**
 * CPU (user + system, µs) a process has used so far, split into its main thread and all other threads
 * (libuv's pool running DuckDB statements, DuckDB's own threads, V8's GC and compiler threads).
 */
export function processCpu(pid = process.pid) {
  const out = { main: 0, other: 0 };
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended between the listing and the read
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const us = ((Number(fields[11]) + Number(fields[12])) / 100) * 1e6; // utime + stime, in clock ticks of 1/100 s
    if (tid === String(pid)) out.main += us;
    else out.other += us;
  }
  return out;
}
