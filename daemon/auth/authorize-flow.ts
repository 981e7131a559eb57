/**
 * The browser half of the flow:
 *
 *   GET|POST /authorize   client + exact redirect URI checked (errors here are shown, never redirected: the
 *                         URI is not trusted yet); PKCE S256 required; `resource` must name us
 *     ─ dynamically registered client ─> consent page (MCP: the user approves each DCR client before we
 *                                         forward to the provider with our static credentials)
 *     ─> state stored (10 min, one-time) ─> 302 to the provider
 *   GET <callback_path>   state taken ─> code exchanged upstream ─> user info ─> one-time MCP code (5 min)
 *                         ─> 302 to the client with code, state and iss (RFC 9207)
 */

import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeError, isMxcpError } from '../../sdk/errors/index.js';
import { consentPage } from './consent-page.js';
import { type IssuerContext, type IssuerUrls, namesThisResource } from './issuer-context.js';
import { OAuthError, OAuthRedirect, readForm, redirect, requestParams, withParams } from './oauth-http.js';
import type { ClientRecord, PendingAuthorization } from './oauth-records.js';
import { randomToken } from './token-crypto.js';

export async function authorize(
  ctx: IssuerContext,
  urls: IssuerUrls,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
): Promise<void> {
  const params = await requestParams(req, query);
  const clientId = params.get('client_id');
  const client = clientId ? await ctx.records.client(clientId) : undefined;
  if (!client) throw new OAuthError(400, 'invalid_request', clientId ? 'unknown client_id' : 'client_id is required');
  const requested = params.get('redirect_uri');
  const redirectUri = requested ?? (client.redirect_uris.length === 1 ? client.redirect_uris[0] : undefined);
  if (!redirectUri || !client.redirect_uris.includes(redirectUri)) {
    throw new OAuthError(400, 'invalid_request', requested ? 'Redirect URI not registered for client' : 'redirect_uri is required');
  }
  // From here on errors go back to the client's redirect URI (RFC 6749 4.1.2.1).
  const state = params.get('state') ?? undefined;
  const back = (error: string, description: string): never => {
    throw new OAuthRedirect(redirectUri, error, description, { state, iss: urls.base });
  };
  if (params.get('response_type') !== 'code') return back('unsupported_response_type', "response_type must be 'code'");
  const challenge = params.get('code_challenge');
  if (!challenge || !/^[A-Za-z0-9_-]{43}$/.test(challenge)) return back('invalid_request', 'code_challenge (PKCE S256) is required');
  if (params.get('code_challenge_method') !== 'S256') return back('invalid_request', "code_challenge_method must be 'S256'");
  const resource = params.get('resource') ?? undefined;
  if (resource !== undefined && !namesThisResource(resource, urls))
    return back('invalid_target', `resource '${resource}' is not this server`);
  const pending: PendingAuthorization = {
    client_id: client.client_id,
    redirect_uri: redirectUri,
    code_challenge: challenge,
    ...(state !== undefined ? { client_state: state } : {}),
    ...(resource !== undefined ? { resource } : {}),
    scopes: grantedScopes(ctx, client, params.get('scope')),
  };
  if (client.dynamic) {
    const consent = randomToken('', 24);
    await ctx.records.putState(`consent:${consent}`, pending);
    const html = consentPage({
      clientName: client.client_name ?? client.client_id,
      redirectUri,
      provider: ctx.settings.provider,
      consent,
      action: `${urls.base}/authorize/consent`,
    });
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-frame-options': 'DENY',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    });
    res.end(html);
    return;
  }
  await toProvider(ctx, urls, res, pending);
}

/** POST /authorize/consent: the user's answer on the consent page. */
export async function consent(ctx: IssuerContext, urls: IssuerUrls, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const form = await readForm(req);
  const pending = await ctx.records.takeState(`consent:${form.get('consent') ?? ''}`);
  if (!pending) throw new OAuthError(400, 'invalid_request', 'the consent request is unknown or expired; start again');
  if (form.get('decision') !== 'approve') {
    redirect(
      res,
      withParams(pending.redirect_uri, {
        error: 'access_denied',
        error_description: 'the user denied access',
        state: pending.client_state,
        iss: urls.base,
      }),
    );
    return;
  }
  await toProvider(ctx, urls, res, pending);
}

