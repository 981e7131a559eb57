/**
 * `mxcp test [TYPE NAME]`: runs endpoint tests. Exits 1 when anything fails or errors (CI gates on it).
 * On a terminal, one line per case as it finishes; with `--json-output`, MXCP's result shape.
 */
import type { Command } from 'commander';
import { Errors } from '../../../sdk/errors/index.js';
import { lookupEndpoint } from '../../engine/invoke.js';
import { type CaseResult, runAllTests, runEndpointTests, type SuiteResult } from '../../engine/test-runner.js';
import { isDbLocked, kNoDaemon, viaAdminSocket } from '../admin-client.js';
import { parseRequestHeaders, parseUserContext } from '../cli-inputs.js';
import { withGeneration } from '../open-generation.js';
import type { Output } from '../output.js';
import { type CommonOptions, runCommand } from '../run-command.js';

type AllResults = Awaited<ReturnType<typeof runAllTests>>;

interface TestOptions extends CommonOptions {
  userContext?: string;
  requestHeaders?: string;
  readonly?: boolean;
}

export function registerTest(program: Command): void {
  program
    .command('test')
    .description('Run endpoint tests (all, or one endpoint)')
    .argument('[type]', 'tool, resource or prompt')
    .argument('[name]', 'endpoint name (resource: URI template)')
    .option('-u, --user-context <json>', "user context for every test (overrides each test's user_context)")
    .option('--request-headers <json>', 'request headers as JSON or @file.json')
    .option('--readonly', 'open the database read-only')
    .option('--profile <name>', 'profile to use')
    .option('--json-output', 'print JSON')
    .option('--debug', 'debug logging and stack traces')
    .action((type: string | undefined, name: string | undefined, opts: TestOptions) =>
      runCommand(opts, async (ctx) => {
        if ((type === undefined) !== (name === undefined))
          throw new Errors.MXCP_E_CLI_USAGE({ detail: 'Give both TYPE and NAME, or neither' });
        if (type !== undefined && type !== 'tool' && type !== 'resource' && type !== 'prompt') {
          throw new Errors.MXCP_E_CLI_USAGE({ detail: `TYPE must be one of tool, resource, prompt (got '${type}')` });
        }
        const user = parseUserContext(opts.userContext, ctx.cwd);
        const headers = parseRequestHeaders(opts.requestHeaders, ctx.cwd);
        const { out } = ctx;
        const onCase = out.json ? undefined : (endpoint: string, r: CaseResult) => printCase(out, endpoint, r);
        const report = (result: { single: SuiteResult } | { all: AllResults }): number => {
          if ('single' in result) {
            const suite = result.single;
            if (out.json) out.ok(suite);
            else printSummary(out, suite.status, suite.tests_run, suite.tests.filter((t) => t.status !== 'passed').length);
            return suite.status === 'ok' ? 0 : 1;
          }
          const all = result.all;
          if (out.json) out.ok(all);
          else {
            for (const e of all.endpoints) if (e.status === 'error') out.line(`${out.style('red', '✗')} ${e.path}: ${e.message}`);
            const bad = all.endpoints.reduce(
              (n, e) => n + (e.status === 'error' ? 1 : (e.test_results?.tests.filter((t) => t.status !== 'passed').length ?? 0)),
              0,
            );
            printSummary(out, all.status, all.tests_run, bad);
          }
          return all.status === 'ok' ? 0 : 1;
        };
        try {
          return await withGeneration(ctx, opts, async (generation) => {
            if (type !== undefined && name !== undefined) {
              const endpoint = generation.endpoint(type, name);
              if (!endpoint) {
                // Distinguish "no such endpoint" from "exists but failed to load".
                lookupEndpoint(generation, type, name);
              }
              return report({ single: await runEndpointTests(endpoint!, { user, headers, onCase }) });
            }
            return report({ all: await runAllTests(generation, { user, headers, onCase }) });
          });
        } catch (err) {
          // A running daemon holds the database: it runs the tests, if it has an admin socket.
          if (!isDbLocked(err)) throw err;
          const userContext = opts.userContext === undefined ? null : (user?.rawProfile ?? {});
          const remote = await viaAdminSocket(ctx.env, 'test', { type, name, user_context: userContext });
          if (remote === kNoDaemon) throw err;
          if (type !== undefined && name !== undefined) return report({ single: remote as SuiteResult });
          const all = remote as AllResults;
          if (!out.json) for (const e of all.endpoints) for (const t of e.test_results?.tests ?? []) printCase(out, e.endpoint, t);
          return report({ all });
        }
      }),
    );
}

function printCase(out: Output, endpoint: string, r: CaseResult): void {
  const mark = r.status === 'passed' ? out.style('green', '✓') : r.status === 'failed' ? out.style('red', '✗') : out.style('red', '!');
  out.line(`${mark} ${endpoint} › ${r.name} ${out.style('dim', `(${(r.time * 1000).toFixed(0)} ms)`)}`);
  if (r.error) out.line(`    ${r.error.split('\n').join('\n    ')}`);
}

function printSummary(out: Output, status: string, run: number, bad: number): void {
  out.line('');
  out.line(
    status === 'ok'
      ? out.style('green', `${run} test(s) passed.`)
      : out.style('red', `${bad} problem(s) in ${run} test(s) (status: ${status}).`),
  );
}
