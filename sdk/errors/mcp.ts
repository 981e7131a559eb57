import { defineError } from './base.js';

/**
 * MCP serving: protocol, transports and `mxcp serve` startup. These are internal errors like every other;
 * the serving layer maps each to its JSON-RPC code and HTTP status at one boundary
 * (`daemon/mcp/wire-errors.ts`), so nothing here knows about the wire.
 */
export const mcpErrors = {
  MXCP_E_MCP_PARSE_ERROR: defineError<{ detail: string }>('MXCP_E_MCP_PARSE_ERROR', (p) => `Parse error: ${p.detail}`),
  MXCP_E_MCP_INVALID_REQUEST: defineError<{ detail: string }>('MXCP_E_MCP_INVALID_REQUEST', (p) => `Invalid Request: ${p.detail}`),
  MXCP_E_MCP_BATCH_UNSUPPORTED: defineError<void>(
    'MXCP_E_MCP_BATCH_UNSUPPORTED',
    () => 'Invalid Request: JSON-RPC batches are not supported (removed in protocol 2025-06-18); send one message per request',
  ),
  MXCP_E_MCP_METHOD_NOT_FOUND: defineError<{ method: string }>('MXCP_E_MCP_METHOD_NOT_FOUND', (p) => `Method not found: ${p.method}`),
  MXCP_E_MCP_INVALID_PARAMS: defineError<{ detail: string }>('MXCP_E_MCP_INVALID_PARAMS', (p) => `Invalid params: ${p.detail}`),
  MXCP_E_MCP_META_INVALID: defineError<{ detail: string }>('MXCP_E_MCP_META_INVALID', (p) => `Invalid params: ${p.detail}`),
  MXCP_E_MCP_INVALID_CURSOR: defineError<void>('MXCP_E_MCP_INVALID_CURSOR', () => 'Invalid params: invalid or expired cursor'),
  MXCP_E_MCP_UNKNOWN_RESOURCE: defineError<{ uri: string }>('MXCP_E_MCP_UNKNOWN_RESOURCE', (p) => `Unknown resource: ${p.uri}`),
  MXCP_E_MCP_UNKNOWN_PROMPT: defineError<{ name: string }>('MXCP_E_MCP_UNKNOWN_PROMPT', (p) => `Unknown prompt: ${p.name}`),
  MXCP_E_MCP_INVALID_ARGUMENTS: defineError<{ kind: string; name: string; detail: string }>(
    'MXCP_E_MCP_INVALID_ARGUMENTS',
    (p) => `Invalid arguments for ${p.kind} ${p.name}: ${p.detail}`,
  ),
  MXCP_E_MCP_RESOURCE_FAILED: defineError<{ uri: string; detail: string }>(
    'MXCP_E_MCP_RESOURCE_FAILED',
    (p) => `Error reading resource ${p.uri}: ${p.detail}`,
  ),
  MXCP_E_MCP_PROMPT_FAILED: defineError<{ name: string; detail: string }>(
    'MXCP_E_MCP_PROMPT_FAILED',
    (p) => `Error rendering prompt ${p.name}: ${p.detail}`,
  ),
  MXCP_E_MCP_HEADER_MISMATCH: defineError<{ detail: string }>('MXCP_E_MCP_HEADER_MISMATCH', (p) => `Header mismatch: ${p.detail}`),
  MXCP_E_MCP_UNSUPPORTED_VERSION: defineError<{ requested: string; supported: string }>(
    'MXCP_E_MCP_UNSUPPORTED_VERSION',
    (p) => `Unsupported protocol version: ${p.requested} (supported: ${p.supported})`,
  ),
  MXCP_E_MCP_SESSION_REQUIRED: defineError<void>('MXCP_E_MCP_SESSION_REQUIRED', () => 'Bad Request: Mcp-Session-Id header is required'),
  MXCP_E_MCP_SESSION_NOT_FOUND: defineError<void>('MXCP_E_MCP_SESSION_NOT_FOUND', () => 'Session not found'),
  MXCP_E_MCP_ALREADY_INITIALIZED: defineError<void>(
    'MXCP_E_MCP_ALREADY_INITIALIZED',
    () => 'Invalid Request: this session is already initialized; send initialize without Mcp-Session-Id to start a new one',
  ),
  MXCP_E_MCP_CONTENT_TYPE: defineError<{ got: string }>(
    'MXCP_E_MCP_CONTENT_TYPE',
    (p) => `Unsupported Media Type: Content-Type must be application/json (got ${p.got})`,
  ),
  MXCP_E_MCP_NOT_ACCEPTABLE: defineError<void>(
    'MXCP_E_MCP_NOT_ACCEPTABLE',
    () => 'Not Acceptable: the client must accept application/json or text/event-stream',
  ),
  MXCP_E_MCP_BODY_TOO_LARGE: defineError<{ limit: number }>(
    'MXCP_E_MCP_BODY_TOO_LARGE',
    (p) => `Payload Too Large: a message may have at most ${p.limit} bytes`,
  ),
  MXCP_E_MCP_FORBIDDEN_HOST: defineError<{ host: string }>(
    'MXCP_E_MCP_FORBIDDEN_HOST',
    (p) => `Forbidden: Host '${p.host}' is not allowed`,
  ),
  MXCP_E_MCP_FORBIDDEN_ORIGIN: defineError<{ origin: string }>(
    'MXCP_E_MCP_FORBIDDEN_ORIGIN',
    (p) => `Forbidden: Origin '${p.origin}' is not allowed`,
  ),
  MXCP_E_MCP_HTTP_METHOD: defineError<{ method: string; detail: string }>(
    'MXCP_E_MCP_HTTP_METHOD',
    (p) => `Method Not Allowed: ${p.method} ${p.detail}`,
  ),
  MXCP_E_MCP_STREAM_CONFLICT: defineError<void>(
    'MXCP_E_MCP_STREAM_CONFLICT',
    () => 'Conflict: this session already has an open GET stream',
  ),
  MXCP_E_MCP_SHUTTING_DOWN: defineError<void>('MXCP_E_MCP_SHUTTING_DOWN', () => 'Server is shutting down; retry the request'),
  MXCP_E_MCP_CANCELLED: defineError<void>('MXCP_E_MCP_CANCELLED', () => 'Request cancelled'),
  MXCP_E_MCP_INTERNAL: defineError<void>('MXCP_E_MCP_INTERNAL', () => 'Internal error'),
  MXCP_E_MCP_INVALID_ENDPOINTS: defineError<{ count: number }>(
    'MXCP_E_MCP_INVALID_ENDPOINTS',
    (p) => `Found ${p.count} endpoint(s) with errors`,
  ),
  MXCP_E_MCP_LISTEN_FAILED: defineError<{ address: string; detail: string }>(
    'MXCP_E_MCP_LISTEN_FAILED',
    (p) => `Cannot listen on ${p.address}: ${p.detail}`,
  ),
  MXCP_E_TLS_LOAD: defineError<{ what: string; detail: string }>('MXCP_E_TLS_LOAD', (p) => `TLS: cannot use ${p.what}: ${p.detail}`),
} as const;
