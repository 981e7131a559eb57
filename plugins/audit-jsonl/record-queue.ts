/**
 * The sink's bounded in-memory queue of serialized lines (each ends with `\n`).
 *
 * Bounded twice, by records and by bytes, so neither a flood of small records nor a few huge ones can
 * exhaust memory. A record that does not fit is either refused (the caller drops it) or parked in a FIFO
 * of waiters that are admitted, in order, as written lines free space: arrival order is file order.
 *
 * Lines leave the queue only once they are in the file (`remove` after a successful write), so a failed
 * write loses nothing: the same lines are retried.
 */

interface Waiter {
  readonly line: Buffer;
  readonly resolve: () => void;
}

export class RecordQueue {
  readonly #maxRecords: number;
  readonly #maxBytes: number;
  #lines: Buffer[] = [];
  #head = 0;
  #bytes = 0;
  #waiters: Waiter[] = [];
  /** Lines ever queued (admitted waiters included): the sequence number of the last accepted record. */
  #pushed = 0;

  constructor(maxRecords: number, maxBytes: number) {
    this.#maxRecords = maxRecords;
    this.#maxBytes = maxBytes;
  }

  get length(): number {
    return this.#lines.length - this.#head;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get waiting(): number {
    return this.#waiters.length;
  }

  get pushed(): number {
    return this.#pushed;
  }

  /** Queues the line if it fits and nobody is waiting ahead of it. */
  offer(line: Buffer): boolean {
    if (this.#waiters.length > 0 || !this.#fits(line.length)) return false;
    this.#push(line);
    return true;
  }

  /** Resolves once the line is queued (behind every earlier waiter). */
  wait(line: Buffer): Promise<void> {
    return new Promise((resolve) => this.#waiters.push({ line, resolve }));
  }

  /** The lines at the head, up to `maxBytes` in total (at least one line), without removing them. */
  peek(maxBytes: number): Buffer[] {
    const out: Buffer[] = [];
    let size = 0;
    for (let i = this.#head; i < this.#lines.length; i++) {
      const line = this.#lines[i]!;
      if (out.length > 0 && size + line.length > maxBytes) break;
      out.push(line);
      size += line.length;
    }
    return out;
  }

  /** Removes `count` lines from the head (they are written) and admits waiters into the freed space. */
  remove(count: number): void {
    for (let i = 0; i < count && this.#head < this.#lines.length; i++) {
      this.#bytes -= this.#lines[this.#head]!.length;
      this.#head++;
    }
    // Compact now and then instead of shifting on every removal (shift is O(n)).
    if (this.#head > 1024 && this.#head * 2 > this.#lines.length) {
      this.#lines = this.#lines.slice(this.#head);
      this.#head = 0;
    }
    while (this.#waiters.length > 0 && this.#fits(this.#waiters[0]!.line.length)) {
      const waiter = this.#waiters.shift()!;
      this.#push(waiter.line);
      waiter.resolve();
    }
  }

  /** Empties the queue and releases every waiter without queuing it; returns how many records that lost. */
  discardAll(): number {
    const lost = this.length + this.#waiters.length;
    for (const w of this.#waiters) w.resolve();
    this.#waiters = [];
    this.#lines = [];
    this.#head = 0;
    this.#bytes = 0;
    return lost;
  }

  #fits(size: number): boolean {
    // An empty queue takes any single line, however large: refusing it would block its caller forever.
    if (this.length === 0) return true;
    return this.length < this.#maxRecords && this.#bytes + size <= this.#maxBytes;
  }

  #push(line: Buffer): void {
    this.#lines.push(line);
    this.#bytes += line.length;
    this.#pushed++;
  }
}
