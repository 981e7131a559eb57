/**
 * `mxcp plugins`: every discovered plugin (built-ins, the project's plugins/, MXCP_PLUGIN_PATH, npm
 * packages) with kind, version, source, folder and status; broken ones with their MXCP_E_* code and message.
 * Exits 0 either way, like `mxcp list`: the listing itself succeeded.
 */
import type { Command } from 'commander';
import { pluginCatalog } from '../../plugins/catalog.js';
import { type CommonOptions, runCommand } from '../run-command.js';

export function registerPlugins(program: Command): void {
  program
    .command('plugins')
    .description('List discovered plugins and whether they load')
    .option('--json-output', 'print JSON')
    .option('--debug', 'debug logging and stack traces')
    .action((opts: CommonOptions) =>
      runCommand(opts, async ({ out, cwd, env }) => {
        const { root, plugins } = await pluginCatalog({ cwd, env });
        if (out.json) {
          out.ok({ project: root, plugins });
          return 0;
        }
        if (plugins.length === 0) {
          out.line('No plugins found.');
          return 0;
        }
        out.table(
          ['NAME', 'KIND', 'VERSION', 'SOURCE', 'STATUS', 'DIR'],
          plugins.map((p) => [
            p.name,
            p.kind ?? '?',
            p.version ?? '?',
            p.source,
            p.status === 'ok' ? out.style('green', 'ok') : out.style('red', 'error'),
            p.dir,
          ]),
        );
        for (const p of plugins) if (p.status === 'error') out.line(`${out.style('red', '✗')} ${p.name}: ${p.error} (${p.code})`);
        return 0;
      }),
    );
}
