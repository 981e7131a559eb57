/**
 * Building blocks for `auth-provider` plugins that speak OAuth 2.0 to an upstream identity provider: the
 * authorize URL, the code exchange and refresh as form posts, JSON fetches with a deadline, and the mapping of
 * transport failures to coded errors (`temporarily_unavailable` versus a refusal). The built-in providers
 * (github, google, atlassian, salesforce, keycloak, oidc) are written on these, as a third party would.
 *
 * ```ts
 * class MyProvider extends OAuth2Provider {
 *   async fetchUserInfo(token: string) {
 *     const me = await this.getJson('https://idp.example/me', token);
 *     return { userId: String(me.id), username: String(me.login), rawProfile: me };
 *   }
 * }
 * ```
 * @module
 */
import {
  type AuthGrant,
  type AuthorizeRequest,
  type AuthProvider,
  type AuthProviderSettings,
  type AuthUserInfo,
  type CodeExchange,
  kAuthProviderSettings,
} from './auth-provider.js';
import { authErrors } from './errors/auth.js';
import { definePlugin, type PluginContext, type PluginDefinition } from './plugin-definition.js';

export interface OAuth2ProviderOptions {
  /** The `provider:` name, also the audit and user-context `provider`. */
  readonly name: string;
  readonly callbackPath: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  /** Scopes requested upstream (the configured `scope` string, split on spaces). */
  readonly scopes: readonly string[];
  /** Whether the upstream accepts PKCE S256 (salesforce, as MXCP, does not use it). */
  readonly pkce: boolean;
  readonly extraAuthorizeParams?: Readonly<Record<string, string>>;
  /** Sent with the code exchange and the refresh (OIDC `audience`). */
  readonly extraTokenParams?: Readonly<Record<string, string>>;
  /** How the token response separates granted scopes (GitHub: `,`). */
  readonly scopeSeparator?: string | RegExp;
  /** Deadline of each upstream HTTP call, ms (default 10 s). */
  readonly timeoutMs?: number;
}

type Json = Record<string, unknown>;

export abstract class OAuth2Provider implements AuthProvider {
  readonly name: string;
  readonly callbackPath: string;
  /** Settable by subclasses that learn their endpoints late (OIDC discovery in `init`). */
  pkceMethods: readonly string[];
  protected options: OAuth2ProviderOptions;

  constructor(options: OAuth2ProviderOptions) {
    this.options = options;
    this.name = options.name;
    this.callbackPath = options.callbackPath;
    this.pkceMethods = options.pkce ? ['S256'] : [];
  }

  authorizeUrl(request: AuthorizeRequest): string {
    const url = new URL(this.options.authorizeUrl);
    const q = url.searchParams;
    q.set('client_id', this.options.clientId);
    q.set('redirect_uri', request.redirectUri);
    q.set('response_type', 'code');
    // The daemon passes no scopes (clients' scopes are not forwarded upstream): the configured ones apply.
    const scopes = request.scopes.length > 0 ? request.scopes : this.options.scopes;
    if (scopes.length > 0) q.set('scope', scopes.join(' '));
    q.set('state', request.state);
    if (request.codeChallenge && this.options.pkce) {
      q.set('code_challenge', request.codeChallenge);
      q.set('code_challenge_method', 'S256');
    }
    for (const [k, v] of Object.entries({ ...this.options.extraAuthorizeParams, ...request.extraParams })) q.set(k, v);
    return url.toString();
  }

  exchangeCode(request: CodeExchange): Promise<AuthGrant> {
    const form: Record<string, string> = {
      grant_type: 'authorization_code',
      code: request.code,
      redirect_uri: request.redirectUri,
      ...(request.codeVerifier && this.options.pkce ? { code_verifier: request.codeVerifier } : {}),
    };
    return this.tokenRequest(form, request.scopes.length > 0 ? request.scopes : this.options.scopes);
  }

  refreshToken(refreshToken: string, requested: readonly string[]): Promise<AuthGrant> {
    const scopes = requested.length > 0 ? requested : this.options.scopes;
    const form: Record<string, string> = {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}),
    };
    return this.tokenRequest(form, scopes);
  }

  abstract fetchUserInfo(accessToken: string): Promise<AuthUserInfo>;

  /** POSTs the form (with client credentials and the extra token params) and reads the grant. */
  protected async tokenRequest(form: Record<string, string>, requested: readonly string[]): Promise<AuthGrant> {
    const body = new URLSearchParams({
      ...form,
      client_id: this.options.clientId,
      ...(this.options.clientSecret ? { client_secret: this.options.clientSecret } : {}),
      ...this.options.extraTokenParams,
    });
    const json = await this.fetchJson(this.options.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: body.toString(),
    });
    return grantFrom(this.name, json, requested, this.options.scopeSeparator ?? ' ');
  }

  /** GET with the user's bearer token; a 401/403 is a refusal (`invalid_token`), 5xx or no answer is unavailability. */
  protected getJson(url: string, accessToken: string, headers: Readonly<Record<string, string>> = {}): Promise<Json> {
    return this.fetchJson(url, { headers: { accept: 'application/json', ...headers, authorization: `Bearer ${accessToken}` } });
  }

  protected fetchJson(url: string, init: RequestInit): Promise<Json> {
    return fetchUpstreamJson(this.name, url, init, this.options.timeoutMs);
  }
}

