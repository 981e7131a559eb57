/**
 * The process's one pino root. JSON to stderr (journald reads it; stdout belongs to JSON-RPC under stdio).
 * Components take child loggers with stable keys (`plugin`, `endpoint`, `reqId`).
 */
import { type Logger, pino } from 'pino';
import { type Env, envFlag, type LogLevel, toLogLevel } from '../config/env.js';

export type { Logger } from 'pino';

/** Keys that may carry credentials anywhere in a logged object. Values are replaced, never printed. */
export const kRedactPaths = [
  'password',
  'token',
  'secret',
  'client_secret',
  'api_key',
  'authorization',
  '*.password',
  '*.token',
  '*.secret',
  '*.client_secret',
  '*.api_key',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
];

export interface LevelSources {
  readonly debug?: boolean;
  readonly env: Env;
  /** `logging.level` from the user config, when loaded. */
  readonly configured?: string;
}

/** `--debug` > `MXCP_LOG_LEVEL` (any case) > `MXCP_DEBUG` > user config `logging.level` > `warn`. */
export function resolveLogLevel(sources: LevelSources): LogLevel {
  if (sources.debug) return 'debug';
  const fromEnv = sources.env.MXCP_LOG_LEVEL ? toLogLevel(sources.env.MXCP_LOG_LEVEL) : undefined;
  if (fromEnv) return fromEnv;
  let debugFlag: boolean | undefined;
  try {
    debugFlag = envFlag(sources.env, 'MXCP_DEBUG');
  } catch {
    debugFlag = undefined; // a malformed flag must not stop logging from starting
  }
  if (debugFlag) return 'debug';
  return (sources.configured && toLogLevel(sources.configured)) || 'warn';
}

/** The multistream behind each root logger, so a log file can join it once the config is known. */
const kStreams = new WeakMap<Logger, { streams: ReturnType<typeof pino.multistream>; file?: ReturnType<typeof pino.destination> }>();

export function createLogger(level: LogLevel, destination: number = 2): Logger {
  // Synchronous writes: CLI commands exit right after logging and must not lose the line. Every stream
  // takes every level: the logger's own level is the one filter.
  const streams = pino.multistream([{ level: 'trace', stream: pino.destination({ dest: destination, sync: true }) }]);
  const logger = pino(
    {
      name: 'mxcp',
      level,
      redact: { paths: kRedactPaths, censor: '[REDACTED]' },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    streams,
  );
  kStreams.set(logger, { streams });
  return logger;
}

/**
 * Also writes the logger's lines to `path` (the user config's `logging.path`), appending, creating the
 * folder. {@link reopenLogFile} (on SIGHUP) reopens it, so logrotate's move-then-signal works without
 * `copytruncate`. Child loggers share the root's streams.
 */
export function addLogFile(logger: Logger, path: string): void {
  const entry = kStreams.get(logger);
  if (!entry || entry.file) return;
  const file = pino.destination({ dest: path, sync: true, mkdir: true, append: true });
  entry.streams.add({ level: 'trace', stream: file });
  entry.file = file;
}

export function reopenLogFile(logger: Logger): void {
  kStreams.get(logger)?.file?.reopen();
}
