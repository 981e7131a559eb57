/**
 * The executor's configuration block and its defaults. The manifest (`package.json`, `mxcp.configSchema`) holds
 * the JSON Schema the daemon validates the block against before the plugin loads.
 */
import { availableParallelism } from 'node:os';

/** As written in configuration (snake_case, like the rest of the YAML). All keys optional. */
export interface JsExecutorConfig {
  /** Worker threads, all started at boot (piscina `minThreads` = `maxThreads`). Default: min(4, CPU count). */
  threads?: number;
  /** Deadline of one call, queueing included; past it the worker is stopped and replaced. Default 60 000. */
  call_timeout_ms?: number;
  /** How long `prepare` waits for every worker to load its modules and run `onInit` hooks. Default 30 000. */
  startup_timeout_ms?: number;
  /** How long `close` waits for each worker's `onShutdown` hooks. Default 5 000. */
  shutdown_timeout_ms?: number;
  /** How long `close` lets in-flight calls finish before aborting them. Default 10 000. */
  close_timeout_ms?: number;
  /** Calls that may wait for a free worker before new ones fail with `MXCP_E_EXEC_QUEUE_FULL`. Default 1 000. */
  max_queue?: number;
  /** Workers in a row that may die while starting before the pool gives up (no endless respawn). Default 3. */
  max_start_failures?: number;
  /**
   * Old-generation heap limit of each worker, in MiB. An endpoint that leaks past it kills only its own
   * worker (the call fails with MXCP_E_EXEC_WORKER_CRASHED, the worker is replaced), never the daemon.
   * Default 512.
   */
  max_heap_mb?: number;
}

export interface JsExecutorOptions {
  readonly threads: number;
  readonly callTimeoutMs: number;
  readonly startupTimeoutMs: number;
  readonly shutdownTimeoutMs: number;
  readonly closeTimeoutMs: number;
  readonly maxQueue: number;
  readonly maxStartFailures: number;
  readonly maxHeapMb: number;
}

function pick(value: number | undefined, fallback: number, min: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min ? value : fallback;
}

/** Fills defaults; values outside their range (the schema rejects them first) fall back to the default. */
export function resolveOptions(config: JsExecutorConfig = {}): JsExecutorOptions {
  return {
    threads: pick(config.threads, Math.min(4, availableParallelism()), 1),
    callTimeoutMs: pick(config.call_timeout_ms, 60_000, 1),
    startupTimeoutMs: pick(config.startup_timeout_ms, 30_000, 1),
    shutdownTimeoutMs: pick(config.shutdown_timeout_ms, 5_000, 0),
    closeTimeoutMs: pick(config.close_timeout_ms, 10_000, 0),
    maxQueue: pick(config.max_queue, 1_000, 0),
    maxStartFailures: pick(config.max_start_failures, 3, 1),
    maxHeapMb: pick(config.max_heap_mb, 512, 16),
  };
}
