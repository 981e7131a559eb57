/**
 * LIST and STRUCT parameters: one DuckDB type is inferred for a whole nested value, then the value is
 * converted to DuckDB value objects of exactly that type. Inference unifies element types so that
 * `[1, 2.5, null]` is DOUBLE[] and `[{a: 1}, {b: 'x'}]` is STRUCT(a BIGINT, b VARCHAR)[].
 */
import {
  BIGINT,
  BLOB,
  BOOLEAN,
  DATE,
  DOUBLE,
  DuckDBBlobValue,
  DuckDBListType,
  DuckDBListValue,
  DuckDBStructType,
  DuckDBStructValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBValue,
  HUGEINT,
  SQLNULL,
  TIME,
  TIMESTAMP,
  TIMESTAMPTZ,
  VARCHAR,
} from '@duckdb/node-api';
import { DateParam, TimeParam, TimestampParam } from '../types/values.js';
import { BindError, dateFromIso, timeFromIso, timestampTzFromDate } from './scalar-values.js';

const kInt64Min = -(2n ** 63n);
const kInt64Max = 2n ** 63n - 1n;

export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The DuckDB type of one parameter value (SQLNULL for null: it unifies with anything). */
export function nestedType(value: unknown): DuckDBType {
  if (value === null || value === undefined) return SQLNULL;
  switch (typeof value) {
    case 'boolean':
      return BOOLEAN;
    case 'string':
      return VARCHAR;
    case 'number':
      return Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? BIGINT : DOUBLE;
    case 'bigint':
      return value >= kInt64Min && value <= kInt64Max ? BIGINT : HUGEINT;
  }
  if (value instanceof DateParam) return DATE;
  if (value instanceof TimeParam) return TIME;
  if (value instanceof TimestampParam) return value.hasOffset ? TIMESTAMPTZ : TIMESTAMP;
  if (value instanceof Date) return TIMESTAMPTZ;
  if (value instanceof Uint8Array) return BLOB;
  if (Array.isArray(value)) return new DuckDBListType(value.reduce<DuckDBType>((t, item) => unify(t, nestedType(item)), SQLNULL));
  if (isPlainRecord(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) throw new BindError('an empty object has no STRUCT type (DuckDB structs need at least one field)');
    return new DuckDBStructType(
      keys,
      keys.map((k) => nestedType(value[k])),
    );
  }
  throw new BindError(`a ${(value as object).constructor?.name ?? typeof value} cannot be bound`);
}

const kNumericRank: Partial<Record<DuckDBTypeId, number>> = {
  [DuckDBTypeId.BIGINT]: 1,
  [DuckDBTypeId.HUGEINT]: 2,
  [DuckDBTypeId.DOUBLE]: 3,
};

/** The narrowest type both `a` and `b` fit; a BindError when there is none (e.g. a string and a number). */
function unify(a: DuckDBType, b: DuckDBType): DuckDBType {
  if (a.typeId === DuckDBTypeId.SQLNULL) return b;
  if (b.typeId === DuckDBTypeId.SQLNULL) return a;
  const ra = kNumericRank[a.typeId];
  const rb = kNumericRank[b.typeId];
  if (ra !== undefined && rb !== undefined) return ra >= rb ? a : b;
  if (a.typeId === DuckDBTypeId.LIST && b.typeId === DuckDBTypeId.LIST) {
    return new DuckDBListType(unify((a as DuckDBListType).valueType, (b as DuckDBListType).valueType));
  }
  if (a.typeId === DuckDBTypeId.STRUCT && b.typeId === DuckDBTypeId.STRUCT)
    return unifyStructs(a as DuckDBStructType, b as DuckDBStructType);
  if (a.typeId === DuckDBTypeId.TIMESTAMP && b.typeId === DuckDBTypeId.TIMESTAMP_TZ) return b;
  if (a.typeId === DuckDBTypeId.TIMESTAMP_TZ && b.typeId === DuckDBTypeId.TIMESTAMP) return a;
  if (a.typeId === b.typeId) return a;
  throw new BindError(`a list mixes ${a.toString()} and ${b.toString()} values; DuckDB lists hold one type`);
}

function unifyStructs(a: DuckDBStructType, b: DuckDBStructType): DuckDBStructType {
  const names = [...a.entryNames];
  const types = [...a.entryTypes];
  b.entryNames.forEach((name, i) => {
    const at = names.indexOf(name);
    if (at < 0) {
      names.push(name);
      types.push(b.entryTypes[i]!);
    } else types[at] = unify(types[at]!, b.entryTypes[i]!);
  });
  return new DuckDBStructType(names, types);
}

/** Converts `value` to DuckDB value objects of `type` (as inferred by {@link nestedType}, possibly widened). */
export function nestedValue(value: unknown, type: DuckDBType): DuckDBValue {
  if (value === null || value === undefined) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT:
      return typeof value === 'bigint' ? value : BigInt(value as number);
    case DuckDBTypeId.DOUBLE:
      return Number(value);
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.VARCHAR:
      return value as boolean | string;
    case DuckDBTypeId.DATE:
      return dateFromIso((value as DateParam).iso);
    case DuckDBTypeId.TIME:
      return timeFromIso((value as TimeParam).iso);
    case DuckDBTypeId.TIMESTAMP:
      return new DuckDBTimestampValue((value as TimestampParam).micros);
    case DuckDBTypeId.TIMESTAMP_TZ:
      return value instanceof Date ? timestampTzFromDate(value) : new DuckDBTimestampTZValue((value as TimestampParam).micros);
    case DuckDBTypeId.BLOB:
      return new DuckDBBlobValue(value as Uint8Array);
    case DuckDBTypeId.LIST: {
      const item = (type as DuckDBListType).valueType;
      return new DuckDBListValue((value as unknown[]).map((v) => nestedValue(v, item)));
    }
    case DuckDBTypeId.STRUCT: {
      const t = type as DuckDBStructType;
      const record = value as Record<string, unknown>;
      // A null-prototype record: a field named `__proto__` stays an ordinary entry.
      const entries: Record<string, DuckDBValue> = Object.create(null);
      t.entryNames.forEach((name, i) => {
        entries[name] = nestedValue(Object.hasOwn(record, name) ? record[name] : null, t.entryTypes[i]!);
      });
      return new DuckDBStructValue(entries);
    }
    default:
      throw new BindError(`cannot bind a nested ${type.toString()} value`);
  }
}
