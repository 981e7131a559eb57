/**
 * What `mxcp serve` shows on its admin socket: status with reload history, configuration without secrets,
 * endpoints re-read from disk, and audit queries over the configured log. Shapes follow the Python MXCP
 * (reference/mxcp-ops.md section 5.4).
 */

import { describeError, Errors } from '../../sdk/errors/index.js';
import { recordTime, type StoredRecord } from '../audit/parse-record.js';
import { scanRecords } from '../audit/query.js';
import { type AuditTrail, auditedInvoke } from '../engine/audited-invoke.js';
import { lookupEndpoint } from '../engine/invoke.js';
import { runAllTests, runEndpointTests } from '../engine/test-runner.js';
import { userContextFromJson } from '../engine/user-context.js';
import type { Generation } from '../generation/generation.js';
import { kPackageVersion } from '../package-root.js';
import { executorLanguages } from '../plugins/executor-languages.js';
import { buildRegistry } from '../registry/registry.js';
import type { AdminSources } from './admin-socket.js';
import type { ReloadController } from './reload-controller.js';

export interface AdminSourceOptions {
  /** The audit trail of the daemon: calls made through the socket are recorded with caller `admin`. */
  readonly audit: AuditTrail;
  readonly current: () => Generation;
  readonly reloads: ReloadController;
  readonly draining: () => boolean;
  readonly activeRequests: () => Promise<number>;
  readonly readonly: boolean;
  readonly debug: boolean;
  readonly transport: string;
  readonly socketPath: string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly startedAt: number;
}

function uptimeText(seconds: number): string {
  const s = Math.floor(seconds);
  return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m${s % 60}s`;
}

function time(params: URLSearchParams, key: string): number | undefined {
  const v = params.get(key);
  if (v === null) return undefined;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

/** Records of the active audit log matching the admin query parameters, newest first. */
async function matching(g: Generation, params: URLSearchParams): Promise<StoredRecord[]> {
  const audit = g.project.profile.audit;
  if (!audit.enabled) return [];
  const since = time(params, 'start_time');
  const until = time(params, 'end_time');
  const want: [string, string | null][] = [
    ['type', params.get('operation_type')],
    ['name', params.get('operation_name')],
    ['status', params.get('operation_status')],
    ['user_id', params.get('user_id')],
    ['trace_id', params.get('trace_id')],
  ];
  const out: { r: StoredRecord; t: number }[] = [];
  for await (const r of scanRecords(audit.path, since === undefined ? {} : { since })) {
    const t = recordTime(r);
    if (until !== undefined && t > until) continue;
    if (want.some(([k, v]) => v !== null && r[k] !== v)) continue;
    out.push({ r, t });
  }
  return out.sort((a, b) => b.t - a.t).map((x) => x.r);
}

export function adminSources(o: AdminSourceOptions): AdminSources {
  return {
    version: kPackageVersion,
    async status() {
      const g = o.current();
      const last = o.reloads.history.at(-1);
      const uptime = (Date.now() - o.startedAt) / 1000;
      return {
        status: 'ok',
        version: kPackageVersion,
        uptime: uptimeText(uptime),
        uptime_seconds: Math.round(uptime),
        pid: process.pid,
        profile: g.project.profile.name,
        mode: o.readonly ? 'readonly' : 'readwrite',
        debug: o.debug,
        generation: g.id,
        reload: {
          in_progress: o.reloads.inProgress,
          draining: o.draining(),
          active_requests: await o.activeRequests(),
          last_reload: last?.at ?? null,
          last_reload_status: last ? (last.ok ? 'success' : 'error') : null,
          last_reload_error: last && !last.ok ? (last.error ?? null) : null,
          history: o.reloads.history.slice(-20),
        },
        admin_socket: { path: o.socketPath },
      };
    },
    config() {
      // Only names, paths and switches: nothing here comes from a secret or a reference.
      const g = o.current();
      const p = g.project;
      return {
        status: 'ok',
        project: p.siteConfig.project,
        profile: p.profile.name,
        repository_path: p.root,
        duckdb_path: p.profile.duckdbPath,
        readonly: o.readonly,
        debug: o.debug,
        generation: g.id,
        endpoints: { tools: g.tools.size, prompts: g.prompts.size, resources: g.resources.size },
        features: { sql_tools: p.siteConfig.sql_tools.enabled, audit_logging: p.profile.audit.enabled, telemetry: false },
        transport: o.transport,
      };
    },
    async endpoints() {
      const p = o.current().project;
      const registry = await buildRegistry({
        root: p.root,
        paths: p.siteConfig.paths,
        languages: await executorLanguages(p, o.cwd, o.env),
      });
      return registry.entries.map((e) => ({
        path: e.relPath,
        type: e.kind,
        name: e.name,
        description: e.endpoint?.def.description ?? null,
        language: e.source?.language ?? null,
        enabled: true,
        status: e.error ? 'error' : 'ok',
        error: e.error ? describeError(e.error) : null,
      }));
    },
    reload() {
      void o.reloads.trigger('admin socket');
    },
    async run(body) {
      const g = o.current();
      const type = String(body.type);
      if (type !== 'tool' && type !== 'resource' && type !== 'prompt')
        throw new Errors.MXCP_E_CLI_USAGE({ detail: `TYPE must be one of tool, resource, prompt (got '${type}')` });
      const endpoint = lookupEndpoint(g, type, String(body.name));
      const user =
        body.user_context === undefined || body.user_context === null ? undefined : userContextFromJson(body.user_context, 'cli');
      const headers = (body.headers ?? undefined) as Record<string, string> | undefined;
      return auditedInvoke(
        o.audit,
        g,
        endpoint,
        (body.params ?? {}) as Record<string, unknown>,
        { transport: 'cli', ...(user ? { user } : {}), ...(headers ? { headers } : {}) },
        {
          caller: 'admin',
          skipOutputValidation: body.skip_output_validation === true,
        },
      );
    },
    async query(body) {
      const g = o.current();
      if (!g.database) throw new Errors.MXCP_E_CLI_USAGE({ detail: 'this daemon has no database open' });
      const { rows } = await g.database.query(String(body.sql), (body.params ?? {}) as Record<string, unknown>, {});
      return rows;
    },
    async test(body) {
      const g = o.current();
      const user =
        body.user_context === undefined || body.user_context === null ? undefined : userContextFromJson(body.user_context, 'cli');
      if (body.type !== undefined && body.name !== undefined) {
        const endpoint = g.endpoint(String(body.type) as 'tool', String(body.name));
        if (!endpoint) lookupEndpoint(g, String(body.type) as 'tool', String(body.name));
        return runEndpointTests(endpoint!, user ? { user } : {});
      }
      return runAllTests(g, user ? { user } : {});
    },
    async auditQuery(params) {
      const limit = Math.min(1000, Math.max(1, Number(params.get('limit') ?? 100) || 100));
      const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
      const records = (await matching(o.current(), params)).slice(offset, offset + limit);
      return { records, count: records.length };
    },
    async auditStats(params) {
      const records = await matching(o.current(), params);
      const count = (key: string) => {
        const by: Record<string, number> = {};
        for (const r of records) {
          const v = String(r[key] ?? 'null');
          by[v] = (by[v] ?? 0) + 1;
        }
        return by;
      };
      return {
        total_records: records.length,
        by_type: count('type'),
        by_status: count('status'),
        by_policy: count('policy_decision'),
        earliest_timestamp: records.at(-1)?.timestamp ?? null,
        latest_timestamp: records[0]?.timestamp ?? null,
      };
    },
  };
}
