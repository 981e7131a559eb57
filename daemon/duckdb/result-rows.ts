/** A materialised DuckDB result → `{ columns, rows }` with JSON-safe rows whose keys are in column order. */
import type { DuckDBResultReader } from '@duckdb/node-api';
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

export function toQueryResult(reader: DuckDBResultReader): QueryResult {
  const names = reader.deduplicatedColumnNames();
  const types = reader.columnTypes();
  const converters = types.map(converterFor);
  const rows: Row[] = reader.getRows().map((values) => {
    const row: { [key: string]: Json } = {};
    for (let i = 0; i < names.length; i++) setJsonKey(row, names[i]!, converters[i]!(values[i] ?? null));
    return row;
  });
  return { columns: names.map((name, i) => ({ name, type: types[i]!.toString() })), rows };
}
