/**
 * The `mxcp` command tree. One file per command under `commands/`, loaded on demand: `mxcp list` (the
 * guide's exec probe) and `mxcp --version` must not pay for DuckDB, the worker pool or the MCP layer, and
 * must not open hundreds of module files at once under a low file-descriptor limit.
 */
import type { Command } from 'commander';
import { Command as CommandClass } from 'commander';
import { kPackageVersion } from '../package-root.js';

type Register = (program: Command) => void;

/** In the order `mxcp --help` lists them. */
const kCommands: Record<string, () => Promise<Register>> = {
  init: async () => (await import('./commands/init.js')).registerInit,
  list: async () => (await import('./commands/list.js')).registerList,
  validate: async () => (await import('./commands/validate.js')).registerValidate,
  run: async () => (await import('./commands/run.js')).registerRun,
  query: async () => (await import('./commands/query.js')).registerQuery,
  test: async () => (await import('./commands/test.js')).registerTest,
  serve: async () => (await import('./commands/serve.js')).registerServe,
  plugins: async () => (await import('./commands/plugins.js')).registerPlugins,
  log: async () => (await import('./commands/log.js')).registerLog,
  'log-cleanup': async () => (await import('./commands/log-cleanup.js')).registerLogCleanup,
  'dbt-config': async () => (await import('./commands/dbt-config.js')).registerDbtConfig,
  dbt: async () => (await import('./commands/dbt.js')).registerDbt,
  evals: async () => (await import('./commands/evals.js')).registerEvals,
  lint: async () => (await import('./commands/lint.js')).registerLint,
  'drift-snapshot': async () => (await import('./commands/drift-snapshot.js')).registerDriftSnapshot,
  'drift-check': async () => (await import('./commands/drift-check.js')).registerDriftCheck,
};

/**
 * Builds the program for `argv`: only the named command's module is loaded when the first argument names
 * one, none for `--version`, every command otherwise (help, an unknown command, no arguments).
 */
export async function createProgram(argv: readonly string[] = process.argv): Promise<Command> {
  const program = new CommandClass('mxcp')
    .description('Serve YAML-defined MCP tools, resources and prompts backed by DuckDB SQL and TypeScript')
    .version(kPackageVersion, '--version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: false })
    // Before any subcommand is added, so each inherits it: parse failures throw a CommanderError that
    // main.ts turns into exit 2 (usage error), like click.
    .exitOverride();
  const first = argv[2];
  const names = first === '--version' ? [] : first !== undefined && Object.hasOwn(kCommands, first) ? [first] : Object.keys(kCommands);
  const registers = await Promise.all(names.map((n) => (kCommands[n] as () => Promise<Register>)()));
  for (const register of registers) register(program);
  return program;
}
