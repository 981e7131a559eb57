/**
 * Compiles a type definition into a converter, once per endpoint and generation. Everything that can be
 * decided from the definition (which branch, the pattern's RegExp, the enum's message, nested converters)
 * is decided here, so a request only runs straight-line checks.
 *
 * Definition problems (an uncompilable `pattern`, an unknown `type` or `format`, an empty `enum`, a
 * definition that contains itself) throw MXCP_E_TYPE_DEFINITION_INVALID here, at load time, never per request.
 */
import { Errors } from '../../sdk/errors/index.js';
import type { TypeDefinition } from '../registry/types.js';
import { type Converter, EnumMismatch, Invalid, isPlainObject } from './conversion-result.js';
import { compileBooleanConverter, compileIntegerConverter, compileNumberConverter, compileStringConverter } from './convert-scalars.js';
import { compileArrayConverter, compileObjectConverter } from './convert-structured.js';
import { pyRepr } from './describe-value.js';
import { compilePattern } from './string-formats.js';
import { DateParam, TimeParam, TimestampParam } from './values.js';

const kFormats = new Set(['email', 'uri', 'date', 'time', 'date-time', 'duration', 'timestamp']);

/** Converter with the definition's `enum` enforced (nested values: `Value must be one of: [...]`). */
export function compileConverter(def: TypeDefinition, path: string): Converter {
  return compileWithAncestors(def, path, new Set());
}

/** The enum list as MXCP prints it in messages: a Python list repr, `['a', 'b']`. */
export function enumRepr(def: TypeDefinition): string {
  return pyRepr(def.enum ?? []);
}

function compileWithAncestors(def: TypeDefinition, path: string, ancestors: Set<TypeDefinition>): Converter {
  if (ancestors.has(def)) definitionError(path, 'the definition contains itself');
  ancestors.add(def);
  const child = (d: TypeDefinition, p: string) => compileWithAncestors(d, p, ancestors);
  const convert = compileType(def, path, child);
  ancestors.delete(def);
  const nullable = (value: unknown) => (value === null || value === undefined ? null : convert(value));
  return def.enum === undefined ? nullable : gateByEnum(def, nullable);
}

function compileType(def: TypeDefinition, path: string, child: (d: TypeDefinition, p: string) => Converter): Converter {
  if (def === null || typeof def !== 'object') definitionError(path, 'a type definition must be a mapping');
  if (def.format !== undefined && !kFormats.has(def.format)) definitionError(path, `unknown format '${String(def.format)}'`);
  // An empty enum would refuse every value (and is not valid JSON Schema): an authoring mistake.
  if (def.enum !== undefined && (!Array.isArray(def.enum) || def.enum.length === 0)) {
    definitionError(`${path}.enum`, 'enum must list at least one value');
  }
  switch (def.type) {
    case 'string': {
      let pattern: RegExp | undefined;
      if (def.pattern !== undefined) {
        const compiled = compilePattern(String(def.pattern));
        if (typeof compiled === 'string') definitionError(`${path}.pattern`, `invalid pattern '${def.pattern}': ${compiled}`);
        pattern = compiled;
      }
      return compileStringConverter(def, pattern);
    }
    case 'number':
      return compileNumberConverter(def);
    case 'integer':
      return compileIntegerConverter(def);
    case 'boolean':
      return compileBooleanConverter();
    case 'array':
      return compileArrayConverter(def, path, child);
    case 'object':
      return compileObjectConverter(def, path, child);
    default:
      return definitionError(`${path}.type`, `unknown type '${String(def.type)}'`);
  }
}

/**
 * `enum` is checked on the raw value first, as MXCP does. Because CLI arguments are text, a text value of
 * a non-string type that does not match as given is converted and checked again (`--param n=5` against
 * `enum: [1, 5]`); MXCP rejected that. `null` passes when it is the declared default.
 */
function gateByEnum(def: TypeDefinition, convert: Converter): Converter {
  const allowed = def.enum ?? [];
  const nullAllowed = Object.hasOwn(def, 'default') && def.default === null;
  const retryText = def.type !== 'string';
  const mismatch = `Value must be one of: ${enumRepr(def)}`;
  return (value) => {
    if (isAllowed(allowed, value) || ((value === null || value === undefined) && nullAllowed)) return convert(value);
    if (retryText && typeof value === 'string') {
      const converted = convert(value);
      if (!(converted instanceof Invalid) && isAllowed(allowed, converted)) return converted;
    }
    return new EnumMismatch(mismatch);
  };
}

function isAllowed(allowed: readonly unknown[], value: unknown): boolean {
  for (const candidate of allowed) if (jsonEqual(candidate, value)) return true;
  return false;
}

/** JSON equality: deep, object key order ignored, 1 == 1n, temporal values equal to their ISO text. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  a = temporalText(a);
  b = temporalText(b);
  if (a === b) return true;
  const ta = typeof a;
  const tb = typeof b;
  if ((ta === 'number' || ta === 'bigint') && (tb === 'number' || tb === 'bigint'))
    return numericEqual(a as number | bigint, b as number | bigint);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    let count = 0;
    for (const key in a) {
      if (!Object.hasOwn(a, key)) continue;
      if (!Object.hasOwn(b, key) || !jsonEqual(a[key], b[key])) return false;
      count++;
    }
    for (const key in b) if (Object.hasOwn(b, key)) count--;
    return count === 0;
  }
  return false;
}

/** Exact comparison across number and bigint (relational operators compare the two without rounding). */
function numericEqual(a: number | bigint, b: number | bigint): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  return !(a < b) && !(a > b);
}

function temporalText(v: unknown): unknown {
  return v instanceof DateParam || v instanceof TimeParam || v instanceof TimestampParam ? v.iso : v;
}

function definitionError(path: string, detail: string): never {
  throw new Errors.MXCP_E_TYPE_DEFINITION_INVALID({ path, detail }, { location: { path } });
}
