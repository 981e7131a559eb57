/**
 * `/metrics` on its own port (`transport.http.metrics_port`), for deployments that keep Prometheus
 * scraping off the MCP port (a NetworkPolicy that opens the metrics port to the monitoring namespace only).
 * It binds the same host as the MCP listener and serves nothing else; when it is set, the MCP port no
 * longer serves `/metrics`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type MetricsSource, metricsRoute } from './probes.js';

export class MetricsServer {
  readonly #server: Server;

  private constructor(server: Server) {
    this.#server = server;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  static async listen(host: string, port: number, source: MetricsSource): Promise<MetricsServer> {
    const server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path === '/metrics') return void metricsRoute(req, res, source);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: this port serves /metrics only\n');
    });
    // `localhost` means loopback here too, never every interface.
    const bind = host === 'localhost' ? '127.0.0.1' : host;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, bind, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new MetricsServer(server);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.closeAllConnections();
      this.#server.close(() => resolve());
    });
  }
}
