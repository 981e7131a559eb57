/**
 * DuckDB values → JSON-safe JavaScript values, following docs/duckdb-types.md. A converter is compiled
 * once per result column from its DuckDB type (the type, not the value, decides: a MAP column is an object
 * or an array of entries for every row alike), so `JSON.stringify` never meets a bigint, NaN or class.
 */
import {
  type DuckDBArrayType,
  type DuckDBBitValue,
  type DuckDBBlobValue,
  DuckDBDateValue,
  type DuckDBDecimalValue,
  type DuckDBGeometryValue,
  type DuckDBIntervalValue,
  type DuckDBListType,
  type DuckDBListValue,
  type DuckDBMapType,
  type DuckDBMapValue,
  type DuckDBStructType,
  type DuckDBStructValue,
  type DuckDBTimeNSValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampValue,
  type DuckDBTimeTZValue,
  type DuckDBTimeValue,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBUnionType,
  type DuckDBUnionValue,
  type DuckDBValue,
  DuckDBVariantValue,
} from '@duckdb/node-api';
import { decimalToJson, integerToJson, type Json, jsonFromLooseValue, setJsonKey } from './json-values.js';

export type { Json } from './json-values.js';

import { formatDate, formatInterval, formatOffset, formatTimeMicros, formatTimeNanos, formatTimestamp } from './temporal-format.js';

export type JsonConverter = (value: DuckDBValue) => Json;

