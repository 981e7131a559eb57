// A failing call fails alone: throws, timeouts, crashed workers, aborts, uncloneable results, backpressure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import createExecutor from '../plugins/executor-js/index.js';
import { Errors, type MxcpError } from '../sdk/errors/index.js';
import type { Executor } from '../sdk/executor.js';
import { callContext, duckDatabase, endpoint, memoryLogger, type TestDatabase, testHost } from './fixtures/executor-js/harness.js';

const boom = endpoint('boom', 'ts/failures.ts');
const spin = endpoint('spin', 'ts/failures.ts');
const quit = endpoint('quit', 'ts/failures.ts');
const timerCrash = endpoint('timer_crash', 'ts/failures.ts');
const slow = endpoint('slow', 'ts/failures.ts');
const giveFunction = endpoint('give_function', 'ts/failures.ts');
const ok = endpoint('ok', 'ts/failures.ts');
const leak = endpoint('leak', 'ts/failures.ts');
const all = [boom, spin, quit, timerCrash, slow, giveFunction, ok, leak];

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined as unknown as MxcpError,
    (e: MxcpError) => e,
  );

describe('executor-js: failing calls', () => {
  let db: TestDatabase;
  let executor: Executor;
  const logger = memoryLogger();

  beforeAll(async () => {
    db = await duckDatabase();
    executor = createExecutor(testHost(db, logger), { threads: 2, call_timeout_ms: 1_000, max_queue: 4 });
    expect((await executor.prepare(all)).size).toBe(0);
  });

  afterAll(async () => {
    await executor.close();
    db.close();
  });

  const run = (e = ok, params: Record<string, unknown> = {}, signal?: AbortSignal) => executor.execute(e, params, callContext({ signal }));

  it('fails only the call that throws, keeping its message and the cause', async () => {
    const [err, fine] = await Promise.all([failure(run(boom)), run(ok)]);
    expect(fine).toBe('ok');
    expect(err).toBeInstanceOf(Errors.MXCP_E_EXEC_ENDPOINT_FAILED);
    expect(err.message).toBe('boom: the input was bad');
    expect(err.location).toEqual({ file: 'ts/failures.ts' });
    expect(err.cause).toMatchObject({ message: 'boom: the input was bad', code: 'E_BAD_INPUT' });
    expect((err.cause as Error).stack).toMatch(/ts\/failures\.ts:\d+/);
  });

  it('stops an endless loop at the timeout, and the pool recovers', async () => {
    const started = Date.now();
    const err = await failure(run(spin));
    expect(err).toBeInstanceOf(Errors.MXCP_E_EXEC_TIMEOUT);
    expect(err.message).toBe("tool 'spin' (ts/failures.ts) timed out after 1000 ms; its worker was stopped");
    expect(Date.now() - started).toBeLessThan(3_000);
    // Both threads serve again (the stopped one was replaced).
    expect(await Promise.all([run(slow, { ms: 50 }), run(slow, { ms: 50 }), run()])).toEqual(['slow done', 'slow done', 'ok']);
  });

  it('fails only the call whose code exits its worker, and replaces the worker', async () => {
    const [err, fine] = await Promise.all([failure(run(quit)), run(slow, { ms: 100 })]);
    expect(fine).toBe('slow done');
    expect(err).toBeInstanceOf(Errors.MXCP_E_EXEC_WORKER_CRASHED);
    expect(err.message).toBe("The worker running tool 'quit' (ts/failures.ts) stopped: worker exited with code: 1");
    expect(await Promise.all([run(), run()])).toEqual(['ok', 'ok']);
  });

  it('fails only the call whose timer throws an uncaught error', async () => {
    const err = await failure(run(timerCrash));
    expect(err).toBeInstanceOf(Errors.MXCP_E_EXEC_WORKER_CRASHED);
    expect(err.message).toContain('thrown in a timer');
    expect(await run()).toBe('ok');
  });

  it('aborts a running call through its AbortSignal', async () => {
    const controller = new AbortController();
    const pending = failure(run(slow, { ms: 10_000 }, controller.signal));
    setTimeout(() => controller.abort(new Error('client went away')), 50);
    const err = await pending;
    expect(err).toBeInstanceOf(Errors.MXCP_E_EXEC_ABORTED);
    expect(err.message).toBe("tool 'slow' (ts/failures.ts) was cancelled");
    expect(err.cause).toMatchObject({ message: 'client went away' });
    expect(await run()).toBe('ok');
  });

  it('refuses a call whose signal is already aborted', async () => {
    const err = await failure(run(ok, {}, AbortSignal.abort()));
    expect(err).toBeInstanceOf(Errors.MXCP_E_EXEC_ABORTED);
  });

  it('turns a result that cannot leave the worker into a coded error', async () => {
    const err = await failure(run(giveFunction));
    expect(err).toBeInstanceOf(Errors.MXCP_E_EXEC_RESULT_NOT_CLONEABLE);
    expect(err.message).toMatch(/^tool 'give_function' \(ts\/failures\.ts\) returned a value that cannot leave its worker thread/);
    expect(await run()).toBe('ok');
  });

  it('rejects calls beyond threads + max_queue with a backpressure error', async () => {
    const calls = Array.from({ length: 7 }, () => failure(run(slow, { ms: 100 })));
    const errors = await Promise.all(calls);
    const rejected = errors.filter((e) => e !== undefined);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toBeInstanceOf(Errors.MXCP_E_EXEC_QUEUE_FULL);
  });

  it('a leaking call exhausts only its own worker heap (max_heap_mb): it fails, the worker is replaced', { timeout: 60_000 }, async () => {
    const small = createExecutor(testHost(db, logger), { threads: 1, call_timeout_ms: 30_000, max_heap_mb: 32 });
    try {
      expect((await small.prepare(all)).size).toBe(0);
      const err = await failure(small.execute(leak, {}, callContext({})));
      expect(err).toBeInstanceOf(Errors.MXCP_E_EXEC_WORKER_CRASHED);
      expect(err.message).toMatch(/The worker running tool 'leak' \(ts\/failures.ts\) stopped: .*(memory|heap)/i);
      expect(await small.execute(ok, {}, callContext({}))).toBe('ok');
    } finally {
      await small.close();
    }
  });
});
