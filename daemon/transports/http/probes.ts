/**
 * Probe routes, exempt from the Host/Origin guard (orchestrators probe by pod IP):
 *   /health  liveness: the process answers HTTP (200 {"status":"ok"})
 *   /ready   readiness: a generation is serving and the daemon is not draining (200), else 503
 * `/metrics` arrives with the supervisor.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, sendStatus } from './respond.js';

export interface Readiness {
  /** A short reason when not ready (`draining`, `no generation`); undefined when ready. */
  notReadyReason(): string | undefined;
}

const kHealthy = JSON.stringify({ status: 'ok' });
const kReady = JSON.stringify({ status: 'ready' });

export function probe(path: '/health' | '/ready', req: IncomingMessage, res: ServerResponse, readiness: Readiness): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendStatus(res, 405, { allow: 'GET, HEAD' });
  } else if (path === '/health') {
    sendJson(res, 200, kHealthy);
  } else {
    const reason = readiness.notReadyReason();
    sendJson(res, reason === undefined ? 200 : 503, reason === undefined ? kReady : JSON.stringify({ status: 'not ready', reason }));
  }
}
