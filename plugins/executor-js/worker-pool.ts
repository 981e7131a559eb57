/**
 * The piscina pool plus what piscina does not track: each worker's control port, whether it finished starting
 * (modules loaded, `onInit` hooks run), and workers that die while starting.
 *
 * Start-up: all workers start at once (minThreads = maxThreads). `ready()` settles when every one of them has sent
 * its ready report, or rejects on the first that dies while starting or on the startup deadline: at boot a
 * failure is deterministic (a module calls process.exit at top level, say), so there is no point waiting for
 * more. Later, piscina replaces workers that crash or are stopped by a timeout (it counts our workers as started
 * once worker.js has evaluated, so it always replaces them); a replacement that dies before its ready report is a
 * start failure, and `maxStartFailures` of them in a row mark the pool broken (destroyed, every call rejected with
 * `MXCP_E_EXEC_WORKER_START`) instead of respawning forever. A ready report resets the count.
 */
import type { MessagePort, Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { executorErrors } from '../../sdk/errors/executor.js';
import type { MxcpError } from '../../sdk/errors/index.js';
import type { PluginLogger } from '../../sdk/executor.js';
import { type HostBridge, isBridged } from './host-bridge.js';
import type { JsExecutorOptions } from './options.js';
import {
  type CallOutcome,
  type CallTask,
  isWorkerHello,
  type LoadProblem,
  type MainMessage,
  type WireError,
  type WorkerInit,
  type WorkerMessage,
} from './protocol.js';

/** `Promise.withResolvers` is Node 22+. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (err: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

interface TrackedWorker {
  readonly threadId: number;
  readonly port: MessagePort;
  ready: boolean;
  /** piscina stopped it on purpose (a call's abort or timeout, pool teardown): not a start failure. */
  terminated?: boolean;
  /** Its end was handled (on its uncaught error or its exit, whichever came first). */
  gone?: boolean;
  /** What it was loading last (a module path, or `onInit hooks`), for start-failure messages. */
  loading?: string;
  error?: Error;
  /** Set while `close` waits for this worker's onShutdown hooks. */
  onShutdownDone?: (errors: WireError[]) => void;
}

export class WorkerPool {
  readonly #pool: Piscina<CallTask, CallOutcome>;
  readonly #workers = new Map<number, TrackedWorker>();
  readonly #starting = deferred<LoadProblem[]>();
  #readyCount = 0;
  #report?: LoadProblem[];
  #startFailuresInARow = 0;
  #broken?: MxcpError;
  /** The start failure being handled right now (cleared after this turn's microtasks); see {@link explain}. */
  #startFailureNow?: MxcpError;
  #destroyed = false;

