/**
 * Worker side of the runtime API: the control channel to the main thread and the slot that `sdk/runtime.ts`
 * reads (`globalThis[Symbol.for('mxcp.runtime')]`).
 *
 * The current scope lives in an AsyncLocalStorage, so it follows the call through awaits, timers and promise
 * chains: `db.execute` inside a call always carries that call's id, and the main thread runs the query with that
 * call's ExecutionContext. A scope is ended when its call settles; work it left behind (a timer) then gets
 * `MXCP_E_EXEC_NO_CONTEXT` from `db.execute`, and its log messages go to the daemon log.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { MessagePort } from 'node:worker_threads';
import { executorErrors } from '../../sdk/errors/executor.js';
import type { ClientLogLevel } from '../../sdk/execution-context.js';
import type { Row } from '../../sdk/executor.js';
import { kRuntimeSlot, type LifecycleHook, type RuntimeConfigSnapshot, type RuntimeScope, type RuntimeSlot } from '../../sdk/runtime.js';
import type { UserContext } from '../../sdk/user-context.js';
import { fromWireError, type MainMessage, toWireError, type WireError, type WorkerMessage } from './protocol.js';

interface Pending {
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/** Request/reply and fire-and-forget messages over the worker's control port. */
export class ControlChannel {
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #onShutdown?: () => void;

  constructor(private readonly port: MessagePort) {
    port.on('message', (msg: MainMessage) => this.#onMessage(msg));
  }

  post(msg: WorkerMessage): void {
    this.port.postMessage(msg);
  }

  /** Posts a message carrying data; data that cannot be cloned is replaced by its string form, never thrown. */
  postLenient(msg: Extract<WorkerMessage, { t: 'log' }>): void {
    try {
      this.port.postMessage(msg);
    } catch {
      this.port.postMessage({ ...msg, data: String(msg.data) });
    }
  }

  request<T>(build: (id: number) => WorkerMessage): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      try {
        this.port.postMessage(build(id));
      } catch (err) {
        // DataCloneError: parameters holding a function or symbol.
        this.#pending.delete(id);
        reject(err);
      }
    });
  }

  onShutdown(handler: () => void): void {
    this.#onShutdown = handler;
  }

  #onMessage(msg: MainMessage): void {
    if (msg.t === 'shutdown') {
      this.#onShutdown?.();
      return;
    }
    const pending = this.#pending.get(msg.id);
    if (!pending) return;
    this.#pending.delete(msg.id);
    if (msg.t === 'db-error') pending.reject(fromWireError(msg.error));
    else pending.resolve(msg.t === 'db-result' ? msg.rows : undefined);
  }
}

/** One call (with `callId`) or the lifecycle-hook scope (without). */
export class Scope implements RuntimeScope {
  #ended = false;
  /** Fire-and-forget messages were sent: the call's end waits for the main thread to have handled them. */
  #unflushed = false;

  constructor(
    private readonly channel: ControlChannel,
    private readonly callId: number | undefined,
    readonly user?: UserContext,
  ) {}

  execute(sql: string, params?: Readonly<Record<string, unknown>>): Promise<Row[]> {
    if (this.#ended) return Promise.reject(new executorErrors.MXCP_E_EXEC_NO_CONTEXT());
    const callId = this.callId;
    return this.channel.request<Row[]>((id) => ({ t: 'db', id, callId, sql, params: params as Record<string, unknown> | undefined }));
  }

  log(level: ClientLogLevel, message: string, data?: unknown): void {
    const callId = this.#ended ? undefined : this.callId;
    this.channel.postLenient({ t: 'log', callId, level, message: String(message), data });
    this.#unflushed ||= callId !== undefined;
  }

  progress(progress: number, total?: number, message?: string): void {
    if (this.#ended || this.callId === undefined) return;
    this.channel.post({ t: 'progress', callId: this.callId, progress, total, message });
    this.#unflushed = true;
  }

  /**
   * Ends the scope. Log and progress messages travel on the control port while the result travels on piscina's
   * port, so without a flush the result could overtake them and the main thread would drop them as late.
   */
  async end(): Promise<void> {
    this.#ended = true;
    if (this.#unflushed) await this.channel.request((id) => ({ t: 'flush', id }));
  }
}

export interface WorkerRuntime {
  readonly slot: RuntimeSlot;
  /** Runs `fn` with `scope` as the current scope (through awaits and timers). */
  run<T>(scope: Scope, fn: () => T): T;
  /** Runs hooks in order inside a hook scope; returns the errors of those that threw (the rest still run). */
  runHooks(hooks: readonly LifecycleHook[]): Promise<WireError[]>;
}

/** Creates the slot and places it on `globalThis`, before any endpoint module is imported. */
export function installRuntime(channel: ControlChannel, config: RuntimeConfigSnapshot): WorkerRuntime {
  const storage = new AsyncLocalStorage<Scope>();
  const slot: RuntimeSlot = {
    current: () => storage.getStore(),
    config,
    initHooks: [],
    shutdownHooks: [],
    log: (level, message, data) => channel.postLenient({ t: 'log', level, message: String(message), data }),
  };
  (globalThis as Record<symbol, unknown>)[kRuntimeSlot] = slot;
  return {
    slot,
    run: (scope, fn) => storage.run(scope, fn),
    async runHooks(hooks) {
      const errors: WireError[] = [];
      for (const hook of hooks) {
        const scope = new Scope(channel, undefined);
        try {
          await storage.run(scope, hook);
        } catch (err) {
          errors.push(toWireError(err));
        } finally {
          await scope.end();
        }
      }
      return errors;
    },
  };
}
