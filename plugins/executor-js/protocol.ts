/**
 * Messages between the main thread and the executor's worker threads.
 *
 * Two channels per worker:
 *  - piscina's own port carries tasks (`CallTask`) and their outcomes (`CallOutcome`);
 *  - a control port, created by the worker when it starts and handed to the main thread in a `WorkerHello`,
 *    carries everything else: load progress and the ready report, `db.execute` requests and their replies,
 *    `mcp.*` messages, flushes and the shutdown handshake. The main thread answers requests on the port they
 *    came from, so it never needs to know which piscina worker runs which task.
 *
 * ```
 *  main thread                                   worker thread
 *   prepare ── new Piscina ──────────────────────▶ worker.js loads
 *           ◀──────── hello {threadId, port} ────  (parentPort, piscina re-emits it as 'message')
 *           ◀──────── loading {what} ───────────  import each endpoint module
 *           ◀──────── ready {problems} ─────────  after onInit hooks
 *   execute ── task {callId, params} ───────────▶ (piscina port)
 *           ◀──────── db {id, callId, sql} ─────  db.execute inside the call
 *           ── db-result {id, rows} ────────────▶
 *           ◀──────── outcome ──────────────────  (piscina port)
 *   close   ── shutdown ────────────────────────▶ onShutdown hooks
 *           ◀──────── shutdown-done ────────────
 * ```
 */
import type { MessagePort } from 'node:worker_threads';
import type { ClientLogLevel } from '../../sdk/execution-context.js';
import type { Row } from '../../sdk/executor.js';
import type { RuntimeConfigSnapshot } from '../../sdk/runtime.js';
import type { UserContext } from '../../sdk/user-context.js';

/** An error as it crosses threads: structured clone keeps only `message` and `stack` of an Error. */
export interface WireError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
}

/** One endpoint a worker loads. */
export interface EndpointSpec {
  name: string;
  kind: 'tool' | 'resource';
  /** Absolute path of the module. */
  file: string;
  /** The path shown in messages (relative to the project root when inside it). */
  displayFile: string;
}

export interface WorkerInit {
  endpoints: EndpointSpec[];
  config: RuntimeConfigSnapshot;
  /** `file:` URL of the module that `mxcp/sdk` and `mxcp` resolve to inside workers. */
  sdkUrl: string;
  /** TypeScript transpiled by the main thread, by absolute path (transpile-cache.ts). */
  transpiled: Record<string, { hash: string; code: string }>;
}

/** An endpoint a worker could not load; `export` means the module loaded but has no matching function. */
export interface LoadProblem {
  name: string;
  kind: 'load' | 'export';
  error?: WireError;
}

/** First message of every worker, on `parentPort`. */
export interface WorkerHello {
  mxcpWorkerHello: true;
  threadId: number;
  port: MessagePort;
}

export function isWorkerHello(value: unknown): value is WorkerHello {
  return typeof value === 'object' && value !== null && (value as Partial<WorkerHello>).mxcpWorkerHello === true;
}

export type WorkerMessage =
  | { t: 'loading'; what: string }
  | { t: 'ready'; problems: LoadProblem[] }
  /** `callId` absent: the request comes from a lifecycle hook. */
  | { t: 'db'; id: number; callId?: number; sql: string; params?: Record<string, unknown> }
  | { t: 'log'; callId?: number; level: ClientLogLevel; message: string; data?: unknown }
  | { t: 'progress'; callId: number; progress: number; total?: number; message?: string }
  | { t: 'flush'; id: number }
  | { t: 'shutdown-done'; errors: WireError[] };

export type MainMessage =
  | { t: 'db-result'; id: number; rows: Row[] }
  | { t: 'db-error'; id: number; error: WireError }
  | { t: 'flushed'; id: number }
  | { t: 'shutdown' };

export interface CallTask {
  callId: number;
  name: string;
  params: Record<string, unknown>;
  user?: UserContext;
}

/** A failed call as the worker reports it (a crash never gets here: piscina rejects the task instead). */
export interface CallFailure {
  failure: 'threw' | 'not-cloneable' | 'not-loaded';
  error: WireError;
}

/** Success: the result serialized with `v8.serialize` (so an uncloneable value fails in the worker, not the pool). */
export type CallOutcome = Uint8Array | CallFailure;

/** Turns anything thrown into a {@link WireError}, keeping a string `code` when present. */
export function toWireError(value: unknown): WireError {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { name: value.name, message: value.message, stack: value.stack, ...(typeof code === 'string' ? { code } : {}) };
  }
  if (typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string') {
    return { name: 'Error', message: (value as { message: string }).message };
  }
  return { name: 'Error', message: String(value) };
}

/** Rebuilds an Error from a {@link WireError} (for `cause`, and for errors rethrown inside endpoint code). */
export function fromWireError(wire: WireError): Error {
  const err = new Error(wire.message);
  err.name = wire.name;
  if (wire.stack !== undefined) err.stack = wire.stack;
  if (wire.code !== undefined) Object.assign(err, { code: wire.code });
  return err;
}
