/** Deadlines and cancellation interrupt the running query; the pool keeps serving afterwards. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBRuntime } from '../daemon/duckdb/runtime.js';
import { isMxcpError } from '../sdk/errors/index.js';

const logger = pino({ level: 'silent' });
/** Minutes of work unless interrupted. */
const kLong = 'SELECT sum(a.range * b.range) AS s FROM range(10000000) a, range(10000000) b';
let dir: string;
let db: DuckDBRuntime;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mxcp-duckdb-intr-'));
  db = await DuckDBRuntime.open({
    path: join(dir, 'db.duckdb'),
    readonly: false,
    extensions: [],
    secrets: [],
    queryTimeoutMs: 300,
    poolSize: 2,
    logger,
  });
});
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function failure(p: Promise<unknown>): Promise<Error> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as Error;
}

describe('interrupting queries', () => {
  it('interrupts a query past the default deadline with MXCP_E_DB_TIMEOUT', async () => {
    const started = performance.now();
    const err = await failure(db.query(kLong));
    const elapsed = performance.now() - started;
    expect(isMxcpError(err) && err.code).toBe('MXCP_E_DB_TIMEOUT');
    expect(err.message).toMatch(/longer than 300 ms/);
    expect(String(err.cause)).toMatch(/Interrupt/i);
    expect(elapsed).toBeLessThan(5000);
  });

  it('honours a per-call deadline, and no deadline at all with 0', async () => {
    const err = await failure(db.query(kLong, {}, { timeoutMs: 50 }));
    expect(isMxcpError(err) && err.code).toBe('MXCP_E_DB_TIMEOUT');
    expect(err.message).toMatch(/longer than 50 ms/);
    // 0 = no deadline, even where the runtime's default is tiny.
    const strict = await DuckDBRuntime.open({
      path: join(dir, 'db.duckdb'),
      readonly: false,
      extensions: [],
      secrets: [],
      queryTimeoutMs: 1,
      poolSize: 1,
      logger,
    });
    try {
      const work = 'SELECT count(DISTINCT md5(range::VARCHAR)) AS n FROM range(1000000)';
      const timedOut = await failure(strict.query(work));
      expect(isMxcpError(timedOut) && timedOut.code).toBe('MXCP_E_DB_TIMEOUT');
      expect((await strict.query(work, {}, { timeoutMs: 0 })).rows).toEqual([{ n: 1000000 }]);
    } finally {
      await strict.close();
    }
  });

  it('interrupts on an aborted signal with MXCP_E_DB_CANCELLED, and refuses an already aborted one', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const err = await failure(db.query(kLong, {}, { signal: controller.signal, timeoutMs: 0 }));
    expect(isMxcpError(err) && err.code).toBe('MXCP_E_DB_CANCELLED');
    const early = await failure(db.query('SELECT 1', {}, { signal: AbortSignal.abort() }));
    expect(isMxcpError(early) && early.code).toBe('MXCP_E_DB_CANCELLED');
  });

  it('keeps every pooled connection usable after interrupts', async () => {
    await Promise.all([failure(db.query(kLong, {}, { timeoutMs: 100 })), failure(db.query(kLong, {}, { timeoutMs: 150 }))]);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => db.query('SELECT $i::INT AS i', { i })));
    expect(results.map((r) => r.rows[0]!.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('times out a call still waiting for a connection when the pool is busy', async () => {
    const busy = [failure(db.query(kLong, {}, { timeoutMs: 1000 })), failure(db.query(kLong, {}, { timeoutMs: 1000 }))];
    const waiting = await failure(db.query('SELECT 1', {}, { timeoutMs: 100 }));
    expect(isMxcpError(waiting) && waiting.code).toBe('MXCP_E_DB_TIMEOUT');
    await Promise.all(busy);
    expect((await db.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
  });

  it('cancels a call still waiting for a connection when its caller aborts, long before a connection frees', async () => {
    const busy = [failure(db.query(kLong, {}, { timeoutMs: 1500 })), failure(db.query(kLong, {}, { timeoutMs: 1500 }))];
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const waiting = await failure(db.query('SELECT 1', {}, { signal: controller.signal, timeoutMs: 0 }));
    const waited = performance.now() - started;
    expect(isMxcpError(waiting) && waiting.code).toBe('MXCP_E_DB_CANCELLED');
    // Released by the sweep of live scopes after the abort, not by a connection coming back at ~1.5 s.
    expect(waited).toBeLessThan(1000);
    await Promise.all(busy);
    expect((await db.query('SELECT 3 AS three')).rows).toEqual([{ three: 3 }]);
  });

  it('stops a multi-statement query between statements once the deadline passed', async () => {
    await db.query('CREATE OR REPLACE TABLE steps (a INT)');
    const err = await failure(db.query(`INSERT INTO steps VALUES (1); ${kLong}; INSERT INTO steps VALUES (2)`, {}, { timeoutMs: 100 }));
    expect(isMxcpError(err) && err.code).toBe('MXCP_E_DB_TIMEOUT');
    expect((await db.query('SELECT a FROM steps')).rows).toEqual([{ a: 1 }]);
  });
});
