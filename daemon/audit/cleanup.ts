/**
 * `mxcp log-cleanup`: removes records older than `audit.retention_days`.
 *
 * The plan (the dry run prints it) and the real run come from the same classification of each line:
 *
 *   every line expired        ─> delete the file
 *   some expired              ─> rewrite: kept lines to a temp file beside it, fsync, rename over it
 *   none expired              ─> keep
 *
 * A line that is not a record (a truncated tail) shares the fate of the record before it (or, at the top
 * of a file, the first record after it). The active file is never rewritten or deleted in place, since the
 * daemon may be appending to it: when it holds expired records it is first rotated to a segment, exactly
 * as the operator's `mv` would (the daemon reopens the path before its next batch), and after a short grace
 * for a batch in flight in another process the segment is cleaned like any other.
 */
import { rename, rm, unlink } from 'node:fs/promises';
import { reserveSegmentName } from '../../sdk/audit-files.js';
import { auditErrors } from '../../sdk/errors/audit.js';
import { describeError } from '../../sdk/errors/base.js';
import { type AuditFile, listAuditFiles } from './audit-files.js';
import { classifyFile, rewriteFile } from './cleanup-lines.js';

export type CleanupAction = 'delete' | 'rewrite' | 'rotate+delete' | 'rotate+rewrite';

export interface FilePlan {
  readonly file: string;
  readonly action: CleanupAction;
  readonly records: number;
  readonly expired: number;
}

export interface CleanupReport {
  readonly retentionDays: number;
  readonly cutoff: string;
  readonly files: FilePlan[];
  readonly expired: number;
  /** Files that could not be cleaned, with the coded error's text. */
  readonly failures: { readonly file: string; readonly error: string }[];
}

const kRotationGraceMs = 500;

export async function planCleanup(path: string, retentionDays: number, now = Date.now()): Promise<CleanupReport> {
  const cutoff = now - retentionDays * 86_400_000;
  const files: FilePlan[] = [];
  for (const f of await listAuditFiles(path)) {
    const plan = await planFile(f, cutoff);
    if (plan) files.push(plan);
  }
  return report(retentionDays, cutoff, files, []);
}

/** Carries out what {@link planCleanup} would report for the same files; failures are collected, not thrown. */
export async function runCleanup(path: string, retentionDays: number, now = Date.now()): Promise<CleanupReport> {
  const cutoff = now - retentionDays * 86_400_000;
  const done: FilePlan[] = [];
  const failures: { file: string; error: string }[] = [];
  for (const f of await listAuditFiles(path)) {
    try {
      const plan = await planFile(f, cutoff);
      if (plan) done.push(await apply(f, plan, cutoff));
    } catch (err) {
      const e = new auditErrors.MXCP_E_AUDIT_CLEANUP_FAILED({ file: f.file, detail: describeError(err) }, { cause: err });
      failures.push({ file: f.file, error: describeError(e) });
    }
  }
  return report(retentionDays, cutoff, done, failures);
}

async function planFile(f: AuditFile, cutoff: number): Promise<FilePlan | undefined> {
  const c = await classifyFile(f.file, cutoff);
  if (c.expired === 0) return undefined;
  const all = c.expired === c.lines;
  const action: CleanupAction = f.active ? (all ? 'rotate+delete' : 'rotate+rewrite') : all ? 'delete' : 'rewrite';
  return { file: f.file, action, records: c.records, expired: c.expiredRecords };
}

async function apply(f: AuditFile, plan: FilePlan, cutoff: number): Promise<FilePlan> {
  let file = f.file;
  if (f.active) {
    const segment = await reserveSegmentName(f.file);
    try {
      await rename(f.file, segment);
    } catch (err) {
      await unlink(segment).catch(() => undefined);
      throw err;
    }
    file = segment;
    await new Promise((resolve) => setTimeout(resolve, kRotationGraceMs));
  }
  // Classify again: for a rotated active file, records may have arrived since the plan.
  const c = await classifyFile(file, cutoff);
  if (c.expired === c.lines) {
    await rm(file, { force: true });
    return { ...plan, file: f.file, records: c.records, expired: c.expiredRecords };
  }
  const r = await rewriteFile(file, cutoff);
  return { ...plan, file: f.file, action: f.active ? 'rotate+rewrite' : 'rewrite', records: r.records, expired: r.expiredRecords };
}

function report(retentionDays: number, cutoff: number, files: FilePlan[], failures: CleanupReport['failures']): CleanupReport {
  return {
    retentionDays,
    cutoff: new Date(cutoff).toISOString(),
    files,
    expired: files.reduce((n, f) => n + f.expired, 0),
    failures,
  };
}
