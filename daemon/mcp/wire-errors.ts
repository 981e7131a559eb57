/**
 * The one place where internal errors become wire errors. Everything below the transports throws coded
 * MxcpErrors; this table gives each its JSON-RPC code and HTTP status. Anything not in the table (an
 * executor or database error escaping a handler, or a bug) becomes -32603 "Internal error": its message
 * and stack stay in the log, never on the wire.
 */
import { Errors, isMxcpError } from '../../sdk/errors/index.js';
import type { Era } from './protocol-version.js';

export interface WireFailure {
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
  /** HTTP status for the response that carries this error. */
  readonly status: number;
  /** False for failures that are the server's fault: those are logged with their cause. */
  readonly expected: boolean;
}

interface Mapping {
  readonly rpc: number;
  readonly http: number;
  /** Overrides for the modern era (2026-07-28), whose spec fixes some codes and statuses differently. */
  readonly modernRpc?: number;
  readonly modernHttp?: number;
}

// JSON-RPC 2.0 codes and the MCP partition of its server range (-32000 .. -32019 implementation defined,
// -32020 .. -32099 MCP spec defined).
const kParse = -32700;
const kInvalidRequest = -32600;
const kMethodNotFound = -32601;
const kInvalidParams = -32602;
const kInternal = -32603;
const kServer = -32000;

const kTable = new Map<string, Mapping>([
  [Errors.MXCP_E_MCP_PARSE_ERROR.code, { rpc: kParse, http: 400 }],
  [Errors.MXCP_E_MCP_INVALID_REQUEST.code, { rpc: kInvalidRequest, http: 400 }],
  [Errors.MXCP_E_MCP_BATCH_UNSUPPORTED.code, { rpc: kInvalidRequest, http: 400 }],
  [Errors.MXCP_E_MCP_METHOD_NOT_FOUND.code, { rpc: kMethodNotFound, http: 200, modernHttp: 404 }],
  [Errors.MXCP_E_MCP_INVALID_PARAMS.code, { rpc: kInvalidParams, http: 200 }],
  [Errors.MXCP_E_MCP_META_INVALID.code, { rpc: kInvalidParams, http: 400 }],
  [Errors.MXCP_E_MCP_INVALID_CURSOR.code, { rpc: kInvalidParams, http: 200 }],
  // -32002 is the legacy "resource not found"; the modern era retired it for -32602.
  [Errors.MXCP_E_MCP_UNKNOWN_RESOURCE.code, { rpc: -32002, http: 200, modernRpc: kInvalidParams }],
  [Errors.MXCP_E_MCP_UNKNOWN_PROMPT.code, { rpc: kInvalidParams, http: 200 }],
  [Errors.MXCP_E_MCP_INVALID_ARGUMENTS.code, { rpc: kInvalidParams, http: 200 }],
  [Errors.MXCP_E_MCP_RESOURCE_FAILED.code, { rpc: kInternal, http: 200 }],
  [Errors.MXCP_E_MCP_PROMPT_FAILED.code, { rpc: kInternal, http: 200 }],
  [Errors.MXCP_E_MCP_HEADER_MISMATCH.code, { rpc: -32020, http: 400 }],
  [Errors.MXCP_E_MCP_UNSUPPORTED_VERSION.code, { rpc: -32022, http: 400 }],
  [Errors.MXCP_E_MCP_SESSION_REQUIRED.code, { rpc: kServer, http: 400 }],
  [Errors.MXCP_E_MCP_SESSION_NOT_FOUND.code, { rpc: -32001, http: 404 }],
  [Errors.MXCP_E_MCP_ALREADY_INITIALIZED.code, { rpc: kInvalidRequest, http: 400 }],
  [Errors.MXCP_E_MCP_CONTENT_TYPE.code, { rpc: kServer, http: 415 }],
  [Errors.MXCP_E_MCP_NOT_ACCEPTABLE.code, { rpc: kServer, http: 406 }],
  [Errors.MXCP_E_MCP_BODY_TOO_LARGE.code, { rpc: kInvalidRequest, http: 413 }],
  [Errors.MXCP_E_MCP_FORBIDDEN_HOST.code, { rpc: kServer, http: 403 }],
  [Errors.MXCP_E_MCP_FORBIDDEN_ORIGIN.code, { rpc: kServer, http: 403 }],
  [Errors.MXCP_E_MCP_HTTP_METHOD.code, { rpc: kServer, http: 405 }],
  [Errors.MXCP_E_MCP_STREAM_CONFLICT.code, { rpc: kServer, http: 409 }],
  [Errors.MXCP_E_MCP_SHUTTING_DOWN.code, { rpc: kServer, http: 503 }],
  [Errors.MXCP_E_MCP_CANCELLED.code, { rpc: -32800, http: 200 }],
]);

/** Extra `data` for an error, attached where it is thrown (the version list of -32022). */
const kWireData = new WeakMap<object, unknown>();

export function withWireData<E extends object>(err: E, data: unknown): E {
  kWireData.set(err, data);
  return err;
}

export function toWireFailure(err: unknown, era: Era = 'legacy'): WireFailure {
  const mapping = isMxcpError(err) ? kTable.get(err.code) : undefined;
  if (!mapping || !isMxcpError(err)) {
    return { code: kInternal, message: Errors.MXCP_E_MCP_INTERNAL.format(), status: 200, expected: false };
  }
  const modern = era === 'modern';
  const data = kWireData.get(err);
  return {
    code: (modern ? mapping.modernRpc : undefined) ?? mapping.rpc,
    message: err.message,
    ...(data === undefined ? {} : { data }),
    status: (modern ? mapping.modernHttp : undefined) ?? mapping.http,
    expected: true,
  };
}
