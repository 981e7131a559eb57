/**
 * Output validation against the declared `return` type (MXCP section 7.3), compiled once per endpoint.
 * It checks what MXCP checks and no more: types, email/uri/duration formats, string lengths,
 * minimum/maximum, item counts, `required`, and closed objects. Not checked on output (as in MXCP):
 * enum, pattern, exclusive bounds, multipleOf, uniqueItems, date/time formats. `null` always passes.
 *
 * A `string` may also be a temporal value (Date, or the tagged values of values.ts): those serialize to
 * ISO 8601 text. Type names in messages are JSON's (`Expected integer, got string`).
 */
import { Errors } from '../../sdk/errors/index.js';
import type { TypeDefinition } from '../registry/types.js';
import { isPlainObject } from './conversion-result.js';
import { jsonTypeName } from './describe-value.js';
import { checkOutputBounds } from './number-bounds.js';
import { checkLength, checkTextFormat } from './string-formats.js';
import { DateParam, TimeParam, TimestampParam } from './values.js';

/** Returns the failure detail (without the `Output validation failed: ` prefix), or `undefined`. */
export type OutputCheck = (value: unknown) => string | undefined;

/** Result-returning form: the caller decides what a failure means (tests, `--skip-output-validation`). */
export function compileOutputCheck(ret: TypeDefinition, path = 'return'): OutputCheck {
  return compileNode(ret, path, new Set());
}

/** Throwing form: MXCP_E_OUTPUT_INVALID with the detail. */
export function compileOutputValidator(ret: TypeDefinition): (value: unknown) => void {
  const check = compileOutputCheck(ret);
  return (value) => {
    const detail = check(value);
    if (detail !== undefined) throw new Errors.MXCP_E_OUTPUT_INVALID({ detail });
  };
}

const compiled = new WeakMap<TypeDefinition, (value: unknown) => void>();

/** Validates `value` against `ret`, compiling on first use (cached per definition object). */
export function validateOutput(value: unknown, ret: TypeDefinition): void {
  let validator = compiled.get(ret);
  if (!validator) {
    validator = compileOutputValidator(ret);
    compiled.set(ret, validator);
  }
  validator(value);
}

function compileNode(def: TypeDefinition, path: string, ancestors: Set<TypeDefinition>): OutputCheck {
  if (def === null || typeof def !== 'object') definitionError(path, 'a type definition must be a mapping');
  if (ancestors.has(def)) definitionError(path, 'the definition contains itself');
  ancestors.add(def);
  const check = compileType(def, path, ancestors);
  ancestors.delete(def);
  return (value) => (value === null || value === undefined ? undefined : check(value));
}

function compileType(def: TypeDefinition, path: string, ancestors: Set<TypeDefinition>): OutputCheck {
  switch (def.type) {
    case 'string':
      return (v) => {
        if (typeof v === 'string') return checkTextFormat(def.format, v) ?? checkLength(def, v);
        return isTemporal(v) ? undefined : expected('string', v);
      };
    case 'number':
      return (v) => (typeof v === 'number' || typeof v === 'bigint' ? checkOutputBounds(def, v) : expected('number', v));
    case 'integer':
      return (v) =>
        (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint' ? checkOutputBounds(def, v) : expected('integer', v);
    case 'boolean':
      return (v) => (typeof v === 'boolean' ? undefined : expected('boolean', v));
    case 'array':
      return compileArray(def, path, ancestors);
    case 'object':
      return compileObject(def, path, ancestors);
    default:
      return definitionError(`${path}.type`, `unknown type '${String(def.type)}'`);
  }
}

function compileArray(def: TypeDefinition, path: string, ancestors: Set<TypeDefinition>): OutputCheck {
  const item = def.items ? compileNode(def.items, `${path}.items`, ancestors) : undefined;
  const { minItems, maxItems } = def;
  return (v) => {
    if (!Array.isArray(v)) return expected('array', v);
    if (minItems !== undefined && v.length < minItems) return `Array must have at least ${minItems} items`;
    if (maxItems !== undefined && v.length > maxItems) return `Array must have at most ${maxItems} items`;
    if (item) {
      for (let i = 0; i < v.length; i++) {
        const problem = item(v[i]);
        if (problem !== undefined) return `Array item ${i}: ${problem}`;
      }
    }
    return undefined;
  };
}

function compileObject(def: TypeDefinition, path: string, ancestors: Set<TypeDefinition>): OutputCheck {
  const properties = new Map<string, OutputCheck>();
  for (const [key, child] of Object.entries(def.properties ?? {})) {
    properties.set(key, compileNode(child, `${path}.properties.${key}`, ancestors));
  }
  const required = def.required ?? [];
  const closed = def.additionalProperties === false;
  return (v) => {
    if (!isPlainObject(v)) return expected('object', v);
    for (const name of required) {
      if (!Object.hasOwn(v, name)) return `Missing required properties: ${required.filter((n) => !Object.hasOwn(v, n)).join(', ')}`;
    }
    for (const key in v) {
      if (!Object.hasOwn(v, key)) continue;
      const check = properties.get(key);
      if (check) {
        const problem = check(v[key]);
        if (problem !== undefined) return `Property '${key}': ${problem}`;
      } else if (closed) {
        return `Unexpected property: ${key}`;
      }
    }
    return undefined;
  };
}

function isTemporal(v: unknown): boolean {
  if (v instanceof Date || v instanceof DateParam || v instanceof TimeParam || v instanceof TimestampParam) return true;
  // Other date libraries' values (Luxon, Day.js, ...) serialize through toISOString like Date.
  return typeof v === 'object' && v !== null && typeof (v as { toISOString?: unknown }).toISOString === 'function';
}

function expected(type: string, v: unknown): string {
  return `Expected ${type}, got ${jsonTypeName(v)}`;
}

function definitionError(path: string, detail: string): never {
  throw new Errors.MXCP_E_TYPE_DEFINITION_INVALID({ path, detail }, { location: { path } });
}
