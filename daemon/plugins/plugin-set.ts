/**
 * The plugins of one configuration load or one generation: discovery records, one tsyringe container (a
 * child of the process root) in which every live instance is registered under its kind's token, and the
 * close stack.
 *
 *   load(kind) per record, in discovery order:
 *     earlier failure? ─> entry ─> config ─> instantiate (create, contract, init) ─> register under kind token
 *     any failure: required (requirements.ts) ─> throw, the build fails and the caller closes the set
 *                  optional ─> logged as a warning with its code, skipped
 *   ready():  `ready` hooks in creation order (a failing required plugin fails the build)
 *   close():  reverse creation order, interleaved with other closers (the database) pushed meanwhile
 */
import 'reflect-metadata';
import { type DependencyContainer, container as rootContainer } from 'tsyringe';
import type { MxcpError } from '../../sdk/errors/index.js';
import type { PluginCloseReason, PluginInstance, PluginKind } from '../../sdk/plugin-kinds.js';
import {
  kAuditSink,
  kAuthProvider,
  kExecutor,
  kModelProvider,
  kSecretBackend,
  kTokenStore,
  kUdf,
  type Token,
} from '../../sdk/plugin-tokens.js';
import type { Logger } from '../logging/logger.js';
import { loadEntry } from './entry-loader.js';
import { instantiate } from './instantiate.js';
import type { LivePlugin } from './live-plugin.js';
import { type ConfigResult, validateConfig } from './plugin-config.js';
import { type Needs, requiredReason } from './requirements.js';
import { kindOf, type PluginFailure, type PluginRecord } from './types.js';

const kKindTokens: Readonly<Record<PluginKind, Token<unknown>>> = {
  executor: kExecutor,
  'auth-provider': kAuthProvider,
  'secret-backend': kSecretBackend,
  'audit-sink': kAuditSink,
  udf: kUdf,
  'token-store': kTokenStore,
  'model-provider': kModelProvider,
};

const kOrderRank = { pre: 0, normal: 1, post: 2 } as const;

export interface LoadRequest {
  readonly record: PluginRecord;
  readonly kind: PluginKind;
  /** The configuration block (unvalidated) and where it lives, for messages. */
  readonly config: { readonly value: unknown; readonly where: string };
  readonly needs: Needs;
  readonly services?: (logger: Logger) => ReadonlyMap<symbol, unknown>;
  readonly instanceName?: string;
}

type Closer = { readonly live: LivePlugin } | { readonly close: () => Promise<void> };

export class PluginSet {
  readonly records: readonly PluginRecord[];
  /** The generation's container: every live instance is registered here under its kind's token. */
  readonly container: DependencyContainer = rootContainer.createChildContainer();
  readonly #logger: Logger;
  readonly #live: LivePlugin[] = [];
  readonly #closers: Closer[] = [];
  #closing: Promise<void> | undefined;

  constructor(records: readonly PluginRecord[], logger: Logger) {
    this.records = records;
    this.#logger = logger;
  }

  /** Live instances of `kind`, by manifest `order` (pre, normal, post), then creation order; computed per call, cheap. */
  instances<K extends PluginKind>(kind: K): PluginInstance<K>[] {
    return this.live(kind).map((l) => l.instance as unknown as PluginInstance<K>);
  }

  live(kind: PluginKind): LivePlugin[] {
    return this.#live
      .filter((l) => l.kind === kind)
      .map((l, i) => ({ l, i, rank: kOrderRank[l.record.manifest?.mxcp.order ?? 'normal'] }))
      .sort((a, b) => a.rank - b.rank || a.i - b.i)
      .map((x) => x.l);
  }

  /** Records of `kind` in discovery order (records without a readable manifest only when `kind` is undefined). */
  recordsOf(kind: PluginKind | undefined): PluginRecord[] {
    return this.records.filter((r) => kindOf(r) === kind);
  }

  /** Loads one instance. Returns it, or `undefined` when an optional plugin failed (logged). Throws for required ones. */
  async load(request: LoadRequest): Promise<LivePlugin | undefined> {
    const { record, kind } = request;
    if (record.failure) return this.#failed(request, record.failure);
    const entry = await loadEntry(record);
    if (!entry.ok) return this.#failed(request, entry.failure);
    const config: ConfigResult = validateConfig(record, request.config.value, request.config.where);
    if (!config.ok) return this.#failed(request, config.failure);
    const result = await instantiate({
      record,
      kind,
      definition: entry.definition,
      parent: this.container,
      logger: this.#logger,
      config: config.config,
      ...(request.services ? { services: request.services } : {}),
      ...(request.instanceName ? { instanceName: request.instanceName } : {}),
    });
    if (!result.ok) return this.#failed(request, result.failure);
    this.#live.push(result.live);
    this.#closers.push({ live: result.live });
    this.container.register(kKindTokens[kind], { useValue: result.live.instance });
    return result.live;
  }

  /** A broken record nobody loads (an unused executor, an unreadable manifest): fatal when required, else a warning. */
  report(record: PluginRecord, needs: Needs): void {
    if (!record.failure) return;
    const reason = requiredReason(record, needs);
    if (reason) throw record.failure.required(reason);
    this.#warn(record, record.failure.error);
  }

  /** A closer that runs at this point of the reverse order (the database, opened between plugin kinds). */
  onClose(close: () => Promise<void>): void {
    this.#closers.push({ close });
  }

  /** Runs `ready` hooks in creation order. A required plugin's failure throws; an optional one is closed and dropped. */
  async ready(needs: Needs): Promise<void> {
    for (const live of [...this.#live]) {
      const f = await live.runHook('ready');
      if (!f) continue;
      const reason = requiredReason(live.record, needs);
      if (reason) throw f.required(reason);
      this.#warn(live.record, f.error);
      await live.close('failed-build');
      this.#live.splice(this.#live.indexOf(live), 1);
    }
  }

  /** Closes everything in reverse order; memoised. */
  close(reason: PluginCloseReason): Promise<void> {
    this.#closing ??= this.#close(reason);
    return this.#closing;
  }

  async #close(reason: PluginCloseReason): Promise<void> {
    for (const closer of [...this.#closers].reverse()) {
      if ('live' in closer) await closer.live.close(reason);
      else await closer.close().catch((err: unknown) => this.#logger.warn({ err }, 'closing after the plugins failed'));
    }
  }

  /** Records a failure found by the caller (a missing `plugin:` config block); throws when the plugin is required. */
  fail(request: LoadRequest, f: PluginFailure): undefined {
    return this.#failed(request, f);
  }

  #failed(request: LoadRequest, f: PluginFailure): undefined {
    // A udf module may back several `plugin:` entries; one entry's bad config must not condemn the others.
    if (!request.instanceName) request.record.failure ??= f;
    const reason = requiredReason(request.record, request.needs);
    if (reason) throw f.required(reason);
    this.#warn(request.record, f.error);
    return undefined;
  }

  #warn(record: PluginRecord, error: MxcpError): void {
    this.#logger.warn({ plugin: record.name, kind: kindOf(record), dir: record.dir, code: error.code }, `${error.message}; plugin skipped`);
  }
}
