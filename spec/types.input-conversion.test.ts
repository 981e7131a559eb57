import { describe, expect, it } from 'vitest';
import type { ParameterDefinition, TypeDefinition } from '../daemon/registry/types.js';
import { compileParamConverter } from '../daemon/types/index.js';
import { isMxcpError, type MxcpError } from '../sdk/errors/index.js';

/** Runs `fn`, expecting a coded error; returns it. */
function failure(fn: () => unknown): MxcpError {
  try {
    fn();
  } catch (err) {
    if (isMxcpError(err)) return err;
    throw err;
  }
  throw new Error('expected a coded error, got none');
}

/** Converts one parameter `p` declared as `def` (required unless `def` has a default). */
function convert(def: TypeDefinition, value: unknown): unknown {
  return compileParamConverter([{ name: 'p', ...def }])({ p: value }).p;
}

function convertError(def: TypeDefinition, value: unknown): MxcpError {
  return failure(() => convert(def, value));
}

describe('parameter presence (MXCP 7.1, checklist 18-19)', () => {
  const params: ParameterDefinition[] = [
    { name: 'name', type: 'string' },
    { name: 'limit', type: 'integer', default: 10 },
  ];
  const convertParams = compileParamConverter(params);

  it('18: a parameter without default is required', () => {
    const err = failure(() => convertParams({ limit: 5 }));
    expect(err.code).toBe('MXCP_E_PARAM_MISSING');
    expect(err.message).toBe('Required parameter missing: name');
    expect(err.location).toEqual({ path: 'name' });
    expect(err.exitCode).toBe(1);
  });

  it('19: an undeclared argument is rejected with Unknown parameter', () => {
    const err = failure(() => convertParams({ name: 'a', x: '1' }));
    expect(err.code).toBe('MXCP_E_PARAM_UNKNOWN');
    expect(err.message).toBe('Unknown parameter: x');
    expect(err.location).toEqual({ path: 'x' });
  });

  it('rejects any argument of an endpoint that declares no parameters (decided, unlike MXCP)', () => {
    expect(failure(() => compileParamConverter(undefined)({ x: 1 })).message).toBe('Unknown parameter: x');
    expect(failure(() => compileParamConverter([])({ y: 1 })).message).toBe('Unknown parameter: y');
    expect(compileParamConverter(undefined)({})).toEqual({});
  });

  it('applies defaults, converted, for parameters not supplied', () => {
    expect(convertParams({ name: 'a' })).toEqual({ name: 'a', limit: 10 });
    expect(convertParams({ name: 'a', limit: '3' })).toEqual({ name: 'a', limit: 3 });
  });

  it('an explicit default: null makes a parameter optional with value null', () => {
    const c = compileParamConverter([{ name: 'since', type: 'string', format: 'date', default: null }]);
    expect(c({})).toEqual({ since: null });
  });

  it('checks presence before unknown names, and reports the first problem in argument order', () => {
    expect(failure(() => convertParams({ x: 1 })).code).toBe('MXCP_E_PARAM_MISSING');
    const c = compileParamConverter([
      { name: 'a', type: 'integer' },
      { name: 'b', type: 'integer' },
    ]);
    expect(failure(() => c({ b: 'x', a: 'y' })).message).toContain("parameter 'b'");
    expect(failure(() => c({ a: 1, b: 2, z: 3 })).message).toBe('Unknown parameter: z');
  });

  it('null is a supplied value: it satisfies a required parameter and passes without checks', () => {
    expect(compileParamConverter([{ name: 'n', type: 'integer', minimum: 5 }])({ n: null })).toEqual({ n: null });
  });

  it('treats an undefined argument as absent', () => {
    expect(failure(() => convertParams({ name: undefined })).code).toBe('MXCP_E_PARAM_MISSING');
    expect(convertParams({ name: 'a', limit: undefined })).toEqual({ name: 'a', limit: 10 });
  });

  it('keeps an argument named __proto__ as data, never as the prototype', () => {
    const c = compileParamConverter([{ name: '__proto__', type: 'object' }]);
    const out = c(JSON.parse('{"__proto__": {"polluted": true}}'));
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('integer and number (checklist 20, 24)', () => {
  it('20: CLI text "5" for an integer binds the integer 5', () => {
    expect(convert({ type: 'integer' }, '5')).toBe(5);
    expect(convert({ type: 'integer' }, ' -12 ')).toBe(-12);
    expect(convert({ type: 'integer' }, '1_000')).toBe(1000);
  });

  it('truncates fractional numbers like Python int() (5.9 → 5, -5.9 → -5)', () => {
    expect(convert({ type: 'integer' }, 5.9)).toBe(5);
    expect(convert({ type: 'integer' }, -5.9)).toBe(-5);
    expect(Object.is(convert({ type: 'integer' }, -0.5), 0)).toBe(true);
  });

  it('rejects text that is not an integer literal, and other JSON types, naming the JSON type', () => {
    expect(convertError({ type: 'integer' }, '5.5').message).toBe("Error validating parameter 'p': Expected integer, got string");
    expect(convertError({ type: 'integer' }, 'abc').message).toBe("Error validating parameter 'p': Expected integer, got string");
    expect(convertError({ type: 'integer' }, '0x10').message).toContain('Expected integer, got string');
    expect(convertError({ type: 'integer' }, true).message).toContain('Expected integer, got boolean');
    expect(convertError({ type: 'integer' }, [1]).message).toContain('Expected integer, got array');
    const err = convertError({ type: 'integer' }, {});
    expect(err.code).toBe('MXCP_E_PARAM_INVALID');
    expect(err.location).toEqual({ path: 'p' });
  });

  it('keeps integers beyond the safe range exact, as bigint', () => {
    expect(convert({ type: 'integer' }, '12345678901234567890')).toBe(12345678901234567890n);
    expect(convert({ type: 'integer' }, '-9007199254740993')).toBe(-9007199254740993n);
    expect(convert({ type: 'integer' }, 1e20)).toBe(100000000000000000000n);
    expect(convert({ type: 'integer' }, '000000000000000000042')).toBe(42);
  });

  it('number accepts JSON numbers and numeric text', () => {
    expect(convert({ type: 'number' }, '3.5')).toBe(3.5);
    expect(convert({ type: 'number' }, '1e3')).toBe(1000);
    expect(convert({ type: 'number' }, 7)).toBe(7);
    expect(convert({ type: 'number' }, '.5')).toBe(0.5);
    expect(convertError({ type: 'number' }, 'abc').message).toBe("Error validating parameter 'p': Expected number, got string");
    expect(convertError({ type: 'number' }, 'inf').message).toContain('Expected number, got string');
    expect(convertError({ type: 'number' }, '').message).toContain('Expected number, got string');
    expect(convertError({ type: 'number' }, false).message).toContain('Expected number, got boolean');
  });

  it('24: maximum 100 with 101 fails with Value must be <= 100 (JS number, not 100.0)', () => {
    const err = convertError({ type: 'integer', maximum: 100 }, 101);
    expect(err.code).toBe('MXCP_E_PARAM_INVALID');
    expect(err.message).toBe("Error validating parameter 'p': Value must be <= 100");
    expect(convert({ type: 'integer', maximum: 100 }, '100')).toBe(100);
  });

  it('pins every bound message, in MXCP order (multipleOf, min, max, exclusive min, exclusive max)', () => {
    expect(convertError({ type: 'number', minimum: 1.5 }, 1).message).toContain('Value must be >= 1.5');
    expect(convertError({ type: 'number', exclusiveMinimum: 0 }, 0).message).toContain('Value must be > 0');
    expect(convertError({ type: 'number', exclusiveMaximum: 10 }, 10).message).toContain('Value must be < 10');
    expect(convertError({ type: 'integer', multipleOf: 5 }, 12).message).toContain('Value must be multiple of 5');
    expect(convertError({ type: 'integer', multipleOf: 5, minimum: 100 }, 12).message).toContain('multiple of 5');
    expect(convertError({ type: 'integer', minimum: 0, exclusiveMinimum: 5 }, -1).message).toContain('Value must be >= 0');
  });

  it('multipleOf tolerates binary fractions (0.3 is a multiple of 0.1) and works on bigint', () => {
    expect(convert({ type: 'number', multipleOf: 0.1 }, 0.3)).toBe(0.3);
    expect(convertError({ type: 'number', multipleOf: 0.1 }, 0.35).message).toContain('multiple of 0.1');
    expect(convert({ type: 'integer', multipleOf: 10 }, '100000000000000000000')).toBe(100000000000000000000n);
    expect(convertError({ type: 'integer', multipleOf: 3 }, '100000000000000000000').message).toContain('multiple of 3');
    expect(convertError({ type: 'integer', maximum: 100 }, '100000000000000000000').message).toContain('Value must be <= 100');
  });
});

describe('boolean (checklist 21)', () => {
  it('21: text TRUE binds true, yes binds false', () => {
    expect(convert({ type: 'boolean' }, 'TRUE')).toBe(true);
    expect(convert({ type: 'boolean' }, 'true')).toBe(true);
    expect(convert({ type: 'boolean' }, 'yes')).toBe(false);
    expect(convert({ type: 'boolean' }, '1')).toBe(false);
    expect(convert({ type: 'boolean' }, ' true')).toBe(false);
  });

  it('converts other values by Python truthiness', () => {
    expect(convert({ type: 'boolean' }, true)).toBe(true);
    expect(convert({ type: 'boolean' }, 0)).toBe(false);
    expect(convert({ type: 'boolean' }, 2)).toBe(true);
    expect(convert({ type: 'boolean' }, [])).toBe(false);
    expect(convert({ type: 'boolean' }, [0])).toBe(true);
    expect(convert({ type: 'boolean' }, {})).toBe(false);
    expect(convert({ type: 'boolean' }, { a: 1 })).toBe(true);
  });
});

describe('enum (checklist 23)', () => {
  it('23: a value outside the enum fails with the list in Python repr', () => {
    const err = convertError({ type: 'string', enum: ['active', 'inactive'] }, 'deleted');
    expect(err.code).toBe('MXCP_E_PARAM_ENUM');
    expect(err.message).toBe("Invalid value for p. Must be one of: ['active', 'inactive']");
    expect(err.location).toEqual({ path: 'p' });
    expect(convertError({ type: 'integer', enum: [1, 2] }, 3).message).toBe('Invalid value for p. Must be one of: [1, 2]');
    expect(convertError({ type: 'string', enum: ['a', null, true, "it's"] }, 'b').message).toBe(
      `Invalid value for p. Must be one of: ['a', None, True, "it's"]`,
    );
  });

  it('is checked on the raw value before conversion, so the enum error wins over a conversion error', () => {
    expect(convertError({ type: 'integer', enum: [1, 2] }, 'abc').code).toBe('MXCP_E_PARAM_ENUM');
    expect(convertError({ type: 'string', enum: ['a'] }, null).code).toBe('MXCP_E_PARAM_ENUM');
  });

  it('accepts CLI text of a non-string type whose converted value is in the enum', () => {
    expect(convert({ type: 'integer', enum: [1, 5] }, '5')).toBe(5);
    expect(convert({ type: 'integer', enum: [1, 5] }, 5)).toBe(5);
    expect(convertError({ type: 'integer', enum: [1, 5] }, '6').code).toBe('MXCP_E_PARAM_ENUM');
    expect(convert({ type: 'array', enum: [[1, 2]] }, '[1,2]')).toEqual([1, 2]);
  });

  it('lets null through when null is the declared default', () => {
    const c = compileParamConverter([{ name: 's', type: 'string', enum: ['a', 'b'], default: null }]);
    expect(c({})).toEqual({ s: null });
    expect(c({ s: null })).toEqual({ s: null });
    expect(failure(() => c({ s: 'c' })).code).toBe('MXCP_E_PARAM_ENUM');
  });

  it('checks nested enums too, with a path', () => {
    const def: TypeDefinition = { type: 'array', items: { type: 'string', enum: ['x', 'y'] } };
    expect(convertError(def, ['x', 'z']).message).toBe("Error validating parameter 'p': Array item 1: Value must be one of: ['x', 'y']");
  });
});

describe('arrays (checklist 22)', () => {
  it('22: JSON text is parsed and items are converted', () => {
    expect(convert({ type: 'array', items: { type: 'integer' } }, '[1,2]')).toEqual([1, 2]);
    expect(convert({ type: 'array', items: { type: 'integer' } }, ['1', 2.7])).toEqual([1, 2]);
    expect(convert({ type: 'array' }, '["a", {"b": 1}]')).toEqual(['a', { b: 1 }]);
  });

  it('pins the array messages', () => {
    const msg = (def: TypeDefinition, v: unknown) => convertError(def, v).message.replace("Error validating parameter 'p': ", '');
    expect(msg({ type: 'array' }, '[1,')).toBe('Invalid JSON array: [1,');
    expect(msg({ type: 'array' }, '{"a": 1}')).toBe('Invalid JSON array: {"a": 1}');
    expect(msg({ type: 'array' }, 5)).toBe('Expected array, got integer');
    expect(msg({ type: 'array' }, { a: 1 })).toBe('Expected array, got object');
    expect(msg({ type: 'array', minItems: 2 }, [1])).toBe('Array must have at least 2 items');
    expect(msg({ type: 'array', maxItems: 1 }, [1, 2])).toBe('Array must have at most 1 items');
    expect(msg({ type: 'array', uniqueItems: true }, [1, 2, 1])).toBe('Array must contain unique items');
    expect(msg({ type: 'array', uniqueItems: true, items: { type: 'integer' } }, ['1', 1])).toBe('Array must contain unique items');
    expect(
      msg({ type: 'array', uniqueItems: true }, [
        { a: 1, b: 2 },
        { b: 2, a: 1 },
      ]),
    ).toBe('Array must contain unique items');
    expect(msg({ type: 'array', items: { type: 'integer' } }, [1, 'x'])).toBe('Array item 1: Expected integer, got string');
  });

  it('unique items distinguishes values of different JSON types', () => {
    expect(convert({ type: 'array', uniqueItems: true }, [1, '1', true, 'true', null])).toEqual([1, '1', true, 'true', null]);
  });
});

describe('objects (checklist 27)', () => {
  const def: TypeDefinition = {
    type: 'object',
    properties: { id: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } } },
    required: ['id'],
  };

  it('27: additionalProperties false rejects unknown keys; omitted keeps them as they are', () => {
    const closed = { ...def, additionalProperties: false };
    expect(convertError(closed, { id: 1, extra: 2 }).message).toBe("Error validating parameter 'p': Unexpected property: extra");
    expect(convert(def, { id: '1', extra: '2' })).toEqual({ id: 1, extra: '2' });
  });

  it('converts known properties recursively and parses JSON text', () => {
    expect(convert(def, '{"id": "7", "tags": "[\\"a\\"]"}')).toEqual({ id: 7, tags: ['a'] });
  });

  it('pins the object messages', () => {
    const msg = (d: TypeDefinition, v: unknown) => convertError(d, v).message.replace("Error validating parameter 'p': ", '');
    expect(msg({ type: 'object', required: ['a', 'b', 'c'] }, { b: 1 })).toBe('Missing required properties: a, c');
    expect(msg({ type: 'object' }, '{nope')).toBe('Invalid JSON object: {nope');
    expect(msg({ type: 'object' }, '[1]')).toBe('Invalid JSON object: [1]');
    expect(msg({ type: 'object' }, [1])).toBe('Expected object, got array');
    expect(msg({ type: 'object' }, 3.5)).toBe('Expected object, got number');
    expect(msg(def, { id: 'x' })).toBe("Property 'id': Expected integer, got string");
    expect(msg(def, { id: 1, tags: [1, {}] })).toBe("Property 'tags': Array item 1: Expected string, got object");
  });
});

describe('plain strings', () => {
  it('turns numbers and booleans into text, refuses arrays and objects', () => {
    expect(convert({ type: 'string' }, 42)).toBe('42');
    expect(convert({ type: 'string' }, false)).toBe('false');
    expect(convertError({ type: 'string' }, [1]).message).toBe("Error validating parameter 'p': Expected string, got array");
  });

  it('enforces minLength and maxLength in code points', () => {
    expect(convertError({ type: 'string', minLength: 3 }, 'ab').message).toContain('String must be at least 3 characters long');
    expect(convertError({ type: 'string', maxLength: 2 }, 'abc').message).toContain('String must be at most 2 characters long');
    expect(convert({ type: 'string', maxLength: 2 }, '😀😀')).toBe('😀😀');
    expect(convertError({ type: 'string', minLength: 3 }, '😀😀').message).toContain('at least 3');
  });

  it('enforces pattern everywhere (decided, unlike MXCP CLI)', () => {
    expect(convertError({ type: 'string', pattern: '^[a-z]+$' }, 'Abc').message).toBe(
      "Error validating parameter 'p': String does not match pattern '^[a-z]+$'",
    );
    expect(convert({ type: 'string', pattern: '[0-9]' }, 'a1b')).toBe('a1b');
    expect(convertError({ type: 'string', format: 'email', pattern: '@example\\.com$' }, 'a@b.org').message).toContain(
      'does not match pattern',
    );
  });
});

describe('definition problems are load-time errors', () => {
  it('an invalid pattern fails compilation with a path', () => {
    const err = failure(() => compileParamConverter([{ name: 'a', type: 'array', items: { type: 'string', pattern: '(' } }]));
    expect(err.code).toBe('MXCP_E_TYPE_DEFINITION_INVALID');
    expect(err.location).toEqual({ path: 'parameters.0.items.pattern' });
    expect(err.message).toContain("invalid pattern '('");
  });

  it('an empty enum fails compilation (it would refuse every value)', () => {
    const err = failure(() => compileParamConverter([{ name: 's', type: 'string', enum: [] }]));
    expect(err.code).toBe('MXCP_E_TYPE_DEFINITION_INVALID');
    expect(err.message).toBe('Invalid type definition at parameters.0.enum: enum must list at least one value');
  });

  it('a default that fails its own type fails compilation', () => {
    const err = failure(() => compileParamConverter([{ name: 'n', type: 'integer', maximum: 5, default: 10 }]));
    expect(err.code).toBe('MXCP_E_TYPE_DEFINITION_INVALID');
    expect(err.message).toBe('Invalid type definition at parameters.0.default: default 10 is invalid: Value must be <= 5');
  });

  it('an unknown type or a definition containing itself fails compilation', () => {
    expect(failure(() => compileParamConverter([{ name: 'x', type: 'strng' as 'string' }])).code).toBe('MXCP_E_TYPE_DEFINITION_INVALID');
    const loop: TypeDefinition = { type: 'array' };
    loop.items = loop;
    expect(failure(() => compileParamConverter([{ name: 'x', ...loop, items: loop }])).message).toContain('contains itself');
  });

  it('array and object defaults are fresh per call', () => {
    const c = compileParamConverter([{ name: 'ids', type: 'array', items: { type: 'integer' }, default: [1, 2] }]);
    const first = c({}).ids as number[];
    first.push(3);
    expect(c({}).ids).toEqual([1, 2]);
  });
});
