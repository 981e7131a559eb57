/**
 * Creates one plugin instance (STYLE 6, 7, 10):
 *
 *   child container (config, logger, info, host) ─> create (bounded) ─> contract check ─> init (bounded)
 *
 * Each step that fails gives its own coded error; an instance that was created but then failed is closed
 * right away so it holds nothing.
 */
import 'reflect-metadata';
import type { DependencyContainer } from 'tsyringe';
import { pluginErrors } from '../../sdk/errors/plugins.js';
import type { PluginContext } from '../../sdk/plugin-definition.js';
import type { PluginKind } from '../../sdk/plugin-kinds.js';
import { kExecutorHost, kPluginConfig, kPluginInfo, kPluginLogger, type PluginInfo, type Token } from '../../sdk/plugin-tokens.js';
import type { Logger } from '../logging/logger.js';
import { checkInstance } from './contracts.js';
import type { LoadedDefinition } from './entry-loader.js';
import { callWithTimeout, hookTimeoutMs, kTimedOut } from './hook-timeout.js';
import { LivePlugin } from './live-plugin.js';
import { failure, messageOf, type PluginFailure, type PluginRecord } from './types.js';

export interface InstantiateOptions {
  readonly record: PluginRecord;
  readonly kind: PluginKind;
  readonly definition: LoadedDefinition;
  /** The generation's container; the plugin's container is a child of it. */
  readonly parent: DependencyContainer;
  readonly logger: Logger;
  /** Validated configuration block. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Further registrations in the plugin's container, e.g. the ExecutorHost (built with the plugin's logger). */
  readonly services?: (logger: Logger) => ReadonlyMap<symbol, unknown>;
  readonly instanceName?: string;
}

export type InstantiateResult = { readonly ok: true; readonly live: LivePlugin } | { readonly ok: false; readonly failure: PluginFailure };

export async function instantiate(options: InstantiateOptions): Promise<InstantiateResult> {
  const { record, kind, definition, config } = options;
  const plugin = record.name;
  const version = record.manifest?.version ?? '0.0.0';
  const bindings: Record<string, string> = { plugin, kind };
  if (options.instanceName) bindings.instance = options.instanceName;
  const logger = options.logger.child(bindings);

  const container = options.parent.createChildContainer();
  const info: PluginInfo = {
    name: plugin,
    version,
    kind,
    dir: record.dir,
    ...(options.instanceName ? { instanceName: options.instanceName } : {}),
  };
  container.register(kPluginConfig, { useValue: config });
  container.register(kPluginLogger, { useValue: logger });
  container.register(kPluginInfo, { useValue: info });
  for (const [token, value] of options.services?.(logger) ?? []) container.register(token, { useValue: value });

  const context: PluginContext = {
    name: plugin,
    version,
    kind,
    config,
    logger,
    resolve: <T>(token: Token<T>) => container.resolve<T>(token),
  };
  const ms = hookTimeoutMs(record);
  let instance: unknown;
  try {
    instance = await callWithTimeout(() => create(definition, container, context, kind), ms);
  } catch (err) {
    if (err === kTimedOut) return fail(failure('create', pluginErrors.MXCP_E_PLUGIN_TIMEOUT, { plugin, hook: 'create', ms, detail: '' }));
    // tsyringe's "TypeInfo not known" means the class takes parameters but says nothing about them.
    const hint = /TypeInfo not known/.test(messageOf(err))
      ? ' (decorate the class with @injectable(token, ...) listing its parameters)'
      : '';
    return fail(failure('create', pluginErrors.MXCP_E_PLUGIN_INIT_FAILED, { plugin, hook: 'create', detail: messageOf(err) + hint }, err));
  }

  const problems = checkInstance(kind, instance, record.manifest?.mxcp.provides);
  const live = new LivePlugin({
    record,
    kind,
    instance: (instance ?? {}) as Record<string, unknown>,
    logger,
    container,
    ...(options.instanceName ? { instanceName: options.instanceName } : {}),
  });
  if (problems.length > 0) {
    await live.close('failed-build');
    return fail(failure('contract', pluginErrors.MXCP_E_PLUGIN_CONTRACT, { plugin, kind, detail: problems.join('; ') }));
  }
  const initFailure = await live.runHook('init');
  if (initFailure) {
    await live.close('failed-build');
    return fail(initFailure);
  }
  logger.debug({ version, dir: record.dir }, `plugin ${plugin} initialised`);
  return { ok: true, live };
}

function fail(f: PluginFailure): InstantiateResult {
  return { ok: false, failure: f };
}

function create(definition: LoadedDefinition, container: DependencyContainer, context: PluginContext, kind: PluginKind): unknown {
  if (definition.useClass) return container.resolve(definition.useClass as new (...args: never[]) => unknown);
  if (definition.create) return definition.create(context);
  // Shorthand factory: executors get their host (the existing `createExecutor(host, config)` form).
  const host = kind === 'executor' ? container.resolve(kExecutorHost) : context;
  return definition.factory?.(host, context.config);
}
