/**
 * A fixed set of DuckDB connections handed out one query at a time. A DuckDB connection runs one
 * statement at a time, so a query owns its connection from checkout to release; callers that find none
 * idle wait in FIFO order. Waiting honours an AbortSignal (the query's deadline or cancellation).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Logger } from '../logging/logger.js';
import { StatementCache } from './statement-cache.js';

export class PooledConnection {
  readonly statements: StatementCache;

  constructor(
    readonly connection: DuckDBConnection,
    /** DuckDB's id for the connection: the key the SQL context functions look up. */
    readonly id: number,
    statementCacheSize: number,
  ) {
    this.statements = new StatementCache(statementCacheSize);
  }

  /** Frees the cached statements and the native connection. Only for an idle connection. */
  close(): void {
    this.statements.clear();
    this.connection.disconnectSync();
  }
}

/** What a checkout can be cancelled by: an AbortSignal's essentials without its EventTarget (query-scope.ts). */
export interface CheckoutAbort {
  readonly aborted: boolean;
  readonly reason: unknown;
  /** Calls `listener` once when it aborts; the returned function unsubscribes. */
  onAbort(listener: () => void): () => void;
}

interface Waiter {
  resolve(conn: PooledConnection): void;
  reject(reason: unknown): void;
}

export class ConnectionPool {
  readonly #all: readonly PooledConnection[];
  readonly #idle: PooledConnection[];
  readonly #waiters: Waiter[] = [];
  #closed = false;
  /** Set once close() has disconnected the idle connections: a late release disconnects its own. */
  #finished = false;
  #onIdle: (() => void) | undefined;

  constructor(connections: readonly PooledConnection[]) {
    this.#all = connections;
    this.#idle = [...connections];
  }

  get size(): number {
    return this.#all.length;
  }

  get busy(): number {
    return this.#all.length - this.#idle.length;
  }

  /** Resolves with an idle connection; rejects with `abort.reason` if it aborts first. */
  checkout(abort?: CheckoutAbort): Promise<PooledConnection> {
    if (abort?.aborted) return Promise.reject(abort.reason);
    const idle = this.#idle.pop();
    if (idle) return Promise.resolve(idle);
    return new Promise<PooledConnection>((resolve, reject) => {
      const unsubscribe = abort?.onAbort(() => {
        const at = this.#waiters.indexOf(waiter);
        if (at >= 0) this.#waiters.splice(at, 1);
        reject(abort.reason);
      });
      const waiter: Waiter = {
        resolve: (conn) => {
          unsubscribe?.();
          resolve(conn);
        },
        reject: (reason) => {
          unsubscribe?.();
          reject(reason);
        },
      };
      this.#waiters.push(waiter);
    });
  }

  /** Hands the connection to the longest waiter, or back to the idle set. */
  release(conn: PooledConnection): void {
    if (this.#finished) {
      conn.close();
      return;
    }
    const next = this.#closed ? undefined : this.#waiters.shift();
    if (next) {
      next.resolve(conn);
      return;
    }
    this.#idle.push(conn);
    if (this.#idle.length === this.#all.length) this.#onIdle?.();
  }

  /**
   * Stops handing out connections (waiters get `reason`), waits up to `graceMs` for checked-out ones,
   * calls `interrupt` on those still out and waits up to `interruptGraceMs` more. Closes every
   * connection that came back and returns those that did not (they are left to the process exit:
   * disconnecting a connection while a query runs on it is not safe).
   */
  async close(
    reason: unknown,
    graceMs: number,
    interruptGraceMs: number,
    interrupt: (c: PooledConnection) => void,
  ): Promise<PooledConnection[]> {
    this.#closed = true;
    for (const w of this.#waiters.splice(0)) w.reject(reason);
    if (!(await this.#waitIdle(graceMs))) {
      // Repeated: an interrupt that lands before a statement has begun is reset when it begins.
      const interruptBusy = (): void => {
        for (const c of this.#all) if (!this.#idle.includes(c)) interrupt(c);
      };
      interruptBusy();
      const repeat = setInterval(interruptBusy, 25);
      await this.#waitIdle(interruptGraceMs);
      clearInterval(repeat);
    }
    const stuck = this.#all.filter((c) => !this.#idle.includes(c));
    for (const c of this.#idle.splice(0)) c.close();
    this.#finished = true;
    return stuck;
  }

  async #waitIdle(ms: number): Promise<boolean> {
    if (this.#idle.length === this.#all.length) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.#onIdle = undefined;
        resolve(false);
      }, ms);
      this.#onIdle = () => {
        clearTimeout(timer);
        this.#onIdle = undefined;
        resolve(true);
      };
    });
  }
}

/**
 * @duckdb/node-api runs each statement on a libuv worker thread that waits for DuckDB, so at most
 * UV_THREADPOOL_SIZE (default 4) statements run at once, and long queries also starve fs, dns and crypto
 * work. libuv reads the variable when its pool starts, before any module code runs (the ESM loader
 * already uses it), so only the process environment can raise it: warn once when it is below the pool.
 */
let threadpoolWarned = false;
export function checkThreadpool(poolSize: number, logger: Logger): void {
  const threads = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  if (threadpoolWarned || poolSize <= threads) return;
  threadpoolWarned = true;
  logger.warn(
    { poolSize, threads },
    `the DuckDB pool has ${poolSize} connections but libuv runs ${threads} statements at once; start the process with UV_THREADPOOL_SIZE=${poolSize + 4} or more`,
  );
}
