/**
 * Any OpenID Connect issuer (Okta, Auth0, Entra ID, Keycloak, ...): endpoints from the discovery document at
 * `config_url`; `audience` sent on authorize, token and refresh; `extra_authorize_params` passed through;
 * `provider_name` names the provider in user contexts and audit records.
 */
import { defineAuthProvider, requireSetting } from '../../sdk/oauth-upstream.js';
import { DiscoveredOidcProvider } from '../../sdk/oidc-upstream.js';

export default defineAuthProvider('oidc', (config) => {
  const audience = typeof config.audience === 'string' && config.audience !== '' ? config.audience : undefined;
  const extra = (config.extra_authorize_params ?? {}) as Record<string, string>;
  const scope = typeof config.scope === 'string' && config.scope !== '' ? config.scope : 'openid profile email';
  return new DiscoveredOidcProvider(
    {
      name: typeof config.provider_name === 'string' && config.provider_name !== '' ? config.provider_name : 'oidc',
      callbackPath: typeof config.callback_path === 'string' ? config.callback_path : '/oidc/callback',
      clientId: requireSetting('oidc', config, 'client_id'),
      ...(typeof config.client_secret === 'string' ? { clientSecret: config.client_secret } : {}),
      // Replaced by the discovery document's endpoints in init().
      authorizeUrl: 'about:blank',
      tokenUrl: 'about:blank',
      scopes: scope.split(/\s+/).filter(Boolean),
      pkce: true,
      extraAuthorizeParams: { ...extra, ...(audience ? { audience } : {}) },
      ...(audience ? { extraTokenParams: { audience } } : {}),
    },
    requireSetting('oidc', config, 'config_url'),
  );
});