/** NaN and ±Infinity have no JSON form: null (what JSON.stringify itself writes). */
function doubleToJson(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** FLOAT (float32): the shortest decimal that reads back to the same float32, not its float64 expansion. */
function floatToJson(value: number): number | null {
  if (!Number.isFinite(value)) return null;
  for (let p = 1; p < 10; p++) {
    const candidate = Number(value.toPrecision(p));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Infinite dates and timestamps: DuckDB's own spelling. */
const kPosInf = 'infinity';
const kNegInf = '-infinity';

function dateToJson(v: DuckDBDateValue): string {
  if (v.days === DuckDBDateValue.PosInf.days) return kPosInf;
  if (v.days === DuckDBDateValue.NegInf.days) return kNegInf;
  return formatDate(v.days);
}

function timestampConverter(
  unitsPerSecond: bigint,
  digits: number,
  suffix: string,
  read: (v: DuckDBValue) => bigint,
  inf: bigint,
): JsonConverter {
  return (v) => {
    const units = read(v);
    if (units === inf) return kPosInf;
    if (units === -inf) return kNegInf;
    return formatTimestamp(units, unitsPerSecond, digits) + suffix;
  };
}

/** Compiles the converter for one DuckDB type. Every converter maps SQL NULL to `null`. */
export function converterFor(type: DuckDBType): JsonConverter {
  const convert = compile(type);
  return (value) => (value === null ? null : convert(value));
}

function compile(type: DuckDBType): JsonConverter {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.ENUM:
      return (v) => v as boolean | number | string;
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return (v) => integerToJson(v as bigint);
    case DuckDBTypeId.FLOAT:
      return (v) => floatToJson(v as number);
    case DuckDBTypeId.DOUBLE:
      return (v) => doubleToJson(v as number);
    case DuckDBTypeId.DECIMAL:
      return (v) => decimalToJson(v as DuckDBDecimalValue);
    case DuckDBTypeId.BLOB:
      return (v) => base64((v as DuckDBBlobValue).bytes);
    case DuckDBTypeId.GEOMETRY:
      return (v) => base64((v as DuckDBGeometryValue).bytes);
    case DuckDBTypeId.UUID:
    case DuckDBTypeId.BIT:
      return (v) => (v as DuckDBBitValue).toString();
    case DuckDBTypeId.DATE:
      return (v) => dateToJson(v as DuckDBDateValue);
    case DuckDBTypeId.TIME:
      return (v) => formatTimeMicros((v as DuckDBTimeValue).micros);
    case DuckDBTypeId.TIME_NS:
      return (v) => formatTimeNanos((v as DuckDBTimeNSValue).nanos);
    case DuckDBTypeId.TIME_TZ:
      return (v) => formatTimeMicros((v as DuckDBTimeTZValue).micros) + formatOffset((v as DuckDBTimeTZValue).offset);
    case DuckDBTypeId.TIMESTAMP:
      return timestampConverter(1_000_000n, 6, '', (v) => (v as DuckDBTimestampValue).micros, DuckDBTimestampValue.PosInf.micros);
    case DuckDBTypeId.TIMESTAMP_TZ:
      // An instant: rendered in UTC with an explicit offset, whatever the process time zone is.
      return timestampConverter(1_000_000n, 6, '+00:00', (v) => (v as DuckDBTimestampValue).micros, DuckDBTimestampValue.PosInf.micros);
    case DuckDBTypeId.TIMESTAMP_S:
      return timestampConverter(1n, 0, '', (v) => (v as DuckDBTimestampSecondsValue).seconds, DuckDBTimestampSecondsValue.PosInf.seconds);
    case DuckDBTypeId.TIMESTAMP_MS:
      return timestampConverter(
        1000n,
        3,
        '',
        (v) => (v as DuckDBTimestampMillisecondsValue).millis,
        DuckDBTimestampMillisecondsValue.PosInf.millis,
      );
    case DuckDBTypeId.TIMESTAMP_NS:
      return timestampConverter(
        1_000_000_000n,
        9,
        '',
        (v) => (v as DuckDBTimestampNanosecondsValue).nanos,
        DuckDBTimestampNanosecondsValue.PosInf.nanos,
      );
    case DuckDBTypeId.INTERVAL:
      return (v) => {
        const i = v as DuckDBIntervalValue;
        return formatInterval(i.months, i.days, i.micros);
      };
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const item = converterFor((type as DuckDBListType | DuckDBArrayType).valueType);
      return (v) => (v as DuckDBListValue).items.map(item);
    }
    case DuckDBTypeId.STRUCT:
      return structConverter(type as DuckDBStructType);
    case DuckDBTypeId.MAP:
      return mapConverter(type as DuckDBMapType);
    case DuckDBTypeId.UNION: {
      const t = type as DuckDBUnionType;
      const members = new Map(t.memberTags.map((tag, i) => [tag, converterFor(t.memberTypes[i]!)]));
      return (v) => {
        const u = v as DuckDBUnionValue;
        return (members.get(u.tag) ?? jsonFromLooseValue)(u.value);
      };
    }
    case DuckDBTypeId.VARIANT:
      return (v) => {
        const inner = v instanceof DuckDBVariantValue ? v : new DuckDBVariantValue(v);
        return inner.type ? converterFor(inner.type)(inner.value) : jsonFromLooseValue(inner.value);
      };
    case DuckDBTypeId.SQLNULL:
      return () => null;
    default:
      // A type this mapping does not know yet (a future DuckDB): best effort from the value's own shape.
      return jsonFromLooseValue;
  }
}

function structConverter(type: DuckDBStructType): JsonConverter {
  const names = type.entryNames;
  const fields = type.entryTypes.map(converterFor);
  return (v) => {
    const entries = (v as DuckDBStructValue).entries;
    const out: { [key: string]: Json } = {};
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      // hasOwn: a field named `__proto__` is not an own entry of the binding's value object (it is lost there).
      setJsonKey(out, name, fields[i]!(Object.hasOwn(entries, name) ? (entries[name] ?? null) : null));
    }
    return out;
  };
}

/** MAP with string keys (VARCHAR, ENUM) → object; any other key type → `[{key, value}]` in map order. */
function mapConverter(type: DuckDBMapType): JsonConverter {
  const key = converterFor(type.keyType);
  const value = converterFor(type.valueType);
  const stringKeys = type.keyType.typeId === DuckDBTypeId.VARCHAR || type.keyType.typeId === DuckDBTypeId.ENUM;
  if (stringKeys) {
    return (v) => {
      const out: { [key: string]: Json } = {};
      for (const e of (v as DuckDBMapValue).entries) setJsonKey(out, e.key as string, value(e.value));
      return out;
    };
  }
  return (v) => (v as DuckDBMapValue).entries.map((e) => ({ key: key(e.key), value: value(e.value) }));
}
