/**
 * What a plugin's entry module exports (as its default export) and the manifest that describes it.
 *
 * ```ts
 * import { definePlugin, type SecretBackend } from 'mxcp/sdk';
 *
 * export default definePlugin({
 *   kind: 'secret-backend',
 *   create: ({ config, logger }) => new MyBackend(config, logger),
 * });
 * ```
 * @module
 */
import type { PluginLogger } from './executor.js';
import type { PluginInstance, PluginKind } from './plugin-kinds.js';
import type { Token } from './plugin-tokens.js';

/** The `mxcp` field of a plugin's `package.json` (validated before any of the plugin's code is loaded). */
export interface PluginManifestFields {
  readonly kind: PluginKind;
  /** semver range of the mxcp SDK the plugin was written against, e.g. `^0.1.0`. */
  readonly sdk: string;
  /** Entry module, relative to the plugin folder (`./index.js`; `.ts` entries are transpiled in memory). */
  readonly entry: string;
  /** JSON Schema of the plugin's configuration block. */
  readonly configSchema: Readonly<Record<string, unknown>>;
  /**
   * What it provides, in its kind's terms: languages (executor), reference schemes (secret-backend: `env` for
   * `${VAR}`, `file`, `vault`, `op`), provider names (auth-provider), store names (token-store), model types.
   * Required for executors and secret backends: the daemon decides from it, before loading any code, which
   * plugins a configuration cannot do without.
   */
  readonly provides?: readonly string[];
  /** Position among plugins of the same kind that handle the same hook (audit sinks, auth chain). */
  readonly order?: 'pre' | 'normal' | 'post';
  /** Time limit of each lifecycle hook, ms (default 10000, at most 120000). */
  readonly hookTimeoutMs?: number;
}

/** A plugin's `package.json` as far as mxcp reads it. */
export interface PluginManifest {
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly mxcp: PluginManifestFields;
}

/** What `create` receives. */
export interface PluginContext<C = Readonly<Record<string, unknown>>> {
  readonly name: string;
  readonly version: string;
  readonly kind: PluginKind;
  /** The configuration block, validated against the manifest's `configSchema`. */
  readonly config: C;
  /** Bound to `{ plugin, kind }`. */
  readonly logger: PluginLogger;
  /** Resolves a token in the plugin's container (e.g. `kExecutorHost`, or another kind's token). */
  resolve<T>(token: Token<T>): T;
}

type Constructor<T> = new (...args: never[]) => T;

/** The brand {@link definePlugin} puts on a definition (a `Symbol.for`, so bundled SDK copies agree). */
export const kPluginDefinition: unique symbol = Symbol.for('mxcp.plugin-definition') as never;

export type PluginDefinition<K extends PluginKind = PluginKind, C = Readonly<Record<string, unknown>>> = {
  readonly [kPluginDefinition]: true;
  /** Must equal the manifest's kind (checked at load). */
  readonly kind: K;
} & (
  | {
      /** Creates the instance; may be async. */
      readonly create: (context: PluginContext<C>) => PluginInstance<K> | Promise<PluginInstance<K>>;
      readonly useClass?: undefined;
    }
  | {
      /** A class the plugin's container constructs; mark it `@injectable()` and its parameters `@inject(token)`. */
      readonly useClass: Constructor<PluginInstance<K>>;
      readonly create?: undefined;
    }
);

/** Types and brands a plugin definition; the entry module default-exports the result. */
export function definePlugin<K extends PluginKind, C = Readonly<Record<string, unknown>>>(
  definition:
    | { readonly kind: K; readonly create: (context: PluginContext<C>) => PluginInstance<K> | Promise<PluginInstance<K>> }
    | { readonly kind: K; readonly useClass: Constructor<PluginInstance<K>> },
): PluginDefinition<K, C> {
  return Object.freeze({ ...definition, [kPluginDefinition]: true as const }) as PluginDefinition<K, C>;
}
