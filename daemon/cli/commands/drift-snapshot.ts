/**
 * `mxcp drift-snapshot [--force] [--dry-run]`: records the database schema and every endpoint (validation,
 * tests, definition) at `profiles.<p>.drift.path`, as the baseline `drift-check` compares against. The
 * database is opened read-only, as MXCP does.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { Command } from 'commander';
import { Errors } from '../../../sdk/errors/index.js';
import { driftHash, takeSnapshot } from '../../drift/snapshot.js';
import { withGeneration } from '../open-generation.js';
import { type CommonOptions, runCommand } from '../run-command.js';

interface SnapshotOptions extends CommonOptions {
  force?: boolean;
  dryRun?: boolean;
}

export function registerDriftSnapshot(program: Command): void {
  program
    .command('drift-snapshot')
    .description('Record the database schema and endpoint state as the drift baseline')
    .option('--force', 'overwrite an existing snapshot')
    .option('--dry-run', 'build the snapshot and report it without writing')
    .option('--profile <name>', 'profile to use')
    .option('--json-output', 'print JSON')
    .option('--debug', 'debug logging and stack traces')
    .action((opts: SnapshotOptions) =>
      runCommand(opts, (ctx) =>
        withGeneration(ctx, { ...opts, readonly: true }, async (generation) => {
          const path = generation.project.profile.driftPath;
          if (existsSync(path) && !opts.force && !opts.dryRun) throw new Errors.MXCP_E_DRIFT_SNAPSHOT_EXISTS({ path });
          const snapshot = await takeSnapshot(generation);
          if (!opts.dryRun) {
            mkdirSync(dirname(path), { recursive: true });
            writeFileSync(path, `${JSON.stringify(snapshot, null, 2)}\n`);
          }
          const result = {
            path,
            drift_hash: driftHash(snapshot),
            generated_at: snapshot.generated_at,
            ...(opts.dryRun ? { dry_run: true } : {}),
          };
          const { out } = ctx;
          if (out.json) out.ok(result);
          else {
            const shown = relative(ctx.cwd, path) || path;
            const what = `${snapshot.tables.length} table(s), ${snapshot.resources.length} endpoint file(s)`;
            out.line(
              opts.dryRun
                ? `Dry run: would write ${shown} (${what})`
                : `${out.style('green', '✓')} Drift snapshot written to ${shown} (${what})`,
            );
            out.line(`  drift hash ${result.drift_hash}`);
          }
          return 0;
        }),
      ),
    );
}
