/**
 * Shutdown of `mxcp serve`, the minimal version (the supervisor issue replaces this module with reload,
 * audit flush and systemd notify). One listener per signal; the sequence runs once:
 *
 *   SIGTERM / SIGINT / stdin EOF / uncaught error
 *     1. start the deadline timer (default 25 s, under the 30 s Docker and Kubernetes wait)
 *     2. /ready answers 503; the dispatcher refuses new requests (retryable error)
 *     3. HTTP stops accepting connections; idle keep-alive connections close
 *     4. in-flight requests finish (what is left at the deadline is aborted with a coded cause)
 *     5. sessions, streams and connections close; the generation closes (executors, DuckDB)
 *     6. resources that outlive generations (audit sinks) flush and close
 *     7. exit 0 (1 when requests had to be aborted or an uncaught error started it)
 *   A second signal, or the deadline passing, flushes those resources (bounded to 1 s) and exits with
 *   128 + signal number / 1.
 */
import type { Generation } from '../generation/generation.js';
import type { Logger } from '../logging/logger.js';
import type { McpDispatcher } from '../mcp/dispatcher.js';
import type { HttpTransport } from './http/http-transport.js';
import type { Readiness } from './http/probes.js';
import type { StdioTransport } from './stdio.js';

/** Something that outlives generations and must not lose data on exit (an audit trail). */
export interface LastingResource {
  readonly name: string;
  flush(): Promise<void>;
  close(reason: 'shutdown'): Promise<void>;
}

export interface ShutdownOptions {
  readonly dispatcher: McpDispatcher;
  /** Awaited before the drain starts (a reload in progress finishes or is abandoned first). */
  readonly beforeDrain?: () => Promise<void>;
  /** Closed after the generation, in order. */
  readonly resources?: readonly LastingResource[];
  readonly generation: () => Generation;
  readonly logger: Logger;
  readonly deadlineMs: number;
  /** Exits the process; injectable for tests. */
  readonly exit?: (code: number) => void;
}

const kSignalNumbers: Record<string, number> = { SIGINT: 2, SIGTERM: 15 };

export class Shutdown implements Readiness {
  readonly #options: ShutdownOptions;
  http: HttpTransport | undefined;
  stdio: StdioTransport | undefined;
  #running: Promise<void> | undefined;

  constructor(options: ShutdownOptions) {
    this.#options = options;
  }

  notReadyReason(): string | undefined {
    if (this.#running) return 'draining';
    if (this.#options.generation().closing) return 'generation closing';
    return undefined;
  }

  /** Installs the signal and crash listeners. */
  install(): void {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.on(signal, () => {
        if (this.#running) {
          this.#options.logger.warn({ signal }, 'second signal during shutdown; flushing and exiting now');
          void this.#flushThenExit(128 + (kSignalNumbers[signal] ?? 0));
          return;
        }
        void this.run(`signal ${signal}`, 0);
      });
    }
    const crash = (err: unknown) => {
      this.#options.logger.fatal({ err }, 'uncaught error; shutting down');
      void this.run('uncaught error', 1);
    };
    process.on('uncaughtException', crash);
    process.on('unhandledRejection', crash);
  }

  /** Runs the sequence once; later calls return the same promise. */
  run(reason: string, exitCode: number): Promise<void> {
    this.#running ??= this.#run(reason, exitCode);
    return this.#running;
  }

  async #run(reason: string, exitCode: number): Promise<void> {
    const { dispatcher, logger, deadlineMs } = this.#options;
    const started = Date.now();
    const deadline = setTimeout(() => {
      logger.error({ deadlineMs }, 'shutdown deadline passed; flushing and exiting');
      void this.#flushThenExit(1);
    }, deadlineMs);
    deadline.unref();
    logger.info({ reason }, 'shutting down');
    dispatcher.beginShutdown();
    this.http?.stopAccepting();
    await this.#options.beforeDrain?.().catch((err: unknown) => logger.error({ err }, 'stopping reloads failed'));
    this.stdio?.close();
    // Leave time after the drain to close the generation before the hard deadline.
    const completed = await dispatcher.drain(Math.max(0, deadlineMs - 2000));
    // The last replies are written in the continuations of the drained requests: let those run first.
    await new Promise((resolve) => setImmediate(resolve));
    await this.http?.close();
    try {
      await this.#options.generation().close('shutdown', 1000);
    } catch (err) {
      logger.error({ err }, 'closing the generation failed');
      exitCode = 1;
    }
    for (const resource of this.#options.resources ?? []) {
      try {
        await resource.close('shutdown');
      } catch (err) {
        logger.error({ err, resource: resource.name }, 'closing failed');
        exitCode = 1;
      }
    }
    clearTimeout(deadline);
    logger.info({ ms: Date.now() - started }, 'shutdown complete');
    this.#exit(completed ? exitCode : Math.max(exitCode, 1));
  }

  /** The emergency path: save what can be saved in a bounded time, then exit. */
  async #flushThenExit(code: number): Promise<void> {
    const flushes = (this.#options.resources ?? []).map((r) => r.flush().catch(() => undefined));
    await Promise.race([Promise.all(flushes), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    this.#exit(code);
  }

  #exit(code: number): void {
    (this.#options.exit ?? process.exit)(code);
  }
}
