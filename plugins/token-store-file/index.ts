/**
 * Built-in `token-store` plugin (`persistence.type: file`, the default; MXCP's `sqlite` selects it too, so
 * existing configs keep working): a journal file in the data dir (journal.ts). Keys arrive hashed and secrets
 * encrypted (the daemon does both), so the file never holds a usable bearer token.
 *
 * Created without settings (listed by `mxcp plugins`, auth off) it is a standby that refuses use.
 */
import { authErrors } from '../../sdk/errors/auth.js';
import { definePlugin } from '../../sdk/plugin-definition.js';
import {
  kTokenStoreSettings,
  type StoredToken,
  type TokenCollection,
  type TokenStore,
  type TokenStoreSettings,
} from '../../sdk/token-store.js';
import { Journal } from './journal.js';

export class FileTokenStore implements TokenStore {
  readonly name = 'file';
  readonly #path: string;
  #journal: Journal | undefined;

  constructor(path: string) {
    this.#path = path;
  }

  init(): void {
    try {
      this.#journal = Journal.acquire(this.#path);
    } catch (err) {
      throw new authErrors.MXCP_E_AUTH_STORE({ path: this.#path, detail: (err as Error).message }, { cause: err });
    }
  }

  async put(collection: TokenCollection, key: string, record: StoredToken): Promise<void> {
    this.#open().put(collection, key, record);
  }

  async get(collection: TokenCollection, key: string): Promise<StoredToken | undefined> {
    const record = this.#open().records.get(Journal.keyOf(collection, key));
    return record && (record.expiresAt === undefined || record.expiresAt > Date.now()) ? record : undefined;
  }

  async take(collection: TokenCollection, key: string): Promise<StoredToken | undefined> {
    // Read and delete with no await between them: two concurrent takes cannot both get the record.
    const journal = this.#open();
    const record = journal.records.get(Journal.keyOf(collection, key));
    journal.delete(collection, key);
    return record && (record.expiresAt === undefined || record.expiresAt > Date.now()) ? record : undefined;
  }

  async delete(collection: TokenCollection, key: string): Promise<void> {
    this.#open().delete(collection, key);
  }

  async cleanupExpired(now: number): Promise<number> {
    return this.#open().sweep(now);
  }

  close(): void {
    this.#journal?.release();
    this.#journal = undefined;
  }

  #open(): Journal {
    if (!this.#journal) throw new authErrors.MXCP_E_AUTH_STORE({ path: this.#path, detail: 'the store is not open' });
    return this.#journal;
  }
}

class StandbyStore implements TokenStore {
  readonly name = 'file';
  #refuse(): never {
    throw new authErrors.MXCP_E_AUTH_STORE({ path: '(none)', detail: 'auth is not configured; this store has no settings' });
  }
  put = async (): Promise<void> => this.#refuse();
  get = async (): Promise<StoredToken | undefined> => this.#refuse();
  take = async (): Promise<StoredToken | undefined> => this.#refuse();
  delete = async (): Promise<void> => this.#refuse();
  cleanupExpired = async (): Promise<number> => this.#refuse();
}

export default definePlugin({
  kind: 'token-store',
  create: (context) => {
    let settings: TokenStoreSettings | undefined;
    try {
      settings = context.resolve(kTokenStoreSettings);
    } catch {
      settings = undefined;
    }
    return settings ? new FileTokenStore(settings.path) : new StandbyStore();
  },
});
