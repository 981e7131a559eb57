// Against the daemon's DuckDB runtime: rows come back from db.execute, and the SQL context functions
// (get_username(), get_request_header()) see the user and headers of the call that runs the query.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseAccess } from '../daemon/duckdb/database-access.js';
import { DuckDBRuntime } from '../daemon/duckdb/runtime.js';
import createExecutor from '../plugins/executor-js/index.js';
import type { Executor } from '../sdk/executor.js';
import { callContext, endpoint, testHost, userContext } from './fixtures/executor-js/harness.js';

const rows = endpoint('rows_tool', 'ts/rows.ts');
const caller = endpoint('sql_caller', 'ts/udf.ts');

describe('executor-js: with the DuckDB runtime', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mxcp-exec-js-duckdb-'));
  let runtime: DuckDBRuntime;
  let executor: Executor;

  beforeAll(async () => {
    const logger = pino({ level: 'silent' });
    runtime = await DuckDBRuntime.open({
      path: join(dir, 'db.duckdb'),
      readonly: false,
      extensions: [],
      secrets: [],
      queryTimeoutMs: 10_000,
      poolSize: 4,
      logger,
    });
    executor = createExecutor(testHost(createDatabaseAccess(runtime)), { threads: 2 });
    expect((await executor.prepare([rows, caller])).size).toBe(0);
  });

  afterAll(async () => {
    await executor.close();
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns rows from db.execute("SELECT $x AS v", {x: 1})', async () => {
    expect(await executor.execute(rows, { x: 1 }, callContext())).toEqual([{ v: 1 }]);
  });

  it('runs each query with its own call’s user and headers under concurrency', async () => {
    const calls = Array.from({ length: 30 }, (_, i) =>
      executor.execute(caller, {}, callContext({ user: userContext(`u${i}`), headers: { 'x-trace': `t${i}` } })),
    );
    const results = await Promise.all(calls);
    results.forEach((row, i) => {
      expect(row).toEqual({ username: `u${i}`, trace: `t${i}` });
    });
    expect(await executor.execute(caller, {}, callContext())).toEqual({ username: null, trace: null });
  });
});
