/**
 * `mxcp dbt ARGS...`: runs `dbt ARGS...` in the project root with the profile's secrets as
 * `MXCP_SECRET_*` environment variables (what the profile `mxcp dbt-config` wrote refers to) and
 * `DBT_PROFILES_DIR` at the project root when it holds a `profiles.yml`; exits with dbt's exit code.
 * Every option but `--profile` and `--debug` goes to dbt.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Command } from 'commander';
import { Errors } from '../../../sdk/errors/index.js';
import { loadProject } from '../../config/project.js';
import { secretEnv } from '../../dbt/dbt-files.js';
import { type CommonOptions, runCommand } from '../run-command.js';

/** The first `dbt` on PATH, or undefined. */
function findDbt(path: string): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'dbt');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

export function registerDbt(program: Command): void {
  program
    .command('dbt')
    .description('Run dbt with the profile secrets as MXCP_SECRET_* variables (options besides --profile/--debug go to dbt)')
    .argument('[args...]', 'dbt arguments, e.g. run --select my_model')
    .option('--profile <name>', 'profile to use')
    .option('--debug', 'debug logging and stack traces')
    .allowUnknownOption(true)
    .helpOption(false)
    .action((args: string[], opts: CommonOptions) =>
      runCommand(opts, async ({ cwd, env }) => {
        const project = await loadProject({ cwd, env, profile: opts.profile });
        if (!project.siteConfig.dbt.enabled) throw new Errors.MXCP_E_DBT_DISABLED({ project: project.siteConfig.project });
        const dbt = findDbt(env.PATH ?? '');
        if (!dbt) throw new Errors.MXCP_E_DBT_NOT_FOUND({ path: env.PATH ?? '' });
        const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, ...secretEnv(project) };
        if (!childEnv.DBT_PROFILES_DIR && existsSync(join(project.root, 'profiles.yml'))) childEnv.DBT_PROFILES_DIR = project.root;
        const child = spawn(dbt, args, { cwd: project.root, env: childEnv, stdio: 'inherit' });
        return await new Promise<number>((resolve, reject) => {
          child.once('error', reject);
          child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)));
        });
      }),
    );
}
