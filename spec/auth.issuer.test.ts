/**
 * Issuer mode end to end: `mxcp serve` is the OAuth authorization server of an MCP client and delegates the
 * login to a real OpenID Connect provider (oidc-provider, through the generic `oidc` provider's discovery).
 * The MCP SDK client does what Claude Desktop does (401 -> protected resource metadata -> AS metadata -> DCR
 * -> PKCE authorize), the test plays the user's browser (consent page, IdP login auto-approved), and the
 * client then calls tools as alice: her identity is in SQL, in policies and in the audit record.
 */
import { cpSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeAndApprove, authorizeUrl, kClientRedirect, pkcePair, registerClient, tokenRequest } from './support/oauth-flow.js';
import { browse, type Idp, oidcIssuerAuth, startIdp, upstreamClient } from './support/oidc-idp.js';
import { type TempProject, tempProject } from './support/project.js';
import { type Daemon, freePort, startDaemon } from './support/serve-daemon.js';

const kFixture = fileURLToPath(new URL('./fixtures/auth/project/', import.meta.url));
const kRedirect = 'http://127.0.0.1:1/mcp-client/callback';

let idp: Idp;
let project: TempProject;
let daemon: Daemon;
let port: number;
let mcpUrl: string;

function userConfig(tokensPath: string): string {
  return `mxcp: 1
projects:
  authdemo:
    profiles:
      dev:
${oidcIssuerAuth(
  idp,
  `          persistence:
            path: ${tokensPath}
            encryption_key: a-passphrase-of-at-least-thirty-two-characters
`,
)}`;
}

/** The MCP client's OAuth state, in memory, as a desktop client keeps it. */
class ClientAuth implements OAuthClientProvider {
  info: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = '';
  authorizationUrl: URL | undefined;
  get redirectUrl(): string {
    return kRedirect;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'spec client',
      redirect_uris: [kRedirect],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    return this.verifier;
  }
}

/** The user's part: the consent page of mxcp, then the IdP (auto-approved); returns the client's redirect. */
async function userApproves(authorizationUrl: URL): Promise<URL> {
  const jar = new Map<string, string[]>();
  const page = await browse(authorizationUrl.toString(), kRedirect, jar);
  expect(page.status).toBe(200);
  expect(page.body).toContain('spec client');
  const consent = /name="consent" value="([^"]+)"/.exec(page.body)?.[1];
  expect(consent).toBeDefined();
  const res = await fetch(`${mcpUrl.replace('/mcp', '')}/authorize/consent`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: `http://localhost:${port}` },
    body: new URLSearchParams({ consent: consent as string, decision: 'approve' }).toString(),
  });
  expect(res.status).toBe(302);
  const end = await browse(res.headers.get('location') as string, kRedirect, jar);
  return new URL(end.url);
}

async function connectedClient(auth: ClientAuth): Promise<Client> {
  const client = new Client({ name: 'spec', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: auth }));
  return client;
}

/** The whole first login: 401, discovery, DCR, authorize, browser, token; returns a connected client. */
async function login(auth: ClientAuth): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: auth });
  const client = new Client({ name: 'spec', version: '1.0.0' });
  await expect(client.connect(transport)).rejects.toThrow(/Unauthorized/);
  expect(auth.authorizationUrl).toBeDefined();
  const back = await userApproves(auth.authorizationUrl as URL);
  expect(back.searchParams.get('error_description') ?? back.searchParams.get('error')).toBeNull();
  expect(back.searchParams.get('iss')).toBe(`http://localhost:${port}`);
  await transport.finishAuth(back.searchParams.get('code') as string);
  return connectedClient(auth);
}

/** A tool result's text content, parsed (tools without a declared return type give no structuredContent). */
function textOf(result: Awaited<ReturnType<Client['callTool']>>): unknown {
  const first = (result.content as { type: string; text: string }[])[0];
  return JSON.parse(first?.text ?? 'null');
}

