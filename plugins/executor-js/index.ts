/**
 * The `typescript` / `javascript` executor. Endpoint modules (`source.file`: .ts, .mts, .js, .mjs) run in a piscina
 * pool of worker threads started at `prepare` (boot or reload), each of which loads every module and runs the
 * `onInit` hooks before taking calls. A call runs on one worker with an AbortSignal (client cancel, a per-call
 * timeout, close); a call that runs too long or crashes its worker fails alone and the worker is replaced.
 * The runtime API endpoint code uses (`mxcp/sdk`: db, config, mcp, ...) is served from the main thread by the
 * {@link HostBridge}. The functions receive one object with the validated parameters.
 */

import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { executorErrors } from '../../sdk/errors/executor.js';
import type { MxcpError } from '../../sdk/errors/index.js';
import type { ExecutionContext } from '../../sdk/execution-context.js';
import type { ExecutableEndpoint, Executor, ExecutorHost, ExecutorStats } from '../../sdk/executor.js';
import { decodeOutcome, endpointRef, loadProblemError, poolFailure, toWorkerValue } from './call-values.js';
import { snapshotConfig } from './config-snapshot.js';
import { HostBridge } from './host-bridge.js';
import { type JsExecutorConfig, type JsExecutorOptions, resolveOptions } from './options.js';
import type { CallOutcome, EndpointSpec, LoadProblem } from './protocol.js';
import { acquireShared, BridgeRouter, poolKey, registerShared, releaseShared, type SharedPool } from './shared-pools.js';
import { transpileForWorkers } from './transpile-cache.js';
import { WorkerPool } from './worker-pool.js';

export type { JsExecutorConfig } from './options.js';

/** Where `mxcp/sdk` points inside workers, relative to the compiled worker (dist/plugins/executor-js/). */
const kSdkEntry = '../../sdk/index.js';

/** The compiled worker: beside this file in dist/, or found from the TypeScript sources (tests) via dist/. */
function locateWorkerFile(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  if (existsSync(join(here, 'worker.js'))) return join(here, 'worker.js');
  for (let dir = here; dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, 'dist', 'plugins', 'executor-js', 'worker.js');
    if (existsSync(candidate)) return candidate;
  }
  throw new executorErrors.MXCP_E_EXEC_WORKER_START({
    detail: 'compiled worker dist/plugins/executor-js/worker.js not found (run npm run build)',
  });
}

export class JsExecutor implements Executor {
  readonly languages = ['typescript', 'javascript'] as const;
  readonly #options: JsExecutorOptions;
  readonly #bridge: HostBridge;
  readonly #endpoints = new Map<string, EndpointSpec>();
  /** In-flight calls, by their abort controller, for draining and aborting on close. */
  readonly #inFlight = new Map<AbortController, Promise<unknown>>();
  #pool?: WorkerPool;
  #shared?: SharedPool;
  #closing?: Promise<void>;

  constructor(
    private readonly host: ExecutorHost,
    config: JsExecutorConfig = {},
  ) {
    this.#options = resolveOptions(config);
    // Hooks run outside any request; the transport is not known at boot.
    this.#bridge = new HostBridge(host, { transport: 'cli' });
  }

