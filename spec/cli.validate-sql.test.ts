/**
 * `mxcp validate`'s SQL checks (reference section 11, checklist items 42 and 43): DuckDB must be able to
 * PREPARE the SQL, and the first statement's `$names` must equal the declared parameters. The database is
 * opened read-only and never created; a file held by another process (a running daemon) skips PREPARE with
 * a warning (DESIGN section 8).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { type TempProject, tempProject } from './support/project.js';

interface Summary {
  status: string;
  validated: { status: string; path: string; message?: string }[];
}

const kSite = 'mxcp: 1\nproject: demo\nprofile: dev\n';
const kFiles = {
  'tools/good.yml':
    'mxcp: 1\ntool:\n  name: good\n  parameters:\n    - {name: id, type: integer}\n  source:\n    code: SELECT * FROM items WHERE id = $id\n',
  'tools/missing_table.yml': 'mxcp: 1\ntool:\n  name: missing_table\n  source:\n    code: SELECT * FROM no_such_table\n',
  'tools/mismatch.yml':
    'mxcp: 1\ntool:\n  name: mismatch\n  parameters:\n    - {name: a, type: string}\n  source:\n    code: SELECT $x AS v\n',
};

let project: TempProject | undefined;
afterEach(() => project?.remove());

async function seed(p: TempProject): Promise<void> {
  const r = await runCli(['query', 'CREATE TABLE items (id INTEGER, name VARCHAR)'], { cwd: p.root, home: p.home });
  expect(r.code, r.stderr).toBe(0);
}

async function validate(p: TempProject): Promise<{ code: number | null; summary: Summary; stderr: string }> {
  const r = await runCli(['validate', '--json-output'], { cwd: p.root, home: p.home });
  return { code: r.code, summary: r.json<{ result: Summary }>().result, stderr: r.stderr };
}

const byPath = (s: Summary, path: string) => s.validated.find((v) => v.path === path);

describe('validate: SQL checks against the database', () => {
  it('reports a SQL statement referencing a table that does not exist (item 43)', async () => {
    project = tempProject(kFiles, { site: kSite });
    await seed(project);
    const { code, summary } = await validate(project);
    expect(code).toBe(1);
    expect(byPath(summary, 'tools/good.yml')?.status).toBe('ok');
    const bad = byPath(summary, 'tools/missing_table.yml');
    expect(bad?.status).toBe('error');
    expect(bad?.message).toContain('Source code syntax validation failed:');
    expect(bad?.message).toContain('no_such_table');
    expect(bad?.message).toContain('(MXCP_E_ENDPOINT_SQL_INVALID)');
  });

  it("reports $names that differ from the declared parameters, in MXCP's form (item 42)", async () => {
    project = tempProject(kFiles, { site: kSite });
    await seed(project);
    const { summary } = await validate(project);
    expect(byPath(summary, 'tools/mismatch.yml')?.message).toContain("Parameter mismatch: missing={'x'}, extra={'a'}");
  });

  it('never creates the database file; without it the parameter check still runs', async () => {
    project = tempProject(kFiles, { site: kSite });
    const { summary, stderr } = await validate(project);
    expect(existsSync(project.path('data/db-dev.duckdb'))).toBe(false);
    expect(stderr).toContain('SQL PREPARE checks skipped');
    expect(byPath(summary, 'tools/missing_table.yml')?.status).toBe('ok');
    expect(byPath(summary, 'tools/mismatch.yml')?.message).toContain("Parameter mismatch: missing={'x'}, extra={'a'}");
  });

  it('skips PREPARE with a warning when another process holds the database file', async () => {
    project = tempProject(kFiles, { site: kSite });
    await seed(project);
    // A second process holding the file read-write, as a running daemon would.
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { DuckDBInstance } from '@duckdb/node-api';
         const i = await DuckDBInstance.create(${JSON.stringify(project.path('data/db-dev.duckdb'))});
         await i.connect(); process.stdout.write('held\\n'); setTimeout(() => {}, 60000);`,
      ],
      { cwd: new URL('..', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
      const { summary, stderr } = await validate(project);
      expect(stderr).toContain('is locked by another process');
      expect(stderr).toContain('SQL PREPARE checks skipped');
      expect(byPath(summary, 'tools/missing_table.yml')?.status).toBe('ok');
      expect(byPath(summary, 'tools/mismatch.yml')?.status).toBe('error');
    } finally {
      holder.kill('SIGKILL');
    }
  });
});
