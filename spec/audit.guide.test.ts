/**
 * The operational guide's "Monitoring & Observability" recipes, run unchanged against records produced by
 * the real pipeline (a generation built from a project, calls through auditedInvoke, the audit trail with
 * the built-in JSONL sink): `mxcp log --export-duckdb` and the four "Audit Log Analysis" queries, the
 * `mxcp log --since 1h | jq` filter, the `tail -f | jq` metrics loop, and the CSV export.
 *
 * The guide runs its SQL with DuckDB's own CLI (`duckdb FILE <<EOF`), which no package here provides; each
 * query runs as written through `mxcp query --db FILE` (the documented stand-in), one statement at a time.
 * The metrics loop pipes into `curl ... pushgateway`; here its lines are printed instead.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditSinks, openAuditSinks } from '../daemon/audit/audit-sinks.js';
import { loadProject } from '../daemon/config/project.js';
import { auditedInvoke } from '../daemon/engine/audited-invoke.js';
import { lookupEndpoint } from '../daemon/engine/invoke.js';
import { buildGeneration } from '../daemon/generation/build-generation.js';
import type { Generation } from '../daemon/generation/generation.js';
import type { ExecutionContext } from '../sdk/execution-context.js';
import { kBin, runCli } from './support/cli.js';
import { type TempProject, tempProject } from './support/project.js';

const kSite =
  'mxcp: 1\nproject: demo\nprofile: prod\nprofiles:\n  prod:\n    audit:\n      enabled: true\n      path: audit/production.jsonl\n';

const kFiles = {
  'tools/lookup.yml': `mxcp: 1
tool:
  name: lookup
  description: needs an id
  parameters:
    - { name: id, type: integer, description: id }
  source:
    code: "SELECT $id AS id"
`,
  'tools/ping.yml': 'mxcp: 1\ntool:\n  name: ping\n  description: ping\n  source:\n    code: "SELECT 1 AS ok"\n',
  'tools/slow.yml': `mxcp: 1
tool:
  name: slow
  description: takes over a second
  language: typescript
  source:
    file: ../ts/slow.ts
`,
  'ts/slow.ts':
    'export async function slow() {\n  await new Promise((resolve) => setTimeout(resolve, 1100));\n  return { done: true };\n}\n',
};

/** The guide's four queries, verbatim (comment line included). */
const kQueries = {
  volume: `-- Request volume by hour
SELECT 
  DATE_TRUNC('hour', timestamp) as hour,
  COUNT(*) as requests,
  COUNT(DISTINCT caller) as unique_users
FROM logs
GROUP BY hour
ORDER BY hour DESC;`,
  errorRate: `-- Error rate by endpoint
SELECT 
  name as endpoint,
  COUNT(*) as total_requests,
  COUNT(CASE WHEN status = 'error' THEN 1 END) as errors,
  ROUND(100.0 * COUNT(CASE WHEN status = 'error' THEN 1 END) / COUNT(*), 2) as error_rate
FROM logs
WHERE type = 'tool'
GROUP BY name
HAVING COUNT(*) > 10
ORDER BY error_rate DESC;`,
  responseTime: `-- Average response time by endpoint
SELECT 
  name,
  AVG(duration_ms) as avg_duration_ms,
  MAX(duration_ms) as max_duration_ms,
  COUNT(*) as request_count
FROM logs
WHERE status = 'success'
GROUP BY name
ORDER BY avg_duration_ms DESC;`,
  violations: `-- Policy violations
SELECT 
  timestamp,
  name,
  caller,
  reason
FROM logs
WHERE policy_decision = 'deny'
ORDER BY timestamp DESC
LIMIT 20;`,
};

const kMetricsLoop = `tail -f /app/audit/production.jsonl | while read line; do
  # Parse JSON and extract metrics
  duration=$(echo "$line" | jq -r '.duration_ms // 0')
  status=$(echo "$line" | jq -r '.status // "unknown"')
  endpoint=$(echo "$line" | jq -r '.name // "unknown"')
  
  # Send to monitoring system
  echo "mxcp_request_duration_ms{endpoint=\\"$endpoint\\",status=\\"$status\\"} $duration"
done`;

let project: TempProject;
let generation: Generation;
let audit: AuditSinks;
const total = 15 + 12 + 1;

beforeAll(async () => {
  project = tempProject({ ...kFiles, 'mxcp-site.yml': kSite });
  const env = { PATH: process.env.PATH };
  const logger = pino({ level: 'warn' });
  const config = await loadProject({ cwd: project.root, env, home: project.home });
  generation = await buildGeneration({ id: 1, project: config, logger, env, cwd: project.root });
  audit = await openAuditSinks(config, logger, { env, cwd: project.root });
  const http: ExecutionContext = { transport: 'streamable-http', sessionId: 'sess-1' };
  const stdio: ExecutionContext = { transport: 'stdio' };
  const call = (
    name: string,
    args: Record<string, unknown>,
    context: ExecutionContext,
    notes?: { policyDecision: 'deny'; reason: string },
  ) =>
    auditedInvoke(audit, generation, lookupEndpoint(generation, 'tool', name), args, context, notes ? { notes } : {}).catch(
      () => undefined,
    );
  for (let i = 0; i < 12; i++) await call('lookup', { id: i }, i % 3 === 0 ? stdio : http);
  for (let i = 0; i < 3; i++) await call('lookup', {}, http); // missing parameter: an error
  for (let i = 0; i < 11; i++) await call('ping', {}, http);
  // How the policy layer reports a denial: decision and reason in the notes, the call fails.
  await call('ping', { not_a_param: 1 }, http, { policyDecision: 'deny', reason: "user.role != 'admin'" });
  await call('slow', {}, http);
  await audit.flush();
}, 60_000);

