/**
 * What output policies do to a result. `filter_fields` and `mask_fields` act on top-level keys of an
 * object, or of each object in a list (MXCP); scalars pass unchanged. `filter_sensitive_fields` walks the
 * endpoint's `return` type: properties marked `sensitive: true` are removed at any depth (the Python MXCP
 * passes the wrong definition and removes nothing: here it does what its documentation says).
 */
import type { TypeDefinition } from '../registry/types.js';

const kMask = '****';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function perObject(value: unknown, edit: (o: Record<string, unknown>) => Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((item) => (isObject(item) ? edit(item) : item));
  return isObject(value) ? edit(value) : value;
}

export function filterFields(value: unknown, fields: readonly string[]): unknown {
  return perObject(value, (o) => Object.fromEntries(Object.entries(o).filter(([k]) => !fields.includes(k))));
}

export function maskFields(value: unknown, fields: readonly string[]): unknown {
  return perObject(value, (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, fields.includes(k) ? kMask : v])));
}

/** Removes what `type` marks sensitive; a sensitive root gives `null`. */
export function filterSensitive(value: unknown, type: TypeDefinition): unknown {
  if (type.sensitive) return null;
  if (Array.isArray(value)) return type.items ? value.map((item) => filterSensitive(item, type.items as TypeDefinition)) : value;
  if (!isObject(value) || !type.properties) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const prop = type.properties[key];
    if (prop === undefined) {
      // Keys the type does not declare: kept unless the type closes the object.
      if (type.additionalProperties !== false) out[key] = v;
      continue;
    }
    if (prop.sensitive) continue;
    out[key] = filterSensitive(v, prop);
  }
  return out;
}
