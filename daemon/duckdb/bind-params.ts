/**
 * Binds `$name` parameters of a prepared statement from validated parameter values (values.ts). Values
 * are always bound, never interpolated into SQL text.
 *
 *   null → NULL            boolean → BOOLEAN        string → VARCHAR
 *   integral number → BIGINT (DOUBLE beyond ±2^63)   other number → DOUBLE
 *   bigint → BIGINT, HUGEINT or UHUGEINT by range    DateParam → DATE    TimeParam → TIME
 *   TimestampParam → TIMESTAMPTZ with an offset, else TIMESTAMP          Date → TIMESTAMPTZ
 *   Uint8Array → BLOB      array → LIST             plain object → STRUCT
 *
 * Nested values (lists, structs) need one DuckDB type for the whole value: it is inferred by unifying the
 * elements (null fits anything, BIGINT widens to DOUBLE, structs merge their fields).
 */
import { type DuckDBPreparedStatement, DuckDBTimestampTZValue, DuckDBTimestampValue } from '@duckdb/node-api';
import { Errors } from '../../sdk/errors/index.js';
import { DateParam, TimeParam, TimestampParam } from '../types/values.js';
import { isPlainRecord, nestedType, nestedValue } from './nested-values.js';
import { BindError, dateFromIso, timeFromIso, timestampTzFromDate } from './scalar-values.js';

const kInt64Min = -(2n ** 63n);
const kInt64Max = 2n ** 63n - 1n;
const kInt128Min = -(2n ** 127n);
const kInt128Max = 2n ** 127n - 1n;
const kUint128Max = 2n ** 128n - 1n;

/** A cached prepared statement and its parameter names (index i ↔ `$names[i]`). */
export interface StatementParams {
  readonly prepared: DuckDBPreparedStatement;
  readonly names: readonly string[];
}

/**
 * Clears the previous execution's bindings (a cached statement keeps them) and binds every parameter the
 * statement names that `params` has. A parameter absent from `params` stays unbound, and DuckDB reports
 * it by name when the statement runs.
 */
export function bindParameters(stmt: StatementParams, params: Readonly<Record<string, unknown>>): void {
  stmt.prepared.clearBindings();
  for (let i = 0; i < stmt.names.length; i++) {
    const name = stmt.names[i]!;
    if (!Object.hasOwn(params, name) || params[name] === undefined) continue;
    try {
      bindOne(stmt.prepared, i + 1, params[name]);
    } catch (err) {
      throw new Errors.MXCP_E_DB_PARAM({ name, detail: err instanceof BindError ? err.message : String(err) }, { cause: err });
    }
  }
}

function bindOne(p: DuckDBPreparedStatement, index: number, value: unknown): void {
  if (typeof value === 'string') p.bindVarchar(index, value);
  else if (typeof value === 'boolean') p.bindBoolean(index, value);
  else if (typeof value === 'number') {
    if (Number.isInteger(value) && Math.abs(value) < 2 ** 63) p.bindBigInt(index, BigInt(value));
    else p.bindDouble(index, value);
  } else if (typeof value === 'bigint') {
    if (value >= kInt64Min && value <= kInt64Max) p.bindBigInt(index, value);
    else if (value >= kInt128Min && value <= kInt128Max) p.bindHugeInt(index, value);
    else if (value > 0n && value <= kUint128Max) p.bindUHugeInt(index, value);
    else throw new BindError(`integer ${value} is outside the 128-bit range`);
  } else if (value === null) p.bindNull(index);
  else if (typeof value !== 'object') throw new BindError(`a ${typeof value} cannot be bound`);
  else if (value instanceof DateParam) p.bindDate(index, dateFromIso(value.iso));
  else if (value instanceof TimeParam) p.bindTime(index, timeFromIso(value.iso));
  else if (value instanceof TimestampParam) {
    if (value.hasOffset) p.bindTimestampTZ(index, new DuckDBTimestampTZValue(value.micros));
    else p.bindTimestamp(index, new DuckDBTimestampValue(value.micros));
  } else if (value instanceof Date) p.bindTimestampTZ(index, timestampTzFromDate(value));
  else if (value instanceof Uint8Array) p.bindBlob(index, value);
  else if (Array.isArray(value) || isPlainRecord(value)) {
    const type = nestedType(value);
    p.bindValue(index, nestedValue(value, type), type);
  } else throw new BindError(`a ${value.constructor?.name ?? 'object'} cannot be bound`);
}
