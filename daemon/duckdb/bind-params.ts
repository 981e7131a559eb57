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
 *
 * A JavaScript number is bound as the type DuckDB inferred for the parameter when it prepared the statement
 * (`WHERE int_col = $id` infers INTEGER) and the value fits that type exactly. Binding a value of any other
 * type makes DuckDB rebind, i.e. plan the statement again, on every execution: measured on the 2-core bench
 * machine, 32 concurrent `SELECT CAST($x AS INTEGER)` cost ~255 µs of DuckDB CPU per call bound as BIGINT
 * against ~130 µs bound as INTEGER. DuckDB infers a type only where the context fixes one (a comparison
 * with a column, a CAST); in arithmetic (`i32 * $p`) it leaves it open, and the number is bound as BIGINT
 * as before, so `i32 * $p` cannot overflow INTEGER because of this.
 */
import { type DuckDBPreparedStatement, DuckDBTimestampTZValue, DuckDBTimestampValue, DuckDBTypeId } from '@duckdb/node-api';
import { Errors } from '../../sdk/errors/index.js';
import { DateParam, TimeParam, TimestampParam } from '../types/values.js';
import { isPlainRecord, nestedType, nestedValue } from './nested-values.js';
import { BindError, dateFromIso, timeFromIso, timestampTzFromDate } from './scalar-values.js';

const kInt64Min = -(2n ** 63n);
const kInt64Max = 2n ** 63n - 1n;
const kInt128Min = -(2n ** 127n);
const kInt128Max = 2n ** 127n - 1n;
const kUint128Max = 2n ** 128n - 1n;

/** A cached prepared statement, its parameter names (index i ↔ `$names[i]`) and their inferred types. */
export interface StatementParams {
  readonly prepared: DuckDBPreparedStatement;
  readonly names: readonly string[];
  readonly paramTypes?: readonly DuckDBTypeId[];
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
      const value = params[name];
      if (typeof value === 'number' && bindNumberAs(stmt.prepared, i + 1, value, stmt.paramTypes?.[i])) continue;
      bindOne(stmt.prepared, i + 1, value);
    } catch (err) {
      throw new Errors.MXCP_E_DB_PARAM({ name, detail: err instanceof BindError ? err.message : String(err) }, { cause: err });
    }
  }
}

interface NumberBinder {
  readonly min: number;
  readonly max: number;
  bind(p: DuckDBPreparedStatement, index: number, value: number): void;
}

/** The integer types a number can be bound as without loss, with their ranges. */
const kIntegerBinders: ReadonlyMap<DuckDBTypeId, NumberBinder> = new Map([
  [DuckDBTypeId.INTEGER, { min: -(2 ** 31), max: 2 ** 31 - 1, bind: (p, i, v) => p.bindInteger(i, v) }],
  [DuckDBTypeId.SMALLINT, { min: -(2 ** 15), max: 2 ** 15 - 1, bind: (p, i, v) => p.bindSmallInt(i, v) }],
  [DuckDBTypeId.TINYINT, { min: -(2 ** 7), max: 2 ** 7 - 1, bind: (p, i, v) => p.bindTinyInt(i, v) }],
  [DuckDBTypeId.UINTEGER, { min: 0, max: 2 ** 32 - 1, bind: (p, i, v) => p.bindUInteger(i, v) }],
  [DuckDBTypeId.USMALLINT, { min: 0, max: 2 ** 16 - 1, bind: (p, i, v) => p.bindUSmallInt(i, v) }],
  [DuckDBTypeId.UTINYINT, { min: 0, max: 2 ** 8 - 1, bind: (p, i, v) => p.bindUTinyInt(i, v) }],
  [DuckDBTypeId.UBIGINT, { min: 0, max: Number.MAX_SAFE_INTEGER, bind: (p, i, v) => p.bindUBigInt(i, BigInt(v)) }],
]);

/** Binds `value` as the parameter's inferred numeric type when it fits exactly; false to bind it the default way. */
function bindNumberAs(p: DuckDBPreparedStatement, index: number, value: number, type: DuckDBTypeId | undefined): boolean {
  if (type === undefined) return false;
  if (type === DuckDBTypeId.DOUBLE) {
    // Every JavaScript number is a double: exact, including NaN and ±Infinity.
    p.bindDouble(index, value);
    return true;
  }
  const binder = kIntegerBinders.get(type);
  if (!binder || !Number.isInteger(value) || value < binder.min || value > binder.max) return false;
  binder.bind(p, index, value);
  return true;
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
