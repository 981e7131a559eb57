/**
 * The built-in `op://vault/item/field[?attribute=otp]` backend against a small local HTTP server speaking the
 * 1Password Connect REST API (spec/plugins.fake-servers.ts): no 1Password server can be installed here. The
 * plugin is the real one, loaded through discovery, talking HTTP through undici.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectState, type FakeServer, fakeConnect } from './plugins.fake-servers.js';
import { captureLogger, load, pluginEnv } from './plugins.helpers.js';
import { type TempProject, tempProject } from './support/project.js';

const kToken = 'connect-token-canary';
const kVaultId = 'vvvvvvvvvvvvvvvvvvvvvvvvvv';
const kItemId = 'iiiiiiiiiiiiiiiiiiiiiiiiii';
const state: ConnectState = {
  token: kToken,
  vaults: [
    {
      id: kVaultId,
      name: 'Prod',
      items: [
        {
          id: kItemId,
          title: 'Database',
          fields: [
            { id: 'password', label: 'password', value: 'op-password-canary', type: 'CONCEALED' },
            { id: 'abcdefgh', label: 'username', value: 'svc', type: 'STRING' },
            { id: 'otpfield', label: 'one-time password', type: 'OTP', value: 'otpauth://totp/x?secret=ABC', totp: '492039' },
          ],
        },
      ],
    },
  ],
};

let server: FakeServer;
let project: TempProject | undefined;

beforeAll(async () => {
  server = await fakeConnect(state);
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  project?.remove();
  project = undefined;
});

async function resolveWith(block: string, params: Record<string, string>, env: Record<string, string> = { OP_CONNECT_TOKEN: kToken }) {
  project = tempProject();
  const lines = Object.entries(params).map(([k, v]) => `              ${k}: "${v}"`);
  const config = `mxcp: 1\nonepassword:\n${block}\nprojects:\n  demo:\n    profiles:\n      dev:\n        secrets:\n          - name: db\n            type: custom\n            parameters:\n${lines.join('\n')}\n`;
  const loaded = await load(project, pluginEnv({ ...env, MXCP_CONFIG_PATH: project.write('config.yml', config) }), captureLogger());
  return loaded.userProfile.secrets[0]?.parameters ?? {};
}

describe('op:// secret backend (against a local server speaking the 1Password Connect API)', () => {
  it('resolves vault and item by name or id, field by label or id, and ?attribute=otp', async () => {
    const params = await resolveWith(`  enabled: true\n  connect_host: ${server.url}`, {
      password: 'op://Prod/Database/password',
      user: `op://${kVaultId}/${kItemId}/abcdefgh`,
      otp: 'op://Prod/Database/one-time password?attribute=otp',
    });
    expect(params).toEqual({ password: 'op-password-canary', user: 'svc', otp: '492039' });
    expect(server.requests.every((r) => r.headers.authorization === `Bearer ${kToken}`)).toBe(true);
    expect(server.requests.map((r) => r.path)).toContain(`/v1/vaults?filter=${encodeURIComponent('name eq "Prod"')}`);
  });

  it('takes the host from OP_CONNECT_HOST and the token from onepassword.connect_token_env', async () => {
    const params = await resolveWith(
      '  enabled: true\n  connect_token_env: MY_OP',
      { p: 'op://Prod/Database/password' },
      {
        MY_OP: kToken,
        OP_CONNECT_HOST: server.url,
      },
    );
    expect(params).toEqual({ p: 'op-password-canary' });
  });

  it('fails with clear messages that never carry a field value or the token', async () => {
    const enabled = `  enabled: true\n  connect_host: ${server.url}`;
    const cases: [string, string, Record<string, string> | undefined, RegExp][] = [
      ['  enabled: false', 'op://Prod/Database/password', undefined, /1Password is not enabled in configuration/],
      [enabled, 'op://Prod/Database', undefined, /is malformed/],
      ['  enabled: true', 'op://Prod/Database/password', undefined, /1Password Connect host is not configured/],
      [enabled, 'op://Prod/Database/password', {}, /token not found in environment variable OP_CONNECT_TOKEN/],
      [enabled, 'op://Prod/Database/password', { OP_CONNECT_TOKEN: 'wrong' }, /rejected the token \(HTTP 401\): Invalid bearer token/],
      [enabled, 'op://Staging/Database/password', undefined, /1Password vault 'Staging' not found/],
      [enabled, 'op://Prod/Nothing/password', undefined, /1Password item 'Nothing' in vault 'Prod' not found/],
      [enabled, 'op://Prod/Database/pin', undefined, /Field 'pin' not found in 1Password item 'Database'/],
      [enabled, 'op://Prod/Database/password?attribute=otp', undefined, /has no one-time password/],
    ];
    for (const [block, ref, env, message] of cases) {
      const err = await resolveWith(block, { p: ref }, env).then(
        () => ({ code: 'none', message: 'resolved' }),
        (e: unknown) => e as { code: string; message: string },
      );
      expect(err.code, ref).toBe('MXCP_E_REF_UNRESOLVED');
      expect(err.message).toMatch(message);
      for (const secret of [kToken, 'op-password-canary', '492039', 'otpauth']) expect(err.message).not.toContain(secret);
      project?.remove();
      project = undefined;
    }
  });

  it('picks up a value rotated in 1Password on the next load', async () => {
    const block = `  enabled: true\n  connect_host: ${server.url}`;
    expect(await resolveWith(block, { p: 'op://Prod/Database/password' })).toEqual({ p: 'op-password-canary' });
    project?.remove();
    const field = state.vaults[0]!.items[0]!.fields[0]!;
    field.value = 'op-rotated-canary';
    try {
      expect(await resolveWith(block, { p: 'op://Prod/Database/password' })).toEqual({ p: 'op-rotated-canary' });
    } finally {
      field.value = 'op-password-canary';
    }
  });
});
