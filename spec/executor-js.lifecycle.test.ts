// onInit / onShutdown hooks, workers started at prepare, and close: drain, hooks, idempotence, calls after close.
import { describe, expect, it } from 'vitest';
import createExecutor from '../plugins/executor-js/index.js';
import { Errors } from '../sdk/errors/index.js';
import { callContext, duckDatabase, endpoint, memoryLogger, testHost } from './fixtures/executor-js/harness.js';

const lifecycle = endpoint('lifecycle_events', 'ts/lifecycle.ts');
const slow = endpoint('slow', 'ts/failures.ts');

describe('executor-js: lifecycle', () => {
  it('runs onInit hooks in every worker after loading and before its first call; onShutdown hooks on close', async () => {
    const db = await duckDatabase();
    const logger = memoryLogger();
    const executor = createExecutor(testHost(db, logger), { threads: 2 });
    try {
      expect((await executor.prepare([lifecycle])).size).toBe(0);
      // Both workers ran their hooks during prepare, through db.execute with no user.
      const inits = db.queries.filter((q) => q.sql.includes("'init'"));
      expect(inits).toHaveLength(2);
      expect(inits.every((q) => q.username === undefined)).toBe(true);
      // The failing second hook is logged and the third still ran.
      const failures = logger.lines.filter((l) => l.level === 'error' && String(l.msg).startsWith('onInit hook failed'));
      expect(failures).toHaveLength(2);
      expect(failures[0]?.msg).toBe('onInit hook failed: second init hook fails, third still runs');

      expect(await executor.execute(lifecycle, {}, callContext())).toEqual(['module loaded', 'init init', 'init 3', 'call']);
      expect(db.queries.filter((q) => q.sql.includes("'shutdown'"))).toHaveLength(0);
    } finally {
      await executor.close();
    }
    expect(db.queries.filter((q) => q.sql.includes("'shutdown'"))).toHaveLength(2);
    db.close();
  });

  it('lets in-flight calls finish before closing, is idempotent, and rejects calls after close', async () => {
    const db = await duckDatabase();
    const executor = createExecutor(testHost(db), { threads: 1 });
    await executor.prepare([slow, lifecycle]);
    const inFlight = executor.execute(slow, { ms: 200 }, callContext());
    await new Promise((resolve) => setTimeout(resolve, 20));
    const first = executor.close();
    expect(executor.close()).toBe(first);
    await expect(executor.execute(slow, { ms: 1 }, callContext())).rejects.toBeInstanceOf(Errors.MXCP_E_EXEC_CLOSED);
    expect(await inFlight).toBe('slow done');
    await first;
    // The shutdown hook ran after the in-flight call, while the database was still reachable.
    expect(db.queries.map((q) => q.sql).filter((s) => s.includes("'shutdown'"))).toHaveLength(1);
    await executor.close();
    const err = await executor.execute(lifecycle, {}, callContext()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MXCP_E_EXEC_CLOSED', message: 'The JavaScript/TypeScript executor is closed' });
    db.close();
  });

  it('aborts calls still running at the close deadline', async () => {
    const db = await duckDatabase();
    const executor = createExecutor(testHost(db), { threads: 1, close_timeout_ms: 50 });
    await executor.prepare([slow]);
    const inFlight = executor.execute(slow, { ms: 5_000 }, callContext());
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    await executor.close();
    await expect(inFlight).rejects.toBeInstanceOf(Errors.MXCP_E_EXEC_CLOSED);
    expect(Date.now() - started).toBeLessThan(2_000);
    db.close();
  });

  it('starts no pool when there is nothing to load', async () => {
    const db = await duckDatabase();
    const executor = createExecutor(testHost(db));
    expect((await executor.prepare([])).size).toBe(0);
    await expect(executor.execute(slow, {}, callContext())).rejects.toBeInstanceOf(Errors.MXCP_E_EXEC_NOT_PREPARED);
    await executor.close();
    db.close();
  });
});
