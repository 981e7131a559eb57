// Audit benchmarks. Usage: npm run build && node scripts/bench/audit.mjs [records=200000]
//
// 1. Sink alone: records/s the built-in JSONL sink sustains (serialize, queue, batched O_APPEND writes),
//    per fsync policy, with the producer honouring back-pressure (on_full: wait) as requests do.
// 2. Serve throughput with audit off vs on (fsync interval and always), the same point-lookup tool under the
//    same load (c=32), sides alternated (target: audit on >= 0.9x audit off). BENCH_SECONDS sets the length.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonlAuditSink } from '../../dist/plugins/audit-jsonl/jsonl-sink.js';
import { kDefaultSinkOptions } from '../../dist/plugins/audit-jsonl/options.js';
import { drive, fmt, kStatelessHeaders, startServe, toolCall } from './lib/load.mjs';

const total = Number(process.argv[2] ?? 200_000);
const quiet = { debug() {}, info() {}, warn() {}, error: (o, m) => console.error(m, o) };

function record(i) {
  return {
    schema_version: 1,
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    timestamp: new Date().toISOString(),
    caller: 'http',
    type: 'tool',
    name: 'sales_by_region',
    status: 'success',
    error: null,
    duration_ms: 3.214,
    policy_decision: 'n/a',
    reason: null,
    user_id: 'u-1234',
    username: 'ada',
    session_id: 'a1b2c3d4e5f6',
    trace_id: null,
    request_id: String(i),
    input: { region: 'north', limit: 10 },
    output: [{ region: 'north', revenue: 1234.5, orders: 42 }],
    generation: 1,
  };
}

async function sinkAlone(fsync) {
  const dir = mkdtempSync(join(tmpdir(), 'mxcp-bench-audit-'));
  const path = join(dir, 'bench.jsonl');
  const sink = new JsonlAuditSink(
    { path, maxFileSize: 1 << 30, fsync, fsyncIntervalMs: 1000, onFull: 'wait', ...kDefaultSinkOptions },
    quiet,
  );
  await sink.init();
  const started = process.hrtime.bigint();
  // 64 producers, as 64 requests in flight would: with fsync `always` each write resolves after its group's
  // fdatasync, so one producer alone would measure fsync latency, not the sink.
  let next = 0;
  const producer = async () => {
    while (next < total) {
      const accepted = sink.write(record(next++));
      if (accepted) await accepted; // queue full (or always: not yet synced): wait, as a request would
    }
  };
  await Promise.all(Array.from({ length: 64 }, producer));
  await sink.flush();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await sink.close();
  const bytes = statSync(path).size;
  rmSync(dir, { recursive: true, force: true });
  const stats = sink.stats();
  if (stats.written !== total) throw new Error(`wrote ${stats.written} of ${total}`);
  return {
    fsync,
    records: total,
    seconds: +seconds.toFixed(3),
    recordsPerSecond: Math.round(total / seconds),
    mbPerSecond: +(bytes / seconds / 1e6).toFixed(1),
    fsyncs: stats.fsyncs,
  };
}

const results = [];
for (const fsync of ['never', 'interval', 'always']) results.push(await sinkAlone(fsync));
console.log('JSONL audit sink alone (64 producers, back-pressure honoured):');
console.table(results);

// Serve throughput, audit off vs on (interval and always), same project, same load, sides alternated.
const project = mkdtempSync(join(tmpdir(), 'mxcp-bench-audit-serve-'));
const home = join(project, 'home');
mkdirSync(join(project, 'tools'), { recursive: true });
mkdirSync(home);
writeFileSync(
  join(project, 'tools/lookup.yml'),
  'mxcp: 1\ntool:\n  name: lookup\n  parameters:\n    - {name: id, type: integer}\n  return: {type: object}\n  source:\n    code: "SELECT $id AS id, \'name-\' || $id AS name"\n',
);
const site = (audit) =>
  `mxcp: 1\nproject: bench\nprofile: dev\nprofiles:\n  dev:\n    audit:\n      enabled: ${audit !== 'off'}\n      path: audit/bench.jsonl\n${audit !== 'off' ? `      fsync: ${audit}\n` : ''}`;
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const sides = ['off', 'interval', 'always'];
const totals = Object.fromEntries(sides.map((s) => [s, []]));
for (let round = 0; round < 2; round++) {
  for (const side of round % 2 ? [...sides].reverse() : sides) {
    writeFileSync(join(project, 'mxcp-site.yml'), site(side));
    const serve = await startServe({ cwd: project, home, args: ['--stateless'] });
    let i = 0;
    const body = () => toolCall('lookup', { id: i++ % 10_000 });
    await drive({ url: `${serve.base}/mcp`, headers: kStatelessHeaders, body, concurrency: 32, seconds: 1 }); // warm-up
    totals[side].push(await drive({ url: `${serve.base}/mcp`, headers: kStatelessHeaders, body, concurrency: 32, seconds }));
    await serve.stop();
  }
}
rmSync(project, { recursive: true, force: true });
const mean = (rs, k) => rs.reduce((a, r) => a + r[k], 0) / rs.length;
console.log(`\nserve, tools/call point lookup, c=32, ${seconds} s per side x2, sides alternated:`);
for (const side of sides) {
  const rs = totals[side];
  console.log(
    `  audit ${side.padEnd(8)} ${fmt({ rps: mean(rs, 'rps'), p50: mean(rs, 'p50'), p99: mean(rs, 'p99'), errors: rs.reduce((a, r) => a + r.errors, 0) })}`,
  );
}
const off = mean(totals.off, 'rps');
console.log(
  `  ratio on/off: interval ${(mean(totals.interval, 'rps') / off).toFixed(2)}x, always ${(mean(totals.always, 'rps') / off).toFixed(2)}x (target >= 0.9x)`,
);
