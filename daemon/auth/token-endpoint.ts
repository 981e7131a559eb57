/**
 * `POST /token` (authorization_code, refresh_token) and `POST /revoke` (RFC 7009).
 *
 *   authorization_code  client authenticated ─> code taken (one-time; a replay revokes what the code issued)
 *                       ─> client, redirect URI, PKCE verifier and resource checked ─> session + tokens
 *   refresh_token       token taken (rotation: each works once) ─> bound to the client that got it
 *                       ─> upstream refresh when the provider gave one ─> new access + refresh pair
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeError } from '../../sdk/errors/index.js';
import { authenticateClient } from './client-registration.js';
import { type IssuerContext, type IssuerUrls, namesThisResource } from './issuer-context.js';
import { OAuthError, readForm, sendOAuthJson } from './oauth-http.js';
import { type IssuedSession, kCodeTtlMs } from './oauth-records.js';
import { hashToken, pkceMatches, randomToken } from './token-crypto.js';

export async function token(ctx: IssuerContext, urls: IssuerUrls, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const form = await readForm(req);
  const client = await authenticateClient(ctx.records, req, form);
  const grant = form.get('grant_type');
  if (grant === 'authorization_code') return codeGrant(ctx, urls, res, form, client.client_id);
  if (grant === 'refresh_token') {
    if (!client.grant_types.includes('refresh_token'))
      throw new OAuthError(400, 'unauthorized_client', 'the client may not use refresh_token');
    return refreshGrant(ctx, res, form, client.client_id);
  }
  throw new OAuthError(400, 'unsupported_grant_type', `grant_type '${grant ?? ''}' is not supported`);
}

async function codeGrant(
  ctx: IssuerContext,
  urls: IssuerUrls,
  res: ServerResponse,
  form: URLSearchParams,
  clientId: string,
): Promise<void> {
  const code = form.get('code');
  if (!code) throw new OAuthError(400, 'invalid_request', 'code is required');
  const record = await ctx.records.takeCode(code);
  if (!record) {
    await revokeReplayed(ctx, code);
    throw new OAuthError(400, 'invalid_grant', 'the authorization code is invalid, expired or already used');
  }
  const invalid = (why: string): never => {
    throw new OAuthError(400, 'invalid_grant', why);
  };
  if (record.client_id !== clientId) invalid('the authorization code was issued to another client');
  const redirectUri = form.get('redirect_uri');
  if (redirectUri !== null && redirectUri !== record.redirect_uri) invalid('redirect_uri does not match the authorization request');
  const verifier = form.get('code_verifier');
  if (!verifier || !pkceMatches(verifier, record.code_challenge)) invalid('PKCE verification failed (code_verifier)');
  const resource = form.get('resource');
  if (resource !== null && (!namesThisResource(resource, urls) || (record.session.resource && resource !== record.session.resource))) {
    throw new OAuthError(400, 'invalid_target', `resource '${resource}' is not this server`);
  }
  // Remember the used code for its lifetime: a replay then revokes the tokens it issued (RFC 6749 4.1.2).
  await ctx.records.putCodeUse(code, record.session.session_id, kCodeTtlMs);
  await issue(ctx, res, record.session);
}

async function refreshGrant(ctx: IssuerContext, res: ServerResponse, form: URLSearchParams, clientId: string): Promise<void> {
  const refresh = form.get('refresh_token');
  if (!refresh) throw new OAuthError(400, 'invalid_request', 'refresh_token is required');
  const link = await ctx.records.takeRefresh(refresh);
  if (!link) throw new OAuthError(400, 'invalid_grant', 'the refresh token is invalid, expired, revoked or already used');
  const session = await ctx.records.session(link.session_id);
  if (!session) throw new OAuthError(400, 'invalid_grant', 'the session of this refresh token has ended');
  if (link.client_id !== clientId) {
    await ctx.records.endSession(session.session_id, link.access_hash);
    throw new OAuthError(400, 'invalid_grant', 'the refresh token was issued to another client');
  }
  const asked = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
  if (asked.some((s) => !session.scopes.includes(s)))
    throw new OAuthError(400, 'invalid_scope', 'a requested scope exceeds the original grant');
  let next: IssuedSession = { ...session, ...(asked.length > 0 ? { scopes: asked } : {}) };
  if (session.upstream_refresh) {
    try {
      const grant = await ctx.provider.refreshToken(ctx.records.box.open(session.upstream_refresh), []);
      next = {
        ...next,
        upstream_access: ctx.records.box.seal(grant.accessToken),
        ...(grant.refreshToken ? { upstream_refresh: ctx.records.box.seal(grant.refreshToken) } : {}),
        ...(grant.expiresIn ? { upstream_expires_at: Date.now() + grant.expiresIn * 1000 } : {}),
      };
    } catch (err) {
      ctx.logger.warn({ client_id: clientId }, `provider refresh failed: ${describeError(err)}`);
      await ctx.records.endSession(session.session_id, link.access_hash);
      throw new OAuthError(400, 'invalid_grant', 'Provider refresh failed');
    }
  } else if (session.upstream_expires_at !== undefined && session.upstream_expires_at <= Date.now()) {
    // GitHub OAuth apps issue no refresh token; their tokens do not expire, so a session outlives them only without expiry.
    await ctx.records.endSession(session.session_id, link.access_hash);
    throw new OAuthError(400, 'invalid_grant', 'Provider refresh token missing and the provider token has expired');
  }
  await ctx.records.endSession(session.session_id, link.access_hash);
  await issue(ctx, res, { ...next, session_id: randomToken('', 16) });
}

async function issue(ctx: IssuerContext, res: ServerResponse, session: IssuedSession): Promise<void> {
  const access = randomToken('mcp_', 32);
  const refresh = randomToken('mcp_refresh_', 32);
  const expiresAt = await ctx.records.putSession(session, access, refresh);
  sendOAuthJson(res, 200, {
    access_token: access,
    token_type: 'Bearer',
    expires_in: Math.max(0, Math.floor((expiresAt - Date.now()) / 1000)),
    refresh_token: refresh,
    scope: session.scopes.join(' '),
  });
}

async function revokeReplayed(ctx: IssuerContext, code: string): Promise<void> {
  const sessionId = await ctx.records.codeUse(code);
  if (!sessionId) return;
  await ctx.records.endSession(sessionId);
  ctx.logger.warn({ session: hashToken(sessionId).slice(0, 12) }, 'authorization code replayed: the session it issued is revoked');
}

/** RFC 7009: always 200 for an authenticated client, whether or not the token existed. */
export async function revoke(ctx: IssuerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const form = await readForm(req);
  const client = await authenticateClient(ctx.records, req, form);
  const value = form.get('token');
  if (!value) throw new OAuthError(400, 'invalid_request', 'token is required');
  const link = await ctx.records.peekRefresh(value);
  if (link && link.client_id === client.client_id) {
    await ctx.records.deleteRefresh(value);
    await ctx.records.endSession(link.session_id, link.access_hash);
  } else {
    const owner = await ctx.records.sessionOfAccess(value);
    if (owner && owner.session.client_id === client.client_id) await ctx.records.deleteAccess(value);
  }
  sendOAuthJson(res, 200, {});
}
