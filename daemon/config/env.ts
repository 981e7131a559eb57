/** Parsing of the environment variables and small value types the configuration uses. */
import { Errors } from '../../sdk/errors/index.js';
import type { Duration } from './types.js';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * MXCP's boolean flags: `1/true/yes` on, `0/false/no` off, case-insensitive and trimmed. Anything else is
 * refused rather than guessed. Unset or empty gives `undefined`.
 */
export function envFlag(env: Env, name: string): boolean | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const v = raw.trim().toLowerCase();
  if (v === '1' || v === 'true' || v === 'yes') return true;
  if (v === '0' || v === 'false' || v === 'no') return false;
  throw new Errors.MXCP_E_ENV_INVALID({ variable: name, value: raw, expected: 'one of 1, true, yes, 0, false, no' });
}

/** `250ms`, `30s`, `5m`, `2h`, or a number of seconds → milliseconds. */
export function durationMs(value: Duration): number {
  if (typeof value === 'number') return value * 1000;
  const m = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)$/.exec(value.trim());
  if (!m) throw new Error(`invalid duration '${value}'`);
  const n = Number(m[1]);
  const unit = m[2];
  return unit === 'ms' ? n : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n * 3_600_000;
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/** Maps MXCP/Python level names (any case) to pino levels. */
export function toLogLevel(name: string): LogLevel | undefined {
  switch (name.trim().toLowerCase()) {
    case 'trace':
      return 'trace';
    case 'debug':
      return 'debug';
    case 'info':
      return 'info';
    case 'warn':
    case 'warning':
      return 'warn';
    case 'error':
      return 'error';
    case 'critical':
    case 'fatal':
      return 'fatal';
    case 'silent':
    case 'off':
      return 'silent';
    default:
      return undefined;
  }
}
