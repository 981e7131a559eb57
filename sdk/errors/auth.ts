import { defineError } from './base.js';

/**
 * Authentication (HTTP transports): configuration refused at startup, requests refused at the door (401/403),
 * and failures of the upstream identity provider or the token store. Wire bodies are OAuth-style
 * (`{"error": "invalid_token", ...}`); these codes are what logs and audit records carry.
 */
export const authErrors = {
  MXCP_E_AUTH_CONFIG: defineError<{ where: string; detail: string }>(
    'MXCP_E_AUTH_CONFIG',
    (p) => `Auth configuration error at ${p.where}: ${p.detail}`,
  ),
  MXCP_E_AUTH_REQUIRED: defineError<{ detail: string }>('MXCP_E_AUTH_REQUIRED', (p) => `Authentication required: ${p.detail}`),
  MXCP_E_AUTH_INVALID_TOKEN: defineError<{ detail: string }>('MXCP_E_AUTH_INVALID_TOKEN', (p) => `Invalid access token: ${p.detail}`),
  MXCP_E_AUTH_INSUFFICIENT_SCOPE: defineError<{ required: string; granted: string }>(
    'MXCP_E_AUTH_INSUFFICIENT_SCOPE',
    (p) => `Insufficient scope: the token grants '${p.granted}', the server requires '${p.required}'`,
  ),
  MXCP_E_AUTH_OAUTH_REFUSED: defineError<{ endpoint: string; error: string; detail: string }>(
    'MXCP_E_AUTH_OAUTH_REFUSED',
    (p) => `OAuth ${p.endpoint} refused the request: ${p.error}: ${p.detail}`,
  ),
  MXCP_E_AUTH_UPSTREAM_UNAVAILABLE: defineError<{ provider: string; detail: string }>(
    'MXCP_E_AUTH_UPSTREAM_UNAVAILABLE',
    (p) => `Identity provider '${p.provider}' is unavailable: ${p.detail}`,
  ),
  MXCP_E_AUTH_UPSTREAM_REJECTED: defineError<{ provider: string; detail: string }>(
    'MXCP_E_AUTH_UPSTREAM_REJECTED',
    (p) => `Identity provider '${p.provider}' refused the request: ${p.detail}`,
  ),
  MXCP_E_AUTH_PROVIDER_UNCONFIGURED: defineError<{ provider: string }>(
    'MXCP_E_AUTH_PROVIDER_UNCONFIGURED',
    (p) => `Auth provider '${p.provider}' is not the configured provider; it has no settings and cannot be used`,
  ),
  MXCP_E_AUTH_STORE: defineError<{ path: string; detail: string }>('MXCP_E_AUTH_STORE', (p) => `Token store ${p.path}: ${p.detail}`),
};
