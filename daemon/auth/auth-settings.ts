/**
 * The effective auth configuration of a profile: the site's `auth: {enabled, provider}` (the guide's form)
 * joined with the user config's `auth` block (MXCP's form; it wins where both set a value), checked for the
 * combinations that cannot work (MXCP's startup errors, plus ours), with defaults applied.
 *
 *   provider none (or site enabled: false with no user provider)  ─> auth off (undefined)
 *   issuer   ─> OAuth server + the provider's block + token store
 *   verifier ─> bearer JWTs of an external OIDC issuer (oidc only, as MXCP)
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { authErrors } from '../../sdk/errors/auth.js';
import type { ProjectConfig } from '../config/project.js';

export type AuthMode = 'issuer' | 'verifier';

export interface PreRegisteredClient {
  readonly client_id: string;
  readonly name: string;
  readonly client_secret?: string;
  readonly redirect_uris: readonly string[];
  readonly grant_types?: readonly string[];
  readonly scopes: readonly string[];
}

export interface AuthSettings {
  readonly mode: AuthMode;
  /** The configured provider (`github`, `oidc`, ...). */
  readonly provider: string;
  /** The provider's block (`auth.github`), secrets resolved. */
  readonly providerConfig: Readonly<Record<string, unknown>>;
  readonly clients: readonly PreRegisteredClient[];
  readonly requiredScopes: readonly string[];
  readonly claimMappings: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  readonly store: { readonly type: string; readonly path: string; readonly encryptionKey?: string };
  /** `true` when the profile asks for the user's upstream token to reach endpoints (default on, see docs). */
  readonly exposeUpstreamToken: boolean;
}

const kProviders = ['github', 'atlassian', 'salesforce', 'keycloak', 'google', 'oidc'];

export function authSettings(project: ProjectConfig, home = homedir()): AuthSettings | undefined {
  const user = (project.userProfile.auth ?? {}) as Record<string, unknown>;
  const site = project.profile.auth ?? { enabled: false };
  // The schema's default fills `provider: none`, so `none` in the user block cannot override the site's choice.
  const userProvider = typeof user.provider === 'string' && user.provider !== 'none' ? user.provider : undefined;
  const provider = userProvider ?? (site.enabled ? site.provider : undefined) ?? 'none';
  if (provider === 'none') return undefined;
  if (site.enabled === false && userProvider === undefined) return undefined;
  const where = (key: string) => `projects.${project.siteConfig.project}.profiles.${project.profile.name}.auth.${key}`;
  if (!kProviders.includes(provider))
    throw new authErrors.MXCP_E_AUTH_CONFIG({ where: where('provider'), detail: `unknown provider '${provider}'` });
  const mode = (user.mode === 'verifier' ? 'verifier' : 'issuer') as AuthMode;
  const block = user[provider];
  if (!block || typeof block !== 'object') {
    throw new authErrors.MXCP_E_AUTH_CONFIG({
      where: where(provider),
      detail: `${provider} provider selected but no ${provider} configuration found`,
    });
  }
  const providerConfig = block as Record<string, unknown>;
  if (mode === 'verifier' && provider !== 'oidc') {
    throw new authErrors.MXCP_E_AUTH_CONFIG({ where: where('mode'), detail: 'Verifier mode currently supports provider=oidc only' });
  }
  if (provider === 'oidc' && typeof providerConfig.scope === 'string' && !providerConfig.scope.split(/\s+/).includes('openid')) {
    throw new authErrors.MXCP_E_AUTH_CONFIG({ where: where('oidc.scope'), detail: "OIDC scope must include 'openid'" });
  }
  const persistence = (user.persistence ?? {}) as Record<string, unknown>;
  const key = str(persistence.encryption_key) ?? str(persistence.auth_encryption_key);
  const authorization = (user.authorization ?? {}) as { required_scopes?: string[] };
  return {
    mode,
    provider,
    providerConfig,
    clients: (user.clients ?? []) as PreRegisteredClient[],
    requiredScopes: authorization.required_scopes ?? [],
    claimMappings: (providerConfig.claim_mappings ?? {}) as AuthSettings['claimMappings'],
    store: {
      type: str(persistence.type) ?? 'file',
      path: storePath(str(persistence.path), project.root, home),
      ...(key ? { encryptionKey: key } : {}),
    },
    exposeUpstreamToken: user.expose_upstream_token !== false,
  };
}

/** `persistence.path`: `~/` expanded, relative to the project; default `~/.mxcp/oauth-tokens.jsonl` (MXCP: `~/.mxcp/oauth.db`). */
function storePath(configured: string | undefined, root: string, home: string): string {
  if (!configured) return join(home, '.mxcp', 'oauth-tokens.jsonl');
  if (configured.startsWith('~/')) return join(home, configured.slice(2));
  return isAbsolute(configured) ? configured : resolve(root, configured);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
