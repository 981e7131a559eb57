/**
 * One query's deadline and cancellation as a single AbortSignal: the pool stops waiting for a connection
 * on it and the runtime interrupts the running statement on it. The scope remembers WHY it aborted so
 * the error says "timed out" or "cancelled" rather than DuckDB's "INTERRUPT Error: Interrupted!".
 */
import { Errors, type MxcpError } from '../../sdk/errors/index.js';

export type AbortCause = 'timeout' | 'cancel';

const kInterruptRepeatMs = 25;

export class QueryScope {
  readonly #controller = new AbortController();
  readonly #external: AbortSignal | undefined;
  readonly #timeoutMs: number;
  #timer: NodeJS.Timeout | undefined;
  #cause: AbortCause | undefined;
  #interrupt: (() => void) | undefined;
  #repeat: NodeJS.Timeout | undefined;

  /** `timeoutMs` ≤ 0 means no deadline. */
  constructor(timeoutMs: number, external?: AbortSignal) {
    this.#timeoutMs = timeoutMs;
    this.#external = external;
    if (external?.aborted) {
      this.#abort('cancel');
      return;
    }
    external?.addEventListener('abort', this.#onExternalAbort, { once: true });
    if (timeoutMs > 0) {
      this.#timer = setTimeout(() => this.#abort('timeout'), timeoutMs);
      this.#timer.unref();
    }
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get cause(): AbortCause | undefined {
    return this.#cause;
  }

  /** The coded error for an aborted scope (wrapping `cause`), or undefined while it has not aborted. */
  error(cause?: unknown): MxcpError | undefined {
    const options = cause === undefined ? undefined : { cause };
    if (this.#cause === 'timeout') return new Errors.MXCP_E_DB_TIMEOUT({ timeoutMs: this.#timeoutMs }, options);
    if (this.#cause === 'cancel') return new Errors.MXCP_E_DB_CANCELLED(undefined, options);
    return undefined;
  }

  /** Throws the coded error if the scope has aborted (checked between the statements of one query). */
  throwIfAborted(): void {
    const err = this.error();
    if (err) throw err;
  }

  /**
   * Calls `interrupt` when the scope aborts, and again every 25 ms until {@link detach}: an interrupt
   * that lands before DuckDB has begun the statement (the run may still wait for a worker thread) is
   * reset when the statement begins.
   */
  attach(interrupt: () => void): void {
    this.#interrupt = interrupt;
    if (this.#cause) this.#startInterrupting();
  }

  /** Stops interrupting (before the connection runs clean-up statements or goes back to the pool). */
  detach(): void {
    this.#interrupt = undefined;
    if (this.#repeat) clearInterval(this.#repeat);
    this.#repeat = undefined;
  }

  dispose(): void {
    this.detach();
    if (this.#timer) clearTimeout(this.#timer);
    this.#external?.removeEventListener('abort', this.#onExternalAbort);
  }

  #startInterrupting(): void {
    const interrupt = this.#interrupt;
    if (!interrupt || this.#repeat) return;
    interrupt();
    this.#repeat = setInterval(() => this.#interrupt?.(), kInterruptRepeatMs);
  }

  readonly #onExternalAbort = (): void => this.#abort('cancel');

  #abort(cause: AbortCause): void {
    if (this.#cause) return;
    this.#cause = cause;
    this.#controller.abort(cause);
    this.#startInterrupting();
  }
}
