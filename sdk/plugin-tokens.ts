/**
 * Dependency-injection tokens. Each plugin instance is created in its own child container of its
 * generation's container, where these tokens resolve. Tokens are always explicit (`@injectable(kPluginConfig)`
 * or `@inject(kPluginConfig)` on a parameter); the daemon never relies on emitted type metadata.
 *
 * ```ts
 * import { definePlugin, injectable, kPluginConfig, kPluginLogger, type PluginLogger } from 'mxcp/sdk';
 *
 * @injectable(kPluginConfig, kPluginLogger)
 * class Sink implements AuditSink {
 *   constructor(private readonly config: { path: string }, private readonly log: PluginLogger) {}
 *   ...
 * }
 * export default definePlugin({ kind: 'audit-sink', useClass: Sink });
 * ```
 *
 * Tokens are `Symbol.for` symbols, so a plugin that bundles its own copy of this module still matches.
 * @module
 */
import 'reflect-metadata';
import { inject as tsyringeInject, injectable as tsyringeInjectable } from 'tsyringe';
import type { AuditSink } from './audit.js';
import type { AuthProvider } from './auth-provider.js';
import type { Executor, ExecutorHost, PluginLogger } from './executor.js';
import type { ModelProvider } from './model-provider.js';
import type { PluginKind } from './plugin-kinds.js';
import type { SecretBackend } from './secret-backend.js';
import type { TokenStore } from './token-store.js';
import type { UdfPlugin } from './udf.js';

declare const kTokenType: unique symbol;

/** A DI token resolving to a `T`. */
export type Token<T> = symbol & { readonly [kTokenType]?: T };

function token<T>(name: string): Token<T> {
  return Symbol.for(`mxcp.token.${name}`) as Token<T>;
}

/** What the daemon knows about the plugin an instance belongs to. */
export interface PluginInfo {
  readonly name: string;
  readonly version: string;
  readonly kind: PluginKind;
  /** The plugin's folder. */
  readonly dir: string;
  /** For `udf` instances: the `plugin:` entry's name (the SQL function suffix). */
  readonly instanceName?: string;
}

// One token per kind: every live instance of that kind is registered under it in the generation's container.
export const kExecutor: Token<Executor> = token('executor');
export const kAuthProvider: Token<AuthProvider> = token('auth-provider');
export const kSecretBackend: Token<SecretBackend> = token('secret-backend');
export const kAuditSink: Token<AuditSink> = token('audit-sink');
export const kUdf: Token<UdfPlugin> = token('udf');
export const kTokenStore: Token<TokenStore> = token('token-store');
export const kModelProvider: Token<ModelProvider> = token('model-provider');

// What a plugin's own container provides.
/** The plugin's configuration block, validated against its manifest's `configSchema` (defaults applied). */
export const kPluginConfig: Token<Readonly<Record<string, unknown>>> = token('plugin-config');
/** A logger bound to `{ plugin, kind }`. */
export const kPluginLogger: Token<PluginLogger> = token('plugin-logger');
export const kPluginInfo: Token<PluginInfo> = token('plugin-info');
/** For executors only: database, configuration and project root of the generation. */
export const kExecutorHost: Token<ExecutorHost> = token('executor-host');

/**
 * Constructor parameter decorator: inject what `token` resolves to. Needs `experimentalDecorators` (TypeScript's
 * legacy decorators, which mxcp uses when it transpiles a `.ts` plugin); without them, list the tokens in
 * {@link injectable} instead.
 */
export function inject<T>(token: Token<T>): ParameterDecorator {
  return tsyringeInject(token) as ParameterDecorator;
}

/**
 * Class decorator: lets the plugin's container construct the class (`useClass`). The tokens, if given, are
 * the constructor's parameters in order, so no parameter decorators are needed:
 *
 * ```ts
 * @injectable(kPluginConfig, kPluginLogger)
 * class Sink { constructor(config: SinkConfig, logger: PluginLogger) {} }
 * ```
 *
 * Works with legacy (`experimentalDecorators`) and standard decorators alike.
 */
export function injectable(
  ...tokens: readonly Token<unknown>[]
): <C extends abstract new (...args: never[]) => unknown>(target: C, context?: unknown) => void {
  return (target) => {
    tokens.forEach((token, index) => {
      tsyringeInject(token)(target, undefined, index);
    });
    tsyringeInjectable()(target as never);
  };
}
