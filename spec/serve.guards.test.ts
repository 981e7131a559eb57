/**
 * HTTP guards (DESIGN section 8): bound to loopback, only loopback Host and Origin values pass (the
 * conformance suite's DNS-rebinding scenario); probes are exempt; configured allow-lists apply when bound
 * elsewhere.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempProject } from './support/project.js';
import { type Daemon, serveProject, startDaemon } from './support/serve-daemon.js';

/** A raw request, so that the Host header is exactly what the test says (fetch would set its own). */
function send(port: number, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: body === undefined ? 'GET' : 'POST', headers }, (res) => {
      let data = '';
      res.setEncoding('utf8').on('data', (d: string) => {
        data += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const kInit = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
});
const kJson = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describe('bound to localhost (the default)', () => {
  let project: TempProject;
  let daemon: Daemon;
  beforeAll(async () => {
    project = serveProject();
    daemon = await startDaemon(project);
  });
  afterAll(async () => {
    await daemon?.stop();
    project?.remove();
  });

  it('accepts loopback Host and Origin values', async () => {
    for (const host of [`localhost:${daemon.port}`, `127.0.0.1:${daemon.port}`, `[::1]:${daemon.port}`]) {
      const res = await send(daemon.port, '/mcp', { ...kJson, host, origin: `http://${host}` }, kInit);
      expect(res.status, host).toBe(200);
    }
  });

  it('rejects a foreign Host with 403 (DNS rebinding)', async () => {
    const res = await send(daemon.port, '/mcp', { ...kJson, host: 'evil.example.com', origin: 'http://evil.example.com' }, kInit);
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({
      jsonrpc: '2.0',
      id: null,
      error: { message: expect.stringContaining('evil.example.com') },
    });
  });

  it('rejects a foreign Origin with 403 even with a loopback Host', async () => {
    const res = await send(daemon.port, '/mcp', { ...kJson, host: `localhost:${daemon.port}`, origin: 'https://evil.example.com' }, kInit);
    expect(res.status).toBe(403);
  });

  it('leaves /health and /ready open to any Host', async () => {
    const health = await send(daemon.port, '/health', { host: '10.1.2.3:8000' });
    expect(health).toEqual({ status: 200, body: '{"status":"ok"}' });
    expect((await send(daemon.port, '/ready', { host: '10.1.2.3:8000' })).status).toBe(200);
  });
});

describe('bound to 0.0.0.0 with configured allow-lists', () => {
  let project: TempProject;
  let daemon: Daemon;
  beforeAll(async () => {
    project = serveProject();
    project.write(
      '../home/.mxcp/config.yml',
      'mxcp: 1\ntransport:\n  http:\n    allowed_hosts: ["mcp.example.com"]\n    allowed_origins: ["https://app.example.com"]\n',
    );
    daemon = await startDaemon(project, ['--host', '0.0.0.0']);
  });
  afterAll(async () => {
    await daemon?.stop();
    project?.remove();
  });

  it('applies the lists', async () => {
    expect((await send(daemon.port, '/mcp', { ...kJson, host: 'mcp.example.com' }, kInit)).status).toBe(200);
    expect((await send(daemon.port, '/mcp', { ...kJson, host: 'other.example.com' }, kInit)).status).toBe(403);
    expect((await send(daemon.port, '/mcp', { ...kJson, host: 'mcp.example.com', origin: 'https://app.example.com' }, kInit)).status).toBe(
      200,
    );
    expect((await send(daemon.port, '/mcp', { ...kJson, host: 'mcp.example.com', origin: 'https://evil.example.com' }, kInit)).status).toBe(
      403,
    );
  });
});
