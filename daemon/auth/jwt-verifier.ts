/**
 * Verifier mode: bearer tokens issued by an external OpenID Connect provider.
 *
 *   JWT (three parts)  signature against the issuer's JWKS (jose; keys cached, refetched for an unknown kid,
 *                      so rotation works and an IdP outage does not stop known keys), `iss` = discovery
 *                      issuer, `aud` = configured `audience`, else this server's resource URI or client id,
 *                      `exp`/`nbf` with 30 s leeway, asymmetric algorithms only (`alg: none`, HS* refused)
 *   opaque             RFC 7662 introspection when the issuer advertises it (`active: true`, then the same
 *                      iss/aud/exp checks on its answer)
 *
 * Unlike MXCP there is no userinfo fallback for tokens that are neither (any 200 would have passed) and no
 * configured-scope fallback for tokens without a scope claim: both would accept more than the token says.
 * Verified tokens are cached by hash until their expiry (bounded), so the hot path is one map lookup.
 */
import { createRemoteJWKSet, type JWTPayload, errors as joseErrors, jwtVerify } from 'jose';
import { authErrors } from '../../sdk/errors/auth.js';
import { fetchDiscovery, fetchUpstreamJson } from '../../sdk/oauth-upstream.js';
import type { AuthSettings } from './auth-settings.js';
import { hashToken } from './token-crypto.js';

const kAlgorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const kCacheMax = 10_000;

export interface VerifiedToken {
  readonly claims: Readonly<Record<string, unknown>>;
  readonly scopes: readonly string[];
  /** Epoch ms. */
  readonly expiresAt: number | undefined;
}

interface Discovery {
  readonly issuer: string;
  readonly jwks?: ReturnType<typeof createRemoteJWKSet>;
  readonly introspection?: string;
}

export class JwtVerifier {
  readonly #config: Readonly<Record<string, unknown>>;
  #discovery: Promise<Discovery> | undefined;
  readonly #cache = new Map<string, VerifiedToken>();

  constructor(settings: AuthSettings) {
    this.#config = settings.providerConfig;
  }

  get providerName(): string {
    return typeof this.#config.provider_name === 'string' && this.#config.provider_name !== '' ? this.#config.provider_name : 'oidc';
  }

