/** `mxcp init` (reference sections 1 and 14.2, checklist item 9; DESIGN section 8: never prompts off a TTY). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { expectNoStackTrace } from './support/coded.js';
import { type TempProject, tempProject } from './support/project.js';

let base: TempProject | undefined;
afterEach(() => base?.remove());

/** A DuckDB database file: the magic `DUCK` at byte 8. */
function isDuckDbFile(path: string): boolean {
  return readFileSync(path).subarray(8, 12).toString('latin1') === 'DUCK';
}

const kLayout = ['audit', 'data', 'drift', 'evals', 'mxcp-site.yml', 'plugins', 'prompts', 'python', 'resources', 'sql', 'tools'];

describe('mxcp init', () => {
  it('item 9: creates the layout and data/db-<profile>.duckdb, for the default profile and for --profile / MXCP_PROFILE', async () => {
    base = tempProject({}, { site: null });
    const opts = { cwd: base.root, home: base.home };
    const [plain, flagged, fromEnv] = await Promise.all([
      runCli(['init', 'plain'], opts),
      runCli(['init', 'flagged', '--profile', 'prod'], { ...opts, env: { MXCP_PROFILE: 'ignored' } }),
      runCli(['init', 'from-env'], { ...opts, env: { MXCP_PROFILE: 'staging' } }),
    ]);
    for (const r of [plain, flagged, fromEnv]) expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(base.path('plain')).sort()).toEqual(kLayout);
    expect(readdirSync(base.path('plain/data'))).toEqual(['db-default.duckdb']);
    expect(isDuckDbFile(base.path('plain/data/db-default.duckdb'))).toBe(true);
    expect(readdirSync(base.path('flagged/data'))).toEqual(['db-prod.duckdb']);
    expect(isDuckDbFile(base.path('flagged/data/db-prod.duckdb'))).toBe(true);
    expect(readdirSync(base.path('from-env/data'))).toEqual(['db-staging.duckdb']);
    const site = readFileSync(base.path('flagged/mxcp-site.yml'), 'utf8');
    expect(site).toMatch(/^mxcp: 1$/m);
    expect(site).toMatch(/^project: "flagged"$/m);
    expect(site).toMatch(/^profile: "prod"$/m);
    // The created project loads: list works in it with the profile init chose.
    const list = await runCli(['list', '--json-output'], { cwd: base.path('flagged'), home: base.home });
    expect(list.json()).toEqual({ status: 'ok', result: { status: 'ok', endpoints: [] } });
  });

  it('--bootstrap gives a project where mxcp validate passes and the hello-world tool is listed', async () => {
    base = tempProject({}, { site: null });
    const init = await runCli(['init', 'boot', '--bootstrap', '--json-output'], { cwd: base.root, home: base.home });
    expect(init.code, init.stdout).toBe(0);
    const result = init.json<{ result: { path: string; project: string; profile: string; created: string[] } }>().result;
    expect(result).toEqual({
      path: base.path('boot'),
      project: 'boot',
      profile: 'default',
      created: [
        base.path('boot/mxcp-site.yml'),
        base.path('boot/tools/hello_world.yml'),
        base.path('boot/sql/hello_world.sql'),
        base.path('boot/data/db-default.duckdb'),
      ],
    });
    const opts = { cwd: base.path('boot'), home: base.home };
    const [validate, list] = await Promise.all([runCli(['validate', '--json-output'], opts), runCli(['list', '--json-output'], opts)]);
    expect(validate.code, validate.stdout).toBe(0);
    expect(validate.json()).toEqual({
      status: 'ok',
      result: { status: 'ok', validated: [{ status: 'ok', path: 'tools/hello_world.yml' }] },
    });
    expect(list.json<{ result: { endpoints: { kind: string; name: string }[] } }>().result.endpoints).toEqual([
      expect.objectContaining({ kind: 'tool', name: 'hello_world', error: '' }),
    ]);
  });

  it('--claude-config writes server_config.json running mxcp serve over stdio in the project', async () => {
    base = tempProject({}, { site: null });
    const r = await runCli(['init', 'claude', '--claude-config', '--profile', 'dev', '--project', 'my_proj'], {
      cwd: base.root,
      home: base.home,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(base.path('claude/server_config.json'), 'utf8'))).toEqual({
      mcpServers: {
        my_proj: { command: 'mxcp', args: ['serve', '--transport', 'stdio', '--profile', 'dev'], cwd: base.path('claude') },
      },
    });
  });

  it('never prompts when stdin is not a terminal: a "y" waiting on stdin writes nothing extra', async () => {
    base = tempProject({}, { site: null });
    const r = await runCli(['init', 'quiet'], { cwd: base.root, home: base.home, input: 'y\n', timeoutMs: 10_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(base.path('quiet/server_config.json'))).toBe(false);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/\?\s*\[y\/N\]/);
  });

  it('refuses to create a project inside another one (at any depth), creating nothing', async () => {
    base = tempProject({ 'tools/.keep': '' }, { site: 'mxcp: 1\nproject: outer\nprofile: dev\n' });
    const opts = { cwd: base.root, home: base.home };
    const [nested, here] = await Promise.all([
      runCli(['init', 'tools/a/b', '--json-output'], opts),
      runCli(['init', '--json-output'], { ...opts, cwd: base.path('tools') }),
    ]);
    for (const r of [nested, here]) {
      expect(r.code).toBe(1);
      expectNoStackTrace(r);
      expect(r.json()).toEqual({
        status: 'error',
        code: 'MXCP_E_INIT_NESTED',
        error: `Cannot create a MXCP repository inside another one (found ${base.root}/mxcp-site.yml) (MXCP_E_INIT_NESTED)`,
      });
    }
    expect(readdirSync(base.path('tools'))).toEqual(['.keep']);
  });

  it('refuses when data/db-<profile>.duckdb already exists in the folder, and leaves it untouched', async () => {
    base = tempProject({ 'target/data/db-prod.duckdb': 'precious' }, { site: null });
    const r = await runCli(['init', 'target', '--profile', 'prod', '--json-output'], { cwd: base.root, home: base.home });
    expect(r.code).toBe(1);
    expectNoStackTrace(r);
    expect(r.json()).toMatchObject({ status: 'error', code: 'MXCP_E_INIT_EXISTS' });
    expect(r.json<{ error: string }>().error).toContain(`${base.path('target/data/db-prod.duckdb')} already exists`);
    expect(readFileSync(base.path('target/data/db-prod.duckdb'), 'utf8')).toBe('precious');
    expect(existsSync(base.path('target/mxcp-site.yml'))).toBe(false);
    // Another profile's database is no obstacle.
    const other = await runCli(['init', 'target', '--profile', 'dev'], { cwd: base.root, home: base.home });
    expect(other.code, other.stderr).toBe(0);
    expect(readdirSync(base.path('target/data')).sort()).toEqual(['db-dev.duckdb', 'db-prod.duckdb']);
  });

  it('rejects a profile name that would place the database outside data/ (usage error, exit 2)', async () => {
    base = tempProject({}, { site: null });
    const r = await runCli(['init', 'p', '--profile', '../../escape', '--json-output'], { cwd: base.root, home: base.home });
    expect(r.code).toBe(2);
    expect(r.json()).toMatchObject({ status: 'error', code: 'MXCP_E_CLI_USAGE' });
    expect(readdirSync(base.root)).toEqual([]);
  });

  it('a file where the project folder should be is a coded error naming the path', async () => {
    base = tempProject({ blocker: 'a file' }, { site: null });
    const r = await runCli(['init', 'blocker/proj'], { cwd: base.root, home: base.home });
    expect(r.code).toBe(1);
    expectNoStackTrace(r);
    expect(r.stderr).toMatch(/^Error: Cannot create .*blocker\/proj: .* \(MXCP_E_INIT_FAILED\)$/m);
  });
});
