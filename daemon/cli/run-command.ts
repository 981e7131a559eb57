/**
 * Wraps every command action: builds the output and logger, turns thrown errors into the documented exit
 * codes (coded errors carry theirs; anything else is an internal error, exit 1), and never prints a stack
 * trace unless `--debug`.
 */
import { Errors, isMxcpError, type MxcpError } from '../../sdk/errors/index.js';
import type { Env } from '../config/env.js';
import { createLogger, type Logger, resolveLogLevel } from '../logging/logger.js';
import { Output } from './output.js';

export interface CommonOptions {
  profile?: string;
  jsonOutput?: boolean;
  debug?: boolean;
}

export interface CommandContext {
  readonly out: Output;
  readonly log: Logger;
  readonly cwd: string;
  readonly env: Env;
}

export type CommandAction = (ctx: CommandContext) => Promise<number>;

export async function runCommand(opts: CommonOptions & { json?: boolean }, action: CommandAction): Promise<void> {
  const env = process.env;
  const out = new Output({ json: opts.jsonOutput ?? opts.json, debug: opts.debug });
  const log = createLogger(resolveLogLevel({ debug: opts.debug, env }));
  try {
    process.exitCode = await action({ out, log, cwd: process.cwd(), env });
  } catch (err) {
    const coded = toCoded(err);
    out.error(coded);
    if (coded !== err) log.debug({ err }, 'unexpected error');
    process.exitCode = coded.exitCode;
  }
}

/**
 * Every failure leaves the CLI with a code: anything that is not already an MxcpError is a bug and is
 * reported as MXCP_E_INTERNAL_ERROR (its stack only with `--debug`, through `cause`).
 */
function toCoded(err: unknown): MxcpError {
  if (isMxcpError(err)) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new Errors.MXCP_E_INTERNAL_ERROR({ detail }, { cause: err });
}
