/**
 * 1Password Connect's REST API (https://developer.1password.com/docs/connect/api-reference/) with undici:
 *
 *   GET /v1/vaults?filter=name eq "<vault>"                     → the vault's id (or GET /v1/vaults/<id>)
 *   GET /v1/vaults/<id>/items?filter=title eq "<item>"          → the item's id (or GET .../items/<id>)
 *   GET /v1/vaults/<id>/items/<itemId>                          → fields [{id, label, value, type, totp?}]
 *
 * Authorization is `Bearer <OP_CONNECT_TOKEN>`. Lookups are cached for one configuration load. Messages
 * name vaults, items and fields, never the token or a field's value.
 */
import type { Dispatcher } from 'undici';
import type { OpReference } from './op-reference.js';

type Undici = typeof import('undici');

interface Named {
  readonly id: string;
  readonly name?: string;
  readonly title?: string;
}

export interface OpField {
  readonly id: string;
  readonly label?: string;
  readonly value?: string;
  readonly type?: string;
  readonly totp?: string;
}

/** Connect ids are 26 lower-case base32 characters. */
const kId = /^[a-z0-9]{26}$/;

export class ConnectClient {
  readonly #host: string;
  readonly #token: string;
  readonly #timeoutMs: number;
  readonly #cache = new Map<string, Promise<unknown>>();
  #undici?: Undici;
  #dispatcher?: Dispatcher;

  constructor(host: string, token: string, timeoutMs: number) {
    this.#host = host.replace(/\/+$/, '');
    this.#token = token;
    this.#timeoutMs = timeoutMs;
  }

  async field(ref: OpReference, signal?: AbortSignal): Promise<OpField> {
    const vault = await this.#find('/v1/vaults', 'name', ref.vault, `1Password vault '${ref.vault}'`, signal);
    const item = await this.#find(
      `/v1/vaults/${vault.id}/items`,
      'title',
      ref.item,
      `1Password item '${ref.item}' in vault '${ref.vault}'`,
      signal,
    );
    const full = (await this.#get(`/v1/vaults/${vault.id}/items/${item.id}`, signal)) as { fields?: OpField[] };
    const fields = full.fields ?? [];
    const field = fields.find((f) => f.label === ref.field) ?? fields.find((f) => f.id === ref.field);
    if (!field) throw new Error(`Field '${ref.field}' not found in 1Password item '${ref.item}' of vault '${ref.vault}'`);
    return field;
  }

  async close(): Promise<void> {
    await this.#dispatcher?.close();
  }

  /** One vault or item by id (when it looks like one) or by exact name/title. */
  async #find(base: string, attribute: 'name' | 'title', wanted: string, what: string, signal?: AbortSignal): Promise<Named> {
    if (kId.test(wanted)) {
      const byId = (await this.#get(`${base}/${wanted}`, signal, true)) as Named | undefined;
      if (byId) return byId;
    }
    const filter = `${attribute} eq "${wanted.replaceAll('"', '\\"')}"`;
    const list = (await this.#get(`${base}?filter=${encodeURIComponent(filter)}`, signal)) as Named[];
    const matches = Array.isArray(list) ? list.filter((x) => (attribute === 'name' ? x.name : x.title) === wanted) : [];
    if (matches.length === 0) throw new Error(`${what} not found`);
    if (matches.length > 1) throw new Error(`${what} is ambiguous (${matches.length} match); use its id`);
    return matches[0] as Named;
  }

  #get(path: string, signal: AbortSignal | undefined, allowMissing = false): Promise<unknown> {
    let pending = this.#cache.get(path);
    if (!pending) {
      pending = this.#fetch(path, signal, allowMissing);
      this.#cache.set(path, pending);
    }
    return pending;
  }

  async #fetch(path: string, signal: AbortSignal | undefined, allowMissing: boolean): Promise<unknown> {
    // undici loads on first use: a configuration without op:// references never pays for it.
    this.#undici ??= await import('undici');
    this.#dispatcher ??= new this.#undici.Agent();
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    let status: number;
    let text: string;
    try {
      const res = await this.#undici.request(`${this.#host}${path}`, {
        method: 'GET',
        headers: { authorization: `Bearer ${this.#token}`, accept: 'application/json' },
        dispatcher: this.#dispatcher,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (err) {
      const code = (err as { cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code ?? (err as Error).name;
      throw new Error(`Cannot reach 1Password Connect at ${this.#host}: ${code}`);
    }
    if (status === 200) return JSON.parse(text) as unknown;
    if (status === 404 && allowMissing) return undefined;
    const said = (safeJson(text) as { message?: unknown } | undefined)?.message;
    const suffix = typeof said === 'string' ? `: ${said}` : '';
    if (status === 401) throw new Error(`1Password Connect rejected the token (HTTP 401)${suffix}`);
    if (status === 403) throw new Error(`1Password Connect denied access (HTTP 403)${suffix}`);
    throw new Error(`1Password Connect answered HTTP ${status} for ${path.split('?')[0]}${suffix}`);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
