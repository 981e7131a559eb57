/**
 * Wraps every command action: builds the output and logger, turns thrown errors into the documented exit
 * codes (coded errors carry theirs; anything else is an internal error, exit 1), and never prints a stack
 * trace unless `--debug`.
 */
import { isMxcpError } from '../../sdk/errors/index.js';
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
    out.error(err);
    if (!isMxcpError(err)) log.debug({ err }, 'unexpected error');
    process.exitCode = isMxcpError(err) ? ((err as { exitCode?: number }).exitCode ?? 1) : 1;
  }
}
