/**
 * `mxcp lint [--severity all|error|warning|info] [--strict]`: quality findings for every endpoint (missing
 * descriptions, tests, examples, annotations; names and shapes that make tools hard for a model to use;
 * LIMIT-less queries over large tables). Never opens the database for writing. Exits 0, as MXCP, unless
 * `--strict` and an error or warning is reported (for CI gates).
 */
import { type Command, Option } from 'commander';
import { loadProject } from '../../config/project.js';
import { type LintResult, lintRegistry, tableRowCounts } from '../../lint/run-lint.js';
import { executorLanguages } from '../../plugins/executor-languages.js';
import { buildRegistry } from '../../registry/registry.js';
import type { Output } from '../output.js';
import { type CommonOptions, runCommand } from '../run-command.js';

interface LintOptions extends CommonOptions {
  severity: 'all' | 'error' | 'warning' | 'info';
  strict?: boolean;
}

export function registerLint(program: Command): void {
  program
    .command('lint')
    .description('Check endpoints for what makes them hard for LLMs to use (descriptions, tests, examples, names, unbounded queries)')
    .addOption(
      new Option('--severity <level>', "show only this severity ('all' shows everything)")
        .choices(['all', 'error', 'warning', 'info'])
        .default('all'),
    )
    .option('--strict', 'exit 1 when an error or warning is reported')
    .option('--profile <name>', 'profile to use')
    .option('--json-output', 'print JSON')
    .option('--debug', 'debug logging and stack traces')
    .action((opts: LintOptions) =>
      runCommand(opts, async ({ out, cwd, env, log }) => {
        const project = await loadProject({ cwd, env, profile: opts.profile });
        const registry = await buildRegistry({
          root: project.root,
          paths: project.siteConfig.paths,
          languages: await executorLanguages(project, cwd, env),
        });
        const all = lintRegistry(registry, await tableRowCounts(project, log));
        const shown = opts.severity === 'all' ? all : all.filter((r) => r.severity === opts.severity);
        if (out.json) out.ok(shown);
        else print(out, shown, registry.entries.length);
        return opts.strict && shown.some((r) => r.severity !== 'info') ? 1 : 0;
      }),
    );
}

function print(out: Output, results: readonly LintResult[], endpoints: number): void {
  const icon = { error: out.style('red', '✗'), warning: out.style('yellow', '⚠'), info: out.style('cyan', 'ℹ') };
  let file = '';
  for (const r of results) {
    if (r.path !== file) {
      file = r.path;
      out.line(out.style('bold', file));
    }
    out.line(`  ${icon[r.severity]} ${r.line !== undefined ? `${r.line}: ` : ''}${r.message} [${r.id} ${r.rule}]`);
    out.line(out.style('dim', `      ${r.suggestion}`));
  }
  const count = (s: string) => results.filter((r) => r.severity === s).length;
  out.line(`${endpoints} endpoint file(s): ${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} suggestion(s)`);
}
