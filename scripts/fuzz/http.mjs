#!/usr/bin/env node
// Long HTTP/JSON-RPC fuzz run against a real `mxcp serve` of spec/fixtures/fuzz/project.
//   npm run build && node scripts/fuzz/http.mjs [--count 100000] [--seed 1] [--concurrency 16] [--stateless]
// Prints progress, the daemon's RSS over time, the answers by status, and every failure with the case
// index that replays it. Exits 1 on any failure, a crash, or a daemon that no longer answers a real call.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fuzzHttp } from './http-driver.mjs';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '16' },
    stateless: { type: 'boolean', default: false },
  },
});
const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'dist/daemon/cli/main.js');

const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const base = mkdtempSync(join(tmpdir(), 'mxcp-fuzz-'));
const project = join(base, 'project');
cpSync(join(root, 'spec/fixtures/fuzz/project'), project, { recursive: true });
const args = [bin, 'serve', '--port', String(port), ...(values.stateless ? ['--stateless'] : [])];
const child = spawn(process.execPath, args, {
  cwd: project,
  env: { ...process.env, HOME: base, UV_THREADPOOL_SIZE: '16' },
  stdio: ['ignore', 'ignore', 'pipe'],
});
let stderr = '';
child.stderr.setEncoding('utf8').on('data', (d) => {
  stderr = (stderr + d).slice(-200_000);
});
let exited = null;
child.on('exit', (code, signal) => {
  exited = { code, signal };
});
const url = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${url}/health`)).ok) break;
  } catch {}
  if (i > 300 || exited) throw new Error(`daemon did not start: ${stderr}`);
  await new Promise((r) => setTimeout(r, 100));
}

const rssMiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const samples = [{ t: 0, rss: rssMiB() }];
const t0 = Date.now();
const sampler = setInterval(() => {
  if (!exited) samples.push({ t: (Date.now() - t0) / 1000, rss: rssMiB() });
}, 2_000);
const result = await fuzzHttp({
  base: url,
  seed: Number(values.seed),
  count: Number(values.count),
  concurrency: Number(values.concurrency),
  onProgress: (i) => process.stdout.write(`\r${i} sent, rss ${rssMiB().toFixed(0)} MiB   `),
});
clearInterval(sampler);
const elapsed = (Date.now() - t0) / 1000;

// After the storm, the daemon must still do real work.
const call = await fetch(`${url}/mcp`, {
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': 'tools/call',
    'mcp-name': 'add',
  },
  body: JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: {
      name: 'add',
      arguments: { a: 2, b: 3 },
      _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} },
    },
  }),
}).then(
  (r) => r.text(),
  (e) => `fetch failed: ${e.message}`,
);
const alive = !exited && call.includes('"isError":false') && call.includes('5');
const rssEnd = rssMiB();
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
rmSync(base, { recursive: true, force: true });

console.log(
  `\n${result.sent} requests in ${elapsed.toFixed(1)} s (${(result.sent / elapsed).toFixed(0)}/s), seed ${values.seed}${values.stateless ? ', stateless' : ''}`,
);
console.log('answers by status:', JSON.stringify(result.byStatus));
const peak = Math.max(...samples.map((s) => s.rss));
console.log(`rss MiB: start ${samples[0].rss.toFixed(0)}, peak ${peak.toFixed(0)}, end ${rssEnd.toFixed(0)}`);
console.log(
  `rss over time: ${samples
    .filter((_, i) => i % Math.ceil(samples.length / 12) === 0)
    .map((s) => `${s.t.toFixed(0)}s:${s.rss.toFixed(0)}`)
    .join(' ')}`,
);
console.log(`daemon alive and answering a real call afterwards: ${alive}`);
if (!alive) console.log(call.slice(0, 300));
const crashes = /uncaught|unhandled|FATAL|Segmentation/i.test(stderr);
if (crashes) console.log('daemon stderr mentions an uncaught error or crash');
for (const f of result.failures.slice(0, 30)) console.log(`FAIL #${f.index} ${f.kind} ${f.method ?? ''} ${f.path ?? ''}: ${f.verdict}`);
console.log(`failures: ${result.failures.length}`);
process.exit(result.failures.length === 0 && alive && !crashes ? 0 : 1);
