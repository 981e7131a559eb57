/**
 * Discovery order and sources (DESIGN 5, 8): built-ins (dist/plugins, sorted), the project's plugins/
 * (sorted), each MXCP_PLUGIN_PATH directory in the given order (sub-folders sorted), then the npm packages
 * of `plugins.packages` in the listed order. The first plugin with a name wins; built-ins load through
 * exactly the same path as the others. `mxcp plugins` shows all of it, broken ones with their code.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pluginCatalog } from '../daemon/plugins/catalog.js';
import { discoverPlugins } from '../daemon/plugins/discover.js';
import { builtinFolders, kFixtures, pluginEnv } from './plugins.helpers.js';
import { runCli } from './support/cli.js';
import { type TempProject, tempProject } from './support/project.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function writePlugin(dir: string, name: string, kind = 'model-provider'): void {
  mkdirSync(dir, { recursive: true });
  const mxcp = { kind, sdk: '^0.1.0', entry: './index.js', configSchema: {}, ...(kind === 'secret-backend' ? { provides: ['env'] } : {}) };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', mxcp }));
  writeFileSync(join(dir, 'index.js'), "export default () => ({ types: ['x'], async complete() {} });\n");
}

function project(): TempProject {
  const p = tempProject();
  cleanups.push(() => p.remove());
  return p;
}

describe('plugin discovery', () => {
  it('is deterministic: built-ins, project plugins/, MXCP_PLUGIN_PATH dirs in order, then packages', async () => {
    const p = project();
    writePlugin(p.path('plugins/zeta'), 'proj-zeta');
    writePlugin(p.path('plugins/alpha'), 'proj-alpha');
    writePlugin(p.path('node_modules/@acme/pkg-model'), '@acme/pkg-model');
    const pathA = mkdtempSync(join(tmpdir(), 'mxcp-path-a-'));
    const pathB = mkdtempSync(join(tmpdir(), 'mxcp-path-b-'));
    cleanups.push(() => rmSync(pathA, { recursive: true, force: true }));
    cleanups.push(() => rmSync(pathB, { recursive: true, force: true }));
    writePlugin(join(pathB, 'b2'), 'path-b2');
    writePlugin(join(pathB, 'b1'), 'path-b1');
    writePlugin(join(pathA, 'a1'), 'path-a1');

    const records = await discoverPlugins({
      cwd: p.root,
      projectPluginsDir: p.path('plugins'),
      pluginPath: `${pathB}:${pathA}`,
      packages: ['@acme/pkg-model'],
      packageBase: p.root,
    });
    expect(records.map((r) => [r.source, r.name])).toEqual([
      ...builtinFolders().map((folder) => ['builtin', `@mxcp/${folder}`]),
      ['project', 'proj-alpha'],
      ['project', 'proj-zeta'],
      ['path', 'path-b1'],
      ['path', 'path-b2'],
      ['path', 'path-a1'],
      ['package', '@acme/pkg-model'],
    ]);
    expect(records.every((r) => r.failure === undefined)).toBe(true);
  });

  it('a project plugin reusing a built-in name is the duplicate; the built-in stays in use', async () => {
    const p = project();
    writePlugin(p.path('plugins/env'), '@mxcp/secret-env', 'secret-backend');
    const { plugins } = await pluginCatalog({ cwd: p.root, env: pluginEnv({}), home: p.home });
    const both = plugins.filter((x) => x.name === '@mxcp/secret-env');
    expect(both.map((x) => [x.source, x.status, x.code ?? null])).toEqual([
      ['builtin', 'ok', null],
      ['project', 'error', 'MXCP_E_PLUGIN_DUPLICATE'],
    ]);
  });

  it('mxcp plugins prints a table and, for broken plugins, the code and message', async () => {
    const p = project();
    const env = { MXCP_PLUGIN_PATH: join(kFixtures, 'failures', 'entry-throws') };
    const r = await runCli(['plugins'], { cwd: p.root, home: p.home, env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^NAME\s+KIND\s+VERSION\s+SOURCE\s+STATUS\s+DIR/);
    expect(r.stdout).toMatch(/@mxcp\/executor-sql\s+executor\s+0\.1\.0\s+builtin\s+ok/);
    expect(r.stdout).toMatch(/fixture-entry-throws\s+auth-provider\s+1\.0\.0\s+path\s+error/);
    expect(r.stdout).toContain(
      "✗ fixture-entry-throws: Plugin 'fixture-entry-throws' entry module failed to load: boom while importing (MXCP_E_PLUGIN_ENTRY_LOAD)",
    );
  });

  it('mxcp plugins works outside a project (built-ins and MXCP_PLUGIN_PATH)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxcp-noproject-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const r = await runCli(['plugins', '--json-output'], { cwd: dir, home: dir });
    const { result } = r.json<{ status: string; result: { project: string | null; plugins: { source: string }[] } }>();
    expect(result.project).toBeNull();
    expect(result.plugins.map((x) => x.source)).toEqual(builtinFolders().map(() => 'builtin'));
  });
});
