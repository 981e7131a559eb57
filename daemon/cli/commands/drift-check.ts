/**
 * `mxcp drift-check [--baseline PATH]`: takes a fresh snapshot (read-only) and compares it with the
 * baseline. Exits 1 on drift (the guide's weekly cron job relies on it), 0 without; a readable diff on a
 * terminal, MXCP's report with `--json-output`.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { Errors } from '../../../sdk/errors/index.js';
import { compareSnapshots, type DriftReport } from '../../drift/compare.js';
import { type DriftSnapshot, takeSnapshot } from '../../drift/snapshot.js';
import { withGeneration } from '../open-generation.js';
import type { Output } from '../output.js';
import { type CommonOptions, runCommand } from '../run-command.js';

interface CheckOptions extends CommonOptions {
  baseline?: string;
  readonly?: boolean;
}

function loadBaseline(path: string): DriftSnapshot {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const detail =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file (create it with mxcp drift-snapshot)' : (err as Error).message;
    throw new Errors.MXCP_E_DRIFT_BASELINE_INVALID({ path, detail }, { location: { file: path } });
  }
  const s = parsed as Partial<DriftSnapshot> | null;
  if (!s || typeof s !== 'object' || s.version !== 1 || !Array.isArray(s.tables) || !Array.isArray(s.resources)) {
    const detail =
      s && typeof s === 'object' && s.version !== 1 ? `Unsupported snapshot version ${JSON.stringify(s.version)}` : 'not a drift snapshot';
    throw new Errors.MXCP_E_DRIFT_BASELINE_INVALID({ path, detail }, { location: { file: path } });
  }
  return s as DriftSnapshot;
}

export function registerDriftCheck(program: Command): void {
  program
    .command('drift-check')
    .description('Compare the database schema and endpoints with the drift baseline; exit 1 on drift')
    .option('--baseline <path>', "baseline snapshot (default: the profile's drift path)")
    .option('--readonly', 'accepted for MXCP compatibility (the check always opens the database read-only)')
    .option('--profile <name>', 'profile to use')
    .option('--json-output', 'print JSON')
    .option('--debug', 'debug logging and stack traces')
    .action((opts: CheckOptions) =>
      runCommand(opts, (ctx) =>
        withGeneration(ctx, { ...opts, readonly: true }, async (generation) => {
          const path = opts.baseline ? resolve(ctx.cwd, opts.baseline) : generation.project.profile.driftPath;
          const baseline = loadBaseline(path);
          const report = compareSnapshots(baseline, await takeSnapshot(generation), path);
          if (ctx.out.json) ctx.out.ok(report);
          else printReport(ctx.out, report, relative(ctx.cwd, path) || path);
          return report.has_drift ? 1 : 0;
        }),
      ),
    );
}

function printReport(out: Output, r: DriftReport, shown: string): void {
  if (!r.has_drift) {
    out.line(`${out.style('green', '✓')} No drift against ${shown} (baseline of ${r.baseline_snapshot_generated_at})`);
    return;
  }
  const s = r.summary;
  out.line(`${out.style('red', '✗')} Drift against ${shown} (baseline of ${r.baseline_snapshot_generated_at})`);
  out.line(
    `  tables: ${s.tables_added} added, ${s.tables_removed} removed, ${s.tables_modified} modified; ` +
      `endpoints: ${s.resources_added} added, ${s.resources_removed} removed, ${s.resources_modified} modified`,
  );
  const sign = { added: out.style('green', '+'), removed: out.style('red', '-'), modified: out.style('yellow', '~') };
  for (const t of r.table_changes) {
    const parts = [
      ...(t.change_type === 'added' ? [] : (t.columns_added ?? []).map((c) => `+ column ${c.name} ${c.type}`)),
      ...(t.change_type === 'removed' ? [] : (t.columns_removed ?? []).map((c) => `- column ${c.name} ${c.type}`)),
      ...(t.columns_modified ?? []).map((c) => `column ${c.name} ${c.old_type} → ${c.new_type}`),
    ];
    out.line(`  ${sign[t.change_type]} table ${t.name}${parts.length ? `: ${parts.join('; ')}` : ''}`);
  }
  for (const c of r.resource_changes) {
    const d = c.details as {
      validation_changes?: { old_status: string; new_status: string };
      test_changes?: { old_status: string | null; new_status: string | null };
      definition_changed?: boolean;
    };
    const parts = [
      ...(d.definition_changed ? ['definition changed'] : []),
      ...(d.validation_changes ? [`validation ${d.validation_changes.old_status} → ${d.validation_changes.new_status}`] : []),
      ...(d.test_changes ? [`tests ${d.test_changes.old_status ?? 'none'} → ${d.test_changes.new_status ?? 'none'}`] : []),
    ];
    out.line(`  ${sign[c.change_type]} ${c.endpoint ?? c.path} (${c.path})${parts.length ? `: ${parts.join('; ')}` : ''}`);
  }
}
