/**
 * OpenTelemetry traces over OTLP/HTTP (reference/mxcp-ops.md section 7): the profile's `telemetry` block of
 * the user config, overridden by `MXCP_TELEMETRY_ENABLED`, `OTEL_EXPORTER_OTLP_ENDPOINT`,
 * `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`. One INTERNAL span
 * `mxcp.endpoint.execute` per endpoint call, with no arguments, results or tokens in it.
 *
 * One deliberate difference from the Python MXCP, which starts a new root span for every call: a W3C
 * `traceparent` header on the HTTP request is honoured, so the call joins the caller's trace. The trace id
 * reaches the audit record (`trace_id`).
 */
import type { Attributes, Span, Tracer } from '@opentelemetry/api';
import type { ExecutionContext } from '../../sdk/execution-context.js';
import type { ProjectConfig } from '../config/project.js';
import type { Logger } from '../logging/logger.js';
import type { InvokerFactory } from '../mcp/catalog/invoker.js';
import { kPackageVersion } from '../package-root.js';

export interface TelemetrySettings {
  readonly endpoint: string;
  readonly headers: Record<string, string>;
  readonly serviceName: string;
  readonly attributes: Record<string, string>;
  readonly tracing: boolean;
  /** OTLP metrics every `intervalMs` (MXCP `metrics.export_interval`, seconds; `MXCP_TELEMETRY_METRICS_INTERVAL`). */
  readonly metrics: { readonly enabled: boolean; readonly intervalMs: number };
}

function pairs(text: string | undefined): Record<string, string> | undefined {
  if (!text) return undefined;
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const i = part.indexOf('=');
    if (i > 0) out[decodeURIComponent(part.slice(0, i).trim())] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

function truthy(v: string | undefined): boolean | undefined {
  return v === undefined ? undefined : /^(1|true|yes|on)$/i.test(v.trim());
}

/** The effective settings, or undefined when telemetry is off, has nowhere to export, or exports nothing. */
export function telemetrySettings(project: ProjectConfig, env: NodeJS.ProcessEnv): TelemetrySettings | undefined {
  const block = (project.userProfile.telemetry ?? {}) as {
    enabled?: boolean;
    endpoint?: string;
    headers?: Record<string, string>;
    service_name?: string;
    environment?: string;
    resource_attributes?: Record<string, unknown>;
    tracing?: { enabled?: boolean };
    metrics?: { enabled?: boolean; export_interval?: number };
  };
  const enabled = truthy(env.MXCP_TELEMETRY_ENABLED) ?? block.enabled ?? false;
  // MXCP: an absent tracing (metrics) block means that signal on; a present one defaults to off.
  const tracing = block.tracing === undefined ? true : block.tracing.enabled === true;
  const metrics = block.metrics === undefined ? true : block.metrics.enabled === true;
  const intervalS = Number(env.MXCP_TELEMETRY_METRICS_INTERVAL ?? block.metrics?.export_interval ?? 60);
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT ?? block.endpoint;
  if (!enabled || (!tracing && !metrics) || !endpoint) return undefined;
  const custom =
    pairs(env.OTEL_RESOURCE_ATTRIBUTES) ??
    Object.fromEntries(Object.entries(block.resource_attributes ?? {}).map(([k, v]) => [k, String(v)]));
  return {
    tracing,
    metrics: { enabled: metrics, intervalMs: Math.max(0.1, Number.isFinite(intervalS) ? intervalS : 60) * 1000 },
    endpoint: endpoint.replace(/\/+$/, '').replace(/\/v1\/(traces|metrics)$/, ''),
    headers: pairs(env.OTEL_EXPORTER_OTLP_HEADERS) ?? block.headers ?? {},
    serviceName: env.OTEL_SERVICE_NAME ?? block.service_name ?? 'mxcp',
    attributes: {
      'service.version': kPackageVersion,
      'deployment.environment': block.environment ?? project.profile.name,
      'mxcp.project': project.siteConfig.project,
      'mxcp.profile': project.profile.name,
      ...custom,
    },
  };
}

export interface Tracing {
  /** Wraps an invoker so every endpoint call runs in a span and carries its trace id. */
  instrument(inner: InvokerFactory): InvokerFactory;
  /** Exports what is buffered, then stops. */
  shutdown(): Promise<void>;
}

export async function startTracing(settings: TelemetrySettings, log: Logger): Promise<Tracing> {
  // Loaded only when tracing is on: the SDK is a sizeable module graph nobody else needs.
  const [
    api,
    { BasicTracerProvider, BatchSpanProcessor },
    { OTLPTraceExporter },
    { resourceFromAttributes },
    { W3CTraceContextPropagator },
  ] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/core'),
  ]);
  const exporter = new OTLPTraceExporter({ url: `${settings.endpoint}/v1/traces`, headers: settings.headers });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName, ...settings.attributes }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 })],
  });
  const tracer: Tracer = provider.getTracer('mxcp', kPackageVersion);
  const propagator = new W3CTraceContextPropagator();
  const getter = {
    get: (carrier: Readonly<Record<string, string>>, key: string) => carrier[key],
    keys: (carrier: Readonly<Record<string, string>>) => Object.keys(carrier),
  };
  log.info({ endpoint: settings.endpoint, service: settings.serviceName }, 'OpenTelemetry tracing to OTLP/HTTP');

  const traced = async <T>(
    kind: string,
    name: string,
    context: ExecutionContext,
    run: (ctx: ExecutionContext) => Promise<T>,
  ): Promise<T> => {
    const parent = context.headers ? propagator.extract(api.ROOT_CONTEXT, context.headers, getter) : api.ROOT_CONTEXT;
    const attributes: Attributes = {
      'mxcp.endpoint.name': name,
      'mxcp.endpoint.type': kind,
      'mxcp.auth.authenticated': context.user !== undefined,
      ...(context.user ? { 'mxcp.auth.provider': context.user.provider } : {}),
      ...(context.sessionId ? { 'mxcp.session.id': context.sessionId } : {}),
      'mxcp.transport': context.transport,
    };
    const span: Span = tracer.startSpan('mxcp.endpoint.execute', { kind: api.SpanKind.INTERNAL, attributes }, parent);
    try {
      const result = await run({ ...context, traceId: span.spanContext().traceId });
      span.setStatus({ code: api.SpanStatusCode.OK });
      return result;
    } catch (err) {
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: (err as { code?: string }).code ?? (err as Error).name });
      throw err;
    } finally {
      span.end();
    }
  };
  return {
    instrument: (inner) => (generation) => {
      const invoke = inner(generation);
      return {
        endpoint: (endpoint, args, context) => traced(endpoint.kind, endpoint.name, context, (ctx) => invoke.endpoint(endpoint, args, ctx)),
        builtin: (name, args, context, run) => traced('tool', name, context, (ctx) => invoke.builtin(name, args, ctx, run)),
      };
    },
    shutdown: async () => {
      await provider.shutdown().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'OpenTelemetry shutdown failed'));
    },
  };
}
