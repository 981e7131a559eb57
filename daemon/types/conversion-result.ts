/**
 * What compiled converters return. Converters run on every request, so they report failure by returning
 * an {@link Invalid} (allocated only on failure) instead of throwing; only the parameter boundary turns it
 * into a coded error (STYLE: validators return results, callers decide).
 */
import type { TypeDefinition } from '../registry/types.js';
import type { ParamValue } from './values.js';

/** A failed conversion; `detail` is the text after `Error validating parameter '<name>': `. */
export class Invalid {
  constructor(readonly detail: string) {}
}

/** The value is not one of the definition's `enum` values (reported with its own code at the top level). */
export class EnumMismatch extends Invalid {}

/** Converts one raw value (JSON or CLI text) to its declared type. */
export type Converter = (value: unknown) => ParamValue | Invalid;

/** Compiles the converter of a nested definition; `path` is its dotted location, for definition errors. */
export type CompileChild = (def: TypeDefinition, path: string) => Converter;

/** Plain data objects (JSON objects): not arrays, not class instances such as the temporal values. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Sets an own property, also for the key `__proto__` (which plain assignment would treat as the
 * prototype setter, dropping the key and re-parenting the object).
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
