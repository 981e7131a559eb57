/**
 * Converters for `string` (all formats), `number`, `integer` and `boolean`. Values arrive as JSON (MCP)
 * or as text (`mxcp run --param limit=5`), so text is parsed where the declared type is not a string.
 * `null` never reaches these: the dispatcher returns it unchanged, as MXCP does.
 */
import type { TypeDefinition } from '../registry/types.js';
import { type Converter, Invalid, isPlainObject } from './conversion-result.js';
import { jsonTypeName } from './describe-value.js';
import { checkInputBounds } from './number-bounds.js';
import { narrowInteger, parseFloatText, parseIntegerText, truncateToInteger } from './numeric-text.js';
import { checkLength, checkTextFormat } from './string-formats.js';
import { parseDate, parseDateTime, parseTime, parseUnixSeconds } from './temporal.js';

const kTrue = /^true$/i;

/**
 * `string`. Temporal formats need a string and become tagged values; `timestamp` also takes a number.
 * Otherwise numbers and booleans become text (`true`/`false`, as MCP clients send them); arrays and
 * objects are refused rather than stringified. Then, unlike MXCP's CLI path (which left them to the MCP
 * layer), `minLength`/`maxLength` and `pattern` are enforced on every string.
 */
export function compileStringConverter(def: TypeDefinition, pattern: RegExp | undefined): Converter {
  const format = def.format;
  const checkText = (text: string): string | undefined =>
    checkLength(def, text) ?? (pattern && !pattern.test(text) ? `String does not match pattern '${def.pattern}'` : undefined);

  if (format === 'date' || format === 'time' || format === 'date-time') {
    const parse = format === 'date' ? parseDate : format === 'time' ? parseTime : parseDateTime;
    return (value) => {
      if (typeof value !== 'string') return new Invalid(`Expected string for ${format} format, got ${jsonTypeName(value)}`);
      const parsed = parse(value);
      if (typeof parsed === 'string') return new Invalid(parsed);
      const problem = checkText(value);
      return problem === undefined ? parsed : new Invalid(problem);
    };
  }
  if (format === 'timestamp') {
    return (value) => {
      const parsed = parseUnixSeconds(value);
      if (typeof parsed === 'string') return new Invalid(parsed);
      const problem = typeof value === 'string' ? checkText(value) : undefined;
      return problem === undefined ? parsed : new Invalid(problem);
    };
  }
  return (value) => {
    let text: string;
    if (typeof value === 'string') text = value;
    else if (typeof value === 'number' || typeof value === 'bigint') text = String(value);
    else if (typeof value === 'boolean') text = value ? 'true' : 'false';
    else return new Invalid(`Expected string, got ${jsonTypeName(value)}`);
    const problem = checkTextFormat(format, text) ?? checkText(text);
    return problem === undefined ? text : new Invalid(problem);
  };
}

/** `number`: a finite double; numeric text is parsed. Booleans are refused (Python would take them as 0/1). */
export function compileNumberConverter(def: TypeDefinition): Converter {
  return (value) => {
    let n: number | undefined;
    if (typeof value === 'number') n = Number.isFinite(value) ? value : undefined;
    else if (typeof value === 'bigint') n = Number(value);
    else if (typeof value === 'string') n = parseFloatText(value);
    if (n === undefined) return new Invalid(`Expected number, got ${jsonTypeName(value)}`);
    const problem = checkInputBounds(def, n);
    return problem === undefined ? n : new Invalid(problem);
  };
}

/**
 * `integer`: like Python's `int()`: 5, "5" and 5.9 (truncated to 5) pass, "5.5" and "abc" do not.
 * Integers beyond Number.MAX_SAFE_INTEGER become bigint so no digit is lost.
 */
export function compileIntegerConverter(def: TypeDefinition): Converter {
  return (value) => {
    let n: number | bigint | undefined;
    if (typeof value === 'number') n = Number.isFinite(value) ? truncateToInteger(value) : undefined;
    else if (typeof value === 'bigint') n = narrowInteger(value);
    else if (typeof value === 'string') n = parseIntegerText(value);
    if (n === undefined) return new Invalid(`Expected integer, got ${jsonTypeName(value)}`);
    const problem = checkInputBounds(def, n);
    return problem === undefined ? n : new Invalid(problem);
  };
}

/** `boolean`: text is true iff it reads "true" in any case ("yes" is false); anything else by Python truthiness. */
export function compileBooleanConverter(): Converter {
  return (value) => {
    if (typeof value === 'string') return kTrue.test(value);
    return pythonTruthy(value);
  };
}

function pythonTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'bigint') return value !== 0n;
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) {
    for (const key in value) if (Object.hasOwn(value, key)) return true;
    return false;
  }
  return true;
}
