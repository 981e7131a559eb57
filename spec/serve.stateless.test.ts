/**
 * `mxcp serve --stateless` and the 2026-07-28 era on the same endpoint: legacy requests without a prior
 * initialize (DESIGN section 8), `server/discover`, per-request `_meta`, header validation (-32020),
 * unsupported versions (-32022), removed methods (404 + -32601), caching hints (reference/mcp-spec-
 * checklists.md section 6.4).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempProject } from './support/project.js';
import { type Daemon, post, serveProject, startDaemon } from './support/serve-daemon.js';

const kModern = '2026-07-28';
const kMeta = {
  'io.modelcontextprotocol/protocolVersion': kModern,
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'spec', version: '1' },
};

let project: TempProject;
let daemon: Daemon;
let url: string;

beforeAll(async () => {
  project = serveProject();
  daemon = await startDaemon(project, ['--stateless']);
  url = `${daemon.base}/mcp`;
});

afterAll(async () => {
  await daemon?.stop();
  project?.remove();
});

/** A modern-era request with the headers SEP-2243 requires. */
function modern(method: string, params: Record<string, unknown> = {}, id: number | string = 1, headers: Record<string, string> = {}) {
  const name = typeof params.name === 'string' ? params.name : typeof params.uri === 'string' ? params.uri : undefined;
  return post(url, JSON.stringify({ jsonrpc: '2.0', id, method, params: { _meta: kMeta, ...params } }), {
    'mcp-protocol-version': kModern,
    'mcp-method': method,
    ...(name === undefined ? {} : { 'mcp-name': name }),
    ...headers,
  });
}

describe('stateless legacy era', () => {
  it('serves the SDK client without minting a session', async () => {
    const client = new Client({ name: 'spec', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(url));
    await client.connect(transport);
    expect(transport.sessionId).toBeUndefined();
    const result = await client.callTool({ name: 'get_user', arguments: { id: 1 } });
    expect(result.structuredContent).toEqual({ id: 1, name: 'ann', role: 'admin' });
    await client.close();
  });

  it('answers a legacy request that had no initialize', async () => {
    const res = await post(
      url,
      JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'echo', arguments: { text: 'x' } } }),
      {
        'mcp-protocol-version': '2025-06-18',
      },
    );
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ jsonrpc: '2.0', id: 9, result: { content: [{ type: 'text', text: '{"echoed":"x"}' }], isError: false } });
  });

  it('assumes 2025-03-26 without a version header: no structured output', async () => {
    const res = await post(
      url,
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_user', arguments: { id: 1 } } }),
    );
    const body = res.json() as { result: Record<string, unknown> };
    expect(body.result.structuredContent).toBeUndefined();
    expect(body.result.content).toHaveLength(1);
  });

  it('answers GET and DELETE with 405', async () => {
    expect((await fetch(url, { headers: { accept: 'text/event-stream' } })).status).toBe(405);
    expect((await fetch(url, { method: 'DELETE' })).status).toBe(405);
  });
});

