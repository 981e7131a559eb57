/** The active profile's `audit` block as the sinks receive it: defaults applied (by the schema), durations in ms. */
import type { AuditSettings } from '../../sdk/audit.js';
import { durationMs } from '../config/env.js';
import type { ActiveProfile } from '../config/site-config.js';

export function auditSettings(profile: ActiveProfile): AuditSettings {
  const a = profile.audit;
  return {
    path: a.path,
    maxFileSize: a.max_file_size,
    fsync: a.fsync,
    fsyncIntervalMs: durationMs(a.fsync_interval),
    onFull: a.on_full,
    includeOutput: a.include_output,
    retentionDays: a.retention_days,
  };
}

/** True when two settings would open the same sinks the same way (a reload that changes none keeps them). */
export function sameSettings(a: AuditSettings | undefined, b: AuditSettings | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (Object.keys(a) as (keyof AuditSettings)[]).every((k) => a[k] === b[k]);
}
