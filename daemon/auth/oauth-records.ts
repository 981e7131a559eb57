/**
 * The OAuth server's records in a token store, typed. Every key that is a bearer secret (codes, access and
 * refresh tokens) is stored as its SHA-256; secrets that must be read back (upstream tokens, client secrets)
 * go through the SecretBox. Lifetimes are the store's `expiresAt`, so an expired record reads as absent.
 *
 *   client         client_id            registered clients (config `clients` and DCR), no expiry
 *   state          hash(state)          a pending /authorize while the user is at the provider (10 min)
 *   auth-code      hash(code)           one-time code for /token, with the user it names (5 min)
 *   session        session id           the user, upstream tokens, client, scopes, resource
 *   access-token   hash(access token)   -> session (provider's expiry, else 1 h)
 *   refresh-token  hash(refresh token)  -> session and client (30 days, rotated on use)
 */
import type { AuthUserInfo } from '../../sdk/auth-provider.js';
import type { TokenStore } from '../../sdk/token-store.js';
import { hashToken, type SecretBox } from './token-crypto.js';

export interface ClientRecord {
  readonly client_id: string;
  /** Sealed (SecretBox); absent for public clients (`token_endpoint_auth_method: none`). */
  readonly client_secret?: string;
  readonly token_endpoint_auth_method: 'none' | 'client_secret_post' | 'client_secret_basic';
  readonly redirect_uris: readonly string[];
  readonly grant_types: readonly string[];
  readonly response_types: readonly string[];
  readonly scope?: string;
  readonly client_name?: string;
  readonly client_id_issued_at: number;
  /** Registered through /register (needs the user's consent before we forward to the provider). */
  readonly dynamic: boolean;
}

export interface PendingAuthorization {
  readonly client_id: string;
  readonly redirect_uri: string;
  readonly code_challenge: string;
  readonly client_state?: string;
  readonly resource?: string;
  readonly scopes: readonly string[];
  /** PKCE verifier towards the provider, when it supports PKCE. */
  readonly provider_verifier?: string;
}

export interface IssuedSession {
  readonly session_id: string;
  readonly client_id: string;
  readonly user: AuthUserInfo;
  readonly provider: string;
  /** Sealed upstream tokens. */
  readonly upstream_access?: string;
  readonly upstream_refresh?: string;
  /** Epoch ms the upstream access token expires, when the provider said. */
  readonly upstream_expires_at?: number;
  readonly scopes: readonly string[];
  readonly resource?: string;
}

export interface CodeRecord {
  readonly client_id: string;
  readonly redirect_uri: string;
  readonly code_challenge: string;
  readonly session: IssuedSession;
}

export const kStateTtlMs = 10 * 60_000;
export const kCodeTtlMs = 5 * 60_000;
export const kAccessTtlMs = 60 * 60_000;
export const kRefreshTtlMs = 30 * 24 * 60 * 60_000;

export class OAuthRecords {
  readonly box: SecretBox;
  readonly #store: TokenStore;

  constructor(store: TokenStore, box: SecretBox) {
    this.#store = store;
    this.box = box;
  }

  async client(clientId: string): Promise<ClientRecord | undefined> {
    return (await this.#store.get('client', clientId))?.data as ClientRecord | undefined;
  }

  putClient(client: ClientRecord): Promise<void> {
    return this.#store.put('client', client.client_id, { data: { ...client } });
  }

  putState(state: string, pending: PendingAuthorization): Promise<void> {
    return this.#store.put('state', hashToken(state), { data: { ...pending }, expiresAt: Date.now() + kStateTtlMs });
  }

  /** One-time: a second callback with the same state finds nothing. */
  async takeState(state: string): Promise<PendingAuthorization | undefined> {
    return (await this.#store.take('state', hashToken(state)))?.data as PendingAuthorization | undefined;
  }

  putCode(code: string, record: CodeRecord): Promise<void> {
    return this.#store.put('auth-code', hashToken(code), { data: { ...record }, expiresAt: Date.now() + kCodeTtlMs });
  }

  async takeCode(code: string): Promise<CodeRecord | undefined> {
    return (await this.#store.take('auth-code', hashToken(code)))?.data as CodeRecord | undefined;
  }

  /** A used code, remembered until it would have expired, naming the session it issued. */
  putCodeUse(code: string, sessionId: string, ttlMs: number): Promise<void> {
    return this.#store.put('auth-code', `used:${hashToken(code)}`, { data: { session_id: sessionId }, expiresAt: Date.now() + ttlMs });
  }

  async codeUse(code: string): Promise<string | undefined> {
    const record = await this.#store.get('auth-code', `used:${hashToken(code)}`);
    return record ? String(record.data.session_id) : undefined;
  }

  /** Stores the session and its access and refresh tokens; returns the access token's expiry (epoch ms). */
  async putSession(session: IssuedSession, access: string, refresh: string): Promise<number> {
    const now = Date.now();
    const upstreamExpiry = session.upstream_expires_at;
    const accessExpiresAt =
      upstreamExpiry !== undefined && upstreamExpiry > now ? Math.min(upstreamExpiry, now + kAccessTtlMs) : now + kAccessTtlMs;
    const refreshExpiresAt = now + kRefreshTtlMs;
    await this.#store.put('session', session.session_id, { data: { ...session }, expiresAt: refreshExpiresAt });
    await this.#store.put('access-token', hashToken(access), { data: { session_id: session.session_id }, expiresAt: accessExpiresAt });
    await this.#store.put('refresh-token', hashToken(refresh), {
      data: { session_id: session.session_id, client_id: session.client_id, access_hash: hashToken(access) },
      expiresAt: refreshExpiresAt,
    });
    return accessExpiresAt;
  }

  async sessionOfAccess(access: string): Promise<{ session: IssuedSession; expiresAt: number } | undefined> {
    const token = await this.#store.get('access-token', hashToken(access));
    if (!token) return undefined;
    const session = await this.#store.get('session', String(token.data.session_id));
    return session ? { session: session.data as unknown as IssuedSession, expiresAt: token.expiresAt ?? 0 } : undefined;
  }

  /** The refresh token's record, consumed (rotation: a refresh token works once). */
  async takeRefresh(refresh: string): Promise<{ session_id: string; client_id: string; access_hash: string } | undefined> {
    return (await this.#store.take('refresh-token', hashToken(refresh)))?.data as
      | { session_id: string; client_id: string; access_hash: string }
      | undefined;
  }

  async peekRefresh(refresh: string): Promise<{ session_id: string; client_id: string; access_hash: string } | undefined> {
    return (await this.#store.get('refresh-token', hashToken(refresh)))?.data as
      | { session_id: string; client_id: string; access_hash: string }
      | undefined;
  }

  async session(sessionId: string): Promise<IssuedSession | undefined> {
    return (await this.#store.get('session', sessionId))?.data as IssuedSession | undefined;
  }

  /** Ends a session: its record and the access token given (the refresh token is consumed or deleted by the caller). */
  async endSession(sessionId: string, accessHash?: string): Promise<void> {
    await this.#store.delete('session', sessionId);
    if (accessHash) await this.#store.delete('access-token', accessHash);
  }

  deleteRefresh(refresh: string): Promise<void> {
    return this.#store.delete('refresh-token', hashToken(refresh));
  }

  deleteAccess(access: string): Promise<void> {
    return this.#store.delete('access-token', hashToken(access));
  }

  cleanupExpired(): Promise<number> {
    return this.#store.cleanupExpired(Date.now());
  }
}
