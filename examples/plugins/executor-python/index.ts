/**
 * An executor for `language: python` endpoints (`source.file` with a function named like the tool). Each
 * call runs `python3` on a small harness: parameters go in as JSON on stdin, the result comes back as JSON
 * on stdout. Cancellation (client gone, timeout) kills the process.
 *
 * A sketch of the executor contract, not MXCP's Python runtime: no `mxcp.runtime` API, no process pool.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  definePlugin,
  type ExecutableEndpoint,
  type ExecutionContext,
  type Executor,
  type ExecutorHost,
  kExecutorHost,
  type PluginLogger,
} from 'mxcp/sdk';
import { kHarness } from './harness.js';

interface PythonConfig {
  readonly python: string;
  readonly timeout_ms: number;
}

class PythonExecutor implements Executor {
  readonly languages = ['python'];

  constructor(
    private readonly host: ExecutorHost,
    private readonly config: PythonConfig,
    private readonly logger: PluginLogger,
  ) {}

  /** Fails the plugin (and, since python endpoints need it, the build) when the interpreter is missing. */
  init(): void {
    const probe = spawnSync(this.config.python, ['--version'], { encoding: 'utf8' });
    if (probe.status !== 0) throw new Error(`${this.config.python} is not runnable: ${probe.error?.message ?? probe.stderr}`);
    this.logger.debug({ python: probe.stdout.trim() || probe.stderr.trim() }, 'python executor ready');
  }

  async prepare(endpoints: readonly ExecutableEndpoint[]): Promise<ReadonlyMap<string, Error>> {
    const problems = new Map<string, Error>();
    for (const e of endpoints) if (!e.source.file) problems.set(e.name, new Error('python endpoints need source.file'));
    return problems;
  }

  execute(endpoint: ExecutableEndpoint, params: Readonly<Record<string, unknown>>, context: ExecutionContext): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const signal = context.signal
        ? AbortSignal.any([context.signal, AbortSignal.timeout(this.config.timeout_ms)])
        : AbortSignal.timeout(this.config.timeout_ms);
      const child = spawn(this.config.python, ['-c', kHarness, endpoint.source.file ?? '', endpoint.name], {
        cwd: this.host.projectRoot,
        signal,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
      });
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        err += d;
      });
      child.on('error', (e) => reject(signal.aborted ? new Error(`${endpoint.name} was cancelled or timed out`) : e));
      child.on('close', (code) => {
        if (code !== 0) return reject(new Error(err.trim().split('\n').pop() || `python exited with code ${code}`));
        try {
          resolve(JSON.parse(out));
        } catch {
          reject(new Error(`${endpoint.name} did not return JSON`));
        }
      });
      child.stdin.end(JSON.stringify(params));
    });
  }

  async close(): Promise<void> {}
}

export default definePlugin<'executor', PythonConfig>({
  kind: 'executor',
  create: ({ config, logger, resolve }) => new PythonExecutor(resolve(kExecutorHost), config, logger),
});
