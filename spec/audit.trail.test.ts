/**
 * The audit trail (openAuditSinks): owned outside generations, reconfigured on reload without losing or
 * duplicating a record, reopened on SIGHUP, closed with a flush; a failing sink never stops the others and
 * a broken one fails the open (fail closed).
 */
import { existsSync, renameSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Logger, pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { openAuditSinks } from '../daemon/audit/audit-sinks.js';
import { loadProject } from '../daemon/config/project.js';
import { auditedInvoke } from '../daemon/engine/audited-invoke.js';
import { lookupEndpoint } from '../daemon/engine/invoke.js';
import { buildGeneration } from '../daemon/generation/build-generation.js';
import { range, record, requestIds, wholeRecords } from './audit.helpers.js';
import { type TempProject, tempProject } from './support/project.js';

const kSinks = fileURLToPath(new URL('./fixtures/audit/sinks', import.meta.url));
const kBroken = fileURLToPath(new URL('./fixtures/plugins/failures/audit-broken', import.meta.url));

let project: TempProject | undefined;
afterEach(() => {
  project?.remove();
  project = undefined;
});

function logger(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const raw: string[] = [];
  return { logger: pino({ level: 'debug' }, { write: (l: string) => raw.push(l) }), lines: () => raw.map((l) => JSON.parse(l)) };
}

const site = (audit: string) => `mxcp: 1\nproject: demo\nprofile: dev\nprofiles:\n  dev:\n    audit:\n      ${audit}\n`;

async function load(audit: string, env: Record<string, string | undefined> = {}) {
  project ??= tempProject();
  project.write('mxcp-site.yml', site(audit));
  return loadProject({ cwd: project.root, env: { PATH: process.env.PATH, ...env }, home: project.home });
}

describe('audit trail', () => {
  it('audit disabled: no sinks, submit is a no-op, no file', async () => {
    const config = await load('enabled: false');
    const trail = await openAuditSinks(config, logger().logger, { cwd: project!.root });
    expect(trail.enabled).toBe(false);
    expect(trail.settings).toBeUndefined();
    await trail.submit(record(1));
    await trail.close();
    expect(existsSync(project!.path('audit'))).toBe(false);
  });

  it('opens the built-in JSONL sink with the profile settings; close flushes everything submitted', async () => {
    const config = await load('enabled: true\n      fsync: always');
    const trail = await openAuditSinks(config, logger().logger, { cwd: project!.root });
    expect(trail.enabled).toBe(true);
    expect(trail.settings).toMatchObject({
      path: project!.path('audit/logs-dev.jsonl'),
      fsync: 'always',
      fsyncIntervalMs: 1000,
      onFull: 'wait',
    });
    for (const i of range(1000)) void trail.submit(record(i));
    await trail.close();
    expect(requestIds(wholeRecords(project!.path('audit/logs-dev.jsonl')))).toEqual(range(1000));
    expect(trail.stats()).toEqual([]); // closed: no sinks any more
  });

  it('reload: unchanged settings keep the sinks; a new path opens the new sink first and closes the old one, losing nothing', async () => {
    const first = await load('enabled: true');
    const trail = await openAuditSinks(first, logger().logger, { cwd: project!.root });
    for (const i of range(300)) void trail.submit(record(i));
    await trail.reconfigure(await load('enabled: true'));
    for (const i of range(300, 300)) void trail.submit(record(i));
    expect(trail.stats()[0]!.stats!.accepted).toBe(600); // the same sink instance
    const moving = trail.reconfigure(await load('enabled: true\n      path: audit/elsewhere.jsonl'));
    for (const i of range(400, 600)) void trail.submit(record(i)); // while the swap is under way
    await moving;
    for (const i of range(100, 1000)) void trail.submit(record(i));
    await trail.close();
    const a = wholeRecords(project!.path('audit/logs-dev.jsonl'));
    const b = wholeRecords(project!.path('audit/elsewhere.jsonl'));
    expect(requestIds([...a, ...b])).toEqual(range(1100));
    expect(b.map((r) => Number(r.request_id)).slice(-100)).toEqual(range(100, 1000));
  });

  it('reopen() after the operator moved the file starts a new file at the path', async () => {
    const trail = await openAuditSinks(await load('enabled: true'), logger().logger, { cwd: project!.root });
    const path = project!.path('audit/logs-dev.jsonl');
    await trail.submit(record(1));
    await trail.flush();
    renameSync(path, `${path}.old`);
    await trail.reopen();
    expect(existsSync(path)).toBe(true);
    await trail.submit(record(2));
    await trail.close();
    expect(wholeRecords(`${path}.old`).map((r) => r.request_id)).toEqual(['1']);
    expect(wholeRecords(path).map((r) => r.request_id)).toEqual(['2']);
  });

  it('a sink that throws is logged (MXCP_E_AUDIT_SINK_FAILED, not once per record) and the other sinks still get every record', async () => {
    const env = { MXCP_PLUGIN_PATH: kSinks };
    const log = logger();
    const trail = await openAuditSinks(await load('enabled: true', env), log.logger, { cwd: project!.root, env });
    expect(trail.stats().map((s) => s.sink)).toEqual(['fixture-throwing-sink', '@mxcp/audit-jsonl']); // order: pre first
    for (const i of range(50)) await trail.submit(record(i));
    await trail.close();
    expect(wholeRecords(project!.path('audit/logs-dev.jsonl'))).toHaveLength(50);
    const failures = log.lines().filter((l) => l.code === 'MXCP_E_AUDIT_SINK_FAILED');
    expect(failures).toHaveLength(1);
    expect(failures[0]!.msg).toContain("Audit sink 'fixture-throwing-sink' failed in write: SIEM unreachable");
  });

  it('under load with a tiny queue (on_full: wait): once every call has completed and the trail closed, each has its record', async () => {
    project = tempProject({
      'tools/ping.yml':
        'mxcp: 1\ntool:\n  name: ping\n  description: ping\n  parameters:\n    - { name: num, type: integer, description: a number }\n  source:\n    code: "SELECT $num AS num"\n',
    });
    const config = project.write(
      'config.yml',
      'mxcp: 1\nplugins:\n  config:\n    audit-jsonl:\n      queue_capacity: 5\n      max_batch_bytes: 2048\n',
    );
    const env = { MXCP_CONFIG_PATH: config };
    const loaded = await load('enabled: true\n      fsync: always', env);
    const log = logger();
    const generation = await buildGeneration({
      id: 7,
      project: loaded,
      logger: log.logger,
      env: { PATH: process.env.PATH, ...env },
      cwd: project.root,
    });
    const trail = await openAuditSinks(loaded, log.logger, { cwd: project.root, env });
    try {
      expect(generation.failed.map((f) => String(f.error))).toEqual([]);
      const endpoint = lookupEndpoint(generation, 'tool', 'ping');
      let completed = 0;
      await Promise.all(
        range(2000).map((n) =>
          auditedInvoke(trail, generation, endpoint, { num: n }, { transport: 'streamable-http', requestId: String(n) }).then(
            () => completed++,
          ),
        ),
      );
      expect(completed).toBe(2000);
    } finally {
      await trail.close(); // what the shutdown sequence does after the drain
      await generation.close('shutdown');
    }
    const records = wholeRecords(project.path('audit/logs-dev.jsonl'));
    expect(requestIds(records)).toEqual(range(2000));
    expect(new Set(records.map((r) => r.generation))).toEqual(new Set([7]));
  });

  it('a broken audit sink fails the open: fail closed', async () => {
    const env = { MXCP_PLUGIN_PATH: kBroken };
    const config = await load('enabled: true', env);
    await expect(openAuditSinks(config, logger().logger, { cwd: project!.root, env })).rejects.toMatchObject({
      message: expect.stringContaining('[required: audit-sink plugins fail closed]'),
    });
  });
});
