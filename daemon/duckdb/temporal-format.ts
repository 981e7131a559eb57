/**
 * ISO 8601 text for DuckDB's temporal values, computed from their integer encodings (days, micros, nanos)
 * rather than from the binding's `toString()`, which renders DuckDB's display form (`... (BC)`, a space
 * instead of `T`, the process time zone for TIMESTAMPTZ). See docs/duckdb-types.md for the chosen forms.
 */

const kMicrosPerSecond = 1_000_000n;
const kMicrosPerMinute = 60n * kMicrosPerSecond;
const kMicrosPerHour = 60n * kMicrosPerMinute;

/** Days since 1970-01-01 → proleptic Gregorian [year, month, day] (Hinnant's `civil_from_days`). */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return [year, month, day];
}

/** Proleptic Gregorian date → days since 1970-01-01 (Hinnant's `days_from_civil`). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const pad2 = (n: number | bigint): string => String(n).padStart(2, '0');

/** Years 0..9999 as four digits; others in ISO 8601's expanded form (sign, six digits; year 0 = 1 BC). */
function formatYear(year: number): string {
  if (year >= 0 && year <= 9999) return String(year).padStart(4, '0');
  return (year < 0 ? '-' : '+') + String(Math.abs(year)).padStart(6, '0');
}

export function formatDate(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${formatYear(y)}-${pad2(m)}-${pad2(d)}`;
}

/** `.ffffff` (or `.fffffffff` for nanosecond units) when the fraction is non-zero, as Python's isoformat. */
function fraction(value: bigint, digits: number): string {
  return value === 0n ? '' : `.${String(value).padStart(digits, '0')}`;
}

/** A time of day from a sub-second count: `unitsPerSecond` is 10^`digits`. */
function formatClock(units: bigint, unitsPerSecond: bigint, digits: number): string {
  const seconds = units / unitsPerSecond;
  const h = seconds / 3600n;
  const m = (seconds / 60n) % 60n;
  const s = seconds % 60n;
  return `${pad2(h)}:${pad2(m)}:${pad2(s)}${fraction(units % unitsPerSecond, digits)}`;
}

export function formatTimeMicros(micros: bigint): string {
  return formatClock(micros, kMicrosPerSecond, 6);
}

export function formatTimeNanos(nanos: bigint): string {
  return formatClock(nanos, 1_000_000_000n, 9);
}

/** `+HH:MM` (or `+HH:MM:SS` when the offset has seconds). */
export function formatOffset(offsetSeconds: number): string {
  const sign = offsetSeconds < 0 ? '-' : '+';
  const abs = Math.abs(offsetSeconds);
  const base = `${sign}${pad2(Math.floor(abs / 3600))}:${pad2(Math.floor(abs / 60) % 60)}`;
  return abs % 60 === 0 ? base : `${base}:${pad2(abs % 60)}`;
}

/** Floor division for bigint (BigInt `/` truncates toward zero). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/**
 * A timestamp given as a count of `unitsPerSecond` units since the epoch → `YYYY-MM-DDTHH:MM:SS[.f]`.
 * `digits` is the fraction width (6 for micro-, 9 for nanoseconds).
 */
export function formatTimestamp(units: bigint, unitsPerSecond: bigint, digits: number): string {
  const unitsPerDay = unitsPerSecond * 86_400n;
  const days = floorDiv(units, unitsPerDay);
  const ofDay = units - days * unitsPerDay;
  return `${formatDate(Number(days))}T${formatClock(ofDay, unitsPerSecond, digits)}`;
}

/**
 * ISO 8601 duration with PostgreSQL's `iso_8601` sign convention (each component carries its own sign,
 * because DuckDB's months, days and micros are independent and may differ in sign): `P1Y2M3DT4H5M6.5S`,
 * `P-1M2D`, `PT0S` for zero.
 */
export function formatInterval(months: number, days: number, micros: bigint): string {
  let out = 'P';
  const years = Math.trunc(months / 12);
  const restMonths = months % 12;
  if (years !== 0) out += `${years}Y`;
  if (restMonths !== 0) out += `${restMonths}M`;
  if (days !== 0) out += `${days}D`;
  if (micros !== 0n) {
    out += 'T';
    const h = micros / kMicrosPerHour;
    const m = (micros % kMicrosPerHour) / kMicrosPerMinute;
    const s = micros % kMicrosPerMinute;
    if (h !== 0n) out += `${h}H`;
    if (m !== 0n) out += `${m}M`;
    if (s !== 0n) {
      const abs = s < 0n ? -s : s;
      const frac = abs % kMicrosPerSecond;
      const text =
        frac === 0n ? `${abs / kMicrosPerSecond}` : `${abs / kMicrosPerSecond}.${String(frac).padStart(6, '0').replace(/0+$/, '')}`;
      out += `${s < 0n ? '-' : ''}${text}S`;
    }
  }
  return out === 'P' ? 'PT0S' : out;
}
