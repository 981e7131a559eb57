/**
 * The door of the MCP endpoint: a bearer token in `Authorization` (never the query string), checked by
 * the mode's verifier, then `required_scopes`; the result is the request's user context or a refusal
 * carrying the status and `WWW-Authenticate` challenge the MCP authorization spec asks for:
 *
 *   no token            401  Bearer resource_metadata="…", scope="…"
 *   bad token           401  Bearer error="invalid_token", error_description="…", resource_metadata="…"
 *   missing scope       403  Bearer error="insufficient_scope", scope="…", resource_metadata="…"
 *   IdP unreachable     503  (fail closed; Retry-After)
 */
import type { IncomingMessage } from 'node:http';
import { authErrors } from '../../sdk/errors/auth.js';
import { isMxcpError } from '../../sdk/errors/index.js';
import type { UserContext } from '../../sdk/user-context.js';

export interface Refusal {
  readonly status: number;
  readonly error: Error;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: { readonly error: string; readonly error_description: string };
}

export type GateResult =
  | { readonly user: UserContext; readonly refusal?: undefined }
  | { readonly refusal: Refusal; readonly user?: undefined };

/** The token of `Authorization: Bearer <token>`, `undefined` when absent; a malformed header is an invalid token. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) {
    const url = req.url ?? '';
    if (/[?&]access_token=/.test(url))
      throw new authErrors.MXCP_E_AUTH_INVALID_TOKEN({
        detail: 'tokens in the query string are not accepted; use the Authorization header',
      });
    return undefined;
  }
  const m = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header);
  if (!m?.[1]) throw new authErrors.MXCP_E_AUTH_INVALID_TOKEN({ detail: "the Authorization header is not 'Bearer <token>'" });
  return m[1];
}

export function refusalFor(err: unknown, resourceMetadata: string, requiredScopes: readonly string[]): Refusal {
  const code = isMxcpError(err) ? err.code : undefined;
  const error = err instanceof Error ? err : new Error(String(err));
  const q = (s: string) => s.replace(/["\\]/g, "'");
  const scope = requiredScopes.length > 0 ? `, scope="${requiredScopes.join(' ')}"` : '';
  if (code === 'MXCP_E_AUTH_REQUIRED') {
    return {
      status: 401,
      error,
      headers: { 'www-authenticate': `Bearer resource_metadata="${resourceMetadata}"${scope}` },
      body: { error: 'invalid_token', error_description: 'Authentication required' },
    };
  }
  if (code === 'MXCP_E_AUTH_INSUFFICIENT_SCOPE') {
    return {
      status: 403,
      error,
      headers: {
        'www-authenticate': `Bearer error="insufficient_scope", error_description="${q(error.message)}"${scope}, resource_metadata="${resourceMetadata}"`,
      },
      body: { error: 'insufficient_scope', error_description: error.message },
    };
  }
  if (code === 'MXCP_E_AUTH_UPSTREAM_UNAVAILABLE') {
    return {
      status: 503,
      error,
      headers: { 'retry-after': '5' },
      body: { error: 'temporarily_unavailable', error_description: 'the identity provider cannot be reached to verify the token' },
    };
  }
  const description =
    code === 'MXCP_E_AUTH_INVALID_TOKEN' ? error.message.replace(/^Invalid access token: /, '') : 'the token could not be verified';
  return {
    status: 401,
    error,
    headers: {
      'www-authenticate': `Bearer error="invalid_token", error_description="${q(description)}", resource_metadata="${resourceMetadata}"${scope}`,
    },
    body: { error: 'invalid_token', error_description: description },
  };
}

export function checkScopes(granted: readonly string[], required: readonly string[]): void {
  const missing = required.filter((s) => !granted.includes(s));
  if (missing.length > 0) throw new authErrors.MXCP_E_AUTH_INSUFFICIENT_SCOPE({ required: required.join(' '), granted: granted.join(' ') });
}
