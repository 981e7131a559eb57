/**
 * `udf` plugins: MXCP's `plugin:` section. A plugin folder in the project's plugins/ dir provides a class
 * whose declared methods become DuckDB scalar functions `<method>_<entry name>`, typed from the declared
 * signature, configured from the user config's `profiles.<p>.plugin.config.<config>` block.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { build, captureLogger, pluginEnv, sql } from './plugins.helpers.js';
import { type TempProject, tempProject } from './support/project.js';

const kPlugin = `import { definePlugin, injectable, kPluginConfig } from 'mxcp/sdk';

class Types {
  functions = {
    add: { parameters: ['INTEGER', 'INTEGER'], returns: 'INTEGER' },
    big: { parameters: ['BIGINT'], returns: 'BIGINT' },
    half: { parameters: ['DOUBLE'], returns: 'DOUBLE' },
    joined: { parameters: ['VARCHAR[]'], returns: 'VARCHAR' },
    split: { parameters: ['VARCHAR'], returns: 'VARCHAR[]' },
    is_null: { parameters: ['VARCHAR'], returns: 'BOOLEAN' },
    year: { parameters: ['DATE'], returns: 'INTEGER' },
    setting: { parameters: [], returns: 'VARCHAR' },
    fail: { parameters: ['VARCHAR'], returns: 'VARCHAR' },
  };
  constructor(config) { this.config = config; }
  add(a, b) { return a === null || b === null ? null : a + b; }
  big(n) { return n === null ? null : n * 2n; }
  half(x) { return x === null ? null : x / 2; }
  joined(list) { return list === null ? null : list.join('+'); }
  split(text) { return text === null ? null : text.split(','); }
  is_null(v) { return v === null; }
  year(d) { return d === null ? null : d.getUTCFullYear(); }
  setting() { return this.config.label; }
  fail(v) { throw new Error('refused ' + v); }
  notExposed() { return 'x'; }
}
injectable(kPluginConfig)(Types);
export default definePlugin({ kind: 'udf', useClass: Types });
`;

const kManifest = (name: string, extra = '') =>
  JSON.stringify({
    name,
    version: '1.0.0',
    type: 'module',
    mxcp: {
      kind: 'udf',
      sdk: '^0.1.0',
      entry: './index.js',
      configSchema: { type: 'object', additionalProperties: false, properties: { label: { type: 'string', default: 'none' } } },
      ...(extra ? JSON.parse(extra) : {}),
    },
  });

let project: TempProject | undefined;

afterEach(() => {
  project?.remove();
  project = undefined;
});

function setUp(site: string, user = '', files: Record<string, string> = {}) {
  project = tempProject({
    'plugins/typed_udfs/package.json': kManifest('@acme/typed-udfs'),
    'plugins/typed_udfs/index.js': kPlugin,
    ...files,
  });
  project.write('mxcp-site.yml', `mxcp: 1\nproject: demo\nprofile: dev\n${site}`);
  const env = pluginEnv({ MXCP_CONFIG_PATH: project.write('config.yml', `mxcp: 1\n${user}`) });
  return { project, env };
}

const kTwoEntries = `plugin:
  - name: t
    module: typed_udfs
    config: first
  - name: u
    module: '@acme/typed-udfs'
    config: second
`;
const kTwoConfigs = `projects:
  demo:
    profiles:
      dev:
        plugin:
          config:
            first: { label: one }
            second: { label: two }
`;

describe('udf plugins', () => {
  it('exposes each declared method as <method>_<entry>, one instance per plugin: entry with its own config', async () => {
    const { project: p, env } = setUp(kTwoEntries, kTwoConfigs);
    const { generation } = await build(p, env, captureLogger());
    try {
      const [row] = await sql(generation, 'SELECT setting_t() AS a, setting_u() AS b, add_t(2, 3) AS sum');
      expect(row).toEqual({ a: 'one', b: 'two', sum: 5 });
      await expect(sql(generation, 'SELECT notExposed_t() AS x')).rejects.toThrow(/notExposed_t/i);
    } finally {
      await generation.close('command');
    }
  });

  it('converts values by the declared types, passes NULL as null and returns NULL for null', async () => {
    const { project: p, env } = setUp('plugin:\n  - name: t\n    module: typed_udfs\n');
    const { generation } = await build(p, env, captureLogger());
    try {
      const [row] = await sql(
        generation,
        "SELECT big_t(21) AS big, half_t(3) AS half, joined_t(['a', 'b']) AS joined, split_t('x,y') AS split, " +
          "is_null_t(NULL) AS n1, is_null_t('v') AS n2, add_t(NULL, 1) AS nul, year_t(DATE '2024-03-01') AS y, setting_t() AS dflt",
      );
      expect(row).toEqual({ big: 42, half: 1.5, joined: 'a+b', split: ['x', 'y'], n1: true, n2: false, nul: null, y: 2024, dflt: 'none' });
    } finally {
      await generation.close('command');
    }
  });

  it('a method that throws fails the query with the function name and message', async () => {
    const { project: p, env } = setUp('plugin:\n  - name: t\n    module: typed_udfs\n');
    const { generation } = await build(p, env, captureLogger());
    try {
      await expect(sql(generation, "SELECT fail_t('now') AS x")).rejects.toThrow(/fail_t: refused now/);
    } finally {
      await generation.close('command');
    }
  });

  it("a plugin: entry naming a missing config block fails with MXCP's message", async () => {
    const { project: p, env } = setUp('plugin:\n  - name: t\n    module: typed_udfs\n    config: nope\n');
    const err = await build(p, env, captureLogger()).catch((e: unknown) => e as { code: string; message: string });
    expect(err).toMatchObject({ code: 'MXCP_E_PLUGIN_CONFIG_INVALID' });
    expect((err as { message: string }).message).toContain("Plugin configuration 'nope' not found in plugin config");
  });

  it('a config block that fails the plugin schema is MXCP_E_PLUGIN_CONFIG_INVALID', async () => {
    const user = 'projects:\n  demo:\n    profiles:\n      dev:\n        plugin:\n          config:\n            c: { colour: red }\n';
    const { project: p, env } = setUp('plugin:\n  - name: t\n    module: typed_udfs\n    config: c\n', user);
    await expect(build(p, env, captureLogger())).rejects.toMatchObject({ code: 'MXCP_E_PLUGIN_CONFIG_INVALID' });
  });

  it('a module no plugin provides is MXCP_E_PLUGIN_NOT_FOUND', async () => {
    const { project: p, env } = setUp('plugin:\n  - name: t\n    module: nowhere\n');
    await expect(build(p, env, captureLogger())).rejects.toMatchObject({ code: 'MXCP_E_PLUGIN_NOT_FOUND' });
  });

  it('refuses async methods and unknown types (MXCP_E_PLUGIN_CONTRACT)', async () => {
    const asyncPlugin = kPlugin.replace('add(a, b) {', 'async add(a, b) {');
    const a = setUp('plugin:\n  - name: t\n    module: typed_udfs\n', '', { 'plugins/typed_udfs/index.js': asyncPlugin });
    const err = await build(a.project, a.env, captureLogger()).catch((e: unknown) => e as { code: string; message: string });
    expect(err).toMatchObject({ code: 'MXCP_E_PLUGIN_CONTRACT' });
    expect((err as { message: string }).message).toContain("'add' is async");
    a.project.remove();

    const badType = kPlugin.replace("returns: 'BIGINT'", "returns: 'NOTATYPE'");
    const b = setUp('plugin:\n  - name: t\n    module: typed_udfs\n', '', { 'plugins/typed_udfs/index.js': badType });
    const err2 = await build(b.project, b.env, captureLogger()).catch((e: unknown) => e as { code: string; message: string });
    expect(err2).toMatchObject({ code: 'MXCP_E_PLUGIN_CONTRACT' });
    expect((err2 as { message: string }).message).toContain("big_t: 'NOTATYPE' is not a DuckDB type");
  });
});
