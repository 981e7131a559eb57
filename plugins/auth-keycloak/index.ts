/** Keycloak: a realm's OpenID Connect endpoints, derived from `server_url` and `realm` (no discovery fetch). */
import { defineAuthProvider, requireSetting } from '../../sdk/oauth-upstream.js';
import { OidcProvider } from '../../sdk/oidc-upstream.js';

export default defineAuthProvider('keycloak', (config) => {
  const server = requireSetting('keycloak', config, 'server_url').replace(/\/+$/, '');
  const realm = encodeURIComponent(requireSetting('keycloak', config, 'realm'));
  const base = `${server}/realms/${realm}/protocol/openid-connect`;
  const scope = typeof config.scope === 'string' && config.scope !== '' ? config.scope : 'openid profile email';
  return new OidcProvider(
    {
      name: 'keycloak',
      callbackPath: typeof config.callback_path === 'string' ? config.callback_path : '/keycloak/callback',
      clientId: requireSetting('keycloak', config, 'client_id'),
      ...(typeof config.client_secret === 'string' ? { clientSecret: config.client_secret } : {}),
      authorizeUrl: `${base}/auth`,
      tokenUrl: `${base}/token`,
      scopes: scope.split(/\s+/).filter(Boolean),
      pkce: true,
    },
    `${base}/userinfo`,
  );
});
