// What endpoint code sees of its call: the user (also in SQL), the client channel, configuration, parameters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateParam, TimeParam, TimestampParam } from '../daemon/types/values.js';
import createExecutor from '../plugins/executor-js/index.js';
import type { Executor } from '../sdk/executor.js';
import {
  callContext,
  duckDatabase,
  endpoint,
  memoryLogger,
  recordingClient,
  type TestDatabase,
  testHost,
  userContext,
} from './fixtures/executor-js/harness.js';

const whoami = endpoint('whoami', 'ts/users.ts');
const notify = endpoint('notify', 'ts/notify.ts');
const topLevel = endpoint('top_level_error', 'ts/context.ts');
const readConfig = endpoint('read_config', 'ts/context.ts');
const leaveTimer = endpoint('leave_timer', 'ts/context.ts');
const timerResult = endpoint('timer_result', 'ts/context.ts');
const temporal = endpoint('temporal', 'ts/context.ts');
const bigResult = endpoint('big_result', 'ts/results.ts');

describe('executor-js: call context', () => {
  let db: TestDatabase;
  let executor: Executor;
  const logger = memoryLogger();

  beforeAll(async () => {
    db = await duckDatabase();
    executor = createExecutor(testHost(db, logger), { threads: 2 });
    expect((await executor.prepare([whoami, notify, topLevel, readConfig, leaveTimer, timerResult, temporal, bigResult])).size).toBe(0);
  });

  afterAll(async () => {
    await executor.close();
    db.close();
  });

  it('gives each of 50 concurrent calls its own user, in getUserContext and in the SQL context', async () => {
    const names = Array.from({ length: 50 }, (_, i) => `user${i}`);
    const results = await Promise.all(
      names.map((name, i) => executor.execute(whoami, { delay: i % 7 }, callContext({ user: userContext(name) }))),
    );
    results.forEach((result, i) => {
      expect(result).toEqual({ before: names[i], after: names[i], fromDb: names[i] });
    });
    // The database saw each query with the context of the call that sent it.
    const queries = db.queries.filter((q) => q.sql === 'SELECT $name AS name');
    expect(queries).toHaveLength(50);
    for (const q of queries) expect(q.username).toBe(q.params?.name);
  });

  it('sees no user on an anonymous call', async () => {
    expect(await executor.execute(whoami, { delay: 0 }, callContext())).toEqual({ fromDb: 'nobody' });
  });

  it('forwards mcp log and progress messages to the call’s client channel, all before the call returns', async () => {
    const client = recordingClient();
    expect(await executor.execute(notify, {}, callContext({ client: client.channel }))).toBe('notified');
    expect(client.logs).toEqual([
      { level: 'info', message: 'starting', data: { step: 1 } },
      { level: 'warning', message: 'careful', data: undefined },
    ]);
    expect(client.progress).toEqual([
      { progress: 1, total: 2, message: 'half way' },
      { progress: 2, total: 2, message: undefined },
    ]);
  });

  it('logs mcp messages locally when the call has no client', async () => {
    await executor.execute(notify, {}, callContext());
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'info', msg: 'starting' }));
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'careful' }));
  });

  it('throws the coded no-context error from db.execute at module top level', async () => {
    expect(await executor.execute(topLevel, {}, callContext())).toBe(
      'MXCP_E_EXEC_NO_CONTEXT: No execution context available - function not called from MXCP executor',
    );
  });

  it('refuses db.execute from a timer that outlives its call', async () => {
    // threads: 2 — run both on the same worker by keeping the other one busy.
    const busy = executor.execute(whoami, { delay: 300 }, callContext());
    expect(await executor.execute(leaveTimer, {}, callContext())).toBe('left');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await executor.execute(timerResult, {}, callContext())).toBe(
      'MXCP_E_EXEC_NO_CONTEXT: No execution context available - function not called from MXCP executor',
    );
    await busy;
  });

  it('exposes configuration copied into the worker', async () => {
    const user = userContext('alice');
    expect(await executor.execute(readConfig, {}, callContext({ user }))).toEqual({
      secret: { token: 's3cret' },
      missingSecret: null,
      project: 'demo',
      deep: 'deep',
      fallback: 'fb',
      profile: 'dev',
      userHasProjects: true,
      user,
    });
  });

  it('passes dates and times as ISO strings and timestamps as Date', async () => {
    const params = {
      d: new DateParam('2024-02-29'),
      t: new TimeParam('12:34:56.789'),
      ts: new TimestampParam('2024-02-29T12:34:56.789+00:00', 1709210096789000n, true),
      list: [new DateParam('2024-01-01')],
      nested: { local: new TimestampParam('2024-02-29T12:34:56', 1709210096000000n, false) },
      plain: 'text',
    };
    expect(await executor.execute(temporal, params, callContext())).toEqual({
      d: '2024-02-29',
      t: '12:34:56.789',
      ts: { date: '2024-02-29T12:34:56.789Z' },
      list: ['2024-01-01'],
      nested: { local: new Date('2024-02-29T12:34:56.000Z') },
      plain: 'text',
    });
  });

  it('returns small and large results intact, with Date and bigint values', async () => {
    for (const n of [1, 20_000]) {
      const rows = (await executor.execute(bigResult, { n }, callContext())) as { i: number; label: string; at: Date; big: bigint }[];
      expect(rows).toHaveLength(n);
      expect(rows[n - 1]).toEqual({ i: n - 1, label: `row ${n - 1}`, at: new Date(0), big: BigInt(n - 1) });
    }
  });
});
