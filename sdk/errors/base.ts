/**
 * The coded error base shared by the daemon, built-in plugins and third-party plugins.
 *
 * Every failure the daemon can report has a stable code (`MXCP_E_<AREA>_<PROBLEM>`), a message template
 * and, for the CLI, an exit code. Errors that reach MCP clients are mapped to JSON-RPC at one boundary
 * (the serving layer); nothing here knows about the wire.
 */

/** Where in a file a problem was found. Lines and columns are 1-based. */
export interface ErrorLocation {
  /** Path of the file, relative to the project root when inside it. */
  file?: string;
  line?: number;
  column?: number;
  /** Dotted key path inside the file, e.g. `profiles.dev.duckdb.path` or `tool.parameters.0.type`. */
  path?: string;
}

export interface MxcpErrorOptions {
  cause?: unknown;
  location?: ErrorLocation;
  /** Further problems of the same kind (for example every Ajv error, not only the first). */
  details?: readonly string[];
}

export interface ErrorSpec {
  /** CLI exit code when this error ends a command: 1 runtime/config failure, 2 usage error. */
  readonly exitCode: 1 | 2;
}

/** Base class: `code` is stable, `message` is the human text without location, `toString()` has both. */
export class MxcpError extends Error {
  readonly code: string;
  readonly exitCode: 1 | 2;
  readonly location?: ErrorLocation;
  readonly details: readonly string[];

  constructor(code: string, message: string, spec: ErrorSpec, options: MxcpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MxcpError';
    this.code = code;
    this.exitCode = spec.exitCode;
    if (options.location) this.location = options.location;
    this.details = options.details ?? [];
  }

  /** `file:line:column: message` — the form printed by the CLI and stored in list/validate results. */
  get located(): string {
    return formatLocated(this.message, this.location);
  }

  override toString(): string {
    return `${this.located} (${this.code})`;
  }
}

/** Prefixes a message with `file:line:column:` as far as the location is known. */
export function formatLocated(message: string, location: ErrorLocation | undefined): string {
  if (!location?.file) return message;
  let where = location.file;
  if (location.line !== undefined) {
    where += `:${location.line}`;
    if (location.column !== undefined) where += `:${location.column}`;
  }
  return `${where}: ${message}`;
}

/** The constructor type that {@link defineError} returns. */
export interface MxcpErrorClass<P> {
  new (params: P, options?: MxcpErrorOptions): MxcpError;
  readonly code: string;
  readonly exitCode: 1 | 2;
  /** Renders the message template without constructing an error (used by docs and tests). */
  format(params: P): string;
}

/**
 * Defines one failure kind. The returned class carries its code statically so callers can match with
 * `err.code === Errors.MXCP_E_X.code` or `err instanceof Errors.MXCP_E_X`.
 */
export function defineError<P = void>(code: string, template: (params: P) => string, spec: ErrorSpec = { exitCode: 1 }): MxcpErrorClass<P> {
  const cls = class extends MxcpError {
    static readonly code = code;
    static readonly exitCode = spec.exitCode;
    static format(params: P): string {
      return template(params);
    }
    constructor(params: P, options?: MxcpErrorOptions) {
      super(code, template(params), spec, options);
    }
  };
  Object.defineProperty(cls, 'name', { value: code });
  return cls;
}

/** True when `value` is an {@link MxcpError}, also across module copies (plugins may bundle the SDK). */
export function isMxcpError(value: unknown): value is MxcpError {
  return (
    value instanceof MxcpError ||
    (typeof value === 'object' &&
      value !== null &&
      typeof (value as { code?: unknown }).code === 'string' &&
      (value as { code: string }).code.startsWith('MXCP_E_'))
  );
}

/** `file:line:col: message (CODE)` for coded errors; the message alone for other errors. */
export function describeError(err: unknown): string {
  if (isMxcpError(err)) return `${formatLocated(err.message, err.location)} (${err.code})`;
  if (err instanceof Error) return err.message;
  return String(err);
}