describe('2026-07-28 era', () => {
  it('implements server/discover with versions, capabilities and serverInfo in _meta', async () => {
    const res = await modern('server/discover');
    expect(res.status).toBe(200);
    const { result } = res.json() as { result: Record<string, unknown> };
    expect(result.supportedVersions).toEqual([kModern, '2025-11-25', '2025-06-18', '2025-03-26']);
    expect(result.capabilities).toMatchObject({ tools: {}, resources: {}, prompts: {}, logging: {} });
    expect(result).toMatchObject({
      resultType: 'complete',
      cacheScope: 'public',
      _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'MXCP Server' } },
    });
    expect(typeof result.ttlMs).toBe('number');
  });

  it('puts resultType, ttlMs and cacheScope on list and read results', async () => {
    for (const method of ['tools/list', 'resources/list', 'resources/templates/list', 'prompts/list']) {
      const { result } = (await modern(method)).json() as { result: Record<string, unknown> };
      expect(result, method).toMatchObject({ resultType: 'complete', ttlMs: 0, cacheScope: 'public' });
    }
    const read = (await modern('resources/read', { uri: 'users://1' })).json() as { result: Record<string, unknown> };
    expect(read.result).toMatchObject({ resultType: 'complete', ttlMs: 0, cacheScope: 'private', contents: [{ uri: 'users://1' }] });
  });

  it('calls a tool with resultType and structured content, ignoring Mcp-Session-Id', async () => {
    const res = await modern('tools/call', { name: 'get_user', arguments: { id: 3 } }, 5, { 'mcp-session-id': 'whatever' });
    expect(res.status).toBe(200);
    expect(res.headers.get('mcp-session-id')).toBeNull();
    expect(res.json()).toMatchObject({
      id: 5,
      result: { resultType: 'complete', structuredContent: { id: 3, name: 'cy', role: 'user' }, isError: false },
    });
  });

  it('rejects missing _meta fields with -32602 and HTTP 400, but serves without clientInfo', async () => {
    const bare = await post(url, JSON.stringify({ jsonrpc: '2.0', id: 101, method: 'server/discover', params: {} }), {
      'mcp-protocol-version': kModern,
      'mcp-method': 'server/discover',
    });
    expect(bare.status).toBe(400);
    expect(bare.json()).toMatchObject({ id: 101, error: { code: -32602 } });
    const noCaps = await modern('server/discover', { _meta: { 'io.modelcontextprotocol/protocolVersion': kModern } }, 104);
    expect(noCaps.status).toBe(400);
    expect(noCaps.json()).toMatchObject({ id: 104, error: { code: -32602 } });
    const noInfo = await modern('server/discover', {
      _meta: { 'io.modelcontextprotocol/protocolVersion': kModern, 'io.modelcontextprotocol/clientCapabilities': {} },
    });
    expect(noInfo.status).toBe(200);
  });

  it('answers an unsupported version with -32022 listing the supported ones', async () => {
    const res = await modern('server/discover', { _meta: { ...kMeta, 'io.modelcontextprotocol/protocolVersion': 'v999.0.0' } }, 301, {
      'mcp-protocol-version': 'v999.0.0',
    });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({
      id: 301,
      error: { code: -32022, data: { requested: 'v999.0.0', supported: [kModern, '2025-11-25', '2025-06-18', '2025-03-26'] } },
    });
  });

  it('answers header/body disagreements with -32020 and HTTP 400', async () => {
    const version = await modern('server/discover', { _meta: { ...kMeta, 'io.modelcontextprotocol/protocolVersion': 'v999.0.0' } }, 302);
    expect(version.status).toBe(400);
    expect(version.json()).toMatchObject({ error: { code: -32020 } });
    const method = await modern('tools/list', {}, 1, { 'mcp-method': 'prompts/list' });
    expect(method.json()).toMatchObject({ error: { code: -32020 } });
    const noName = await post(
      url,
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { _meta: kMeta, name: 'echo', arguments: { text: 'a' } } }),
      {
        'mcp-protocol-version': kModern,
        'mcp-method': 'tools/call',
      },
    );
    expect(noName.status).toBe(400);
    expect(noName.json()).toMatchObject({ error: { code: -32020 } });
    const wrongName = await modern('tools/call', { name: 'echo', arguments: { text: 'a' } }, 1, { 'mcp-name': 'get_user' });
    expect(wrongName.json()).toMatchObject({ error: { code: -32020 } });
    const caseOfValue = await modern('tools/list', {}, 1, { 'mcp-method': 'TOOLS/LIST' });
    expect(caseOfValue.status).toBe(400);
  });

  it('accepts header names in any case, values with surrounding spaces, and Base64 names', async () => {
    const res = await post(
      url,
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'resources/read', params: { _meta: kMeta, uri: 'users://2' } }),
      {
        'MCP-PROTOCOL-VERSION': kModern,
        'MCP-METHOD': '  resources/read ',
        'Mcp-Name': `=?base64?${Buffer.from('users://2').toString('base64')}?=`,
      },
    );
    expect(res.status).toBe(200);
  });

  it('answers removed and unknown methods with HTTP 404 and -32601, keeping the id', async () => {
    for (const method of ['initialize', 'ping', 'logging/setLevel', 'resources/subscribe', 'unknown/method']) {
      const res = await modern(method, {}, 500);
      expect(res.status, method).toBe(404);
      expect(res.json(), method).toMatchObject({ id: 500, error: { code: -32601 } });
    }
  });

  it('answers GET and DELETE with 405', async () => {
    const headers = { 'mcp-protocol-version': kModern, accept: 'text/event-stream' };
    expect((await fetch(url, { headers })).status).toBe(405);
    expect((await fetch(url, { method: 'DELETE', headers })).status).toBe(405);
  });

  it('sends no log messages without _meta logLevel, and filtered ones with it', async () => {
    const quiet = await modern('tools/call', { name: 'notify', arguments: { steps: 1 } });
    expect(quiet.headers.get('content-type')).toContain('application/json');
    const loud = await modern('tools/call', {
      name: 'notify',
      arguments: { steps: 1 },
      _meta: { ...kMeta, 'io.modelcontextprotocol/logLevel': 'info' },
    });
    expect(loud.headers.get('content-type')).toContain('text/event-stream');
    const events = loud.text
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => JSON.parse(l.slice(6)) as { method?: string; params?: { level?: string }; result?: unknown });
    const logs = events.filter((e) => e.method === 'notifications/message');
    expect(logs.map((l) => l.params?.level)).toEqual(['info']); // the debug message is below the level
    expect(events.at(-1)?.result).toMatchObject({ resultType: 'complete', structuredContent: { result: 'done after 1 steps' } });
  });
});
