import { describe, expect, it } from 'vitest';
import type { TypeDefinition } from '../daemon/registry/types.js';
import {
  compileOutputCheck,
  compileOutputValidator,
  DateParam,
  serializeOutput,
  shapeResult,
  TimeParam,
  TimestampParam,
  validateOutput,
} from '../daemon/types/index.js';
import { isMxcpError, type MxcpError } from '../sdk/errors/index.js';

function failure(fn: () => unknown): MxcpError {
  try {
    fn();
  } catch (err) {
    if (isMxcpError(err)) return err;
    throw err;
  }
  throw new Error('expected a coded error');
}

/** The full message of validating `value` against `ret`, asserting the code. */
function message(value: unknown, ret: TypeDefinition): string {
  const err = failure(() => validateOutput(value, ret));
  expect(err.code).toBe('MXCP_E_OUTPUT_INVALID');
  return err.message;
}

describe('output validation (MXCP 7.3)', () => {
  it('34: a row value violating the declared type fails with Output validation failed', () => {
    const ret: TypeDefinition = { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' } } } };
    const rows = [{ id: 1 }, { id: 'two' }];
    expect(message(shapeResult(rows, ret), ret)).toBe(
      "Output validation failed: Array item 1: Property 'id': Expected integer, got string",
    );
  });

  it('34: skipping validation is the caller leaving it out; the result-returning check reports instead of throwing', () => {
    const check = compileOutputCheck({ type: 'integer' });
    expect(check('x')).toBe('Expected integer, got string');
    expect(check(3)).toBeUndefined();
  });

  it('names JSON types', () => {
    expect(message('5', { type: 'integer' })).toBe('Output validation failed: Expected integer, got string');
    expect(message(5.5, { type: 'integer' })).toBe('Output validation failed: Expected integer, got number');
    expect(message(true, { type: 'number' })).toBe('Output validation failed: Expected number, got boolean');
    expect(message(1, { type: 'boolean' })).toBe('Output validation failed: Expected boolean, got integer');
    expect(message({}, { type: 'array' })).toBe('Output validation failed: Expected array, got object');
    expect(message([], { type: 'object' })).toBe('Output validation failed: Expected object, got array');
    expect(message(3, { type: 'string' })).toBe('Output validation failed: Expected string, got integer');
    expect(message(new DateParam('2024-01-01'), { type: 'integer' })).toBe('Output validation failed: Expected integer, got date');
  });

  it('null passes at every level', () => {
    expect(() => validateOutput(null, { type: 'integer' })).not.toThrow();
    expect(() => validateOutput([null], { type: 'array', items: { type: 'string' } })).not.toThrow();
    expect(() => validateOutput({ a: null }, { type: 'object', properties: { a: { type: 'boolean' } } })).not.toThrow();
  });

  it('checks lengths, formats, bounds and item counts', () => {
    expect(message('ab', { type: 'string', minLength: 3 })).toBe('Output validation failed: String must be at least 3 characters long');
    expect(message('abcd', { type: 'string', maxLength: 3 })).toBe('Output validation failed: String must be at most 3 characters long');
    expect(message('nope', { type: 'string', format: 'email' })).toBe('Output validation failed: Invalid email format: nope');
    expect(message('x', { type: 'string', format: 'uri' })).toBe('Output validation failed: Invalid URI format: x');
    expect(message('1d', { type: 'string', format: 'duration' })).toBe('Output validation failed: Invalid duration format: 1d');
    expect(message(101, { type: 'integer', maximum: 100 })).toBe('Output validation failed: Value must be <= 100');
    expect(message(-1, { type: 'number', minimum: 0 })).toBe('Output validation failed: Value must be >= 0');
    expect(message([1], { type: 'array', minItems: 2 })).toBe('Output validation failed: Array must have at least 2 items');
    expect(message([1, 2], { type: 'array', maxItems: 1 })).toBe('Output validation failed: Array must have at most 1 items');
  });

  it('checks required properties and closed objects', () => {
    const ret: TypeDefinition = { type: 'object', properties: { a: { type: 'integer' } }, required: ['a', 'b'] };
    expect(message({ c: 1 }, ret)).toBe('Output validation failed: Missing required properties: a, b');
    expect(() => validateOutput({ a: 1, b: 2, c: 3 }, ret)).not.toThrow();
    // A required key that is not a declared property is still unexpected in a closed object (as in MXCP).
    expect(message({ a: 1, b: 2, c: 3 }, { ...ret, additionalProperties: false })).toBe('Output validation failed: Unexpected property: b');
    const closed: TypeDefinition = { type: 'object', properties: { a: { type: 'integer' } }, additionalProperties: false };
    expect(message({ a: 1, c: 3 }, closed)).toBe('Output validation failed: Unexpected property: c');
  });

  it('does not check what MXCP does not check on output (enum, pattern, exclusive bounds, multipleOf, unique, date formats)', () => {
    expect(() => validateOutput('z', { type: 'string', enum: ['a'], pattern: '^a$' })).not.toThrow();
    expect(() => validateOutput(10, { type: 'integer', exclusiveMaximum: 10, multipleOf: 3 })).not.toThrow();
    expect(() => validateOutput([1, 1], { type: 'array', uniqueItems: true })).not.toThrow();
    expect(() => validateOutput('not a date', { type: 'string', format: 'date' })).not.toThrow();
  });

  it('accepts bigint as integer and number', () => {
    expect(() => validateOutput(2n ** 70n, { type: 'integer', minimum: 0 })).not.toThrow();
    expect(message(-(2n ** 70n), { type: 'number', minimum: 0 })).toBe('Output validation failed: Value must be >= 0');
  });

  it('compileOutputValidator throws the same coded error as validateOutput', () => {
    const validate = compileOutputValidator({ type: 'array', items: { type: 'integer' } });
    expect(() => validate([1, 2])).not.toThrow();
    expect(failure(() => validate([1, 'x'])).message).toBe('Output validation failed: Array item 1: Expected integer, got string');
  });

  it('an unknown return type is a definition error, not a crash', () => {
    expect(failure(() => validateOutput(1, { type: 'float' as 'number' })).code).toBe('MXCP_E_TYPE_DEFINITION_INVALID');
  });
});

describe('temporal output values (checklist 35)', () => {
  it('35: temporal values declared type string pass validation and serialize as ISO 8601', () => {
    const ret: TypeDefinition = {
      type: 'object',
      properties: { d: { type: 'string' }, t: { type: 'string' }, ts: { type: 'string' }, js: { type: 'string' } },
    };
    const row = {
      d: new DateParam('2024-01-15'),
      t: new TimeParam('10:30:00'),
      ts: new TimestampParam('2024-01-15T10:30:00+00:00', 1705314600000000n, true),
      js: new Date(Date.UTC(2024, 0, 15, 10, 30)),
    };
    expect(() => validateOutput(row, ret)).not.toThrow();
    expect(serializeOutput(row)).toEqual({
      d: '2024-01-15',
      t: '10:30:00',
      ts: '2024-01-15T10:30:00+00:00',
      js: '2024-01-15T10:30:00.000Z',
    });
  });

  it('ISO strings (as the database layer returns them) pass as strings', () => {
    expect(() => validateOutput(['2024-01-15', '2024-01-15T10:30:00'], { type: 'array', items: { type: 'string' } })).not.toThrow();
  });

  it('serialization is copy-on-write: plain JSON comes back as the same object', () => {
    const rows = [{ a: 1, b: 'x' }, { a: 2 }];
    expect(serializeOutput(rows)).toBe(rows);
    const mixed = [{ a: 1 }, { a: 2, when: new DateParam('2024-01-01'), big: 5n }];
    const out = serializeOutput(mixed) as unknown[];
    expect(out).not.toBe(mixed);
    expect(out[0]).toBe(mixed[0]);
    expect(out[1]).toEqual({ a: 2, when: '2024-01-01', big: 5 });
    expect(Object.keys(out[1] as object)).toEqual(['a', 'when', 'big']);
  });
});