/**
 * A provider whose user is one JSON document at a user-info URL (Google, Atlassian, Salesforce, ...): only
 * the mapping from that document to an {@link AuthUserInfo} differs.
 */
export class ProfileProvider extends OAuth2Provider {
  readonly #userinfo: string;
  readonly #toUser: (profile: Json) => AuthUserInfo;

  constructor(options: OAuth2ProviderOptions, userinfo: string, toUser: (profile: Json) => AuthUserInfo) {
    super(options);
    this.#userinfo = userinfo;
    this.#toUser = toUser;
  }

  async fetchUserInfo(accessToken: string): Promise<AuthUserInfo> {
    return this.#toUser(await this.getJson(this.#userinfo, accessToken));
  }
}

/** The optional profile fields of a user, taken from `profile` when they are strings. */
export function profileFields(
  profile: Json,
  keys: { readonly email?: string; readonly name?: string; readonly avatar?: string } = {},
): Pick<AuthUserInfo, 'email' | 'name' | 'avatarUrl'> {
  const str = (k: string | undefined) => (k !== undefined && typeof profile[k] === 'string' ? (profile[k] as string) : undefined);
  const email = str(keys.email ?? 'email');
  const name = str(keys.name ?? 'name');
  const avatar = str(keys.avatar ?? 'picture');
  return { ...(email ? { email } : {}), ...(name ? { name } : {}), ...(avatar ? { avatarUrl: avatar } : {}) };
}

/**
 * One upstream JSON call. Never puts tokens or bodies in an error message: only the URL's origin and path,
 * the status and the provider's `error` code. Any JSON value (GitHub's `/user/emails` is an array).
 */
export async function fetchUpstream(provider: string, url: string, init: RequestInit, timeoutMs = 10_000): Promise<unknown> {
  const where = safeUrl(url);
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    text = await res.text();
  } catch (err) {
    throw new authErrors.MXCP_E_AUTH_UPSTREAM_UNAVAILABLE({ provider, detail: `${where}: ${(err as Error).message}` }, { cause: err });
  }
  if (res.status >= 500) throw new authErrors.MXCP_E_AUTH_UPSTREAM_UNAVAILABLE({ provider, detail: `${where} answered ${res.status}` });
  let json: unknown;
  try {
    json = text === '' ? {} : JSON.parse(text);
  } catch {
    json = undefined;
  }
  const error = json && typeof json === 'object' && typeof (json as Json).error === 'string' ? ` (${(json as Json).error})` : '';
  if (!res.ok || json === undefined || error !== '') {
    throw new authErrors.MXCP_E_AUTH_UPSTREAM_REJECTED({
      provider,
      detail: `${where} answered ${res.status}${error}${json === undefined ? ' without JSON' : ''}`,
    });
  }
  return json;
}

/** {@link fetchUpstream} for endpoints that answer a JSON object. */
export async function fetchUpstreamJson(provider: string, url: string, init: RequestInit, timeoutMs = 10_000): Promise<Json> {
  const json = await fetchUpstream(provider, url, init, timeoutMs);
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new authErrors.MXCP_E_AUTH_UPSTREAM_REJECTED({ provider, detail: `${safeUrl(url)} did not answer a JSON object` });
  }
  return json as Json;
}

/** The token endpoint's answer as a grant (MXCP: missing scope means the requested scopes). */
export function grantFrom(provider: string, json: Json, requested: readonly string[], separator: string | RegExp = ' '): AuthGrant {
  const accessToken = json.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new authErrors.MXCP_E_AUTH_UPSTREAM_REJECTED({ provider, detail: 'the token response has no access_token' });
  }
  const scope = typeof json.scope === 'string' ? json.scope.split(separator).filter(Boolean) : [];
  const expiresIn = Number(json.expires_in);
  return {
    accessToken,
    ...(typeof json.refresh_token === 'string' ? { refreshToken: json.refresh_token } : {}),
    ...(Number.isFinite(expiresIn) && expiresIn > 0 ? { expiresIn } : {}),
    scopes: scope.length > 0 ? scope : [...requested],
    ...(typeof json.id_token === 'string' ? { idToken: json.id_token } : {}),
  };
}

