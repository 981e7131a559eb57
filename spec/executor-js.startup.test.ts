// Workers that cannot start: prepare fails with a coded error instead of hanging, and a pool whose replacement
// workers keep dying while starting gives up instead of respawning forever.
import { afterEach, describe, expect, it } from 'vitest';
import createExecutor from '../plugins/executor-js/index.js';
import { Errors, type MxcpError } from '../sdk/errors/index.js';
import { callContext, duckDatabase, endpoint, memoryLogger, testHost } from './fixtures/executor-js/harness.js';

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined as unknown as MxcpError,
    (e: MxcpError) => e,
  );

describe('executor-js: worker start-up failures', () => {
  afterEach(() => {
    delete process.env.MXCP_SPEC_EXIT_AT_LOAD;
  });

  it('fails prepare when a module exits its worker while loading, naming the module', async () => {
    const db = await duckDatabase();
    const executor = createExecutor(testHost(db), { threads: 2 });
    const started = Date.now();
    const err = await failure(executor.prepare([endpoint('ok', 'ts/failures.ts'), endpoint('exit_at_load', 'broken/exit_at_load.ts')]));
    expect(err).toBeInstanceOf(Errors.MXCP_E_EXEC_WORKER_START);
    expect(err.message).toBe(
      'JavaScript/TypeScript workers failed to start: a worker exited with code 3 while loading broken/exit_at_load.ts',
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(executor.execute(endpoint('ok', 'ts/failures.ts'), {}, callContext())).rejects.toBeInstanceOf(
      Errors.MXCP_E_EXEC_NOT_PREPARED,
    );
    await executor.close();
    db.close();
  });

  it('fails prepare when a worker throws an uncaught error while starting, naming the error', async () => {
    const db = await duckDatabase();
    const executor = createExecutor(testHost(db), { threads: 1 });
    const err = await failure(executor.prepare([endpoint('throw_at_start', 'broken/throw_at_start.ts')]));
    expect(err).toBeInstanceOf(Errors.MXCP_E_EXEC_WORKER_START);
    expect(err.message).toBe(
      'JavaScript/TypeScript workers failed to start: a worker threw config file unreadable while loading onInit hooks',
    );
    expect(err.cause).toMatchObject({ message: 'config file unreadable' });
    await executor.close();
    db.close();
  });

  it('fails prepare at the startup deadline when an onInit hook never finishes', async () => {
    const db = await duckDatabase();
    const executor = createExecutor(testHost(db), { threads: 1, startup_timeout_ms: 1_500 });
    const err = await failure(executor.prepare([endpoint('hang_at_init', 'broken/hang_at_init.ts')]));
    expect(err).toBeInstanceOf(Errors.MXCP_E_EXEC_WORKER_START);
    // On a loaded machine the worker may still be importing the module at the deadline.
    expect(err.message).toMatch(
      /^JavaScript\/TypeScript workers failed to start: 1 of 1 workers not ready after 1500 ms \(still loading (onInit hooks|broken\/hang_at_init\.ts)\)$/,
    );
    await executor.close();
    db.close();
  });

  it('stops replacing workers after repeated start failures and fails calls with a coded error', async () => {
    const db = await duckDatabase();
    const logger = memoryLogger();
    const executor = createExecutor(testHost(db, logger), { threads: 1, max_start_failures: 2, call_timeout_ms: 5_000 });
    const envOk = endpoint('env_ok', 'broken/exit_if_env.ts');
    const envQuit = endpoint('env_quit', 'broken/exit_if_env.ts');
    expect((await executor.prepare([envOk, envQuit])).size).toBe(0);
    expect(await executor.execute(envOk, {}, callContext())).toBe('ok');

    // From now on every new worker dies while loading; the running one is made to exit.
    process.env.MXCP_SPEC_EXIT_AT_LOAD = '1';
    expect(await failure(executor.execute(envQuit, {}, callContext()))).toBeInstanceOf(Errors.MXCP_E_EXEC_WORKER_CRASHED);

    // Calls now land on replacement workers that die while starting (or wait for one): each fails with the
    // start failure, until the second failure in a row breaks the pool.
    let err: MxcpError | undefined;
    for (let i = 0; i < 5 && !err?.message.includes('gave up'); i++) {
      err = await failure(executor.execute(envOk, {}, callContext()));
      expect(err).toBeInstanceOf(Errors.MXCP_E_EXEC_WORKER_START);
    }
    expect(err?.message).toMatch(/gave up after 2 start failure\(s\) in a row; last: a worker exited with code 4 while loading/);
    // Broken for good: later calls fail at once, and no more workers are started.
    expect(await failure(executor.execute(envOk, {}, callContext()))).toBe(err);
    const startFailures = () => logger.lines.filter((l) => String(l.msg).startsWith('JS/TS worker failed to start')).length;
    const seen = startFailures();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(startFailures()).toBe(seen);
    expect(seen).toBe(2);
    await executor.close();
    db.close();
  });

  it('does not count a starting worker stopped by a cancelled call as a start failure', async () => {
    const db = await duckDatabase();
    const executor = createExecutor(testHost(db), { threads: 1, max_start_failures: 1 });
    const ok = endpoint('slow_init_ok', 'ts/slow_init.ts');
    const quit = endpoint('slow_init_quit', 'ts/slow_init.ts');
    expect((await executor.prepare([ok, quit])).size).toBe(0);
    expect(await failure(executor.execute(quit, {}, callContext()))).toBeInstanceOf(Errors.MXCP_E_EXEC_WORKER_CRASHED);
    // The replacement has taken this call but is still in its 800 ms onInit hook when the call is cancelled.
    const controller = new AbortController();
    const cancelled = failure(executor.execute(ok, {}, callContext({ signal: controller.signal })));
    setTimeout(() => controller.abort(), 300);
    expect(await cancelled).toBeInstanceOf(Errors.MXCP_E_EXEC_ABORTED);
    expect(await executor.execute(ok, {}, callContext())).toBe('ok');
    await executor.close();
    db.close();
  });
});
