/**
 * `mxcp init [FOLDER]`: creates the project layout, `mxcp-site.yml` and the profile's DuckDB file.
 * `--bootstrap` adds a hello-world SQL tool with a test. Asks about a Claude Desktop config only on a
 * terminal; `--claude-config` writes it without asking, and nothing prompts when stdin is not a TTY.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { Errors } from '../../../sdk/errors/index.js';
import { findProjectRoot, kSiteFileName } from '../../config/project-root.js';
import { type CommonOptions, runCommand } from '../run-command.js';
import { claudeConfig, kHelloSql, kHelloToolYaml, kProjectDirs, siteConfigText } from './init-templates.js';

interface InitOptions extends CommonOptions {
  project?: string;
  bootstrap?: boolean;
  claudeConfig?: boolean;
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('Create a new MXCP project')
    .argument('[folder]', 'project folder', '.')
    .option('--project <name>', 'project name (default: the folder name)')
    .option('--profile <name>', 'profile name (default: MXCP_PROFILE or "default")')
    .option('--bootstrap', 'add a hello-world SQL tool with a test')
    .option('--claude-config', 'write server_config.json for Claude Desktop without asking')
    .option('--no-claude-config', 'do not write or ask about server_config.json')
    .option('--json-output', 'print JSON')
    .option('--debug', 'debug logging and stack traces')
    .action((folder: string, opts: InitOptions) =>
      runCommand(opts, async ({ out, cwd, env }) => {
        const dir = resolve(cwd, folder);
        if (existsSync(join(dir, kSiteFileName))) throw new Errors.MXCP_E_INIT_EXISTS({ file: join(dir, kSiteFileName) });
        const outer = findProjectRoot(dirname(dir));
        if (outer) throw new Errors.MXCP_E_INIT_NESTED({ root: outer });
        const profile = opts.profile || env.MXCP_PROFILE || 'default';
        // The profile names a file (data/db-<profile>.duckdb) and a YAML key: keep it a plain name, so
        // `--profile ../x` cannot place the database outside data/.
        if (!kNamePattern.test(profile)) {
          throw new Errors.MXCP_E_CLI_USAGE({ detail: `Invalid profile name '${profile}': use letters, digits, '_' and '-' only` });
        }
        if (opts.project !== undefined && !kNamePattern.test(opts.project)) {
          throw new Errors.MXCP_E_CLI_USAGE({ detail: `Invalid project name '${opts.project}': use letters, digits, '_' and '-' only` });
        }
        const project = opts.project || sanitizeName(basename(dir));
        const dbPath = join(dir, 'data', `db-${profile}.duckdb`);
        if (existsSync(dbPath)) throw new Errors.MXCP_E_INIT_EXISTS({ file: dbPath });

        const created: string[] = [];
        await step(dir, () => mkdir(dir, { recursive: true }));
        for (const sub of kProjectDirs) await step(join(dir, sub), () => mkdir(join(dir, sub), { recursive: true }));
        await writeNew(join(dir, kSiteFileName), siteConfigText(project, profile), created);
        if (opts.bootstrap) {
          await writeNew(join(dir, 'tools', 'hello_world.yml'), kHelloToolYaml, created);
          await writeNew(join(dir, 'sql', 'hello_world.sql'), kHelloSql, created);
        }
        await step(dbPath, () => createDatabase(dbPath));
        created.push(dbPath);

        const wantClaude =
          opts.claudeConfig ??
          (process.stdin.isTTY && !out.json
            ? await confirm('Generate a Claude Desktop configuration file (server_config.json)? [y/N] ')
            : false);
        if (wantClaude) await writeNew(join(dir, 'server_config.json'), claudeConfig(project, dir, profile), created);

        if (out.json) {
          out.ok({ path: dir, project, profile, created });
          return 0;
        }
        out.line(`${out.style('green', '✓')} Created MXCP project '${project}' (profile '${profile}') in ${dir}`);
        for (const f of created) out.line(`  ${f}`);
        out.line('');
        out.line('Next steps:');
        out.line(`  cd ${folder === '.' ? '.' : folder}`);
        out.line('  mxcp validate && mxcp test');
        out.line('  mxcp serve --transport stdio   # or: mxcp serve (HTTP on localhost:8000)');
        return 0;
      }),
    );
}

const kNamePattern = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

/** Project names key the user config; keep them identifier-like. */
function sanitizeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_-]/g, '_');
  return cleaned.length > 0 ? cleaned : 'mxcp_project';
}

async function writeNew(path: string, content: string, created: string[]): Promise<void> {
  await step(path, () => writeFile(path, content, { flag: 'wx' }));
  created.push(path);
}

/** Runs one filesystem step; a failure (a file in the way, permissions) becomes a coded error naming the path. */
async function step(path: string, action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const reason = e.code === 'EEXIST' ? 'it already exists' : e.code === 'ENOTDIR' ? 'a file is in the way' : (e.code ?? e.message);
    throw new Errors.MXCP_E_INIT_FAILED({ path, reason }, { cause: err });
  }
}

async function createDatabase(path: string): Promise<void> {
  // Loaded lazily: no other command in this file needs the native module.
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(path);
  instance.closeSync();
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(question);
    return /^y(es)?$/i.test(answer.trim());
  } catch {
    return false; // EOF on the prompt means "no", as in MXCP
  } finally {
    rl.close();
  }
}
