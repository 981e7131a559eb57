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
