/**
 * Readers (`mxcp log`, exports, cleanup) over the active file and its segments: newest first across files,
 * filters, `--since`, early stop, and lines that are not records (a truncated tail after a crash).
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { queryRecords } from '../daemon/audit/query.js';
import type { AuditRecord } from '../sdk/audit.js';
import { segmentPath } from '../sdk/audit-files.js';
import { record, tempDir } from './audit.helpers.js';
import { runCli } from './support/cli.js';
import { type TempProject, tempProject } from './support/project.js';

let tmp: ReturnType<typeof tempDir> | undefined;
let project: TempProject | undefined;
afterEach(() => {
  tmp?.remove();
  project?.remove();
  tmp = undefined;
  project = undefined;
});

const lines = (records: readonly AuditRecord[]) => records.map((r) => `${JSON.stringify(r)}\n`).join('');
const at = (iso: string, i: number, extra: Partial<AuditRecord> = {}) => record(i, { timestamp: iso, ...extra });

function layout() {
  tmp = tempDir();
  const path = join(tmp.dir, 'audit', 'logs.jsonl');
  mkdirSync(join(tmp.dir, 'audit'));
  // Two segments (rotated Jan 5 and Jan 10) and the active file; one record arrives out of order (a long
  // request that started before faster ones finished).
  writeFileSync(
    segmentPath(path, new Date('2025-01-05T00:00:00Z')),
    lines([at('2025-01-01T00:00:00.000Z', 1), at('2025-01-04T00:00:00.000Z', 2)]),
  );
  writeFileSync(
    segmentPath(path, new Date('2025-01-10T00:00:00Z')),
    lines([at('2025-01-06T00:00:00.000Z', 3), at('2025-01-09T00:00:00.000Z', 4)]),
  );
  writeFileSync(
    path,
    lines([at('2025-01-12T00:00:00.000Z', 6), at('2025-01-11T00:00:00.000Z', 5, { type: 'resource', name: 'data://x' })]),
  );
  return path;
}

describe('audit readers', () => {
  it('read the active file and every segment, newest first by timestamp (not by file order)', async () => {
    const path = layout();
    const { records } = await queryRecords(path, {}, 100);
    expect(records.map((r) => r.request_id)).toEqual(['6', '5', '4', '3', '2', '1']);
  });

  it('stop early once the limit is met by records newer than any older segment, and still return the right ones', async () => {
    const path = layout();
    expect((await queryRecords(path, {}, 2)).records.map((r) => r.request_id)).toEqual(['6', '5']);
    expect((await queryRecords(path, {}, 3)).records.map((r) => r.request_id)).toEqual(['6', '5', '4']);
  });

  it('filter by type, endpoint (type + name), status, policy and since', async () => {
    const path = layout();
    const ids = async (f: Parameters<typeof queryRecords>[1]) => (await queryRecords(path, f, 100)).records.map((r) => r.request_id);
    expect(await ids({ type: 'resource' })).toEqual(['5']);
    expect(await ids({ endpoints: [{ type: 'resource', name: 'data://x' }] })).toEqual(['5']);
    expect(await ids({ endpoints: [{ type: 'tool', name: 'data://x' }] })).toEqual([]);
    expect(
      await ids({
        endpoints: [
          { type: 'tool', name: 'tool_1' },
          { type: 'tool', name: 'tool_0' },
        ],
      }),
    ).toEqual(['6', '4', '3', '1']);
    expect(await ids({ status: 'error' })).toEqual(['5']);
    expect(await ids({ policy: 'n/a' })).toHaveLength(6);
    expect(await ids({ since: Date.parse('2025-01-08T00:00:00Z') })).toEqual(['6', '5', '4']);
  });

  it('skip a truncated last line (a crash mid-write) and any other line that is not a record, and count them', async () => {
    const path = layout();
    appendFileSync(path, '{"schema_version":1,"id":"00000000-0000-4000-8000-0000000000');
    const { records, skipped } = await queryRecords(path, {}, 100);
    expect(records).toHaveLength(6);
    expect(skipped).toBe(1);
    appendFileSync(path, '\nnot json\n[1,2]\n');
    expect((await queryRecords(path, {}, 100)).skipped).toBe(3);
  });

  it('mxcp log: JSON Lines when piped, --limit, --since, and a truncated tail skipped', async () => {
    project = tempProject({}, { site: 'mxcp: 1\nproject: demo\nprofile: dev\nprofiles:\n  dev:\n    audit:\n      enabled: true\n' });
    const now = Date.now();
    const recent = [0, 1, 2].map((i) => at(new Date(now - (3 - i) * 60_000).toISOString(), i));
    const old = at(new Date(now - 5 * 3_600_000).toISOString(), 9);
    project.write('audit/logs-dev.jsonl', `${lines([old, ...recent])}{"schema_version":1,"id":"trunc`);
    const opts = { cwd: project.root, home: project.home };
    const all = await runCli(['log'], opts);
    expect(all.code).toBe(0);
    const parsed = all.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditRecord);
    expect(parsed.map((r) => r.request_id)).toEqual(['2', '1', '0', '9']);
    expect(parsed[0]).toEqual(recent[2]);
    const limited = await runCli(['log', '--limit', '2', '--json'], opts);
    expect(limited.stdout.trim().split('\n')).toHaveLength(2);
    const since = await runCli(['log', '--since', '1h'], opts);
    expect(since.stdout.trim().split('\n')).toHaveLength(3);
    const bad = await runCli(['log', '--since', '90x'], opts);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Invalid time format: 90x. Use format like '10m', '2h', '1d'");
  });
});
