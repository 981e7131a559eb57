/** `mxcp list` (checklist item 6 and the operational guide's exec probe). */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { expectNoStackTrace } from './support/coded.js';
import { type TempProject, tempProject } from './support/project.js';

let project: TempProject | undefined;
afterEach(() => project?.remove());

const kFiles = {
  'tools/good.yml': 'mxcp: 1\ntool:\n  name: good\n  source:\n    code: SELECT 1\n',
  'tools/broken.yml': 'mxcp: 1\ntool:\n  name: broken\n  sauce:\n    code: SELECT 1\n',
  'resources/res.yml':
    'mxcp: 1\nresource:\n  uri: data://{id}\n  parameters:\n    - {name: id, type: string}\n  source:\n    code: SELECT $id\n',
  'prompts/greet.yml': 'mxcp: 1\nprompt:\n  name: greet\n  messages:\n    - prompt: hi\n',
};

describe('mxcp list', () => {
  it('item 6: --json-output gives {status, result: {status, endpoints: [{path, kind, name, error}]}} and exits 0 with a broken endpoint', async () => {
    project = tempProject(kFiles);
    const r = await runCli(['list', '--json-output'], { cwd: project.root, home: project.home });
    expect(r.code).toBe(0);
    expectNoStackTrace(r);
    expect(r.json()).toEqual({
      status: 'ok',
      result: {
        status: 'error',
        endpoints: [
          {
            path: project.path('tools/broken.yml'),
            kind: 'unknown',
            name: '',
            error:
              "tools/broken.yml:4:3: tool.sauce: unknown key 'sauce' (allowed: name, description, tags, annotations, parameters, return, language, source, enabled, tests, policies) (MXCP_E_ENDPOINT_SCHEMA)",
          },
          { path: project.path('tools/good.yml'), kind: 'tool', name: 'good', error: '' },
          { path: project.path('resources/res.yml'), kind: 'resource', name: 'data://{id}', error: '' },
          { path: project.path('prompts/greet.yml'), kind: 'prompt', name: 'greet', error: '' },
        ],
      },
    });
  });

  it('human output: a table of every endpoint, then each error as file:line:col: message (CODE); exit 0', async () => {
    project = tempProject(kFiles);
    const r = await runCli(['list'], { cwd: project.root, home: project.home });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^KIND\s+NAME\s+PATH\s+STATUS$/);
    expect(lines.slice(1, 5).map((l) => l.split(/\s+/))).toEqual([
      ['unknown', 'tools/broken.yml', 'error'],
      ['tool', 'good', 'tools/good.yml', 'ok'],
      ['resource', 'data://{id}', 'resources/res.yml', 'ok'],
      ['prompt', 'greet', 'prompts/greet.yml', 'ok'],
    ]);
    expect(lines[5]).toBe(
      "✗ tools/broken.yml:4:3: tool.sauce: unknown key 'sauce' (allowed: name, description, tags, annotations, parameters, return, language, source, enabled, tests, policies) (MXCP_E_ENDPOINT_SCHEMA)",
    );
  });

  it('never opens the database: works while the DuckDB file is unreadable garbage; an empty project says so', async () => {
    project = tempProject({ 'tools/good.yml': kFiles['tools/good.yml'], 'data/db-dev.duckdb': 'not a database' });
    const empty = tempProject();
    try {
      const [r, none, noneJson] = await Promise.all([
        runCli(['list', '--json-output'], { cwd: project.root, home: project.home }),
        runCli(['list'], { cwd: empty.root, home: empty.home }),
        runCli(['list', '--json-output'], { cwd: empty.root, home: empty.home }),
      ]);
      expect(r.code).toBe(0);
      expect(r.json<{ result: { status: string } }>().result.status).toBe('ok');
      expect(none.code).toBe(0);
      expect(none.stdout.trim()).toBe('No endpoints found.');
      expect(noneJson.json()).toEqual({ status: 'ok', result: { status: 'ok', endpoints: [] } });
    } finally {
      empty.remove();
    }
  });

  it('a stack trace appears only with --debug (as "traceback" in JSON, after "Traceback:" on stderr)', async () => {
    project = tempProject({}, { site: 'project: demo\nprofile: dev\nfoo: 1\n' });
    const opts = { cwd: project.root, home: project.home };
    const [json, human] = await Promise.all([runCli(['list', '--json-output', '--debug'], opts), runCli(['list', '--debug'], opts)]);
    expect(json.code).toBe(1);
    const body = json.json<{ code: string; traceback?: string }>();
    expect(body.code).toBe('MXCP_E_SITE_INVALID');
    expect(body.traceback).toMatch(/\n\s+at .+:\d+:\d+/);
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/^Error: mxcp-site\.yml:3:1: Site config validation error: foo: unknown key 'foo'.*\nTraceback:\n/s);
  });

  it('runs from a subdirectory of the project (root found by walking up)', async () => {
    project = tempProject({ 'tools/good.yml': kFiles['tools/good.yml'], 'sql/deep/er/.keep': '' });
    const r = await runCli(['list', '--json-output'], { cwd: project.path('sql/deep/er'), home: project.home });
    expect(r.code).toBe(0);
    expect(r.json<{ result: { endpoints: { name: string }[] } }>().result.endpoints.map((e) => e.name)).toEqual(['good']);
  });
});
