/**
 * Helpers shared by the typed converters in result-json.ts: safe key assignment and a value-driven
 * fallback for values whose DuckDB type is not known statically (VARIANT members, future types).
 */
import {
  DuckDBArrayValue,
  DuckDBBitValue,
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBGeometryValue,
  DuckDBIntervalValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimeNSValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTimeTZValue,
  DuckDBTimeValue,
  DuckDBUnionValue,
  DuckDBUUIDValue,
  type DuckDBValue,
  DuckDBVariantValue,
} from '@duckdb/node-api';
import { formatDate, formatInterval, formatOffset, formatTimeMicros, formatTimeNanos, formatTimestamp } from './temporal-format.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const kMaxSafe = BigInt(Number.MAX_SAFE_INTEGER);

/** Integers beyond ±(2^53 − 1) would silently lose digits as numbers: they become decimal strings. */
export function integerToJson(value: bigint | number): number | string {
  if (typeof value === 'number') return value;
  return value >= -kMaxSafe && value <= kMaxSafe ? Number(value) : value.toString();
}

/** `-0012.3400` / `1.5e-7` → canonical `[sign, digits, exponent]` with no leading/trailing zeros. */
function canonicalDecimal(text: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!m) return text;
  const intPart = m[2] ?? '';
  const fracPart = m[3] ?? '';
  let digits = (intPart + fracPart).replace(/^0+/, '');
  let exponent = Number(m[4] ?? 0) - fracPart.length;
  if (digits === '') return '0';
  const trimmed = digits.replace(/0+$/, '');
  exponent += digits.length - trimmed.length;
  digits = trimmed;
  return `${m[1] === '-' ? '-' : ''}${digits}e${exponent}`;
}

/** 10^0 … 10^22: every one is exactly representable as a double. */
const kPowersOfTen = Array.from({ length: 23 }, (_, i) => 10 ** i);
const kFifteenDigits = 10n ** 15n;

/** DECIMAL → a number when the number's JSON text denotes exactly the same decimal; else the decimal text. */
export function decimalToJson(value: DuckDBDecimalValue): number | string {
  // Fast path, same answer: a decimal of at most 15 significant digits (|unscaled| < 10^15) survives the
  // round trip through the nearest double (DBL_DIG = 15), and unscaled / 10^scale of two exact doubles
  // is that nearest double (IEEE division rounds correctly), so its shortest text is the decimal itself.
  const unscaled = value.value;
  if (unscaled < kFifteenDigits && unscaled > -kFifteenDigits && value.scale < kPowersOfTen.length) {
    const n = Number(unscaled) / kPowersOfTen[value.scale]!;
    return n === 0 ? 0 : n; // -0 would print as 0 anyway; keep it a plain 0
  }
  const text = value.toString();
  const n = Number(text);
  return Number.isFinite(n) && canonicalDecimal(String(n)) === canonicalDecimal(text) ? n : text;
}

/**
 * `obj[key] = value`, except that a column or field named `__proto__` becomes an own property instead of
 * replacing the object's prototype (plain assignment would invoke the `__proto__` setter).
 */
export function setJsonKey(obj: { [key: string]: Json }, key: string, value: Json): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** Converts by inspecting the value itself. Never throws and never returns a non-JSON value. */
export function jsonFromLooseValue(value: DuckDBValue): Json {
  if (value === null) return null;
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return integerToJson(value);
  }
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) return value.items.map(jsonFromLooseValue);
  if (value instanceof DuckDBStructValue) {
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(value.entries)) setJsonKey(out, k, jsonFromLooseValue(v));
    return out;
  }
  if (value instanceof DuckDBMapValue) {
    if (value.entries.every((e) => typeof e.key === 'string')) {
      const out: { [key: string]: Json } = {};
      for (const e of value.entries) setJsonKey(out, e.key as string, jsonFromLooseValue(e.value));
      return out;
    }
    return value.entries.map((e) => ({ key: jsonFromLooseValue(e.key), value: jsonFromLooseValue(e.value) }));
  }
  if (value instanceof DuckDBUnionValue) return jsonFromLooseValue(value.value);
  if (value instanceof DuckDBVariantValue) return jsonFromLooseValue(value.value);
  if (value instanceof DuckDBDecimalValue) return decimalToJson(value);
  if (value instanceof DuckDBBlobValue || value instanceof DuckDBGeometryValue) return Buffer.from(value.bytes).toString('base64');
  if (value instanceof DuckDBDateValue) return formatDate(value.days);
  if (value instanceof DuckDBTimeValue) return formatTimeMicros(value.micros);
  if (value instanceof DuckDBTimeNSValue) return formatTimeNanos(value.nanos);
  if (value instanceof DuckDBTimeTZValue) return formatTimeMicros(value.micros) + formatOffset(value.offset);
  if (value instanceof DuckDBTimestampTZValue) return `${formatTimestamp(value.micros, 1_000_000n, 6)}+00:00`;
  if (value instanceof DuckDBTimestampValue) return formatTimestamp(value.micros, 1_000_000n, 6);
  if (value instanceof DuckDBTimestampSecondsValue) return formatTimestamp(value.seconds, 1n, 0);
  if (value instanceof DuckDBTimestampMillisecondsValue) return formatTimestamp(value.millis, 1000n, 3);
  if (value instanceof DuckDBTimestampNanosecondsValue) return formatTimestamp(value.nanos, 1_000_000_000n, 9);
  if (value instanceof DuckDBIntervalValue) return formatInterval(value.months, value.days, value.micros);
  if (value instanceof DuckDBUUIDValue || value instanceof DuckDBBitValue) return value.toString();
  return String(value);
}
