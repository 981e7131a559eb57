/**
 * The `op://vault/item/field[?attribute=otp]` secret backend, over a 1Password Connect server
 * (`OP_CONNECT_HOST` / `onepassword.connect_host`, token from `OP_CONNECT_TOKEN` or the variable named by
 * `onepassword.connect_token_env`). As in MXCP, `onepassword.enabled: true` is required. The backend
 * lives for one configuration load, so a reload reads every value again.
 */
// definePlugin straight from its module: the SDK barrel would also load the endpoint runtime and tsyringe,
// which every command would pay for, since secret backends load with each configuration.
import type { PluginLogger, ResolveContext, SecretBackend } from '../../sdk/index.js';
import { definePlugin } from '../../sdk/plugin-definition.js';
import { ConnectClient } from './connect-client.js';
import { parseOpReference } from './op-reference.js';

const kTimeoutMs = 10_000;

export class OnePasswordSecretBackend implements SecretBackend {
  readonly name = 'onepassword';
  readonly mode = 'whole' as const;
  readonly #clients = new Map<string, ConnectClient>();

  constructor(private readonly logger: PluginLogger) {}

  matches(value: string): boolean {
    return value.startsWith('op://');
  }

  async resolve(value: string, ctx: ResolveContext): Promise<string> {
    const client = this.#client(value, ctx);
    const ref = parseOpReference(value);
    const field = await client.field(ref, ctx.signal);
    this.logger.debug(
      { vault: ref.vault, item: ref.item, field: ref.field, otp: ref.otp, at: ctx.keyPath },
      '1Password reference resolved',
    );
    if (ref.otp) {
      if (typeof field.totp !== 'string' || field.totp === '') {
        throw new Error(`Field '${ref.field}' of 1Password item '${ref.item}' has no one-time password`);
      }
      return field.totp;
    }
    if (typeof field.value !== 'string') throw new Error(`Field '${ref.field}' of 1Password item '${ref.item}' has no value`);
    return field.value;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#clients.values()].map((c) => c.close()));
    this.#clients.clear();
  }

  #client(value: string, ctx: ResolveContext): ConnectClient {
    const block = (ctx.userConfig.onepassword ?? {}) as Record<string, unknown>;
    const expand = (v: unknown) =>
      v === undefined || v === null ? '' : String(v).replace(/\$\{([A-Za-z0-9_]+)\}/g, (_m, n: string) => ctx.env[n] ?? '');
    if (expand(block.enabled) !== 'true') {
      throw new Error(`1Password URL '${value}' found but 1Password is not enabled in configuration (onepassword.enabled)`);
    }
    const host = expand(block.connect_host) || ctx.env.OP_CONNECT_HOST;
    if (!host) {
      throw new Error(
        '1Password Connect host is not configured (onepassword.connect_host or OP_CONNECT_HOST); service-account tokens without Connect are not supported',
      );
    }
    const tokenEnv = expand(block.connect_token_env) || 'OP_CONNECT_TOKEN';
    const token = ctx.env[tokenEnv];
    if (!token) throw new Error(`1Password Connect token not found in environment variable ${tokenEnv}`);
    const key = `${host}|${tokenEnv}`;
    let client = this.#clients.get(key);
    if (!client) {
      client = new ConnectClient(host, token, kTimeoutMs);
      this.#clients.set(key, client);
    }
    return client;
  }
}

export default definePlugin({ kind: 'secret-backend', create: ({ logger }) => new OnePasswordSecretBackend(logger) });
