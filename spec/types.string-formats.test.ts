import { describe, expect, it } from 'vitest';
import type { StringFormat } from '../daemon/registry/types.js';
import { compileParamConverter, DateParam, TimeParam, TimestampParam } from '../daemon/types/index.js';
import { isMxcpError } from '../sdk/errors/index.js';

function convert(format: StringFormat, value: unknown): unknown {
  return compileParamConverter([{ name: 'p', type: 'string', format }])({ p: value }).p;
}

/** The detail after `Error validating parameter 'p': `, asserting the code. */
function detail(format: StringFormat, value: unknown): string {
  try {
    convert(format, value);
  } catch (err) {
    if (!isMxcpError(err)) throw err;
    expect(err.code).toBe('MXCP_E_PARAM_INVALID');
    expect(err.location).toEqual({ path: 'p' });
    return err.message.replace("Error validating parameter 'p': ", '');
  }
  throw new Error(`expected ${String(value)} to be rejected as ${format}`);
}

describe('email, uri, duration (checklist 25)', () => {
  it('25: format email with foo fails with Invalid email format: foo', () => {
    expect(detail('email', 'foo')).toBe('Invalid email format: foo');
    expect(convert('email', 'a@b.co')).toBe('a@b.co');
    expect(detail('email', 'a@b')).toBe('Invalid email format: a@b');
  });

  it('uri needs a scheme', () => {
    expect(convert('uri', 'https://example.com/x')).toBe('https://example.com/x');
    expect(convert('uri', 'mailto:a@b.c')).toBe('mailto:a@b.c');
    expect(detail('uri', 'example.com')).toBe('Invalid URI format: example.com');
    expect(detail('uri', '1http://x')).toBe('Invalid URI format: 1http://x');
  });

  it('duration follows MXCP ISO 8601 subset', () => {
    expect(convert('duration', 'P1DT2H')).toBe('P1DT2H');
    expect(convert('duration', 'PT30M')).toBe('PT30M');
    expect(detail('duration', '1 day')).toBe('Invalid duration format: 1 day');
    expect(detail('duration', 'P1.5D')).toBe('Invalid duration format: P1.5D');
  });
});

describe('date (checklist 26)', () => {
  it('26: "2024-01-15" becomes a DATE value; "2024/01/15" is rejected', () => {
    const d = convert('date', '2024-01-15');
    expect(d).toBeInstanceOf(DateParam);
    expect((d as DateParam).iso).toBe('2024-01-15');
    expect(JSON.stringify(d)).toBe('"2024-01-15"');
    expect(detail('date', '2024/01/15')).toBe('Invalid date format: 2024/01/15 (expected YYYY-MM-DD)');
  });

  it('rejects days that do not exist, and non-strict forms', () => {
    expect(detail('date', '2024-02-30')).toBe('Invalid date: 2024-02-30 (no such day)');
    expect(detail('date', '2023-02-29')).toContain('no such day');
    expect(convert('date', '2024-02-29')).toEqual(new DateParam('2024-02-29'));
    expect(detail('date', '2024-1-5')).toContain('expected YYYY-MM-DD');
    expect(detail('date', '0000-01-01')).toContain('no such day');
    expect(detail('date', '2024-01-15T00:00:00')).toContain('expected YYYY-MM-DD');
  });

  it('needs a string', () => {
    expect(detail('date', 20240115)).toBe('Expected string for date format, got integer');
  });
});

describe('time', () => {
  it('accepts HH:MM:SS (with an optional fraction) as a TIME value', () => {
    expect(convert('time', '10:30:00')).toEqual(new TimeParam('10:30:00'));
    expect(convert('time', '23:59:59.123456')).toEqual(new TimeParam('23:59:59.123456'));
  });

  it('rejects other forms and out-of-range fields', () => {
    expect(detail('time', '10:30')).toBe('Invalid time format: 10:30 (expected HH:MM:SS)');
    expect(detail('time', '24:00:00')).toContain('Invalid time format');
    expect(detail('time', '10:60:00')).toContain('Invalid time format');
    expect(detail('time', '10:30:00Z')).toContain('Invalid time format');
    expect(detail('time', 1030)).toBe('Expected string for time format, got integer');
  });
});

