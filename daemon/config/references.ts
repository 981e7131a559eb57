/**
 * Reference resolution over a parsed configuration tree. Backends (env, file, vault, op, third-party) are
 * given; this module only walks, selects and collects failures, so a new backend needs no change here.
 */
import type { ResolveContext, SecretBackend } from '../../sdk/secret-backend.js';
import type { KeyPath } from './yaml-file.js';

export interface ResolvedValue {
  readonly path: KeyPath;
  readonly backend: string;
  /** The resolved text; kept so audit and logs can redact it. */
  readonly value: string;
}

export interface ReferenceFailure {
  readonly path: KeyPath;
  readonly message: string;
}

export interface ResolveOutcome<T> {
  readonly data: T;
  readonly resolved: readonly ResolvedValue[];
  readonly failures: readonly ReferenceFailure[];
}

export interface ResolveOptions {
  readonly backends: readonly SecretBackend[];
  /** Which string leaves to resolve; others stay literal (inactive profiles, say). */
  readonly select: (path: KeyPath) => boolean;
  readonly context: Omit<ResolveContext, 'keyPath'>;
}

/**
 * Returns a copy of `data` with every selected string leaf resolved. Resolution is all-or-nothing for the
 * caller: failures are collected (not thrown) so one message can name every unresolved key.
 */
export async function resolveReferences<T>(data: T, options: ResolveOptions): Promise<ResolveOutcome<T>> {
  const resolved: ResolvedValue[] = [];
  const failures: ReferenceFailure[] = [];
  const inline = options.backends.filter((b) => b.mode === 'inline');
  const whole = options.backends.filter((b) => b.mode === 'whole');

  async function resolveString(value: string, path: KeyPath): Promise<string> {
    const ctx: ResolveContext = { ...options.context, keyPath: path.join('.') };
    let current = value;
    for (const backend of inline) {
      if (!backend.matches(current)) continue;
      current = await backend.resolve(current, ctx);
      resolved.push({ path, backend: backend.name, value: current });
    }
    const owner = whole.find((b) => b.matches(current));
    if (owner) {
      current = await owner.resolve(current, ctx);
      resolved.push({ path, backend: owner.name, value: current });
    }
    return current;
  }

  async function walk(node: unknown, path: KeyPath): Promise<unknown> {
    if (typeof node === 'string') {
      if (!options.select(path)) return node;
      try {
        return await resolveString(node, path);
      } catch (err) {
        failures.push({ path, message: err instanceof Error ? err.message : String(err) });
        return node;
      }
    }
    if (Array.isArray(node)) {
      const out: unknown[] = [];
      for (let i = 0; i < node.length; i++) out.push(await walk(node[i], [...path, i]));
      return out;
    }
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) out[k] = await walk(v, [...path, k]);
      return out;
    }
    return node;
  }

  const out = (await walk(data, [])) as T;
  return { data: out, resolved, failures };
}

/** True when `path` starts with `prefix`. */
export function under(path: KeyPath, prefix: KeyPath): boolean {
  if (path.length < prefix.length) return false;
  return prefix.every((seg, i) => String(path[i]) === String(seg));
}

/** True when one of the backends would resolve `value`: a reference. */
export function isReference(value: unknown, backends: readonly SecretBackend[]): boolean {
  return typeof value === 'string' && backends.some((b) => b.matches(value));
}

/**
 * Schema issues that only exist because a reference was deliberately left unresolved (an inactive
 * profile's `readonly: ${RO}` is not a boolean yet) are not errors: that value is resolved and validated
 * when its profile is the active one. Unknown keys are always errors.
 */
export function withoutUnresolvedReferences<I extends { path: KeyPath; atKey: boolean }>(
  issues: readonly I[],
  data: unknown,
  resolved: (path: KeyPath) => boolean,
  backends: readonly SecretBackend[],
): I[] {
  return issues.filter((i) => i.atKey || resolved(i.path) || !isReference(valueAt(data, i.path), backends));
}

function valueAt(data: unknown, path: KeyPath): unknown {
  let cur = data;
  for (const seg of path) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[seg] : undefined;
  return cur;
}

/**
 * A resolved reference is always a string. Where the schema wants a boolean or a number there, convert it
 * as MXCP's pydantic models do (`"8000"` → 8000, `"true"` → true), leaving literal values alone: a quoted
 * number typed into the file is still reported. Returns true when a value changed (validate again).
 */
export function coerceResolvedValues(
  data: unknown,
  issues: readonly { path: KeyPath; expected?: string }[],
  resolved: readonly ResolvedValue[],
): boolean {
  const resolvedPaths = new Set(resolved.map((r) => r.path.join('.')));
  let changed = false;
  for (const issue of issues) {
    if (!issue.expected || !resolvedPaths.has(issue.path.join('.'))) continue;
    const parentPath = issue.path.slice(0, -1);
    const parent = valueAt(data, parentPath) as Record<string | number, unknown> | undefined;
    const key = issue.path[issue.path.length - 1];
    if (!parent || key === undefined || typeof parent[key] !== 'string') continue;
    const converted = convertScalar(parent[key] as string, issue.expected.split(','));
    if (converted !== undefined) {
      parent[key] = converted;
      changed = true;
    }
  }
  return changed;
}

function convertScalar(text: string, types: readonly string[]): boolean | number | undefined {
  const t = text.trim();
  for (const type of types) {
    if (type === 'boolean') {
      if (/^(true|1|yes|on)$/i.test(t)) return true;
      if (/^(false|0|no|off)$/i.test(t)) return false;
    } else if (type === 'integer' && /^[-+]?[0-9]+$/.test(t)) {
      return Number(t);
    } else if (type === 'number' && t !== '' && Number.isFinite(Number(t))) {
      return Number(t);
    }
  }
  return undefined;
}
