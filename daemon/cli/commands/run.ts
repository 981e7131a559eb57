/** `mxcp run tool|resource|prompt NAME`: one call through the full pipeline, as the server would make it. */
import type { Command } from 'commander';
import { Errors } from '../../../sdk/errors/index.js';
import { runAudited } from '../../engine/audited-invoke.js';
import { lookupEndpoint } from '../../engine/invoke.js';
import { isDbLocked, kNoDaemon, viaAdminSocket } from '../admin-client.js';
import { collect, parseParams, parseRequestHeaders, parseUserContext } from '../cli-inputs.js';
import { withGeneration } from '../open-generation.js';
import { renderResult } from '../render-result.js';
import { type CommonOptions, runCommand } from '../run-command.js';

interface RunOptions extends CommonOptions {
  param?: string[];
  userContext?: string;
  requestHeaders?: string;
  skipOutputValidation?: boolean;
  readonly?: boolean;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('Run a tool, resource or prompt')
    .argument('<type>', 'tool, resource or prompt')
    .argument('<name>', 'tool or prompt name, or resource URI template (e.g. "users://{id}")')
    .option('-p, --param <name=value>', 'parameter (repeatable); name=@file.json loads JSON', collect, [])
    .option('-u, --user-context <json>', 'user context as JSON or @file.json')
    .option('--request-headers <json>', 'request headers as JSON or @file.json')
    .option('--skip-output-validation', 'do not validate the result against the return type')
    .option('--readonly', 'open the database read-only')
    .option('--profile <name>', 'profile to use')
    .option('--json-output', 'print JSON')
    .option('--debug', 'debug logging and stack traces')
    .action((type: string, name: string, opts: RunOptions) =>
      runCommand(opts, async (ctx) => {
        if (type !== 'tool' && type !== 'resource' && type !== 'prompt') {
          throw new Errors.MXCP_E_CLI_USAGE({ detail: `TYPE must be one of tool, resource, prompt (got '${type}')` });
        }
        const params = parseParams(opts.param, ctx.cwd);
        const user = parseUserContext(opts.userContext, ctx.cwd);
        const headers = parseRequestHeaders(opts.requestHeaders, ctx.cwd);
        let result: unknown;
        try {
          result = await withGeneration(ctx, opts, async (generation) => {
            const endpoint = lookupEndpoint(generation, type, name);
            return runAudited(
              generation,
              endpoint,
              params,
              { transport: 'cli', user, headers },
              { skipOutputValidation: opts.skipOutputValidation, logger: ctx.log },
            );
          });
        } catch (err) {
          // A running daemon holds the database: let it make the call, if it has an admin socket.
          if (!isDbLocked(err)) throw err;
          const raw = opts.userContext === undefined ? null : JSON.parse(JSON.stringify(user?.rawProfile ?? {}));
          result = await viaAdminSocket(ctx.env, 'run', {
            type,
            name,
            params,
            user_context: raw,
            headers: headers ?? null,
            skip_output_validation: opts.skipOutputValidation === true,
          });
          if (result === kNoDaemon) throw err;
        }
        if (ctx.out.json) ctx.out.ok(result ?? null);
        else renderResult(ctx.out, result);
        return 0;
      }),
    );
}
