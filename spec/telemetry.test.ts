/**
 * OpenTelemetry traces and metrics (reference/mxcp-ops.md section 7) from a real daemon to a local OTLP/HTTP receiver
 * (a node:http server taking the exporter's JSON at /v1/traces): one `mxcp.endpoint.execute` span per call,
 * configured by the OTEL_* / MXCP_TELEMETRY_* variables, a W3C `traceparent` joined, and the trace id in the
 * audit record. No arguments or results in spans.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { TempProject } from './support/project.js';
import { type Daemon, post, serveProject, startDaemon } from './support/serve-daemon.js';

interface OtlpSpan {
  traceId: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string; boolValue?: boolean } }[];
  status?: { code?: number };
}

let project: TempProject | undefined;
let daemon: Daemon | undefined;
let receiver: Server | undefined;
afterEach(async () => {
  await daemon?.stop('SIGKILL');
  receiver?.closeAllConnections();
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
  project?.remove();
  daemon = project = receiver = undefined;
});

interface OtlpMetric {
  name: string;
  sum?: { dataPoints: { attributes: { key: string; value: { stringValue?: string } }[]; asInt?: string | number; asDouble?: number }[] };
  histogram?: { dataPoints: { attributes: { key: string; value: { stringValue?: string } }[]; count: string | number }[] };
}

async function otlpReceiver(): Promise<{
  url: string;
  spans: OtlpSpan[];
  resources: Record<string, string>[];
  metrics: OtlpMetric[][];
  metricHeaders: Record<string, string | string[] | undefined>[];
}> {
  const spans: OtlpSpan[] = [];
  const resources: Record<string, string>[] = [];
  const metrics: OtlpMetric[][] = [];
  const metricHeaders: Record<string, string | string[] | undefined>[] = [];
  receiver = createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => {
      text += d.toString();
    });
    req.on('end', () => {
      if (req.url === '/v1/metrics') {
        const body = JSON.parse(text) as { resourceMetrics: { scopeMetrics: { metrics: OtlpMetric[] }[] }[] };
        metrics.push(body.resourceMetrics.flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics)));
        metricHeaders.push(req.headers);
      }
      if (req.url === '/v1/traces') {
        const body = JSON.parse(text) as {
          resourceSpans: {
            resource: { attributes: { key: string; value: { stringValue?: string } }[] };
            scopeSpans: { spans: OtlpSpan[] }[];
          }[];
        };
        for (const rs of body.resourceSpans) {
          resources.push(Object.fromEntries(rs.resource.attributes.map((a) => [a.key, a.value.stringValue ?? ''])));
          for (const ss of rs.scopeSpans) spans.push(...ss.spans);
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => receiver?.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`, spans, resources, metrics, metricHeaders };
}

const attr = (s: OtlpSpan, key: string) => {
  const v = s.attributes.find((a) => a.key === key)?.value;
  return v?.stringValue ?? v?.boolValue;
};

describe('OpenTelemetry tracing', () => {
  it('exports one span per call over OTLP/HTTP, joins a traceparent, and writes the trace id into the audit record', {
    timeout: 60_000,
  }, async () => {
    const otlp = await otlpReceiver();
    project = serveProject({
      'mxcp-site.yml':
        'mxcp: 1\nproject: serve-demo\nprofile: dev\nprofiles:\n  dev:\n    audit:\n      enabled: true\n      path: audit/t.jsonl\n',
    });
    daemon = await startDaemon(project, ['--stateless'], {
      env: {
        MXCP_TELEMETRY_ENABLED: '1',
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
        OTEL_SERVICE_NAME: 'mxcp-spec',
        OTEL_RESOURCE_ATTRIBUTES: 'team=data',
      },
    });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const call = (text: string, headers: Record<string, string> = {}) =>
      post(
        `${daemon!.base}/mcp`,
        JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text } } }),
        {
          'mcp-protocol-version': '2025-11-25',
          ...headers,
        },
      );
    expect((await call('joined', { traceparent: `00-${traceId}-00f067aa0ba902b7-01` })).status).toBe(200);
    expect((await call('fresh')).status).toBe(200);
    await post(
      `${daemon.base}/mcp`,
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'broken_sql', arguments: {} } }),
      {
        'mcp-protocol-version': '2025-11-25',
      },
    );
    const deadline = Date.now() + 20_000;
    while (otlp.spans.length < 3) {
      if (Date.now() > deadline) throw new Error(`spans received: ${otlp.spans.length}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const [joined, fresh, failed] = otlp.spans;
    expect(joined).toMatchObject({ name: 'mxcp.endpoint.execute', traceId, kind: 1 });
    expect(attr(joined!, 'mxcp.endpoint.name')).toBe('echo');
    expect(attr(joined!, 'mxcp.endpoint.type')).toBe('tool');
    expect(fresh!.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(fresh!.traceId).not.toBe(traceId);
    expect(failed!.status?.code).toBe(2); // ERROR
    expect(JSON.stringify(otlp.spans)).not.toContain('joined'); // no arguments in spans
    expect(otlp.resources[0]).toMatchObject({
      'service.name': 'mxcp-spec',
      'mxcp.project': 'serve-demo',
      'mxcp.profile': 'dev',
      team: 'data',
    });

    expect(await daemon.stop('SIGTERM')).toBe(0);
    const records = readFileSync(project.path('audit/t.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { input: { text?: string }; trace_id: string | null });
    expect(records.find((r) => r.input.text === 'joined')?.trace_id).toBe(traceId);
    expect(records.find((r) => r.input.text === 'fresh')?.trace_id).toBe(fresh!.traceId);
  });

  it('is off without MXCP_TELEMETRY_ENABLED or an endpoint: audit trace_id stays null', { timeout: 60_000 }, async () => {
    const otlp = await otlpReceiver();
    project = serveProject({
      'mxcp-site.yml':
        'mxcp: 1\nproject: serve-demo\nprofile: dev\nprofiles:\n  dev:\n    audit:\n      enabled: true\n      path: audit/t.jsonl\n',
    });
    daemon = await startDaemon(project, ['--stateless'], { env: { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url } });
    await post(
      `${daemon.base}/mcp`,
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'x' } } }),
      {
        'mcp-protocol-version': '2025-11-25',
      },
    );
    expect(await daemon.stop('SIGTERM')).toBe(0);
    expect(otlp.spans).toEqual([]);
    expect(JSON.parse(readFileSync(project.path('audit/t.jsonl'), 'utf8').split('\n')[0] ?? '{}')).toMatchObject({ trace_id: null });
  });
});

describe('OpenTelemetry metrics', () => {
  it("exports MXCP's instruments over OTLP/HTTP at the configured interval, with the configured headers", { timeout: 60_000 }, async () => {
    const otlp = await otlpReceiver();
    project = serveProject();
    daemon = await startDaemon(project, ['--stateless'], {
      env: {
        MXCP_TELEMETRY_ENABLED: '1',
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
        OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-key=k1',
        MXCP_TELEMETRY_METRICS_INTERVAL: '1',
      },
    });
    const call = (name: string, args: Record<string, unknown>) =>
      post(`${daemon!.base}/mcp`, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }), {
        'mcp-protocol-version': '2025-11-25',
      });
    await call('echo', { text: 'a' });
    await call('echo', { text: 'b' });
    await call('broken_sql', {});
    daemon.child.kill('SIGHUP');
    const point = (m: OtlpMetric | undefined, attrs: Record<string, string>) =>
      m?.sum?.dataPoints.find((d) =>
        Object.entries(attrs).every(([k, v]) => d.attributes.some((a) => a.key === k && a.value.stringValue === v)),
      );
    const latest = (name: string) => otlp.metrics.at(-1)?.find((m) => m.name === name);
    const value = (m: OtlpMetric | undefined, attrs: Record<string, string>) => {
      const p = point(m, attrs);
      return Number(p?.asInt ?? p?.asDouble ?? Number.NaN);
    };
    const deadline = Date.now() + 20_000;
    while (
      !point(latest('mxcp.reloads_total'), { status: 'success' }) ||
      !(value(latest('mxcp.endpoint.requests_total'), { endpoint: 'echo' }) >= 2)
    ) {
      if (Date.now() > deadline) throw new Error(`metrics received: ${JSON.stringify(otlp.metrics.at(-1)).slice(0, 1500)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(value(latest('mxcp.endpoint.requests_total'), { endpoint: 'echo', type: 'tool', status: 'success', caller: 'http' })).toBe(2);
    expect(value(latest('mxcp.endpoint.requests_total'), { endpoint: 'broken_sql', status: 'error' })).toBe(1);
    expect(point(latest('mxcp.endpoint.errors_total'), { endpoint: 'broken_sql', caller: 'http' })).toBeDefined();
    expect(value(latest('mxcp.up'), { project: 'serve-demo', profile: 'dev', transport: 'streamable-http' })).toBe(1);
    expect(value(latest('mxcp.endpoint.concurrent_executions'), { endpoint: 'echo' })).toBe(0);
    const hist = latest('mxcp.endpoint.duration')?.histogram?.dataPoints.find((d) =>
      d.attributes.some((a) => a.value.stringValue === 'echo'),
    );
    expect(Number(hist?.count)).toBe(2);
    expect(otlp.metricHeaders.at(-1)?.['x-collector-key']).toBe('k1');
  });
});
