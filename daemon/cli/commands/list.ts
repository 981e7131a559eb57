/**
 * `mxcp list`: every endpoint file with its kind, name and load error. Never opens DuckDB, so it serves as
 * the guide's exec probe while a daemon holds the database. Exits 0 even when an endpoint is broken.
 */
import type { Command } from 'commander';
import { loadProject } from '../../config/project.js';
import { builtinExecutorLanguages } from '../../registry/languages.js';
import { buildRegistry } from '../../registry/registry.js';
import { errorText } from '../output.js';
import { type CommonOptions, runCommand } from '../run-command.js';

export function registerList(program: Command): void {
  program
    .command('list')
    .description('List all endpoints of the project (never opens the database)')
    .option('--profile <name>', 'profile to use')
    .option('--json-output', 'print JSON')
    .option('--debug', 'debug logging and stack traces')
    .action((opts: CommonOptions) =>
      runCommand(opts, async ({ out, cwd, env, log }) => {
        const project = await loadProject({ cwd, env, profile: opts.profile });
        const registry = await buildRegistry({
          root: project.root,
          paths: project.siteConfig.paths,
          languages: builtinExecutorLanguages(),
          skipChecks: true,
        });
        for (const s of registry.skipped) log[s.level]({ file: s.relPath }, `endpoint file ${s.relPath} ${s.reason}`);
        const endpoints = registry.entries.map((e) => ({
          path: e.absPath,
          kind: e.kind,
          name: e.name,
          error: e.error ? errorText(e.error) : '',
        }));
        const status = registry.failed.length > 0 ? 'error' : 'ok';
        if (out.json) {
          out.ok({ status, endpoints });
          return 0;
        }
        if (endpoints.length === 0) {
          out.line('No endpoints found.');
          return 0;
        }
        out.table(
          ['KIND', 'NAME', 'PATH', 'STATUS'],
          registry.entries.map((e) => [e.kind, e.name, e.relPath, e.error ? out.style('red', 'error') : out.style('green', 'ok')]),
        );
        for (const e of registry.failed) out.line(`${out.style('red', '✗')} ${errorText(e.error)}`);
        return 0;
      }),
    );
}
