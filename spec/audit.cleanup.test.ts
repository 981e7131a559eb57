/**
 * `mxcp log-cleanup`: retention by record age; whole expired files deleted, partly expired ones rewritten
 * atomically, the active file rotated first; the dry run reports exactly what the real run then does.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../sdk/audit.js';
import { segmentPath } from '../sdk/audit-files.js';
import { record, splitLines, wholeRecords } from './audit.helpers.js';
import { runCli } from './support/cli.js';
import { type TempProject, tempProject } from './support/project.js';

let project: TempProject | undefined;
afterEach(() => {
  project?.remove();
  project = undefined;
});

const day = 86_400_000;
const lines = (records: readonly AuditRecord[]) => records.map((r) => `${JSON.stringify(r)}\n`).join('');
const aged = (days: number, i: number) => record(i, { timestamp: new Date(Date.now() - days * day).toISOString() });

function setUp(audit = 'enabled: true\n      retention_days: 30') {
  project = tempProject({}, { site: `mxcp: 1\nproject: demo\nprofile: dev\nprofiles:\n  dev:\n    audit:\n      ${audit}\n` });
  const path = project.path('audit/logs-dev.jsonl');
  mkdirSync(project.path('audit'));
  const seg = (daysAgo: number) => segmentPath(path, new Date(Date.now() - daysAgo * day));
  const files = {
    expired: project.write(`audit/${seg(95).split('/').pop()}`, lines([aged(100, 1), aged(99, 2)])),
    // A truncated line after an expired record goes with it.
    partial: project.write(`audit/${seg(20).split('/').pop()}`, `${lines([aged(60, 3)])}{"trunc\n${lines([aged(25, 4), aged(21, 5)])}`),
    recent: project.write(`audit/${seg(2).split('/').pop()}`, lines([aged(5, 6), aged(3, 7)])),
    active: project.write('audit/logs-dev.jsonl', lines([aged(40, 8), aged(1, 9), aged(0, 10)])),
  };
  const cli = (...args: string[]) => runCli(['log-cleanup', ...args], { cwd: project!.root, home: project!.home });
  return { path, files, cli };
}

const snapshot = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir).map((n) => [
      n,
      createHash('sha256')
        .update(readFileSync(join(dir, n)))
        .digest('hex'),
    ]),
  );

describe('mxcp log-cleanup', () => {
  it('the dry run deletes nothing and reports exactly what the real run then does', async () => {
    const { files, cli } = setUp();
    const before = snapshot(project!.path('audit'));
    const dry = await cli('--dry-run', '--json');
    expect(dry.code, dry.stderr).toBe(0);
    expect(snapshot(project!.path('audit'))).toEqual(before);
    const plan = dry.json<{ result: Record<string, unknown> }>().result;
    expect(plan).toMatchObject({ status: 'dry_run', message: 'Would delete 4 records', retention_days: 30, deleted_records: 4 });
    expect(plan.files).toEqual([
      { file: files.active, action: 'rotate+rewrite', records: 3, expired: 1 },
      { file: files.partial, action: 'rewrite', records: 3, expired: 1 },
      { file: files.expired, action: 'delete', records: 2, expired: 2 },
    ]);

    const real = await cli('--json');
    expect(real.code, real.stderr).toBe(0);
    const done = real.json<{ result: Record<string, unknown> }>().result;
    expect(done).toMatchObject({ status: 'success', message: 'Deleted 4 records', deleted_records: 4, failures: [] });
    expect(done.files).toEqual(plan.files);

    // Nothing left to do.
    expect((await cli('--dry-run', '--json')).json<{ result: { files: unknown[] } }>().result.files).toEqual([]);
  });

  it('leaves exactly the records within retention, every file whole; the active file is rotated, not rewritten in place', async () => {
    const { path, files, cli } = setUp();
    const r = await cli();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Deleted 4 records.');
    const names = readdirSync(project!.path('audit')).sort();
    expect(names).not.toContain(files.expired.split('/').pop());
    expect(names).not.toContain('logs-dev.jsonl'); // rotated away; the daemon starts a new one at its next batch
    expect(wholeRecords(files.partial).map((x) => x.request_id)).toEqual(['4', '5']);
    expect(splitLines(files.partial).broken).toEqual([]);
    expect(wholeRecords(files.recent).map((x) => x.request_id)).toEqual(['6', '7']);
    const left = names.flatMap((n) => wholeRecords(join(project!.path('audit'), n))).map((x) => x.request_id);
    expect(left.sort()).toEqual(['10', '4', '5', '6', '7', '9']);
    expect(names.some((n) => n.includes('.tmp'))).toBe(false);
    const log = await runCli(['log', '--json'], { cwd: project!.root, home: project!.home });
    expect(
      log.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).request_id),
    ).toEqual(['10', '9', '7', '6', '5', '4']);
    expect(path).toBe(files.active);
  });

  it('prints the plan on a dry run', async () => {
    const { cli } = setUp();
    const r = await cli('--dry-run');
    expect(r.stdout).toContain('DRY RUN: nothing is deleted.');
    expect(r.stdout).toMatch(/delete\s+\S+logs-dev-\d{8}T\d{6}\.jsonl \(2 of 2 records expired\)/);
    expect(r.stdout).toContain('Would delete 4 records.');
  });

  it('exits 1 when a file cannot be cleaned, after cleaning the others', async () => {
    const { files, cli } = setUp();
    // A directory where a segment should be: reading it fails.
    mkdirSync(segmentPath(files.active, new Date(Date.now() - 50 * day)));
    const r = await cli('--json');
    expect(r.code).toBe(1);
    const result = r.json<{ result: { status: string; failures: { error: string }[]; deleted_records: number } }>().result;
    expect(result.status).toBe('error');
    expect(result.failures[0]!.error).toContain('MXCP_E_AUDIT_CLEANUP_FAILED');
    expect(result.deleted_records).toBe(4);
  });

  it('audit disabled: says so and exits 0 (nothing to clean)', async () => {
    const { cli } = setUp('enabled: false');
    const r = await cli();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Audit logging is not enabled for profile 'dev'");
    expect((await cli('--json')).json()).toMatchObject({ status: 'ok', result: { status: 'skipped' } });
  });
});
