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

  /** Set once the daemon knows its executors and audit trail; read at scrape time. */
  poolStats: () => readonly { executor: string; threads: number; utilization: number; queued: number }[] = () => [];
  auditStats: () => readonly { sink: string; queued: number; dropped: number; writeErrors: number }[] = () => [];
  readonly poolUtilization: Gauge = new Gauge({
    name: 'mxcp_worker_pool_utilization',
    help: "Share of an executor worker pool's capacity used since the generation started (0..1)",
    labelNames: ['executor'] as const,
    registers: [this.registry],
    collect: (): void => {
      this.poolUtilization.reset();
      for (const p of this.poolStats()) this.poolUtilization.set({ executor: p.executor }, p.utilization);
    },
  });
  readonly poolThreads: Gauge = new Gauge({
    name: 'mxcp_worker_pool_threads',
    help: 'Worker threads alive in an executor pool',
    labelNames: ['executor'] as const,
    registers: [this.registry],
    collect: (): void => {
      this.poolThreads.reset();
      for (const p of this.poolStats()) this.poolThreads.set({ executor: p.executor }, p.threads);
    },
  });
  readonly poolQueued: Gauge = new Gauge({
    name: 'mxcp_worker_pool_queued',
    help: 'Calls waiting for a free worker',
    labelNames: ['executor'] as const,
    registers: [this.registry],
    collect: (): void => {
      this.poolQueued.reset();
      for (const p of this.poolStats()) this.poolQueued.set({ executor: p.executor }, p.queued);
    },
  });
  readonly auditQueue: Gauge = new Gauge({
    name: 'mxcp_audit_queue_depth',
    help: 'Audit records accepted but not yet written, per sink',
    labelNames: ['sink'] as const,
    registers: [this.registry],
    collect: (): void => {
      this.auditQueue.reset();
      for (const a of this.auditStats()) this.auditQueue.set({ sink: a.sink }, a.queued);
    },
  });
  readonly auditDropped: Gauge = new Gauge({
    name: 'mxcp_audit_records_dropped',
    help: 'Audit records dropped (on_full: drop, or given up at close), per sink, since start',
    labelNames: ['sink'] as const,
    registers: [this.registry],
    collect: (): void => {
      this.auditDropped.reset();
      for (const a of this.auditStats()) this.auditDropped.set({ sink: a.sink }, a.dropped);
    },
  });
  readonly auditWriteErrors: Gauge = new Gauge({
    name: 'mxcp_audit_write_errors',
    help: 'Failed audit writes (disk full, file-size limit), per sink, since start',
    labelNames: ['sink'] as const,
    registers: [this.registry],
    collect: (): void => {
      this.auditWriteErrors.reset();
      for (const a of this.auditStats()) this.auditWriteErrors.set({ sink: a.sink }, a.writeErrors);
    },
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
