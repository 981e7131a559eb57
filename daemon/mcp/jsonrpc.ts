/**
 * JSON-RPC 2.0 framing: parse one message, tell requests, notifications and responses apart, and write
 * responses. Validation is structural only (the envelope); each method checks its own params.
 *
 * Responses are built as strings: a precomputed result (a cached `tools/list` page) is spliced in without
 * being parsed or serialized again.
 */
import { Errors } from '../../sdk/errors/index.js';

export type RequestId = string | number;
export type Params = Readonly<Record<string, unknown>>;

export interface JsonRpcRequest {
  readonly kind: 'request';
  readonly id: RequestId;
  readonly method: string;
  readonly params: Params | undefined;
}

export interface JsonRpcNotification {
  readonly kind: 'notification';
  readonly method: string;
  readonly params: Params | undefined;
}

/** A response from the client (to a server-initiated request; this server sends none, so they are acknowledged and dropped). */
export interface JsonRpcClientResponse {
  readonly kind: 'response';
  readonly id: RequestId | null;
}

export type IncomingMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcClientResponse;

/** A notification sent by the server (progress, log, list changed). */
export interface OutgoingNotification {
  readonly jsonrpc: '2.0';
  readonly method: string;
  readonly params?: Record<string, unknown>;
}

/** The error object of a response, as it goes on the wire. */
export interface WireError {
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
}

/** Parses the text of one message. Throws MXCP_E_MCP_PARSE_ERROR. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Errors.MXCP_E_MCP_PARSE_ERROR({ detail: (err as Error).message }, { cause: err });
  }
}

/**
 * Classifies a parsed value. Throws MXCP_E_MCP_BATCH_UNSUPPORTED for arrays and
 * MXCP_E_MCP_INVALID_REQUEST for anything else that is not a JSON-RPC 2.0 message; {@link requestIdOf}
 * recovers the id for the error response when there is a usable one.
 */
export function classifyMessage(value: unknown): IncomingMessage {
  if (Array.isArray(value)) throw new Errors.MXCP_E_MCP_BATCH_UNSUPPORTED();
  if (typeof value !== 'object' || value === null) throw invalid('a message must be a JSON object');
  const msg = value as Record<string, unknown>;
  if (msg.jsonrpc !== '2.0') throw invalid('"jsonrpc" must be "2.0"');
  const { method, params } = msg;
  const hasId = Object.hasOwn(msg, 'id');
  if (method === undefined) {
    if (!Object.hasOwn(msg, 'result') && !Object.hasOwn(msg, 'error')) throw invalid('a message needs "method", "result" or "error"');
    if (!hasId || !(msg.id === null || isRequestId(msg.id))) throw invalid('a response needs a string or number "id"');
    return { kind: 'response', id: msg.id as RequestId | null };
  }
  if (typeof method !== 'string' || method === '') throw invalid('"method" must be a non-empty string');
  if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params))) {
    throw invalid('"params" must be an object');
  }
  if (!hasId) return { kind: 'notification', method, params: params as Params | undefined };
  if (!isRequestId(msg.id)) throw invalid('"id" must be a string or an integer');
  return { kind: 'request', id: msg.id, method, params: params as Params | undefined };
}

/** The id of a malformed message, when it has a usable one; `null` otherwise (JSON-RPC 2.0 section 5). */
export function requestIdOf(value: unknown): RequestId | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const id = (value as { id?: unknown }).id;
  return isRequestId(id) ? id : null;
}

function isRequestId(id: unknown): id is RequestId {
  return typeof id === 'string' || (typeof id === 'number' && Number.isInteger(id));
}

function invalid(detail: string) {
  return new Errors.MXCP_E_MCP_INVALID_REQUEST({ detail });
}

/** A result serialized once and spliced into responses as is. */
export class RawResult {
  constructor(readonly json: string) {}
}

export function resultResponse(id: RequestId, result: unknown): string {
  const json = result instanceof RawResult ? result.json : stringify(result);
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${json}}`;
}

/** Only the JSON-RPC fields of `error` go out (a WireFailure also carries transport-side fields). */
export function errorResponse(id: RequestId | null, error: WireError): string {
  const wire: WireError =
    error.data === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, data: error.data };
  return JSON.stringify({ jsonrpc: '2.0', id, error: wire });
}

export function notification(method: string, params: Record<string, unknown>): OutgoingNotification {
  return { jsonrpc: '2.0', method, params };
}

/**
 * Results are JSON-safe by construction (rows are mapped, outputs serialized), so the replacer, which
 * costs a call per key, only runs when a stray BigInt made the fast path throw.
 */
export function stringify(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return JSON.stringify(value, jsonReplacer);
  }
}

/** BigInt becomes a number when exact, else a decimal string. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value !== 'bigint') return value;
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
}
