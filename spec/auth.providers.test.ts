/**
 * Contract tests of the fixed-endpoint providers (github, google, atlassian, salesforce, keycloak): their
 * real endpoints are unreachable here, so a local server speaks each one's authorize, token and user
 * endpoints as documented, and checks what mxcp sends (client credentials, the exact callback URL, upstream
 * PKCE where the provider takes it and not where it does not, the provider's extra parameters). A full flow
 * then ends in a tool call whose SQL sees the user as each provider describes them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { cpSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loginRaw, whoami } from './support/oauth-flow.js';
import { tempProject } from './support/project.js';
import { freePort, startDaemon } from './support/serve-daemon.js';

const kFixture = fileURLToPath(new URL('./fixtures/auth/project/', import.meta.url));

interface ProviderCase {
  readonly name: 'github' | 'google' | 'atlassian' | 'salesforce' | 'keycloak';
  readonly pkce: boolean;
  readonly authorizeParams: Record<string, string>;
  readonly paths: { authorize: string; token: string; user: string };
  readonly tokenResponse: Record<string, unknown>;
  readonly profile: Record<string, unknown>;
  readonly expect: { username: string; email: string };
}

const kCases: ProviderCase[] = [
  {
    name: 'github',
    pkce: true,
    authorizeParams: {},
    paths: { authorize: '/login/oauth/authorize', token: '/login/oauth/access_token', user: '/api/user' },
    tokenResponse: { access_token: 'gho_upstream', token_type: 'bearer', scope: 'read:user,user:email' },
    profile: { id: 4242, login: 'octo', name: 'Octo Cat', email: null },
    expect: { username: 'octo', email: 'octo@example.com' }, // from /user/emails: primary and verified
  },
  {
    name: 'google',
    pkce: true,
    authorizeParams: { access_type: 'offline', prompt: 'consent' },
    paths: { authorize: '/o/oauth2/v2/auth', token: '/token', user: '/oauth2/v2/userinfo' },
    tokenResponse: {
      access_token: 'ya29.upstream',
      expires_in: 3599,
      refresh_token: '1//refresh',
      scope: 'openid email',
      token_type: 'Bearer',
    },
    profile: { id: '1098', email: 'gigi@example.com', name: 'Gi Gi', picture: 'https://example.com/p.png' },
    expect: { username: 'gigi', email: 'gigi@example.com' },
  },
  {
    name: 'atlassian',
    pkce: true,
    authorizeParams: { audience: 'api.atlassian.com', prompt: 'consent' },
    paths: { authorize: '/authorize', token: '/oauth/token', user: '/me' },
    tokenResponse: { access_token: 'atl_upstream', expires_in: 3600, scope: 'read:me' },
    profile: { account_id: 'acc-1', nickname: 'atlas', email: 'atlas@example.com', name: 'At Las' },
    expect: { username: 'atlas', email: 'atlas@example.com' },
  },
  {
    name: 'salesforce',
    pkce: false,
    authorizeParams: {},
    paths: { authorize: '/services/oauth2/authorize', token: '/services/oauth2/token', user: '/services/oauth2/userinfo' },
    tokenResponse: { access_token: '00Dxx!upstream', instance_url: 'https://example.my.salesforce.com', token_type: 'Bearer' },
    profile: { user_id: '005xx', preferred_username: 'sally@example.com', email: 'sally@example.com', name: 'Sally' },
    expect: { username: 'sally@example.com', email: 'sally@example.com' },
  },
  {
    name: 'keycloak',
    pkce: true,
    authorizeParams: {},
    paths: {
      authorize: '/realms/demo/protocol/openid-connect/auth',
      token: '/realms/demo/protocol/openid-connect/token',
      user: '/realms/demo/protocol/openid-connect/userinfo',
    },
    tokenResponse: { access_token: 'kc_upstream', expires_in: 300, refresh_token: 'kc_refresh', token_type: 'Bearer' },
    profile: { sub: 'kc-1', preferred_username: 'kcuser', email: 'kc@example.com', name: 'Key Cloak' },
    expect: { username: 'kcuser', email: 'kc@example.com' },
  },
];

/** One provider's endpoints, strict about what a correct client sends. */
async function fakeProvider(c: ProviderCase, callback: () => string): Promise<{ url: string; server: Server; seen: string[] }> {
  const codes = new Map<string, { challenge: string | null }>();
  const seen: string[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const fail = (why: string) => {
        seen.push(`FAIL ${why}`);
        res
          .writeHead(400, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'invalid_request', error_description: why }));
      };
      if (url.pathname === c.paths.authorize) {
        const q = url.searchParams;
        if (q.get('client_id') !== `${c.name}-client`) return fail('client_id');
        if (q.get('redirect_uri') !== callback()) return fail(`redirect_uri ${q.get('redirect_uri')}`);
        if (q.get('response_type') !== 'code') return fail('response_type');
        if (c.pkce !== (q.get('code_challenge_method') === 'S256')) return fail('pkce on authorize');
        for (const [k, v] of Object.entries(c.authorizeParams)) if (q.get(k) !== v) return fail(`param ${k}`);
        const code = randomBytes(8).toString('hex');
        codes.set(code, { challenge: q.get('code_challenge') });
        seen.push(`authorize scope=${q.get('scope')}`);
        res.writeHead(302, { location: `${callback()}?code=${code}&state=${encodeURIComponent(q.get('state') ?? '')}` }).end();
        return;
      }
      if (url.pathname === c.paths.token && req.method === 'POST') {
        const form = new URLSearchParams(await body(req));
        if (form.get('client_id') !== `${c.name}-client` || form.get('client_secret') !== 'upstream-secret')
          return fail('client credentials');
        if (form.get('grant_type') !== 'authorization_code') return fail('grant_type');
        if (form.get('redirect_uri') !== callback()) return fail('redirect_uri on token');
        const issued = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        if (!issued) return fail('code');
        const verifier = form.get('code_verifier');
        if (
          c.pkce &&
          createHash('sha256')
            .update(verifier ?? '')
            .digest('base64url') !== issued.challenge
        )
          return fail('code_verifier');
        if (!c.pkce && verifier !== null) return fail('unexpected code_verifier');
        seen.push('token');
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(c.tokenResponse));
        return;
      }
      const auth = req.headers.authorization;
      if (auth !== `Bearer ${String(c.tokenResponse.access_token)}`) return fail(`bearer on ${url.pathname}`);
      if (url.pathname === c.paths.user) {
        seen.push('user');
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(c.profile));
        return;
      }
      if (c.name === 'github' && url.pathname === `${c.paths.user}/emails`) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify([
            { email: 'old@example.com', primary: false, verified: true },
            { email: 'octo@example.com', primary: true, verified: true },
          ]),
        );
        return;
      }
      fail(`unknown path ${url.pathname}`);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, seen };
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    req.on('data', (d: Buffer) => {
      s += d.toString();
    });
    req.on('end', () => resolve(s));
  });
}

