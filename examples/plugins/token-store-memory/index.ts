/**
 * A token store in a Map. Expired records read as absent and are dropped by `cleanupExpired`; `take` is
 * atomic because JavaScript runs it to completion. A size bound keeps a flood of authorisation attempts
 * from exhausting memory.
 */
import { definePlugin, type StoredToken, type TokenCollection, type TokenStore } from 'mxcp/sdk';

interface MemoryConfig {
  readonly max_records: number;
}

class MemoryTokenStore implements TokenStore {
  readonly name = 'memory';
  readonly #records = new Map<string, StoredToken>();

  constructor(private readonly config: MemoryConfig) {}

  async put(collection: TokenCollection, key: string, record: StoredToken): Promise<void> {
    if (this.#records.size >= this.config.max_records) await this.cleanupExpired(Date.now());
    if (this.#records.size >= this.config.max_records) throw new Error(`token store full (${this.config.max_records} records)`);
    this.#records.set(`${collection}:${key}`, record);
  }

  async get(collection: TokenCollection, key: string): Promise<StoredToken | undefined> {
    const record = this.#records.get(`${collection}:${key}`);
    return record && (record.expiresAt === undefined || record.expiresAt > Date.now()) ? record : undefined;
  }

  async take(collection: TokenCollection, key: string): Promise<StoredToken | undefined> {
    // No await between the read and the delete: an `await this.get()` here would let two takes both win.
    const record = this.#records.get(`${collection}:${key}`);
    this.#records.delete(`${collection}:${key}`);
    return record && (record.expiresAt === undefined || record.expiresAt > Date.now()) ? record : undefined;
  }

  async delete(collection: TokenCollection, key: string): Promise<void> {
    this.#records.delete(`${collection}:${key}`);
  }

  async cleanupExpired(now: number): Promise<number> {
    let removed = 0;
    for (const [k, r] of this.#records) {
      if (r.expiresAt !== undefined && r.expiresAt <= now) {
        this.#records.delete(k);
        removed++;
      }
    }
    return removed;
  }

  close(): void {
    this.#records.clear();
  }
}

export default definePlugin<'token-store', MemoryConfig>({ kind: 'token-store', create: ({ config }) => new MemoryTokenStore(config) });
