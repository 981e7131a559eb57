/**
 * The `executor` plugin kind: runs endpoint code of one or more languages. The daemon hands each executor
 * an {@link ExecutorHost} (database access, configuration, logger) and calls `prepare` once per
 * generation with every endpoint of its languages, then `execute` per request. Built-in executors
 * (`sql`, `typescript`/`javascript`) are written exactly like third-party ones.
 */
import type { ExecutionContext } from './execution-context.js';

export interface EndpointSource {
  readonly language: string;
  /** Inline code, or for SQL the text of the source file (read once per generation). */
  readonly code?: string;
  /** Absolute path of `source.file`, when given. */
  readonly file?: string;
}

export interface ExecutableEndpoint {
  readonly kind: 'tool' | 'resource';
  /** Tool name or resource URI. The function a module endpoint exports is named like the tool. */
  readonly name: string;
  readonly source: EndpointSource;
  /** Declared parameter names, in order. */
  readonly parameterNames: readonly string[];
}

/** A JSON-like row as returned by the database: column name → value (JSON-safe after mapping). */
export type Row = Record<string, unknown>;

export interface DatabaseAccess {
  /** Runs SQL with `$name` parameters bound (never interpolated); rows of the last statement. */
  execute(sql: string, params?: Readonly<Record<string, unknown>>, context?: ExecutionContext): Promise<Row[]>;
}

/** Minimal structured logger (pino-compatible) given to plugins. */
export interface PluginLogger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

export interface ConfigAccess {
  /** The `parameters` map of the active profile's secret `name`, or `undefined`. */
  getSecret(name: string): Readonly<Record<string, unknown>> | undefined;
  /** A site config value by dotted key (`dbt.enabled`, `profiles.dev.duckdb.path`). */
  getSetting(key: string, fallback?: unknown): unknown;
  readonly siteConfig: Readonly<Record<string, unknown>>;
  readonly userConfig: Readonly<Record<string, unknown>>;
}

/**
 * A `udf` plugin instance of the generation (MXCP's `plugin:` entries), as endpoint code sees it through
 * `plugins.get` / `plugins.list`: the instance itself lives in the daemon's main thread, next to DuckDB,
 * so endpoint code calls its functions through SQL (`db.execute('SELECT greet_txt($x)')`).
 */
export interface PluginDescription {
  /** The `plugin:` entry's name (the suffix of its SQL functions). */
  readonly name: string;
  /** The plugin package (`module:`). */
  readonly module: string;
  readonly version: string;
  /** The SQL functions it registered, `<method>_<name>`. */
  readonly functions: readonly string[];
}

export interface ExecutorHost {
  readonly projectRoot: string;
  readonly database: DatabaseAccess;
  readonly config: ConfigAccess;
  readonly logger: PluginLogger;
  /** The generation's udf plugin instances, for `plugins.get` / `plugins.list` in endpoint code. */
  readonly plugins?: readonly PluginDescription[];
}

export interface Executor {
  /** Languages served, e.g. `['sql']` or `['typescript', 'javascript']`. */
  readonly languages: readonly string[];
  /**
   * Loads/compiles every endpoint once per generation. Returns a problem per endpoint name that cannot be
   * served (missing export, syntax error); an empty map when all are fine.
   */
  prepare(endpoints: readonly ExecutableEndpoint[]): Promise<ReadonlyMap<string, Error>>;
  /** Runs one call with validated parameters. Throws coded errors; honours `context.signal`. */
  execute(endpoint: ExecutableEndpoint, params: Readonly<Record<string, unknown>>, context: ExecutionContext): Promise<unknown>;
  /** Runs shutdown hooks and releases resources (worker threads, connections). Idempotent. */
  close(): Promise<void>;
  /** Pool figures for `/metrics`, for executors that keep a worker pool. */
  stats?(): ExecutorStats;
}

export interface ExecutorStats {
  /** Worker threads alive. */
  readonly threads: number;
  /** Share of the pool's capacity used since it started, 0..1 (piscina's `utilization`). */
  readonly utilization: number;
  /** Calls waiting for a free worker. */
  readonly queued: number;
}
