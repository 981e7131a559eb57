/**
 * Auth configuration as operators write it: the guide's site form (`auth: {enabled, provider}`) joined with
 * the user config's provider block, and the combinations that cannot work refused at start with a coded
 * error naming the key (MXCP's messages where it has one). stdio serves without auth, as in MXCP.
 */
import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';
import { kBin, runCli } from './support/cli.js';
import { type TempProject, tempProject } from './support/project.js';
import { freePort, startDaemon } from './support/serve-daemon.js';

const kFixture = fileURLToPath(new URL('./fixtures/auth/project/', import.meta.url));

let project: TempProject | undefined;
afterEach(() => {
  project?.remove();
  project = undefined;
});

function setUp(auth: string, site?: string): { p: TempProject; env: Record<string, string> } {
  const p = tempProject({}, { site: null });
  cpSync(kFixture, p.root, { recursive: true });
  if (site) p.write('mxcp-site.yml', site);
  const config = p.write('config.yml', `mxcp: 1\nprojects:\n  authdemo:\n    profiles:\n      dev:\n        auth:\n${auth}`);
  project = p;
  return { p, env: { MXCP_CONFIG_PATH: config } };
}

async function serveFails(auth: string, args: string[] = []): Promise<string> {
  const { p, env } = setUp(auth);
  const port = await freePort();
  const r = await runCli(['serve', '--port', String(port), ...args], { cwd: p.root, home: p.home, env, timeoutMs: 30_000 });
  expect(r.code).toBe(1);
  return r.stderr;
}

describe('auth configuration', () => {
  it("a provider without its block is refused with MXCP's message, naming the key", async () => {
    const err = await serveFails('          provider: github\n');
    expect(err).toContain('MXCP_E_AUTH_CONFIG');
    expect(err).toContain('projects.authdemo.profiles.dev.auth.github');
    expect(err).toContain('github provider selected but no github configuration found');
  });

  it('verifier mode accepts only oidc', async () => {
    const err = await serveFails(
      '          mode: verifier\n          provider: github\n          github:\n            client_id: a\n            client_secret: b\n',
    );
    expect(err).toContain('Verifier mode currently supports provider=oidc only');
  });

  it('an issuer on plain HTTP at a non-loopback address is refused (OAuth 2.1), unless base_url is https', async () => {
    const block = '          provider: github\n          github:\n            client_id: a\n            client_secret: b\n';
    const err = await serveFails(block, ['--host', '0.0.0.0']);
    expect(err).toContain('Issuer URL must be HTTPS');
  });

  it('an encryption key that is too short is refused', async () => {
    const err = await serveFails(
      '          provider: github\n          github:\n            client_id: a\n            client_secret: b\n          persistence:\n            encryption_key: short\n',
    );
    expect(err).toContain('auth.persistence.encryption_key');
  });

  it("the guide's site form (auth: {enabled: true, provider: github}) with the user's github block serves the OAuth metadata", async () => {
    const site = 'mxcp: 1\nproject: authdemo\nprofile: dev\nprofiles:\n  dev:\n    auth:\n      enabled: true\n      provider: github\n';
    const { p, env } = setUp(
      '          github:\n            client_id: Iv1.abc\n            client_secret: s3cret\n            scope: "read:user user:email"\n',
      site,
    );
    const port = await freePort();
    const daemon = await startDaemon(p, [], { port, env });
    try {
      const meta = await fetch(`http://localhost:${port}/.well-known/oauth-authorization-server`);
      expect(meta.status).toBe(200);
      // The authorize step sends the user to GitHub's public endpoint with the configured client and callback.
      const reg = await fetch(`http://localhost:${port}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ redirect_uris: ['http://127.0.0.1:1/cb'], token_endpoint_auth_method: 'none' }),
      });
      expect(reg.status).toBe(201);
      expect(daemon.stderr()).not.toContain('s3cret');
    } finally {
      await daemon.stop('SIGKILL');
    }
  });

  it('stdio has no auth: tools answer without a token even with a provider configured', async () => {
    const { p, env } = setUp('          provider: github\n          github:\n            client_id: a\n            client_secret: b\n');
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [kBin, 'serve', '--transport', 'stdio'],
      cwd: p.root,
      env: { ...(process.env as Record<string, string>), HOME: p.home, ...env },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'spec', version: '1.0.0' });
    await client.connect(transport);
    try {
      const who = await client.callTool({ name: 'whoami', arguments: {} });
      expect(JSON.parse((who.content as { text: string }[])[0]?.text ?? '')).toMatchObject({ username: null, provider: null });
    } finally {
      await client.close();
    }
  });
});
