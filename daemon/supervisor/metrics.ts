/**
 * Prometheus metrics (prom-client), served at `/metrics` on the HTTP port. One registry per process: the
 * counters outlive generations, so a reload does not reset them. Names are documented in the README.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ExecutionContext } from '../../sdk/execution-context.js';
import type { InvokerFactory } from '../mcp/catalog/invoker.js';

export class DaemonMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'mxcp_requests_total',
    help: 'Endpoint calls (tools/call, resources/read, prompts/get) by type, name and status',
    labelNames: ['type', 'name', 'status'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'mxcp_request_duration_seconds',
    help: 'Endpoint call duration in seconds',
    labelNames: ['type', 'name'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly inFlight = new Gauge({ name: 'mxcp_requests_in_flight', help: 'Endpoint calls running now', registers: [this.registry] });
  readonly reloads = new Counter({
    name: 'mxcp_reloads_total',
    help: 'Configuration reloads by result',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly generation = new Gauge({ name: 'mxcp_generation', help: 'Number of the generation serving now', registers: [this.registry] });

  /** Read at scrape time from whatever `countSessions` reports (set once the dispatcher exists). */
  countSessions: () => number = () => 0;
  readonly sessions: Gauge = new Gauge({
    name: 'mxcp_sessions',
    help: 'MCP sessions open now (legacy-era HTTP and SSE sessions, stdio)',
    registers: [this.registry],
    collect: (): void => this.sessions.set(this.countSessions()),
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'mxcp_process_' });
  }

  /** Wraps an invoker so every call is counted and timed, whatever the transport. */
  instrument(inner: InvokerFactory): InvokerFactory {
    return (generation) => {
      const invoke = inner(generation);
      const measured = async <T>(type: string, name: string, run: () => Promise<T>): Promise<T> => {
        this.inFlight.inc();
        const stop = this.duration.startTimer({ type, name });
        let status = 'error';
        try {
          const result = await run();
          status = 'success';
          return result;
        } finally {
          stop();
          this.inFlight.dec();
          this.requests.inc({ type, name, status });
        }
      };
      return {
        endpoint: (endpoint, args, context: ExecutionContext) =>
          measured(endpoint.kind, endpoint.name, () => invoke.endpoint(endpoint, args, context)),
        builtin: (name, args, context, run) => measured('tool', name, () => invoke.builtin(name, args, context, run)),
      };
    };
  }
}
