/**
 * Parsing of the temporal string formats into tagged values (see values.ts). Hand-written scanners rather
 * than regexes: they run per request and allocate nothing but the value they return.
 *
 *   date       YYYY-MM-DD, strictly (MXCP uses strptime `%Y-%m-%d`); the day must exist in the month
 *   time       HH:MM:SS[.f{1,6}]
 *   date-time  Python `datetime.fromisoformat` forms: YYYY-MM-DD[(T| )HH[:MM[:SS[.f{1,9}]]]][Z|±HH[:MM]]
 *   timestamp  Unix seconds (number or numeric text), read as UTC
 *
 * Each parser returns the value, or an error detail string.
 */
import { displayValue } from './describe-value.js';
import { parseFloatText, scaleDecimalText } from './numeric-text.js';
import { DateParam, TimeParam, TimestampParam } from './values.js';

/** Seconds between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the range Python's datetime covers. */
const kMinUnixSeconds = -62135596800;
const kMaxUnixSeconds = 253402300799;
const kDash = 45;
const kColon = 58;
const kDot = 46;
const kComma = 44;

export function parseDate(text: string): DateParam | string {
  if (text.length !== 10 || text.charCodeAt(4) !== kDash || text.charCodeAt(7) !== kDash) return dateFormatError(text);
  const y = digits(text, 0, 4);
  const m = digits(text, 5, 2);
  const d = digits(text, 8, 2);
  if (y < 0 || m < 0 || d < 0) return dateFormatError(text);
  if (!validDate(y, m, d)) return `Invalid date: ${displayValue(text)} (no such day)`;
  return new DateParam(text);
}

export function parseTime(text: string): TimeParam | string {
  const end = scanTime(text, 0);
  if (end !== text.length || text.length < 8) return `Invalid time format: ${displayValue(text)} (expected HH:MM:SS)`;
  return new TimeParam(text);
}

export function parseDateTime(text: string): TimestampParam | string {
  if (text.length < 10 || text.charCodeAt(4) !== kDash || text.charCodeAt(7) !== kDash) return dateTimeFormatError(text);
  const y = digits(text, 0, 4);
  const mo = digits(text, 5, 2);
  const d = digits(text, 8, 2);
  if (y < 0 || mo < 0 || d < 0) return dateTimeFormatError(text);
  if (!validDate(y, mo, d)) return `Invalid date-time: ${displayValue(text)} (no such day)`;
  let h = 0;
  let mi = 0;
  let s = 0;
  let micros = 0;
  let pos = 10;
  if (pos < text.length) {
    const sep = text[pos];
    if (sep !== 'T' && sep !== 't' && sep !== ' ') return dateTimeFormatError(text);
    pos++;
    h = digits(text, pos, 2);
    if (h < 0 || h > 23) return dateTimeFormatError(text);
    pos += 2;
    if (text.charCodeAt(pos) === kColon) {
      mi = digits(text, pos + 1, 2);
      if (mi < 0 || mi > 59) return dateTimeFormatError(text);
      pos += 3;
      if (text.charCodeAt(pos) === kColon) {
        s = digits(text, pos + 1, 2);
        if (s < 0 || s > 59) return dateTimeFormatError(text);
        pos += 3;
        const c = text.charCodeAt(pos);
        if (c === kDot || c === kComma) {
          const start = pos + 1;
          pos = start;
          while (pos < text.length && pos - start < 9 && isDigit(text.charCodeAt(pos))) pos++;
          if (pos === start) return dateTimeFormatError(text);
          // Python keeps microseconds: pad or truncate the fraction to six digits.
          micros = digits(text, start, Math.min(pos - start, 6));
          for (let i = pos - start; i < 6; i++) micros *= 10;
        }
      }
    }
  }
  let offsetMinutes = 0;
  let hasOffset = false;
  if (pos < text.length) {
    const c = text[pos];
    if (c === 'Z') {
      hasOffset = true;
      pos++;
    } else if (c === '+' || c === '-') {
      const oh = digits(text, pos + 1, 2);
      if (oh < 0 || oh > 23) return dateTimeFormatError(text);
      pos += 3;
      let om = 0;
      if (pos < text.length) {
        if (text.charCodeAt(pos) === kColon) pos++;
        om = digits(text, pos, 2);
        if (om < 0 || om > 59) return dateTimeFormatError(text);
        pos += 2;
      }
      offsetMinutes = (c === '-' ? -1 : 1) * (oh * 60 + om);
      hasOffset = true;
    }
  }
  if (pos !== text.length) return dateTimeFormatError(text);
  const seconds = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offsetMinutes * 60;
  const iso =
    `${text.slice(0, 10)}T${pad2(h)}:${pad2(mi)}:${pad2(s)}` +
    (micros ? `.${String(micros).padStart(6, '0')}` : '') +
    (hasOffset ? formatOffset(offsetMinutes) : '');
  return new TimestampParam(iso, BigInt(seconds) * 1_000_000n + BigInt(micros), hasOffset);
}

