import { describe, expect, it } from 'vitest';
import { shapeResult } from '../daemon/types/index.js';
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

describe('result shaping by return.type (MXCP 7.2)', () => {
  const rows = [
    { id: 1, name: 'a' },
    { id: 2, name: 'b' },
  ];

  it('29: a string return of one row with one column is the bare value', () => {
    expect(shapeResult([{ greeting: 'Hello, World!' }], { type: 'string' })).toBe('Hello, World!');
    expect(shapeResult([{ n: 3 }], { type: 'integer' })).toBe(3);
    expect(shapeResult([{ ok: false }], { type: 'boolean' })).toBe(false);
    expect(shapeResult([{ v: null }], { type: 'number' })).toBeNull();
  });

  it('30: an object return with no rows fails with No results returned', () => {
    const err = failure(() => shapeResult([], { type: 'object' }));
    expect(err.code).toBe('MXCP_E_RESULT_EMPTY');
    expect(err.message).toBe('No results returned');
    expect(failure(() => shapeResult([], { type: 'string' })).message).toBe('No results returned');
  });

  it('31: an object return with 2 rows fails naming the count', () => {
    const err = failure(() => shapeResult(rows, { type: 'object' }));
    expect(err.code).toBe('MXCP_E_RESULT_NOT_SINGLE_ROW');
    expect(err.message).toBe("Expected single result for return type 'object', but got 2 results");
    expect(failure(() => shapeResult(rows, { type: 'integer' })).message).toBe(
      "Expected single result for return type 'integer', but got 2 results",
    );
  });

  it('32: an integer return with a 2-column row fails naming the column count', () => {
    const err = failure(() => shapeResult([{ a: 1, b: 2 }], { type: 'integer' }));
    expect(err.code).toBe('MXCP_E_RESULT_NOT_SINGLE_VALUE');
    expect(err.message).toBe("Expected single value for return type 'integer', but got 2 values");
    expect(failure(() => shapeResult([{}], { type: 'string' })).message).toBe(
      "Expected single value for return type 'string', but got 0 values",
    );
  });

  it('33: an array return keeps all rows, in order, with column-ordered keys', () => {
    const out = shapeResult(rows, { type: 'array' }) as typeof rows;
    expect(out).toBe(rows);
    expect(out.map((r) => Object.keys(r))).toEqual([
      ['id', 'name'],
      ['id', 'name'],
    ]);
  });

  it('an object return of one row is that row', () => {
    expect(shapeResult([rows[0]], { type: 'object' })).toBe(rows[0]);
  });

  it('without a declared return, or when the result is not a list, nothing changes', () => {
    expect(shapeResult(rows, undefined)).toBe(rows);
    const obj = { a: 1, b: 2 };
    expect(shapeResult(obj, { type: 'object' })).toBe(obj);
    expect(shapeResult(5, { type: 'integer' })).toBe(5);
    expect(shapeResult(null, { type: 'string' })).toBeNull();
  });

  it('a single row that is not an object is returned as is for a scalar return', () => {
    expect(shapeResult(['x'], { type: 'string' })).toBe('x');
    expect(shapeResult([[1, 2]], { type: 'integer' })).toEqual([1, 2]);
  });
});
