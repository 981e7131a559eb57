import { defineError } from './base.js';

/**
 * Audit logging: the sinks (daemon side and the built-in JSONL plugin), `mxcp log`, its exports and
 * `mxcp log-cleanup`. Sink failures are logged and counted, never thrown at a request.
 */
export const auditErrors = {
  MXCP_E_AUDIT_DISABLED: defineError<{ profile: string }>(
    'MXCP_E_AUDIT_DISABLED',
    (p) =>
      `Audit logging is not enabled for profile '${p.profile}'. Enable it in mxcp-site.yml under ` +
      `profiles.${p.profile}.audit.enabled: true (or set MXCP_AUDIT_ENABLED=1)`,
  ),
  MXCP_E_AUDIT_SINCE_INVALID: defineError<{ value: string }>(
    'MXCP_E_AUDIT_SINCE_INVALID',
    (p) => `Invalid time format: ${p.value}. Use format like '10m', '2h', '1d'`,
    { exitCode: 2 },
  ),
  MXCP_E_AUDIT_WRITE_FAILED: defineError<{ path: string; detail: string; queued: number }>(
    'MXCP_E_AUDIT_WRITE_FAILED',
    (p) => `Audit write to ${p.path} failed: ${p.detail}; ${p.queued} record(s) kept in the queue and retried`,
  ),
  MXCP_E_AUDIT_RECORDS_LOST: defineError<{ path: string; count: number; detail: string }>(
    'MXCP_E_AUDIT_RECORDS_LOST',
    (p) => `${p.count} audit record(s) for ${p.path} were not written: ${p.detail}`,
  ),
  MXCP_E_AUDIT_SINK_CLOSED: defineError<{ sink: string }>(
    'MXCP_E_AUDIT_SINK_CLOSED',
    (p) => `Audit sink '${p.sink}' is closed and accepts no more records`,
  ),
  MXCP_E_AUDIT_SINK_UNCONFIGURED: defineError<{ sink: string }>(
    'MXCP_E_AUDIT_SINK_UNCONFIGURED',
    (p) => `Audit sink '${p.sink}' has no audit settings: audit sinks write only when opened by the daemon's audit trail`,
  ),
  MXCP_E_AUDIT_SINK_FAILED: defineError<{ sink: string; operation: string; detail: string }>(
    'MXCP_E_AUDIT_SINK_FAILED',
    (p) => `Audit sink '${p.sink}' failed in ${p.operation}: ${p.detail}`,
  ),
  MXCP_E_AUDIT_RECORD_INVALID: defineError<{ detail: string }>(
    'MXCP_E_AUDIT_RECORD_INVALID',
    (p) => `Audit record cannot be serialized: ${p.detail}`,
  ),
  MXCP_E_AUDIT_READ_FAILED: defineError<{ file: string; detail: string }>(
    'MXCP_E_AUDIT_READ_FAILED',
    (p) => `Cannot read audit file ${p.file}: ${p.detail}`,
  ),
  MXCP_E_AUDIT_EXPORT_FAILED: defineError<{ path: string; detail: string }>(
    'MXCP_E_AUDIT_EXPORT_FAILED',
    (p) => `Cannot export audit records to ${p.path}: ${p.detail}`,
  ),
  MXCP_E_AUDIT_CLEANUP_FAILED: defineError<{ file: string; detail: string }>(
    'MXCP_E_AUDIT_CLEANUP_FAILED',
    (p) => `Audit log cleanup failed on ${p.file}: ${p.detail}`,
  ),
} as const;
