/**
 * Runtime contract checks per kind (STYLE 7, 21). TypeScript interfaces vanish at runtime, so once an
 * instance exists, and before anything is bound to it, its required members are checked here. Returns the
 * problems found (empty when the instance fits).
 */
import type { PluginKind } from '../../sdk/plugin-kinds.js';

type Members = Readonly<Record<string, 'function' | 'string' | 'string[]'>>;

const kRequired: Readonly<Record<PluginKind, Members>> = {
  executor: { languages: 'string[]', prepare: 'function', execute: 'function', close: 'function' },
  'secret-backend': { name: 'string', mode: 'string', matches: 'function', resolve: 'function' },
  'auth-provider': {
    name: 'string',
    callbackPath: 'string',
    pkceMethods: 'string[]',
    authorizeUrl: 'function',
    exchangeCode: 'function',
    refreshToken: 'function',
    fetchUserInfo: 'function',
  },
  'audit-sink': { name: 'string', write: 'function', flush: 'function' },
  'token-store': { name: 'string', put: 'function', get: 'function', take: 'function', delete: 'function', cleanupExpired: 'function' },
  'model-provider': { types: 'string[]', complete: 'function' },
  udf: {},
};

const kHooks = ['init', 'ready', 'close'] as const;

/** SQL identifiers DuckDB accepts unquoted: the function name is `<method>_<instance>`. */
const kIdentifier = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** DuckDB type names as written in a signature; anything else (quotes, semicolons) is refused before SQL sees it. */
export const kTypeText = /^[A-Za-z][A-Za-z0-9_ ,()[\]]*$/;

export function checkInstance(kind: PluginKind, instance: unknown, provides: readonly string[] | undefined): string[] {
  if (typeof instance !== 'object' || instance === null)
    return [`create returned ${instance === null ? 'null' : typeof instance}, not an object`];
  const obj = instance as Record<string, unknown>;
  const problems: string[] = [];
  for (const [member, type] of Object.entries(kRequired[kind])) {
    const value = obj[member];
    const ok =
      type === 'string[]' ? Array.isArray(value) && value.every((v) => typeof v === 'string') : typeof value === type && value !== '';
    if (!ok) problems.push(`${member} must be ${type === 'string[]' ? 'an array of strings' : `a ${type}`}`);
  }
  for (const hook of kHooks) if (obj[hook] !== undefined && typeof obj[hook] !== 'function') problems.push(`${hook} must be a function`);
  if (kind === 'secret-backend' && obj.mode !== 'inline' && obj.mode !== 'whole') problems.push(`mode must be 'inline' or 'whole'`);
  if (kind === 'executor' && Array.isArray(obj.languages) && provides) {
    const declared = [...provides].sort().join(',');
    if ([...(obj.languages as string[])].sort().join(',') !== declared) {
      problems.push(`languages [${(obj.languages as string[]).join(', ')}] differ from the manifest's provides [${provides.join(', ')}]`);
    }
  }
  if (kind === 'udf') problems.push(...checkUdf(obj));
  return problems;
}

function checkUdf(obj: Record<string, unknown>): string[] {
  const functions = obj.functions;
  if (typeof functions !== 'object' || functions === null || Array.isArray(functions))
    return ['functions must map method names to signatures'];
  const problems: string[] = [];
  const entries = Object.entries(functions as Record<string, unknown>);
  if (entries.length === 0) problems.push('functions declares no function');
  for (const [method, sig] of entries) {
    const fn = obj[method];
    if (!kIdentifier.test(method)) problems.push(`'${method}' is not a valid SQL function name`);
    if (typeof fn !== 'function') problems.push(`functions declares '${method}' but the instance has no such method`);
    // DuckDB calls scalar functions synchronously; an async method would hand back a Promise per row.
    else if (fn.constructor.name === 'AsyncFunction') problems.push(`'${method}' is async; UDF methods must be synchronous`);
    const s = sig as { parameters?: unknown; returns?: unknown } | null;
    const params = s?.parameters;
    if (!Array.isArray(params) || !params.every((p) => typeof p === 'string' && kTypeText.test(p))) {
      problems.push(`'${method}'.parameters must be an array of DuckDB type names`);
    }
    if (typeof s?.returns !== 'string' || !kTypeText.test(s.returns)) problems.push(`'${method}'.returns must be a DuckDB type name`);
  }
  return problems;
}
