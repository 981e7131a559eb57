/**
 * What a method handler gets: the request, the generation and catalog it runs on, its era and version,
 * and the way back to the client. Transports describe a request with a {@link RequestEnvelope}; the
 * dispatcher turns it into a {@link MethodCall}.
 */
import type { ExecutionContext, Transport } from '../../sdk/execution-context.js';
import type { UserContext } from '../../sdk/user-context.js';
import type { Generation } from '../generation/generation.js';
import type { Logger } from '../logging/logger.js';
import type { McpCatalog } from './catalog/catalog.js';
import { createClientChannel, type LogThreshold } from './client-channel.js';
import type { OutgoingNotification, Params, RequestId } from './jsonrpc.js';
import type { Era } from './protocol-version.js';
import { progressTokenOf } from './request-meta.js';
import type { McpSession } from './session.js';

export type McpTransport = Extract<Transport, 'stdio' | 'streamable-http' | 'sse'>;

/** How a transport hands one message to the dispatcher. */
export interface RequestEnvelope {
  readonly transport: McpTransport;
  readonly session: McpSession;
  /** HTTP request headers, keys lower-case (endpoint code reads them with `get_request_header()`). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Registers a listener for the client going away before the response (connection closed); returns its
   * removal. A callback rather than an AbortSignal: only cancellable methods pay for a controller.
   */
  readonly onDisconnect?: (listener: () => void) => () => void;
  /** Sends a notification related to this request, before its response. */
  readonly notify: (message: OutgoingNotification) => void;
  /** Decided by HTTP from the MCP-Protocol-Version header; stdio leaves it to `_meta`. */
  readonly era?: Era;
  /** A legacy version from the MCP-Protocol-Version header; takes precedence over the session's. */
  readonly version?: string;
  /** The authenticated user (HTTP with auth); endpoints, policies and the audit record see it. */
  readonly user?: UserContext;
}

export interface MethodCall {
  readonly id: RequestId;
  readonly method: string;
  readonly params: Params;
  readonly era: Era;
  readonly version: string;
  readonly generation: Generation;
  readonly catalog: McpCatalog;
  readonly envelope: RequestEnvelope;
  readonly logThreshold: LogThreshold;
  /** Aborted by `notifications/cancelled`, a closed connection or the drain deadline (cancellable methods). */
  readonly signal: AbortSignal | undefined;
  readonly logger: Logger;
  /** The execution context of an endpoint run on behalf of this request; `endpoint` names its log messages. */
  executionContext(endpoint: string): ExecutionContext;
}

export function executionContext(call: MethodCall, endpoint: string): ExecutionContext {
  const { envelope } = call;
  const client = createClientChannel({
    send: envelope.notify,
    progressToken: progressTokenOf(call.params),
    threshold: call.logThreshold,
    logger: endpoint,
  });
  return {
    transport: envelope.transport,
    requestId: String(call.id),
    client,
    ...(envelope.headers ? { headers: envelope.headers } : {}),
    ...(call.signal ? { signal: call.signal } : {}),
    ...(envelope.session.id ? { sessionId: envelope.session.id } : {}),
    ...(envelope.user ? { user: envelope.user } : {}),
  };
}
