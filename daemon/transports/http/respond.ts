/** Writing HTTP responses: JSON bodies, bodiless statuses, and coded failures as JSON-RPC errors. */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { errorResponse, type RequestId } from '../../mcp/jsonrpc.js';
import type { Era } from '../../mcp/protocol-version.js';
import { toWireFailure } from '../../mcp/wire-errors.js';

export function sendJson(res: ServerResponse, status: number, body: string, headers?: OutgoingHttpHeaders): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendStatus(res: ServerResponse, status: number, headers?: OutgoingHttpHeaders): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, headers);
  res.end();
}

/**
 * A failure outside the dispatcher (guards, framing, sessions) as a JSON-RPC error body with the mapped
 * status. `id` is the request's when it was read, else null (JSON-RPC 2.0 section 5).
 */
export function sendFailure(
  res: ServerResponse,
  err: unknown,
  options: { id?: RequestId | null; era?: Era; headers?: OutgoingHttpHeaders } = {},
): void {
  const failure = toWireFailure(err, options.era);
  // Transport-level failures that are not ours to map (a bug) are a 500, not a JSON-RPC result.
  const status = failure.expected ? failure.status : 500;
  sendJson(res, status, errorResponse(options.id ?? null, failure), options.headers);
}
