/**
 * The on-disk layout of a JSON Lines audit log, shared by the writer (the `audit-jsonl` sink) and every
 * reader (`mxcp log`, exports, `mxcp log-cleanup`):
 *
 *   <dir>/<stem>.jsonl                        the active file: exactly `audit.path`, the one `tail -f` follows
 *   <dir>/<stem>-<YYYYMMDDTHHMMSS>.jsonl      a segment: a former active file, named by the UTC time it was
 *   <dir>/<stem>-<YYYYMMDDTHHMMSS>-<n>.jsonl  rotated away (n > 0 when that second was already taken)
 *
 * Every record in a segment was written before the segment's time (give or take one in-flight batch), which
 * lets readers skip segments that are older than what they are looking for.
 * @module
 */
import { open } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

export interface AuditSegment {
  readonly file: string;
  /** Rotation time, ms since the epoch (UTC). */
  readonly rotatedAt: number;
  /** Collision counter, 0 for the first segment of that second. */
  readonly n: number;
}

/** The active file's name without its extension (`production` for `/app/audit/production.jsonl`). */
export function auditStem(path: string): string {
  const name = basename(path);
  const ext = extname(name);
  return ext ? name.slice(0, -ext.length) : name;
}

/** `20250115T103045` for a UTC instant. */
export function segmentStamp(at: Date): string {
  return at.toISOString().slice(0, 19).replace(/[-:]/g, '');
}

/** Path of the segment for `path` rotated at `at`, with collision counter `n`. */
export function segmentPath(path: string, at: Date, n = 0): string {
  return join(dirname(path), `${auditStem(path)}-${segmentStamp(at)}${n > 0 ? `-${n}` : ''}.jsonl`);
}

/** Recognises a segment of `path` by file name (no I/O); `undefined` for anything else. */
export function parseSegmentName(path: string, fileName: string): Omit<AuditSegment, 'file'> | undefined {
  const stem = auditStem(path);
  if (!fileName.startsWith(`${stem}-`) || !fileName.endsWith('.jsonl')) return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:-(\d+))?$/.exec(fileName.slice(stem.length + 1, -'.jsonl'.length));
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, n] = m;
  const rotatedAt = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(rotatedAt)) return undefined;
  return { rotatedAt, n: n === undefined ? 0 : Number(n) };
}

/** Newest first: later rotation time, then higher collision counter. */
export function compareSegmentsNewestFirst(a: Omit<AuditSegment, 'file'>, b: Omit<AuditSegment, 'file'>): number {
  return b.rotatedAt - a.rotatedAt || b.n - a.n;
}

/**
 * Reserves the first free segment name for a rotation happening now: an empty file created with O_EXCL,
 * which the caller's rename(2) then replaces. Two processes rotating in the same second get different
 * names instead of one overwriting the other's segment.
 */
export async function reserveSegmentName(path: string, at = new Date()): Promise<string> {
  for (let n = 0; ; n++) {
    const candidate = segmentPath(path, at, n);
    try {
      await (await open(candidate, 'wx', 0o640)).close();
      return candidate;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 10_000) throw err;
    }
  }
}
