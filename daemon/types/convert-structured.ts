/**
 * Converters for `array` and `object`. Both accept JSON text (`--param ids=[1,2]`). Items and declared
 * properties are converted recursively; a nested failure is prefixed with where it happened
 * (`Array item 2: ...`, `Property 'limit': ...`, as output validation does), which MXCP's input path
 * did not do but which a caller needs to find the bad value in a large argument.
 */
import type { TypeDefinition } from '../registry/types.js';
import { type CompileChild, type Converter, Invalid, isPlainObject, setOwn } from './conversion-result.js';
import { displayValue, jsonTypeName } from './describe-value.js';
import type { ParamValue } from './values.js';

const kNotJson = Symbol('not JSON');

export function compileArrayConverter(def: TypeDefinition, path: string, compileChild: CompileChild): Converter {
  const item = def.items ? compileChild(def.items, `${path}.items`) : undefined;
  const { minItems, maxItems } = def;
  const unique = def.uniqueItems === true;
  return (value) => {
    let list: unknown = value;
    if (typeof value === 'string') {
      list = parseJson(value);
      if (!Array.isArray(list)) return new Invalid(`Invalid JSON array: ${displayValue(value)}`);
    } else if (!Array.isArray(value)) {
      return new Invalid(`Expected array, got ${jsonTypeName(value)}`);
    }
    const raw = list as unknown[];
    if (minItems !== undefined && raw.length < minItems) return new Invalid(`Array must have at least ${minItems} items`);
    if (maxItems !== undefined && raw.length > maxItems) return new Invalid(`Array must have at most ${maxItems} items`);
    let out = raw as ParamValue[];
    if (item) {
      out = new Array<ParamValue>(raw.length);
      for (let i = 0; i < raw.length; i++) {
        const converted = item(raw[i]);
        if (converted instanceof Invalid) return new Invalid(`Array item ${i}: ${converted.detail}`);
        out[i] = converted;
      }
    }
    // Uniqueness is judged on converted items, so "1" and 1 in an integer array are duplicates.
    if (unique && !allUnique(out)) return new Invalid('Array must contain unique items');
    return out;
  };
}

/**
 * Objects: `required` first (all missing names in one message), then each key in input order: declared
 * properties are converted, others kept as they are unless `additionalProperties: false`.
 */
export function compileObjectConverter(def: TypeDefinition, path: string, compileChild: CompileChild): Converter {
  const properties = new Map<string, Converter>();
  for (const [key, child] of Object.entries(def.properties ?? {})) properties.set(key, compileChild(child, `${path}.properties.${key}`));
  const required = def.required ?? [];
  const closed = def.additionalProperties === false;
  return (value) => {
    let obj: unknown = value;
    if (typeof value === 'string') {
      obj = parseJson(value);
      if (!isPlainObject(obj)) return new Invalid(`Invalid JSON object: ${displayValue(value)}`);
    } else if (!isPlainObject(value)) {
      return new Invalid(`Expected object, got ${jsonTypeName(value)}`);
    }
    const record = obj as Record<string, unknown>;
    for (const name of required) {
      if (!Object.hasOwn(record, name)) return new Invalid(`Missing required properties: ${missing(required, record)}`);
    }
    const out: Record<string, ParamValue> = {};
    for (const key in record) {
      if (!Object.hasOwn(record, key)) continue;
      const convert = properties.get(key);
      if (convert) {
        const converted = convert(record[key]);
        if (converted instanceof Invalid) return new Invalid(`Property '${key}': ${converted.detail}`);
        setOwn(out, key, converted);
      } else if (closed) {
        return new Invalid(`Unexpected property: ${key}`);
      } else {
        setOwn(out, key, record[key]);
      }
    }
    return out;
  };
}

function missing(required: readonly string[], record: Record<string, unknown>): string {
  return required.filter((name) => !Object.hasOwn(record, name)).join(', ');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return kNotJson;
  }
}

function allUnique(items: readonly unknown[]): boolean {
  if (items.length < 2) return true;
  const seen = new Set<string>();
  for (const item of items) {
    const key = canonicalKey(item);
    if (seen.has(key)) return false;
    seen.add(key);
  }
  return true;
}

/** A text equal for JSON-equal values: object key order ignored, 1 and 1n alike, temporals as their ISO text. */
function canonicalKey(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return `n${String(value)}`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return `s${JSON.stringify(value)}`;
    case 'object': {
      if (Array.isArray(value)) {
        let key = '[';
        for (const item of value) key += `${canonicalKey(item)},`;
        return `${key}]`;
      }
      if (!isPlainObject(value)) return `s${JSON.stringify(value)}`;
      let key = '{';
      for (const k of Object.keys(value).sort()) key += `${JSON.stringify(k)}:${canonicalKey(value[k])},`;
      return `${key}}`;
    }
    default:
      return String(value);
  }
}
