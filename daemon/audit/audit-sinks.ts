/**
 * The audit trail: the process's audit sinks, owned by the supervisor (or a one-shot command), never by a
 * generation. Generations come and go on reload; the sinks stay open, so no record is dropped, duplicated
 * or reordered by a reload, and the shutdown sequence flushes them after the last request has drained.
 *
 *   openAuditSinks(project) ─ audit disabled ─> no sinks; submit() is a no-op
 *                           └ enabled ───────> every discovered `audit-sink` plugin, created with the
 *                                              profile's settings (kAuditSettings) and its own config block;
 *                                              a broken one fails the open: fail closed (STYLE 9)
 *   reconfigure(project)    on reload: settings unchanged ─> keep; changed (path, fsync, ...) ─> open the
 *                           new set, switch, then flush and close the old one (no gap, nothing lost)
 *   submit(record)          each sink in manifest order; resolves when every sink accepted the record
 *   reopen()                SIGHUP: each sink starts a new file at its path
 *   flush(), close()        drain, shutdown
 *
 * A sink that throws is logged with MXCP_E_AUDIT_SINK_FAILED and counted; the other sinks and the request
 * carry on (the request already has its result).
 */
import type { AuditRecord, AuditSettings, AuditSink, AuditSinkStats } from '../../sdk/audit.js';
import { kAuditSettings } from '../../sdk/audit.js';
import { auditErrors } from '../../sdk/errors/audit.js';
import { describeError } from '../../sdk/errors/base.js';
import type { PluginCloseReason } from '../../sdk/plugin-kinds.js';
import type { Env } from '../config/env.js';
import type { ProjectConfig } from '../config/project.js';
import type { Logger } from '../logging/logger.js';
import { openAuditSinks as openSinkPlugins } from '../plugins/audit-phase.js';
import type { PluginSet } from '../plugins/plugin-set.js';
import { auditSettings } from './settings.js';

export interface AuditSinksOptions {
  /** For plugin discovery (`MXCP_PLUGIN_PATH`, relative paths); default: the process's. */
  readonly env?: Env;
  readonly cwd?: string;
  /** How long `close` lets the sinks flush before closing them anyway (each sink also bounds its own close). */
  readonly closeFlushMs?: number;
}

interface OpenedSinks {
  readonly plugins: PluginSet;
  /** In manifest `order` (pre, normal, post), then discovery order. */
  readonly sinks: readonly { readonly name: string; readonly sink: AuditSink }[];
}

const kResolved: Promise<void> = Promise.resolve();
const kFailureLogEveryMs = 10_000;

export class AuditSinks {
  /** The caller's logger (plugins bind their own keys); `#log` is ours, bound to the audit component. */
  readonly #logger: Logger;
  readonly #log: Logger;
  readonly #options: AuditSinksOptions;
  #open: OpenedSinks | undefined;
  #key: string | undefined;
  #settings: AuditSettings | undefined;
  #reconfiguring: Promise<void> = kResolved;
  #closing: Promise<void> | undefined;
  readonly #failures = new Map<string, { count: number; lastLogged: number }>();

  constructor(logger: Logger, options: AuditSinksOptions = {}) {
    this.#logger = logger;
    this.#log = logger.child({ component: 'audit' });
    this.#options = options;
  }

  get enabled(): boolean {
    return this.#open !== undefined && this.#open.sinks.length > 0;
  }

  /** The settings the current sinks were opened with (`undefined` while audit is disabled). */
  get settings(): AuditSettings | undefined {
    return this.#settings;
  }

