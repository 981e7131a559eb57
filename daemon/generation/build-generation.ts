/**
 * Builds a generation from the project's files: configuration → endpoint registry (static checks) →
 * DuckDB runtime → executors → compiled endpoints → executor preparation. If any step throws, what was
 * opened so far is closed in reverse order and the error propagates: the caller (boot or reload) keeps the
 * previous generation.
 */

import { Errors, type MxcpError } from '../../sdk/errors/index.js';
import type { Executor, ExecutorHost } from '../../sdk/executor.js';
import { durationMs } from '../config/env.js';
import type { ProjectConfig } from '../config/project.js';
import { createDatabaseAccess } from '../duckdb/database-access.js';
import { DuckDBRuntime } from '../duckdb/runtime.js';
import type { Logger } from '../logging/logger.js';
import { builtinExecutorLanguages } from '../registry/languages.js';
import { buildRegistry, type EndpointEntry } from '../registry/registry.js';
import { type CompiledEndpoint, compileEndpoint } from './compiled-endpoint.js';
import { createConfigAccess } from './config-access.js';
import { createBuiltinExecutors } from './executors.js';
import { Generation } from './generation.js';

export interface BuildOptions {
  readonly id: number;
  readonly project: ProjectConfig;
  readonly logger: Logger;
  /** `--readonly` / `MXCP_READONLY` override of the profile's `duckdb.readonly`. */
  readonly readonly?: boolean;
}

export async function buildGeneration(options: BuildOptions): Promise<Generation> {
  const { project, logger } = options;
  const cleanup: (() => Promise<void>)[] = [];
  try {
    const registry = await buildRegistry({ root: project.root, paths: project.siteConfig.paths, languages: builtinExecutorLanguages() });
    for (const s of registry.skipped) logger[s.level]({ file: s.relPath }, `endpoint file ${s.relPath} ${s.reason}`);

    const database = await DuckDBRuntime.open({
      path: project.profile.duckdbPath,
      readonly: options.readonly ?? project.profile.duckdbReadonly,
      extensions: project.siteConfig.extensions,
      secrets: project.userProfile.secrets,
      queryTimeoutMs: durationMs(project.profile.queryTimeout),
      logger: logger.child({ component: 'duckdb' }),
    });
    cleanup.push(() => database.close());

    const host: ExecutorHost = {
      projectRoot: project.root,
      database: createDatabaseAccess(database),
      config: createConfigAccess(project),
      logger: logger.child({ component: 'executor' }),
    };
    const executors = createBuiltinExecutors(host, registry);
    for (const e of executors) cleanup.push(() => e.close());
    const byLanguage = new Map<string, Executor>();
    for (const e of executors) for (const lang of e.languages) byLanguage.set(lang, e);

    const failed: EndpointEntry[] = [...registry.failed];
    const compiled = {
      tool: new Map<string, CompiledEndpoint>(),
      resource: new Map<string, CompiledEndpoint>(),
      prompt: new Map<string, CompiledEndpoint>(),
    };
    for (const map of [registry.tools, registry.resources, registry.prompts]) {
      for (const entry of map.values()) {
        const c = compileEndpoint(entry, (lang) => byLanguage.get(lang));
        compiled[c.kind].set(c.name, c);
      }
    }

    // Each executor loads its endpoints once (module import, worker preload); failures mark the endpoint.
    for (const executor of executors) {
      const mine = [...compiled.tool.values(), ...compiled.resource.values()].filter((c) => c.executor === executor);
      if (mine.length === 0) continue;
      const problems = await executor.prepare(mine.map((c) => c.executable!));
      for (const [name, err] of problems) {
        const c = mine.find((m) => m.name === name);
        if (!c) continue;
        compiled[c.kind].delete(name);
        failed.push({ ...c.entry, error: asEndpointError(err, c.entry.relPath) });
      }
    }

    return new Generation({
      id: options.id,
      project,
      registry,
      tools: compiled.tool,
      resources: compiled.resource,
      prompts: compiled.prompt,
      failed,
      database,
      executors,
    });
  } catch (err) {
    for (const close of cleanup.reverse()) await close().catch((e: unknown) => logger.warn({ err: e }, 'cleanup after a failed build'));
    throw err;
  }
}

function asEndpointError(err: Error, relPath: string): MxcpError {
  if ((err as Partial<MxcpError>).code?.startsWith('MXCP_E_')) return err as MxcpError;
  return new Errors.MXCP_E_ENDPOINT_SCHEMA({ detail: err.message }, { cause: err, location: { file: relPath } });
}
