// Audit benchmarks. Usage: npm run build && node scripts/bench/audit.mjs [records=200000]
//
// 1. Sink alone: records/s the built-in JSONL sink sustains (serialize, queue, batched O_APPEND writes),
//    per fsync policy, with the producer honouring back-pressure (on_full: wait) as requests do.
// 2. Serve throughput with audit on vs off: see the marked section at the end (needs the serving layer's
//    load harness; target: audit on >= 0.9x audit off).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonlAuditSink } from '../../dist/plugins/audit-jsonl/jsonl-sink.js';
import { kDefaultSinkOptions } from '../../dist/plugins/audit-jsonl/options.js';

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
  for (let i = 0; i < total; i++) {
    const accepted = sink.write(record(i));
    if (accepted) await accepted; // queue full: wait, as a request would
  }
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
console.log('JSONL audit sink alone (one producer, back-pressure honoured):');
console.table(results);

// ---------------------------------------------------------------------------------------------------------
// SERVE THROUGHPUT, AUDIT ON VS OFF — TO BE FILLED IN WITH THE SERVING LAYER
//
// Start `mxcp serve --transport streamable-http` twice on the same project (profile audit.enabled: false,
// then true), drive the same tools/call load (same concurrency, same duration) against each, and report
// req/s and p50/p99 for both plus the ratio on/off (target >= 0.9). Needs the serving layer to call
// auditedInvoke (daemon/engine/audited-invoke.ts) and its load harness; not measurable from here yet.
// ---------------------------------------------------------------------------------------------------------
