/**
 * Probe routes, exempt from the Host/Origin guard (orchestrators probe by pod IP):
 *   /health  liveness: the process answers HTTP (200 {"status":"ok"})
 *   /ready   readiness: a generation is serving and the daemon is not draining (200), else 503; the body
 *            carries details (generation number, the last reload's failure)
 *   /metrics Prometheus text, when the daemon provides metrics
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, sendStatus } from './respond.js';

export interface Readiness {
  /** A short reason when not ready (`draining`, `no generation`); undefined when ready. */
  notReadyReason(): string | undefined;
  /** Extra fields for the /ready body (generation, last reload failure). */
  details?(): Record<string, unknown>;
}

export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

const kHealthy = JSON.stringify({ status: 'ok' });

export function probe(path: '/health' | '/ready', req: IncomingMessage, res: ServerResponse, readiness: Readiness): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendStatus(res, 405, { allow: 'GET, HEAD' });
  } else if (path === '/health') {
    sendJson(res, 200, kHealthy);
  } else {
    const reason = readiness.notReadyReason();
    const details = readiness.details?.() ?? {};
    const body = reason === undefined ? { status: 'ready', ...details } : { status: 'not ready', reason, ...details };
    sendJson(res, reason === undefined ? 200 : 503, JSON.stringify(body));
  }
}

export async function metricsRoute(req: IncomingMessage, res: ServerResponse, source: MetricsSource | undefined): Promise<void> {
  if (!source) return sendStatus(res, 404);
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendStatus(res, 405, { allow: 'GET, HEAD' });
  const text = await source.metrics();
  res.writeHead(200, { 'content-type': source.contentType, 'content-length': Buffer.byteLength(text) });
  res.end(req.method === 'HEAD' ? undefined : text);
}
