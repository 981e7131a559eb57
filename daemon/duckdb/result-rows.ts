/** A materialised DuckDB result → `{ columns, rows }` with JSON-safe rows whose keys are in column order. */
import type { DuckDBMaterializedResult } from '@duckdb/node-api';
import type { Row } from '../../sdk/executor.js';
import { type Json, setJsonKey } from './json-values.js';
import { converterFor } from './result-json.js';

export interface QueryColumn {
  /** Column name; a repeated name gets DuckDB's `name:1`, `name:2` so that row keys stay distinct. */
  readonly name: string;
  /** DuckDB's type, e.g. `BIGINT`, `DECIMAL(18,3)`, `STRUCT("a" INTEGER)`. */
  readonly type: string;
}

export interface QueryResult {
  readonly columns: QueryColumn[];
  readonly rows: Row[];
}

/** Reads every chunk of a materialised result synchronously (its data is already in memory). */
export function toQueryResult(result: DuckDBMaterializedResult): QueryResult {
  const names = result.deduplicatedColumnNames();
  const types = result.columnTypes();
  const converters = types.map(converterFor);
  const rows: Row[] = [];
  const chunkCount = result.chunkCount;
  for (let c = 0; c < chunkCount; c++) {
    const chunk = result.getChunk(c);
    const count = chunk.rowCount;
    if (count === 0) continue;
    const vectors = names.map((_, i) => chunk.getColumnVector(i));
    for (let r = 0; r < count; r++) {
      const row: { [key: string]: Json } = {};
      for (let i = 0; i < names.length; i++) setJsonKey(row, names[i]!, converters[i]!(vectors[i]!.getItem(r)));
      rows.push(row);
    }
  }
  return { columns: names.map((name, i) => ({ name, type: types[i]!.toString() })), rows };
}
