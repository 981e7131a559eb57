/**
 * Auth of one generation: the OAuth routes (issuer mode) or none (verifier mode), the protected resource
 * metadata (both), and the gate in front of the MCP endpoint. Built from the generation's live token store
 * and provider; the store's records outlive generations, so a reload keeps clients, codes and sessions.
 *
 *   /.well-known/oauth-authorization-server          issuer: RFC 8414 metadata
 *   /.well-known/oauth-protected-resource[/<mcp>]    RFC 9728 (root and path-inserted)
 *   POST /register, GET|POST /authorize, POST /authorize/consent, GET <callback>, POST /token, POST /revoke
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthProvider } from '../../sdk/auth-provider.js';
import { authErrors } from '../../sdk/errors/auth.js';
import type { TokenStore } from '../../sdk/token-store.js';
import type { UserContext } from '../../sdk/user-context.js';
import type { Logger } from '../logging/logger.js';
import type { AuthSettings } from './auth-settings.js';
import { authorize, callback, consent } from './authorize-flow.js';
import { bearerToken, checkScopes, type GateResult, refusalFor } from './bearer-gate.js';
import { capabilitiesOf } from './capabilities.js';
import { registerClient, seedClients } from './client-registration.js';
import { type IssuerContext, type IssuerUrls, namesThisResource } from './issuer-context.js';
import { authorizationServerMetadata, protectedResourceMetadata } from './issuer-metadata.js';
import { JwtVerifier } from './jwt-verifier.js';
import { OAuthError, sendOAuthError, sendOAuthJson, sendPreflight } from './oauth-http.js';
import { OAuthRecords } from './oauth-records.js';
import { SecretBox } from './token-crypto.js';
import { revoke, token } from './token-endpoint.js';

const kPrm = '/.well-known/oauth-protected-resource';
const kAsMetadata = '/.well-known/oauth-authorization-server';
const kCleanupEveryMs = 10 * 60_000;
/** Verified users kept per token: at most this many, each at most this long (and never past the token's exp). */
const kUserCacheMax = 10_000;
const kUserCacheMs = 60_000;

export interface AuthServiceParts {
  readonly settings: AuthSettings;
  readonly logger: Logger;
  readonly provider?: AuthProvider;
  readonly store?: TokenStore;
}

export class AuthService {
  readonly settings: AuthSettings;
  readonly #logger: Logger;
  readonly #issuer: IssuerContext | undefined;
  readonly #verifier: JwtVerifier | undefined;
  #cleanup: NodeJS.Timeout | undefined;
  readonly #users = new Map<string, { user: UserContext; until: number; resource: string }>();

  private constructor(parts: AuthServiceParts, issuer: IssuerContext | undefined) {
    this.settings = parts.settings;
    this.#logger = parts.logger;
    this.#issuer = issuer;
    this.#verifier = parts.settings.mode === 'verifier' ? new JwtVerifier(parts.settings) : undefined;
  }

