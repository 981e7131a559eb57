/**
 * What one execution knows about its caller. Created per request at the transport (or CLI) and passed
 * down explicitly to executors, the DuckDB runtime (for `get_username()` and friends) and audit.
 */
import type { UserContext } from './user-context.js';

export type Transport = 'cli' | 'cli-test' | 'cli-query' | 'stdio' | 'streamable-http' | 'sse';

export type ClientLogLevel = 'debug' | 'info' | 'notice' | 'warning' | 'error' | 'critical' | 'alert' | 'emergency';

/** Messages from endpoint code to the MCP client; a no-op (logged locally) outside an MCP request. */
export interface ClientChannel {
  log(level: ClientLogLevel, message: string, data?: unknown): void;
  progress(progress: number, total?: number, message?: string): void;
}

export interface ExecutionContext {
  readonly transport: Transport;
  readonly user?: UserContext;
  /** HTTP request headers, keys lower-case. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Aborted when the client cancels or disconnects, or on the drain deadline. */
  readonly signal?: AbortSignal;
  readonly requestId?: string;
  readonly sessionId?: string;
  readonly client?: ClientChannel;
  /** The OpenTelemetry trace the call runs in (hex), when tracing is on; recorded as the audit `trace_id`. */
  readonly traceId?: string;
}
