/**
 * `mxcp/sdk`: the public surface for endpoint code and plugin authors. Every export here is a decision;
 * third parties import nothing else from this package, and nothing here imports daemon internals.
 *
 * - endpoint code: `db`, `config`, `mcp`, `onInit`, `onShutdown`, `getUserContext`, `plugins` (runtime.ts)
 * - coded errors: `Errors`, `MxcpError`, `defineError`, ... (errors/)
 * - plugin kinds: `Executor`, `SecretBackend`, ... and the request types they receive
 * - plugin authoring: `definePlugin`, the manifest type, DI tokens (`kPluginConfig`, ...), `inject`, `injectable`
 * - auth providers: `OAuth2Provider`, `OidcProvider`, `defineAuthProvider` and the upstream HTTP helpers
 * @module
 */

export type { AuditRecord, AuditSink } from './audit.js';
export type { AuthGrant, AuthorizeRequest, AuthProvider, AuthProviderSettings, AuthUserInfo, CodeExchange } from './auth-provider.js';
export { kAuthProviderSettings } from './auth-provider.js';
export type { ErrorCode, ErrorLocation, ErrorSpec, MxcpErrorClass, MxcpErrorOptions } from './errors/index.js';
export { defineError, describeError, Errors, formatLocated, isMxcpError, MxcpError } from './errors/index.js';
export type { ClientChannel, ClientLogLevel, ExecutionContext, Transport } from './execution-context.js';
export type {
  ConfigAccess,
  DatabaseAccess,
  EndpointSource,
  ExecutableEndpoint,
  Executor,
  ExecutorHost,
  ExecutorStats,
  PluginDescription,
  PluginLogger,
  Row,
} from './executor.js';
export type {
  ModelMessage,
  ModelProvider,
  ModelRequest,
  ModelResponse,
  ModelSettings,
  ModelTool,
  ModelToolCall,
} from './model-provider.js';
export type { OAuth2ProviderOptions } from './oauth-upstream.js';
export {
  defineAuthProvider,
  fetchDiscovery,
  fetchUpstream,
  fetchUpstreamJson,
  fixedProviderOptions,
  grantFrom,
  OAuth2Provider,
  ProfileProvider,
  pickUsername,
  profileFields,
  requireSetting,
  standbyProvider,
  unverifiedClaims,
  userinfoUrl,
} from './oauth-upstream.js';
export type { OidcEndpoints } from './oidc-upstream.js';
export { DiscoveredOidcProvider, OidcProvider } from './oidc-upstream.js';
export type { PluginContext, PluginDefinition, PluginManifest, PluginManifestFields } from './plugin-definition.js';
export { definePlugin } from './plugin-definition.js';
export type { PluginCloseReason, PluginInstance, PluginKind, PluginKindInstances, PluginLifecycle } from './plugin-kinds.js';
export type { PluginInfo, Token } from './plugin-tokens.js';
export {
  inject,
  injectable,
  kAuditSink,
  kAuthProvider,
  kExecutor,
  kExecutorHost,
  kModelProvider,
  kPluginConfig,
  kPluginInfo,
  kPluginLogger,
  kSecretBackend,
  kTokenStore,
  kUdf,
} from './plugin-tokens.js';
export type { LifecycleHook, RuntimeConfigSnapshot, RuntimeScope, RuntimeSlot } from './runtime.js';
export { config, db, getUserContext, kRuntimeSlot, mcp, onInit, onShutdown, plugins } from './runtime.js';
export type { ResolveContext, SecretBackend } from './secret-backend.js';
export type { StoredToken, TokenCollection, TokenStore, TokenStoreSettings } from './token-store.js';
export { kTokenStoreSettings } from './token-store.js';
export type { UdfPlugin, UdfSignature } from './udf.js';
export type { UserContext } from './user-context.js';
