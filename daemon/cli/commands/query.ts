/**
 * `mxcp query [SQL] [--file F] [--db FILE]`: ad-hoc SQL on the project's DuckDB (or any DuckDB file with
 * `--db`, which needs no project: the documented stand-in for the `duckdb FILE` commands of the guide).
 * SQL comes from the argument, `--file`, or standard input when it is not a terminal. Parameters are bound
 * as strings (there is no schema to convert them).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { Errors } from '../../../sdk/errors/index.js';
import { durationMs, envFlag } from '../../config/env.js';
import { loadProject } from '../../config/project.js';
import { DuckDBRuntime } from '../../duckdb/runtime.js';
import { isDbLocked, kNoDaemon, viaAdminSocket } from '../admin-client.js';
import { collect, parseParams } from '../cli-inputs.js';
import { renderResult } from '../render-result.js';
import { type CommonOptions, runCommand } from '../run-command.js';

interface QueryOptions extends CommonOptions {
  file?: string;
  db?: string;
  param?: string[];
  readonly?: boolean;
}

export function registerQuery(program: Command): void {
  program
    .command('query')
    .description('Run SQL against the DuckDB database')
    .argument('[sql]', 'SQL text (or use --file, or pipe it on stdin)')
    .option('--file <path>', 'read the SQL from a file')
    .option('--db <file>', 'query this DuckDB file instead of the project database (no project needed)')
    .option('-p, --param <name=value>', 'parameter bound as $name (repeatable)', collect, [])
    .option('--readonly', 'open the database read-only')
    .option('--profile <name>', 'profile to use')
    .option('--json-output', 'print JSON')
    .option('--debug', 'debug logging and stack traces')
    .action((sqlArg: string | undefined, opts: QueryOptions) =>
      runCommand(opts, async (ctx) => {
        if (sqlArg !== undefined && opts.file !== undefined)
          throw new Errors.MXCP_E_CLI_USAGE({ detail: 'Cannot provide both SQL query and --file' });
        let sql = sqlArg;
        if (opts.file !== undefined) {
          try {
            sql = await readFile(resolve(ctx.cwd, opts.file), 'utf8');
          } catch (err) {
            throw new Errors.MXCP_E_CLI_USAGE({
              detail: `--file ${opts.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
            });
          }
        }
        if (sql === undefined && !process.stdin.isTTY) sql = await readStdin();
        if (sql === undefined || sql.trim() === '')
          throw new Errors.MXCP_E_CLI_USAGE({ detail: 'Either SQL query or --file must be provided' });

        const params = parseParams(opts.param, ctx.cwd);
        const readonly = Boolean(opts.readonly || envFlag(ctx.env, 'MXCP_READONLY'));
        let runtimeOptions: Parameters<typeof DuckDBRuntime.open>[0];
        if (opts.db !== undefined) {
          runtimeOptions = { path: resolve(ctx.cwd, opts.db), readonly, extensions: [], secrets: [], queryTimeoutMs: 0, logger: ctx.log };
        } else {
          const project = await loadProject({ cwd: ctx.cwd, env: ctx.env, profile: opts.profile });
          runtimeOptions = {
            path: project.profile.duckdbPath,
            readonly: readonly || project.profile.duckdbReadonly,
            extensions: project.siteConfig.extensions,
            secrets: project.userProfile.secrets,
            queryTimeoutMs: durationMs(project.profile.queryTimeout),
            logger: ctx.log,
          };
        }
        let runtime: DuckDBRuntime;
        try {
          runtime = await DuckDBRuntime.open(runtimeOptions);
        } catch (err) {
          // The project's database is held by a running daemon: it runs the SQL, if it has an admin socket.
          if (opts.db !== undefined || !isDbLocked(err)) throw err;
          const remote = await viaAdminSocket(ctx.env, 'query', { sql, params });
          if (remote === kNoDaemon) throw err;
          if (ctx.out.json) ctx.out.ok(remote);
          else renderResult(ctx.out, remote);
          return 0;
        }
        let rows: unknown;
        try {
          rows = (await runtime.query(sql, params as Record<string, string>, {})).rows;
        } finally {
          await runtime.close();
        }
        if (ctx.out.json) ctx.out.ok(rows);
        else renderResult(ctx.out, rows);
        return 0;
      }),
    );
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