async function toProvider(ctx: IssuerContext, urls: IssuerUrls, res: ServerResponse, pending: PendingAuthorization): Promise<void> {
  const state = randomToken('', 16);
  const pkce = ctx.provider.pkceMethods.includes('S256');
  const verifier = pkce ? randomToken('', 32) : undefined;
  await ctx.records.putState(state, { ...pending, ...(verifier ? { provider_verifier: verifier } : {}) });
  const target = await ctx.provider.authorizeUrl({
    redirectUri: urls.callback,
    state,
    scopes: [],
    ...(verifier ? { codeChallenge: createHash('sha256').update(verifier).digest('base64url'), codeChallengeMethod: 'S256' as const } : {}),
  });
  redirect(res, target);
}

/** GET <callback_path>: the provider sent the user back. */
export async function callback(ctx: IssuerContext, urls: IssuerUrls, res: ServerResponse, query: URLSearchParams): Promise<void> {
  const stateParam = query.get('state');
  const pending = stateParam ? await ctx.records.takeState(stateParam) : undefined;
  const upstreamError = query.get('error');
  if (upstreamError) {
    if (!pending) throw new OAuthError(400, upstreamError, query.get('error_description') ?? 'the provider refused the authorization');
    redirect(
      res,
      withParams(pending.redirect_uri, {
        error: upstreamError,
        error_description: query.get('error_description') ?? undefined,
        state: pending.client_state,
        iss: urls.base,
      }),
    );
    return;
  }
  const code = query.get('code');
  if (!code || !stateParam) throw new OAuthError(400, 'invalid_request', 'code and state are required');
  if (!pending) throw new OAuthError(400, 'invalid_request', 'the state is unknown, expired or already used');
  const back = (error: string, description: string): never => {
    throw new OAuthRedirect(pending.redirect_uri, error, description, { state: pending.client_state, iss: urls.base });
  };
  try {
    const grant = await ctx.provider.exchangeCode({
      code,
      redirectUri: urls.callback,
      scopes: [],
      ...(pending.provider_verifier ? { codeVerifier: pending.provider_verifier } : {}),
    });
    const info = await ctx.provider.fetchUserInfo(grant.accessToken);
    const mcpCode = randomToken('mcp_', 16);
    await ctx.records.putCode(mcpCode, {
      client_id: pending.client_id,
      redirect_uri: pending.redirect_uri,
      code_challenge: pending.code_challenge,
      session: {
        session_id: randomToken('', 16),
        client_id: pending.client_id,
        provider: ctx.provider.name,
        user: { ...info, rawProfile: mergedProfile(grant.accessToken, grant.idToken, info.rawProfile) },
        upstream_access: ctx.records.box.seal(grant.accessToken),
        ...(grant.refreshToken ? { upstream_refresh: ctx.records.box.seal(grant.refreshToken) } : {}),
        ...(grant.expiresIn ? { upstream_expires_at: Date.now() + grant.expiresIn * 1000 } : {}),
        scopes: pending.scopes,
        ...(pending.resource ? { resource: pending.resource } : {}),
      },
    });
    ctx.logger.info({ client_id: pending.client_id, provider: ctx.provider.name, user: info.username }, 'user authorized');
    redirect(res, withParams(pending.redirect_uri, { code: mcpCode, state: pending.client_state, iss: urls.base }));
  } catch (err) {
    if (err instanceof OAuthError) throw err;
    ctx.logger.warn(
      { code: isMxcpError(err) ? err.code : undefined, client_id: pending.client_id },
      `provider callback failed: ${describeError(err)}`,
    );
    const unavailable = isMxcpError(err) && err.code === 'MXCP_E_AUTH_UPSTREAM_UNAVAILABLE';
    back(
      unavailable ? 'temporarily_unavailable' : 'server_error',
      unavailable ? 'the identity provider is unavailable' : 'the identity provider refused the login',
    );
  }
}

/** MXCP's precedence: access-token claims < ID-token claims < user info (JWTs decoded, not verified: the provider sent them over TLS). */
function mergedProfile(access: string, idToken: string | undefined, info: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return { ...claims(access), ...claims(idToken), ...info };
}

function claims(token: string | undefined): Record<string, unknown> {
  const part = token?.split('.')[1];
  if (!part || token?.split('.').length !== 3) return {};
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Scopes the token will carry: what the client asks for, else its registered scope, else `required_scopes`. */
function grantedScopes(ctx: IssuerContext, client: ClientRecord, requested: string | null): string[] {
  const split = (s: string | null | undefined) => (s ?? '').split(/\s+/).filter(Boolean);
  const asked = split(requested);
  if (asked.length > 0) return asked;
  const registered = split(client.scope);
  return registered.length > 0 ? registered : [...ctx.settings.requiredScopes];
}
