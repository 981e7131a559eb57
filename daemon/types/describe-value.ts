/**
 * How values are named inside error messages. MXCP's texts come from Python (`{enum}` prints a list
 * repr, `got <type>` names a type); we keep the Python list repr where clients may match on it, but name
 * types the JSON way (`got string`, not `got str`) because our callers speak JSON.
 */
import { DateParam, TimeParam, TimestampParam } from './values.js';

/** JSON type name of a value: `null`, `boolean`, `integer`, `number`, `string`, `array`, `object`. */
export function jsonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(value) ? 'integer' : 'number';
    case 'bigint':
      return 'integer';
    case 'string':
      return 'string';
    case 'object':
      if (Array.isArray(value)) return 'array';
      // Temporal values become strings on the wire; name them by their JSON Schema format.
      if (value instanceof DateParam) return 'date';
      if (value instanceof TimeParam) return 'time';
      if (value instanceof TimestampParam || value instanceof Date) return 'date-time';
      return 'object';
    default:
      return typeof value;
  }
}

/** A number as JavaScript prints it (`100`, not Python's `100.0`). */
export function formatNumber(n: number | bigint): string {
  return String(n);
}

/** Python `repr()` of a JSON-like value, e.g. `['a', 'b']`, `[1, None, True]`, `{'k': 1}`. */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  switch (typeof value) {
    case 'boolean':
      return value ? 'True' : 'False';
    case 'number':
      if (Number.isNaN(value)) return 'nan';
      if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
      return String(value);
    case 'bigint':
      return String(value);
    case 'string':
      return pyStringRepr(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
      if (value instanceof DateParam || value instanceof TimeParam || value instanceof TimestampParam) return pyStringRepr(value.iso);
      if (value instanceof Date) return pyStringRepr(Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString());
      const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pyStringRepr(k)}: ${pyRepr(v)}`);
      return `{${entries.join(', ')}}`;
    }
    default:
      return String(value);
  }
}

/** Python's string repr: single quotes unless the text has a `'` and no `"`; escapes as Python does. */
function pyStringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/**
 * A received value as it appears after `: ` in a message (`Invalid JSON array: <v>`): strings verbatim,
 * like Python's f-string, everything else as compact JSON. Long texts are cut so that a huge argument
 * cannot blow up logs and error replies.
 */
export function displayValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value === undefined) text = 'undefined';
  else if (typeof value === 'bigint') text = String(value);
  else {
    try {
      text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > kMaxDisplay ? `${text.slice(0, kMaxDisplay)}... (${text.length} characters)` : text;
}

const kMaxDisplay = 200;
