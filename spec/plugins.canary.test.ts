/**
 * Canary: secret values resolved by plugins never appear in logs (the CLI's stderr at debug level),
 * `mxcp plugins` output, or error messages. The values come from every kind of backend at once: the Vault
 * backend (against a local server speaking Vault's KV API), the example dotenv backend, file:// and ${VAR}.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeServer, fakeVault } from './plugins.fake-servers.js';
import { kExamples } from './plugins.helpers.js';
import { type CliResult, runCli } from './support/cli.js';
import { type TempProject, tempProject } from './support/project.js';

const kCanaries = {
  vault: 'CANARY-vault-7f3a9c',
  token: 'CANARY-vault-token-51d2',
  dotenv: 'CANARY-dotenv-e81b',
  file: 'CANARY-file-0c44',
  env: 'CANARY-env-9a17',
};

let server: FakeServer;
let project: TempProject;
let env: Record<string, string>;

function expectNoCanary(r: CliResult): void {
  for (const value of Object.values(kCanaries)) {
    expect(r.stdout, `stdout leaks ${value}`).not.toContain(value);
    expect(r.stderr, `stderr leaks ${value}`).not.toContain(value);
  }
}

beforeAll(async () => {
  server = await fakeVault({
    token: kCanaries.token,
    mounts: { secret: { version: 2, secrets: { app: { greeting: kCanaries.vault, other: 'x' } } } },
  });
  project = tempProject({
    'mxcp-site.yml': 'mxcp: 1\nproject: demo\nprofile: dev\nplugin:\n  - name: txt\n    module: udf-text\n    config: text\n',
    'tools/hello.yml':
      'mxcp: 1\ntool:\n  name: hello\n  description: greets\n  source:\n    code: "SELECT length(greet_txt(\'x\')) AS n"\n',
    'secrets.env': `TOKEN=${kCanaries.dotenv}\n`,
    'secret.txt': `${kCanaries.file}\n`,
  });
  const user = (greetingKey: string) =>
    [
      'mxcp: 1',
      'vault:',
      '  enabled: true',
      `  address: ${server.url}`,
      'plugins:',
      '  config:',
      '    secret-dotenv:',
      `      file: ${project.path('secrets.env')}`,
      '    audit-lines:',
      `      path: ${project.path('audit.jsonl')}`,
      'projects:',
      '  demo:',
      '    profiles:',
      '      dev:',
      '        secrets:',
      '          - name: api',
      '            type: http',
      '            parameters:',
      '              BEARER_TOKEN: "dotenv://TOKEN"',
      '          - name: other',
      '            type: custom',
      '            parameters:',
      `              key: "file://${project.path('secret.txt')}"`,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${VAR} reference for the env backend
      '              env: "${API_KEY}"',
      '        plugin:',
      '          config:',
      '            text:',
      `              greeting: "vault://secret/app#${greetingKey}"`,
      '',
    ].join('\n');
  project.write('config.yml', user('greeting'));
  project.write('broken.yml', user('missing'));
  env = {
    MXCP_PLUGIN_PATH: kExamples,
    MXCP_CONFIG_PATH: project.path('config.yml'),
    MXCP_LOG_LEVEL: 'debug',
    VAULT_TOKEN: kCanaries.token,
    API_KEY: kCanaries.env,
  };
});

afterAll(async () => {
  project.remove();
  await server.close();
});

describe('secret canary', () => {
  it('mxcp run at debug level: the values are used but never logged', async () => {
    const r = await runCli(['run', 'tool', 'hello', '--json-output'], { cwd: project.root, home: project.home, env });
    expect(r.json()).toEqual({ status: 'ok', result: [{ n: kCanaries.vault.length + 2 }] });
    expect(r.stderr).toContain('"level":"debug"'); // debug logging really was on
    expectNoCanary(r);
  });

  it('mxcp plugins (human and JSON) never shows them', async () => {
    expectNoCanary(await runCli(['plugins', '--json-output'], { cwd: project.root, home: project.home, env }));
    expectNoCanary(await runCli(['plugins'], { cwd: project.root, home: project.home, env }));
  });

  it('an error while resolving names the reference, not the values next to it', async () => {
    const broken = { ...env, MXCP_CONFIG_PATH: project.path('broken.yml') };
    const r = await runCli(['run', 'tool', 'hello', '--json-output'], { cwd: project.root, home: project.home, env: broken });
    expect(r.code).toBe(1);
    expect(r.json()).toMatchObject({ status: 'error', code: 'MXCP_E_REF_UNRESOLVED' });
    expect(r.json<{ error: string }>().error).toContain("Key 'missing' not found in Vault secret 'secret/app'");
    expectNoCanary(r);
    const human = await runCli(['run', 'tool', 'hello', '--debug'], { cwd: project.root, home: project.home, env: broken });
    expectNoCanary(human);
  });
});
