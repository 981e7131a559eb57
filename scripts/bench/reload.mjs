#!/usr/bin/env node
// Reload benchmark: serve throughput and latency steady vs with a SIGHUP every second (sides alternated, one
// run, ratio), cold start to ready, and drain time. Usage: npm run build && node scripts/bench/reload.mjs
// [seconds per side, default 6]. Target (issue 5): p99 during reloads <= 2x steady, zero errors.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drive, fmt, freePort, kBin, kStatelessHeaders, startServe, toolCall } from './lib/load.mjs';

const seconds = Number(process.argv[2] ?? 6);
const root = fileURLToPath(new URL('../../', import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'mxcp-bench-reload-'));
const project = join(base, 'project');
const home = join(base, 'home');
mkdirSync(home);
cpSync(join(root, 'spec/fixtures/fuzz/project'), project, { recursive: true });
writeFileSync(
  join(project, 'tools/lookup.yml'),
  'mxcp: 1\ntool:\n  name: lookup\n  parameters:\n    - {name: id, type: integer}\n  return: {type: object}\n  source:\n    code: "SELECT $id AS id, \'name-\' || $id AS name"\n',
);

// Cold start: spawn to /ready answering 200 (the whole first generation: config, DuckDB, TS worker pool).
const starts = [];
for (let i = 0; i < 3; i++) {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [kBin, 'serve', '--port', String(port), '--stateless'], {
    cwd: project,
    env: { ...process.env, HOME: home, UV_THREADPOOL_SIZE: '16' },
    stdio: 'ignore',
  });
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  starts.push(performance.now() - t0);
  // Drain time of an idle daemon: SIGTERM to exit.
  const t1 = performance.now();
  await new Promise((r) => {
    child.once('exit', r);
    child.kill('SIGTERM');
  });
  starts[i] = { ready: starts[i], drain: performance.now() - t1 };
}

const serve = await startServe({ cwd: project, home, args: ['--stateless'] });
let n = 0;
const body = () => toolCall('lookup', { id: n++ % 10_000 });
const url = `${serve.base}/mcp`;
await drive({ url, headers: kStatelessHeaders, body, seconds: 1 }); // warm-up
const sides = { steady: [], reloading: [] };
for (let round = 0; round < 2; round++) {
  for (const side of round % 2 ? ['reloading', 'steady'] : ['steady', 'reloading']) {
    const timer = side === 'reloading' ? setInterval(() => serve.child.kill('SIGHUP'), 1000) : undefined;
    sides[side].push(await drive({ url, headers: kStatelessHeaders, body, ok: (t) => t.includes('"isError":false'), seconds }));
    clearInterval(timer);
    await new Promise((r) => setTimeout(r, 500));
  }
}
const metricsText = await (await fetch(`${serve.base}/metrics`)).text();
const reloads = /^mxcp_reloads_total\{result="success"\} (\d+)/m.exec(metricsText)?.[1];
await serve.stop();
rmSync(base, { recursive: true, force: true });

const mean = (rs, k) => rs.reduce((a, r) => a + r[k], 0) / rs.length;
const summary = (rs) => ({
  rps: mean(rs, 'rps'),
  p50: mean(rs, 'p50'),
  p99: mean(rs, 'p99'),
  errors: rs.reduce((a, r) => a + r.errors, 0),
});
const steady = summary(sides.steady);
const reloading = summary(sides.reloading);
console.log(`serve --stateless, tools/call point lookup, c=32, ${seconds} s per side x2, sides alternated:`);
console.log(`  steady                 ${fmt(steady)}`);
console.log(`  SIGHUP every second    ${fmt(reloading)}   (${reloads} successful reloads in all)`);
console.log(
  `  ratio reloading/steady: req/s ${(reloading.rps / steady.rps).toFixed(2)}x, p99 ${(reloading.p99 / steady.p99).toFixed(2)}x (target p99 <= 2x, zero errors)`,
);
console.log(
  `cold start to /ready: ${starts.map((s) => s.ready.toFixed(0)).join(', ')} ms; idle drain (SIGTERM to exit): ${starts.map((s) => s.drain.toFixed(0)).join(', ')} ms`,
);