  constructor(
    filename: string,
    init: WorkerInit,
    private readonly options: JsExecutorOptions,
    private readonly bridge: Pick<HostBridge, 'handle'>,
    private readonly logger: PluginLogger,
    /** Called once if the pool gives up (repeated start failures), so in-flight calls can be failed. */
    private readonly onBroken: (err: MxcpError) => void,
  ) {
    this.#pool = new Piscina<CallTask, CallOutcome>({
      filename,
      minThreads: options.threads,
      maxThreads: options.threads,
      idleTimeout: Number.POSITIVE_INFINITY,
      // Idle piscina workers block in Atomics.wait, which would starve the control port (db replies, shutdown)
      // and endpoint timers; plain message events keep each worker's event loop running.
      atomics: 'disabled',
      // A leaking endpoint runs out of its own heap and takes only its worker down (replaced like a crash).
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb },
      workerData: init,
    });
    this.#pool.on('message', (msg: unknown) => {
      if (isWorkerHello(msg)) this.#track(msg.threadId, msg.port);
    });
    // piscina emits this synchronously when it terminates a worker (the thread id is still valid then); after a
    // worker died by itself the id is already -1. So a marked worker was stopped, e.g. because a call that
    // landed on it while it was still starting was cancelled, and its exit must not count as a start failure.
    this.#pool.on('workerDestroy', (w: { id: number }) => {
      const tracked = this.#workers.get(w.id);
      if (tracked) tracked.terminated = true;
    });
    // piscina emits 'error' for a worker that fails with no task running (startup, a timer after its call);
    // without a listener the EventEmitter would throw in the main thread.
    // At start-up this is a fallback for a worker that failed before sending its hello: for a tracked worker our
    // own 'error' listener (registered after piscina's, so it runs after this) rejects with what it was loading.
    this.#pool.on('error', (err: Error) => {
      if (this.#report !== undefined) {
        this.logger.warn({ err }, 'a JS/TS worker failed outside a call and is replaced');
        return;
      }
      setImmediate(() => this.#starting.reject(new executorErrors.MXCP_E_EXEC_WORKER_START({ detail: err.message }, { cause: err })));
    });
    // Ref'd: while workers start, nothing else may keep a CLI process alive (piscina unrefs idle workers and
    // the control ports are unref'd), and Node would exit with an unsettled await in prepare.
    const timer = setTimeout(() => this.#startTimedOut(), options.startupTimeoutMs);
    this.#starting.promise.then(
      () => clearTimeout(timer),
      () => clearTimeout(timer),
    );
  }

  /** The load report of the first worker, once every worker has started. Rejects with `MXCP_E_EXEC_WORKER_START`. */
  ready(): Promise<LoadProblem[]> {
    return this.#starting.promise;
  }

  get destroyed(): boolean {
    return this.#destroyed;
  }

  get broken(): MxcpError | undefined {
    return this.#broken;
  }

  /**
   * Why a task just failed, when the pool knows better than piscina's generic "worker exited": the pool is
   * broken, or the task's worker died while starting (before the call began). piscina rejects the task from its
   * own 'exit' listener, which runs before ours on the same event, so a rejection handler sees the start failure
   * recorded for the current turn.
   */
  explain(): MxcpError | undefined {
    return this.#broken ?? this.#startFailureNow;
  }

  run(task: CallTask, signal: AbortSignal): Promise<CallOutcome> {
    return this.#pool.run(task, { signal });
  }

  /** Runs onShutdown hooks in every started worker (in parallel, each bounded by the shutdown timeout), then stops all. */
  async shutdown(): Promise<void> {
    const waits = [...this.#workers.values()].filter((w) => w.ready).map((w) => this.#shutdownOne(w));
    await Promise.all(waits);
    await this.destroy();
  }

  /** Threads alive, utilisation since start (0..1), calls waiting for a worker. */
  stats(): { threads: number; utilization: number; queued: number } {
    return { threads: this.#pool.threads.length, utilization: this.#pool.utilization, queued: this.#pool.queueSize };
  }
  async destroy(): Promise<void> {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#starting.reject(new executorErrors.MXCP_E_EXEC_CLOSED());
    this.#starting.promise.catch(() => {});
    await this.#pool.destroy();
    for (const w of this.#workers.values()) w.port.close();
    this.#workers.clear();
  }

  #track(threadId: number, port: MessagePort): void {
    const tracked: TrackedWorker = { threadId, port, ready: false };
    this.#workers.set(threadId, tracked);
    port.on('message', (msg: WorkerMessage) => this.#onMessage(tracked, msg));
    port.unref();
    const worker: Worker | undefined = this.#pool.threads.find((t) => t.threadId === threadId);
    if (worker) {
      // An uncaught error ends the worker; handle it now rather than at 'exit', in the same turn as piscina
      // rejects the task that ran there (see explain()).
      worker.on('error', (err) => {
        tracked.error = err;
        this.#gone(tracked, undefined);
      });
      worker.once('exit', (code) => this.#gone(tracked, code));
    } else {
      port.once('close', () => this.#gone(tracked, undefined));
    }
  }

  #onMessage(tracked: TrackedWorker, msg: WorkerMessage): void {
    if (isBridged(msg)) {
      this.bridge.handle(tracked.port, msg);
      return;
    }
    switch (msg.t) {
      case 'loading':
        tracked.loading = msg.what;
        return;
      case 'ready':
        tracked.ready = true;
        this.#startFailuresInARow = 0;
        this.#readyCount++;
        this.#report ??= msg.problems;
        if (this.#readyCount === this.options.threads) this.#starting.resolve(this.#report);
        return;
      case 'shutdown-done':
        tracked.onShutdownDone?.(msg.errors);
        return;
    }
  }

  #gone(tracked: TrackedWorker, code: number | undefined): void {
    if (tracked.gone) return;
    tracked.gone = true;
    this.#workers.delete(tracked.threadId);
    tracked.onShutdownDone?.([]);
    if (tracked.ready || this.#destroyed || (tracked.terminated && !tracked.error)) return;
    const how = tracked.error ? `threw ${tracked.error.message}` : `exited with code ${code ?? 'unknown'}`;
    const detail = `a worker ${how} while loading ${tracked.loading ?? 'its modules'}`;
    if (this.#report === undefined) {
      this.#starting.reject(new executorErrors.MXCP_E_EXEC_WORKER_START({ detail }, { cause: tracked.error }));
      return;
    }
    this.#startFailuresInARow++;
    this.logger.error({ err: tracked.error, failures: this.#startFailuresInARow }, `JS/TS worker failed to start: ${detail}`);
    this.#startFailureNow = new executorErrors.MXCP_E_EXEC_WORKER_START({ detail }, { cause: tracked.error });
    queueMicrotask(() => {
      this.#startFailureNow = undefined;
    });
    if (this.#startFailuresInARow >= this.options.maxStartFailures && !this.#broken) {
      this.#broken = new executorErrors.MXCP_E_EXEC_WORKER_START(
        { detail: `gave up after ${this.#startFailuresInARow} start failure(s) in a row; last: ${detail}` },
        { cause: tracked.error },
      );
      this.onBroken(this.#broken);
      void this.destroy();
    }
  }

  #startTimedOut(): void {
    const loading = [...this.#workers.values()].filter((w) => !w.ready).map((w) => w.loading ?? 'its modules');
    const still = loading.length > 0 ? ` (still loading ${[...new Set(loading)].join(', ')})` : '';
    const detail = `${this.options.threads - this.#readyCount} of ${this.options.threads} workers not ready after ${this.options.startupTimeoutMs} ms${still}`;
    this.#starting.reject(new executorErrors.MXCP_E_EXEC_WORKER_START({ detail }));
  }

  #shutdownOne(w: TrackedWorker): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.logger.warn({ threadId: w.threadId }, `onShutdown hooks did not finish within ${this.options.shutdownTimeoutMs} ms`);
        resolve();
      }, this.options.shutdownTimeoutMs);
      w.onShutdownDone = (errors) => {
        clearTimeout(timer);
        for (const e of errors) this.logger.error({ err: e }, `onShutdown hook failed: ${e.message}`);
        resolve();
      };
      w.port.postMessage({ t: 'shutdown' } satisfies MainMessage);
    });
  }
}
