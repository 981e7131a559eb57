/**
 * The `sql` executor. The endpoint's SQL (inline, or the file's text read once per generation) runs as a
 * whole on the host's database with the validated parameters bound by name (`$name`), never interpolated.
 * Multi-statement text returns the last statement's rows; preparation and caching happen in the database
 * layer, so this executor holds no state of its own.
 */
import type { ExecutionContext } from '../../sdk/execution-context.js';
import type { ExecutableEndpoint, Executor, ExecutorHost } from '../../sdk/executor.js';

export class SqlExecutor implements Executor {
  readonly languages = ['sql'] as const;
  #closed = false;

  constructor(private readonly host: ExecutorHost) {}

  async prepare(endpoints: readonly ExecutableEndpoint[]): Promise<ReadonlyMap<string, Error>> {
    const problems = new Map<string, Error>();
    for (const e of endpoints) {
      if (!e.source.code || e.source.code.trim() === '') problems.set(e.name, new Error('No SQL query found'));
    }
    return problems;
  }

  async execute(endpoint: ExecutableEndpoint, params: Readonly<Record<string, unknown>>, context: ExecutionContext): Promise<unknown> {
    if (this.#closed) throw new Error('SQL executor is closed');
    return this.host.database.execute(endpoint.source.code ?? '', params, context);
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}

export default function createExecutor(host: ExecutorHost): Executor {
  return new SqlExecutor(host);
}
