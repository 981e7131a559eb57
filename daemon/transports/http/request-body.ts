/**
 * Reading a POST body: JSON only (415 otherwise), at most the message limit (413, checked against
 * Content-Length before reading and while reading, so an oversized body is never buffered).
 */
import type { IncomingMessage } from 'node:http';
import { Errors } from '../../../sdk/errors/index.js';

export function checkJsonContentType(req: IncomingMessage): void {
  const type = req.headers['content-type'];
  const essence = type?.split(';', 1)[0]?.trim().toLowerCase();
  if (essence !== 'application/json') throw new Errors.MXCP_E_MCP_CONTENT_TYPE({ got: type ?? '(none)' });
}

/**
 * What the client accepts: 406 when it takes neither JSON nor SSE. A missing Accept header is taken as
 * JSON (curl, load generators); SSE only when asked for explicitly.
 */
export function acceptedResponses(req: IncomingMessage): { sse: boolean } {
  const accept = req.headers.accept;
  if (accept === undefined) return { sse: false };
  const a = accept.toLowerCase();
  const sse = a.includes('text/event-stream');
  if (!sse && !a.includes('application/json') && !a.includes('*/*') && !a.includes('application/*')) {
    throw new Errors.MXCP_E_MCP_NOT_ACCEPTABLE();
  }
  return { sse };
}

export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new Errors.MXCP_E_MCP_BODY_TOO_LARGE({ limit }));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume(); // drain without keeping; the 413 goes out and the connection closes
        reject(new Errors.MXCP_E_MCP_BODY_TOO_LARGE({ limit }));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}
