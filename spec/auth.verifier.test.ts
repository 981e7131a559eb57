/**
 * Verifier mode: bearer JWTs from an external OpenID Connect provider (oidc-provider issuing RFC 9068 JWT
 * access tokens for `resource=<our /mcp>`), checked against its JWKS. The negative cases forge tokens with
 * the IdP's own signing key that differ from a valid one in exactly one respect, so each refusal is due to
 * that respect. Every refusal is audited as `type: auth`. Then the IdP goes down: keys already fetched keep
 * verifying; a daemon that never reached it answers 503 (fail closed), not 401 and not 200.
 */
import { cpSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as addFormatsModule from 'ajv-formats';
import { importJWK, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Idp, startIdp } from './support/oidc-idp.js';
import { type TempProject, tempProject } from './support/project.js';
import { type Daemon, freePort, startDaemon } from './support/serve-daemon.js';

const kRecordSchema = JSON.parse(readFileSync(new URL('../config/schemas/audit-record.schema.json', import.meta.url), 'utf8')) as {
  required: string[];
};
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormatsModule.default.default(ajv);
const validateRecord = ajv.compile(kRecordSchema);

const kFixture = fileURLToPath(new URL('./fixtures/auth/project/', import.meta.url));

let idp: Idp;
let project: TempProject;
let daemon: Daemon;
let port: number;
let mcpUrl: string;
let realToken: string;

function userConfig(configUrl: string): string {
  return `mxcp: 1
projects:
  authdemo:
    profiles:
      dev:
        auth:
          mode: verifier
          provider: oidc
          authorization:
            required_scopes: [mcp:read]
          oidc:
            config_url: ${configUrl}
            client_id: mxcp-rs
            client_secret: rs-secret
            scope: openid
            claim_mappings:
              scope:
                mcp:read: [reader]
`;
}

async function forge(claims: JWTPayload, header: { alg?: string; kid?: string } = {}): Promise<string> {
  const key = await importJWK(idp.privateJwk as never, 'RS256');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: 'mcp:read', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'spec-key-1', typ: 'at+jwt', ...header })
    .setIssuer(typeof claims.iss === 'string' ? claims.iss : idp.issuer)
    .setAudience(claims.aud ?? mcpUrl)
    .setSubject(claims.sub ?? 'bob')
    .setIssuedAt(now - 10)
    .setExpirationTime(claims.exp ?? now + 600)
    .sign(key);
}

