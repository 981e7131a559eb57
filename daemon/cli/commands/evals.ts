/**
 * `mxcp evals [SUITE] [--model NAME] [--user-context JSON]`: runs the LLM eval suites under `paths.evals`
 * (all, or the one named) against the configured model; exits 1 when any test fails or errors.
 */
import type { Command } from 'commander';
import { Errors } from '../../../sdk/errors/index.js';
import { type EvalSuiteResult, type EvalTestResult, runSuite } from '../../evals/runner.js';
import { loadSuites } from '../../evals/suites.js';
import { parseUserContext } from '../cli-inputs.js';
import { withGeneration } from '../open-generation.js';
import type { Output } from '../output.js';
import { type CommonOptions, runCommand } from '../run-command.js';

interface EvalsOptions extends CommonOptions {
  model?: string;
  userContext?: string;
}

export function registerEvals(program: Command): void {
  program
    .command('evals')
    .description("Run LLM evaluation suites: a model gets the project's tools and a prompt; its calls and answer are checked")
    .argument('[suite]', 'suite name (default: every suite)')
    .option('-m, --model <name>', 'model from the user config models block (default: the suite model, then models.default)')
    .option('-u, --user-context <json>', "user context for every test (overrides each test's user_context)")
    .option('--profile <name>', 'profile to use')
    .option('--json-output', 'print JSON')
    .option('--debug', 'debug logging and stack traces')
    .action((name: string | undefined, opts: EvalsOptions) =>
      runCommand(opts, (ctx) => {
        const user = parseUserContext(opts.userContext, ctx.cwd);
        return withGeneration(ctx, { ...opts, readonly: true }, async (generation) => {
          const all = await loadSuites(generation.project);
          const suites = name === undefined ? all : all.filter((s) => s.suite === name);
          if (name !== undefined && suites.length === 0)
            throw new Errors.MXCP_E_EVAL_SUITE_NOT_FOUND({ suite: name, known: all.map((s) => s.suite).join(', ') });
          const { out } = ctx;
          const results: EvalSuiteResult[] = [];
          for (const suite of suites) {
            if (!out.json) out.line(out.style('bold', `${suite.suite} (${suite.path})`));
            results.push(
              await runSuite(generation, suite, {
                ...(opts.model ? { model: opts.model } : {}),
                ...(user ? { user } : {}),
                ...(out.json ? {} : { onTest: (r: EvalTestResult) => printTest(out, r) }),
              }),
            );
          }
          const status = results.every((r) => r.status === 'passed') ? 'passed' : 'failed';
          if (out.json) out.ok({ status, suites: results });
          else {
            const tests = results.flatMap((r) => r.tests);
            out.line(`${tests.filter((t) => t.status === 'passed').length} of ${tests.length} eval test(s) passed`);
          }
          return status === 'passed' ? 0 : 1;
        });
      }),
    );
}

function printTest(out: Output, r: EvalTestResult): void {
  const icon = r.status === 'passed' ? out.style('green', '✓') : out.style('red', '✗');
  out.line(`  ${icon} ${r.name} (${r.time}s; ${r.tool_calls.length} tool call(s))`);
  for (const f of r.failures) out.line(`      ${f}`);
  if (r.error) out.line(`      ${r.error}`);
}