  /** The issuer, for the protected resource metadata's `authorization_servers`. */
  async issuer(): Promise<string> {
    return (await this.#discover()).issuer;
  }

  async verify(token: string, audiences: readonly string[]): Promise<VerifiedToken> {
    const key = hashToken(token);
    const cached = this.#cache.get(key);
    if (cached && (cached.expiresAt === undefined || cached.expiresAt > Date.now())) return cached;
    if (cached) this.#cache.delete(key);
    const discovery = await this.#discover();
    const accepted = this.#audiences(audiences);
    const verified =
      token.split('.').length === 3 ? await this.#jwt(token, discovery, accepted) : await this.#introspect(token, discovery, accepted);
    if (this.#cache.size >= kCacheMax) this.#cache.delete(this.#cache.keys().next().value as string);
    this.#cache.set(key, verified);
    return verified;
  }

  #audiences(ours: readonly string[]): string[] {
    const configured = this.#config.audience;
    if (typeof configured === 'string' && configured !== '') return [configured];
    const clientId = this.#config.client_id;
    return [...ours, ...(typeof clientId === 'string' ? [clientId] : [])];
  }

  async #jwt(token: string, discovery: Discovery, audience: string[]): Promise<VerifiedToken> {
    if (!discovery.jwks)
      throw new authErrors.MXCP_E_AUTH_INVALID_TOKEN({ detail: 'the issuer publishes no jwks_uri; JWTs cannot be verified' });
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, discovery.jwks, {
        issuer: discovery.issuer,
        audience,
        algorithms: kAlgorithms,
        clockTolerance: 30,
      }));
    } catch (err) {
      throw this.#refusal(err);
    }
    return toVerified(payload);
  }

  async #introspect(token: string, discovery: Discovery, audience: string[]): Promise<VerifiedToken> {
    if (!discovery.introspection)
      throw new authErrors.MXCP_E_AUTH_INVALID_TOKEN({ detail: 'not a JWT, and the issuer offers no introspection' });
    const body = new URLSearchParams({ token, token_type_hint: 'access_token' });
    const clientId = String(this.#config.client_id ?? '');
    const secret = typeof this.#config.client_secret === 'string' ? this.#config.client_secret : '';
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64');
    const answer = await fetchUpstreamJson(this.providerName, discovery.introspection, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: `Basic ${basic}` },
      body: body.toString(),
    });
    if (answer.active !== true) throw new authErrors.MXCP_E_AUTH_INVALID_TOKEN({ detail: 'introspection says the token is not active' });
    if (answer.iss !== undefined && answer.iss !== discovery.issuer)
      throw new authErrors.MXCP_E_AUTH_INVALID_TOKEN({ detail: 'wrong issuer' });
    const aud = answer.aud === undefined ? [] : Array.isArray(answer.aud) ? answer.aud.map(String) : [String(answer.aud)];
    // An answer without `aud` says nothing about the audience: accepted unless one is configured (then required).
    const configured = typeof this.#config.audience === 'string' && this.#config.audience !== '';
    if ((aud.length > 0 || configured) && !aud.some((a) => audience.includes(a))) {
      throw new authErrors.MXCP_E_AUTH_INVALID_TOKEN({ detail: 'the token is for another audience' });
    }
    if (typeof answer.exp === 'number' && answer.exp * 1000 <= Date.now())
      throw new authErrors.MXCP_E_AUTH_INVALID_TOKEN({ detail: 'the token has expired' });
    return toVerified(answer as JWTPayload);
  }

  #refusal(err: unknown): Error {
    if (err instanceof joseErrors.JWKSTimeout || (err instanceof Error && /fetch failed|ECONNREFUSED|timed out/i.test(err.message))) {
      return new authErrors.MXCP_E_AUTH_UPSTREAM_UNAVAILABLE(
        { provider: this.providerName, detail: `JWKS: ${err.message}` },
        { cause: err },
      );
    }
    const detail =
      err instanceof joseErrors.JWTExpired
        ? 'the token has expired'
        : err instanceof joseErrors.JWTClaimValidationFailed
          ? `claim '${err.claim}' is not acceptable (${err.reason})`
          : err instanceof joseErrors.JOSEAlgNotAllowed
            ? 'the token is not signed with an accepted algorithm'
            : err instanceof joseErrors.JWSSignatureVerificationFailed
              ? 'the signature does not verify'
              : err instanceof joseErrors.JWKSNoMatchingKey
                ? 'no key of the issuer matches the token'
                : `the token is malformed (${(err as Error).message})`;
    return new authErrors.MXCP_E_AUTH_INVALID_TOKEN({ detail }, { cause: err });
  }

  #discover(): Promise<Discovery> {
    this.#discovery ??= (async () => {
      const url = String(this.#config.config_url ?? '');
      const doc = await fetchDiscovery(this.providerName, url);
      return {
        issuer: String(doc.issuer),
        ...(typeof doc.jwks_uri === 'string'
          ? { jwks: createRemoteJWKSet(new URL(doc.jwks_uri), { cooldownDuration: 30_000, cacheMaxAge: 600_000 }) }
          : {}),
        ...(typeof doc.introspection_endpoint === 'string' ? { introspection: doc.introspection_endpoint } : {}),
      };
    })();
    // A failed discovery is retried on the next request, not cached.
    this.#discovery.catch(() => {
      this.#discovery = undefined;
    });
    return this.#discovery;
  }
}

function toVerified(payload: JWTPayload): VerifiedToken {
  const scope = payload.scope;
  const scp = (payload as { scp?: unknown }).scp;
  const scopes = typeof scope === 'string' ? scope.split(/\s+/).filter(Boolean) : Array.isArray(scp) ? scp.map(String) : [];
  return {
    claims: payload as Record<string, unknown>,
    scopes,
    expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : undefined,
  };
}