/** An `initialize` (valid without a session): 200 when the gate lets it through. */
function listTools(bearer?: string): Promise<Response> {
  return fetch(mcpUrl, {
    method: 'POST',
    headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'spec', version: '1' } },
    }),
  });
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
    clients: [
      {
        client_id: 'mxcp-rs',
        client_secret: 'rs-secret',
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        scope: 'mcp:read',
      },
    ],
  });
  project = tempProject({}, { site: null });
  cpSync(kFixture, project.root, { recursive: true });
  const config = project.write('user-config.yml', userConfig(idp.configUrl));
  daemon = await startDaemon(project, [], { port, env: { MXCP_CONFIG_PATH: config } });
  const res = await fetch(`${idp.issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from('mxcp-rs:rs-secret').toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: mcpUrl, scope: 'mcp:read' }).toString(),
  });
  realToken = ((await res.json()) as { access_token: string }).access_token;
}, 60_000);

afterAll(async () => {
  await daemon?.stop('SIGKILL');
  await idp?.close();
  project?.remove();
});

describe('verifier mode', () => {
  it('accepts a JWT the IdP issued for this resource; the MCP client works with it', async () => {
    expect(realToken.split('.')).toHaveLength(3);
    const client = new Client({ name: 'spec', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers: { authorization: `Bearer ${realToken}` } } }),
    );
    const who = await client.callTool({ name: 'whoami', arguments: {} });
    expect(JSON.parse((who.content as { text: string }[])[0]?.text ?? '')).toMatchObject({
      username: 'mxcp-rs',
      provider: 'oidc',
      has_upstream_token: true,
    });
    await client.close();
  });

  it('an opaque token is introspected at the IdP (RFC 7662) and accepted while active', async () => {
    const basic = `Basic ${Buffer.from('mxcp-rs:rs-secret').toString('base64')}`;
    const res = await fetch(`${idp.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'mcp:read' }).toString(),
    });
    const opaque = ((await res.json()) as { access_token: string }).access_token;
    expect(opaque.split('.')).toHaveLength(1);
    expect((await listTools(opaque)).status).toBe(200);
    // An opaque token the IdP never issued: introspection says inactive.
    const unknown = await listTools('opaque-token-the-idp-never-issued');
    expect(unknown.status).toBe(401);
    expect(((await unknown.json()) as { error_description: string }).error_description).toMatch(/not active/);
  });

  it('publishes protected resource metadata naming the IdP as authorization server', async () => {
    const prm = (await (await fetch(`http://localhost:${port}/.well-known/oauth-protected-resource/mcp`)).json()) as Record<
      string,
      unknown
    >;
    expect(prm).toMatchObject({ resource: mcpUrl, authorization_servers: [idp.issuer], scopes_supported: ['mcp:read'] });
    expect((await fetch(`http://localhost:${port}/.well-known/oauth-authorization-server`)).status).toBe(404);
  });

  it('a forged token identical to a valid one in all but one respect is refused for that respect, and audited', async () => {
    const control = await forge({});
    expect((await listTools(control)).status).toBe(200);
    const valid = control.split('.');
    const tampered = `${valid[0]}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(valid[1] as string, 'base64url').toString()), sub: 'root' })).toString('base64url')}.${valid[2]}`;
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${valid[1]}.`;
    const cases: [string, string, RegExp][] = [
      ['expired', await forge({ exp: Math.floor(Date.now() / 1000) - 3600 }), /expired/],
      ['wrong audience', await forge({ aud: 'https://other.example/mcp' }), /aud/],
      ['wrong issuer', await forge({ iss: 'https://evil.example' }), /iss/],
      ['tampered payload', tampered, /signature/],
      ['alg none', unsigned, /malformed|algorithm/],
      ['unknown key', await forge({}, { kid: 'not-a-key' }), /no key|malformed/],
      ['garbage', 'not-a-token', /introspection|not a JWT|active/],
    ];
    for (const [what, token, reason] of cases) {
      const res = await listTools(token);
      expect(res.status, what).toBe(401);
      const challenge = res.headers.get('www-authenticate') ?? '';
      expect(challenge, what).toContain('error="invalid_token"');
      expect(challenge, what).toContain(`resource_metadata="http://localhost:${port}/.well-known/oauth-protected-resource/mcp"`);
      expect(((await res.json()) as { error_description: string }).error_description, what).toMatch(reason);
    }
    const missing = await listTools();
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="http://localhost:${port}/.well-known/oauth-protected-resource/mcp", scope="mcp:read"`,
    );
    await new Promise((r) => setTimeout(r, 1500));
    const refusals = auditRecords().filter((r) => r.type === 'auth');
    expect(refusals.length).toBeGreaterThanOrEqual(cases.length + 1);
    expect(refusals.every((r) => r.status === 'error' && r.caller === 'http')).toBe(true);
    // Auth records are audit records like any other: the versioned schema, its field order, no token in them.
    for (const r of refusals) {
      expect(Object.keys(r)).toEqual(kRecordSchema.required);
      expect(validateRecord(r), JSON.stringify(validateRecord.errors)).toBe(true);
    }
    expect(readFileSync(project.path('audit/auth.jsonl'), 'utf8')).not.toContain(control.split('.')[2] as string);
  });

  it('a token without a required scope gets 403 insufficient_scope', async () => {
    const res = await listTools(await forge({ scope: 'openid' }));
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="insufficient_scope", .*scope="mcp:read", resource_metadata=/);
  });

  it('a session is bound to its user: another user with a valid token cannot use its Mcp-Session-Id', async () => {
    const init = await listTools(await forge({ sub: 'dave' }));
    const sid = init.headers.get('mcp-session-id') as string;
    expect(sid).toBeTruthy();
    const use = async (sub: string) =>
      fetch(mcpUrl, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await forge({ sub })}`,
          'content-type': 'application/json',
          accept: 'application/json',
          'mcp-session-id': sid,
          'mcp-protocol-version': '2025-06-18',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
      });
    expect((await use('dave')).status).toBe(200);
    expect((await use('erin')).status).toBe(404);
  });

  it('a token in the query string is not accepted', async () => {
    const res = await fetch(`${mcpUrl}?access_token=${realToken}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
  });

  it('IdP down: cached keys keep verifying; a daemon that never reached the IdP fails closed with 503', async () => {
    await idp.close();
    expect((await listTools(await forge({ sub: 'carol' }))).status).toBe(200);
    await daemon.stop('SIGTERM'); // it holds the DuckDB file
    const fresh = await startDaemon(project, [], { env: { MXCP_CONFIG_PATH: project.path('user-config.yml') } });
    try {
      const res = await fetch(`http://localhost:${fresh.port}/mcp`, {
        method: 'POST',
        headers: { authorization: `Bearer ${realToken}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: 'temporarily_unavailable' });
      expect((await fetch(`http://localhost:${fresh.port}/health`)).status).toBe(200);
    } finally {
      await fresh.stop('SIGKILL');
    }
  });
});