/** An OIDC discovery document (`.well-known/openid-configuration`), checked for the fields a flow needs. */
export async function fetchDiscovery(provider: string, configUrl: string, timeoutMs = 10_000): Promise<Json> {
  const doc = await fetchUpstreamJson(provider, configUrl, { headers: { accept: 'application/json' } }, timeoutMs);
  if (typeof doc.issuer !== 'string') {
    throw new authErrors.MXCP_E_AUTH_UPSTREAM_REJECTED({ provider, detail: `${safeUrl(configUrl)} has no 'issuer'` });
  }
  return doc;
}

/**
 * The claims of a JWT, decoded WITHOUT verification: only for merging an ID token's claims into a profile the
 * provider already vouched for over TLS (as MXCP does). Never use it to authenticate. Opaque tokens give `{}`.
 */
export function unverifiedClaims(token: string | undefined): Json {
  if (!token) return {};
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return {};
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Json) : {};
  } catch {
    return {};
  }
}

/** A username from a profile: the first non-empty candidate, else the email's local part, else the id. */
export function pickUsername(profile: Json, candidates: readonly string[], fallbackId: string): string {
  for (const key of candidates) {
    const v = profile[key];
    if (typeof v === 'string' && v !== '') return v;
  }
  const email = profile.email;
  if (typeof email === 'string' && email.includes('@')) return email.slice(0, email.indexOf('@'));
  return fallbackId;
}

/** A required string of a provider block, as a coded configuration error when missing. */
export function requireSetting(provider: string, config: Readonly<Record<string, unknown>>, key: string): string {
  const v = config[key];
  if (typeof v !== 'string' || v === '') {
    throw new authErrors.MXCP_E_AUTH_CONFIG({ where: `auth.${provider}.${key}`, detail: 'is required' });
  }
  return v;
}

/** A provider that is discovered but not selected: it constructs (for `mxcp plugins`) and refuses to act. */
export function standbyProvider(name: string, callbackPath: string): AuthProvider {
  const refuse = (): never => {
    throw new authErrors.MXCP_E_AUTH_PROVIDER_UNCONFIGURED({ provider: name });
  };
  return { name, callbackPath, pkceMethods: [], authorizeUrl: refuse, exchangeCode: refuse, refreshToken: refuse, fetchUserInfo: refuse };
}

function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/**
 * The plugin definition of a provider: the selected one (its name equals the configured `auth.provider`) is
 * built from its settings; any other instance is a standby (constructs, refuses to act).
 */
export function defineAuthProvider(
  name: string,
  build: (config: Readonly<Record<string, unknown>>, context: PluginContext) => AuthProvider,
): PluginDefinition<'auth-provider'> {
  return definePlugin({
    kind: 'auth-provider',
    create: (context) => {
      let settings: AuthProviderSettings | undefined;
      try {
        settings = context.resolve(kAuthProviderSettings);
      } catch {
        settings = undefined; // not registered: listed or loaded outside the auth phase
      }
      if (!settings || settings.provider !== name) return standbyProvider(name, `/${name}/callback`);
      return build(settings.config, context);
    },
  });
}

/**
 * Options of a provider with fixed, documented endpoints (github, google, atlassian, salesforce): the block's
 * `client_id`, `client_secret`, `scope`, `callback_path` (default `/<name>/callback`), and `auth_url` /
 * `token_url` overriding the public defaults (a GitHub Enterprise server, a Salesforce sandbox, a test double).
 */
export function fixedProviderOptions(
  name: string,
  config: Readonly<Record<string, unknown>>,
  defaults: { readonly authorizeUrl: string; readonly tokenUrl: string; readonly pkce?: boolean },
): OAuth2ProviderOptions {
  const str = (key: string): string | undefined =>
    typeof config[key] === 'string' && config[key] !== '' ? (config[key] as string) : undefined;
  return {
    name,
    callbackPath: str('callback_path') ?? `/${name}/callback`,
    clientId: requireSetting(name, config, 'client_id'),
    ...(str('client_secret') ? { clientSecret: str('client_secret') } : {}),
    authorizeUrl: str('auth_url') ?? defaults.authorizeUrl,
    tokenUrl: str('token_url') ?? defaults.tokenUrl,
    scopes: (str('scope') ?? '').split(/\s+/).filter(Boolean),
    pkce: defaults.pkce ?? true,
  };
}

/** The block's `userinfo_url`, else the provider's public one. */
export function userinfoUrl(config: Readonly<Record<string, unknown>>, fallback: string): string {
  return typeof config.userinfo_url === 'string' && config.userinfo_url !== '' ? config.userinfo_url : fallback;
}
