/**
 * Plugins across a SIGHUP of a real daemon, under continuous calls (issue 6 "must show"): a udf plugin
 * whose version changed on disk is replaced in the next generation, and a secret rotated in its backend
 * (Vault, here a local server speaking the KV v2 API, since no Vault can run here) reaches endpoint code,
 * without a restart and without one failed request.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeServer, fakeVault, type VaultState } from './plugins.fake-servers.js';
import type { TempProject } from './support/project.js';
import { type Daemon, post, serveProject, startDaemon } from './support/serve-daemon.js';

let project: TempProject | undefined;
let daemon: Daemon | undefined;
let vault: FakeServer | undefined;
let pluginDir: string | undefined;
afterEach(async () => {
  await daemon?.stop('SIGKILL');
  await vault?.close();
  project?.remove();
  if (pluginDir) rmSync(pluginDir, { recursive: true, force: true });
  daemon = project = vault = pluginDir = undefined;
});

/** Version `version` of an out-of-tree udf plugin: `shout(s)` upper-cases and appends `suffix`. */
function writeShout(base: string, version: string, suffix: string): void {
  const dir = join(base, 'shout');
  mkdirSync(dir, { recursive: true });
  const manifest = {
    name: 'fixture-shout',
    version,
    type: 'module',
    mxcp: { kind: 'udf', sdk: '^0.1.0', entry: './index.js', configSchema: {} },
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
  writeFileSync(
    join(dir, 'index.js'),
    [
      "import { definePlugin } from 'mxcp/sdk';",
      'export default definePlugin({',
      "  kind: 'udf',",
      `  create: () => ({ functions: { shout: { parameters: ['VARCHAR'], returns: 'VARCHAR' } }, shout: (s) => s.toUpperCase() + ${JSON.stringify(suffix)} }),`,
      '});',
      '',
    ].join('\n'),
  );
}

const kSite = 'mxcp: 1\nproject: serve-demo\nprofile: dev\nplugin:\n  - name: s\n    module: fixture-shout\n';
const kShoutTool = 'mxcp: 1\ntool:\n  name: shout\n  return: {type: string}\n  source:\n    code: "SELECT shout_s(\'hi\') AS v"\n';
const kTokenTool = 'mxcp: 1\ntool:\n  name: token\n  language: typescript\n  return: {type: string}\n  source:\n    file: ../ts/token.ts\n';
const kTokenTs = "import { config } from 'mxcp/sdk';\nexport function token() {\n  return String(config.getSecret('api')?.token);\n}\n";

describe('plugins across SIGHUP', () => {
  it('a replaced udf plugin version and a rotated Vault secret take effect on SIGHUP with no failed request', {
    timeout: 120_000,
  }, async () => {
    const state: VaultState = { token: 'root-token', mounts: { secret: { version: 2, secrets: { app: { token: 'token-v1' } } } } };
    vault = await fakeVault(state);
    pluginDir = mkdtempSync(join(tmpdir(), 'mxcp-sighup-plugins-'));
    writeShout(pluginDir, '1.0.0', '!');
    project = serveProject({
      'mxcp-site.yml': kSite,
      'tools/shout.yml': kShoutTool,
      'tools/token.yml': kTokenTool,
      'ts/token.ts': kTokenTs,
    });
    project.write(
      '../home/.mxcp/config.yml',
      `mxcp: 1\nvault:\n  enabled: true\n  address: ${vault.url}\nprojects:\n  serve-demo:\n    profiles:\n      dev:\n        secrets:\n          - name: api\n            type: custom\n            parameters:\n              token: "vault://secret/app#token"\n`,
    );
    const d = await startDaemon(project, ['--stateless'], { env: { MXCP_PLUGIN_PATH: pluginDir, VAULT_TOKEN: 'root-token' } });
    daemon = d;
    const call = async (name: string): Promise<string> => {
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: {} } });
      const res = await post(`${d.base}/mcp`, body, { 'mcp-protocol-version': '2025-11-25' });
      const r = (res.json() as { result?: { isError?: boolean; structuredContent?: { result: string } } }).result;
      if (res.status !== 200 || !r || r.isError) throw new Error(`${name}: ${res.text}`);
      return r.structuredContent?.result as string;
    };
    expect(await call('shout')).toBe('HI!');
    expect(await call('token')).toBe('token-v1');

    let stop = false;
    const failures: string[] = [];
    const seen = { shout: new Set<string>(), token: new Set<string>() };
    const client = async (name: 'shout' | 'token') => {
      while (!stop) {
        try {
          seen[name].add(await call(name));
        } catch (err) {
          failures.push(String(err));
        }
      }
    };
    const clients = [client('shout'), client('token'), client('shout'), client('token')];
    writeShout(pluginDir, '2.0.0', '!!');
    state.mounts.secret!.secrets.app = { token: 'token-v2' };
    d.child.kill('SIGHUP');
    const deadline = Date.now() + 60_000;
    while (!(seen.shout.has('HI!!') && seen.token.has('token-v2'))) {
      if (Date.now() > deadline) throw new Error(`not picked up: ${JSON.stringify([...seen.shout, ...seen.token])}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    stop = true;
    await Promise.all(clients);
    expect(failures.slice(0, 3)).toEqual([]);
    expect([...seen.shout].sort()).toEqual(['HI!', 'HI!!']);
    expect([...seen.token].sort()).toEqual(['token-v1', 'token-v2']);
    // Once swapped, only the new versions answer.
    expect(await call('shout')).toBe('HI!!');
    expect(await call('token')).toBe('token-v2');
  });
});
