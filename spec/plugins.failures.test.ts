/**
 * One fixture plugin per loading failure (spec/fixtures/plugins/failures/<case>/), each with its own coded
 * error, seen two ways: `mxcp plugins`' catalog (which loads as far as it can without building) and a real
 * configuration load + generation build, where a broken plugin of a security kind (these fixtures are
 * auth providers) fails the build: fail closed. An optional kind is reported and skipped instead. Audit
 * sinks, which the audit trail opens outside generations, fail closed the same way.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pluginCatalog } from '../daemon/plugins/catalog.js';
import { build, captureLogger, kFixtures, pluginEnv } from './plugins.helpers.js';
import { type TempProject, tempProject } from './support/project.js';

const failures = join(kFixtures, 'failures');
let project: TempProject | undefined;

afterEach(() => {
  project?.remove();
  project = undefined;
});

function setUp(fixture: string, userConfig?: string) {
  project = tempProject();
  const env = pluginEnv({
    MXCP_PLUGIN_PATH: join(failures, fixture),
    MXCP_CONFIG_PATH: userConfig ? project.write('config.yml', userConfig) : undefined,
  });
  return { project, env };
}

async function catalogEntry(fixture: string, name: string, userConfig?: string) {
  const { project, env } = setUp(fixture, userConfig);
  const { plugins } = await pluginCatalog({ cwd: project.root, env, home: project.home });
  const entry = plugins.find((p) => p.name === name && p.source !== 'builtin');
  expect(entry, `${name} in ${JSON.stringify(plugins.map((p) => p.name))}`).toBeDefined();
  return entry!;
}

async function buildError(fixture: string, userConfig?: string): Promise<{ code: string; message: string }> {
  const { project, env } = setUp(fixture, userConfig);
  const log = captureLogger();
  const err = await build(project, env, log).then(
    () => undefined,
    (e: unknown) => e as { code: string; message: string },
  );
  expect(err, 'the build should have failed').toBeDefined();
  return err!;
}

// fixture folder → plugin name → code; each is an auth provider, so each also fails the build.
const kCases: [string, string, string][] = [
  ['entry-missing', 'fixture-entry-missing', 'MXCP_E_PLUGIN_NOT_FOUND'],
  ['sdk-range', 'fixture-sdk-range', 'MXCP_E_PLUGIN_SDK_INCOMPATIBLE'],
  ['entry-throws', 'fixture-entry-throws', 'MXCP_E_PLUGIN_ENTRY_LOAD'],
  ['no-default', 'fixture-no-default', 'MXCP_E_PLUGIN_ENTRY_LOAD'],
  ['wrong-kind', 'fixture-wrong-kind', 'MXCP_E_PLUGIN_CONTRACT'],
  ['config-invalid', 'fixture-config-invalid', 'MXCP_E_PLUGIN_CONFIG_INVALID'],
  ['import-timeout', 'fixture-import-timeout', 'MXCP_E_PLUGIN_TIMEOUT'],
];

describe('plugin loading failures, each with its own code', () => {
  for (const [fixture, name, code] of kCases) {
    it(`${fixture}: ${code} in mxcp plugins and fails the build (security kind)`, async () => {
      const entry = await catalogEntry(fixture, name);
      expect(entry).toMatchObject({ status: 'error', code, kind: 'auth-provider' });
      const err = await buildError(fixture);
      expect(err.code).toBe(code);
      expect(err.message).toContain(name);
      expect(err.message).toContain('[required: auth-provider plugins fail closed]');
    });
  }

  it('sdk-range names the range and this SDK version', async () => {
    const err = await buildError('sdk-range');
    expect(err.message).toMatch(/requires mxcp SDK >=99\.0\.0 but this is \d+\.\d+\.\d+/);
  });

  it('contract: an instance missing a required method is refused after creation (MXCP_E_PLUGIN_CONTRACT)', async () => {
    const err = await buildError('contract');
    expect(err.code).toBe('MXCP_E_PLUGIN_CONTRACT');
    expect(err.message).toContain('fetchUserInfo must be a function');
  });

  it('init throws: MXCP_E_PLUGIN_INIT_FAILED with the cause', async () => {
    const err = await buildError('init-throws');
    expect(err.code).toBe('MXCP_E_PLUGIN_INIT_FAILED');
    expect(err.message).toContain('failed in init: init exploded');
  });

  it('a lifecycle hook that never settles: MXCP_E_PLUGIN_TIMEOUT after the manifest hookTimeoutMs', async () => {
    const started = Date.now();
    const err = await buildError('init-timeout');
    expect(err.code).toBe('MXCP_E_PLUGIN_TIMEOUT');
    expect(err.message).toContain('init did not finish within 200 ms');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('duplicate name: the first in discovery order is used, the second is MXCP_E_PLUGIN_DUPLICATE', async () => {
    const { project, env } = setUp('duplicate');
    const { plugins } = await pluginCatalog({ cwd: project.root, env, home: project.home });
    const dups = plugins.filter((p) => p.name === 'fixture-duplicate');
    expect(dups.map((p) => [p.version, p.status, p.code ?? null])).toEqual([
      ['1.0.0', 'ok', null],
      ['2.0.0', 'error', 'MXCP_E_PLUGIN_DUPLICATE'],
    ]);
    // An ambiguous auth provider is a security risk: the build fails closed.
    expect((await buildError('duplicate')).code).toBe('MXCP_E_PLUGIN_DUPLICATE');
  });

  it('not found: a package named in plugins.packages that is not installed fails the build', async () => {
    const config = 'mxcp: 1\nplugins:\n  packages: ["@fixtures/not-installed"]\n';
    const entry = await catalogEntry('none', '@fixtures/not-installed', config);
    expect(entry).toMatchObject({ status: 'error', code: 'MXCP_E_PLUGIN_NOT_FOUND', source: 'package' });
    const err = await buildError('none', config);
    expect(err.code).toBe('MXCP_E_PLUGIN_NOT_FOUND');
    expect(err.message).toContain('listed in plugins.packages');
  });

  it('bad manifest: MXCP_E_PLUGIN_MANIFEST_INVALID before any of its code runs; optional unless named', async () => {
    const marker = join(failures, 'bad-manifest', 'p', 'EVALUATED');
    const entry = await catalogEntry('bad-manifest', 'fixture-bad-manifest');
    expect(entry).toMatchObject({ status: 'error', code: 'MXCP_E_PLUGIN_MANIFEST_INVALID', kind: null });
    expect(entry.error).toContain('mxcp.kind');

    const { project: p, env } = setUp('bad-manifest');
    const log = captureLogger();
    const { generation } = await build(p, env, log);
    await generation.close('command');
    const warning = log.lines().find((l) => l.code === 'MXCP_E_PLUGIN_MANIFEST_INVALID');
    expect(warning).toMatchObject({ level: 40, plugin: 'fixture-bad-manifest' });
    expect(existsSync(marker)).toBe(false);

    // Named by a `plugin:` entry, the same plugin is required: the build fails with the same code.
    p.write('mxcp-site.yml', 'mxcp: 1\nproject: demo\nprofile: dev\nplugin:\n  - name: x\n    module: fixture-bad-manifest\n');
    await expect(build(p, env, captureLogger())).rejects.toMatchObject({ code: 'MXCP_E_PLUGIN_MANIFEST_INVALID' });
    expect(existsSync(marker)).toBe(false);
  });

  it('an optional kind that fails is reported with its code and skipped; the build goes on', async () => {
    const { project: p, env } = setUp('optional-broken');
    const log = captureLogger();
    const { generation } = await build(p, env, log);
    try {
      // Only the built-in model provider (claude, openai) loaded; the broken fixture was skipped.
      expect(generation.plugins?.instances('model-provider').map((m) => m.types)).toEqual([['claude', 'openai']]);
      const warning = log.lines().find((l) => l.plugin === 'fixture-optional-broken' && l.level === 40);
      expect(warning).toMatchObject({ code: 'MXCP_E_PLUGIN_INIT_FAILED', kind: 'model-provider' });
      expect(String(warning?.msg)).toContain('model init exploded');
    } finally {
      await generation.close('command');
    }
  });

  it('a MXCP_PLUGIN_PATH entry that does not exist is reported as MXCP_E_PLUGIN_NOT_FOUND, not fatal', async () => {
    const { project: p, env } = setUp('no-such-dir');
    const { plugins } = await pluginCatalog({ cwd: p.root, env, home: p.home });
    expect(plugins.find((x) => x.source === 'path')).toMatchObject({ status: 'error', code: 'MXCP_E_PLUGIN_NOT_FOUND' });
    const { generation } = await build(p, env, captureLogger());
    await generation.close('command');
  });
});