  async prepare(endpoints: readonly ExecutableEndpoint[]): Promise<ReadonlyMap<string, Error>> {
    if (this.#closing) throw new executorErrors.MXCP_E_EXEC_CLOSED();
    if (this.#pool) throw new Error('JsExecutor.prepare may run once; a reload builds a new executor');
    const problems = new Map<string, Error>();
    const specs: EndpointSpec[] = [];
    for (const e of endpoints) {
      if (!e.source.file) {
        const detail = 'TypeScript/JavaScript endpoints must specify source.file';
        problems.set(e.name, new executorErrors.MXCP_E_EXEC_MODULE_LOAD({ file: `${e.kind} '${e.name}'`, detail }));
        continue;
      }
      specs.push({ name: e.name, kind: e.kind, file: e.source.file, displayFile: this.#display(e.source.file) });
    }
    if (specs.length === 0) return problems;

    const workerFile = locateWorkerFile();
    const init = {
      endpoints: specs,
      config: snapshotConfig(this.host.config, this.host.plugins),
      sdkUrl: new URL(kSdkEntry, pathToFileURL(workerFile)).href,
      transpiled: await transpileForWorkers(specs.map((s) => s.file)),
    };
    const key = poolKey(workerFile, init, this.#options);
    let report: LoadProblem[];
    const reused = acquireShared(key);
    if (reused) {
      // A reload that changed nothing the workers depend on: keep them (shared-pools.ts).
      reused.router.add(this.#bridge, (err) => this.#abortAll(err));
      this.#shared = reused;
      this.#pool = reused.pool;
      report = reused.report;
    } else {
      const router = new BridgeRouter();
      router.add(this.#bridge, (err) => this.#abortAll(err));
      const pool = new WorkerPool(workerFile, init, this.#options, router, this.host.logger, (err) => router.broken(err));
      this.#pool = pool;
      try {
        report = await pool.ready();
      } catch (err) {
        await pool.destroy();
        this.#pool = undefined;
        throw err;
      }
      this.#shared = { key, pool, router, report, refs: 1 };
      registerShared(this.#shared);
    }
    const failed = new Set<string>();
    for (const problem of report) {
      const spec = specs.find((s) => s.name === problem.name);
      if (!spec) continue;
      failed.add(spec.name);
      problems.set(
        spec.name,
        loadProblemError(problem, spec, (p) => this.#display(p)),
      );
    }
    for (const spec of specs) if (!failed.has(spec.name)) this.#endpoints.set(spec.name, spec);
    this.host.logger.info(
      { threads: this.#options.threads, endpoints: this.#endpoints.size, reused: reused !== undefined },
      reused ? 'JS/TS workers kept from the previous generation' : 'JS/TS workers ready',
    );
    return problems;
  }

  execute(endpoint: ExecutableEndpoint, params: Readonly<Record<string, unknown>>, context: ExecutionContext): Promise<unknown> {
    if (this.#closing) return Promise.reject(new executorErrors.MXCP_E_EXEC_CLOSED());
    const spec = this.#endpoints.get(endpoint.name);
    const pool = this.#pool;
    if (!spec || !pool) return Promise.reject(new executorErrors.MXCP_E_EXEC_NOT_PREPARED({ name: endpoint.name }));
    if (pool.broken) return Promise.reject(pool.broken);
    // Backpressure here, not in piscina: piscina's maxQueue does not count tasks that carry an AbortSignal.
    if (this.#inFlight.size >= this.#options.threads + this.#options.maxQueue) {
      return Promise.reject(new executorErrors.MXCP_E_EXEC_QUEUE_FULL({ ...endpointRef(spec), limit: this.#options.maxQueue }));
    }
    if (context.signal?.aborted) {
      return Promise.reject(new executorErrors.MXCP_E_EXEC_ABORTED(endpointRef(spec), { cause: context.signal.reason }));
    }
    const controller = new AbortController();
    const call = this.#call(pool, spec, params, context, controller);
    this.#inFlight.set(controller, call);
    call.then(
      () => this.#inFlight.delete(controller),
      () => this.#inFlight.delete(controller),
    );
    return call;
  }

  /** Runs onShutdown hooks in each worker after in-flight calls finish, then stops the pool. Idempotent. */
  stats(): ExecutorStats {
    return this.#pool?.stats() ?? { threads: 0, utilization: 0, queued: 0 };
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #call(
    pool: WorkerPool,
    spec: EndpointSpec,
    params: Readonly<Record<string, unknown>>,
    context: ExecutionContext,
    controller: AbortController,
  ): Promise<unknown> {
    const ref = endpointRef(spec);
    // One controller per call, fed by the client's signal, the deadline and close: aborting it makes piscina
    // drop the queued task or terminate the worker running it, and cancels the call's database work.
    const onClientAbort = () => controller.abort(new executorErrors.MXCP_E_EXEC_ABORTED(ref, { cause: context.signal?.reason }));
    context.signal?.addEventListener('abort', onClientAbort, { once: true });
    const ms = this.#options.callTimeoutMs;
    const timer = setTimeout(() => controller.abort(new executorErrors.MXCP_E_EXEC_TIMEOUT({ ...ref, ms })), ms);
    // Left ref'd on purpose: in a CLI command a call waiting for a (re)starting worker may be the only work
    // keeping the process alive; piscina refs a worker only while it runs a task.
    const callId = this.#bridge.open({ spec, context: { ...context, signal: controller.signal } });
    let outcome: CallOutcome;
    try {
      const task = { callId, name: spec.name, params: toWorkerValue(params) as Record<string, unknown>, user: context.user };
      outcome = await pool.run(task, controller.signal);
    } catch (err) {
      const failure = controller.signal.aborted ? (controller.signal.reason as MxcpError) : (pool.explain() ?? poolFailure(err, spec));
      // A stopped or dead worker is an operational event (a replacement starts); a cancelled call is not.
      if (failure.code !== executorErrors.MXCP_E_EXEC_ABORTED.code && failure.code !== executorErrors.MXCP_E_EXEC_CLOSED.code) {
        this.host.logger.warn({ err: failure, endpoint: spec.name, file: spec.displayFile }, failure.message);
      }
      throw failure;
    } finally {
      clearTimeout(timer);
      context.signal?.removeEventListener('abort', onClientAbort);
      this.#bridge.close(callId);
    }
    return decodeOutcome(outcome, spec);
  }

  async #close(): Promise<void> {
    if (this.#inFlight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.#options.closeTimeoutMs);
      });
      await Promise.race([Promise.allSettled(this.#inFlight.values()), deadline]);
      clearTimeout(timer);
      this.#abortAll(new executorErrors.MXCP_E_EXEC_CLOSED());
      await Promise.allSettled(this.#inFlight.values());
    }
    const shared = this.#shared;
    if (!shared) return;
    // The next generation may hold the same pool: only the last holder runs onShutdown (its hooks still reach
    // this generation's database) and stops the workers.
    if (releaseShared(shared)) await shared.pool.shutdown();
    shared.router.remove(this.#bridge);
  }

  #abortAll(reason: MxcpError): void {
    for (const controller of this.#inFlight.keys()) controller.abort(reason);
  }

  /** Relative to the project root when inside it, as error messages and locations show files. */
  #display(file: string): string {
    const rel = relative(this.host.projectRoot, file);
    return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
  }
}

/** Plugin entry: `createExecutor(host, config?)`; `config` is the plugin's block (see {@link JsExecutorConfig}). */
export default function createExecutor(host: ExecutorHost, config?: JsExecutorConfig): Executor {
  return new JsExecutor(host, config);
}
