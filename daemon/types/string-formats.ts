/**
 * The non-temporal string formats and the string constraints shared by input conversion and output
 * validation. The regular expressions are MXCP's (Python `re.match`, so anchored at the start only for
 * email); they are deliberately loose and are kept loose so that values MXCP accepted still pass.
 */
import type { StringFormat, TypeDefinition } from '../registry/types.js';
import { displayValue, formatNumber } from './describe-value.js';

const kEmail = /^[^@]+@[^@]+\.[^@]+/;
// `[^\n]` stands in for Python's `.` (which, unlike JavaScript's, matches `\r`).
const kUri = /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\n]*$/;
const kDuration = /^P(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?$/;

/** The format check of `email`, `uri` or `duration`; `undefined` when the value passes or has another format. */
export function checkTextFormat(format: StringFormat | undefined, value: string): string | undefined {
  switch (format) {
    case 'email':
      return kEmail.test(value) ? undefined : `Invalid email format: ${displayValue(value)}`;
    case 'uri':
      return kUri.test(value) ? undefined : `Invalid URI format: ${displayValue(value)}`;
    case 'duration':
      return kDuration.test(value) ? undefined : `Invalid duration format: ${displayValue(value)}`;
    default:
      return undefined;
  }
}

/**
 * `minLength` / `maxLength`, counted in Unicode code points like Python's `len()` (a UTF-16 `length`
 * would count an emoji twice). The code-point count is only computed when `length` cannot decide.
 */
export function checkLength(def: TypeDefinition, value: string): string | undefined {
  const min = def.minLength;
  const max = def.maxLength;
  if (min !== undefined && value.length < min * 2 && (value.length < min || codePointLength(value) < min)) {
    return `String must be at least ${formatNumber(min)} characters long`;
  }
  if (max !== undefined && value.length > max && codePointLength(value) > max) {
    return `String must be at most ${formatNumber(max)} characters long`;
  }
  return undefined;
}

/** Number of code points, without allocating (a lone surrogate counts as one). */
export function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/**
 * Compiles `pattern` once. JSON Schema patterns are ECMA-262 regexes with the `u` flag (the endpoint
 * schema checks them the same way) and match anywhere in the string unless anchored.
 * Returns the compile error text instead of throwing so the caller can attach the definition path.
 */
export function compilePattern(pattern: string): RegExp | string {
  try {
    return new RegExp(pattern, 'u');
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
