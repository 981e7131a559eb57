/**
 * `mxcp dbt-config [--dry-run] [--force] [--embed-secrets]`: writes `profiles.yml` (a dbt-duckdb profile on
 * the project's DuckDB file, secrets as `env_var()` references unless `--embed-secrets`) and, when missing
 * or with `--force`, `dbt_project.yml`, both in the project root. `mxcp dbt` points dbt at that folder.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { parse, stringify } from 'yaml';
import { Errors } from '../../../sdk/errors/index.js';
import { loadProject } from '../../config/project.js';
import { profileDocument, projectDocument } from '../../dbt/dbt-files.js';
import { type CommonOptions, runCommand } from '../run-command.js';

interface DbtConfigOptions extends CommonOptions {
  dryRun?: boolean;
  force?: boolean;
  embedSecrets?: boolean;
}

export function registerDbtConfig(program: Command): void {
  program
    .command('dbt-config')
    .description("Write dbt's profiles.yml and dbt_project.yml for the project's DuckDB file")
    .option('--dry-run', 'print what would be written')
    .option('--force', 'overwrite dbt_project.yml (and allow --embed-secrets)')
    .option('--embed-secrets', 'write secret values into profiles.yml instead of env_var() references (needs --force)')
    .option('--profile <name>', 'profile to use')
    .option('--json-output', 'print JSON')
    .option('--debug', 'debug logging and stack traces')
    .action((opts: DbtConfigOptions) =>
      runCommand(opts, async ({ out, cwd, env }) => {
        if (opts.embedSecrets && !opts.force) throw new Errors.MXCP_E_DBT_EMBED_NEEDS_FORCE();
        const project = await loadProject({ cwd, env, profile: opts.profile });
        if (!project.siteConfig.dbt.enabled) throw new Errors.MXCP_E_DBT_DISABLED({ project: project.siteConfig.project });
        const profilesPath = join(project.root, 'profiles.yml');
        const projectPath = join(project.root, 'dbt_project.yml');
        // profiles.yml may hold other profiles: ours is replaced, the rest kept.
        const existing = existsSync(profilesPath)
          ? ((parse(readFileSync(profilesPath, 'utf8')) as Record<string, unknown> | null) ?? {})
          : {};
        const profiles = { ...existing, ...profileDocument(project, opts.embedSecrets === true) };
        const writeProject = opts.force || !existsSync(projectPath);
        const files = [
          { path: profilesPath, text: stringify(profiles) },
          ...(writeProject ? [{ path: projectPath, text: stringify(projectDocument(project)) }] : []),
        ];
        if (!opts.dryRun) for (const f of files) writeFileSync(f.path, f.text, opts.embedSecrets ? { mode: 0o600 } : {});
        if (out.json) {
          out.ok({ dry_run: opts.dryRun === true, files: files.map((f) => f.path), kept: writeProject ? [] : [projectPath] });
          return 0;
        }
        for (const f of files) {
          out.line(`${opts.dryRun ? 'Would write' : out.style('green', '✓ Wrote')} ${f.path}`);
          if (opts.dryRun) out.line(f.text.replace(/^/gm, '    '));
        }
        if (!writeProject) out.line(`Kept the existing ${projectPath} (--force overwrites it)`);
        return 0;
      }),
    );
}
