/**
 * One generation: everything derived from the files on disk, immutable once built, reference-counted by
 * the requests running on it. A reload builds the next generation beside this one; this one drains (its
 * in-flight requests finish) and then closes its executors and database handle.
 */
import type { Executor } from '../../sdk/executor.js';
import type { AuthService } from '../auth/auth-service.js';
import type { ProjectConfig } from '../config/project.js';
import type { DuckDBRuntime } from '../duckdb/runtime.js';
import type { PluginSet } from '../plugins/plugin-set.js';
import type { EndpointEntry, Registry } from '../registry/registry.js';
import type { CompiledEndpoint } from './compiled-endpoint.js';

export type CloseReason = 'reload' | 'shutdown' | 'command';

export interface GenerationParts {
  readonly id: number;
  readonly project: ProjectConfig;
  readonly registry: Registry;
  readonly tools: ReadonlyMap<string, CompiledEndpoint>;
  readonly resources: ReadonlyMap<string, CompiledEndpoint>;
  readonly prompts: ReadonlyMap<string, CompiledEndpoint>;
  /** Files that failed to load or check, and endpoints their executor could not prepare. */
  readonly failed: readonly EndpointEntry[];
  readonly database: DuckDBRuntime | undefined;
  readonly executors: readonly Executor[];
  /** The generation's plugins (executors among them); when given, they close everything in reverse creation order. */
  readonly plugins?: PluginSet;
  /** HTTP auth (OAuth routes, the MCP gate) when the profile configures it and the generation serves HTTP. */
  readonly auth?: AuthService;
}

export class Generation {
  readonly id: number;
  readonly project: ProjectConfig;
  readonly registry: Registry;
  readonly tools: ReadonlyMap<string, CompiledEndpoint>;
  readonly resources: ReadonlyMap<string, CompiledEndpoint>;
  readonly prompts: ReadonlyMap<string, CompiledEndpoint>;
  readonly failed: readonly EndpointEntry[];
  readonly database: DuckDBRuntime | undefined;
  readonly plugins: PluginSet | undefined;
  readonly auth: AuthService | undefined;
  readonly #executors: readonly Executor[];
  #inFlight = 0;
  #drained: (() => void) | undefined;
  #closing: Promise<void> | undefined;

  constructor(parts: GenerationParts) {
    this.id = parts.id;
    this.project = parts.project;
    this.registry = parts.registry;
    this.tools = parts.tools;
    this.resources = parts.resources;
    this.prompts = parts.prompts;
    this.failed = parts.failed;
    this.database = parts.database;
    this.#executors = parts.executors;
    this.plugins = parts.plugins;
    this.auth = parts.auth;
  }

  /** The executors serving this generation (for pool metrics). */
  get executors(): readonly Executor[] {
    return this.#executors;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get closing(): boolean {
    return this.#closing !== undefined;
  }

  /** Takes a reference for one request; the returned function releases it (idempotent). */
  acquire(): () => void {
    this.#inFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight--;
      if (this.#inFlight === 0) this.#drained?.();
    };
  }

  endpoint(kind: 'tool' | 'resource' | 'prompt', name: string): CompiledEndpoint | undefined {
    return (kind === 'tool' ? this.tools : kind === 'resource' ? this.resources : this.prompts).get(name);
  }

  /**
   * Waits for in-flight requests (up to `deadlineMs`), then closes executors in reverse order and the
   * database. Memoised: every caller gets the same promise.
   */
  close(reason: CloseReason, deadlineMs = 30_000): Promise<void> {
    this.#closing ??= this.#close(reason, deadlineMs);
    return this.#closing;
  }

  async #close(reason: CloseReason, deadlineMs: number): Promise<void> {
    if (this.#inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadlineMs);
        timer.unref();
        this.#drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    if (this.plugins) await this.plugins.close(reason);
    else for (const executor of [...this.#executors].reverse()) await executor.close().catch(() => undefined);
    await this.database?.close(); // memoised: a no-op when the plugins' close stack closed it
  }
}