function providerBlock(c: ProviderCase, upstream: string): string {
  const common = `            client_id: ${c.name}-client\n            client_secret: upstream-secret\n`;
  if (c.name === 'keycloak') return `${common}            realm: demo\n            server_url: ${upstream}\n`;
  return `${common}            scope: openid email\n            auth_url: ${upstream}${c.paths.authorize}\n            token_url: ${upstream}${c.paths.token}\n            userinfo_url: ${upstream}${c.paths.user}\n`;
}

const servers: Server[] = [];
afterAll(() => {
  for (const s of servers) s.close();
});

describe('fixed-endpoint providers against a local server speaking their protocol', () => {
  for (const c of kCases) {
    it(`${c.name}: login through the provider, then SQL sees the user as ${c.name} describes them`, async () => {
      const port = await freePort();
      const base = `http://localhost:${port}`;
      const upstream = await fakeProvider(c, () => `${base}/${c.name}/callback`);
      servers.push(upstream.server);
      const project = tempProject({}, { site: null });
      cpSync(kFixture, project.root, { recursive: true });
      const config = project.write(
        'user-config.yml',
        `mxcp: 1\nprojects:\n  authdemo:\n    profiles:\n      dev:\n        auth:\n          provider: ${c.name}\n          ${c.name}:\n${providerBlock(c, upstream.url)}`,
      );
      const daemon = await startDaemon(project, [], { port, env: { MXCP_CONFIG_PATH: config } });
      try {
        const { access } = await loginRaw(base);
        expect(upstream.seen.filter((s) => s.startsWith('FAIL'))).toEqual([]);
        expect(upstream.seen).toContain('token');
        const who = await whoami(`${base}/mcp`, access);
        expect(who).toEqual({ ...c.expect, provider: c.name, has_upstream_token: true });
      } finally {
        await daemon.stop('SIGKILL');
        project.remove();
      }
    });
  }
});
