/**
 * `mxcp drift-snapshot` and `mxcp drift-check` (reference/mxcp-ops.md section 6) through the real CLI on a
 * real DuckDB file: no drift on an unchanged project, and each kind of change detected on its own (table
 * added, removed, column retyped, endpoint added, removed, changed, a test that now fails), with MXCP's
 * report shape and exit codes (1 on drift: the guide's weekly cron job relies on it).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { expectNoStackTrace } from './support/coded.js';
import { type TempProject, tempProject } from './support/project.js';

const kSite = 'mxcp: 1\nproject: drifty\nprofile: dev\n';
const tool = (name: string, sql: string, expected = 'ann') =>
  `mxcp: 1\ntool:\n  name: ${name}\n  description: ${name}\n  return: {type: string}\n  source:\n    code: "${sql}"\n  tests:\n    - name: first\n      arguments: []\n      result: ${expected}\n`;

let project: TempProject;
const cli = (args: string[]) => runCli(args, { cwd: project.root, home: project.home });
const sql = async (statement: string) => {
  const r = await cli(['query', statement, '--json-output']);
  expect(r.code, r.stderr).toBe(0);
};

interface Report {
  has_drift: boolean;
  summary: Record<string, number>;
  table_changes: { name: string; change_type: string; columns_modified?: { name: string; old_type: string; new_type: string }[] }[];
  resource_changes: { path: string; endpoint?: string; change_type: string; details: Record<string, unknown> }[];
  baseline_snapshot_path: string;
}
const check = async (extra: string[] = []) => {
  const r = await cli(['drift-check', '--json-output', ...extra]);
  expectNoStackTrace(r);
  return { code: r.code, report: r.json<{ status: string; result: Report }>().result };
};

beforeEach(async () => {
  project = tempProject({ 'tools/first_user.yml': tool('first_user', 'SELECT name FROM users ORDER BY id LIMIT 1') }, { site: kSite });
  await sql("CREATE TABLE users (id INTEGER, name VARCHAR); INSERT INTO users VALUES (1, 'ann'), (2, 'bob')");
  await sql('CREATE TABLE orders (id INTEGER, amount DECIMAL(10,2))');
  const snap = await cli(['drift-snapshot', '--json-output']);
  expect(snap.code, snap.stderr).toBe(0);
});
afterEach(() => project.remove());

describe('drift-snapshot', () => {
  it("writes MXCP's format at the profile's drift path and reports path, hash and time", () => {
    const path = project.path('drift/drift-dev.json');
    const snapshot = JSON.parse(readFileSync(path, 'utf8')) as {
      version: number;
      tables: { name: string; columns: { name: string; type: string }[] }[];
      resources: {
        validation_results: { status: string; path: string };
        test_results: { status: string; tests_run: number };
        definition: unknown;
      }[];
    };
    expect(snapshot.version).toBe(1);
    expect(snapshot.tables).toEqual([
      {
        name: 'orders',
        columns: [
          { name: 'id', type: 'INTEGER' },
          { name: 'amount', type: 'DECIMAL(10,2)' },
        ],
      },
      {
        name: 'users',
        columns: [
          { name: 'id', type: 'INTEGER' },
          { name: 'name', type: 'VARCHAR' },
        ],
      },
    ]);
    expect(snapshot.resources[0]).toMatchObject({
      validation_results: { status: 'ok', path: 'tools/first_user.yml' },
      test_results: { status: 'ok', tests_run: 1 },
      definition: { mxcp: 1, tool: { name: 'first_user' } },
    });
  });

  it('refuses to overwrite without --force; --dry-run writes nothing; --force replaces', async () => {
    const again = await cli(['drift-snapshot']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('Drift snapshot already exists at');
    expect(again.stderr).toContain('Use --force to overwrite. (MXCP_E_DRIFT_SNAPSHOT_EXISTS)');
    rmSync(project.path('drift/drift-dev.json'));
    const dry = await cli(['drift-snapshot', '--dry-run', '--json-output']);
    expect(dry.json<{ result: { dry_run: boolean; drift_hash: string } }>().result).toMatchObject({
      dry_run: true,
      drift_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(existsSync(project.path('drift/drift-dev.json'))).toBe(false);
    expect((await cli(['drift-snapshot'])).code).toBe(0);
    expect((await cli(['drift-snapshot', '--force'])).code).toBe(0);
  });
});

describe('drift-check', () => {
  it('reports no drift on an unchanged project (exit 0), in words on a terminal', async () => {
    const { code, report } = await check();
    expect(code).toBe(0);
    expect(report.has_drift).toBe(false);
    expect(Object.values(report.summary).every((n) => n === 0)).toBe(true);
    const human = await cli(['drift-check']);
    expect(human.stdout).toMatch(/No drift against drift\/drift-dev\.json/);
  });

  it('detects a table added', async () => {
    await sql('CREATE TABLE audit_trail (happened TIMESTAMP)');
    const { code, report } = await check();
    expect(code).toBe(1);
    expect(report.summary.tables_added).toBe(1);
    expect(report.table_changes).toEqual([
      { name: 'audit_trail', change_type: 'added', columns_added: [{ name: 'happened', type: 'TIMESTAMP' }] },
    ]);
  });

  it('detects a table removed', async () => {
    await sql('DROP TABLE orders');
    const { code, report } = await check();
    expect(code).toBe(1);
    expect(report.summary.tables_removed).toBe(1);
    expect(report.table_changes[0]).toMatchObject({ name: 'orders', change_type: 'removed' });
  });

  it('detects a column whose type changed', async () => {
    await sql('ALTER TABLE orders ALTER amount TYPE DOUBLE');
    const { code, report } = await check();
    expect(code).toBe(1);
    expect(report.summary.tables_modified).toBe(1);
    expect(report.table_changes[0]?.columns_modified).toEqual([{ name: 'amount', old_type: 'DECIMAL(10,2)', new_type: 'DOUBLE' }]);
    const human = await cli(['drift-check']);
    expect(human.stdout).toContain('table orders: column amount DECIMAL(10,2) → DOUBLE');
  });

  it('detects an endpoint added', async () => {
    project.write('tools/second_user.yml', tool('second_user', 'SELECT name FROM users ORDER BY id DESC LIMIT 1', 'bob'));
    const { code, report } = await check();
    expect(code).toBe(1);
    expect(report.resource_changes).toEqual([
      { path: 'tools/second_user.yml', endpoint: 'tool/second_user', change_type: 'added', details: { added_resource: true } },
    ]);
  });

  it('detects an endpoint removed', async () => {
    rmSync(project.path('tools/first_user.yml'));
    const { code, report } = await check();
    expect(code).toBe(1);
    expect(report.resource_changes).toEqual([
      { path: 'tools/first_user.yml', endpoint: 'tool/first_user', change_type: 'removed', details: { removed_resource: true } },
    ]);
  });

  it('detects an endpoint whose definition changed', async () => {
    project.write('tools/first_user.yml', tool('first_user', 'SELECT lower(name) FROM users ORDER BY id LIMIT 1'));
    const { code, report } = await check();
    expect(code).toBe(1);
    expect(report.resource_changes).toEqual([
      { path: 'tools/first_user.yml', endpoint: 'tool/first_user', change_type: 'modified', details: { definition_changed: true } },
    ]);
  });

  it('detects a test that now fails, with the data changed and the definition not', async () => {
    await sql("UPDATE users SET name = 'zed' WHERE id = 1");
    const { code, report } = await check();
    expect(code).toBe(1);
    expect(report.resource_changes).toEqual([
      {
        path: 'tools/first_user.yml',
        endpoint: 'tool/first_user',
        change_type: 'modified',
        details: { test_changes: { old_status: 'ok', new_status: 'failed' } },
      },
    ]);
    const human = await cli(['drift-check']);
    expect(human.stdout).toContain('~ tool/first_user (tools/first_user.yml): tests ok → failed');
  });

  it('detects an endpoint that no longer validates', async () => {
    project.write('tools/first_user.yml', 'mxcp: 1\ntool:\n  name: first_user\n  source: {code: 1}\n');
    const { report } = await check();
    expect(report.resource_changes[0]).toMatchObject({
      change_type: 'modified',
      details: { validation_changes: { old_status: 'ok', new_status: 'error' } },
    });
  });

  it('--baseline names another snapshot; a missing or foreign baseline is a coded error (exit 1)', async () => {
    const other = project.write('snapshots/old.json', readFileSync(project.path('drift/drift-dev.json')));
    const { report } = await check(['--baseline', 'snapshots/old.json']);
    expect(report.baseline_snapshot_path).toBe(other);
    const missing = await cli(['drift-check', '--baseline', 'nope.json']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /Failed to load baseline snapshot: .*nope\.json: no such file \(create it with mxcp drift-snapshot\) \(MXCP_E_DRIFT_BASELINE_INVALID\)/,
    );
    project.write('snapshots/v2.json', JSON.stringify({ version: '1', tables: [], resources: [] }));
    const foreign = await cli(['drift-check', '--baseline', 'snapshots/v2.json']);
    expect(foreign.stderr).toContain('Unsupported snapshot version "1"');
  });
});
