/**
 * The files of one audit log (layout in sdk/audit-files.ts): the active file and its segments, newest
 * first, and a line reader that tells a terminated line from a truncated tail.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { compareSegmentsNewestFirst, parseSegmentName } from '../../sdk/audit-files.js';
import { auditErrors } from '../../sdk/errors/audit.js';

export interface AuditFile {
  readonly file: string;
  readonly active: boolean;
  /** Segments: rotation time (ms, UTC, whole seconds). Every record in it was written before then (+1 s). */
  readonly rotatedAt?: number;
  readonly n: number;
}

/** The active file (when it exists) followed by every segment, newest first. */
export async function listAuditFiles(path: string): Promise<AuditFile[]> {
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new auditErrors.MXCP_E_AUDIT_READ_FAILED({ file: dirname(path), detail: (err as Error).message }, { cause: err });
  }
  const out: AuditFile[] = [];
  if (names.includes(basename(path))) out.push({ file: path, active: true, n: 0 });
  const segments: AuditFile[] = [];
  for (const name of names) {
    const seg = parseSegmentName(path, name);
    if (seg) segments.push({ file: join(dirname(path), name), active: false, rotatedAt: seg.rotatedAt, n: seg.n });
  }
  segments.sort((a, b) => compareSegmentsNewestFirst({ rotatedAt: a.rotatedAt ?? 0, n: a.n }, { rotatedAt: b.rotatedAt ?? 0, n: b.n }));
  return [...out, ...segments];
}

export interface Line {
  readonly text: string;
  /** False for a last line without `\n`: possibly cut short by a crash or a write in progress. */
  readonly terminated: boolean;
}

/** The file's lines; a file that vanished meanwhile (cleanup, rotation) has none. */
export async function* fileLines(file: string): AsyncGenerator<Line> {
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let rest = '';
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      for (const text of parts) yield { text, terminated: true };
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new auditErrors.MXCP_E_AUDIT_READ_FAILED({ file, detail: (err as Error).message }, { cause: err });
  } finally {
    stream.destroy();
  }
  if (rest !== '') yield { text: rest, terminated: false };
}

export async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}
