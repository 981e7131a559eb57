/**
 * The built-in `vault://path#key` backend against a small local HTTP(S) server that speaks Vault's KV v2 and
 * KV v1 API (spec/plugins.fake-servers.ts): no Vault server can be installed here. The plugin is the real
 * one, loaded through discovery, talking HTTP through undici.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeServer, fakeVault, type VaultState } from './plugins.fake-servers.js';
import { captureLogger, load, pluginEnv } from './plugins.helpers.js';
import { type TempProject, tempProject } from './support/project.js';

const kToken = 'vault-root-token-canary';
let server: FakeServer;
const state: VaultState = {
  token: kToken,
  mounts: {
    secret: { version: 2, secrets: { 'app/db': { password: 's3cr3t-v2-canary', user: 'svc', port: 5432 } } },
    kv1: { version: 1, secrets: { legacy: { token: 'v1-secret-canary' } } },
  },
};

let project: TempProject | undefined;

beforeAll(async () => {
  server = await fakeVault(state);
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  project?.remove();
  project = undefined;
});

function userConfig(vault: string, params: Record<string, string>): string {
  const lines = Object.entries(params).map(([k, v]) => `              ${k}: "${v}"`);
  return `mxcp: 1\nvault:\n${vault}\nprojects:\n  demo:\n    profiles:\n      dev:\n        secrets:\n          - name: db\n            type: custom\n            parameters:\n${lines.join('\n')}\n`;
}

async function resolveWith(vault: string, params: Record<string, string>, env: Record<string, string> = { VAULT_TOKEN: kToken }) {
  project = tempProject();
  const log = captureLogger();
  const fullEnv = pluginEnv({ ...env, MXCP_CONFIG_PATH: project.write('config.yml', userConfig(vault, params)) });
  const config = await load(project, fullEnv, log);
  return { parameters: config.userProfile.secrets[0]?.parameters ?? {}, log };
}

async function failure(
  vault: string,
  params: Record<string, string>,
  env?: Record<string, string>,
): Promise<{ code: string; message: string }> {
  return resolveWith(vault, params, env).then(
    () => {
      throw new Error('expected the load to fail');
    },
    (e: unknown) => e as { code: string; message: string },
  );
}

describe('vault:// secret backend (against a local server speaking the Vault KV API)', () => {
  it('reads KV v2 (first path segment = mount) and falls back to KV v1', async () => {
    const { parameters } = await resolveWith(`  enabled: true\n  address: ${server.url}`, {
      password: 'vault://secret/app/db#password',
      port: 'vault://secret/app/db#port',
      legacy: 'vault://kv1/legacy#token',
    });
    expect(parameters).toEqual({ password: 's3cr3t-v2-canary', port: '5432', legacy: 'v1-secret-canary' });
    expect(server.requests.map((r) => r.path)).toContain('/v1/kv1/data/legacy');
    expect(server.requests.map((r) => r.path)).toContain('/v1/kv1/legacy');
  });

  it('honours vault.mount_point, vault.token_env, VAULT_ADDR and vault.namespace', async () => {
    const { parameters } = await resolveWith(
      '  enabled: true\n  mount_point: secret\n  token_env: MY_VAULT_TOKEN\n  namespace: team-a',
      { user: 'vault://app/db#user' },
      { MY_VAULT_TOKEN: kToken, VAULT_ADDR: server.url },
    );
    expect(parameters).toEqual({ user: 'svc' });
    expect(server.requests.at(-1)?.headers['x-vault-namespace']).toBe('team-a');
  });

  it('reads each secret path once per load', async () => {
    const before = server.requests.length;
    await resolveWith(`  enabled: true\n  address: ${server.url}`, {
      a: 'vault://secret/app/db#password',
      b: 'vault://secret/app/db#user',
    });
    expect(server.requests.length - before).toBe(1);
  });

  it("fails with MXCP's messages, naming the key path and never a secret value or the token", async () => {
    const cases: [string, Record<string, string>, Record<string, string> | undefined, RegExp][] = [
      ['  enabled: false', { p: 'vault://secret/app/db#password' }, undefined, /Vault is not enabled in configuration/],
      [`  enabled: true\n  address: ${server.url}`, { p: 'vault://secret/app/db' }, undefined, /names no key/],
      ['  enabled: true', { p: 'vault://secret/app/db#password' }, { VAULT_TOKEN: kToken }, /Vault address is not configured/],
      [
        `  enabled: true\n  address: ${server.url}`,
        { p: 'vault://secret/app/db#password' },
        {},
        /Vault token not found in environment variable VAULT_TOKEN/,
      ],
      [
        `  enabled: true\n  address: ${server.url}`,
        { p: 'vault://secret/app/db#nope' },
        undefined,
        /Key 'nope' not found in Vault secret 'secret\/app\/db'/,
      ],
      [
        `  enabled: true\n  address: ${server.url}`,
        { p: 'vault://secret/missing#k' },
        undefined,
        /Secret 'secret\/missing' not found in Vault/,
      ],
      [
        `  enabled: true\n  address: ${server.url}`,
        { p: 'vault://secret/app/db#password' },
        { VAULT_TOKEN: 'wrong' },
        /denied access.*HTTP 403.*permission denied/,
      ],
      [
        '  enabled: true\n  address: http://127.0.0.1:1',
        { p: 'vault://secret/app/db#password' },
        undefined,
        /Cannot reach Vault at http:\/\/127\.0\.0\.1:1: ECONNREFUSED/,
      ],
    ];
    for (const [vault, params, env, message] of cases) {
      const err = await failure(vault, params, env);
      expect(err.code).toBe('MXCP_E_REF_UNRESOLVED');
      expect(err.message).toMatch(message);
      expect(err.message).toContain("'projects.demo.profiles.dev.secrets.0.parameters.p'");
      for (const secret of [kToken, 's3cr3t-v2-canary', 'v1-secret-canary']) expect(err.message).not.toContain(secret);
      project?.remove();
      project = undefined;
    }
  });

  it('picks up a secret rotated in Vault on the next load', async () => {
    const vault = `  enabled: true\n  address: ${server.url}`;
    expect((await resolveWith(vault, { p: 'vault://secret/app/db#password' })).parameters.p).toBe('s3cr3t-v2-canary');
    project?.remove();
    const secrets = state.mounts.secret!.secrets;
    secrets['app/db'] = { ...secrets['app/db'], password: 'rotated-canary' };
    try {
      expect((await resolveWith(vault, { p: 'vault://secret/app/db#password' })).parameters.p).toBe('rotated-canary');
    } finally {
      secrets['app/db'] = { ...secrets['app/db'], password: 's3cr3t-v2-canary' };
    }
  });

  describe('over TLS', () => {
    let dir: string;
    let tlsServer: FakeServer | undefined;
    const hasOpenssl = (() => {
      try {
        execFileSync('openssl', ['version'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    })();

    beforeAll(async () => {
      if (!hasOpenssl) return;
      dir = mkdtempSync(join(tmpdir(), 'mxcp-vault-tls-'));
      const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
      run(
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'ca.key',
        '-out',
        'ca.pem',
        '-days',
        '1',
        '-subj',
        '/CN=mxcp-test-ca',
      );
      run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', '/CN=127.0.0.1');
      execFileSync('sh', ['-c', "printf 'subjectAltName=IP:127.0.0.1' > ext.cnf"], { cwd: dir });
      run(
        'x509',
        '-req',
        '-in',
        'srv.csr',
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        'srv.pem',
        '-days',
        '1',
        '-extfile',
        'ext.cnf',
      );
      tlsServer = await fakeVault(state, {
        key: readFileSync(join(dir, 'srv.key'), 'utf8'),
        cert: readFileSync(join(dir, 'srv.pem'), 'utf8'),
      });
    });
    afterAll(async () => {
      await tlsServer?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it.skipIf(!hasOpenssl)('verifies the certificate: refused without the CA, accepted with vault.ca_cert', async () => {
      const url = tlsServer!.url;
      const err = await failure(`  enabled: true\n  address: ${url}`, { p: 'vault://secret/app/db#password' });
      expect(err.message).toMatch(
        /Cannot reach Vault at https:\/\/127\.0\.0\.1:\d+: (SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)/,
      );
      project?.remove();
      const ok = await resolveWith(`  enabled: true\n  address: ${url}\n  ca_cert: ${join(dir, 'ca.pem')}`, {
        p: 'vault://secret/app/db#password',
      });
      expect(ok.parameters.p).toBe('s3cr3t-v2-canary');
    });
  });
});