  /** Hands the record to every sink; resolves once each accepted it (with `on_full: wait`, possibly later). */
  submit(record: AuditRecord): Promise<void> {
    const open = this.#open;
    if (!open) return kResolved;
    // Sinks usually accept synchronously; only a full queue (on_full: wait) makes the caller wait.
    const pending: Promise<void>[] = [];
    for (const { name, sink } of open.sinks) {
      try {
        const accepted = sink.write(record);
        if (accepted) pending.push(accepted.catch((err: unknown) => this.#sinkFailed(name, 'write', err)));
      } catch (err) {
        this.#sinkFailed(name, 'write', err);
      }
    }
    return pending.length > 0 ? Promise.all(pending).then(() => undefined) : kResolved;
  }

  async flush(): Promise<void> {
    await this.#each('flush', (sink) => sink.flush());
  }

  /** SIGHUP: every sink reopens its destination (after the operator moved or rotated the file). */
  async reopen(): Promise<void> {
    await this.#each('reopen', (sink) => sink.reopen?.());
  }

  stats(): { readonly sink: string; readonly stats: AuditSinkStats | undefined }[] {
    return (this.#open?.sinks ?? []).map(({ name, sink }) => ({ sink: name, stats: sink.stats?.() }));
  }

  /**
   * Applies a (re)loaded configuration. Unchanged audit settings keep the open sinks. Otherwise the new
   * sinks open first (a failure throws and leaves the current ones in place: the reload fails), records go
   * to them from then on, and the old ones are flushed and closed.
   */
  reconfigure(project: ProjectConfig): Promise<void> {
    const next = this.#reconfiguring.then(() => this.#reconfigure(project));
    this.#reconfiguring = next.catch(() => undefined);
    return next;
  }

  close(reason: PluginCloseReason = 'shutdown'): Promise<void> {
    this.#closing ??= this.#reconfiguring.then(async () => {
      const open = this.#open;
      this.#open = undefined;
      if (open) await this.#retire(open, reason);
    });
    return this.#closing;
  }

  async #reconfigure(project: ProjectConfig): Promise<void> {
    if (this.#closing) return;
    const settings = project.profile.audit.enabled ? auditSettings(project.profile) : undefined;
    // The plugins' own config blocks (queue sizes, a SIEM's URL) count as settings too.
    const key = settings ? JSON.stringify([settings, project.userConfig.plugins?.config ?? {}]) : undefined;
    if (key === this.#key) return;
    const opened = settings ? await this.#load(project, settings) : undefined;
    const previous = this.#open;
    this.#open = opened;
    this.#key = key;
    this.#settings = settings;
    if (previous) await this.#retire(previous, 'reload');
  }

  /** Every audit-sink plugin, each with the settings in its container (daemon/plugins/audit-phase.ts). */
  async #load(project: ProjectConfig, settings: AuditSettings): Promise<OpenedSinks> {
    const plugins = await openSinkPlugins({
      project,
      logger: this.#logger,
      env: this.#options.env ?? process.env,
      cwd: this.#options.cwd ?? process.cwd(),
      services: () => new Map<symbol, unknown>([[kAuditSettings, settings]]),
    });
    return { plugins, sinks: plugins.live('audit-sink').map((live) => ({ name: live.name, sink: live.instance as unknown as AuditSink })) };
  }

  /** Flush within the deadline, then close (each close bounded by its plugin's hook timeout). */
  async #retire(open: OpenedSinks, reason: PluginCloseReason): Promise<void> {
    const flushed = Promise.all(
      open.sinks.map(({ name, sink }) => call(() => sink.flush()).catch((err) => this.#sinkFailed(name, 'flush', err))),
    );
    await Promise.race([flushed, delay(this.#options.closeFlushMs ?? 5000)]);
    await open.plugins.close(reason);
  }

  async #each(operation: string, fn: (sink: AuditSink) => unknown): Promise<void> {
    const open = this.#open;
    if (!open) return;
    await Promise.all(
      open.sinks.map(({ name, sink }) => call(() => fn(sink)).catch((err: unknown) => this.#sinkFailed(name, operation, err))),
    );
  }

  /** Logged once, then at most once per period per sink with the count meanwhile: a broken sink must not flood the log. */
  #sinkFailed(sink: string, operation: string, err: unknown): void {
    const now = Date.now();
    const state = this.#failures.get(sink) ?? { count: 0, lastLogged: 0 };
    state.count++;
    this.#failures.set(sink, state);
    if (state.count > 1 && now - state.lastLogged < kFailureLogEveryMs) return;
    state.lastLogged = now;
    const e = new auditErrors.MXCP_E_AUDIT_SINK_FAILED({ sink, operation, detail: describeError(err) }, { cause: err });
    this.#log.error({ code: e.code, failures: state.count }, e.message);
  }
}

/** Opens the audit trail for a project (no sinks when its profile has audit disabled). */
export async function openAuditSinks(project: ProjectConfig, logger: Logger, options: AuditSinksOptions = {}): Promise<AuditSinks> {
  const sinks = new AuditSinks(logger, options);
  await sinks.reconfigure(project);
  return sinks;
}

/** Runs `fn` synchronously-or-not and always yields a promise (a sink may throw before returning one). */
async function call(fn: () => unknown): Promise<void> {
  await fn();
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
