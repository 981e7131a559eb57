/**
 * Reading one line back as a record. Readers are lenient about what they cannot use and strict about what
 * they show: a line that is not a JSON object with a string `timestamp` (a truncated tail after a crash, a
 * torn write sealed into a segment, a stray edit) is skipped and counted, never fatal.
 */

/** A record as read: the fields readers use are checked, the rest passes through untouched. */
export interface StoredRecord {
  readonly timestamp: string;
  readonly name?: string;
  readonly type?: string;
  readonly status?: string;
  readonly policy_decision?: string;
  readonly caller?: string;
  readonly duration_ms?: number;
  readonly user_id?: string | null;
  readonly [field: string]: unknown;
}

export function parseRecord(text: string): StoredRecord | undefined {
  if (text.length < 2 || text.charCodeAt(0) !== 0x7b /* { */) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const r = value as Record<string, unknown>;
  return typeof r.timestamp === 'string' ? (r as StoredRecord) : undefined;
}

/** Milliseconds since the epoch of a record's timestamp (NaN when unparsable). */
export function recordTime(r: StoredRecord): number {
  return Date.parse(r.timestamp);
}
