/**
 * The HTTP side of the daemon on `node:http`: one request handler, listening on every address the host
 * names (`localhost` is 127.0.0.1 and ::1 where the machine has IPv6).
 *
 *   /health, /ready                      probes, never guarded
 *   everything else                      Host/Origin guard (403) first, then with auth: the OAuth and
 *                                        well-known routes (daemon/auth), and the bearer gate (401/403)
 *                                        in front of the MCP paths; then
 *     streamable-http:  /mcp             streamable-http.ts
 *     sse:              /sse, /messages/ legacy-sse.ts
 *   anything else                        404
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Errors } from '../../../sdk/errors/index.js';
import type { UserContext } from '../../../sdk/user-context.js';
import type { AuthService } from '../../auth/auth-service.js';
import { type BaseUrlOptions, baseUrlOf } from '../../auth/base-url.js';
import type { Refusal } from '../../auth/bearer-gate.js';
import type { IssuerUrls } from '../../auth/issuer-context.js';
import type { Logger } from '../../logging/logger.js';
import type { McpDispatcher } from '../../mcp/dispatcher.js';
import { kMaxMessageBytes, kSessionIdleMs } from '../limits.js';
import { compileGuard } from './host-guard.js';
import { createLegacySseHandlers } from './legacy-sse.js';
import { type MetricsSource, metricsRoute, probe, type Readiness } from './probes.js';
import { sendFailure, sendJson, sendStatus } from './respond.js';
import { SessionStore } from './session-store.js';
import { createStreamableHandler } from './streamable-http.js';
import { loadTls, type TlsFiles } from './tls-context.js';
import { toolsListProbe } from './tools-list-probe.js';

export interface HttpTransportOptions {
  readonly dispatcher: McpDispatcher;
  readonly logger: Logger;
  readonly mode: 'streamable-http' | 'sse';
  readonly host: string;
  readonly port: number;
  readonly stateless: boolean;
  readonly allowedHosts?: readonly string[];
  readonly allowedOrigins?: readonly string[];
  readonly keepaliveMs: number;
  readonly readiness: Readiness;
  /** Served at /metrics (exempt from the Host/Origin guard, like the probes). */
  readonly metrics?: MetricsSource;
  readonly maxBodyBytes?: number;
  readonly sessionIdleMs?: number;
  /** HTTP auth: the current generation's auth service (undefined: auth off), the base URL, refusal auditing. */
  readonly auth?: HttpAuthOptions;
  /** HTTPS instead of HTTP (tls-context.ts). */
  readonly tls?: TlsFiles;
}

export interface HttpAuthOptions {
  readonly service: () => AuthService | undefined;
  readonly baseUrl: Omit<BaseUrlOptions, 'port'>;
  /** Called for every refused request (audit `type: auth`). */
  readonly onRefusal?: (refusal: Refusal, req: IncomingMessage, path: string, startedAt: number) => void;
}

export interface HttpTransport {
  /** Bound addresses, after `listen()`. */
  readonly addresses: readonly AddressInfo[];
  listen(): Promise<void>;
  /** SIGHUP: reads the TLS files again for new connections; a failure keeps the current certificate and throws. */
  reloadTls(): void;
  /** Shutdown, step 1: no new connections; idle keep-alive connections close. Requests in flight go on. */
  stopAccepting(): void;
  /**
   * Shutdown, step 2 (after the drain): ends sessions and streams, lets connections whose last response
   * is written close idle, and after a short grace closes every connection still open.
   */
  close(): Promise<void>;
}

export const kMcpPath = '/mcp';
export const kSsePath = '/sse';
export const kMessagesPath = '/messages/';

