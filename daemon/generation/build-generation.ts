/**
 * Builds a generation from the project's files: configuration → plugins (daemon/plugins/) → endpoint
 * registry (static checks) → DuckDB runtime (with udf functions) → executor plugins → compiled endpoints →
 * executor preparation → plugins' ready hooks. If any step throws, what was
 * opened so far is closed in reverse order and the error propagates: the caller (boot or reload) keeps the
 * previous generation.
 */

import type { AuthProvider } from '../../sdk/auth-provider.js';
import { Errors, type MxcpError } from '../../sdk/errors/index.js';
import type { Executor, PluginDescription } from '../../sdk/executor.js';
import type { TokenStore } from '../../sdk/token-store.js';
import { AuthService } from '../auth/auth-service.js';
import type { AuthSettings } from '../auth/auth-settings.js';
import type { Env } from '../config/env.js';
import { durationMs } from '../config/env.js';
import type { ProjectConfig } from '../config/project.js';
import { createDatabaseAccess } from '../duckdb/database-access.js';
import { DuckDBRuntime } from '../duckdb/runtime.js';
import type { Logger } from '../logging/logger.js';
import { openGenerationPlugins } from '../plugins/generation-phase.js';
import type { LivePlugin } from '../plugins/live-plugin.js';
import type { PluginSet } from '../plugins/plugin-set.js';
import { registerUdfs } from '../plugins/udf-functions.js';
import { buildRegistry, type EndpointEntry } from '../registry/registry.js';
import { type CompiledEndpoint, compileEndpoint } from './compiled-endpoint.js';
import { createConfigAccess } from './config-access.js';
import { startExecutors } from './executors.js';
import { Generation } from './generation.js';

export interface BuildOptions {
  readonly id: number;
  readonly project: ProjectConfig;
  readonly logger: Logger;
  /** `--readonly` / `MXCP_READONLY` override of the profile's `duckdb.readonly`. */
  readonly readonly?: boolean;
  /** For plugin discovery (`MXCP_PLUGIN_PATH`, relative paths); default: the process's. */
  readonly env?: Env;
  readonly cwd?: string;
  /** `mxcp serve` over HTTP with auth configured: the token store and provider are created, and the auth service. */
  readonly auth?: AuthSettings;
}

export async function buildGeneration(options: BuildOptions): Promise<Generation> {
  const { project, logger } = options;
  const cleanup: (() => Promise<void>)[] = [];
  try {
    // Plugins first (security kinds, udf instances); they close last. Executors join them once DuckDB is open.
    const plugins = await openGenerationPlugins({
      project,
      logger,
      env: options.env ?? process.env,
      cwd: options.cwd ?? process.cwd(),
      ...(options.auth ? { auth: options.auth } : {}),
    });
    cleanup.push(() => plugins.close('failed-build'));
    const auth = options.auth ? await openAuth(plugins, options.auth, logger) : undefined;
    const registry = await buildRegistry({ root: project.root, paths: project.siteConfig.paths, languages: plugins.executorLanguages() });
    for (const s of registry.skipped) logger[s.level]({ file: s.relPath }, `endpoint file ${s.relPath} ${s.reason}`);

    const database = await DuckDBRuntime.open({
      path: project.profile.duckdbPath,
      readonly: options.readonly ?? project.profile.duckdbReadonly,
      extensions: project.siteConfig.extensions,
      secrets: project.userProfile.secrets,
      queryTimeoutMs: durationMs(project.profile.queryTimeout),
      logger: logger.child({ component: 'duckdb' }),
      registerFunctions: (connection) => registerUdfs(connection, plugins.live('udf')),
    });
    // In the plugins' close stack: after the executors (which may still query in their close hooks), before udf plugins.
    plugins.onClose(() => database.close());

    const host = {
      projectRoot: project.root,
      database: createDatabaseAccess(database),
      config: createConfigAccess(project),
      plugins: plugins.live('udf').map(describeUdf),
    };
    const executors = await startExecutors(plugins, registry, host);
    const byLanguage = new Map<string, Executor>();
    // Discovery order decides when two executors claim a language: the first keeps it.
    for (const e of executors) for (const lang of e.languages) if (!byLanguage.has(lang)) byLanguage.set(lang, e);

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

    await plugins.ready(plugins.needs);
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
      plugins,
      ...(auth ? { auth } : {}),
    });
  } catch (err) {
    for (const close of cleanup.reverse()) await close().catch((e: unknown) => logger.warn({ err: e }, 'cleanup after a failed build'));
    throw err;
  }
}

/** The auth service on the generation's selected store and provider (it closes with the plugins). */
async function openAuth(plugins: PluginSet, settings: AuthSettings, logger: Logger): Promise<AuthService> {
  const selected = (kind: 'token-store' | 'auth-provider', name: string) =>
    plugins.live(kind).find((l) => (l.record.manifest?.mxcp.provides ?? []).includes(name))?.instance;
  const service = await AuthService.create({
    settings,
    logger: logger.child({ component: 'auth' }),
    ...(settings.mode === 'issuer'
      ? {
          provider: selected('auth-provider', settings.provider) as unknown as AuthProvider | undefined,
          store: selected('token-store', settings.store.type) as unknown as TokenStore | undefined,
        }
      : {}),
  });
  plugins.onClose(async () => service.close());
  return service;
}

/** What endpoint code learns of a udf instance (`plugins.get`): its functions are the SQL names. */
function describeUdf(live: LivePlugin): PluginDescription {
  const name = live.instanceName ?? live.name;
  return {
    name,
    module: live.record.name,
    version: live.record.manifest?.version ?? '',
    functions: Object.keys((live.instance.functions as Record<string, unknown> | undefined) ?? {}).map((method) => `${method}_${name}`),
  };
}

function asEndpointError(err: Error, relPath: string): MxcpError {
  if ((err as Partial<MxcpError>).code?.startsWith('MXCP_E_')) return err as MxcpError;
  return new Errors.MXCP_E_ENDPOINT_SCHEMA({ detail: err.message }, { cause: err, location: { file: relPath } });
}
