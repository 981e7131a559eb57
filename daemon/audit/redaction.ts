/**
 * Redaction of audit input and output, two rules:
 *
 *   1. A parameter or return-type property marked `sensitive: true` (at any depth: object properties,
 *      array items) is written as "[REDACTED]" whatever its value; so is text found where an object or
 *      array with sensitive parts was expected.
 *   2. Any string equal to a resolved secret value is "[REDACTED]"; a string containing one (4 characters
 *      or longer, so a short value cannot shred ordinary text) has each occurrence replaced.
 *
 * The walk also makes the value JSON-safe (bigint, Date, tagged temporals, cycles), so the sink can always
 * serialize the record. Nothing is mutated: the caller's arguments and the result sent to the client are
 * left as they are. Plans are derived once per endpoint (per generation), not per request.
 */
import { kRedacted } from '../../sdk/audit.js';
import type { CompiledEndpoint } from '../generation/compiled-endpoint.js';
import type { TypeDefinition } from '../registry/types.js';

/** `true`: redact the whole value; otherwise what to look for inside it. */
export type Plan = true | { readonly props?: Readonly<Record<string, Plan>>; readonly items?: Plan };

export interface EndpointPlans {
  readonly input: Plan | undefined;
  readonly output: Plan | undefined;
}

const kMinSubstringSecret = 4;
const kMaxDepth = 64;
const plans = new WeakMap<CompiledEndpoint, EndpointPlans>();

export function endpointPlans(endpoint: CompiledEndpoint): EndpointPlans {
  let p = plans.get(endpoint);
  if (!p) {
    const props: Record<string, Plan> = {};
    for (const param of endpoint.parameters) {
      const sub = typePlan(param);
      if (sub) props[param.name] = sub;
    }
    p = { input: Object.keys(props).length > 0 ? { props } : undefined, output: typePlan(endpoint.returns) };
    plans.set(endpoint, p);
  }
  return p;
}

export function typePlan(type: TypeDefinition | undefined): Plan | undefined {
  if (!type) return undefined;
  if (type.sensitive) return true;
  let props: Record<string, Plan> | undefined;
  for (const [name, prop] of Object.entries(type.properties ?? {})) {
    const sub = typePlan(prop);
    if (!sub) continue;
    props ??= {};
    props[name] = sub;
  }
  const items = typePlan(type.items);
  if (!props && !items) return undefined;
  return { ...(props ? { props } : {}), ...(items ? { items } : {}) };
}

/** A JSON-safe, redacted copy of `value`. `secrets` must be sorted longest first (see secretValues). */
export function redact(value: unknown, plan: Plan | undefined, secrets: readonly string[]): unknown {
  return walk(value, plan, secrets, 0, new WeakSet());
}

/**
 * The scalar values under the sensitive parts of `value` (as text, longest first): an error message may
 * quote an argument ("invalid card number 4111..."), so these are scrubbed from it like secrets.
 */
export function sensitiveValues(value: unknown, plan: Plan | undefined): string[] {
  const out = new Set<string>();
  const visit = (v: unknown, p: Plan | undefined, depth: number): void => {
    if (p === undefined || v === null || v === undefined || depth > kMaxDepth) return;
    if (p === true) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint') out.add(String(v));
      else if (typeof v === 'object') for (const item of Object.values(v)) visit(item, true, depth + 1);
      return;
    }
    if (Array.isArray(v)) for (const item of v) visit(item, p.items, depth + 1);
    else if (typeof v === 'object') for (const [k, item] of Object.entries(v)) visit(item, p.props?.[k], depth + 1);
    else if (typeof v === 'string') out.add(v); // text where sensitive structure was expected
  };
  visit(value, plan, 0);
  return [...out].filter((s) => s !== '').sort((a, b) => b.length - a.length);
}

/** Replaces secret values inside free text (error messages). */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (out === s) return kRedacted;
    if (s.length >= kMinSubstringSecret && out.includes(s)) out = out.split(s).join(kRedacted);
  }
  return out;
}

function walk(value: unknown, plan: Plan | undefined, secrets: readonly string[], depth: number, seen: WeakSet<object>): unknown {
  if (plan === true) return kRedacted;
  switch (typeof value) {
    case 'string':
      // Text where structure with sensitive parts was expected (an object passed as JSON text that failed
      // conversion): its parts cannot be told apart, so none of it is shown.
      if (plan !== undefined) return kRedacted;
      return secrets.length > 0 ? redactText(value, secrets) : value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return null;
  }
  if (value === null) return null;
  const obj = value as object;
  if (depth >= kMaxDepth) return '[TRUNCATED]';
  if (seen.has(obj)) return '[Circular]';
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? null : obj.toISOString();
  // Tagged temporals (DateParam, ...) and other objects with a JSON form: audit what the client sees.
  const toJSON = (obj as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return walk(toJSON.call(obj), plan, secrets, depth + 1, seen);
  if (obj instanceof Uint8Array) return Buffer.from(obj).toString('base64');
  seen.add(obj);
  try {
    if (Array.isArray(obj)) {
      const items = plan?.items;
      return obj.map((item) => walk(item, items, secrets, depth + 1, seen));
    }
    const out: Record<string, unknown> = {};
    const props = plan?.props;
    for (const [key, item] of Object.entries(obj)) {
      const v = walk(item, props?.[key], secrets, depth + 1, seen);
      // defineProperty: a key named __proto__ in the arguments stays a plain key.
      Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return out;
  } finally {
    seen.delete(obj);
  }
}
