/**
 * OpenTelemetry metrics over OTLP/HTTP (reference/mxcp-ops.md 7.3), exported every `metrics.export_interval`
 * seconds to `<endpoint>/v1/metrics`. MXCP's instruments, by the same names and attributes:
 *
 *   mxcp.up                                 counter, +1 at start          version, profile, project, transport
 *   mxcp.endpoint.requests_total            counter                       endpoint, type, status, caller
 *   mxcp.endpoint.errors_total              counter                       endpoint, type, caller, error_type
 *   mxcp.endpoint.concurrent_executions     up-down counter               endpoint, type
 *   mxcp.reloads_total                      counter                       status, profile
 *
 * plus `mxcp.endpoint.duration` (histogram, seconds), which MXCP lacks (its docs point at span metrics). Unlike
 * MXCP, the metric exporter gets the configured headers too (an authenticated collector works). Prometheus
 * `/metrics` is independent of this and always on.
 */
import type { Counter, Histogram, UpDownCounter } from '@opentelemetry/api';
import type { Logger } from '../logging/logger.js';
import type { InvokerFactory } from '../mcp/catalog/invoker.js';
import { kPackageVersion } from '../package-root.js';
import type { TelemetrySettings } from './tracing.js';

export interface OtelMetrics {
  /** Wraps an invoker: every endpoint call is counted, timed and tracked while in flight. */
  instrument(inner: InvokerFactory): InvokerFactory;
  reload(ok: boolean): void;
  /** Exports what is pending, then stops. */
  shutdown(): Promise<void>;
}

export async function startOtelMetrics(
  settings: TelemetrySettings,
  context: { readonly profile: string; readonly project: string; readonly transport: string },
  log: Logger,
): Promise<OtelMetrics> {
  const [{ MeterProvider, PeriodicExportingMetricReader }, { OTLPMetricExporter }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-metrics'),
    import('@opentelemetry/exporter-metrics-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  const exporter = new OTLPMetricExporter({ url: `${settings.endpoint}/v1/metrics`, headers: settings.headers });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName, ...settings.attributes }),
    readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: settings.metrics.intervalMs })],
  });
  const meter = provider.getMeter('mxcp', kPackageVersion);
  const up: Counter = meter.createCounter('mxcp.up', { description: 'mxcp started' });
  const requests: Counter = meter.createCounter('mxcp.endpoint.requests_total', { description: 'Endpoint calls' });
  const errors: Counter = meter.createCounter('mxcp.endpoint.errors_total', { description: 'Endpoint calls that failed' });
  const concurrent: UpDownCounter = meter.createUpDownCounter('mxcp.endpoint.concurrent_executions', {
    description: 'Endpoint calls in flight',
  });
  const duration: Histogram = meter.createHistogram('mxcp.endpoint.duration', { description: 'Endpoint call duration', unit: 's' });
  const reloads: Counter = meter.createCounter('mxcp.reloads_total', { description: 'Reloads by result' });
  up.add(1, { version: kPackageVersion, profile: context.profile, project: context.project, transport: context.transport });
  log.info({ endpoint: settings.endpoint, intervalMs: settings.metrics.intervalMs }, 'OpenTelemetry metrics to OTLP/HTTP');

  const measured = async <T>(type: string, name: string, transport: string, run: () => Promise<T>): Promise<T> => {
    const caller = transport === 'stdio' ? 'stdio' : transport.startsWith('cli') ? 'cli' : transport === 'admin' ? 'admin' : 'http';
    const base = { endpoint: name, type };
    concurrent.add(1, base);
    const t0 = performance.now();
    let status = 'success';
    try {
      return await run();
    } catch (err) {
      status = 'error';
      errors.add(1, { ...base, caller, error_type: (err as { code?: string }).code ?? (err as Error).name ?? 'Error' });
      throw err;
    } finally {
      concurrent.add(-1, base);
      requests.add(1, { ...base, status, caller });
      duration.record((performance.now() - t0) / 1000, { ...base, status });
    }
  };

  return {
    instrument: (inner) => (generation) => {
      const invoke = inner(generation);
      return {
        endpoint: (endpoint, args, ctx) =>
          measured(endpoint.kind, endpoint.name, ctx.transport, () => invoke.endpoint(endpoint, args, ctx)),
        builtin: (name, args, ctx, run) => measured('tool', name, ctx.transport, () => invoke.builtin(name, args, ctx, run)),
      };
    },
    reload: (ok) => reloads.add(1, { status: ok ? 'success' : 'failure', profile: context.profile }),
    shutdown: async () => {
      await provider.shutdown().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'OpenTelemetry metrics shutdown failed'));
    },
  };
}
