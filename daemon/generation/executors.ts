/**
 * The built-in executor plugins a generation starts. The JS/TS executor (a worker pool) starts only when
 * the project has endpoints in those languages, so SQL-only projects pay nothing for it.
 */

import createJsExecutor from '../../plugins/executor-js/index.js';
import createSqlExecutor from '../../plugins/executor-sql/index.js';
import type { Executor, ExecutorHost } from '../../sdk/executor.js';
import type { Registry } from '../registry/registry.js';

export function createBuiltinExecutors(host: ExecutorHost, registry: Registry): Executor[] {
  const executors: Executor[] = [createSqlExecutor(host)];
  const languages = new Set([...registry.tools.values(), ...registry.resources.values()].map((e) => e.source?.language));
  if (languages.has('typescript') || languages.has('javascript')) executors.push(createJsExecutor(host));
  return executors;
}
