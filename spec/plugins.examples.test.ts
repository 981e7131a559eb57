/**
 * The out-of-tree examples (examples/plugins/, TypeScript, no install of their own) loaded through
 * MXCP_PLUGIN_PATH by the real CLI, from a project in a separate temporary directory: `mxcp plugins` lists
 * one of each kind, and `mxcp run` calls a SQL tool that uses the example udf whose configuration comes from
 * the example secret backend, and a python tool served by the example executor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinFolders, kExamples } from './plugins.helpers.js';
import { runCli } from './support/cli.js';
import { type TempProject, tempProject } from './support/project.js';

let project: TempProject;
let env: Record<string, string>;

beforeAll(() => {
  project = tempProject({
    'mxcp-site.yml': 'mxcp: 1\nproject: demo\nprofile: dev\nplugin:\n  - name: txt\n    module: udf-text\n    config: text\n',
    'tools/hello.yml':
      'mxcp: 1\ntool:\n  name: hello\n  description: greets\n  parameters:\n    - name: who\n      type: string\n      description: who\n' +
      '  source:\n    code: "SELECT greet_txt($who) AS message, words_txt(\'one two three\') AS words"\n',
    'tools/add_one.yml':
      'mxcp: 1\ntool:\n  name: add_one\n  description: adds one in Python\n  language: python\n  parameters:\n    - name: value\n      type: integer\n      description: a number\n' +
      '  source:\n    file: ../python/add_one.py\n',
    'python/add_one.py': 'def add_one(value):\n    return {"result": value + 1}\n',
    'tools/plugin_info.yml':
      'mxcp: 1\ntool:\n  name: plugin_info\n  description: what endpoint code sees of the udf plugins\n  language: typescript\n  return: {type: object}\n' +
      '  source:\n    file: ../ts/plugin_info.ts\n',
    'ts/plugin_info.ts': [
      "import { db, plugins } from 'mxcp/sdk';",
      'export async function plugin_info() {',
      "  const txt = plugins.get('txt');",
      "  const rows = txt?.functions.includes('greet_txt') ? await db.execute('SELECT greet_txt($w) AS g', { w: 'Ada' }) : [];",
      "  return { list: plugins.list(), txt, missing: plugins.get('nope') ?? null, greeting: rows[0]?.g ?? null };",
      '}',
      '',
    ].join('\n'),
    'secrets.env': '# example secrets\nGREETING="Bonjour"\n',
  });
  const config = [
    'mxcp: 1',
    'plugins:',
    '  config:',
    '    secret-dotenv:',
    `      file: ${project.path('secrets.env')}`,
    '    audit-lines:',
    `      path: ${project.path('audit.jsonl')}`,
    '    auth-static:',
    '      users:',
    '        code-1: { username: ada }',
    'projects:',
    '  demo:',
    '    profiles:',
    '      dev:',
    '        plugin:',
    '          config:',
    '            text:',
    '              greeting: "dotenv://GREETING"',
    '',
  ].join('\n');
  env = { MXCP_PLUGIN_PATH: kExamples, MXCP_CONFIG_PATH: project.write('config.yml', config) };
});

afterAll(() => project.remove());

describe('example plugins, loaded from source through MXCP_PLUGIN_PATH', () => {
  it('mxcp plugins --json-output lists one example of each kind, all loadable', async () => {
    const r = await runCli(['plugins', '--json-output'], { cwd: project.root, home: project.home, env });
    expect(r.code).toBe(0);
    const { result } = r.json<{
      status: string;
      result: { plugins: { name: string; kind: string; source: string; status: string; dir: string }[] };
    }>();
    const examples = result.plugins.filter((p) => p.source === 'path');
    expect(examples.map((p) => [p.kind, p.status]).sort()).toEqual(
      [
        ['audit-sink', 'ok'],
        ['auth-provider', 'ok'],
        ['executor', 'ok'],
        ['model-provider', 'ok'],
        ['secret-backend', 'ok'],
        ['token-store', 'ok'],
        ['udf', 'ok'],
      ].sort(),
    );
    expect(examples.every((p) => p.dir.startsWith(kExamples))).toBe(true);
    // Built-ins come first and load through the same path.
    const builtins = builtinFolders().length;
    expect(result.plugins.slice(0, builtins).map((p) => [p.source, p.status])).toEqual(Array(builtins).fill(['builtin', 'ok']));
  });

  it('mxcp run: a SQL tool using the example udf, configured through the example secret backend', async () => {
    const r = await runCli(['run', 'tool', 'hello', '--param', 'who=Ada', '--json-output'], { cwd: project.root, home: project.home, env });
    expect(r.stderr).toBe('');
    expect(r.json()).toEqual({ status: 'ok', result: [{ message: 'Bonjour Ada', words: 3 }] });
  });

  it('mxcp run: a python tool served by the example executor plugin', async () => {
    const r = await runCli(['run', 'tool', 'add_one', '--param', 'value=41', '--json-output'], {
      cwd: project.root,
      home: project.home,
      env,
    });
    expect(r.json()).toEqual({ status: 'ok', result: { result: 42 } });
  });

  it('mxcp validate takes endpoint languages from the discovered executor plugins: python is valid with the example, not without', async () => {
    const withPlugin = await runCli(['validate', 'tools/add_one.yml', '--json-output'], { cwd: project.root, home: project.home, env });
    expect(withPlugin.json<{ result: { status: string } }>().result.status).toBe('ok');
    const without = await runCli(['validate', 'tools/add_one.yml', '--json-output'], {
      cwd: project.root,
      home: project.home,
      env: { ...env, MXCP_PLUGIN_PATH: '' },
    });
    expect(without.code).toBe(1);
    expect(without.json<{ result: { message: string } }>().result.message).toMatch(/MXCP_E_ENDPOINT_NO_EXECUTOR/);
  });

  it('plugins.get / plugins.list in TypeScript endpoint code describe the udf instances; their functions work through db', async () => {
    const r = await runCli(['run', 'tool', 'plugin_info', '--json-output'], { cwd: project.root, home: project.home, env });
    expect(r.json()).toEqual({
      status: 'ok',
      result: {
        list: ['txt'],
        txt: {
          name: 'txt',
          module: '@mxcp-examples/udf-text',
          version: '1.0.0',
          functions: expect.arrayContaining(['greet_txt', 'words_txt']),
        },
        missing: null,
        greeting: 'Bonjour Ada',
      },
    });
  });
});
