/**
 * `mxcp validate [FILE]`: loads every endpoint (or one file) and runs the static checks. Exits 1 when any
 * endpoint is invalid so CI can gate on it (DESIGN section 3; MXCP itself exits 0).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { Errors } from '../../../sdk/errors/index.js';
import { loadProject } from '../../config/project.js';
import { executorLanguages } from '../../plugins/executor-languages.js';
import { buildRegistry, type EndpointEntry, type ValidEndpoint } from '../../registry/registry.js';
import { errorText, type Output } from '../output.js';
import { type CommonOptions, runCommand } from '../run-command.js';
import { sqlChecks } from './validate-sql.js';

interface ValidatedEntry {
  status: 'ok' | 'error';
  path: string;
  message?: string;
}

interface ValidateOptions extends CommonOptions {
  readonly?: boolean;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('Validate endpoint definitions (all, or one file)')
    .argument('[file]', 'endpoint file to validate, e.g. tools/my_tool.yml')
    .option('--profile <name>', 'profile to use')
    .option('--readonly', 'open the database read-only')
    .option('--json-output', 'print JSON')
    .option('--debug', 'debug logging and stack traces')
    .action((file: string | undefined, opts: ValidateOptions) =>
      runCommand(opts, async ({ out, cwd, env, log }) => {
        const project = await loadProject({ cwd, env, profile: opts.profile });
        const registry = await buildRegistry({
          root: project.root,
          paths: project.siteConfig.paths,
          languages: await executorLanguages(project, cwd, env),
        });
        for (const s of registry.skipped) log[s.level]({ file: s.relPath }, `endpoint file ${s.relPath} ${s.reason}`);

        // Single file: the path is taken relative to the working directory, and reported as given.
        const single = file === undefined ? undefined : registry.entries.find((e) => e.absPath === resolve(cwd, file));
        const targets = file === undefined ? registry.entries : single ? [single] : [];
        const valid = targets.filter((e): e is ValidEndpoint => !e.error && e.endpoint !== undefined && e.file !== undefined);
        const later = await sqlChecks({ project, endpoints: valid, log });
        const toValidated = (entry: EndpointEntry, path: string): ValidatedEntry => {
          const error = entry.error ?? later.get(entry.absPath);
          return error ? { status: 'error', path, message: errorText(error) } : { status: 'ok', path };
        };

        if (file !== undefined) {
          const unknown = new Errors.MXCP_E_ENDPOINT_FILE_UNKNOWN({ file }, { location: { file } });
          const result: ValidatedEntry = single ? toValidated(single, file) : { status: 'error', path: file, message: errorText(unknown) };
          report(out, { status: result.status, validated: [result] }, true);
          return result.status === 'ok' ? 0 : 1;
        }

        const validated = registry.entries.map((e) => toValidated(e, e.relPath));
        const failed = validated.filter((v) => v.status === 'error').length;
        const summary =
          validated.length === 0
            ? { status: 'error' as const, validated, message: 'No endpoints found' }
            : { status: failed > 0 ? ('error' as const) : ('ok' as const), validated };
        report(out, summary, false);
        return summary.status === 'ok' ? 0 : 1;
      }),
    );
}

function report(out: Output, summary: { status: 'ok' | 'error'; validated: ValidatedEntry[]; message?: string }, single: boolean): void {
  if (out.json) {
    out.ok(single ? summary.validated[0] : summary);
    return;
  }
  for (const v of summary.validated) {
    if (v.status === 'ok') out.line(`${out.style('green', '✓')} ${v.path}`);
    else out.line(`${out.style('red', '✗')} ${v.path}\n    ${v.message}`);
  }
  const failed = summary.validated.filter((v) => v.status === 'error').length;
  if (summary.message) out.line(out.style('yellow', summary.message));
  else if (!single) {
    out.line('');
    out.line(
      failed === 0
        ? out.style('green', `All ${summary.validated.length} endpoint(s) valid.`)
        : out.style('red', `${failed} of ${summary.validated.length} endpoint(s) invalid.`),
    );
  }
}
