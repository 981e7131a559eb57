/**
 * Reload: each generation build discovers and loads plugins afresh. A plugin whose files changed is
 * evaluated again (its own relative modules included) while an unchanged one is not re-evaluated; secrets
 * are resolved again, so a value rotated in its backend reaches the next generation. Two generations are
 * built in-process, as the daemon does on SIGHUP (build beside, swap, close the old one).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pluginCatalog } from '../daemon/plugins/catalog.js';
import { build, captureLogger, pluginEnv, sql } from './plugins.helpers.js';
import { type TempProject, tempProject } from './support/project.js';

let project: TempProject | undefined;
let pluginDir: string | undefined;

afterEach(() => {
  project?.remove();
  if (pluginDir) rmSync(pluginDir, { recursive: true, force: true });
  project = undefined;
  pluginDir = undefined;
});

/** Writes version `version` of an out-of-tree udf plugin whose suffix lives in a second module. */
function writePlugin(base: string, version: string, suffix: string): void {
  const dir = join(base, 'shout');
  mkdirSync(dir, { recursive: true });
  const manifest = {
    name: 'fixture-shout',
    version,
    type: 'module',
    mxcp: { kind: 'udf', sdk: '^0.1.0', entry: './index.js', configSchema: {} },
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
  writeFileSync(join(dir, 'suffix.js'), `export const suffix = ${JSON.stringify(suffix)};\n`);
  writeFileSync(
    join(dir, 'index.js'),
    [
      "import { definePlugin } from 'mxcp/sdk';",
      "import { suffix } from './suffix.js';",
      '// Counts evaluations of this module, to show an unchanged plugin is not evaluated again.',
      'globalThis.__fixtureShoutEvaluations = (globalThis.__fixtureShoutEvaluations ?? 0) + 1;',
      'export default definePlugin({',
      "  kind: 'udf',",
      "  create: () => ({ functions: { shout: { parameters: ['VARCHAR'], returns: 'VARCHAR' } }, shout: (s) => s.toUpperCase() + suffix }),",
      '});',
      '',
    ].join('\n'),
  );
}

const evaluations = () => (globalThis as { __fixtureShoutEvaluations?: number }).__fixtureShoutEvaluations ?? 0;

describe('reload', () => {
  it("replaces a plugin's version in the next generation; an unchanged plugin is not evaluated again", async () => {
    pluginDir = mkdtempSync(join(tmpdir(), 'mxcp-plugins-'));
    writePlugin(pluginDir, '1.0.0', '!');
    project = tempProject({ 'mxcp-site.yml': 'mxcp: 1\nproject: demo\nprofile: dev\nplugin:\n  - name: s\n    module: fixture-shout\n' });
    const env = pluginEnv({ MXCP_PLUGIN_PATH: pluginDir, MXCP_CONFIG_PATH: project.write('config.yml', 'mxcp: 1\n') });
    const log = captureLogger();
    const before = evaluations();

    const gen1 = await build(project, env, log);
    expect(await sql(gen1.generation, "SELECT shout_s('hey') AS v")).toEqual([{ v: 'HEY!' }]);
    const same = await build(project, env, log);
    expect(evaluations() - before).toBe(1);
    await same.generation.close('reload');

    // Version 2 changes only the second module; the whole plugin is evaluated afresh.
    writePlugin(pluginDir, '2.0.0', '?');
    const gen2 = await build(project, env, log);
    expect(evaluations() - before).toBe(2);
    await gen1.generation.close('reload'); // the swap: the old generation drains and closes
    expect(await sql(gen2.generation, "SELECT shout_s('hey') AS v")).toEqual([{ v: 'HEY?' }]);
    const { plugins } = await pluginCatalog({ cwd: project.root, env, home: project.home });
    expect(plugins.find((p) => p.name === 'fixture-shout')).toMatchObject({ version: '2.0.0', status: 'ok' });
    await gen2.generation.close('shutdown');
  });

  it('resolves references again on every build: a secret rotated in its backend reaches the next generation', async () => {
    project = tempProject({ 'secret.txt': 'first-value\n' });
    const secretFile = project.path('secret.txt');
    const user = `mxcp: 1\nprojects:\n  demo:\n    profiles:\n      dev:\n        secrets:\n          - name: api\n            type: custom\n            parameters:\n              key: "file://${secretFile}"\n`;
    const env = pluginEnv({ MXCP_CONFIG_PATH: project.write('config.yml', user) });
    const log = captureLogger();
    const gen1 = await build(project, env, log);
    expect(gen1.config.userProfile.secrets[0]?.parameters.key).toBe('first-value');
    writeFileSync(secretFile, 'rotated-value\n');
    const gen2 = await build(project, env, log);
    expect(gen2.config.userProfile.secrets[0]?.parameters.key).toBe('rotated-value');
    expect(gen1.config.userProfile.secrets[0]?.parameters.key).toBe('first-value');
    await gen1.generation.close('reload');
    await gen2.generation.close('shutdown');
  });
});
