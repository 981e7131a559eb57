import { Ajv2020 } from 'ajv/dist/2020.js';
import * as addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { ParameterDefinition, TypeDefinition } from '../daemon/registry/types.js';
import {
  inputJsonSchema,
  outputJsonSchema,
  serializeOutput,
  structuredContent,
  structuredOutputWrapped,
  TimestampParam,
  validateOutput,
} from '../daemon/types/index.js';

const addFormats = addFormatsModule.default.default;

/** A strict 2020-12 validator with ajv-formats, like an MCP client checking structuredContent. */
function strictAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  return ajv;
}

const params: ParameterDefinition[] = [
  { name: 'user_id', type: 'integer', description: 'The user', minimum: 1, sensitive: false, examples: [1, 2] },
  { name: 'status', type: 'string', enum: ['active', 'inactive'], default: 'active', description: 'Filter' },
  { name: 'email', type: 'string', format: 'email', pattern: '@example\\.com$', minLength: 3, sensitive: true },
  { name: 'since', type: 'string', format: 'timestamp', default: null },
  {
    name: 'filter',
    type: 'object',
    properties: { tags: { type: 'array', items: { type: 'string', maxLength: 10 }, uniqueItems: true, maxItems: 5 } },
    required: ['tags'],
    additionalProperties: false,
  },
  { name: 'extra', type: 'object', additionalProperties: true, default: {} },
];

describe('MCP inputSchema (16.2, clean JSON Schema 2020-12)', () => {
  const schema = inputJsonSchema(params);

  it('is an object with one property per parameter; required lists those without default', () => {
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties as object)).toEqual(['user_id', 'status', 'email', 'since', 'filter', 'extra']);
    expect(schema.required).toEqual(['user_id', 'email', 'filter']);
    expect(schema.additionalProperties).toBe(false);
  });

  it('keeps type, description, enum, default, examples, format and constraints; drops sensitive and name', () => {
    const p = schema.properties as Record<string, Record<string, unknown>>;
    expect(p.user_id).toEqual({ type: 'integer', description: 'The user', minimum: 1, examples: [1, 2] });
    expect(p.status).toEqual({ type: 'string', description: 'Filter', enum: ['active', 'inactive'], default: 'active' });
    expect(p.email).toEqual({ type: 'string', format: 'email', minLength: 3, pattern: '@example\\.com$' });
    expect(p.filter).toEqual({
      type: 'object',
      properties: { tags: { type: 'array', items: { type: 'string', maxLength: 10 }, uniqueItems: true, maxItems: 5 } },
      required: ['tags'],
      additionalProperties: false,
    });
    expect(JSON.stringify(schema)).not.toContain('sensitive');
  });

  it('emits additionalProperties only when declared false', () => {
    expect((schema.properties as Record<string, object>).extra).toEqual({ type: 'object', default: {} });
  });

  it('describes format timestamp as number or text, without a non-standard format', () => {
    expect((schema.properties as Record<string, object>).since).toEqual({ type: ['number', 'string'], default: null });
  });

  it('compiles under strict Ajv 2020-12 and accepts a good call, rejects a bad one', () => {
    const validate = strictAjv().compile(schema);
    expect(validate({ user_id: 3, email: 'a@example.com', filter: { tags: ['x'] } })).toBe(true);
    expect(validate({ user_id: 0, email: 'a@example.com', filter: { tags: ['x'] } })).toBe(false);
    expect(validate({ user_id: 3, email: 'a@example.com', filter: { tags: ['x'] }, nope: 1 })).toBe(false);
  });

  it('an endpoint without parameters takes an empty object', () => {
    expect(inputJsonSchema(undefined)).toEqual({ type: 'object', properties: {}, required: [], additionalProperties: false });
  });

  it('does not share values with the definition', () => {
    const def: ParameterDefinition = { name: 'a', type: 'array', default: [1] };
    const s = inputJsonSchema([def]);
    ((s.properties as Record<string, { default: number[] }>).a.default as number[]).push(2);
    expect(def.default).toEqual([1]);
  });
});

describe('MCP outputSchema and structuredContent (16.2, checklist 65-67 at the type level)', () => {
  it('an object return with properties is the schema itself, not wrapped', () => {
    const ret: TypeDefinition = {
      type: 'object',
      properties: { id: { type: 'integer', description: 'id' }, email: { type: 'string', format: 'email' } },
      required: ['id'],
    };
    expect(structuredOutputWrapped(ret)).toBe(false);
    expect(outputJsonSchema(ret)).toEqual({
      type: 'object',
      properties: { id: { type: ['integer', 'null'], description: 'id' }, email: { type: ['string', 'null'] } },
      required: ['id'],
    });
    expect(structuredContent({ id: 1 }, ret)).toEqual({ id: 1 });
  });

  it('an object return without properties is a free-form object, not wrapped (as MXCP 16.2)', () => {
    expect(outputJsonSchema({ type: 'object' })).toEqual({ type: 'object' });
    expect(structuredOutputWrapped({ type: 'object' })).toBe(false);
  });

  it('65: an array return is wrapped in a required result property', () => {
    const ret: TypeDefinition = { type: 'array', items: { type: 'object', properties: { a: { type: 'integer' } } } };
    expect(structuredOutputWrapped(ret)).toBe(true);
    expect(outputJsonSchema(ret)).toEqual({
      type: 'object',
      properties: {
        result: { type: ['array', 'null'], items: { type: ['object', 'null'], properties: { a: { type: ['integer', 'null'] } } } },
      },
      required: ['result'],
    });
    expect(structuredContent([{ a: 1 }], ret)).toEqual({ result: [{ a: 1 }] });
  });

  it('scalar returns are wrapped too', () => {
    for (const type of ['string', 'number', 'integer', 'boolean'] as const) {
      expect(outputJsonSchema({ type })).toEqual({
        type: 'object',
        properties: { result: { type: [type, 'null'] } },
        required: ['result'],
      });
      expect(structuredContent(null, { type })).toEqual({ result: null });
    }
  });

  it('keeps only what output validation guarantees (no format, pattern, enum, multipleOf, sensitive)', () => {
    const ret: TypeDefinition = {
      type: 'string',
      format: 'date-time',
      pattern: '^2',
      enum: ['x'],
      minLength: 1,
      sensitive: true,
      description: 'when',
    };
    expect(outputJsonSchema(ret)).toEqual({
      type: 'object',
      properties: { result: { type: ['string', 'null'], minLength: 1, description: 'when' } },
      required: ['result'],
    });
  });

  it('whatever passes output validation, serialized, passes a strict client check of structuredContent', () => {
    const ret: TypeDefinition = {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          at: { type: 'string', format: 'date-time' },
          n: { type: 'integer', maximum: 10 },
          site: { type: 'string', format: 'uri' },
        },
        required: ['at'],
        additionalProperties: false,
      },
    };
    const rows = [
      { at: new TimestampParam('2024-01-15T10:30:00', 1705314600000000n, false), n: null, site: 'see:here and there' },
      { at: '2024-01-15 10:30:00', n: 10 },
    ];
    validateOutput(rows, ret);
    const validate = strictAjv().compile(outputJsonSchema(ret));
    expect(validate(structuredContent(serializeOutput(rows), ret))).toBe(true);
  });
});
