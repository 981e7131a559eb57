/**
 * The runtime API for TypeScript/JavaScript endpoint code (`language: typescript | javascript`): the camelCase
 * mirror of the Python MXCP's `mxcp.runtime` (`db`, `config`, `mcp`, `onInit`, `onShutdown`, `getUserContext`).
 *
 * Endpoint code runs in worker threads of the JS/TS executor. A tool's module exports a function named exactly like
 * the tool; it is called with one object holding the validated parameters (dates and times as ISO strings,
 * timestamps as `Date`) and returns a structured-cloneable value:
 *
 * ```ts
 * import { db, getUserContext, mcp } from 'mxcp/sdk';
 *
 * export async function orders_for_me({ limit }: { limit: number }) {
 *   mcp.info('listing orders', { user: getUserContext()?.username });
 *   return db.execute('SELECT * FROM orders WHERE owner = get_username() LIMIT $limit', { limit });
 * }
 * ```
 *
 * Everything here reads a slot that the executor's worker bootstrap places on `globalThis` under
 * {@link kRuntimeSlot}; this module imports no executor code. Because the slot is found through `Symbol.for`,
 * several copies of this module (a project that bundles its own `mxcp`) still share one state.
 * @module
 */

import { executorErrors } from './errors/executor.js';
import type { ClientLogLevel } from './execution-context.js';
import type { PluginDescription, Row } from './executor.js';
import type { UserContext } from './user-context.js';

/**
 * The well-known key (`Symbol.for('mxcp.runtime')`) under which an executor's worker bootstrap stores its
 * {@link RuntimeSlot} on `globalThis`. For executor implementations only; endpoint code never touches it.
 */
export const kRuntimeSlot: symbol = Symbol.for('mxcp.runtime');

/** A lifecycle hook registered with {@link onInit} or {@link onShutdown}: no arguments, may be async. */
export type LifecycleHook = () => unknown;

/**
 * What runtime calls reach while endpoint code runs: one scope per call (bound to that call's user, headers and
 * client), or the hook scope while `onInit` / `onShutdown` hooks run (no user). For executor implementations.
 */
export interface RuntimeScope {
  /** The calling task's user; `undefined` for anonymous calls and in lifecycle hooks. */
  readonly user?: UserContext;
  /** Runs SQL on the daemon's database with this scope's execution context. */
  execute(sql: string, params?: Readonly<Record<string, unknown>>): Promise<Row[]>;
  /** Sends a log message to the MCP client of this call (or the daemon log when there is none). */
  log(level: ClientLogLevel, message: string, data?: unknown): void;
  /** Sends a progress notification to the MCP client of this call (a no-op without one). */
  progress(progress: number, total?: number, message?: string): void;
}

/** Configuration copied into each worker when it starts. For executor implementations. */
export interface RuntimeConfigSnapshot {
  readonly siteConfig: Readonly<Record<string, unknown>>;
  readonly userConfig: Readonly<Record<string, unknown>>;
  /** Secret name → its `parameters` map, for the active profile. */
  readonly secrets: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** The generation's udf plugin instances (absent from executors that predate it). */
  readonly plugins?: readonly PluginDescription[];
}

/**
 * The state an executor's worker bootstrap provides to this module (see {@link kRuntimeSlot}).
 * For executor implementations.
 */
export interface RuntimeSlot {
  /** The scope of the code running now (a call or a hook), or `undefined` (module top level, stray timers). */
  current(): RuntimeScope | undefined;
  readonly config: RuntimeConfigSnapshot;
  /** Hooks registered with {@link onInit}, in registration order. */
  readonly initHooks: LifecycleHook[];
  /** Hooks registered with {@link onShutdown}, in registration order. */
  readonly shutdownHooks: LifecycleHook[];
  /** Writes to the daemon's log; used for `mcp.*` outside any scope. */
  log(level: ClientLogLevel, message: string, data?: unknown): void;
}

function slot(): RuntimeSlot | undefined {
  return (globalThis as Record<symbol, RuntimeSlot | undefined>)[kRuntimeSlot];
}

function requireScope(): RuntimeScope {
  const scope = slot()?.current();
  if (!scope) throw new executorErrors.MXCP_E_EXEC_NO_CONTEXT();
  return scope;
}

/** Database access for endpoint code. */
export const db = {
  /**
   * Runs SQL on the daemon's DuckDB database with `$name` parameters bound (never interpolated) and returns the
   * rows of the last statement as objects. The query runs in the daemon's main thread with the calling request's
   * execution context, so `get_username()` and the other user functions see the caller.
   *
   * Works inside an endpoint call and inside `onInit` / `onShutdown` hooks (there without a user). Anywhere else
   * (module top level, the main thread, a timer that outlives its call) it throws `MXCP_E_EXEC_NO_CONTEXT`:
   * `No execution context available - function not called from MXCP executor`.
   *
   * @example
   * ```ts
   * const rows = await db.execute('SELECT $x AS v', { x: 1 }); // [{ v: 1 }]
   * ```
   */
  execute(sql: string, params?: Readonly<Record<string, unknown>>): Promise<Row[]> {
    try {
      return requireScope().execute(sql, params);
    } catch (err) {
      return Promise.reject(err);
    }
  },
};

