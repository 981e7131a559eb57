/**
 * The store's file: a journal of JSON lines, one per change (`{"c","k","r"}` put, `{"c","k","d":1}` delete),
 * replayed on open and rewritten (live records only, temp file + rename) when it holds mostly dead lines.
 *
 * One journal per path per process, shared by every store instance on it (a registry on `globalThis`, so a
 * re-imported copy of this module shares it too). Generations overlap during a reload: the new one's store
 * opens while the old one still serves, and both see and write the same records; nothing issued by the old
 * generation in that window is lost.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StoredToken, TokenCollection } from '../../sdk/token-store.js';

type Line = { c: TokenCollection; k: string; r?: StoredToken; d?: 1 };

const kRegistry = Symbol.for('mxcp.token-store-file.journals');
const registry: Map<string, Journal> =
  ((globalThis as Record<symbol, unknown>)[kRegistry] as Map<string, Journal> | undefined) ?? new Map<string, Journal>();
(globalThis as Record<symbol, unknown>)[kRegistry] = registry;

export class Journal {
  readonly path: string;
  readonly records = new Map<string, StoredToken>();
  #fd: number;
  #lines = 0;
  #refs = 0;

  /** The journal at `path`, opened (and compacted) on first use. */
  static acquire(path: string): Journal {
    let journal = registry.get(path);
    if (!journal) {
      journal = new Journal(path);
      registry.set(path, journal);
    }
    journal.#refs++;
    return journal;
  }

  private constructor(path: string) {
    this.path = path;
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.#replay();
    this.#fd = this.#rewrite();
  }

  static keyOf(collection: TokenCollection, key: string): string {
    return `${collection}\u0000${key}`;
  }

  put(collection: TokenCollection, key: string, record: StoredToken): void {
    this.records.set(Journal.keyOf(collection, key), record);
    this.#append({ c: collection, k: key, r: record });
  }

  delete(collection: TokenCollection, key: string): boolean {
    const existed = this.records.delete(Journal.keyOf(collection, key));
    if (existed) this.#append({ c: collection, k: key, d: 1 });
    return existed;
  }

  /** Drops expired records; rewrites the file when dead lines outnumber live records (and there are many). */
  sweep(now: number): number {
    let removed = 0;
    for (const [k, r] of this.records) {
      if (r.expiresAt !== undefined && r.expiresAt <= now) {
        this.records.delete(k);
        removed++;
      }
    }
    if (this.#lines > 1000 && this.#lines > 2 * this.records.size) {
      closeSync(this.#fd);
      this.#fd = this.#rewrite();
    }
    return removed;
  }

  release(): void {
    if (--this.#refs > 0) return;
    registry.delete(this.path);
    fsyncSync(this.#fd);
    closeSync(this.#fd);
  }

  /** Synchronous append: the change is in the kernel before the caller's promise resolves (survives SIGKILL). */
  #append(line: Line): void {
    writeSync(this.#fd, `${JSON.stringify(line)}\n`);
    this.#lines++;
  }

  #replay(): void {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const raw of text.split('\n')) {
      if (raw === '') continue;
      let line: Line;
      try {
        line = JSON.parse(raw) as Line;
      } catch {
        continue; // a torn last line after a crash: the change it held was never acknowledged
      }
      const k = Journal.keyOf(line.c, line.k);
      if (line.d) this.records.delete(k);
      else if (line.r) this.records.set(k, line.r);
    }
  }

  /** Writes the live records to a temp file, renames it over the journal, returns an append descriptor. */
  #rewrite(): number {
    const now = Date.now();
    const tmp = `${this.path}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    let lines = 0;
    for (const [k, r] of this.records) {
      if (r.expiresAt !== undefined && r.expiresAt <= now) {
        this.records.delete(k);
        continue;
      }
      const sep = k.indexOf('\u0000');
      writeSync(fd, `${JSON.stringify({ c: k.slice(0, sep), k: k.slice(sep + 1), r })}\n`);
      lines++;
    }
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.path);
    this.#lines = lines;
    return openSync(this.path, 'a', 0o600);
  }
}
