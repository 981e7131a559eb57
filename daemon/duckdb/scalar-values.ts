/** Conversions of single parameter values to DuckDB value objects, shared by scalar and nested binding. */
import { DuckDBDateValue, DuckDBTimestampTZValue, DuckDBTimeValue } from '@duckdb/node-api';
import { daysFromCivil } from './temporal-format.js';

/** A value that cannot be bound; the binder wraps it in MXCP_E_DB_PARAM naming the parameter. */
export class BindError extends Error {}

/** `YYYY-MM-DD` (DateParam guarantees the form) → DATE. */
export function dateFromIso(iso: string): DuckDBDateValue {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new BindError(`invalid date ${JSON.stringify(iso)}`);
  return new DuckDBDateValue(daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3])));
}

/** `HH:MM[:SS[.f{1,9}]]` → TIME (microseconds; digits beyond six are truncated like Python). */
export function timeFromIso(iso: string): DuckDBTimeValue {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(iso);
  if (!m) throw new BindError(`invalid time ${JSON.stringify(iso)}`);
  const micros = Number((m[4] ?? '').slice(0, 6).padEnd(6, '0'));
  const seconds = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0);
  return new DuckDBTimeValue(BigInt(seconds) * 1_000_000n + BigInt(micros));
}

export function timestampTzFromDate(date: Date): DuckDBTimestampTZValue {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new BindError('invalid Date');
  return new DuckDBTimestampTZValue(BigInt(ms) * 1000n);
}
