/**
 * Clients: RFC 7591 dynamic registration (`POST /register`), the pre-registered `clients` of the
 * configuration (written to the store at start, so they survive like DCR clients), and client
 * authentication at `/token` and `/revoke`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PreRegisteredClient } from './auth-settings.js';
import type { IssuerContext } from './issuer-context.js';
import { clientCredentials, OAuthError, readJsonObject, sendOAuthJson } from './oauth-http.js';
import type { ClientRecord, OAuthRecords } from './oauth-records.js';
import { randomToken, secretsEqual } from './token-crypto.js';

const kAuthMethods = ['none', 'client_secret_post', 'client_secret_basic'] as const;
const kGrants = ['authorization_code', 'refresh_token'];

export async function registerClient(ctx: IssuerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const meta = await readJsonObject(req);
  const redirectUris = meta.redirect_uris;
  if (!Array.isArray(redirectUris) || redirectUris.length === 0 || !redirectUris.every((u) => typeof u === 'string')) {
    throw new OAuthError(400, 'invalid_redirect_uri', 'redirect_uris must be a non-empty array of URIs');
  }
  for (const uri of redirectUris as string[]) {
    const problem = redirectUriProblem(uri);
    if (problem) throw new OAuthError(400, 'invalid_redirect_uri', `redirect URI '${uri}' ${problem}`);
  }
  const method = meta.token_endpoint_auth_method ?? 'client_secret_basic';
  if (!kAuthMethods.includes(method as (typeof kAuthMethods)[number])) {
    throw new OAuthError(400, 'invalid_client_metadata', `token_endpoint_auth_method '${String(method)}' is not supported`);
  }
  const grants = meta.grant_types ?? ['authorization_code', 'refresh_token'];
  if (!Array.isArray(grants) || !grants.includes('authorization_code') || !grants.every((g) => kGrants.includes(String(g)))) {
    throw new OAuthError(400, 'invalid_client_metadata', "grant_types must include 'authorization_code' and may add 'refresh_token'");
  }
  const responseTypes = meta.response_types ?? ['code'];
  if (!Array.isArray(responseTypes) || responseTypes.some((t) => t !== 'code')) {
    throw new OAuthError(400, 'invalid_client_metadata', "response_types may only contain 'code'");
  }
  const secret = method === 'none' ? undefined : randomToken('', 32);
  const client: ClientRecord = {
    client_id: crypto.randomUUID(),
    ...(secret ? { client_secret: ctx.records.box.seal(secret) } : {}),
    token_endpoint_auth_method: method as ClientRecord['token_endpoint_auth_method'],
    redirect_uris: redirectUris as string[],
    grant_types: grants as string[],
    response_types: ['code'],
    ...(typeof meta.scope === 'string' ? { scope: meta.scope } : {}),
    ...(typeof meta.client_name === 'string' ? { client_name: meta.client_name.slice(0, 200) } : {}),
    client_id_issued_at: Math.floor(Date.now() / 1000),
    dynamic: true,
  };
  await ctx.records.putClient(client);
  ctx.logger.info({ client_id: client.client_id, client_name: client.client_name }, 'OAuth client registered');
  const { dynamic: _dynamic, client_secret: _sealed, ...visible } = client;
  sendOAuthJson(res, 201, { ...visible, ...(secret ? { client_secret: secret, client_secret_expires_at: 0 } : {}) });
}

/**
 * OAuth 2.1 / MCP: HTTPS, or HTTP on a loopback host, or a private-use scheme of a native app
 * (`com.example.app:/cb`); never script-capable or local-file schemes, never a fragment.
 */
export function redirectUriProblem(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'is not an absolute URI';
  }
  if (url.hash) return 'must not have a fragment';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) ? undefined : 'must use https unless the host is loopback';
  }
  if (['javascript:', 'data:', 'file:', 'vbscript:', 'blob:'].includes(url.protocol)) return `uses the forbidden scheme ${url.protocol}`;
  return undefined;
}

/** The configuration's `clients` into the store (upsert at every start, as MXCP); invalid URIs are skipped with a warning. */
export async function seedClients(ctx: IssuerContext, clients: readonly PreRegisteredClient[]): Promise<void> {
  for (const c of clients) {
    const uris = c.redirect_uris.filter((u) => {
      const problem = redirectUriProblem(u);
      if (problem) ctx.logger.warn({ client_id: c.client_id }, `pre-registered client: redirect URI '${u}' ${problem}; skipped`);
      return !problem;
    });
    if (uris.length === 0) {
      ctx.logger.warn({ client_id: c.client_id }, 'pre-registered client has no valid redirect URI; skipped');
      continue;
    }
    await ctx.records.putClient({
      client_id: c.client_id,
      ...(c.client_secret ? { client_secret: ctx.records.box.seal(c.client_secret) } : {}),
      token_endpoint_auth_method: c.client_secret ? 'client_secret_post' : 'none',
      redirect_uris: uris,
      grant_types: c.grant_types ?? ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      ...(c.scopes.length > 0 ? { scope: c.scopes.join(' ') } : {}),
      client_name: c.name,
      client_id_issued_at: Math.floor(Date.now() / 1000),
      dynamic: false,
    });
  }
}

/** Authenticates the client of a /token or /revoke request (401 `invalid_client` otherwise). */
export async function authenticateClient(records: OAuthRecords, req: IncomingMessage, form: URLSearchParams): Promise<ClientRecord> {
  const creds = clientCredentials(req, form);
  const refuse = (why: string): never => {
    throw new OAuthError(401, 'invalid_client', why, creds.method === 'basic' ? { 'www-authenticate': 'Basic realm="mxcp"' } : undefined);
  };
  if (!creds.clientId) return refuse('client authentication failed: no client_id');
  const client = await records.client(creds.clientId);
  if (!client) return refuse('client authentication failed: unknown client');
  if (client.client_secret === undefined) {
    if (creds.secret !== undefined && creds.secret !== '') return refuse('client authentication failed: public client sent a secret');
    return client;
  }
  if (creds.secret === undefined || !secretsEqual(records.box.open(client.client_secret), creds.secret)) {
    return refuse('client authentication failed: wrong client secret');
  }
  return client;
}
