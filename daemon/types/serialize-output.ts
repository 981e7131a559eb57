/**
 * Serialization of a validated result for the wire (MXCP section 7.4): temporal values become ISO 8601
 * text, bigint becomes a JSON number when it is exactly representable, else a decimal string (the same
 * rule as the DuckDB mapping in docs/duckdb-types.md: digits are never silently lost). Copy-on-write: a
 * result with nothing to change (the common case, rows of plain JSON) is returned as the same object.
 */
import { isPlainObject, setOwn } from './conversion-result.js';
import { DateParam, TimeParam, TimestampParam } from './values.js';

export function serializeOutput(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? bigintToJson(value) : value;
  if (value instanceof DateParam || value instanceof TimeParam || value instanceof TimestampParam) return value.iso;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const serialized = serializeOutput(item);
      if (serialized !== item && !out) out = value.slice(0, i);
      if (out) out.push(serialized);
    }
    return out ?? value;
  }
  if (isPlainObject(value)) {
    let out: Record<string, unknown> | undefined;
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const item = value[key];
      const serialized = serializeOutput(item);
      if (serialized !== item && !out) out = copyUntil(value, key);
      if (out) setOwn(out, key, serialized);
    }
    return out ?? value;
  }
  // Other objects with an ISO form (Luxon, Day.js, ...) serialize like Date.
  const iso = (value as { toISOString?: unknown }).toISOString;
  return typeof iso === 'function' ? String(iso.call(value)) : value;
}

/** A copy of the own keys of `source` that come before `stop`, in order. */
function copyUntil(source: Record<string, unknown>, stop: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in source) {
    if (key === stop) break;
    if (Object.hasOwn(source, key)) setOwn(out, key, source[key]);
  }
  return out;
}

const kMaxSafe = BigInt(Number.MAX_SAFE_INTEGER);

function bigintToJson(value: bigint): number | string {
  return value <= kMaxSafe && value >= -kMaxSafe ? Number(value) : value.toString();
}
