/**
 * `mxcp/sdk`: the public surface for endpoint code and plugin authors. Every export here is a decision;
 * third parties import nothing else from this package, and nothing here imports daemon internals.
 *
 * - endpoint code: `db`, `config`, `mcp`, `onInit`, `onShutdown`, `getUserContext`, `plugins` (runtime.ts)
 * - coded errors: `Errors`, `MxcpError`, `defineError`, ... (errors/)
 * - plugin kinds: `Executor`, `SecretBackend`, ... and the request types they receive
 * @module
 */

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
  PluginLogger,
  Row,
} from './executor.js';
export type { LifecycleHook, RuntimeConfigSnapshot, RuntimeScope, RuntimeSlot } from './runtime.js';
export { config, db, getUserContext, kRuntimeSlot, mcp, onInit, onShutdown, plugins } from './runtime.js';
export type { ResolveContext, SecretBackend } from './secret-backend.js';
export type { UserContext } from './user-context.js';
