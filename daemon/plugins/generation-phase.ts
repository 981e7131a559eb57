/**
 * The plugins of one generation, created in kind order once the configuration is resolved:
 *
 *   token-store ─> auth-provider ─> model-provider     (every discovered one; security kinds fail closed)
 *   udf        one instance per `plugin:` entry of mxcp-site.yml     (registered as SQL functions when DuckDB opens)
 *   executor   only those whose languages the endpoints use           (after DuckDB opens: they get a host)
 *
 * Closing runs in reverse (executors, the database, udf, ... token stores), see PluginSet.
 */
import { resolve } from 'node:path';
import { type AuthProviderSettings, kAuthProviderSettings } from '../../sdk/auth-provider.js';
import { pluginErrors } from '../../sdk/errors/plugins.js';
import type { ExecutorHost } from '../../sdk/executor.js';
import { kExecutorHost } from '../../sdk/plugin-tokens.js';
import { kTokenStoreSettings, type TokenStoreSettings } from '../../sdk/token-store.js';
import type { AuthSettings } from '../auth/auth-settings.js';
import type { Env } from '../config/env.js';
import type { ProjectConfig } from '../config/project.js';
import type { Logger } from '../logging/logger.js';
import { discoverPlugins } from './discover.js';
import { configBlock } from './plugin-config.js';
import { PluginSet } from './plugin-set.js';
import { matchesModule, type Needs } from './requirements.js';
import { failure, kindOf, type PluginRecord } from './types.js';

export interface GenerationPluginOptions {
  readonly project: ProjectConfig;
  readonly logger: Logger;
  readonly env: Env;
  readonly cwd: string;
  /**
   * The profile's auth settings when this generation serves HTTP with auth: the token store and provider
   * they select are created with their settings. Without it (CLI commands, stdio) built-in auth plugins are
   * not created at all: `mxcp run` must not need the identity provider.
   */
  readonly auth?: AuthSettings;
}

// Audit sinks are not here: they outlive generations and are opened by the audit trail (audit-phase.ts).
const kEarlyKinds = ['token-store', 'auth-provider', 'model-provider'] as const;

export class GenerationPlugins extends PluginSet {
  readonly #project: ProjectConfig;
  /** Grows as the build learns what the configuration uses (udf modules now, languages after the registry). */
  #needs: { udfModules: Set<string>; languages: Set<string> };

  readonly #auth: AuthSettings | undefined;

  constructor(records: readonly PluginRecord[], logger: Logger, project: ProjectConfig, auth?: AuthSettings) {
    super(records, logger);
    this.#project = project;
    this.#auth = auth;
    this.#needs = { udfModules: new Set(project.siteConfig.plugin.map((p) => p.module)), languages: new Set() };
  }

  get needs(): Needs {
    return this.#needs;
  }

  /** Languages some discovered executor declares (broken ones included: their endpoints must fail closed, not vanish). */
  executorLanguages(): Set<string> {
    return new Set(this.recordsOf('executor').flatMap((r) => r.manifest?.mxcp.provides ?? []));
  }

