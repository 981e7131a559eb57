/**
 * What the modern era (2026-07-28) adds to every result: `resultType` and the server's identity in
 * `_meta`; list, read and discover results also carry caching hints (SEP-2549).
 */
import { kMetaServerInfo } from './request-meta.js';
import { kServerInfo } from './server-info.js';

export interface CacheHint {
  readonly ttlMs: number;
  readonly cacheScope: 'public' | 'private';
}

/**
 * Lists change only when a reload swaps the generation, which is not announced in the modern era yet
 * (no `subscriptions/listen`), so clients are told to re-fetch rather than serve a stale list. They hold
 * nothing user-specific: shareable.
 */
export const kListCache: CacheHint = { ttlMs: 0, cacheScope: 'public' };

/** A read runs the endpoint for the caller (its SQL may use `get_username()`): never shared. */
export const kReadCache: CacheHint = { ttlMs: 0, cacheScope: 'private' };

const kResultMeta = Object.freeze({ [kMetaServerInfo]: kServerInfo });

export function modernResult(result: Readonly<Record<string, unknown>>, cache?: CacheHint): Record<string, unknown> {
  const meta = result._meta as Record<string, unknown> | undefined;
  return {
    ...result,
    resultType: 'complete',
    ...(cache ?? {}),
    _meta: meta ? { ...meta, ...kResultMeta } : kResultMeta,
  };
}
