/**
 * The admin API on a unix socket (reference/mxcp-ops.md section 5.4), enabled by `MXCP_ADMIN_ENABLED`:
 * `curl --unix-socket /run/mxcp/mxcp.sock http://localhost/status`. JSON over HTTP; no authentication
 * beyond the file mode (0600, the daemon's user only).
 *
 * One difference from the Python MXCP, which unlinks whatever is at the path: a socket file that another
 * live daemon answers on is refused (`MXCP_E_ADMIN_SOCKET_IN_USE`) instead of being stolen from it; a stale
 * one (left by kill -9) is replaced; anything that is not a socket is never deleted.
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { Errors } from '../../sdk/errors/index.js';
import type { Logger } from '../logging/logger.js';

export const kDefaultAdminSocket = '/run/mxcp/mxcp.sock';

/** What the admin API reads from the running daemon; each is called per request, so it is always current. */
export interface AdminSources {
  readonly version: string;
  status(): Promise<Record<string, unknown>>;
  config(): Record<string, unknown>;
  endpoints(): Promise<unknown[]>;
  reload(): void;
  auditQuery(params: URLSearchParams): Promise<{ records: unknown[]; count: number }>;
  auditStats(params: URLSearchParams): Promise<Record<string, unknown>>;
  /** `mxcp run` / `query` / `test` of a CLI whose database this daemon holds (DESIGN section 8). */
  run(body: Record<string, unknown>): Promise<unknown>;
  query(body: Record<string, unknown>): Promise<unknown>;
  test(body: Record<string, unknown>): Promise<unknown>;
}

const kMaxBody = 4 * 1024 * 1024;

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > kMaxBody) throw new Error('request body over 4 MiB');
    chunks.push(chunk as Buffer);
  }
  const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/** Runs a CLI operation: `{status: ok, result}`, or the coded error as `{status: error, code, error, exit_code}`. */
async function operation(res: ServerResponse, run: () => Promise<unknown>): Promise<void> {
  try {
    send(res, 200, { status: 'ok', result: (await run()) ?? null });
  } catch (err) {
    const e = err as { code?: unknown; message?: string; exitCode?: number };
    const coded = typeof e.code === 'string' && e.code.startsWith('MXCP_E_');
    send(res, coded ? 200 : 500, {
      status: 'error',
      code: coded ? e.code : 'internal_error',
      error: coded ? String(err) : (e.message ?? String(err)),
      exit_code: e.exitCode ?? 1,
    });
  }
}

/** Resolves true when something accepts connections at `path`. */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function clearPath(path: string): Promise<void> {
  let stat: ReturnType<typeof lstatSync> | undefined;
  try {
    stat = lstatSync(path);
  } catch {
    return; // nothing there
  }
  if (!stat.isSocket()) throw new Errors.MXCP_E_ADMIN_SOCKET_NOT_SOCKET({ path });
  if (await answers(path)) throw new Errors.MXCP_E_ADMIN_SOCKET_IN_USE({ path });
  unlinkSync(path); // stale: its daemon is gone
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

export class AdminSocket {
  readonly #server: Server;
  readonly #path: string;
  readonly #log: Logger;

  private constructor(path: string, server: Server, log: Logger) {
    this.#path = path;
    this.#server = server;
    this.#log = log;
  }

  get path(): string {
    return this.#path;
  }

  static async open(path: string, sources: AdminSources, log: Logger): Promise<AdminSocket> {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (err) {
      throw new Errors.MXCP_E_ADMIN_SOCKET_FAILED({ path, detail: (err as Error).message }, { cause: err });
    }
    await clearPath(path);
    const server = createServer((req, res) => {
      void route(req, res, sources).catch((err: unknown) => {
        log.error({ err: (err as Error).message, url: req.url }, 'admin request failed');
        if (!res.headersSent) send(res, 500, { error: 'internal_error', message: 'Internal server error', detail: (err as Error).message });
      });
    });
    // The socket is created with the process umask: tighten it around bind so it is never world-accessible.
    const umask = process.umask(0o177);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(path, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      throw new Errors.MXCP_E_ADMIN_SOCKET_FAILED({ path, detail: (err as Error).message }, { cause: err });
    } finally {
      process.umask(umask);
    }
    chmodSync(path, 0o600);
    log.info({ path }, 'admin socket listening');
    return new AdminSocket(path, server, log);
  }

  /** Stops accepting, and removes the socket file. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#server.closeAllConnections();
      this.#server.close(() => resolve());
    });
    try {
      unlinkSync(this.#path);
    } catch {
      // already gone
    }
    this.#log.debug({ path: this.#path }, 'admin socket closed');
  }
}

async function route(req: IncomingMessage, res: ServerResponse, s: AdminSources): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const key = `${req.method} ${url.pathname.replace(/\/+$/, '') || '/'}`;
  switch (key) {
    case 'GET /':
      return send(res, 200, { service: 'mxcp-admin', version: s.version });
    case 'GET /health':
      return send(res, 200, { status: 'ok', timestamp: new Date().toISOString() });
    case 'GET /status':
      return send(res, 200, await s.status());
    case 'POST /reload':
      s.reload();
      return send(res, 200, {
        status: 'reload_initiated',
        timestamp: new Date().toISOString(),
        reload_request_id: randomUUID(),
        message: 'Reload request queued. Use GET /status to check progress.',
      });
    case 'GET /config':
      return send(res, 200, s.config());
    case 'GET /endpoints':
      return send(res, 200, { endpoints: await s.endpoints() });
    case 'GET /audit/query':
      return send(res, 200, await s.auditQuery(url.searchParams));
    case 'GET /audit/stats':
      return send(res, 200, await s.auditStats(url.searchParams));
    case 'POST /run':
      return operation(res, async () => s.run(await jsonBody(req)));
    case 'POST /query':
      return operation(res, async () => s.query(await jsonBody(req)));
    case 'POST /test':
      return operation(res, async () => s.test(await jsonBody(req)));
    case 'GET /system/process': {
      const m = process.memoryUsage();
      return send(res, 200, {
        pid: process.pid,
        status: 'running',
        memory_rss_bytes: m.rss,
        heap_used_bytes: m.heapUsed,
        uptime_seconds: process.uptime(),
      });
    }
    default:
      return send(res, 404, { detail: `Not found: ${req.method} ${url.pathname}` });
  }
}
