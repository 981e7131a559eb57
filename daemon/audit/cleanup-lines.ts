/**
 * Line-level work of `mxcp log-cleanup`: which lines of a file are expired, and rewriting a file without
 * them. One classifier serves both, so the plan and the rewrite can never disagree.
 */
import { createWriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { fileLines, type Line } from './audit-files.js';
import { parseRecord, recordTime } from './parse-record.js';

export interface Classification {
  readonly lines: number;
  readonly expired: number;
  /** Lines that are records, and those of them expired (what the report counts). */
  readonly records: number;
  readonly expiredRecords: number;
}

interface Decided {
  readonly line: Line;
  readonly expired: boolean;
  readonly record: boolean;
}

/**
 * Decides line by line. A non-record line takes the verdict of the record before it; lines before the
 * first record wait for it. A file with no record at all keeps everything.
 */
class LineClassifier {
  readonly #cutoff: number;
  #last: boolean | undefined;
  #waiting: Line[] = [];

  constructor(cutoff: number) {
    this.#cutoff = cutoff;
  }

  push(line: Line): Decided[] {
    const record = parseRecord(line.text);
    if (!record) {
      if (this.#last === undefined) {
        this.#waiting.push(line);
        return [];
      }
      return [{ line, expired: this.#last, record: false }];
    }
    const time = recordTime(record);
    // An unreadable timestamp is never a reason to delete.
    const expired = !Number.isNaN(time) && time < this.#cutoff;
    this.#last = expired;
    const out: Decided[] = this.#waiting.map((l) => ({ line: l, expired, record: false }));
    this.#waiting = [];
    out.push({ line, expired, record: true });
    return out;
  }

  end(): Decided[] {
    const out = this.#waiting.map((line) => ({ line, expired: false, record: false }));
    this.#waiting = [];
    return out;
  }
}

async function* decide(file: string, cutoff: number): AsyncGenerator<Decided> {
  const classifier = new LineClassifier(cutoff);
  for await (const line of fileLines(file)) {
    if (line.text === '' && line.terminated) continue; // blank lines carry nothing
    yield* classifier.push(line);
  }
  yield* classifier.end();
}

export async function classifyFile(file: string, cutoff: number): Promise<Classification> {
  const c = { lines: 0, expired: 0, records: 0, expiredRecords: 0 };
  for await (const d of decide(file, cutoff)) count(c, d);
  return c;
}

/**
 * Rewrites `file` without its expired lines: temp file beside it, fsync, rename over it (atomic: a reader
 * sees the old file or the new one). Should the file grow meanwhile (a writer's late batch), start over.
 */
export async function rewriteFile(file: string, cutoff: number): Promise<Classification> {
  for (let attempt = 0; ; attempt++) {
    const before = (await stat(file)).size;
    const temp = `${file}.cleanup-${process.pid}.tmp`;
    const c = { lines: 0, expired: 0, records: 0, expiredRecords: 0 };
    try {
      const out = createWriteStream(temp, { mode: 0o640 });
      for await (const d of decide(file, cutoff)) {
        count(c, d);
        if (!d.expired && !out.write(`${d.line.text}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
      out.end();
      await finished(out);
      const handle = await open(temp, 'r+');
      await handle.datasync().finally(() => handle.close());
      if ((await stat(file)).size !== before && attempt < 3) {
        await rm(temp, { force: true });
        continue;
      }
      await rename(temp, file);
      return c;
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }
}

function count(c: { lines: number; expired: number; records: number; expiredRecords: number }, d: Decided): void {
  c.lines++;
  if (d.expired) c.expired++;
  if (d.record) {
    c.records++;
    if (d.expired) c.expiredRecords++;
  }
}
