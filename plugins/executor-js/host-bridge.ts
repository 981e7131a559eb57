/**
 * The main-thread side of the runtime API: serves `db.execute`, `mcp.*` log and progress messages and flushes
 * that workers send over their control ports.
 *
 * Each call gets a numeric id that travels with its task; a worker's request names the call it belongs to, and
 * the bridge looks up that call's ExecutionContext here. So the database sees the calling request's user and
 * headers (for `get_username()` and friends) no matter which worker runs the call. Requests from lifecycle hooks
 * carry no call id and run with the hook context (no user).
 */
import type { MessagePort } from 'node:worker_threads';
import { executorErrors } from '../../sdk/errors/executor.js';
import type { ClientLogLevel, ExecutionContext } from '../../sdk/execution-context.js';
import type { ExecutorHost, PluginLogger } from '../../sdk/executor.js';
import { type EndpointSpec, type MainMessage, toWireError, type WorkerMessage } from './protocol.js';

export interface ActiveCall {
  readonly spec: EndpointSpec;
  /** The request's context, with the call's own AbortSignal (client abort, timeout, close). */
  readonly context: ExecutionContext;
}

type BridgedMessage = Extract<WorkerMessage, { t: 'db' | 'log' | 'progress' | 'flush' }>;

export function isBridged(msg: WorkerMessage): msg is BridgedMessage {
  return msg.t === 'db' || msg.t === 'log' || msg.t === 'progress' || msg.t === 'flush';
}

const kLoggerMethod: Record<ClientLogLevel, keyof PluginLogger> = {
  debug: 'debug',
  info: 'info',
  notice: 'info',
  warning: 'warn',
  error: 'error',
  critical: 'error',
  alert: 'error',
  emergency: 'error',
};

/** Posts a reply; a value that cannot be cloned (a row holding something exotic) becomes an error reply. */
function reply(port: MessagePort, msg: MainMessage): void {
  try {
    port.postMessage(msg);
  } catch (err) {
    if (msg.t === 'db-result') port.postMessage({ t: 'db-error', id: msg.id, error: toWireError(err) } satisfies MainMessage);
  }
}

/** Process-wide, so the ids of bridges sharing one pool (shared-pools.ts) never collide. */
let nextCallId = 1;

export class HostBridge {
  readonly #calls = new Map<number, ActiveCall>();

  constructor(
    private readonly host: ExecutorHost,
    /** Context of `db.execute` from `onInit` / `onShutdown` hooks: no user, no client. */
    private readonly hookContext: ExecutionContext,
  ) {}

  /** Registers a call before its task is posted; returns the id the task carries. */
  open(call: ActiveCall): number {
    const id = nextCallId++;
    this.#calls.set(id, call);
    return id;
  }

  /** Whether this bridge opened that call (and it has not settled). */
  owns(callId: number): boolean {
    return this.#calls.has(callId);
  }

  /** After the call settled: later requests naming it (stray timers) get `MXCP_E_EXEC_NO_CONTEXT`. */
  close(callId: number): void {
    this.#calls.delete(callId);
  }

  /** Never throws: this runs in a MessagePort listener, where a throw would be an uncaught exception. */
  handle(port: MessagePort, msg: BridgedMessage): void {
    try {
      this.#dispatch(port, msg);
    } catch (err) {
      this.host.logger.warn({ err, message: msg.t }, 'a runtime message from endpoint code could not be delivered');
    }
  }

  #dispatch(port: MessagePort, msg: BridgedMessage): void {
    switch (msg.t) {
      case 'db':
        this.#execute(port, msg);
        return;
      case 'log':
        this.#log(msg);
        return;
      case 'progress': {
        const call = this.#calls.get(msg.callId);
        if (call?.context.client) call.context.client.progress(msg.progress, msg.total, msg.message);
        else this.host.logger.debug({ endpoint: call?.spec.name, progress: msg.progress, total: msg.total }, msg.message ?? 'progress');
        return;
      }
      case 'flush':
        // Messages on one port arrive in order: everything the call sent before this is already handled.
        reply(port, { t: 'flushed', id: msg.id });
        return;
    }
  }

  #execute(port: MessagePort, msg: Extract<WorkerMessage, { t: 'db' }>): void {
    let context = this.hookContext;
    if (msg.callId !== undefined) {
      const call = this.#calls.get(msg.callId);
      if (!call) {
        reply(port, { t: 'db-error', id: msg.id, error: toWireError(new executorErrors.MXCP_E_EXEC_NO_CONTEXT()) });
        return;
      }
      context = call.context;
    }
    // Through a promise, so a database layer that throws synchronously still produces a reply.
    Promise.resolve()
      .then(() => this.host.database.execute(msg.sql, msg.params, context))
      .then(
        (rows) => reply(port, { t: 'db-result', id: msg.id, rows }),
        (err: unknown) => reply(port, { t: 'db-error', id: msg.id, error: toWireError(err) }),
      );
  }

  #log(msg: Extract<WorkerMessage, { t: 'log' }>): void {
    const call = msg.callId === undefined ? undefined : this.#calls.get(msg.callId);
    if (call?.context.client) {
      call.context.client.log(msg.level, msg.message, msg.data);
      return;
    }
    const fields = { endpoint: call?.spec.name, file: call?.spec.displayFile, data: msg.data, source: 'endpoint-code' };
    this.host.logger[kLoggerMethod[msg.level]](fields, msg.message);
  }
}