function auditRecords(): Record<string, unknown>[] {
  return readFileSync(project.path('audit/auth.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

beforeAll(async () => {
  port = await freePort();
  mcpUrl = `http://localhost:${port}/mcp`;
  idp = await startIdp({
    clients: [upstreamClient(port)],
  });
  project = tempProject({}, { site: null });
  cpSync(kFixture, project.root, { recursive: true });
  const config = project.write('user-config.yml', userConfig(project.path('state/tokens.jsonl')));
  daemon = await startDaemon(project, [], { port, env: { MXCP_CONFIG_PATH: config } });
}, 60_000);

afterAll(async () => {
  await daemon?.stop('SIGKILL');
  await idp?.close();
  project?.remove();
});

describe('issuer mode against a real OIDC provider', () => {
  it('publishes RFC 8414 and RFC 9728 metadata (root and path-inserted)', async () => {
    const as = (await (await fetch(`http://localhost:${port}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(as).toMatchObject({
      issuer: `http://localhost:${port}`,
      authorization_endpoint: `http://localhost:${port}/authorize`,
      token_endpoint: `http://localhost:${port}/token`,
      registration_endpoint: `http://localhost:${port}/register`,
      revocation_endpoint: `http://localhost:${port}/revoke`,
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    });
    for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
      const prm = (await (await fetch(`http://localhost:${port}${path}`)).json()) as Record<string, unknown>;
      expect(prm).toMatchObject({
        resource: mcpUrl,
        authorization_servers: [`http://localhost:${port}`],
        bearer_methods_supported: ['header'],
      });
    }
  });

  it('refuses an unauthenticated MCP request with 401 and a resource_metadata challenge, audited as type auth', async () => {
    const res = await fetch(mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="http://localhost:${port}/.well-known/oauth-protected-resource/mcp"`,
    );
    await new Promise((r) => setTimeout(r, 1500)); // audit fsync interval
    const refusal = auditRecords().find((r) => r.type === 'auth');
    expect(refusal).toMatchObject({ type: 'auth', name: 'POST /mcp', status: 'error', caller: 'http' });
    expect(String(refusal?.error)).toContain('MXCP_E_AUTH_REQUIRED');
  });

  it('DCR + PKCE + consent + IdP login: the client calls tools as alice; SQL, policies and audit see her', async () => {
    const auth = new ClientAuth();
    const client = await login(auth);
    try {
      expect(auth.saved?.access_token).toMatch(/^mcp_[0-9a-f]{64}$/);
      expect(auth.saved?.refresh_token).toMatch(/^mcp_refresh_[0-9a-f]{64}$/);
      const who = await client.callTool({ name: 'whoami', arguments: {} });
      expect(who.isError).toBeFalsy();
      expect(textOf(who)).toEqual({ username: 'alice', email: 'alice@example.com', provider: 'oidc', has_upstream_token: true });
      const allowed = await client.callTool({ name: 'analysts_only', arguments: {} });
      expect(allowed.isError).toBeFalsy();
    } finally {
      await client.close();
    }
    await new Promise((r) => setTimeout(r, 1500));
    const call = auditRecords().find((r) => r.name === 'whoami');
    expect(call).toMatchObject({ user_id: 'alice', username: 'alice', caller: 'http', status: 'success' });
    // The token store file holds no bearer token and no upstream token in the clear.
    const store = readFileSync(project.path('state/tokens.jsonl'), 'utf8');
    expect(store).not.toContain(auth.saved?.access_token as string);
    expect(store).not.toContain(auth.saved?.refresh_token as string);
    expect(store).toContain('"gcm:');
  });

  it('refresh rotates the pair (the old refresh token then fails); revoke ends the session', async () => {
    const auth = new ClientAuth();
    const client = await login(auth);
    await client.close();
    const clientId = auth.info?.client_id as string;
    const first = auth.saved as OAuthTokens;
    const token = (body: Record<string, string>) =>
      fetch(`http://localhost:${port}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: clientId, ...body }).toString(),
      });
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token as string });
    expect(refreshed.status).toBe(200);
    const second = (await refreshed.json()) as OAuthTokens;
    expect(second.access_token).not.toBe(first.access_token);
    const replay = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token as string });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    // The rotated-out access token no longer opens the MCP endpoint; the new one does.
    const list = (bearer: string) =>
      fetch(mcpUrl, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${bearer}`,
          'content-type': 'application/json',
          accept: 'application/json',
          'mcp-protocol-version': '2025-06-18',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
    expect((await list(first.access_token)).status).toBe(401);
    expect((await list(second.access_token)).status).not.toBe(401);
    const revoked = await fetch(`http://localhost:${port}/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: clientId, token: second.refresh_token as string }).toString(),
    });
    expect(revoked.status).toBe(200);
    const after = await list(second.access_token);
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('sessions survive SIGHUP and a restart (the token store is a file)', async () => {
    const auth = new ClientAuth();
    (await login(auth)).close();
    daemon.child.kill('SIGHUP');
    await new Promise((r) => setTimeout(r, 2500));
    let client = await connectedClient(auth);
    expect((await client.callTool({ name: 'whoami', arguments: {} })).isError).toBeFalsy();
    await client.close();
    await daemon.stop('SIGTERM');
    daemon = await startDaemon(project, [], { port, env: { MXCP_CONFIG_PATH: project.path('user-config.yml') } });
    client = await connectedClient(auth);
    const who = await client.callTool({ name: 'whoami', arguments: {} });
    expect((textOf(who) as { username: string }).username).toBe('alice');
    await client.close();
  });

  it('refuses bad authorization requests with the right status, each audited', async () => {
    const base = `http://localhost:${port}`;
    const before = auditRecords().filter((r) => r.type === 'auth').length;
    const client = await registerClient(base);
    const { verifier, challenge } = pkcePair();
    const get = (url: string) => fetch(url, { redirect: 'manual' });

    // Redirect URI not registered: shown, never redirected (the URI is not trusted).
    const unregistered = await get(authorizeUrl(base, client.client_id, challenge, { redirect_uri: 'http://127.0.0.1:1/evil' }));
    expect(unregistered.status).toBe(400);
    expect(await unregistered.json()).toMatchObject({
      error: 'invalid_request',
      error_description: 'Redirect URI not registered for client',
    });
    // No PKCE, or plain PKCE: back to the client with invalid_request, state and iss.
    const noPkce = await get(authorizeUrl(base, client.client_id, challenge, { code_challenge: '' }));
    expect(noPkce.status).toBe(302);
    const noPkceBack = new URL(noPkce.headers.get('location') as string);
    expect(noPkceBack.origin + noPkceBack.pathname).toBe(kClientRedirect);
    expect(Object.fromEntries(noPkceBack.searchParams)).toMatchObject({ error: 'invalid_request', state: 'client-state-1', iss: base });
    const plain = await get(authorizeUrl(base, client.client_id, challenge, { code_challenge_method: 'plain' }));
    expect(new URL(plain.headers.get('location') as string).searchParams.get('error')).toBe('invalid_request');
    // A resource that is not this server.
    const target = await get(authorizeUrl(base, client.client_id, challenge, { resource: 'https://other.example/mcp' }));
    expect(new URL(target.headers.get('location') as string).searchParams.get('error')).toBe('invalid_target');
    // DCR refuses non-loopback http and script schemes.
    for (const uri of ['http://evil.example/cb', 'javascript:alert(1)']) {
      const r = await fetch(`${base}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ redirect_uris: [uri] }),
      });
      expect(r.status).toBe(400);
      expect(await r.json()).toMatchObject({ error: 'invalid_redirect_uri' });
    }

    // PKCE mismatch at /token.
    const back = await authorizeAndApprove(base, client.client_id, challenge);
    const code = back.searchParams.get('code') as string;
    const wrong = await tokenRequest(base, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: kClientRedirect,
      code_verifier: pkcePair().verifier,
      client_id: client.client_id,
    });
    expect(wrong).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    // The code was consumed by the failed attempt: the right verifier is now too late (one-time codes).
    const late = await tokenRequest(base, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: kClientRedirect,
      code_verifier: verifier,
      client_id: client.client_id,
    });
    expect(late).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    // Replay: the second use fails and revokes what the first use issued.
    const p2 = pkcePair();
    const code2 = (await authorizeAndApprove(base, client.client_id, p2.challenge)).searchParams.get('code') as string;
    const form = {
      grant_type: 'authorization_code',
      code: code2,
      redirect_uri: kClientRedirect,
      code_verifier: p2.verifier,
      client_id: client.client_id,
    };
    const first = await tokenRequest(base, form);
    expect(first.status).toBe(200);
    expect((await tokenRequest(base, form)).body).toMatchObject({ error: 'invalid_grant' });
    const revoked = await fetch(mcpUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${String(first.body.access_token)}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
      }),
    });
    expect(revoked.status).toBe(401);

    // A code issued to one client is useless to another; unknown clients are 401 invalid_client.
    const other = await registerClient(base);
    const p3 = pkcePair();
    const code3 = (await authorizeAndApprove(base, client.client_id, p3.challenge)).searchParams.get('code') as string;
    const foreign = await tokenRequest(base, {
      grant_type: 'authorization_code',
      code: code3,
      redirect_uri: kClientRedirect,
      code_verifier: p3.verifier,
      client_id: other.client_id,
    });
    expect(foreign).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await tokenRequest(base, { grant_type: 'refresh_token', refresh_token: 'x', client_id: 'nobody' })).toMatchObject({
      status: 401,
      body: { error: 'invalid_client' },
    });

    await new Promise((r) => setTimeout(r, 1500));
    const refusals = auditRecords()
      .filter((r) => r.type === 'auth')
      .slice(before);
    const names = refusals.map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['GET /authorize', 'POST /register', 'POST /token', 'POST /mcp']));
    expect(refusals.length).toBeGreaterThanOrEqual(11);
    expect(refusals.every((r) => String(r.error).includes('MXCP_E_AUTH_'))).toBe(true);
  });

  it('IdP down: existing sessions keep working; a reload that cannot reach it fails and the old generation serves on', async () => {
    const auth = new ClientAuth();
    const client = await login(auth);
    await idp.close();
    expect((await client.callTool({ name: 'whoami', arguments: {} })).isError).toBeFalsy();
    daemon.child.kill('SIGHUP');
    let ready: Record<string, unknown> = {};
    for (let i = 0; i < 100 && !ready.last_reload; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ready = (await (await fetch(`http://localhost:${port}/ready`)).json()) as Record<string, unknown>;
    }
    expect(JSON.stringify(ready.last_reload)).toContain("Identity provider 'oidc' is unavailable");
    expect((await client.callTool({ name: 'whoami', arguments: {} })).isError).toBeFalsy();
    await client.close();
  });
});