afterAll(async () => {
  await audit?.close();
  await generation?.close('command');
  project?.remove();
});

async function query(db: string, sql: string) {
  // On stdin, like the guide's heredoc (an argument starting with `--` would read as an option).
  const r = await runCli(['query', '--db', db, '--json-output'], { cwd: project.root, home: project.home, input: sql });
  expect(r.code, r.stderr).toBe(0);
  return r.json<{ result: Record<string, unknown>[] }>().result;
}

describe("the operational guide's audit recipes", () => {
  it('mxcp log --export-duckdb writes table logs on which the four queries run unchanged', async () => {
    const exported = await runCli(['log', '--export-duckdb', 'audit/audit.db'], { cwd: project.root, home: project.home });
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain(`Exported ${total} records to ${project.path('audit/audit.db')}`);
    const db = project.path('audit/audit.db');

    const volume = await query(db, kQueries.volume);
    expect(volume.reduce((n, r) => n + Number(r.requests), 0)).toBe(total);
    expect(Math.max(...volume.map((r) => Number(r.unique_users)))).toBe(2); // callers: http and stdio

    const errors = await query(db, kQueries.errorRate);
    expect(errors).toEqual([
      { endpoint: 'lookup', total_requests: 15, errors: 3, error_rate: 20 },
      { endpoint: 'ping', total_requests: 12, errors: 1, error_rate: 8.33 },
    ]);

    const times = await query(db, kQueries.responseTime);
    expect(times.map((r) => r.name)).toEqual(['slow', expect.any(String), expect.any(String)]);
    expect(Number(times[0]!.avg_duration_ms)).toBeGreaterThan(1000);
    expect(times.find((r) => r.name === 'lookup')?.request_count).toBe(12);

    const violations = await query(db, kQueries.violations);
    expect(violations).toEqual([{ timestamp: expect.any(String), name: 'ping', caller: 'http', reason: "user.role != 'admin'" }]);

    const columns = await query(
      db,
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'logs' AND column_name IN ('timestamp', 'duration_ms')",
    );
    expect(columns).toEqual(
      expect.arrayContaining([
        { column_name: 'timestamp', data_type: 'TIMESTAMP' },
        { column_name: 'duration_ms', data_type: 'DOUBLE' },
      ]),
    );
  });

  it("`mxcp log --since 1h | jq 'select(.duration_ms > 1000)'` prints the slow call", () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${kBin}" log --since 1h | jq -c 'select(.duration_ms > 1000)'`], {
      cwd: project.root,
      env: { PATH: process.env.PATH, HOME: project.home, NO_COLOR: '1' },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ name: 'slow', status: 'success', caller: 'http' });
  });

  it('the tail -f | jq metrics loop follows the configured path and sees a new record', async () => {
    const script = kMetricsLoop.replace('/app/audit/production.jsonl', project.path('audit/production.jsonl'));
    const loop = spawn('bash', ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    loop.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    const lines = () => out.split('\n').filter(Boolean);
    const waitFor = async (n: number) => {
      const deadline = Date.now() + 10_000;
      while (lines().length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    };
    try {
      await waitFor(10); // tail -f starts with the last 10 lines
      expect(lines()).toHaveLength(10);
      expect(lines()[9]).toMatch(/^mxcp_request_duration_ms\{endpoint="slow",status="success"\} 1\d{3}(\.\d+)?$/);
      await auditedInvoke(audit, generation, lookupEndpoint(generation, 'tool', 'ping'), {}, { transport: 'stdio' });
      await waitFor(11);
      expect(lines()[10]).toMatch(/^mxcp_request_duration_ms\{endpoint="ping",status="success"\} [\d.]+$/);
    } finally {
      process.kill(-loop.pid!, 'SIGTERM');
    }
  });

  it('mxcp log --export-csv writes a header and one row per record, newest first', async () => {
    const stored = readFileSync(project.path('audit/production.jsonl'), 'utf8').trim().split('\n').length;
    const r = await runCli(['log', '--export-csv', 'out/audit.csv', '--json'], { cwd: project.root, home: project.home });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ status: 'ok', result: { format: 'csv', exported: stored } });
    const rows = readFileSync(project.path('out/audit.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe(
      'schema_version,id,timestamp,caller,type,name,status,error,duration_ms,policy_decision,reason,user_id,username,session_id,trace_id,request_id,input,output,generation',
    );
    expect(rows).toHaveLength(stored + 1);
    const times = rows.slice(1).map((row) => row.split(',')[2]!);
    expect(times).toEqual([...times].sort().reverse());
  });
});
