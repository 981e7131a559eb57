/**
 * The DuckDB runtime of one generation: a pool of connections on the process's shared instance for the
 * database file (instance-registry.ts), each set up with extensions, secrets and the SQL context
 * functions, and the query API the executors use.
 *
 *   open ─> acquire instance ─> connection 0: functions, INSTALL+LOAD, secrets ─> connections 1..n: LOAD
 *   query ─> checkout (FIFO, deadline) ─> context set ─> statements ─> context cleared ─> release ─> JSON
 *   close ─> refuse new queries ─> wait for checked-out connections (bound) ─> interrupt ─> release instance
 */
import { availableParallelism } from 'node:os';
import { type DuckDBConnection, StatementType } from '@duckdb/node-api';
import { Errors, isMxcpError, type MxcpError } from '../../sdk/errors/index.js';
import type { UserContext } from '../../sdk/user-context.js';
import type { SiteConfig, UserSecret } from '../config/types.js';
import type { Logger } from '../logging/logger.js';
import { ConnectionPool, checkThreadpool, PooledConnection } from './connection-pool.js';
import { extensionSpecs, loadExtensions, setUpInstance } from './connection-setup.js';
import { acquireInstance, type DatabaseIdentity, releaseInstance, type SharedInstance } from './instance-registry.js';
import { QueryScope } from './query-scope.js';
import { type QueryResult, toQueryResult } from './result-rows.js';
import { runStatements } from './run-statements.js';
import { firstStatementParameters, scanSql } from './sql-text.js';

export type { DatabaseIdentity } from './instance-registry.js';
export { currentIdentity } from './instance-registry.js';
export type { QueryColumn, QueryResult } from './result-rows.js';

export interface DuckDBRuntimeOptions {
  readonly path: string;
  readonly readonly: boolean;
  readonly extensions: SiteConfig['extensions'];
  readonly secrets: readonly UserSecret[];
  /** Default per-query deadline; 0 or less means none. */
  readonly queryTimeoutMs: number;
  /** Connections in the pool; default max(8, 2 × cores). */
  readonly poolSize?: number;
  readonly logger: Logger;
  /** How long close() waits for checked-out connections before interrupting them; default 5 s. */
  readonly closeTimeoutMs?: number;
  /** Prepared statements kept per connection (LRU); default 64. */
  readonly statementCacheSize?: number;
  /**
   * Registers further scalar functions (udf plugins) on the first connection, after the built-in ones.
   * DuckDB functions are instance-wide and a name registered again is replaced, so each generation's
   * runtime registers its own, even on a reused instance.
   */
  readonly registerFunctions?: (connection: DuckDBConnection) => Promise<void>;
}

export interface QueryContext {
  readonly user?: UserContext;
  /** Request headers (keys lower-case over HTTP), for `get_request_header()`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Aborting interrupts the query: MXCP_E_DB_CANCELLED. */
  readonly signal?: AbortSignal;
  /** Overrides the runtime's default deadline for this call: MXCP_E_DB_TIMEOUT when exceeded. */
  readonly timeoutMs?: number;
}

export type PrepareCheck = { readonly ok: true } | { readonly ok: false; readonly error: string };

export function defaultPoolSize(): number {
  // Point queries wait on the libuv threadpool more than they compute: on 2 cores, 8 connections served a
  // 10k-row point lookup at ~1770 calls/s where 4 gave 1330-1620 (scripts/bench/serve.mjs engine floor).
  return Math.max(8, 2 * availableParallelism());
}

/** DuckDB's message without the binding's "Failed to extract statements: " prefix. */
function duckdbMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/^Failed to extract statements: /, '').trim();
}

function queryError(err: unknown): MxcpError {
  if (isMxcpError(err)) return err;
  const detail = duckdbMessage(err);
  if (/read-only mode/i.test(detail)) return new Errors.MXCP_E_DB_READONLY({ detail }, { cause: err });
  return new Errors.MXCP_E_DB_QUERY({ detail }, { cause: err });
}

export class DuckDBRuntime {
  readonly #shared: SharedInstance;
  readonly #pool: ConnectionPool;
  readonly #options: DuckDBRuntimeOptions;
  #closing: Promise<void> | undefined;

  private constructor(shared: SharedInstance, pool: ConnectionPool, options: DuckDBRuntimeOptions) {
    this.#shared = shared;
    this.#pool = pool;
    this.#options = options;
  }

  static async open(options: DuckDBRuntimeOptions): Promise<DuckDBRuntime> {
    const specs = extensionSpecs(options.extensions);
    const shared = await acquireInstance(options.path, options.readonly, options.logger);
    const connections: PooledConnection[] = [];
    try {
      const size = Math.max(1, options.poolSize ?? defaultPoolSize());
      for (let i = 0; i < size; i++) {
        const conn = await shared.instance.connect();
        connections.push(new PooledConnection(conn, conn.clientContext.connectionId, options.statementCacheSize ?? 64));
        if (i === 0) {
          await setUpInstance(shared, conn, specs, options.secrets, options.logger);
          await options.registerFunctions?.(conn);
        } else await loadExtensions(conn, specs);
      }
    } catch (err) {
      for (const c of connections) c.close();
      await releaseInstance(shared);
      throw err;
    }
    options.logger.debug(
      { path: shared.identity.path, readonly: options.readonly, connections: connections.length },
      'DuckDB runtime open',
    );
    checkThreadpool(connections.length, options.logger);
    return new DuckDBRuntime(shared, new ConnectionPool(connections), options);
  }

