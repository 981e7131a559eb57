/**
 * The plugin kinds and what every plugin instance may implement regardless of kind: the lifecycle hooks.
 *
 * A plugin is a folder (or npm package) whose `package.json` carries an `mxcp` manifest naming its kind.
 * The daemon creates one instance per generation (boot, each reload; audit sinks, which outlive generations,
 * once per audit trail) and drives it through
 *
 *   create ─> contract check ─> init ─> (the generation is built) ─> ready ─> ... ─> close
 *
 * `close` runs in the reverse order of `init`, so a plugin that depends on another (an auth provider on a
 * token store) is closed first. Every hook has a time limit (manifest `hookTimeoutMs`, default 10 s).
 * @module
 */
import type { AuditSink } from './audit.js';
import type { AuthProvider } from './auth-provider.js';
import type { Executor } from './executor.js';
import type { ModelProvider } from './model-provider.js';
import type { SecretBackend } from './secret-backend.js';
import type { TokenStore } from './token-store.js';
import type { UdfPlugin } from './udf.js';

/** Every kind, in the order a generation creates them (secret backends first: the configuration needs them). */
export const kPluginKinds = ['secret-backend', 'token-store', 'auth-provider', 'audit-sink', 'model-provider', 'udf', 'executor'] as const;

export type PluginKind = (typeof kPluginKinds)[number];

/**
 * Kinds whose absence or failure would weaken security (unauthenticated access, unaudited calls). A broken
 * plugin of these kinds fails the generation: the daemon keeps serving the previous one or does not start.
 */
export const kSecurityKinds: readonly PluginKind[] = ['auth-provider', 'audit-sink', 'token-store'];

/** Why a plugin is being closed (`config-loaded`: a secret backend whose configuration load is complete). */
export type PluginCloseReason = 'reload' | 'shutdown' | 'command' | 'failed-build' | 'config-loaded';

/** Optional hooks of every plugin instance. Each may be async and is bounded by the plugin's hook timeout. */
export interface PluginLifecycle {
  /** After creation and the contract check, before anything uses the instance. Throwing disables the plugin. */
  init?(): unknown;
  /** Once the whole generation is built (every plugin initialised, endpoints prepared), before it serves. */
  ready?(): unknown;
  /** Releases resources. Called once, in reverse order of `init`; errors are logged, never fatal. */
  close?(reason?: PluginCloseReason): unknown;
}

/** The instance type a plugin of kind `K` provides. */
export interface PluginKindInstances {
  readonly executor: Executor & PluginLifecycle;
  readonly 'auth-provider': AuthProvider;
  readonly 'secret-backend': SecretBackend & PluginLifecycle;
  readonly 'audit-sink': AuditSink & PluginLifecycle;
  readonly udf: UdfPlugin;
  readonly 'token-store': TokenStore;
  readonly 'model-provider': ModelProvider;
}

export type PluginInstance<K extends PluginKind = PluginKind> = PluginKindInstances[K];
