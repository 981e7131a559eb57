/**
 * Reads one secret from Vault's HTTP API with undici: KV v2 (`GET /v1/<mount>/data/<path>`, the secret under
 * `data.data`) first and, when that path does not exist, KV v1 (`GET /v1/<mount>/<path>`, under `data`).
 * https addresses are verified against the system CAs or `ca_cert`. Messages never carry the token or a
 * secret value: only paths, status codes and Vault's own error strings.
 */
import { readFile } from 'node:fs/promises';
import type { Dispatcher } from 'undici';
import type { VaultSettings } from './settings.js';
import type { VaultReference } from './vault-reference.js';

type Undici = typeof import('undici');

/** An HTTP client for one Vault address (one connection pool, closed with the backend). */
export class VaultClient {
  readonly #settings: VaultSettings;
  readonly #token: string;
  #undici?: Undici;
  #dispatcher?: Dispatcher;

  constructor(settings: VaultSettings, token: string) {
    this.#settings = settings;
    this.#token = token;
  }

  /** The secret's key/value map; throws a message naming the path, never the values. */
  async readSecret(ref: VaultReference, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const full = `${ref.mount}/${ref.path}`;
    const v2 = await this.#get(`/v1/${encodePath(ref.mount)}/data/${encodePath(ref.path)}`, signal);
    if (v2.status === 200) {
      const data = (v2.body as { data?: { data?: unknown } } | undefined)?.data?.data;
      if (isRecord(data)) return data;
    } else if (v2.status !== 404) {
      throw statusError(v2.status, v2.body, full, this.#settings.address);
    }
    // KV v1 mount (or a v2 answer without data): the secret sits at the plain path.
    const v1 = await this.#get(`/v1/${encodePath(ref.mount)}/${encodePath(ref.path)}`, signal);
    if (v1.status === 200) {
      const data = (v1.body as { data?: unknown } | undefined)?.data;
      if (isRecord(data)) return data;
      throw new Error(`Vault returned no data for secret '${full}'`);
    }
    throw statusError(v1.status, v1.body, full, this.#settings.address);
  }

  async close(): Promise<void> {
    await this.#dispatcher?.close();
  }

  async #get(path: string, signal: AbortSignal | undefined): Promise<{ status: number; body: unknown }> {
    // undici loads on first use: a configuration without vault:// references never pays for it.
    this.#undici ??= await import('undici');
    this.#dispatcher ??= await this.#makeDispatcher(this.#undici);
    const headers: Record<string, string> = { 'x-vault-token': this.#token, accept: 'application/json' };
    if (this.#settings.namespace) headers['x-vault-namespace'] = this.#settings.namespace;
    const timeout = AbortSignal.timeout(this.#settings.timeoutMs);
    try {
      const res = await this.#undici.request(`${this.#settings.address}${path}`, {
        method: 'GET',
        headers,
        dispatcher: this.#dispatcher,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      const text = await res.body.text();
      return { status: res.statusCode, body: parseJson(text) };
    } catch (err) {
      const code =
        (err as { code?: string; cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code ?? (err as Error).name;
      throw new Error(`Cannot reach Vault at ${this.#settings.address}: ${code}`);
    }
  }

  async #makeDispatcher(undici: Undici): Promise<Dispatcher> {
    if (!this.#settings.caCert) return new undici.Agent();
    let ca: string;
    try {
      ca = await readFile(this.#settings.caCert, 'utf8');
    } catch {
      throw new Error(`Vault CA certificate file not readable: ${this.#settings.caCert}`);
    }
    return new undici.Agent({ connect: { ca } });
  }
}

function statusError(status: number, body: unknown, path: string, address: string): Error {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  const said = Array.isArray(errors) && errors.length > 0 ? `: ${errors.filter((e) => typeof e === 'string').join('; ')}` : '';
  if (status === 404) return new Error(`Secret '${path}' not found in Vault at ${address}`);
  if (status === 403) return new Error(`Vault denied access to secret '${path}' (HTTP 403; check the token and its policy)${said}`);
  return new Error(`Vault answered HTTP ${status} for secret '${path}'${said}`);
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
