/**
 * `mxcp/sdk`: the public surface for endpoint code and plugin authors. Every export here is a decision;
 * third parties import nothing else from this package, and nothing here imports daemon internals.
 * @module
 */

// Runtime API for TypeScript/JavaScript endpoint code.
export { config, db, getUserContext, mcp, onInit, onShutdown, plugins } from './runtime.js';
export type { LifecycleHook, RuntimeConfigSnapshot, RuntimeScope, RuntimeSlot } from './runtime.js';
export { kRuntimeSlot } from './runtime.js';

// Coded errors.
export type { ErrorCode, ErrorLocation, ErrorSpec, MxcpErrorClass, MxcpErrorOptions } from './errors/index.js';
export { defineError, describeError, Errors, formatLocated, isMxcpError, MxcpError } from './errors/index.js';

// Requests and identities.
export type { ClientChannel, ClientLogLevel, ExecutionContext, Transport } from './execution-context.js';
export type { UserContext } from './user-context.js';

// Plugin kinds.
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
export type { ResolveContext, SecretBackend } from './secret-backend.js';
