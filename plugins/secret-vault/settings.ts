/**
 * The `vault:` block of the user config (MXCP's form), read when a `vault://` reference is resolved. The
 * block is read raw (the configuration is being resolved by this very backend), so `${VAR}` inside it is
 * expanded here from the environment.
 */
import type { ResolveContext } from '../../sdk/index.js';

export interface VaultSettings {
  readonly address: string;
  /** Name of the environment variable holding the token (never the token itself). */
  readonly tokenEnv: string;
  readonly namespace?: string;
  /** When set, every path is relative to this mount; otherwise the path's first segment is the mount. */
  readonly mountPoint?: string;
  /** PEM file of the CA that signs the server's certificate (`vault.ca_cert` or `VAULT_CACERT`). */
  readonly caCert?: string;
  readonly timeoutMs: number;
}

const kDefaultTimeoutMs = 10_000;

/** `${VAR}` expansion for settings; an unset variable leaves the text empty so the check below reports it. */
function expand(value: unknown, env: ResolveContext['env']): string | undefined {
  if (value === undefined || value === null) return undefined;
  return String(value).replace(/\$\{([A-Za-z0-9_]+)\}/g, (_m, name: string) => env[name] ?? '');
}

/** Seconds as a number, or `<n>ms` / `<n>s` / `<n>m` text (the user schema's duration). */
export function durationMs(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(value);
  if (!m) return fallback;
  const n = Number(m[1]);
  return Math.round(m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000);
}

export function vaultSettings(reference: string, ctx: ResolveContext): VaultSettings {
  const block = (ctx.userConfig.vault ?? {}) as Record<string, unknown>;
  const enabled = expand(block.enabled, ctx.env);
  if (enabled !== 'true') throw new Error(`Vault URL '${reference}' found but Vault is not enabled in configuration (vault.enabled)`);
  const address = expand(block.address, ctx.env) || ctx.env.VAULT_ADDR;
  if (!address) throw new Error('Vault address is not configured (vault.address or VAULT_ADDR)');
  if (!/^https?:\/\//.test(address)) throw new Error(`Vault address '${address}' must start with https:// or http://`);
  return {
    address: address.replace(/\/+$/, ''),
    tokenEnv: expand(block.token_env, ctx.env) || 'VAULT_TOKEN',
    ...optional('namespace', expand(block.namespace, ctx.env) || ctx.env.VAULT_NAMESPACE),
    ...optional('mountPoint', expand(block.mount_point, ctx.env)),
    ...optional('caCert', expand(block.ca_cert, ctx.env) || ctx.env.VAULT_CACERT),
    timeoutMs: durationMs(expand(block.timeout, ctx.env), kDefaultTimeoutMs),
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}