/** Unix seconds (number or numeric text) → an instant in UTC, to the microsecond. */
export function parseUnixSeconds(value: unknown): TimestampParam | string {
  const seconds = typeof value === 'number' ? value : typeof value === 'string' ? parseFloatText(value) : undefined;
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < kMinUnixSeconds || seconds > kMaxUnixSeconds) {
    return `Invalid timestamp: ${displayValue(value)}`;
  }
  // Scale the decimal text, not the double: 1705314600.123 s must be ...123000 µs, not ...122999.
  const micros = scaleDecimalText(typeof value === 'string' ? value : String(value), 6);
  if (micros === undefined) return `Invalid timestamp: ${displayValue(value)}`;
  let whole = micros / 1_000_000n;
  let fraction = micros % 1_000_000n;
  if (fraction < 0n) {
    fraction += 1_000_000n;
    whole -= 1n;
  }
  // Rounding to the microsecond can step just past the last representable second.
  if (whole < kMinUnixSeconds || whole > kMaxUnixSeconds) return `Invalid timestamp: ${displayValue(value)}`;
  const iso =
    new Date(Number(whole) * 1000).toISOString().slice(0, 19) + (fraction ? `.${String(fraction).padStart(6, '0')}` : '') + '+00:00';
  return new TimestampParam(iso, micros, true);
}

/** Position after `HH:MM:SS[.f{1,6}]` starting at `pos`, or -1. */
function scanTime(text: string, pos: number): number {
  const h = digits(text, pos, 2);
  const m = digits(text, pos + 3, 2);
  const s = digits(text, pos + 6, 2);
  if (text.charCodeAt(pos + 2) !== kColon || text.charCodeAt(pos + 5) !== kColon) return -1;
  if (h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59) return -1;
  let end = pos + 8;
  if (text.charCodeAt(end) === kDot) {
    const start = end + 1;
    end = start;
    while (end < text.length && isDigit(text.charCodeAt(end))) end++;
    if (end === start || end - start > 6) return -1;
  }
  return end;
}

function dateTimeFormatError(text: string): string {
  return `Invalid date-time format: ${displayValue(text)} (expected ISO 8601, e.g. 2024-01-15T10:30:00Z)`;
}

function dateFormatError(text: string): string {
  return `Invalid date format: ${displayValue(text)} (expected YYYY-MM-DD)`;
}

/** The decimal value of `count` ASCII digits at `pos`, or -1 if any is missing or not a digit. */
function digits(text: string, pos: number, count: number): number {
  if (pos + count > text.length) return -1;
  let n = 0;
  for (let i = pos; i < pos + count; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) return -1;
    n = n * 10 + (c - 48);
  }
  return n;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function validDate(y: number, m: number, d: number): boolean {
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}
