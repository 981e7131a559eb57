/**
 * /metrics (Prometheus text) and /ready details: request counters and durations by endpoint and status,
 * reloads by result, the serving generation; a failed reload shows in /ready; both routes skip the
 * Host/Origin guard, as orchestrators probe by pod IP.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { writeUserConfig } from './support/coded.js';
import type { TempProject } from './support/project.js';
import { type Daemon, freePort, post, serveProject, startDaemon, waitFor } from './support/serve-daemon.js';

let project: TempProject | undefined;
let daemon: Daemon | undefined;

afterEach(async () => {
  await daemon?.stop('SIGKILL');
  daemon = undefined;
  project?.remove();
  project = undefined;
});

/** GET with an explicit Host header (fetch does not let a test forge it). */
function get(port: number, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const call = (name: string, args: Record<string, unknown>) =>
  JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } });

describe('metrics and readiness details', () => {
  it('counts calls by endpoint and status, and reports reloads and the generation', async () => {
    project = serveProject();
    daemon = await startDaemon(project, ['--stateless']);
    const h = { 'mcp-protocol-version': '2025-11-25' };
    await post(`${daemon.base}/mcp`, call('echo', { text: 'a' }), h);
    await post(`${daemon.base}/mcp`, call('echo', { text: 'b' }), h);
    await post(`${daemon.base}/mcp`, call('broken_sql', {}), h);

    project.write('tools/echo.yml', 'mxcp: 1\ntool:\n  name: echo\n  source: [broken\n');
    daemon.child.kill('SIGHUP');
    const d = daemon;
    await waitFor(() => d.stderr().includes('reload failed'));

    const metrics = await get(d.port, '/metrics', 'evil.example.com');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('mxcp_requests_total{type="tool",name="echo",status="success"} 2');
    expect(metrics.body).toContain('mxcp_requests_total{type="tool",name="broken_sql",status="error"} 1');
    expect(metrics.body).toContain('mxcp_request_duration_seconds_count{type="tool",name="echo"} 2');
    expect(metrics.body).toContain('mxcp_reloads_total{result="failure"} 1');
    expect(metrics.body).toMatch(/^mxcp_generation 1$/m);
    expect(metrics.body).toMatch(/^mxcp_requests_in_flight 0$/m);
    expect(metrics.body).toMatch(/^mxcp_sessions 0$/m); // stateless: no sessions

    const ready = await get(d.port, '/ready', '10.0.0.7:8000');
    expect(ready.status).toBe(200);
    const body = JSON.parse(ready.body) as { status: string; generation: number; last_reload?: { ok: boolean; error: string } };
    expect(body.status).toBe('ready');
    expect(body.generation).toBe(1);
    expect(body.last_reload?.ok).toBe(false);
    expect(body.last_reload?.error).toContain('tools/echo.yml');
  });
});

describe('pool and audit metrics', () => {
  it('report the TypeScript worker pool (threads, utilisation, queue) and the audit queue per sink', async () => {
    project = serveProject({
      'mxcp-site.yml':
        'mxcp: 1\nproject: serve-demo\nprofile: dev\nprofiles:\n  dev:\n    audit:\n      enabled: true\n      path: audit/m.jsonl\n',
    });
    daemon = await startDaemon(project, ['--stateless']);
    const h = { 'mcp-protocol-version': '2025-11-25' };
    await post(`${daemon.base}/mcp`, call('slow', { ms: 50 }), h);
    const body = (await get(daemon.port, '/metrics', '127.0.0.1')).body;
    expect(body).toMatch(/^mxcp_worker_pool_threads\{executor="typescript\/javascript"\} [1-9]\d*$/m);
    const utilization = Number(/^mxcp_worker_pool_utilization\{executor="typescript\/javascript"\} ([\d.e-]+)$/m.exec(body)?.[1]);
    expect(utilization).toBeGreaterThanOrEqual(0);
    expect(utilization).toBeLessThanOrEqual(1);
    expect(body).toMatch(/^mxcp_worker_pool_queued\{executor="typescript\/javascript"\} 0$/m);
    expect(body).toMatch(/^mxcp_audit_queue_depth\{sink="[^"]+"\} \d+$/m);
    expect(body).toMatch(/^mxcp_audit_records_dropped\{sink="[^"]+"\} 0$/m);
    expect(body).toMatch(/^mxcp_audit_write_errors\{sink="[^"]+"\} 0$/m);
  });
});

describe('transport.http.metrics_port', () => {
  it('moves /metrics to its own port; the MCP port no longer serves it', async () => {
    project = serveProject();
    const metricsPort = await freePort();
    writeUserConfig(project, `mxcp: 1\ntransport:\n  http:\n    metrics_port: ${metricsPort}\n`);
    daemon = await startDaemon(project, ['--stateless']);
    const d = daemon;
    const deadline = Date.now() + 10_000;
    let res: Response | undefined;
    while (!res) {
      res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).catch(() => undefined);
      if (!res && Date.now() > deadline) throw new Error('metrics port never answered');
      if (!res) await new Promise((r) => setTimeout(r, 50));
    }
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^mxcp_generation 1$/m);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/mcp`)).status).toBe(404);
    expect((await get(d.port, '/metrics', '127.0.0.1')).status).toBe(404);
  });
});

describe('mxcp_sessions', () => {
  it('counts legacy-era sessions as they open and close', async () => {
    project = serveProject();
    daemon = await startDaemon(project);
    const d = daemon;
    const sessions = async () => Number(/^mxcp_sessions (\d+)$/m.exec((await get(d.port, '/metrics', '127.0.0.1')).body)?.[1]);
    const open = async () => {
      const init = {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'm', version: '1' } },
      };
      return (await post(`${d.base}/mcp`, JSON.stringify(init))).headers.get('mcp-session-id') as string;
    };
    expect(await sessions()).toBe(0);
    const a = await open();
    await open();
    expect(await sessions()).toBe(2);
    await fetch(`${d.base}/mcp`, { method: 'DELETE', headers: { 'mcp-session-id': a, 'mcp-protocol-version': '2025-06-18' } });
    expect(await sessions()).toBe(1);
  });
});

describe("GET /tools/list (the guide's synthetic check)", () => {
  it('answers the tools/list result of the serving generation; a foreign Host is refused', async () => {
    project = serveProject();
    daemon = await startDaemon(project);
    const ok = await get(daemon.port, '/tools/list', `localhost:${daemon.port}`);
    expect(ok.status).toBe(200);
    const names = (JSON.parse(ok.body) as { tools: { name: string }[] }).tools.map((t) => t.name);
    expect(names).toContain('echo');
    const foreign = await get(daemon.port, '/tools/list', 'evil.example.com');
    expect(foreign.status).toBe(403);
  });
});
