/**
 * Property-based tests: for arbitrary type definitions and arbitrary JSON (or CLI text) input, the type
 * system fails only with its coded errors, and what it accepts is consistent across its parts.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as addFormatsModule from 'ajv-formats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParameterDefinition, TypeDefinition } from '../daemon/registry/types.js';
import {
  compileParamConverter,
  type DateParam,
  inputJsonSchema,
  outputJsonSchema,
  type ParamConverter,
  serializeOutput,
  shapeResult,
  structuredContent,
  type TimestampParam,
  validateOutput,
} from '../daemon/types/index.js';
import { isMxcpError } from '../sdk/errors/index.js';

const addFormats = addFormatsModule.default.default;
const kRuns = { seed: 42, numRuns: 500 };

const kParamCodes = ['MXCP_E_PARAM_MISSING', 'MXCP_E_PARAM_UNKNOWN', 'MXCP_E_PARAM_ENUM', 'MXCP_E_PARAM_INVALID'];
const kKeys = fc.constantFrom('a', 'b', 'c', 'id', '__proto__', 'constructor', 'toString');
const kFormats = ['email', 'uri', 'date', 'time', 'date-time', 'duration', 'timestamp'] as const;

/** Values as clients send them: JSON, plus text that looks like numbers, dates, booleans or JSON. */
const rawValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.integer().map(String),
  fc.double().map(String),
  fc.bigInt().map(String),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
  fc.constantFrom('true', 'TRUE', 'yes', 'P1DT2H', 'a@b.co', 'https://x.y', '10:30:00', '2024-02-30', ''),
);

const bound = fc.oneof(fc.integer({ min: -100, max: 100 }), fc.double({ min: -100, max: 100, noNaN: true }));
const count = fc.nat(4);

/** Arbitrary (schema-valid) type definitions, nested up to a few levels. */
const typeDef: fc.Arbitrary<TypeDefinition> = fc.letrec<{ def: TypeDefinition }>((tie) => ({
  def: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record(
      {
        type: fc.constant('string' as const),
        format: fc.constantFrom(...kFormats),
        minLength: count,
        maxLength: fc.nat(30),
        pattern: fc.constantFrom('^[a-z]*$', '\\d', '^.{0,12}$', '@', '(', '\\p{L}'),
        enum: fc.array(fc.oneof(fc.string(), fc.constant(null)), { maxLength: 3 }),
        default: fc.oneof(fc.string(), fc.constant(null), fc.jsonValue({ maxDepth: 1 })),
      },
      { requiredKeys: ['type'] },
    ),
    fc.record(
      {
        type: fc.constantFrom('number' as const, 'integer' as const),
        minimum: bound,
        maximum: bound,
        exclusiveMinimum: bound,
        exclusiveMaximum: bound,
        multipleOf: fc.constantFrom(0.1, 0.5, 1, 3),
        enum: fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 3 }),
        default: fc.oneof(fc.integer(), fc.constant(null)),
      },
      { requiredKeys: ['type'] },
    ),
    fc.record({ type: fc.constant('boolean' as const), default: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: ['type'] }),
    fc.record(
      { type: fc.constant('array' as const), items: tie('def'), minItems: count, maxItems: fc.nat(6), uniqueItems: fc.boolean() },
      { requiredKeys: ['type'] },
    ),
    fc.record(
      {
        type: fc.constant('object' as const),
        properties: fc.dictionary(kKeys, tie('def'), { maxKeys: 3 }),
        required: fc.uniqueArray(kKeys, { maxLength: 2 }),
        additionalProperties: fc.boolean(),
      },
      { requiredKeys: ['type'] },
    ),
  ),
})).def;

const paramList: fc.Arbitrary<ParameterDefinition[]> = fc
  .uniqueArray(fc.tuple(kKeys, typeDef), { maxLength: 3, selector: ([name]) => name })
  .map((entries) => entries.map(([name, def]) => ({ ...def, name })));

/** Defines an own enumerable property, also for `__proto__`. */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Parameter lists with a call: most declared parameters supplied, sometimes one undeclared argument. */
const callCase: fc.Arbitrary<[ParameterDefinition[], Record<string, unknown>]> = paramList.chain((params) =>
  fc
    .tuple(
      fc.array(fc.tuple(fc.nat(9), rawValue), { minLength: params.length, maxLength: params.length }),
      fc.oneof({ arbitrary: fc.constant(null), weight: 6 }, { arbitrary: fc.tuple(kKeys, rawValue), weight: 1 }),
    )
    .map(([values, extra]) => {
      const raw: Record<string, unknown> = {};
      params.forEach((p, i) => {
        const [dice, value] = values[i];
        if (dice > 0) put(raw, p.name, value);
      });
      if (extra) put(raw, extra[0], extra[1]);
      return [params, raw] as [ParameterDefinition[], Record<string, unknown>];
    }),
);

/** Compiles, asserting that a failure is the coded definition error; `undefined` then. */
function compileOrDefinitionError(params: ParameterDefinition[]): ParamConverter | undefined {
  try {
    return compileParamConverter(params);
  } catch (err) {
    expect(isMxcpError(err) && err.code === 'MXCP_E_TYPE_DEFINITION_INVALID').toBe(true);
    return undefined;
  }
}