export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const { logger } = options;
  const maxBodyBytes = options.maxBodyBytes ?? kMaxMessageBytes;
  const sessions = new SessionStore(options.sessionIdleMs ?? kSessionIdleMs, options.dispatcher.sessions);
  const guard = compileGuard({ boundHost: options.host, allowedHosts: options.allowedHosts, allowedOrigins: options.allowedOrigins });
  const shared = { dispatcher: options.dispatcher, sessions, maxBodyBytes, keepaliveMs: options.keepaliveMs };
  const streamable = createStreamableHandler({ ...shared, stateless: options.stateless });
  const sse = createLegacySseHandlers({ ...shared, messagesPath: kMessagesPath });

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (path === '/health' || path === '/ready') return probe(path, req, res, options.readiness);
    if (path === '/metrics') return metricsRoute(req, res, options.metrics);
    const rejected = guard(req.headers.host, req.headers.origin);
    if (rejected) {
      logger.warn({ host: req.headers.host, origin: req.headers.origin, path }, rejected.message);
      return sendFailure(res, rejected);
    }
    const query = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
    const auth = options.auth?.service();
    let user: UserContext | undefined;
    if (auth) {
      const urls = authUrls(req, auth);
      const startedAt = Date.now();
      const refused = (error: Error, status: number) =>
        options.auth?.onRefusal?.(
          { status, error, headers: {}, body: { error: 'refused', error_description: error.message } },
          req,
          path,
          startedAt,
        );
      if (await auth.handle(req, res, path, query, urls, refused)) return;
      if (isMcpPath(path) && req.method !== 'OPTIONS') {
        const gate = await auth.authenticate(req, urls);
        if (gate.refusal) {
          options.auth?.onRefusal?.(gate.refusal, req, path, startedAt);
          logger.info(
            { path, status: gate.refusal.status, code: (gate.refusal.error as { code?: string }).code },
            'request refused by auth',
          );
          return sendJson(res, gate.refusal.status, JSON.stringify(gate.refusal.body), gate.refusal.headers);
        }
        user = gate.user;
      }
    }
    if (path === '/tools/list') return toolsListProbe(req, res, options.dispatcher, user);
    if (options.mode === 'streamable-http') {
      if (path === kMcpPath || path === `${kMcpPath}/`) return streamable(req, res, user);
    } else if (path === kSsePath) {
      return sse.stream(req, res, user);
    } else if (path === kMessagesPath || path === '/messages') {
      return sse.message(req, res, query, user);
    }
    sendStatus(res, 404);
  };

  const isMcpPath = (path: string): boolean =>
    path === '/tools/list' ||
    (options.mode === 'streamable-http'
      ? path === kMcpPath || path === `${kMcpPath}/`
      : path === kSsePath || path === kMessagesPath || path === '/messages');

  const authUrls = (req: IncomingMessage, auth: AuthService): IssuerUrls => {
    const base = baseUrlOf(req, { ...(options.auth as HttpAuthOptions).baseUrl, port: () => addresses[0]?.port ?? options.port });
    return {
      base,
      resource: `${base}${options.mode === 'streamable-http' ? kMcpPath : kSsePath}`,
      callback: `${base}${auth.callbackPath ?? ''}`,
    };
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    route(req, res).catch((err: unknown) => {
      logger.error({ err, url: req.url }, 'HTTP request failed unexpectedly');
      sendFailure(res, err);
    });
  };

  const servers: Server[] = [];
  const addresses: AddressInfo[] = [];
  // Read (and checked) before listening: a bad certificate stops the start with MXCP_E_TLS_LOAD.
  const tls = options.tls ? loadTls(options.tls) : undefined;

  return {
    addresses,
    async listen() {
      const hosts = listenHosts(options.host);
      let port = options.port;
      for (const [i, host] of hosts.entries()) {
        // With a CA, clients must present a certificate it signed (mutual TLS), refused in the handshake otherwise.
        const server: Server = tls
          ? createHttpsServer({ ...tls, ...(options.tls?.ca ? { requestCert: true, rejectUnauthorized: true } : {}) }, handler)
          : createServer(handler);
        // Longer than common proxy idle timeouts (60 s), so the proxy, not us, closes idle connections.
        server.keepAliveTimeout = 65_000;
        try {
          await listenOn(server, host, port);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          // ::1 is a convenience for `localhost`; a machine without IPv6 still serves on 127.0.0.1.
          if (i > 0 && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT')) {
            logger.debug({ host, err }, 'loopback address not available; skipped');
            continue;
          }
          for (const s of servers) s.close();
          throw new Errors.MXCP_E_MCP_LISTEN_FAILED({ address: `${host}:${port}`, detail: (err as Error).message }, { cause: err });
        }
        const address = server.address() as AddressInfo;
        port = address.port; // port 0: every address gets the port the first one drew
        servers.push(server);
        addresses.push(address);
      }
    },
    reloadTls() {
      if (!options.tls) return;
      const next = loadTls(options.tls);
      for (const server of servers) (server as HttpsServer).setSecureContext(next);
      logger.info({ cert: options.tls.cert }, 'TLS certificate reloaded');
    },
    stopAccepting() {
      for (const server of servers) {
        server.close();
        server.closeIdleConnections();
      }
    },
    async close() {
      sessions.closeAll();
      for (const server of servers) server.closeIdleConnections();
      await new Promise((resolve) => setTimeout(resolve, 100));
      for (const server of servers) server.closeAllConnections();
    },
  };
}

/** `localhost` means both loopback addresses; anything else is listened on as given. */
export function listenHosts(host: string): string[] {
  return host.toLowerCase() === 'localhost' ? ['127.0.0.1', '::1'] : [host];
}

function listenOn(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
