/**
 * `mxcp log`: audit records of the active profile, newest first, from the active file and every segment.
 * A table on a terminal; JSON Lines (one stored record per line) when stdout is not a terminal or with
 * `--json`, so `mxcp log --since 1h | jq 'select(.duration_ms > 1000)'` works. `--export-csv` and
 * `--export-duckdb` write every match (not only `--limit`) for analysis.
 */
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { auditErrors } from '../../../sdk/errors/audit.js';
import { exportRecords } from '../../audit/export.js';
import type { StoredRecord } from '../../audit/parse-record.js';
import { type AuditFilter, queryRecords, scanRecords } from '../../audit/query.js';
import { parseSince } from '../../audit/since.js';
import { loadProject } from '../../config/project.js';
import { collect } from '../cli-inputs.js';
import type { Output } from '../output.js';
import { type CommandContext, runCommand } from '../run-command.js';

interface LogOptions {
  profile?: string;
  tool: string[];
  resource: string[];
  prompt: string[];
  type?: string;
  status?: string;
  policy?: string;
  since?: string;
  limit: number;
  json?: boolean;
  exportCsv?: string;
  exportDuckdb?: string;
  debug?: boolean;
}

export function registerLog(program: Command): void {
  program
    .command('log')
    .description('Show audit records, newest first (a table on a terminal, JSON Lines otherwise), or export them')
    .option('--tool <name>', 'records of this tool (repeatable)', collect, [])
    .option('--resource <uri>', 'records of this resource (repeatable)', collect, [])
    .option('--prompt <name>', 'records of this prompt (repeatable)', collect, [])
    .addOption(new Option('--type <type>', 'only this type').choices(['tool', 'resource', 'prompt', 'auth']))
    .addOption(new Option('--status <status>', 'only this status').choices(['success', 'error']))
    .addOption(new Option('--policy <decision>', 'only this policy decision').choices(['allow', 'deny', 'warn', 'n/a']))
    .option('--since <age>', 'only records newer than this: 10s, 5m, 2h, 1d')
    .option('--limit <n>', 'at most this many records (exports take every match)', parseLimit, 100)
    .option('--json', 'JSON Lines (the default when stdout is not a terminal)')
    .option('--export-csv <path>', 'write the matching records to a CSV file')
    .option('--export-duckdb <path>', 'write the matching records to table `logs` of a DuckDB file')
    .option('--profile <name>', 'profile to use')
    .option('--debug', 'debug logging and stack traces')
    .action((opts: LogOptions) => runCommand(opts, (ctx) => log(ctx, opts)));
}

async function log(ctx: CommandContext, opts: LogOptions): Promise<number> {
  const filter = buildFilter(opts);
  const project = await loadProject({ cwd: ctx.cwd, env: ctx.env, profile: opts.profile });
  const { audit, name: profile } = project.profile;
  if (!audit.enabled) throw new auditErrors.MXCP_E_AUDIT_DISABLED({ profile });

  const exports = [
    ...(opts.exportDuckdb ? [{ format: 'duckdb' as const, path: resolve(ctx.cwd, opts.exportDuckdb) }] : []),
    ...(opts.exportCsv ? [{ format: 'csv' as const, path: resolve(ctx.cwd, opts.exportCsv) }] : []),
  ];
  if (exports.length > 0) {
    const results = [];
    for (const e of exports) {
      let skipped = 0;
      const exported = await exportRecords(
        scanRecords(audit.path, filter, () => skipped++),
        e.format,
        e.path,
      );
      if (skipped > 0) ctx.log.warn({ skipped }, `skipped ${skipped} unreadable audit line(s)`);
      results.push({ exported, format: e.format, path: e.path });
      if (!opts.json) ctx.out.line(`Exported ${exported} records to ${e.path}`);
    }
    if (opts.json) ctx.out.ok(results.length === 1 ? results[0] : results);
    return 0;
  }

  const { records, skipped } = await queryRecords(audit.path, filter, opts.limit);
  if (opts.json || !process.stdout.isTTY) {
    for (const r of records) ctx.out.line(JSON.stringify(r));
    if (skipped > 0) ctx.log.warn({ skipped }, `skipped ${skipped} unreadable audit line(s)`);
    return 0;
  }
  printTable(ctx.out, records);
  if (skipped > 0) process.stderr.write(`Note: skipped ${skipped} unreadable line(s) (a truncated write)\n`);
  return 0;
}

function buildFilter(opts: LogOptions): AuditFilter {
  const endpoints = [
    ...opts.tool.map((name) => ({ type: 'tool', name })),
    ...opts.resource.map((name) => ({ type: 'resource', name })),
    ...opts.prompt.map((name) => ({ type: 'prompt', name })),
  ];
  return {
    ...(opts.since !== undefined ? { since: parseSince(opts.since) } : {}),
    ...(endpoints.length > 0 ? { endpoints } : {}),
    ...(opts.type ? { type: opts.type } : {}),
    ...(opts.status ? { status: opts.status } : {}),
    ...(opts.policy ? { policy: opts.policy } : {}),
  };
}

function printTable(out: Output, records: readonly StoredRecord[]): void {
  if (records.length === 0) {
    out.line('No audit records found matching the criteria.');
    return;
  }
  const rows = records.map((r) => [
    r.timestamp.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    String(r.caller ?? ''),
    String(r.type ?? ''),
    String(r.name ?? ''),
    r.status === 'success' ? out.style('green', 'success') : out.style('red', String(r.status ?? '')),
    typeof r.duration_ms === 'number' ? `${r.duration_ms.toFixed(1)} ms` : '',
    String(r.policy_decision ?? ''),
    typeof r.user_id === 'string' ? r.user_id : '-',
  ]);
  out.table(['TIME (UTC)', 'CALLER', 'TYPE', 'NAME', 'STATUS', 'DURATION', 'POLICY', 'USER'], rows);
  out.line();
  out.line(`${records.length} record(s), newest first`);
}

function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}
