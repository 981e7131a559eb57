/**
 * `mxcp test` (reference section 12, checklist items 51-54): assertions with MXCP's semantics and
 * messages, exit 1 on any failure or error, user contexts from the test and from `--user-context`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { type TempProject, tempProject } from './support/project.js';

interface Case {
  name: string;
  status: string;
  error?: string;
}
interface Suite {
  status: string;
  tests_run: number;
  tests: Case[];
  no_tests: boolean;
}

const kRows =
  'mxcp: 1\ntool:\n  name: rows\n  return: {type: array}\n  source:\n    code: "SELECT i AS id, \'n\' || i AS name FROM range(1, 4) t(i)"\n  tests:\n' +
  '    - name: contains_id\n      arguments: []\n      result_contains: {id: 1}\n' +
  '    - name: three_rows\n      arguments: []\n      result_length: 3\n';
const kWho =
  'mxcp: 1\ntool:\n  name: who\n  return: {type: string}\n  source:\n    code: SELECT get_username() AS u\n  tests:\n' +
  '    - name: from_test_context\n      arguments: []\n      user_context: {username: alice, role: admin}\n      result: alice\n';

let project: TempProject | undefined;
afterEach(() => project?.remove());

const testJson = async (p: TempProject, args: string[] = []) => {
  const r = await runCli(['test', ...args, '--json-output'], { cwd: p.root, home: p.home });
  return { code: r.code, result: r.json<{ result: unknown }>().result };
};

describe('mxcp test', () => {
  it('51: exits 0 when every test passes, and when there are no tests at all', async () => {
    project = tempProject({ 'tools/rows.yml': kRows, 'tools/plain.yml': 'mxcp: 1\ntool:\n  name: plain\n  source:\n    code: SELECT 1\n' });
    const all = await testJson(project);
    expect(all.code).toBe(0);
    const { status, tests_run } = all.result as { status: string; tests_run: number };
    expect(status).toBe('ok');
    expect(tests_run).toBe(2);
    const none = await testJson(project, ['tool', 'plain']);
    expect(none.code).toBe(0);
    expect((none.result as Suite).no_tests).toBe(true);
  });

  it('52, 53: result_contains matches an array item; result_length reports "Array has 3 items, expected 2" and exits 1', async () => {
    const failing = kRows.replace('result_length: 3', 'result_length: 2');
    project = tempProject({ 'tools/rows.yml': failing });
    const { code, result } = await testJson(project, ['tool', 'rows']);
    expect(code).toBe(1);
    const suite = result as Suite;
    expect(suite.status).toBe('failed');
    expect(suite.tests.find((t) => t.name === 'contains_id')?.status).toBe('passed');
    const length = suite.tests.find((t) => t.name === 'three_rows');
    expect(length?.status).toBe('failed');
    expect(length?.error).toBe('Array has 3 items, expected 2');
  });

  it("54: a test's user_context reaches SQL; --user-context overrides it", async () => {
    project = tempProject({ 'tools/who.yml': kWho });
    const own = await testJson(project, ['tool', 'who']);
    expect(own.code).toBe(0);
    const overridden = await runCli(['test', 'tool', 'who', '--json-output', '--user-context', '{"username": "bob"}'], {
      cwd: project.root,
      home: project.home,
    });
    expect(overridden.code).toBe(1);
    const suite = overridden.json<{ result: Suite }>().result;
    expect(suite.tests[0]?.error).toContain('Result does not match expected output');
    expect(suite.tests[0]?.error).toContain('bob');
  });

  it('an endpoint that errors gives status "error" with the message, and exit 1', async () => {
    const broken = kRows.replace('FROM range(1, 4) t(i)', 'FROM no_such_table');
    project = tempProject({ 'tools/rows.yml': broken });
    const { code, result } = await testJson(project, ['tool', 'rows']);
    expect(code).toBe(1);
    const suite = result as Suite;
    expect(suite.status).toBe('error');
    expect(suite.tests[0]?.status).toBe('error');
    expect(suite.tests[0]?.error).toContain('Failed to execute SQL');
  });
});
