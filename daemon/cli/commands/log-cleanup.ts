/**
 * `mxcp log-cleanup [--dry-run]`: deletes audit records older than `audit.retention_days` (default 90).
 * Whole expired files are removed, partly expired ones rewritten atomically (daemon/audit/cleanup.ts). The
 * dry run prints the plan the real run carries out. Exits 1 when any file could not be cleaned, so the
 * guide's systemd timer reports the failure.
 */
import type { Command } from 'commander';
import { auditErrors } from '../../../sdk/errors/audit.js';
import { type CleanupReport, planCleanup, runCleanup } from '../../audit/cleanup.js';
import { loadProject } from '../../config/project.js';
import type { Output } from '../output.js';
import { runCommand } from '../run-command.js';

interface CleanupOptions {
  dryRun?: boolean;
  profile?: string;
  json?: boolean;
  debug?: boolean;
}

export function registerLogCleanup(program: Command): void {
  program
    .command('log-cleanup')
    .description('Delete audit records older than audit.retention_days')
    .option('--dry-run', 'show what would be deleted, delete nothing')
    .option('--profile <name>', 'profile to use')
    .option('--json', 'print JSON')
    .option('--debug', 'debug logging and stack traces')
    .action((opts: CleanupOptions) =>
      runCommand(opts, async (ctx) => {
        const project = await loadProject({ cwd: ctx.cwd, env: ctx.env, profile: opts.profile });
        const { audit, name: profile } = project.profile;
        if (!audit.enabled) {
          // Not a failure (MXCP exits 0 here too): there is simply nothing this profile keeps.
          const message = auditErrors.MXCP_E_AUDIT_DISABLED.format({ profile });
          if (ctx.out.json) ctx.out.ok({ status: 'skipped', message });
          else ctx.out.line(message);
          return 0;
        }
        const report = opts.dryRun
          ? await planCleanup(audit.path, audit.retention_days)
          : await runCleanup(audit.path, audit.retention_days);
        if (ctx.out.json) ctx.out.ok(jsonResult(report, opts.dryRun === true));
        else printReport(ctx.out, report, opts.dryRun === true);
        return report.failures.length > 0 ? 1 : 0;
      }),
    );
}

function jsonResult(report: CleanupReport, dryRun: boolean) {
  return {
    status: report.failures.length > 0 ? 'error' : dryRun ? 'dry_run' : 'success',
    message: dryRun ? `Would delete ${report.expired} records` : `Deleted ${report.expired} records`,
    retention_days: report.retentionDays,
    cutoff: report.cutoff,
    deleted_records: report.expired,
    files: report.files,
    failures: report.failures,
  };
}

function printReport(out: Output, report: CleanupReport, dryRun: boolean): void {
  if (dryRun) out.line('DRY RUN: nothing is deleted.');
  out.line(`Retention: ${report.retentionDays} days (records before ${report.cutoff})`);
  for (const f of report.files) out.line(`  ${f.action.padEnd(14)} ${f.file} (${f.expired} of ${f.records} records expired)`);
  for (const f of report.failures) out.error(f.error);
  const verb = dryRun ? 'Would delete' : 'Deleted';
  out.line(
    report.expired === 0 ? `${dryRun ? 'No records would be deleted' : 'No records were deleted'}.` : `${verb} ${report.expired} records.`,
  );
}
