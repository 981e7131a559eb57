/**
 * Hot reload (SIGHUP): build generation N+1 beside N, swap, drain N. DESIGN section 2, STYLE item 16.
 *
 *   trigger ──► [running?] ──yes──► pending = true (coalesces any number of signals into one more reload)
 *                  │no
 *                  ▼
 *   load config + build N+1 ──fail──► N keeps serving; the coded error is logged and kept in history
 *                  │ok
 *                  ▼
 *   prepare (audit reconfigure) ──► swap holder ──► after-swap hooks ──► N.close('reload') in background
 *                                                                       (drains its in-flight requests)
 *
 * Single-flight: one reload at a time. `stop()` (shutdown) waits for a running reload; a generation that
 * finishes building after stop is closed instead of swapped in.
 */
import { describeError } from '../../sdk/errors/index.js';
import type { Generation } from '../generation/generation.js';
import type { Logger } from '../logging/logger.js';

export interface ReloadResult {
  readonly ok: boolean;
  readonly at: string;
  readonly reason: string;
  /** The generation serving after this reload. */
  readonly generation: number;
  readonly error?: string;
  readonly ms: number;
}

export interface ReloadControllerOptions {
  readonly logger: Logger;
  /** The generation serving now. */
  current(): Generation;
  /** Builds the next generation from the files on disk; throws a coded error when it cannot. */
  build(id: number): Promise<Generation>;
  /** Refuses a built generation (returns the reason), e.g. failed endpoints without --ignore-errors. */
  refuse?(next: Generation): string | undefined;
  /** Runs before the swap; a throw fails the reload and closes N+1 (audit reconfiguration). */
  prepare?(next: Generation, previous: Generation): Promise<void>;
  /** Makes `next` the current generation. */
  swap(next: Generation): void;
  /** Runs after the swap (reopen logs, notify sessions, log restart-only changes). Must not throw. */
  afterSwap?(next: Generation, previous: Generation): Promise<void> | void;
  /** Told the outcome of every reload (metrics). */
  onResult?(ok: boolean): void;
  /** How long the previous generation may drain before it is closed anyway. */
  readonly drainMs: number;
}

const kHistory = 10;

export class ReloadController {
  readonly #options: ReloadControllerOptions;
  readonly #history: ReloadResult[] = [];
  #running: Promise<void> | undefined;
  #pending: string | undefined;
  #stopped = false;
  #nextId: number;

  constructor(options: ReloadControllerOptions) {
    this.#options = options;
    this.#nextId = options.current().id + 1;
  }

  /** The last reloads, newest last. */
  get history(): readonly ReloadResult[] {
    return this.#history;
  }

  /** A reload is being built or swapped now. */
  get inProgress(): boolean {
    return this.#running !== undefined;
  }

  get lastFailure(): ReloadResult | undefined {
    const last = this.#history.at(-1);
    return last && !last.ok ? last : undefined;
  }

  /** Asks for a reload; returns the promise of the reload run that will include this request. */
  trigger(reason: string): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (this.#running) {
      this.#pending = reason;
      return this.#running;
    }
    this.#running = this.#loop(reason).finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Shutdown: no reload starts after this; waits for the one running (it closes what it built). */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#pending = undefined;
    await this.#running;
  }

  async #loop(first: string): Promise<void> {
    let reason: string | undefined = first;
    while (reason !== undefined && !this.#stopped) {
      this.#pending = undefined;
      await this.#reloadOnce(reason);
      reason = this.#pending;
    }
  }

  async #reloadOnce(reason: string): Promise<void> {
    const { logger } = this.#options;
    const started = performance.now();
    const previous = this.#options.current();
    const id = this.#nextId++;
    logger.info({ reason, generation: id }, 'reload started');
    let next: Generation | undefined;
    try {
      next = await this.#options.build(id);
      const refusal = this.#options.refuse?.(next);
      if (refusal) throw new Error(refusal);
      if (this.#stopped) throw new Error('shutdown began during the reload');
      await this.#options.prepare?.(next, previous);
    } catch (err) {
      await next?.close('reload').catch(() => undefined);
      const error = describeError(err);
      logger.error({ reason, err }, `reload failed; generation ${previous.id} keeps serving: ${error}`);
      this.#record({ ok: false, reason, generation: previous.id, error, started });
      return;
    }
    this.#options.swap(next);
    try {
      await this.#options.afterSwap?.(next, previous);
    } catch (err) {
      logger.warn({ err }, 'after-reload step failed');
    }
    logger.info({ generation: next.id, previous: previous.id }, 'reload complete; previous generation draining');
    this.#record({ ok: true, reason, generation: next.id, started });
    // The previous generation finishes its in-flight requests, then closes (executors, DuckDB handle).
    void previous
      .close('reload', this.#options.drainMs)
      .catch((err: unknown) => logger.error({ err }, 'closing the previous generation failed'));
  }

  #record(r: { ok: boolean; reason: string; generation: number; error?: string; started: number }): void {
    const result: ReloadResult = {
      ok: r.ok,
      at: new Date().toISOString(),
      reason: r.reason,
      generation: r.generation,
      ...(r.error ? { error: r.error } : {}),
      ms: Math.round(performance.now() - r.started),
    };
    this.#history.push(result);
    this.#options.onResult?.(r.ok);
    if (this.#history.length > kHistory) this.#history.shift();
  }
}
