// Executor overhead: calls/s of a point lookup on a 10,000-row table through the full pipeline (generation,
// parameter conversion, SQL executor, DuckDB runtime, result shaping and output validation) against a bare
// @duckdb/node-api prepared statement, same concurrency, alternating rounds in one run; prints the ratio.
// Usage: npm run bench:executor [-- --seconds 3 --rounds 3 --concurrency 8]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadProject } from '../../dist/daemon/config/project.js';
import { invokeEndpoint, lookupEndpoint } from '../../dist/daemon/engine/invoke.js';
import { buildGeneration } from '../../dist/daemon/generation/build-generation.js';
import { createLogger } from '../../dist/daemon/logging/logger.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '8' },
  },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const concurrency = Number(values.concurrency);

const root = mkdtempSync(join(tmpdir(), 'mxcp-bench-executor-'));
mkdirSync(join(root, 'tools'));
writeFileSync(join(root, 'mxcp-site.yml'), 'mxcp: 1\nproject: bench\nprofile: bench\n');
writeFileSync(
  join(root, 'tools', 'lookup.yml'),
  'mxcp: 1\ntool:\n  name: lookup\n  parameters:\n    - {name: id, type: integer}\n  return: {type: object, properties: {id: {type: integer}, name: {type: string}, score: {type: number}}}\n  source:\n    code: SELECT id, name, score FROM items WHERE id = $id\n',
);
const dbPath = join(root, 'data', 'db-bench.duckdb');
mkdirSync(join(root, 'data'));
{
  const seed = await DuckDBInstance.create(dbPath);
  const c = await seed.connect();
  await c.run("CREATE TABLE items AS SELECT i AS id, 'item ' || i AS name, i * 0.5 AS score FROM range(10000) t(i)");
  await c.run('CREATE UNIQUE INDEX items_id ON items(id)');
  c.closeSync();
  seed.closeSync();
}

const project = await loadProject({ cwd: root, env: { HOME: root }, home: root });
const generation = await buildGeneration({ id: 1, project, logger: createLogger('warn') });
const endpoint = lookupEndpoint(generation, 'tool', 'lookup');
const pipelineCall = async (id) => invokeEndpoint(endpoint, { id }, { transport: 'cli' });

// The engine's floor: the same instance (shared per file in-process), one prepared statement per connection.
const bare = await DuckDBInstance.create(dbPath);
const bareConns = await Promise.all(Array.from({ length: concurrency }, () => bare.connect()));
const prepared = await Promise.all(bareConns.map((c) => c.prepare('SELECT id, name, score FROM items WHERE id = $id')));
let nextConn = 0;
const bareCall = async (id) => {
  const stmt = prepared[nextConn++ % prepared.length];
  stmt.bind({ id });
  return (await stmt.runAndReadAll()).getRowObjectsJson();
};

async function measure(call) {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const latencies = [];
  const worker = async () => {
    while (performance.now() < deadline) {
      const t = performance.now();
      await call(done % 10000);
      latencies.push(performance.now() - t);
      done++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  latencies.sort((a, b) => a - b);
  return { rate: done / ((performance.now() - t0) / 1000), p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0 };
}

const check = await pipelineCall(42);
if (check.id !== 42 || check.name !== 'item 42') throw new Error(`pipeline returned ${JSON.stringify(check)}`);
await measure(pipelineCall); // warm-up
await measure(bareCall);

const results = { pipeline: [], bare: [] };
for (let r = 0; r < rounds; r++) {
  // Alternate which side goes first so drift on a shared machine does not favour one.
  const order = r % 2 === 0 ? ['pipeline', 'bare'] : ['bare', 'pipeline'];
  for (const side of order) results[side].push(await measure(side === 'pipeline' ? pipelineCall : bareCall));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pipe = median(results.pipeline.map((x) => x.rate));
const floor = median(results.bare.map((x) => x.rate));
console.log(`point lookup, 10,000 rows, concurrency ${concurrency}, ${rounds} rounds x ${seconds}s per side`);
console.log(
  `  bare @duckdb/node-api prepared statement: ${floor.toFixed(0)} calls/s (p99 ${median(results.bare.map((x) => x.p99)).toFixed(2)} ms)`,
);
console.log(
  `  mxcp executor pipeline:                   ${pipe.toFixed(0)} calls/s (p99 ${median(results.pipeline.map((x) => x.p99)).toFixed(2)} ms)`,
);
console.log(`  overhead: ${(floor / pipe).toFixed(2)}x (target <= 1.30x)`);

for (const c of bareConns) c.closeSync();
await generation.close('command');
rmSync(root, { recursive: true, force: true });