describe('date-time', () => {
  it('parses ISO 8601 with Z as +00:00, computing epoch microseconds', () => {
    const t = convert('date-time', '2024-01-15T10:30:00Z') as TimestampParam;
    expect(t).toBeInstanceOf(TimestampParam);
    expect(t.iso).toBe('2024-01-15T10:30:00+00:00');
    expect(t.hasOffset).toBe(true);
    expect(t.micros).toBe(BigInt(Date.UTC(2024, 0, 15, 10, 30)) * 1000n);
  });

  it('applies offsets and keeps microseconds', () => {
    const t = convert('date-time', '2024-01-15T12:30:00.5+02:00') as TimestampParam;
    expect(t.iso).toBe('2024-01-15T12:30:00.500000+02:00');
    expect(t.micros).toBe(BigInt(Date.UTC(2024, 0, 15, 10, 30)) * 1000n + 500_000n);
    expect((convert('date-time', '2024-01-15T10:30:00-0530') as TimestampParam).iso).toBe('2024-01-15T10:30:00-05:30');
  });

  it('a value without offset is a local timestamp (hasOffset false), computed as if UTC', () => {
    const t = convert('date-time', '2024-01-15 10:30') as TimestampParam;
    expect(t.hasOffset).toBe(false);
    expect(t.iso).toBe('2024-01-15T10:30:00');
    expect(t.micros).toBe(BigInt(Date.UTC(2024, 0, 15, 10, 30)) * 1000n);
    expect((convert('date-time', '2024-01-15') as TimestampParam).iso).toBe('2024-01-15T00:00:00');
  });

  it('handles dates before the epoch and at the ends of the range', () => {
    expect((convert('date-time', '1969-12-31T23:59:59Z') as TimestampParam).micros).toBe(-1_000_000n);
    expect((convert('date-time', '0001-01-01T00:00:00Z') as TimestampParam).micros).toBe(-62135596800_000_000n);
    expect((convert('date-time', '9999-12-31T23:59:59.999999Z') as TimestampParam).micros).toBe(253402300799_999_999n);
  });

  it('rejects malformed values', () => {
    expect(detail('date-time', 'yesterday')).toBe('Invalid date-time format: yesterday (expected ISO 8601, e.g. 2024-01-15T10:30:00Z)');
    expect(detail('date-time', '2024-01-15T25:00:00Z')).toContain('Invalid date-time format');
    expect(detail('date-time', '2024-02-30T00:00:00Z')).toBe('Invalid date-time: 2024-02-30T00:00:00Z (no such day)');
    expect(detail('date-time', '2024-01-15T10:30:00+24:00')).toContain('Invalid date-time format');
    expect(detail('date-time', '2024-01-15T10:30:00Zjunk')).toContain('Invalid date-time format');
    expect(detail('date-time', 1705314600)).toBe('Expected string for date-time format, got integer');
  });
});

describe('timestamp (Unix seconds)', () => {
  it('converts numbers and numeric text to an instant in UTC', () => {
    const t = convert('timestamp', 1705314600) as TimestampParam;
    expect(t.iso).toBe('2024-01-15T10:30:00+00:00');
    expect(t.hasOffset).toBe(true);
    expect(t.micros).toBe(1705314600_000_000n);
    expect((convert('timestamp', '1705314600.25') as TimestampParam).iso).toBe('2024-01-15T10:30:00.250000+00:00');
    expect((convert('timestamp', -1.5) as TimestampParam).micros).toBe(-1_500_000n);
  });

  it('is exact to the microsecond on the decimal digits, not the nearest double', () => {
    expect((convert('timestamp', 1705314600.123) as TimestampParam).micros).toBe(1705314600_123_000n);
    expect((convert('timestamp', -10870678296.366) as TimestampParam).micros).toBe(-10870678296_366_000n);
    expect((convert('timestamp', '1.7053146e9') as TimestampParam).micros).toBe(1705314600_000_000n);
    expect((convert('timestamp', '0.0000005') as TimestampParam).micros).toBe(1n);
  });

  it('rejects what is not a number of seconds in the datetime range', () => {
    expect(detail('timestamp', 'soon')).toBe('Invalid timestamp: soon');
    expect(detail('timestamp', 1e15)).toBe('Invalid timestamp: 1000000000000000');
    expect(detail('timestamp', true)).toBe('Invalid timestamp: true');
    expect(detail('timestamp', [1])).toBe('Invalid timestamp: [1]');
  });
});
