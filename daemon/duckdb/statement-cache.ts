/**
 * Prepared statements of one connection, keyed by SQL text, least recently used evicted first. An entry
 * holds every statement of a multi-statement text (statement i can only be prepared after statement i-1
 * has run, so entries are added after a first complete run). Prepared statements belong to their
 * connection: a cache is never shared.
 */
import type { DuckDBPreparedStatement, DuckDBTypeId, StatementType } from '@duckdb/node-api';

export interface CachedStatement {
  readonly prepared: DuckDBPreparedStatement;
  /** `$name` of parameter index i + 1, as DuckDB reports it. */
  readonly names: readonly string[];
  /** The type DuckDB inferred for parameter i + 1 when preparing (INVALID when the SQL leaves it open). */
  readonly paramTypes: readonly DuckDBTypeId[];
  readonly type: StatementType;
}

export function describeStatement(prepared: DuckDBPreparedStatement): CachedStatement {
  const names: string[] = [];
  const paramTypes: DuckDBTypeId[] = [];
  for (let i = 1; i <= prepared.parameterCount; i++) {
    names.push(prepared.parameterName(i));
    paramTypes.push(prepared.parameterTypeId(i));
  }
  return { prepared, names, paramTypes, type: prepared.statementType };
}

export function destroyStatements(statements: readonly CachedStatement[]): void {
  for (const s of statements) s.prepared.destroySync();
}

export class StatementCache {
  // Map iteration order is insertion order: re-inserting on a hit makes the first key the LRU one.
  readonly #entries = new Map<string, readonly CachedStatement[]>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.#entries.size;
  }

  get(sql: string): readonly CachedStatement[] | undefined {
    const hit = this.#entries.get(sql);
    if (hit) {
      this.#entries.delete(sql);
      this.#entries.set(sql, hit);
    }
    return hit;
  }

  set(sql: string, statements: readonly CachedStatement[]): void {
    if (this.capacity <= 0) {
      destroyStatements(statements);
      return;
    }
    const old = this.#entries.get(sql);
    if (old && old !== statements) destroyStatements(old);
    this.#entries.delete(sql);
    this.#entries.set(sql, statements);
    while (this.#entries.size > this.capacity) {
      const [oldest, evicted] = this.#entries.entries().next().value as [string, readonly CachedStatement[]];
      this.#entries.delete(oldest);
      destroyStatements(evicted);
    }
  }

  clear(): void {
    for (const statements of this.#entries.values()) destroyStatements(statements);
    this.#entries.clear();
  }
}