function strictClientAjv(): Ajv2020 {
  // strictRequired off: `required` may name keys the definition does not describe, which is valid JSON Schema.
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats(ajv);
  return ajv;
}

describe('properties of the type system', () => {
  it('parameter conversion throws nothing but coded errors, for any definitions and any input', () => {
    const outcomes = new Map<string, number>();
    const tally = (key: string): void => {
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    };
    fc.assert(
      fc.property(callCase, ([params, raw]) => {
        const convert = compileOrDefinitionError(params);
        if (!convert) {
          tally('definition');
          return;
        }
        try {
          convert(raw);
          tally('converted');
        } catch (err) {
          expect(isMxcpError(err)).toBe(true);
          expect(kParamCodes).toContain((err as { code: string }).code);
          expect((err as { location?: { path?: string } }).location?.path).toBeTypeOf('string');
          tally((err as { code: string }).code);
        }
      }),
      kRuns,
    );
    // The generators reach every outcome, so the property is not vacuous.
    for (const key of ['definition', 'converted', ...kParamCodes]) expect(outcomes.get(key) ?? 0, key).toBeGreaterThan(10);
  });

  it('what conversion accepts, output validation accepts, and its serialized form fits the output schema', () => {
    const ajv = strictClientAjv();
    let accepted = 0;
    fc.assert(
      fc.property(typeDef, rawValue, (def, raw) => {
        const convert = compileOrDefinitionError([{ ...def, name: 'p' }]);
        if (!convert) return;
        let value: unknown;
        try {
          value = convert({ p: raw }).p;
        } catch (err) {
          expect(isMxcpError(err)).toBe(true);
          return;
        }
        accepted++;
        expect(() => validateOutput(value, def)).not.toThrow();
        const validate = ajv.compile(outputJsonSchema(def));
        expect(validate(structuredContent(serializeOutput(value), def))).toBe(true);
      }),
      kRuns,
    );
    expect(accepted).toBeGreaterThan(50);
  });

  it('output validation and result shaping throw nothing but coded errors', () => {
    const outputCodes = ['MXCP_E_OUTPUT_INVALID', 'MXCP_E_TYPE_DEFINITION_INVALID'];
    const shapeCodes = ['MXCP_E_RESULT_EMPTY', 'MXCP_E_RESULT_NOT_SINGLE_ROW', 'MXCP_E_RESULT_NOT_SINGLE_VALUE'];
    fc.assert(
      fc.property(typeDef, fc.jsonValue({ maxDepth: 3 }), (def, value) => {
        for (const [run, codes] of [
          [() => validateOutput(value, def), outputCodes],
          [() => shapeResult(value, def), shapeCodes],
        ] as const) {
          try {
            run();
          } catch (err) {
            expect(isMxcpError(err)).toBe(true);
            expect(codes).toContain((err as { code: string }).code);
          }
        }
      }),
      kRuns,
    );
  });

  it('input and output schemas compile under a strict 2020-12 validator for any definitions', () => {
    const ajv = strictClientAjv();
    fc.assert(
      fc.property(paramList, typeDef, (params, ret) => {
        if (!compileOrDefinitionError(params)) return;
        expect(() => ajv.compile(inputJsonSchema(params))).not.toThrow();
        expect(() => ajv.compile(outputJsonSchema(ret))).not.toThrow();
        expect(JSON.stringify(inputJsonSchema(params))).not.toContain('"sensitive"');
      }),
      kRuns,
    );
  });

  it('integers round-trip from JSON numbers and from text, bigint beyond the safe range', () => {
    const convert = compileParamConverter([{ name: 'n', type: 'integer' }]);
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }), (n) => {
        const expected = n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
        expect(convert({ n: String(n) }).n).toBe(expected);
        if (typeof expected === 'number') expect(convert({ n: expected }).n).toBe(expected);
      }),
      kRuns,
    );
  });

  it('finite doubles round-trip through their text', () => {
    const convert = compileParamConverter([{ name: 'x', type: 'number' }]);
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(convert({ x: String(x) }).x).toBe(x === 0 ? 0 : x);
      }),
      kRuns,
    );
  });

  it('date-time and date text of any instant agree with Date', () => {
    const convert = compileParamConverter([
      { name: 'at', type: 'string', format: 'date-time' },
      { name: 'day', type: 'string', format: 'date' },
      { name: 'unix', type: 'string', format: 'timestamp' },
    ]);
    const instant = fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true });
    fc.assert(
      fc.property(instant, (d) => {
        const iso = d.toISOString();
        const out = convert({ at: iso, day: iso.slice(0, 10), unix: d.getTime() / 1000 });
        const at = out.at as TimestampParam;
        expect(at.micros).toBe(BigInt(d.getTime()) * 1000n);
        expect(at.hasOffset).toBe(true);
        expect((out.day as DateParam).iso).toBe(iso.slice(0, 10));
        expect((out.unix as TimestampParam).micros).toBe(BigInt(d.getTime()) * 1000n);
        expect(new Date((out.unix as TimestampParam).iso).getTime()).toBe(d.getTime());
      }),
      kRuns,
    );
  });
});
