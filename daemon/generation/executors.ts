/**
 * Executors are `executor` plugins, discovered and loaded like any other (built-ins: executor-sql,
 * executor-js). Only those serving a language the project's endpoints use are created, so a SQL-only project
 * never starts the JS/TS worker pool.
 */
import type { Executor, ExecutorHost } from '../../sdk/executor.js';
import type { GenerationPlugins } from '../plugins/generation-phase.js';
import type { Registry } from '../registry/registry.js';

export async function startExecutors(
  plugins: GenerationPlugins,
  registry: Registry,
  host: Omit<ExecutorHost, 'logger'>,
): Promise<Executor[]> {
  const inUse = new Set<string>();
  for (const entry of [...registry.tools.values(), ...registry.resources.values()]) if (entry.source) inUse.add(entry.source.language);
  await plugins.loadExecutors(inUse, host);
  return plugins.instances('executor');
}
