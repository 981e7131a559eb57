/**
 * The `token-store` plugin kind: where the daemon's OAuth server keeps short-lived state (pending
 * authorisations, one-time codes), sessions and registered clients. MXCP keeps these in SQLite; a store
 * plugin may use anything that honours expiry and the atomic {@link TokenStore.take}.
 *
 * The daemon hashes tokens before they become keys and encrypts what it must read back, so a store never
 * sees a usable bearer token.
 */
import type { PluginLifecycle } from './plugin-kinds.js';
import type { Token } from './plugin-tokens.js';

/** The collections a store keeps; each is its own key space. */
export type TokenCollection = 'state' | 'auth-code' | 'access-token' | 'refresh-token' | 'session' | 'client';

export interface StoredToken {
  readonly data: Readonly<Record<string, unknown>>;
  /** Epoch milliseconds after which the record is gone (as if deleted); absent = no expiry. */
  readonly expiresAt?: number;
}

export interface TokenStore extends PluginLifecycle {
  /** The `persistence.type` value that selects it (`sqlite`, `memory`, ...). */
  readonly name: string;
  put(collection: TokenCollection, key: string, record: StoredToken): Promise<void>;
  /** The record, or `undefined` when absent or expired. */
  get(collection: TokenCollection, key: string): Promise<StoredToken | undefined>;
  /** Reads and deletes in one step, so a one-time code or state is accepted at most once. */
  take(collection: TokenCollection, key: string): Promise<StoredToken | undefined>;
  delete(collection: TokenCollection, key: string): Promise<void>;
  /** Removes expired records; returns how many. */
  cleanupExpired(now: number): Promise<number>;
}

/** What the daemon gives the selected store (under {@link kTokenStoreSettings}): the `auth.persistence` block. */
export interface TokenStoreSettings {
  /** `persistence.type` (`file` by default; MXCP's `sqlite` selects the file store too). */
  readonly type: string;
  /** Absolute path of the store's file (`persistence.path`, default `<data dir>/oauth-tokens.jsonl`). */
  readonly path: string;
}

export const kTokenStoreSettings: Token<TokenStoreSettings> = Symbol.for('mxcp.token.token-store-settings') as Token<TokenStoreSettings>;
