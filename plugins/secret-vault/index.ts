/**
 * The `vault://path#key` secret backend. Every reference of one configuration load is resolved through one
 * client per Vault address and one read per secret path; the backend lives for that load only, so a reload
 * reads every secret again (rotation is picked up without a restart).
 */
// definePlugin straight from its module: the SDK barrel would also load the endpoint runtime and tsyringe,
// which every command would pay for, since secret backends load with each configuration.
import type { PluginLogger, ResolveContext, SecretBackend } from '../../sdk/index.js';
import { definePlugin } from '../../sdk/plugin-definition.js';
import { vaultSettings } from './settings.js';
import { VaultClient } from './vault-client.js';
import { parseVaultReference } from './vault-reference.js';

export class VaultSecretBackend implements SecretBackend {
  readonly name = 'vault';
  readonly mode = 'whole' as const;
  readonly #clients = new Map<string, VaultClient>();
  readonly #reads = new Map<string, Promise<Record<string, unknown>>>();

  constructor(private readonly logger: PluginLogger) {}

  matches(value: string): boolean {
    return value.startsWith('vault://');
  }

  async resolve(value: string, ctx: ResolveContext): Promise<string> {
    const settings = vaultSettings(value, ctx);
    const ref = parseVaultReference(value, settings.mountPoint);
    const token = ctx.env[settings.tokenEnv];
    if (!token) throw new Error(`Vault token not found in environment variable ${settings.tokenEnv}`);
    const clientKey = `${settings.address}|${settings.tokenEnv}|${settings.namespace ?? ''}`;
    let client = this.#clients.get(clientKey);
    if (!client) {
      client = new VaultClient(settings, token);
      this.#clients.set(clientKey, client);
    }
    const readKey = `${clientKey}|${ref.mount}/${ref.path}`;
    let read = this.#reads.get(readKey);
    if (!read) {
      read = client.readSecret(ref, ctx.signal);
      this.#reads.set(readKey, read);
    }
    const data = await read;
    this.logger.debug({ path: `${ref.mount}/${ref.path}`, key: ref.key, at: ctx.keyPath }, 'vault reference resolved');
    if (!Object.hasOwn(data, ref.key)) throw new Error(`Key '${ref.key}' not found in Vault secret '${ref.mount}/${ref.path}'`);
    const v = data[ref.key];
    return typeof v === 'string' ? v : JSON.stringify(v);
  }

  async close(): Promise<void> {
    await Promise.all([...this.#clients.values()].map((c) => c.close()));
    this.#clients.clear();
    this.#reads.clear();
  }
}

export default definePlugin({ kind: 'secret-backend', create: ({ logger }) => new VaultSecretBackend(logger) });