  async loadEarlyKinds(): Promise<void> {
    for (const kind of kEarlyKinds) {
      for (const record of this.recordsOf(kind)) {
        const services = this.#authServices(kind, record);
        if (services === 'skip') continue;
        const config = configBlock(record, this.#project.userConfig.plugins?.config);
        await this.load({ record, kind, config, needs: this.#needs, ...(services ? { services } : {}) });
      }
    }
    // Manifests nobody could classify are reported once per generation.
    for (const record of this.recordsOf(undefined)) this.report(record, this.#needs);
  }

  /**
   * Auth kinds: the plugin the settings select (its `provides` names the provider or the store type) gets
   * them in its container. Other built-in auth plugins are not created; a third-party one that is not
   * selected is created bare, as before auth was configured (its own config block only).
   */
  #authServices(kind: (typeof kEarlyKinds)[number], record: PluginRecord): 'skip' | ((l: Logger) => Map<symbol, unknown>) | undefined {
    if (kind !== 'token-store' && kind !== 'auth-provider') return undefined;
    // Verifier mode needs neither: tokens are checked against the issuer's keys, lazily (MXCP too).
    const auth = this.#auth?.mode === 'issuer' ? this.#auth : undefined;
    const provides = record.manifest?.mxcp.provides ?? [];
    const selected = auth && (kind === 'token-store' ? provides.includes(auth.store.type) : provides.includes(auth.provider));
    if (selected && kind === 'token-store') {
      const settings: TokenStoreSettings = { type: auth.store.type, path: auth.store.path };
      return () => new Map<symbol, unknown>([[kTokenStoreSettings, settings]]);
    }
    if (selected) {
      const settings: AuthProviderSettings = { provider: auth.provider, config: auth.providerConfig };
      return () => new Map<symbol, unknown>([[kAuthProviderSettings, settings]]);
    }
    return record.source === 'builtin' ? 'skip' : undefined;
  }

  /** One instance per `plugin:` entry; a missing module or config block fails the build (the entry requires it). */
  async loadUdfs(): Promise<void> {
    const profile = this.#project.profile.name;
    for (const entry of this.#project.siteConfig.plugin) {
      const record = this.records.find((r) => matchesModule(r, entry.module) && !(r.failure?.phase === 'duplicate'));
      const where =
        entry.config === undefined ? `mxcp-site.yml plugin: '${entry.name}'` : `profiles.${profile}.plugin.config.${entry.config}`;
      if (!record) {
        const detail = `no plugin named '${entry.module}' was discovered (mxcp-site.yml plugin: '${entry.name}')`;
        throw new pluginErrors.MXCP_E_PLUGIN_NOT_FOUND({
          plugin: entry.module,
          detail,
          required: `mxcp-site.yml plugin: entry '${entry.name}'`,
        });
      }
      const blocks = this.#project.userProfile.plugin.config;
      const request = { record, kind: 'udf' as const, config: { value: {}, where }, needs: this.#needs, instanceName: entry.name };
      if (record.manifest && kindOf(record) !== 'udf') {
        const detail = `module '${entry.module}' is a ${kindOf(record)} plugin, not a udf plugin`;
        throw failure('contract', pluginErrors.MXCP_E_PLUGIN_CONTRACT, { plugin: record.name, kind: 'udf', detail }).required(
          `mxcp-site.yml plugin: entry '${entry.name}'`,
        );
      }
      if (entry.config !== undefined && !Object.hasOwn(blocks, entry.config)) {
        const detail = `Plugin configuration '${entry.config}' not found in plugin config`;
        this.fail(request, failure('config', pluginErrors.MXCP_E_PLUGIN_CONFIG_INVALID, { plugin: record.name, where, detail }));
        continue;
      }
      await this.load({ ...request, config: { value: entry.config === undefined ? {} : blocks[entry.config], where } });
    }
    const named = [...this.#needs.udfModules];
    for (const record of this.recordsOf('udf')) if (!named.some((m) => matchesModule(record, m))) this.report(record, this.#needs);
  }

  /** Executors for the languages in use, each with a host whose logger is its own. */
  async loadExecutors(languagesInUse: ReadonlySet<string>, host: Omit<ExecutorHost, 'logger'>): Promise<void> {
    for (const language of languagesInUse) this.#needs.languages.add(language);
    for (const record of this.recordsOf('executor')) {
      const provides = record.manifest?.mxcp.provides ?? [];
      if (!provides.some((l) => languagesInUse.has(l))) {
        this.report(record, this.#needs);
        continue;
      }
      const services = (logger: Logger) => new Map<symbol, unknown>([[kExecutorHost, { ...host, logger } satisfies ExecutorHost]]);
      await this.load({
        record,
        kind: 'executor',
        config: configBlock(record, this.#project.userConfig.plugins?.config),
        needs: this.#needs,
        services,
      });
    }
  }
}

export async function openGenerationPlugins(options: GenerationPluginOptions): Promise<GenerationPlugins> {
  const { project } = options;
  const records = await discoverPlugins({
    cwd: options.cwd,
    projectPluginsDir: resolve(project.root, project.siteConfig.paths.plugins),
    pluginPath: options.env.MXCP_PLUGIN_PATH,
    packages: project.userConfig.plugins?.packages ?? [],
    packageBase: project.root,
  });
  const plugins = new GenerationPlugins(records, options.logger.child({ component: 'plugins' }), project, options.auth);
  try {
    await plugins.loadEarlyKinds();
    await plugins.loadUdfs();
  } catch (err) {
    await plugins.close('failed-build');
    throw err;
  }
  return plugins;
}