  get poolSize(): number {
    return this.#pool.size;
  }

  identity(): DatabaseIdentity {
    return this.#shared.identity;
  }

  /** Runs `sql` (one or more statements) with `$name` parameters bound; the last statement's result. */
  async query(sql: string, params: Readonly<Record<string, unknown>> = {}, ctx: QueryContext = {}): Promise<QueryResult> {
    if (this.#closing) throw new Errors.MXCP_E_DB_CLOSED({ path: this.#shared.identity.path });
    const scope = new QueryScope(ctx.timeoutMs ?? this.#options.queryTimeoutMs, ctx.signal);
    let conn: PooledConnection;
    try {
      conn = await this.#pool.checkout(scope);
    } catch (err) {
      scope.dispose();
      throw scope.error() ?? err;
    }
    // From here until release this connection runs only this query: its context is the query's.
    const contexts = this.#shared.contexts;
    contexts.set(conn.id, ctx);
    scope.attach(() => conn.connection.interrupt());
    let result: Awaited<ReturnType<typeof runStatements>>;
    try {
      result = await runStatements(conn, sql, params, scope);
    } catch (err) {
      // close() interrupts what still runs after its grace period: say so rather than "Interrupted!".
      if (this.#closing && !scope.cause && /INTERRUPT/.test(String(err))) {
        throw new Errors.MXCP_E_DB_CLOSED({ path: this.#shared.identity.path }, { cause: err });
      }
      throw scope.error(err) ?? queryError(err);
    } finally {
      scope.dispose();
      // Cleared before release: the next holder of this connection sets its own context.
      contexts.delete(conn.id);
      this.#pool.release(conn);
    }
    // The materialised result no longer needs the connection: convert after handing it back.
    return toQueryResult(result);
  }

  /**
   * `mxcp validate`'s check: parses every statement and binds (tables and columns must exist) without
   * executing. PREPARE applies no effects, so binding stops after the first statement that is not a
   * SELECT: a later statement may rely on a table that one creates.
   */
  async prepareCheck(sql: string): Promise<PrepareCheck> {
    if (!scanSql(sql).hasStatement) return { ok: false, error: 'the SQL text contains no statement' };
    return this.#withConnection(async (conn) => {
      try {
        const extracted = await conn.connection.extractStatements(sql);
        for (let i = 0; i < extracted.count; i++) {
          const prepared = await extracted.prepare(i);
          const type = prepared.statementType;
          prepared.destroySync();
          if (type !== StatementType.SELECT) break;
        }
        return { ok: true };
      } catch (err) {
        return { ok: false, error: duckdbMessage(err) };
      }
    });
  }

  /**
   * Named parameters of the first statement, as DuckDB binds them; when binding fails (a missing table),
   * from the SQL text (sql-text.ts), which is also usable without a database.
   */
  async namedParameters(sql: string): Promise<string[]> {
    if (!scanSql(sql).hasStatement) return [];
    try {
      return await this.#withConnection(async (conn) => {
        const prepared = await (await conn.connection.extractStatements(sql)).prepare(0);
        try {
          const names: string[] = [];
          for (let i = 1; i <= prepared.parameterCount; i++) names.push(prepared.parameterName(i));
          return [...new Set(names.filter((n) => !/^\d+$/.test(n)))];
        } finally {
          prepared.destroySync();
        }
      });
    } catch {
      return firstStatementParameters(sql);
    }
  }

  /** Idempotent; resolves when the pool is closed and this runtime's reference on the instance is released. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    const path = this.#shared.identity.path;
    const stuck = await this.#pool.close(new Errors.MXCP_E_DB_CLOSED({ path }), this.#options.closeTimeoutMs ?? 5000, 1000, (c) =>
      c.connection.interrupt(),
    );
    if (stuck.length > 0)
      this.#options.logger.warn({ path, connections: stuck.length }, 'DuckDB connections still busy after close; left open');
    await releaseInstance(this.#shared);
  }

  async #withConnection<T>(fn: (conn: PooledConnection) => Promise<T>): Promise<T> {
    if (this.#closing) throw new Errors.MXCP_E_DB_CLOSED({ path: this.#shared.identity.path });
    const scope = new QueryScope(this.#options.queryTimeoutMs);
    try {
      const conn = await this.#pool.checkout(scope).catch((err: unknown) => {
        throw scope.error() ?? err;
      });
      try {
        return await fn(conn);
      } finally {
        this.#pool.release(conn);
      }
    } finally {
      scope.dispose();
    }
  }
}
