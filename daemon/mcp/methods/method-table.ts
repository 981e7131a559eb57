/**
 * Which methods each era serves. The modern era (2026-07-28) removed `initialize`, `ping` and
 * `logging/setLevel` (they answer -32601 there, HTTP 404) and added `server/discover`.
 */
import type { MethodCall } from '../method-call.js';
import type { Era } from '../protocol-version.js';
import { type CacheHint, kReadCache } from '../result-meta.js';
import { complete } from './completion.js';
import { discover, initialize, ping, setLogLevel } from './lifecycle.js';
import { getPrompt, listPrompts } from './prompts.js';
import { listResources, listResourceTemplates, readResource } from './resources.js';
import { callTool, listTools } from './tools.js';

export interface MethodSpec {
  readonly handler: (call: MethodCall) => unknown;
  /** Runs endpoint code: gets an AbortSignal (client cancel, disconnect, drain deadline). */
  readonly cancellable?: boolean;
  /** Caching hint of the result in the modern era. */
  readonly cache?: CacheHint;
}

const kShared: Record<string, MethodSpec> = {
  'tools/list': { handler: listTools },
  'tools/call': { handler: callTool, cancellable: true },
  'resources/list': { handler: listResources },
  'resources/templates/list': { handler: listResourceTemplates },
  'resources/read': { handler: readResource, cancellable: true, cache: kReadCache },
  'prompts/list': { handler: listPrompts },
  'prompts/get': { handler: getPrompt, cancellable: true },
  'completion/complete': { handler: complete },
};

const kTables: Record<Era, ReadonlyMap<string, MethodSpec>> = {
  legacy: new Map(
    Object.entries({
      ...kShared,
      initialize: { handler: initialize },
      ping: { handler: ping },
      'logging/setLevel': { handler: setLogLevel },
    }),
  ),
  modern: new Map(Object.entries({ ...kShared, 'server/discover': { handler: discover } })),
};

export function methodSpec(era: Era, method: string): MethodSpec | undefined {
  return kTables[era].get(method);
}
