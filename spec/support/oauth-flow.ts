/**
 * The MCP client's side of an OAuth flow against `mxcp serve` in issuer mode, over raw HTTP (no SDK), for
 * specs that need to step out of line: register, authorize with PKCE, approve consent, follow the provider's
 * redirects, exchange the code.
 */
import { createHash, randomBytes } from 'node:crypto';
import { browse } from './oidc-idp.js';

export const kClientRedirect = 'http://127.0.0.1:1/client/callback';

export interface RegisteredClient {
  readonly client_id: string;
  readonly client_secret?: string;
}

export async function registerClient(base: string, extra: Record<string, unknown> = {}): Promise<RegisteredClient> {
  const res = await fetch(`${base}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'raw client', redirect_uris: [kClientRedirect], token_endpoint_auth_method: 'none', ...extra }),
  });
  if (res.status !== 201) throw new Error(`register: ${res.status} ${await res.text()}`);
  return (await res.json()) as RegisteredClient;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizeUrl(base: string, clientId: string, challenge: string, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: kClientRedirect,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'client-state-1',
    ...extra,
  });
  return `${base}/authorize?${q}`;
}

/** Authorize -> consent (approve) -> provider -> back at the client: the redirect URL the client receives. */
export async function authorizeAndApprove(base: string, clientId: string, challenge: string): Promise<URL> {
  const jar = new Map<string, string[]>();
  const page = await browse(authorizeUrl(base, clientId, challenge), kClientRedirect, jar);
  const consent = /name="consent" value="([^"]+)"/.exec(page.body)?.[1];
  if (!consent) throw new Error(`no consent page: ${page.status} ${page.body.slice(0, 300)}`);
  const res = await fetch(`${base}/authorize/consent`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ consent, decision: 'approve' }).toString(),
  });
  const location = res.headers.get('location');
  if (!location) throw new Error(`consent: ${res.status} ${await res.text()}`);
  return new URL((await browse(location, kClientRedirect, jar)).url);
}

export async function tokenRequest(base: string, form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The full flow; returns the MCP access token. */
export async function loginRaw(base: string): Promise<{ access: string; refresh: string; clientId: string }> {
  const client = await registerClient(base);
  const { verifier, challenge } = pkcePair();
  const back = await authorizeAndApprove(base, client.client_id, challenge);
  const code = back.searchParams.get('code');
  if (!code) throw new Error(`no code: ${back}`);
  const t = await tokenRequest(base, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: kClientRedirect,
    code_verifier: verifier,
    client_id: client.client_id,
  });
  if (t.status !== 200) throw new Error(`token: ${t.status} ${JSON.stringify(t.body)}`);
  return { access: String(t.body.access_token), refresh: String(t.body.refresh_token), clientId: client.client_id };
}

/** `tools/call whoami` with a bearer over a stateless-style single request (initialize first). */
export async function whoami(mcpUrl: string, bearer: string): Promise<Record<string, unknown>> {
  const headers = { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', accept: 'application/json' };
  const init = await fetch(mcpUrl, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    }),
  });
  if (init.status !== 200) throw new Error(`initialize: ${init.status} ${await init.text()}`);
  await init.text();
  const session = init.headers.get('mcp-session-id') as string;
  const sessionHeaders = { ...headers, 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' };
  await fetch(mcpUrl, {
    method: 'POST',
    headers: sessionHeaders,
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  const call = await fetch(mcpUrl, {
    method: 'POST',
    headers: sessionHeaders,
    body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'whoami', arguments: {} } }),
  });
  const body = (await call.json()) as { result: { content: { text: string }[] } };
  return JSON.parse(body.result.content[0]?.text ?? 'null') as Record<string, unknown>;
}
