/**
 * The dispatcher in process, on a real generation of the serve fixture project: pagination, catalog
 * reuse across requests, URI template matching, per-era method tables and cancellation through the
 * session — the parts that are awkward to reach through a socket.
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../daemon/config/project.js';
import { buildGeneration } from '../daemon/generation/build-generation.js';
import type { Generation } from '../daemon/generation/generation.js';
import { createLogger } from '../daemon/logging/logger.js';
import { compileUriTemplate } from '../daemon/mcp/catalog/uri-template.js';
import { McpDispatcher } from '../daemon/mcp/dispatcher.js';
import type { JsonRpcRequest, OutgoingNotification } from '../daemon/mcp/jsonrpc.js';
import type { RequestEnvelope } from '../daemon/mcp/method-call.js';
import { McpSession } from '../daemon/mcp/session.js';
import { serveStdio } from '../daemon/transports/stdio.js';
import type { TempProject } from './support/project.js';
import { serveProject } from './support/serve-daemon.js';

let project: TempProject;
let generation: Generation;
const logger = createLogger('silent');

beforeAll(async () => {
  project = serveProject({
    'resources/me.yml': 'mxcp: 1\nresource:\n  uri: "users://me"\n  source:\n    code: "SELECT \'me\' AS who"\n',
    'resources/dotted.yml':
      'mxcp: 1\nresource:\n  uri: "files://a.b/{name}"\n  parameters:\n    - name: name\n      type: string\n      description: the name\n  source:\n    code: "SELECT $name AS name"\n',
  });
  const config = await loadProject({ cwd: project.root, env: {}, home: project.home });
  generation = await buildGeneration({ id: 1, project: config, logger });
});

afterAll(async () => {
  await generation?.close('command');
  project?.remove();
});

function dispatcher(pageSize?: number): McpDispatcher {
  return new McpDispatcher({ holder: { current: () => generation }, logger, ...(pageSize ? { pageSize } : {}) });
}

function envelope(session = new McpSession(), sent: OutgoingNotification[] = []): RequestEnvelope {
  return { transport: 'stdio', session, notify: (m) => sent.push(m) };
}

async function call(d: McpDispatcher, method: string, params?: Record<string, unknown>, env = envelope()) {
  const req: JsonRpcRequest = { kind: 'request', id: 1, method, params };
  const reply = await d.handleRequest(req, env);
  return JSON.parse(reply.body) as { result?: Record<string, unknown>; error?: { code: number; message: string } };
}

describe('pagination', () => {
  it('pages through tools in name order with opaque cursors', async () => {
    const d = dispatcher(3);
    const names: string[] = [];
    let cursor: unknown;
    let pages = 0;
    do {
      const { result } = await call(d, 'tools/list', cursor === undefined ? {} : { cursor });
      names.push(...((result?.tools ?? []) as { name: string }[]).map((t) => t.name));
      cursor = result?.nextCursor;
      pages++;
    } while (cursor !== undefined);
    expect(pages).toBe(3);
    expect(names).toEqual(['broken_sql', 'echo', 'get_user', 'list_users', 'notify', 'slow', 'wait_for_cancel']);
  });

  it('refuses a cursor it did not issue with -32602', async () => {
    expect((await call(dispatcher(3), 'tools/list', { cursor: 'bm9wZQ' })).error?.code).toBe(-32602);
    expect((await call(dispatcher(3), 'tools/list', { cursor: 42 })).error?.code).toBe(-32602);
  });

  it('serves the same serialized page to every request of a generation', async () => {
    const d = dispatcher();
    const a = await d.handleRequest({ kind: 'request', id: 1, method: 'tools/list', params: undefined }, envelope());
    const b = await d.handleRequest({ kind: 'request', id: 2, method: 'tools/list', params: undefined }, envelope());
    expect(a.body.replace('"id":1', '')).toBe(b.body.replace('"id":2', ''));
  });

  it('leaves out outputSchema for a 2025-03-26 session', async () => {
    const session = new McpSession();
    session.protocolVersion = '2025-03-26';
    const { result } = await call(dispatcher(), 'tools/list', {}, envelope(session));
    expect(((result?.tools ?? []) as Record<string, unknown>[]).some((t) => 'outputSchema' in t)).toBe(false);
  });
});

describe('resources', () => {
  it('prefers a literal URI over a template, and escapes template literals', async () => {
    const d = dispatcher();
    const me = await call(d, 'resources/read', { uri: 'users://me' });
    expect(me.result?.contents).toEqual([{ uri: 'users://me', mimeType: 'text/plain', text: '[{"who":"me"}]' }]);
    expect((await call(d, 'resources/read', { uri: 'files://a.b/x%20y' })).result?.contents).toEqual([
      { uri: 'files://a.b/x%20y', mimeType: 'text/plain', text: '[{"name":"x y"}]' },
    ]);
    expect((await call(d, 'resources/read', { uri: 'files://aXb/x' })).error?.code).toBe(-32002);
  });

  it('matches templates segment-wise', () => {
    const match = compileUriTemplate('db://{schema}/tables/{table}');
    expect(match('db://main/tables/users')).toEqual({ schema: 'main', table: 'users' });
    expect(match('db://main/x/tables/users')).toBeUndefined();
  });
});

describe('eras and sessions', () => {
  it('answers ping in the legacy era; a _meta-declared modern request has no ping', async () => {
    const d = dispatcher();
    expect((await call(d, 'ping')).result).toEqual({});
    const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
    expect((await call(d, 'ping', { _meta: meta })).error?.code).toBe(-32601);
    expect((await call(d, 'server/discover', { _meta: meta })).result).toMatchObject({ resultType: 'complete' });
  });

  it('cancels a running call on notifications/cancelled; the reply is marked so stdio stays silent', async () => {
    const d = dispatcher();
    const session = new McpSession();
    const env = envelope(session);
    const running = d.handleRequest(
      { kind: 'request', id: 'c1', method: 'tools/call', params: { name: 'wait_for_cancel', arguments: {} } },
      env,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(session.inFlightCount).toBe(1);
    d.handleNotification({ kind: 'notification', method: 'notifications/cancelled', params: { requestId: 'c1', reason: 'spec' } }, env);
    const reply = await running;
    expect(reply.cancelled).toBe(true);
    expect(JSON.parse(reply.body)).toMatchObject({ id: 'c1', error: { code: -32800 } });
    expect(session.inFlightCount).toBe(0);
    expect(d.pending).toBe(0);
  });

  it('refuses new requests once shutting down, with a retryable error', async () => {
    const d = dispatcher();
    d.beginShutdown();
    const reply = await d.handleRequest({ kind: 'request', id: 1, method: 'ping', params: undefined }, envelope());
    expect(reply.status).toBe(503);
    expect(JSON.parse(reply.body)).toMatchObject({ error: { code: -32000 } });
  });

  it('holds a generation reference for exactly the length of a request', async () => {
    const d = dispatcher();
    const before = generation.inFlight;
    const pending = call(d, 'tools/call', { name: 'slow', arguments: { ms: 100 } });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(generation.inFlight).toBe(before + 1);
    await pending;
    expect(generation.inFlight).toBe(before);
  });
});

describe('list changed', () => {
  it('tells initialized sessions with a channel that their lists changed', async () => {
    const d = dispatcher();
    const input = new PassThrough();
    const output = new PassThrough();
    let written = '';
    output.setEncoding('utf8').on('data', (chunk: string) => {
      written += chunk;
    });
    const stdio = serveStdio({ dispatcher: d, logger, input, output });
    d.sessions.listChanged(); // not initialized yet: nothing
    input.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {} } })}\n`,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    d.sessions.listChanged(['tools']);
    const lines = written
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { id?: number; method?: string });
    expect(lines.map((l) => l.id ?? l.method)).toEqual([1, 'notifications/tools/list_changed']);
    stdio.close();
    expect(d.sessions.size).toBe(0);
  });
});