/** Read-only configuration for endpoint code. Data is copied into each worker when it starts. */
export const config = {
  /**
   * The `parameters` map of the active profile's secret `name` from the user config (`{}` when it has none),
   * or `undefined` when there is no such secret or when called outside the executor.
   *
   * @example
   * ```ts
   * const token = config.getSecret('github')?.token;
   * ```
   */
  getSecret(name: string): Readonly<Record<string, unknown>> | undefined {
    return slot()?.config.secrets[name];
  },

  /**
   * A value of the site config (`mxcp-site.yml`) by dotted key, or `fallback` when a part of the path is missing
   * (or outside the executor).
   *
   * @example
   * ```ts
   * const dbPath = config.getSetting('profiles.dev.duckdb.path', ':memory:');
   * ```
   */
  getSetting(key: string, fallback?: unknown): unknown {
    const site = slot()?.config.siteConfig;
    if (!site) return fallback;
    let cur: unknown = site;
    for (const part of key.split('.')) {
      if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, part)) return fallback;
      cur = (cur as Record<string, unknown>)[part];
    }
    return cur;
  },

  /** The whole site config as loaded (references resolved), or `undefined` outside the executor. */
  get siteConfig(): Readonly<Record<string, unknown>> | undefined {
    return slot()?.config.siteConfig;
  },

  /** The whole user config as loaded (references resolved), or `undefined` outside the executor. */
  get userConfig(): Readonly<Record<string, unknown>> | undefined {
    return slot()?.config.userConfig;
  },
};

function sendLog(level: ClientLogLevel, message: string, data?: unknown): void {
  const s = slot();
  const scope = s?.current();
  if (scope) scope.log(level, message, data);
  else s?.log(level, message, data);
}

/**
 * Messages to the MCP client of the current call (`notifications/message`, `notifications/progress`). Outside an
 * MCP request (CLI, tests) or outside a call they go to the daemon's log instead; in the main thread they do
 * nothing. They never throw and never wait.
 */
export const mcp = {
  /**
   * Sends a `debug` log message, with optional structured data.
   * @example
   * ```ts
   * mcp.debug('cache miss', { key });
   * ```
   */
  debug(message: string, data?: unknown): void {
    sendLog('debug', message, data);
  },
  /** Sends an `info` log message, with optional structured data. */
  info(message: string, data?: unknown): void {
    sendLog('info', message, data);
  },
  /** Sends a `warning` log message, with optional structured data. */
  warning(message: string, data?: unknown): void {
    sendLog('warning', message, data);
  },
  /** Sends an `error` log message, with optional structured data. */
  error(message: string, data?: unknown): void {
    sendLog('error', message, data);
  },
  /**
   * Reports progress of the current call (sent only when the client asked for progress).
   * @example
   * ```ts
   * for (let i = 0; i < files.length; i++) mcp.progress(i + 1, files.length, `loaded ${files[i]}`);
   * ```
   */
  progress(progress: number, total?: number, message?: string): void {
    slot()?.current()?.progress(progress, total, message);
  },
};

/**
 * Registers a hook that runs once in each worker thread after all endpoint modules have loaded and before that
 * worker's first call (a worker started to replace a crashed one runs it too). Hooks run in registration order;
 * `db.execute` and `config` work inside them, without a user. A hook that throws is logged and the next one runs.
 * Hooks registered after the modules have loaded (for example from a call) are not run.
 * Returns `hook`, so it can also be used as `export const setup = onInit(async () => { ... })`.
 *
 * @example
 * ```ts
 * onInit(async () => {
 *   await db.execute('CREATE TABLE IF NOT EXISTS hits (at TIMESTAMP)');
 * });
 * ```
 */
export function onInit<T extends LifecycleHook>(hook: T): T {
  slot()?.initHooks.push(hook);
  return hook;
}

/**
 * Registers a hook that runs in each worker thread when the executor closes (daemon shutdown, or the generation
 * being replaced after a reload), in registration order and after in-flight calls have finished. A hook that
 * throws or runs past the executor's shutdown timeout is logged; the pool closes regardless. A worker that crashed
 * or was stopped by a timeout does not run its hooks. Returns `hook`.
 *
 * @example
 * ```ts
 * onShutdown(() => client.close());
 * ```
 */
export function onShutdown<T extends LifecycleHook>(hook: T): T {
  slot()?.shutdownHooks.push(hook);
  return hook;
}

/**
 * The user the current call runs as (from OAuth, `--user-context` or a test's `user_context`), or `undefined`
 * for anonymous calls, inside lifecycle hooks and outside the executor.
 *
 * @example
 * ```ts
 * const who = getUserContext()?.username ?? 'anonymous';
 * ```
 */
export function getUserContext(): UserContext | undefined {
  return slot()?.current()?.user;
}

/**
 * The udf plugins of the daemon's database runtime (MXCP's `plugins.get` / `plugins.list`). MXCP hands Python
 * code the plugin object; here the instance lives in the daemon's main thread beside DuckDB while endpoint
 * code runs in a worker, so `get` gives its description (name, module, version, SQL functions) and the code
 * calls those functions through `db.execute`.
 *
 * ```ts
 * if (plugins.get('txt')?.functions.includes('greet_txt')) await db.execute('SELECT greet_txt($who) AS g', { who });
 * ```
 */
export const plugins = {
  /** The udf plugin instance named `name` (its `plugin:` entry name), or `undefined`. */
  get(name: string): PluginDescription | undefined {
    return slot()?.config.plugins?.find((p) => p.name === name);
  },
  /** Names of the generation's udf plugin instances, in `plugin:` order. */
  list(): string[] {
    return (slot()?.config.plugins ?? []).map((p) => p.name);
  },
};
