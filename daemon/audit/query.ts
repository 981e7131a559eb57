/**
 * Selecting records for `mxcp log` and its exports. Filters combine with AND; `--tool/--resource/--prompt`
 * name endpoints of that type and combine with OR among themselves (MXCP's flags ignore the type: fixed).
 *
 * Newest first: records carry their request *start* time and are appended at their *end*, so file order is
 * only roughly time order; results are sorted by timestamp. Files are read newest first, and reading stops
 * early once `limit` records are held that are all newer than anything an older segment can contain
 * (a segment's records were written before its rotation time) — `mxcp log` does not read a year of
 * segments to show the last 100 records.
 */
import { type AuditFile, fileLines, listAuditFiles } from './audit-files.js';
import { parseRecord, recordTime, type StoredRecord } from './parse-record.js';

export interface AuditFilter {
  /** Only records at or after this instant (ms since the epoch). */
  readonly since?: number;
  /** `{type, name}` pairs from --tool/--resource/--prompt; any may match. */
  readonly endpoints?: readonly { readonly type: string; readonly name: string }[];
  readonly type?: string;
  readonly status?: string;
  readonly policy?: string;
}

export interface QueryResult {
  readonly records: StoredRecord[];
  /** Lines that were not records (truncated tails, torn writes). */
  readonly skipped: number;
}

/**
 * A record in a segment may have been written a little after the segment's name says (one batch in flight
 * in another process when the file was renamed), and its timestamp is its request's start: allow a margin.
 */
const kSegmentMarginMs = 60_000;

export function matches(r: StoredRecord, f: AuditFilter, time = recordTime(r)): boolean {
  if (f.since !== undefined && !(time >= f.since)) return false;
  if (f.type !== undefined && r.type !== f.type) return false;
  if (f.status !== undefined && r.status !== f.status) return false;
  if (f.policy !== undefined && r.policy_decision !== f.policy) return false;
  if (f.endpoints && f.endpoints.length > 0 && !f.endpoints.some((e) => e.type === r.type && e.name === r.name)) return false;
  return true;
}

interface Hit {
  readonly record: StoredRecord;
  readonly time: number;
  /** Read order: files newest first, lines in file order. */
  readonly seq: number;
}

/** Newest first; equal timestamps: the later-read line first within a file. */
function newestFirst(a: Hit, b: Hit): number {
  return (Number.isNaN(b.time) ? -Infinity : b.time) - (Number.isNaN(a.time) ? -Infinity : a.time) || b.seq - a.seq;
}

export async function queryRecords(path: string, filter: AuditFilter, limit: number): Promise<QueryResult> {
  const files = await listAuditFiles(path);
  let hits: Hit[] = [];
  let skipped = 0;
  for (const file of files) {
    if (canSkip(file, filter, hits, limit)) break;
    // Sequence numbers grow with recency: newer files get higher bases, lines count up within a file.
    const base = (files.length - files.indexOf(file)) * 1e12;
    let line = 0;
    for await (const { text } of fileLines(file.file)) {
      line++;
      const record = parseRecord(text);
      if (!record) {
        if (text.trim() !== '') skipped++;
        continue;
      }
      const time = recordTime(record);
      if (matches(record, filter, time)) hits.push({ record, time, seq: base + line });
    }
    if (hits.length > 2 * limit) hits = hits.sort(newestFirst).slice(0, limit);
  }
  return {
    records: hits
      .sort(newestFirst)
      .slice(0, limit)
      .map((h) => h.record),
    skipped,
  };
}

/** Every matching record, file by file (exports sort in SQL). */
export async function* scanRecords(path: string, filter: AuditFilter, onSkipped?: () => void): AsyncGenerator<StoredRecord> {
  for (const file of await listAuditFiles(path)) {
    if (file.rotatedAt !== undefined && filter.since !== undefined && file.rotatedAt + 1000 + kSegmentMarginMs < filter.since) continue;
    for await (const { text } of fileLines(file.file)) {
      const record = parseRecord(text);
      if (!record) {
        if (text.trim() !== '') onSkipped?.();
        continue;
      }
      if (matches(record, filter)) yield record;
    }
  }
}

/** True when this file (a segment) and every older one can hold nothing that would make the result. */
function canSkip(file: AuditFile, filter: AuditFilter, hits: Hit[], limit: number): boolean {
  if (file.rotatedAt === undefined) return false;
  const newestPossible = file.rotatedAt + 1000 + kSegmentMarginMs;
  if (filter.since !== undefined && newestPossible < filter.since) return true;
  if (hits.length < limit) return false;
  hits.sort(newestFirst);
  const oldestKept = hits[limit - 1]!.time;
  return !Number.isNaN(oldestKept) && oldestKept > newestPossible;
}
