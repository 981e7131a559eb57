/** The `mxcp` command tree. One file per command under `commands/`. */
import { Command } from 'commander';
import { kPackageVersion } from '../package-root.js';
import { registerInit } from './commands/init.js';
import { registerList } from './commands/list.js';
import { registerQuery } from './commands/query.js';
import { registerRun } from './commands/run.js';
import { registerServe } from './commands/serve.js';
import { registerTest } from './commands/test.js';
import { registerValidate } from './commands/validate.js';

export function createProgram(): Command {
  const program = new Command('mxcp')
    .description('Serve YAML-defined MCP tools, resources and prompts backed by DuckDB SQL and TypeScript')
    .version(kPackageVersion, '--version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: false })
    // Before any subcommand is added, so each inherits it: parse failures throw a CommanderError that
    // main.ts turns into exit 2 (usage error), like click.
    .exitOverride();
  registerInit(program);
  registerList(program);
  registerValidate(program);
  registerRun(program);
  registerQuery(program);
  registerTest(program);
  registerServe(program);
  return program;
}
