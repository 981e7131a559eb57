/**
 * The active audit file: exactly the configured path, opened O_APPEND so that each batch, written with one
 * write(2), lands whole at the end of the file even when another process (`mxcp run`) appends too.
 *
 * Identity: the operator may move the file away at any time (`mv production.jsonl /backup/...`, logrotate).
 * Before each batch `check()` stats the path and compares device and inode with the open descriptor; when
 * they differ the sink reopens, so nothing more goes into the moved file after the batch in flight.
 *
 * Rotation renames the file to a segment beside it (see sdk/audit-files.ts), under a name reserved first
 * with O_EXCL, so two processes rotating in the same second never overwrite each other's segment.
 */
import { close, fdatasync, fstat, open, rename, type Stats, stat, unlink, write } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { reserveSegmentName } from '../../sdk/audit-files.js';

const openAsync = promisify(open);
const closeAsync = promisify(close);
const fstatAsync = promisify(fstat);
const statAsync = promisify(stat);
const renameAsync = promisify(rename);
const unlinkAsync = promisify(unlink);
const fdatasyncAsync = promisify(fdatasync);

/** A write that stopped part-way: `written` bytes of this attempt reached the file before `cause`. */
export class PartialWriteError extends Error {
  constructor(
    readonly written: number,
    override readonly cause: NodeJS.ErrnoException,
  ) {
    super(cause.message);
  }

  get code(): string | undefined {
    return this.cause.code;
  }
}

export interface FileCheck {
  /** The path still names the open file. */
  readonly same: boolean;
  /** Current size of the file at the path (0 when it does not exist). */
  readonly size: number;
}

export class ActiveFile {
  readonly path: string;
  #fd: number | undefined;
  #dev = 0;
  #ino = 0;

  constructor(path: string) {
    this.path = path;
  }

  get isOpen(): boolean {
    return this.#fd !== undefined;
  }

  /** Opens (creating the file and its parent directories) unless already open. */
  async open(): Promise<void> {
    if (this.#fd !== undefined) return;
    await mkdir(dirname(this.path), { recursive: true });
    // 0640: records hold user ids and inputs; a log shipper in the file's group may read them.
    const fd = await openAsync(this.path, 'a', 0o640);
    const st = await fstatAsync(fd);
    this.#fd = fd;
    this.#dev = st.dev;
    this.#ino = st.ino;
  }

  /** One stat(2) of the path: is it still our file, and how large is it (other writers included). */
  async check(): Promise<FileCheck> {
    let st: Stats;
    try {
      st = await statAsync(this.path);
    } catch {
      return { same: false, size: 0 };
    }
    return { same: this.#fd !== undefined && st.dev === this.#dev && st.ino === this.#ino, size: st.size };
  }

  /** Writes `buffer[from..]`; resolves with the bytes written, or throws {@link PartialWriteError}. */
  async append(buffer: Buffer, from: number): Promise<number> {
    const fd = this.#fd;
    if (fd === undefined) throw new PartialWriteError(0, Object.assign(new Error('audit file is not open'), { code: 'EBADF' }));
    let offset = from;
    // libuv already retries short writes; a short count here means the next write(2) reports the error.
    while (offset < buffer.length) {
      try {
        offset += await writeAsync(fd, buffer, offset, buffer.length - offset);
      } catch (err) {
        throw new PartialWriteError(offset - from, err as NodeJS.ErrnoException);
      }
    }
    return offset - from;
  }

  async sync(): Promise<void> {
    if (this.#fd !== undefined) await fdatasyncAsync(this.#fd);
  }

  /** Closes the descriptor (after fdatasync when `sync`) and opens the path afresh. */
  async reopen(sync: boolean): Promise<void> {
    await this.close(sync);
    await this.open();
  }

  /**
   * Renames the active file to a new segment and opens a fresh active file. When the path no longer names
   * our file (moved meanwhile), there is nothing to rename: only reopen. Returns the segment's path.
   */
  async rotate(sync: boolean): Promise<string | undefined> {
    const { same } = await this.check();
    let segment: string | undefined;
    if (same) {
      segment = await reserveSegmentName(this.path);
      try {
        await renameAsync(this.path, segment);
      } catch (err) {
        await unlinkAsync(segment).catch(() => undefined);
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        segment = undefined;
      }
    }
    await this.reopen(sync);
    return segment;
  }

  async close(sync: boolean): Promise<void> {
    const fd = this.#fd;
    if (fd === undefined) return;
    this.#fd = undefined;
    try {
      if (sync) await fdatasyncAsync(fd);
    } finally {
      await closeAsync(fd);
    }
  }
}

function writeAsync(fd: number, buffer: Buffer, offset: number, length: number): Promise<number> {
  return new Promise((resolve, reject) => {
    write(fd, buffer, offset, length, null, (err, written) => (err ? reject(err) : resolve(written)));
  });
}
