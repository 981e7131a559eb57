/**
 * Audit records and the `audit-sink` plugin contract.
 *
 * The daemon builds one {@link AuditRecord} per audited request (`tools/call`, `resources/read`,
 * `prompts/get`, a request refused by auth), redacts it, and hands it to every audit sink. Sinks are owned
 * by the supervisor, not by a generation: they are opened once (and again only when the audit settings
 * change on reload), so a reload never drops or duplicates a record.
 *
 * ```ts
 * import type { AuditRecord, AuditSink, AuditSettings, PluginContext } from 'mxcp/sdk';
 * import { kAuditSettings } from 'mxcp/sdk';
 *
 * export default function createSink(context: PluginContext): AuditSink {
 *   const settings = context.resolve(kAuditSettings); // the profile's `audit` block
 *   return {
 *     name: 'stdout-sink',
 *     write(record) { queue.push(JSON.stringify(record)); },
 *     async flush() { await drain(queue); },
 *     async reopen() {},
 *     async close() { await drain(queue); },
 *   };
 * }
 * ```
 * @module
 */
import type { PluginCloseReason } from './plugin-kinds.js';
import type { Token } from './plugin-tokens.js';

/** Version of the record layout; `config/schemas/audit-record.schema.json` describes this version. */
export const kAuditSchemaVersion = 1;

/** What a redacted value is replaced with. */
export const kRedacted = '[REDACTED]';

/** Where the request came from: an MCP transport (`stdio`, `http` for Streamable HTTP and SSE), the CLI, the admin socket. */
export type AuditCaller = 'stdio' | 'http' | 'cli' | 'admin';

/** What was requested; `auth` is a request refused by authentication before any endpoint ran. */
export type AuditType = 'tool' | 'resource' | 'prompt' | 'auth';

export type AuditStatus = 'success' | 'error';

/** The policy outcome; `n/a` when the endpoint has no policies (or policies do not apply, as for SQL tools). */
export type PolicyDecision = 'allow' | 'deny' | 'warn' | 'n/a';

/**
 * One audit record, one JSON line. The key order below is the order on disk. Every key is always present
 * (`null` when there is nothing to say), so every line has the same shape for jq, DuckDB and SIEM parsers.
 */
export interface AuditRecord {
  readonly schema_version: typeof kAuditSchemaVersion;
  /** Random UUID. */
  readonly id: string;
  /** Request start, UTC, ISO 8601 with milliseconds (`2025-01-15T10:30:45.123Z`). */
  readonly timestamp: string;
  readonly caller: AuditCaller;
  readonly type: AuditType;
  /** Tool or prompt name, resource URI. */
  readonly name: string;
  readonly status: AuditStatus;
  /** The error message (secrets redacted) when `status` is `error`. */
  readonly error: string | null;
  /** Wall-clock duration of the request, milliseconds (microsecond precision). */
  readonly duration_ms: number;
  readonly policy_decision: PolicyDecision;
  /** Why a policy denied or warned. */
  readonly reason: string | null;
  readonly user_id: string | null;
  readonly username: string | null;
  /** MCP session id (Streamable HTTP, SSE); null in stateless mode, stdio and the CLI. */
  readonly session_id: string | null;
  /** 32-hex OpenTelemetry trace id when tracing is on. */
  readonly trace_id: string | null;
  /** JSON-RPC request id. */
  readonly request_id: string | null;
  /** The arguments as the caller sent them, with sensitive parameters and secret values redacted. */
  readonly input: Readonly<Record<string, unknown>> | null;
  /** The result (redacted), or null on error or when `audit.include_output` is false. */
  readonly output: unknown;
  /** Id of the generation (configuration load) that served the request. */
  readonly generation: number | null;
}

/** The active profile's `audit` block, with defaults applied and durations in milliseconds. */
export interface AuditSettings {
  /** Absolute path of the active file (`profiles.<p>.audit.path`). */
  readonly path: string;
  /** Bytes; at this size the active file is renamed to a timestamped segment beside it. */
  readonly maxFileSize: number;
  /** `always`: fdatasync after every batch; `interval`: every `fsyncIntervalMs`; `never`: left to the OS. */
  readonly fsync: 'always' | 'interval' | 'never';
  readonly fsyncIntervalMs: number;
  /** Queue full: `wait` holds the request until the record is queued (nothing lost); `drop` drops and counts. */
  readonly onFull: 'wait' | 'drop';
  readonly includeOutput: boolean;
  readonly retentionDays: number;
}

/** Counters a sink may expose (metrics, `/status`, tests). */
export interface AuditSinkStats {
  /** Records accepted by `write`. */
  readonly accepted: number;
  /** Records fully written to the file (or the sink's destination). */
  readonly written: number;
  /** Records dropped because the queue was full (`on_full: drop`) or lost at close. */
  readonly dropped: number;
  /** Records accepted and not yet written. */
  readonly queued: number;
  /** Failed write attempts (each is retried). */
  readonly writeErrors: number;
  readonly rotations: number;
  /** Times the file was reopened because it was moved away, replaced, or `reopen()` was called. */
  readonly reopens: number;
  readonly fsyncs: number;
}

/**
 * The `audit-sink` plugin kind.
 *
 * - `write` accepts one record and may buffer it. It returns (or resolves) once the record is accepted:
 *   the request that produced it completes only then, so every completed request has a record. A sink
 *   whose buffer is full either resolves later (wait) or drops and counts (drop). It does not throw for a
 *   well-formed record unless the sink is closed.
 * - `flush` resolves when every record accepted before the call is written (and synced, when the sink
 *   syncs at all). Called on drain and before close.
 * - `reopen` starts a new destination file at the configured path (SIGHUP, log rotation by the operator).
 * - `close` flushes what it can within its own time limit, then releases everything. Idempotent.
 */
export interface AuditSink {
  /** Short name for logs and `mxcp plugins` (`jsonl`, `syslog`, ...). */
  readonly name: string;
  write(record: AuditRecord): void | Promise<void>;
  flush(): Promise<void>;
  reopen?(): Promise<void>;
  close?(reason?: PluginCloseReason): unknown;
  stats?(): AuditSinkStats;
}

/**
 * Resolves to the {@link AuditSettings} in an audit sink's container. Registered only where the daemon
 * opens audit sinks (the supervisor's audit trail), so a sink created anywhere else finds no settings.
 */
export const kAuditSettings: Token<AuditSettings> = Symbol.for('mxcp.token.audit-settings') as Token<AuditSettings>;
