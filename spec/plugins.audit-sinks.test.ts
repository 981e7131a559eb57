/**
 * Audit sinks go through the same mechanism but outlive generations: the audit trail opens them with
 * openAuditSinks (daemon/plugins/audit-phase.ts), not the generation build. A broken one fails closed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openAuditSinks } from '../daemon/plugins/audit-phase.js';
import { type AuditRecord, type AuditSettings, kAuditSettings } from '../sdk/audit.js';
import { build, captureLogger, kExamples, kFixtures, load, pluginEnv } from './plugins.helpers.js';
import { type TempProject, tempProject } from './support/project.js';

let project: TempProject | undefined;
afterEach(() => {
  project?.remove();
  project = undefined;
});

describe('audit sinks', () => {
  it('are opened by openAuditSinks (not per generation), with their config, and flushed and closed', async () => {
    project = tempProject();
    const file = project.path('lines.jsonl');
    const env = pluginEnv({
      MXCP_PLUGIN_PATH: kExamples,
      MXCP_CONFIG_PATH: project.write('config.yml', `mxcp: 1\nplugins:\n  config:\n    audit-lines:\n      path: ${file}\n`),
    });
    const log = captureLogger();
    const { generation, config } = await build(project, env, log);
    expect(generation.plugins?.instances('audit-sink')).toEqual([]);
    await generation.close('command');

    // What the audit trail registers for its sinks (the built-in JSONL sink needs it; the example ignores it).
    const settings: AuditSettings = {
      path: project.path('audit/main.jsonl'),
      maxFileSize: 1 << 20,
      fsync: 'never',
      fsyncIntervalMs: 1000,
      onFull: 'wait',
      includeOutput: true,
      retentionDays: 90,
    };
    const services = () => new Map<symbol, unknown>([[kAuditSettings, settings]]);
    const sinks = await openAuditSinks({ project: config, logger: log.logger, env, cwd: project.root, services });
    const sink = sinks.instances('audit-sink').find((s) => s.name === 'lines-example');
    expect(sink).toBeDefined();
    await sink!.write({ name: 'hello', status: 'success' } as unknown as AuditRecord);
    await sink!.flush();
    await sinks.close('shutdown');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ name: 'hello', status: 'success' });
  });

  it('a broken audit sink fails closed with its code', async () => {
    project = tempProject();
    const env = pluginEnv({
      MXCP_PLUGIN_PATH: join(kFixtures, 'failures', 'audit-broken'),
      MXCP_CONFIG_PATH: project.write('config.yml', 'mxcp: 1\n'),
    });
    const log = captureLogger();
    const config = await load(project, env, log);
    await expect(openAuditSinks({ project: config, logger: log.logger, env, cwd: project.root })).rejects.toMatchObject({
      code: 'MXCP_E_PLUGIN_INIT_FAILED',
      message: expect.stringContaining('[required: audit-sink plugins fail closed]'),
    });
  });
});