  static async create(parts: AuthServiceParts): Promise<AuthService> {
    const { settings, logger } = parts;
    if (settings.mode === 'verifier') return new AuthService(parts, undefined);
    if (!parts.provider) {
      throw new authErrors.MXCP_E_AUTH_CONFIG({
        where: 'auth.provider',
        detail: `no auth-provider plugin provides '${settings.provider}'`,
      });
    }
    if (!parts.store)
      throw new authErrors.MXCP_E_AUTH_CONFIG({
        where: 'auth.persistence.type',
        detail: `no token-store plugin provides '${settings.store.type}'`,
      });
    const box = new SecretBox(settings.store.encryptionKey, settings.store.path);
    if (!box.encrypted)
      logger.warn(
        'auth.persistence.encryption_key is not set: upstream tokens and client secrets are stored unencrypted (tokens are still hashed)',
      );
    const issuer: IssuerContext = { settings, provider: parts.provider, records: new OAuthRecords(parts.store, box), logger };
    await seedClients(issuer, settings.clients);
    const service = new AuthService(parts, issuer);
    service.#cleanup = setInterval(() => {
      issuer.records.cleanupExpired().catch((err: unknown) => logger.warn({ err }, 'token store cleanup failed'));
    }, kCleanupEveryMs).unref();
    return service;
  }

  get mode(): AuthSettings['mode'] {
    return this.settings.mode;
  }

  /** The provider's callback path (issuer mode). */
  get callbackPath(): string | undefined {
    return this.#issuer?.provider.callbackPath;
  }

  /**
   * Serves the auth routes; `false` when `path` is not one of them. OAuth errors become OAuth JSON bodies;
   * anything else (a bug, a store failure) a 500 without detail.
   */
  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    query: URLSearchParams,
    urls: IssuerUrls,
    onRefused?: (err: Error, status: number) => void,
  ): Promise<boolean> {
    const method = req.method ?? 'GET';
    const issuer = this.#issuer;
    const isPrm = path === kPrm || path.startsWith(`${kPrm}/`);
    const routes = issuer
      ? [kAsMetadata, '/register', '/authorize', '/authorize/consent', '/token', '/revoke', issuer.provider.callbackPath]
      : [];
    if (!isPrm && !routes.includes(path)) return false;
    if (method === 'OPTIONS') {
      sendPreflight(res);
      return true;
    }
    try {
      if (isPrm) return await this.#get(method, res, () => this.#prm(urls));
      if (!issuer) return false;
      if (path === kAsMetadata) return await this.#get(method, res, async () => authorizationServerMetadata(this.settings, urls));
      if (path === issuer.provider.callbackPath && method === 'GET') await callback(issuer, urls, res, query);
      else if (path === '/authorize' && (method === 'GET' || method === 'POST')) await authorize(issuer, urls, req, res, query);
      else if (method !== 'POST') throw new OAuthError(405, 'invalid_request', `${method} is not allowed here`, { allow: 'POST' });
      else if (path === '/register') await registerClient(issuer, req, res);
      else if (path === '/authorize/consent') await consent(issuer, urls, req, res);
      else if (path === '/token') await token(issuer, urls, req, res);
      else if (path === '/revoke') await revoke(issuer, req, res);
    } catch (err) {
      if (err instanceof OAuthError) {
        sendOAuthError(res, err);
        onRefused?.(new authErrors.MXCP_E_AUTH_OAUTH_REFUSED({ endpoint: path, error: err.error, detail: err.message }), err.status);
      } else {
        this.#logger.error({ err, path }, 'OAuth endpoint failed');
        sendOAuthError(res, new OAuthError(500, 'server_error', 'the authorization server failed; see the server log'));
      }
    }
    return true;
  }

  /** The gate: the request's user, or why not (the caller sends the refusal and audits it). */
  async authenticate(req: IncomingMessage, urls: IssuerUrls): Promise<GateResult> {
    try {
      const value = bearerToken(req);
      if (value === undefined) throw new authErrors.MXCP_E_AUTH_REQUIRED({ detail: 'no bearer token' });
      const user = this.#issuer ? await this.#issued(value, urls) : await this.#verified(value, urls);
      return { user };
    } catch (err) {
      const prm = `${urls.base}${kPrm}${new URL(urls.resource).pathname}`;
      return { refusal: refusalFor(err, prm, this.settings.requiredScopes) };
    }
  }

  close(): void {
    if (this.#cleanup) clearInterval(this.#cleanup);
  }

  async #issued(value: string, urls: IssuerUrls): Promise<UserContext> {
    const issuer = this.#issuer as IssuerContext;
    const found = await issuer.records.sessionOfAccess(value);
    if (!found) throw new authErrors.MXCP_E_AUTH_INVALID_TOKEN({ detail: 'the token is unknown, expired or revoked' });
    const { session } = found;
    if (session.resource && !namesThisResource(session.resource, urls)) {
      throw new authErrors.MXCP_E_AUTH_INVALID_TOKEN({ detail: 'the token was issued for another resource' });
    }
    checkScopes(session.scopes, this.settings.requiredScopes);
    const profile = session.user.rawProfile ?? {};
    return {
      provider: session.provider,
      userId: session.user.userId,
      username: session.user.username,
      ...(session.user.email ? { email: session.user.email } : {}),
      ...(session.user.name ? { name: session.user.name } : {}),
      ...(session.user.avatarUrl ? { avatarUrl: session.user.avatarUrl } : {}),
      rawProfile: profile,
      ...(this.settings.exposeUpstreamToken && session.upstream_access
        ? { externalToken: issuer.records.box.open(session.upstream_access) }
        : {}),
      capabilities: capabilitiesOf(this.settings.claimMappings, profile),
    };
  }

  async #verified(value: string, urls: IssuerUrls): Promise<UserContext> {
    // The hot path: a client reuses its token, so its user context is built once and kept until expiry.
    const known = this.#users.get(value);
    if (known && known.until > Date.now() && known.resource === urls.resource) return known.user;
    const { user, expiresAt } = await this.#verifyUser(value, urls);
    if (this.#users.size >= kUserCacheMax) this.#users.delete(this.#users.keys().next().value as string);
    this.#users.set(value, {
      user,
      until: Math.min(Date.now() + kUserCacheMs, expiresAt ?? Number.POSITIVE_INFINITY),
      resource: urls.resource,
    });
    return user;
  }

  async #verifyUser(value: string, urls: IssuerUrls): Promise<{ user: UserContext; expiresAt: number | undefined }> {
    const verifier = this.#verifier as JwtVerifier;
    const verified = await verifier.verify(value, [urls.resource, urls.base]);
    checkScopes(verified.scopes, this.settings.requiredScopes);
    const c = verified.claims;
    // A client acting for itself (client credentials) may have no `sub` in an introspection answer: its client_id is who it is.
    const sub = typeof c.sub === 'string' ? c.sub : typeof c.client_id === 'string' ? c.client_id : undefined;
    if (!sub) throw new authErrors.MXCP_E_AUTH_INVALID_TOKEN({ detail: "the token has no 'sub'" });
    const email = typeof c.email === 'string' ? c.email : undefined;
    const username =
      (typeof c.preferred_username === 'string' && c.preferred_username) ||
      (typeof c.username === 'string' && c.username) ||
      (email?.includes('@') ? email.slice(0, email.indexOf('@')) : undefined) ||
      sub;
    const user: UserContext = {
      provider: verifier.providerName,
      userId: sub,
      username,
      ...(email ? { email } : {}),
      ...(typeof c.name === 'string' ? { name: c.name } : {}),
      rawProfile: c,
      ...(this.settings.exposeUpstreamToken ? { externalToken: value } : {}),
      capabilities: capabilitiesOf(this.settings.claimMappings, c),
    };
    return { user, expiresAt: verified.expiresAt };
  }

  async #prm(urls: IssuerUrls): Promise<Record<string, unknown>> {
    const as = this.#verifier ? await this.#verifier.issuer() : urls.base;
    return protectedResourceMetadata(this.settings, urls, as);
  }

  async #get(method: string, res: ServerResponse, body: () => Promise<Record<string, unknown>>): Promise<boolean> {
    if (method !== 'GET' && method !== 'HEAD')
      throw new OAuthError(405, 'invalid_request', `${method} is not allowed here`, { allow: 'GET' });
    sendOAuthJson(res, 200, await body(), { 'cache-control': 'public, max-age=300' });
    return true;
  }
}
