/**
 * Discovery documents: RFC 8414 authorization server metadata (issuer mode) and RFC 9728 protected
 * resource metadata (both modes; served at the root and path-inserted for the MCP endpoint).
 */
import type { AuthSettings } from './auth-settings.js';
import type { IssuerUrls } from './issuer-context.js';

export function authorizationServerMetadata(settings: AuthSettings, urls: IssuerUrls): Record<string, unknown> {
  const b = urls.base;
  return {
    issuer: b,
    authorization_endpoint: `${b}/authorize`,
    token_endpoint: `${b}/token`,
    registration_endpoint: `${b}/register`,
    revocation_endpoint: `${b}/revoke`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    ...(settings.requiredScopes.length > 0 ? { scopes_supported: settings.requiredScopes } : {}),
  };
}

export function protectedResourceMetadata(settings: AuthSettings, urls: IssuerUrls, authorizationServer: string): Record<string, unknown> {
  return {
    resource: urls.resource,
    authorization_servers: [authorizationServer],
    bearer_methods_supported: ['header'],
    resource_name: 'mxcp',
    ...(settings.requiredScopes.length > 0 ? { scopes_supported: settings.requiredScopes } : {}),
  };
}
