/**
 * `mxcp validate [FILE]`: loads every endpoint (or one file) and runs the static checks. Exits 1 when any
 * endpoint is invalid so CI can gate on it (DESIGN section 3; MXCP itself exits 0).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadProject } from '../../config/project.js';
import { builtinExecutorLanguages } from '../../registry/languages.js';
import { buildRegistry, type EndpointEntry } from '../../registry/registry.js';
import { errorText, type Output } from '../output.js';
import { type CommonOptions, runCommand } from '../run-command.js';

interface ValidatedEntry {
  status: 'ok' | 'error';
  path: string;
  message?: string;
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
    .action((file: string | undefined, opts: CommonOptions & { readonly?: boolean }) =>
      runCommand(opts, async ({ out, cwd, env, log }) => {
        const project = await loadProject({ cwd, env, profile: opts.profile });
        const registry = await buildRegistry({
          root: project.root,
          paths: project.siteConfig.paths,
          languages: builtinExecutorLanguages(),
        });
        for (const s of registry.skipped) log.warn({ file: s.relPath }, `endpoint file ${s.relPath} ${s.reason}`);

        if (file !== undefined) {
          const abs = resolve(cwd, file);
          const entry = registry.entries.find((e) => e.absPath === abs);
          const result: ValidatedEntry = entry
            ? toValidated(entry, file)
            : { status: 'error', path: file, message: 'Endpoint file not found or not a valid endpoint' };
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

function toValidated(entry: EndpointEntry, path: string): ValidatedEntry {
  return entry.error ? { status: 'error', path, message: errorText(entry.error) } : { status: 'ok', path };
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
