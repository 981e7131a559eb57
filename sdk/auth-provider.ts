/**
 * The `auth-provider` plugin kind: one upstream OAuth/OIDC identity provider (github, google, keycloak, an
 * OIDC issuer, ...). The daemon runs the OAuth flow towards MCP clients and calls the provider for the
 * upstream half: where to send the user, how to exchange the code it returns, how to refresh, who the user is.
 * Mirrors MXCP's `ProviderAdapter` protocol (reference/mxcp-ops.md 8.3).
 */
import type { PluginLifecycle } from './plugin-kinds.js';
import type { Token } from './plugin-tokens.js';

export interface AuthorizeRequest {
  /** The daemon's callback URL (base URL + the provider's `callbackPath`). */
  readonly redirectUri: string;
  /** Opaque state the daemon checks when the provider redirects back. */
  readonly state: string;
  readonly scopes: readonly string[];
  /** PKCE challenge towards the upstream provider, when it supports PKCE. */
  readonly codeChallenge?: string;
  readonly codeChallengeMethod?: 'S256';
  readonly extraParams?: Readonly<Record<string, string>>;
}

export interface CodeExchange {
  readonly code: string;
  readonly redirectUri: string;
  readonly codeVerifier?: string;
  readonly scopes: readonly string[];
}

/** Tokens the upstream provider issued. Never logged; stored hashed or encrypted by the token store. */
export interface AuthGrant {
  readonly accessToken: string;
  readonly refreshToken?: string;
  /** Seconds until the access token expires. */
  readonly expiresIn?: number;
  readonly scopes?: readonly string[];
  readonly idToken?: string;
}

/** Who the user is, as the provider says; becomes the request's user context. */
export interface AuthUserInfo {
  readonly userId: string;
  readonly username: string;
  readonly email?: string;
  readonly name?: string;
  readonly avatarUrl?: string;
  /** The provider's whole profile (claims), for policies and `claim_mappings`. */
  readonly rawProfile: Readonly<Record<string, unknown>>;
}

export interface AuthProvider extends PluginLifecycle {
  /** The `provider:` value that selects it in the configuration (`github`, `keycloak`, ...). */
  readonly name: string;
  /** Path of the daemon's callback route for this provider, e.g. `/github/callback`. */
  readonly callbackPath: string;
  /** PKCE methods the upstream provider accepts; empty when it has no PKCE. */
  readonly pkceMethods: readonly string[];
  authorizeUrl(request: AuthorizeRequest): string | Promise<string>;
  exchangeCode(request: CodeExchange): Promise<AuthGrant>;
  refreshToken(refreshToken: string, scopes: readonly string[]): Promise<AuthGrant>;
  fetchUserInfo(accessToken: string): Promise<AuthUserInfo>;
}

/**
 * What the daemon gives the selected provider (under {@link kAuthProviderSettings} in its container): the
 * provider's block of the profile's `auth` configuration (`github: {client_id, ...}`, secrets resolved).
 * A provider created without it (listed by `mxcp plugins`, not selected) must construct, and refuse use.
 */
export interface AuthProviderSettings {
  /** The configured `auth.provider` (`github`, `oidc`, ...). */
  readonly provider: string;
  /** The provider's configuration block, as written (snake_case keys). */
  readonly config: Readonly<Record<string, unknown>>;
}

export const kAuthProviderSettings: Token<AuthProviderSettings> = Symbol.for(
  'mxcp.token.auth-provider-settings',
) as Token<AuthProviderSettings>;
