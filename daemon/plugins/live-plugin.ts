/**
 * One created plugin instance and its lifecycle after creation: `ready` (once the generation is built) and
 * `close` (memoised, bounded by the hook timeout, never throws: a failing close is logged and the next
 * plugin still closes).
 */
import type { DependencyContainer } from 'tsyringe';
import { pluginErrors } from '../../sdk/errors/plugins.js';
import type { PluginCloseReason, PluginKind } from '../../sdk/plugin-kinds.js';
import type { Logger } from '../logging/logger.js';
import { callWithTimeout, hookTimeoutMs, kTimedOut } from './hook-timeout.js';
import { failure, messageOf, type PluginFailure, type PluginRecord } from './types.js';

export class LivePlugin {
  readonly record: PluginRecord;
  readonly kind: PluginKind;
  readonly instance: Record<string, unknown>;
  readonly logger: Logger;
  /** The plugin's own child container (its config, logger, info and host). */
  readonly container: DependencyContainer;
  /** For `udf`: the `plugin:` entry's name. */
  readonly instanceName?: string;
  #closing: Promise<void> | undefined;

  constructor(parts: {
    record: PluginRecord;
    kind: PluginKind;
    instance: Record<string, unknown>;
    logger: Logger;
    container: DependencyContainer;
    instanceName?: string;
  }) {
    this.record = parts.record;
    this.kind = parts.kind;
    this.instance = parts.instance;
    this.logger = parts.logger;
    this.container = parts.container;
    if (parts.instanceName !== undefined) this.instanceName = parts.instanceName;
  }

  get name(): string {
    return this.record.name;
  }

  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /** Runs a lifecycle hook (`init`, `ready`) if the instance has it; a failure is returned, not thrown. */
  async runHook(hook: 'init' | 'ready'): Promise<PluginFailure | undefined> {
    const fn = this.instance[hook];
    if (typeof fn !== 'function') return undefined;
    const ms = hookTimeoutMs(this.record);
    try {
      await callWithTimeout(() => fn.call(this.instance), ms);
      return undefined;
    } catch (err) {
      const plugin = this.name;
      if (err === kTimedOut) return failure(hook, pluginErrors.MXCP_E_PLUGIN_TIMEOUT, { plugin, hook, ms, detail: '' });
      return failure(hook, pluginErrors.MXCP_E_PLUGIN_INIT_FAILED, { plugin, hook, detail: messageOf(err) }, err);
    }
  }

  close(reason: PluginCloseReason): Promise<void> {
    this.#closing ??= this.#close(reason);
    return this.#closing;
  }

  async #close(reason: PluginCloseReason): Promise<void> {
    const fn = this.instance.close;
    if (typeof fn !== 'function') return;
    const ms = hookTimeoutMs(this.record);
    try {
      await callWithTimeout(() => fn.call(this.instance, reason), ms);
    } catch (err) {
      const e =
        err === kTimedOut
          ? new pluginErrors.MXCP_E_PLUGIN_TIMEOUT({ plugin: this.name, hook: 'close', ms, detail: '' })
          : new pluginErrors.MXCP_E_PLUGIN_INIT_FAILED({ plugin: this.name, hook: 'close', detail: messageOf(err) }, { cause: err });
      this.logger.warn({ code: e.code, reason }, e.message);
    }
  }
}
