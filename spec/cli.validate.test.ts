/**
 * `mxcp validate` (reference sections 11 and 14.2, checklist items 44-50). Item 47 is overridden by
 * DESIGN section 3: validate exits 1 when anything is invalid, with `result.status == "error"`.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, kBin, runCli } from './support/cli.js';
import { expectNoStackTrace, parseLocated } from './support/coded.js';
import { type TempProject, tempProject } from './support/project.js';

interface Validated {
  status: 'ok' | 'error';
  path: string;
  message?: string;
}

const kFiles: Record<string, string> = {
  'tools/ok.yml': 'mxcp: 1\ntool:\n  name: ok\n  parameters:\n    - {name: _x1, type: integer}\n  source:\n    file: ../sql/ok.sql\n',
  'sql/ok.sql': 'SELECT $_x1 AS x\n',
  'resources/unused-param.yml':
    'mxcp: 1\nresource:\n  uri: users://all\n  parameters:\n    - {name: x, type: string}\n  source:\n    code: SELECT 1\n',
  'prompts/undeclared.yml':
    'mxcp: 1\nprompt:\n  name: undeclared\n  parameters:\n    - {name: topic, type: string}\n  messages:\n    - prompt: "About {{ topic }}"\n    - prompt: "{% set n = 1 %}{{ foo }} and {{ bar.baz }} {{ n }}"\n',
  'tools/python-inline.yml': 'mxcp: 1\ntool:\n  name: py_inline\n  language: python\n  source:\n    code: "def py_inline(): pass"\n',
  'tools/python-file.yml': 'mxcp: 1\ntool:\n  name: py_file\n  language: python\n  source:\n    file: ../python/py_file.py\n',
  'python/py_file.py': 'def py_file():\n    return 1\n',
  'tools/type.yml': 'mxcp: 1\ntool:\n  name: typo\n  parameters:\n    - name: a\n      type: strng\n  source:\n    code: SELECT 1\n',
  'tools/both.yml': 'mxcp: 1\ntool:\n  name: both\n  source:\n    code: SELECT 1\n    file: ../sql/ok.sql\n',
  'tools/neither.yml': 'mxcp: 1\ntool:\n  name: neither\n  source: {}\n',
  'tools/param-name.yml':
    'mxcp: 1\ntool:\n  name: pname\n  parameters:\n    - name: 1abc\n      type: string\n  source:\n    code: SELECT 1\n',
  'tools/param-chars.yml':
    'mxcp: 1\ntool:\n  name: pchars\n  parameters:\n    - name: a-b\n      type: string\n  source:\n    code: SELECT 1\n',
  'tools/ts.yml': 'mxcp: 1\ntool:\n  name: ts_tool\n  language: typescript\n  source:\n    file: ../plugins/ts_tool.ts\n',
  'plugins/ts_tool.ts': 'export function ts_tool() { return 1; }\n',
  'tools/dotted.yml': 'mxcp: 1\ntool:\n  name: dotted\n  source:\n    file: ../..dotted.sql\n',
  '..dotted.sql': 'SELECT 1\n',
  'tools/empty-sql.yml': 'mxcp: 1\ntool:\n  name: empty_sql\n  source:\n    file: ../sql/empty.sql\n',
  'sql/empty.sql': '  \n',
};

let project: TempProject;
let json: CliResult;
let human: CliResult;
let byPath: Map<string, Validated>;

beforeAll(async () => {
  project = tempProject(kFiles);
  [json, human] = await Promise.all([
    runCli(['validate', '--json-output'], { cwd: project.root, home: project.home }),
    runCli(['validate'], { cwd: project.root, home: project.home }),
  ]);
  byPath = new Map(json.json<{ result: { validated: Validated[] } }>().result.validated.map((v) => [v.path, v]));
});
afterAll(() => project?.remove());

function messageOf(path: string) {
  const v = byPath.get(path);
  expect(v?.status, path).toBe('error');
  return parseLocated(v?.message ?? '');
}

describe('mxcp validate', () => {
  it('item 47 (DESIGN 3): exits 1 when any endpoint is invalid; --json-output has result.status "error"', () => {
    expect(json.code).toBe(1);
    expect(human.code).toBe(1);
    for (const r of [json, human]) expectNoStackTrace(r);
    const body = json.json<{ status: string; result: { status: string; validated: Validated[] } }>();
    expect(body.status).toBe('ok');
    expect(body.result.status).toBe('error');
    expect(body.result.validated).toHaveLength(13);
    expect(byPath.get('tools/ok.yml')).toEqual({ status: 'ok', path: 'tools/ok.yml' });
    expect(byPath.get('tools/ts.yml')).toEqual({ status: 'ok', path: 'tools/ts.yml' });
    // A file whose name starts with two dots is inside the project, not "../" outside it.
    expect(byPath.get('tools/dotted.yml')).toEqual({ status: 'ok', path: 'tools/dotted.yml' });
    expect(human.stdout).toContain('✓ tools/ok.yml');
    expect(human.stdout).toMatch(/✗ tools\/type\.yml\n {4}tools\/type\.yml:6:13: tool\.parameters\.0\.type: /);
    expect(human.stdout.trimEnd().split('\n').at(-1)).toBe('10 of 13 endpoint(s) invalid.');
  });

  it("item 44: Resource parameter(s) ['x'] are not used in uri ...", () => {
    const m = messageOf('resources/unused-param.yml');
    expect(m.code).toBe('MXCP_E_ENDPOINT_RESOURCE_PARAMS');
    expect(m.message).toBe("Resource parameter(s) ['x'] are not used in uri 'users://all'. Put them in the uri or make a 'tool:' instead.");
    expect(m.line).toBe(4);
  });

  it('item 45: Message <i> uses undefined template variables, by root name, not counting set variables', () => {
    const m = messageOf('prompts/undeclared.yml');
    expect(m.code).toBe('MXCP_E_ENDPOINT_TEMPLATE_VARS');
    expect(m.message).toBe('Message 1 uses undefined template variables: bar, foo');
    expect(m.line).toBe(8);
  });

  it('item 46: Python endpoints must specify source.file; with a file, "no executor plugin for language python"', () => {
    const inline = messageOf('tools/python-inline.yml');
    expect(inline.code).toBe('MXCP_E_ENDPOINT_PYTHON_INLINE');
    expect(inline.message).toBe('Python endpoints must specify source.file');
    expect(inline.line).toBe(6);
    const file = messageOf('tools/python-file.yml');
    expect(file.code).toBe('MXCP_E_ENDPOINT_NO_EXECUTOR');
    expect(file.message).toBe('No executor plugin for language python');
  });

  it('item 48: an unknown parameter type is a load error naming parameters.0.type', () => {
    const m = messageOf('tools/type.yml');
    expect(m.code).toBe('MXCP_E_ENDPOINT_SCHEMA');
    expect(m.message).toMatch(
      /^tool\.parameters\.0\.type: must be one of: "string", "number", "integer", "boolean", "array", "object"; got "strng"$/,
    );
    expect([m.line, m.column]).toEqual([6, 13]);
  });

  it("item 49: a source with both code and file (or neither) needs exactly one of 'code' or 'file'", () => {
    for (const path of ['tools/both.yml', 'tools/neither.yml']) {
      const m = messageOf(path);
      expect(m.code, path).toBe('MXCP_E_ENDPOINT_SOURCE');
      expect(m.message, path).toBe("tool.source: Source must provide exactly one of 'code' or 'file'");
      expect(m.line, path).toBe(4);
    }
  });

  it('item 50: parameter name 1abc must start with a letter or underscore; a-b only alphanumerics', () => {
    const first = messageOf('tools/param-name.yml');
    expect(first.code).toBe('MXCP_E_ENDPOINT_PARAM_NAME');
    expect(first.message).toBe("tool.parameters.0.name: Parameter name '1abc' must start with a letter or underscore");
    expect(first.line).toBe(5);
    const chars = messageOf('tools/param-chars.yml');
    expect(chars.message).toBe("tool.parameters.0.name: Parameter name 'a-b' must contain only alphanumeric characters or underscores");
  });

  it('an empty SQL source file: No SQL query found', () => {
    const m = messageOf('tools/empty-sql.yml');
    expect(m.code).toBe('MXCP_E_ENDPOINT_SOURCE_EMPTY');
    expect(m.message).toBe('tool.source: No SQL query found');
  });

  it('validate FILE: one result, path as given (relative to the CWD); exit 0 when valid, 1 when not or unknown', async () => {
    const opts = { cwd: project.root, home: project.home };
    const [good, bad, unknown, fromSubdir] = await Promise.all([
      runCli(['validate', 'tools/ok.yml', '--json-output'], opts),
      runCli(['validate', 'tools/both.yml', '--json-output'], opts),
      runCli(['validate', 'tools/nope.yml', '--json-output'], opts),
      runCli(['validate', '../tools/ok.yml', '--json-output'], { ...opts, cwd: project.path('sql') }),
    ]);
    expect(good.code).toBe(0);
    expect(good.json()).toEqual({ status: 'ok', result: { status: 'ok', path: 'tools/ok.yml' } });
    expect(bad.code).toBe(1);
    expect(bad.json<{ result: Validated }>().result).toEqual({
      status: 'error',
      path: 'tools/both.yml',
      message: "tools/both.yml:4:3: tool.source: Source must provide exactly one of 'code' or 'file' (MXCP_E_ENDPOINT_SOURCE)",
    });
    expect(unknown.code).toBe(1);
    expect(unknown.json<{ result: Validated }>().result).toEqual({
      status: 'error',
      path: 'tools/nope.yml',
      message: 'tools/nope.yml: Endpoint file not found or not a valid endpoint (MXCP_E_ENDPOINT_FILE_UNKNOWN)',
    });
    expect(fromSubdir.code).toBe(0);
    expect(fromSubdir.json<{ result: Validated }>().result).toEqual({ status: 'ok', path: '../tools/ok.yml' });
  });

  it('a reader that closes the pipe early (mxcp validate | head) ends nothing: no crash, exit code still 1', async () => {
    const child = spawn(process.execPath, [kBin, 'validate'], { cwd: project.root, env: { ...process.env, HOME: project.home } });
    child.stdout.destroy(); // the reader is gone before the first line is written
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(code).toBe(1);
  });

  it('a project without endpoints: status "error", "No endpoints found", exit 1', async () => {
    const empty = tempProject();
    try {
      const r = await runCli(['validate', '--json-output'], { cwd: empty.root, home: empty.home });
      expect(r.code).toBe(1);
      expect(r.json()).toEqual({ status: 'ok', result: { status: 'error', validated: [], message: 'No endpoints found' } });
    } finally {
      empty.remove();
    }
  });
});
