/**
 * Runs one SQL text on one connection: every statement in order with `$name` parameters bound, and
 * returns the last statement's result (MXCP: "DuckDB executes all, the last statement's result is
 * returned"). Statements come from the connection's cache, or are extracted and prepared one by one
 * (statement i may depend on what statement i-1 created) and cached after a complete run.
 *
 * The last statement's result is materialised by the execution itself (`execute_prepared`), so its chunks
 * are read synchronously afterwards (result-rows.ts) rather than fetched one async hop per chunk: each hop
 * is a round trip through the libuv threadpool, and a point lookup needs two (its chunk, then the empty
 * end-of-result chunk). Measured on the 2-core bench machine, in-process with 32 callers on 8
 * connections: `SELECT CAST($x AS INTEGER)` fell from ~170 to ~110 µs of CPU per call, and
 * `mxcp serve` answered the 10k-row point lookup of scripts/bench/serve.mjs at 1335 req/s instead of 1153.
 */
import { type DuckDBMaterializedResult, StatementType } from '@duckdb/node-api';
import { Errors } from '../../sdk/errors/index.js';
import { bindParameters } from './bind-params.js';
import type { PooledConnection } from './connection-pool.js';
import type { QueryScope } from './query-scope.js';
import { scanSql } from './sql-text.js';
import { type CachedStatement, describeStatement, destroyStatements } from './statement-cache.js';

const kNoStatement = 'the SQL text contains no statement';

async function runOne(
  stmt: CachedStatement,
  params: Readonly<Record<string, unknown>>,
  last: boolean,
  scope: QueryScope,
): Promise<DuckDBMaterializedResult | undefined> {
  bindParameters(stmt, params);
  // DuckDB ignores an interrupt that arrives while the connection is between statements (or preparing
  // one): check the scope ourselves right before each run.
  scope.throwIfAborted();
  const result = await stmt.prepared.run();
  return last ? result : undefined;
}

/**
 * After a failure inside an explicit transaction, or after SQL that opened or closed one, the pooled
 * connection must not stay in a transaction the next caller did not start: roll back, ignoring
 * "no transaction is active". Costs a statement only on those paths.
 */
async function resetTransaction(conn: PooledConnection): Promise<void> {
  try {
    await conn.connection.run('ROLLBACK');
  } catch {
    // No transaction was open: nothing to reset.
  }
}

export async function runStatements(
  conn: PooledConnection,
  sql: string,
  params: Readonly<Record<string, unknown>>,
  scope: QueryScope,
): Promise<DuckDBMaterializedResult> {
  let statements = conn.statements.get(sql);
  let fresh: CachedStatement[] | undefined;
  let result: DuckDBMaterializedResult | undefined;
  try {
    if (statements) {
      for (let i = 0; i < statements.length; i++) {
        result = await runOne(statements[i]!, params, i === statements.length - 1, scope);
      }
    } else {
      // DuckDB's extractor fails without a message on text that is only comments: say what it is.
      if (!scanSql(sql).hasStatement) throw new Errors.MXCP_E_DB_QUERY({ detail: kNoStatement });
      fresh = [];
      const extracted = await conn.connection.extractStatements(sql);
      for (let i = 0; i < extracted.count; i++) {
        const stmt = describeStatement(await extracted.prepare(i));
        fresh.push(stmt);
        result = await runOne(stmt, params, i === extracted.count - 1, scope);
      }
      conn.statements.set(sql, fresh);
      statements = fresh;
      fresh = undefined;
    }
  } catch (err) {
    if (fresh) destroyStatements(fresh);
    scope.detach();
    await resetTransaction(conn);
    throw err;
  }
  if (statements.some((s) => s.type === StatementType.TRANSACTION)) {
    scope.detach();
    await resetTransaction(conn);
  }
  if (!result) throw new Errors.MXCP_E_DB_QUERY({ detail: kNoStatement });
  return result;
}
