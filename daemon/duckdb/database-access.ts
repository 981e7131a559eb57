/**
 * The SDK's {@link DatabaseAccess} (what executors and endpoint code call `db.execute` on) over a
 * {@link DuckDBRuntime}: the execution context's user, headers and signal become the query's context.
 */
import type { DatabaseAccess, Row } from '../../sdk/executor.js';
import type { DuckDBRuntime } from './runtime.js';

export function createDatabaseAccess(runtime: DuckDBRuntime): DatabaseAccess {
  return {
    async execute(sql, params, context): Promise<Row[]> {
      const result = await runtime.query(sql, params ?? {}, {
        ...(context?.user ? { user: context.user } : {}),
        ...(context?.headers ? { headers: context.headers } : {}),
        ...(context?.signal ? { signal: context.signal } : {}),
      });
      return result.rows;
    },
  };
}
