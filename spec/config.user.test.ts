// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are YAML holding ${VAR} references on purpose
/**
 * The user config (reference section 3, checklist items 13 and 16): which file is read
 * (MXCP_CONFIG_PATH > MXCP_CONFIG > ~/.mxcp/config.yml, DESIGN section 3), and which references resolve.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { expectCommandError, writeUserConfig } from './support/coded.js';
import { type TempProject, tempProject } from './support/project.js';

let project: TempProject | undefined;
afterEach(() => project?.remove());

describe('user config', () => {
  it('item 16: MXCP_CONFIG naming a missing file exits 1; no file and no variable runs on defaults', async () => {
    project = tempProject();
    const missing = project.path('nowhere/config.yml');
    const [named, defaults] = await Promise.all([
      runCli(['list', '--json-output'], { cwd: project.root, home: project.home, env: { MXCP_CONFIG: missing } }),
      runCli(['list', '--json-output'], { cwd: project.root, home: project.home }),
    ]);
    expectCommandError(named, {
      code: 'MXCP_E_USER_CONFIG_NOT_FOUND',
      file: missing,
      message: `MXCP user config not found at ${missing} (named by MXCP_CONFIG)`,
    });
    expect(defaults.code).toBe(0);
    expect(defaults.json()).toEqual({ status: 'ok', result: { status: 'ok', endpoints: [] } });
  });

  it('MXCP_CONFIG_PATH beats MXCP_CONFIG, which beats ~/.mxcp/config.yml', async () => {
    project = tempProject();
    // Each candidate carries a different unknown key, so the error tells which file was read.
    const home = writeUserConfig(project, 'mxcp: 1\nfrom_home: 1\n');
    const viaConfig = project.write('via-config.yml', 'mxcp: 1\nfrom_mxcp_config: 1\n');
    const viaPath = project.write('via-path.yml', 'mxcp: 1\nfrom_mxcp_config_path: 1\n');
    const run = (env: Record<string, string>) => runCli(['list', '--json-output'], { cwd: project!.root, home: project!.home, env });
    const [both, configOnly, neither, relative] = await Promise.all([
      run({ MXCP_CONFIG_PATH: viaPath, MXCP_CONFIG: viaConfig }),
      run({ MXCP_CONFIG: viaConfig }),
      run({}),
      run({ MXCP_CONFIG_PATH: 'via-path.yml' }),
    ]);
    const want = (file: string, key: string) => ({
      code: 'MXCP_E_USER_CONFIG_INVALID',
      file,
      line: 2,
      message: new RegExp(`^Invalid user config: ${key}: unknown key '${key}'`),
    });
    expectCommandError(both, want(viaPath, 'from_mxcp_config_path'));
    expectCommandError(configOnly, want(viaConfig, 'from_mxcp_config'));
    expectCommandError(neither, want(home, 'from_home'));
    // A relative path is taken from the working directory.
    expectCommandError(relative, want(viaPath, 'from_mxcp_config_path'));
  });

  it('MXCP_CONFIG_PATH naming a missing file fails even when MXCP_CONFIG names a good one', async () => {
    project = tempProject();
    const good = project.write('good.yml', 'mxcp: 1\n');
    const missing = project.path('missing.yml');
    const r = await runCli(['list', '--json-output'], {
      cwd: project.root,
      home: project.home,
      env: { MXCP_CONFIG_PATH: missing, MXCP_CONFIG: good },
    });
    expectCommandError(r, { code: 'MXCP_E_USER_CONFIG_NOT_FOUND', file: missing, message: /named by MXCP_CONFIG_PATH/ });
  });

  it('item 13: ${VAR} resolves in the active profile only; an unset one elsewhere breaks nothing until selected', async () => {
    project = tempProject();
    writeUserConfig(
      project,
      [
        'mxcp: 1',
        'transport:',
        '  http:',
        '    port: ${MXCP_SPEC_PORT}',
        'projects:',
        '  demo:',
        '    profiles:',
        '      dev:',
        '        secrets:',
        '          - {name: api, type: custom, parameters: {key: "${MXCP_SPEC_DEV_KEY}"}}',
        '      prod:',
        '        secrets:',
        '          - {name: api, type: custom, parameters: {key: "${MXCP_SPEC_PROD_KEY}"}}',
        '        telemetry:',
        '          enabled: ${MXCP_SPEC_PROD_TELEMETRY}',
        '  other_project:',
        '    profiles:',
        '      dev:',
        '        secrets:',
        '          - {name: x, type: custom, parameters: {key: "${MXCP_SPEC_OTHER_PROJECT}"}}',
        '',
      ].join('\n'),
    );
    const env = { MXCP_SPEC_PORT: '8123', MXCP_SPEC_DEV_KEY: 'k' };
    const opts = { cwd: project.root, home: project.home };
    const [dev, prod] = await Promise.all([
      runCli(['list', '--json-output'], { ...opts, env }),
      runCli(['list', '--json-output', '--profile', 'prod'], { ...opts, env }),
    ]);
    // Neither prod's unset key, nor its not-yet-boolean telemetry flag, nor another project's secret matter for dev.
    expect(dev.code, dev.stdout).toBe(0);
    expectCommandError(prod, {
      code: 'MXCP_E_REF_UNRESOLVED',
      file: `${project.home}/.mxcp/config.yml`,
      line: 13,
      message:
        "Failed to resolve reference at 'projects.demo.profiles.prod.secrets.0.parameters.key': Environment variable MXCP_SPEC_PROD_KEY is not set (and 1 more unresolved reference)",
    });
    // Top-level keys are always resolved: an unset port fails every profile.
    const noPort = await runCli(['list', '--json-output'], { ...opts, env: { MXCP_SPEC_DEV_KEY: 'k' } });
    expectCommandError(noPort, {
      code: 'MXCP_E_REF_UNRESOLVED',
      file: `${project.home}/.mxcp/config.yml`,
      line: 4,
      message: /'transport\.http\.port'/,
    });
  });

  it('a file:// secret resolves relative to the working directory; a missing one names the path it tried', async () => {
    project = tempProject({ 'secrets/token.txt': '\n  s3cr3t  \n' });
    writeUserConfig(
      project,
      'mxcp: 1\nprojects:\n  demo:\n    profiles:\n      dev:\n        secrets:\n          - name: t\n            type: custom\n            parameters:\n              token: file://secrets/token.txt\n',
    );
    const [fromRoot, fromSubdir] = await Promise.all([
      runCli(['list', '--json-output'], { cwd: project.root, home: project.home }),
      runCli(['list', '--json-output'], { cwd: project.path('secrets'), home: project.home }),
    ]);
    expect(fromRoot.code, fromRoot.stdout).toBe(0);
    expectCommandError(fromSubdir, {
      code: 'MXCP_E_REF_UNRESOLVED',
      file: `${project.home}/.mxcp/config.yml`,
      line: 10,
      message: `Failed to resolve reference at 'projects.demo.profiles.dev.secrets.0.parameters.token': File not found: ${project.path('secrets/secrets/token.txt')}`,
    });
  });
});
