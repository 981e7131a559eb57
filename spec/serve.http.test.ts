/**
 * `mxcp serve` over Streamable HTTP (stateful, legacy era), driven by the real MCP SDK client: the MCP
 * mapping of tools, resources and prompts (reference/mxcp-core.md sections 16.2-16.4, checklist 63-69,
 * 74) and the session lifecycle (DELETE, then 404).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempProject } from './support/project.js';
import { type Daemon, post, serveProject, startDaemon } from './support/serve-daemon.js';

let project: TempProject;
let daemon: Daemon;
let client: Client;
let transport: StreamableHTTPClientTransport;

beforeAll(async () => {
  project = serveProject();
  daemon = await startDaemon(project, ['--transport', 'http']);
  client = new Client({ name: 'spec', version: '1.0.0' });
  transport = new StreamableHTTPClientTransport(new URL(`${daemon.base}/mcp`));
  await client.connect(transport);
});

afterAll(async () => {
  await client?.close().catch(() => undefined);
  await daemon?.stop();
  project?.remove();
});

describe('initialize', () => {
  it('names the server MXCP Server and negotiates the newest legacy version', () => {
    expect(client.getServerVersion()?.name).toBe('MXCP Server');
    expect(transport.protocolVersion).toBe('2025-11-25');
    expect(transport.sessionId).toMatch(/^[\x21-\x7e]+$/);
    const caps = client.getServerCapabilities();
    expect(caps).toMatchObject({
      logging: {},
      tools: { listChanged: true },
      resources: { listChanged: true },
      prompts: { listChanged: true },
    });
  });
});

describe('tools', () => {
  it('lists every YAML tool by name, in name order, with description and set annotations only', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['broken_sql', 'echo', 'get_user', 'list_users', 'notify', 'slow', 'wait_for_cancel']);
    const lister = tools.find((t) => t.name === 'list_users');
    expect(lister?.description).toBe('Every user, in id order.');
    expect(lister?.annotations).toEqual({ title: 'User lister', readOnlyHint: true });
    expect(tools.find((t) => t.name === 'echo')?.annotations).toBeUndefined();
  });

  it('gives clean JSON Schema inputs, with enum, default and description kept', async () => {
    const { tools } = await client.listTools();
    const echo = tools.find((t) => t.name === 'echo');
    expect(echo?.inputSchema).toEqual({
      type: 'object',
      properties: {
        text: { type: 'string', description: 'What to echo' },
        mode: { type: 'string', enum: ['plain', 'shout'], default: 'plain', description: 'How to echo' },
      },
      required: ['text'],
      additionalProperties: false,
    });
  });

  it('wraps a non-object return in a required result property (checklist 65)', async () => {
    const { tools } = await client.listTools();
    const schema = tools.find((t) => t.name === 'list_users')?.outputSchema;
    expect(schema).toMatchObject({ type: 'object', required: ['result'], properties: { result: { type: ['array', 'null'] } } });
    const result = await client.callTool({ name: 'list_users', arguments: {} });
    expect(result.isError).toBe(false);
    expect(result.structuredContent).toEqual({
      result: [
        { id: 1, name: 'ann', role: 'admin' },
        { id: 2, name: 'bob', role: 'user' },
        { id: 3, name: 'cy', role: 'user' },
      ],
    });
    // One text block per row, each a JSON object (checklist 68).
    const content = result.content as { type: string; text: string }[];
    expect(content).toHaveLength(3);
    expect(content.map((c) => JSON.parse(c.text))).toEqual((result.structuredContent as { result: unknown[] }).result);
  });

  it('returns an object result as the structured content itself (checklist 66)', async () => {
    const result = await client.callTool({ name: 'get_user', arguments: { id: 2 } });
    expect(result.structuredContent).toEqual({ id: 2, name: 'bob', role: 'user' });
    expect(result.content).toEqual([{ type: 'text', text: JSON.stringify({ id: 2, name: 'bob', role: 'user' }) }]);
  });

  it('has no outputSchema and no structuredContent without a return type (checklist 67)', async () => {
    const { tools } = await client.listTools();
    expect(tools.find((t) => t.name === 'echo')?.outputSchema).toBeUndefined();
    const result = await client.callTool({ name: 'echo', arguments: { text: 'hi', mode: 'shout' } });
    expect(result.structuredContent).toBeUndefined();
    expect(result.content).toEqual([{ type: 'text', text: JSON.stringify({ echoed: 'HI' }) }]);
  });

  it('reports a failing tool as isError with MXCP text (checklist 69)', async () => {
    const result = await client.callTool({ name: 'broken_sql', arguments: {} });
    expect(result.isError).toBe(true);
    const text = (result.content as { text: string }[])[0]?.text ?? '';
    expect(text).toMatch(/^Error executing tool broken_sql: Failed to execute SQL: .*no_such_table/);
  });

  it('reports invalid arguments as a tool result, not a JSON-RPC error', async () => {
    const result = await client.callTool({ name: 'get_user', arguments: { id: 500 } });
    expect(result.isError).toBe(true);
    expect((result.content as { text: string }[])[0]?.text).toMatch(/^Error executing tool get_user: Error validating parameter 'id'/);
    const missing = await client.callTool({ name: 'get_user', arguments: {} });
    expect((missing.content as { text: string }[])[0]?.text).toBe('Error executing tool get_user: Required parameter missing: id');
  });

  it('reports an unknown tool as isError "Unknown tool: <name>"', async () => {
    const result = await client.callTool({ name: 'nope', arguments: {} });
    expect(result).toMatchObject({ isError: true, content: [{ type: 'text', text: 'Unknown tool: nope' }] });
  });
});

describe('resources', () => {
  it('lists placeholder-free URIs as resources and the rest as templates (checklist 74)', async () => {
    const { resources } = await client.listResources();
    expect(resources).toEqual([
      { uri: 'docs://readme', name: 'docs://readme', description: 'The project readme (plain text).', mimeType: 'text/plain' },
    ]);
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates).toEqual([
      { uriTemplate: 'users://{id}', name: 'user', description: 'One user as JSON.', mimeType: 'application/json' },
    ]);
  });

  it('reads a template URI: captured values are typed by the parameters', async () => {
    const { contents } = await client.readResource({ uri: 'users://3' });
    expect(contents).toEqual([{ uri: 'users://3', mimeType: 'application/json', text: JSON.stringify({ id: 3, name: 'cy' }) }]);
  });

  it('reads a plain resource as raw text with the default mime type', async () => {
    const { contents } = await client.readResource({ uri: 'docs://readme' });
    expect(contents).toEqual([{ uri: 'docs://readme', mimeType: 'text/plain', text: 'Read me first.' }]);
  });

  it('answers an unknown URI and a bad captured value with JSON-RPC errors', async () => {
    await expect(client.readResource({ uri: 'nothing://here' })).rejects.toMatchObject({ code: -32002 });
    await expect(client.readResource({ uri: 'users://abc' })).rejects.toMatchObject({ code: -32602 });
  });
});

describe('prompts', () => {
  it('lists arguments with required = no default', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts).toEqual([
      {
        name: 'greet',
        description: 'Greets someone.',
        arguments: [
          { name: 'name', description: 'Whom to greet', required: true },
          { name: 'tone', description: 'The tone', required: false },
        ],
      },
    ]);
  });

  it('renders MCP messages: assistant stays assistant, every other role is user', async () => {
    const result = await client.getPrompt({ name: 'greet', arguments: { name: 'Dana' } });
    expect(result).toEqual({
      description: 'Greets someone.',
      messages: [
        { role: 'user', content: { type: 'text', text: 'You are a warm greeter.' } },
        { role: 'assistant', content: { type: 'text', text: 'Ready.' } },
        { role: 'user', content: { type: 'text', text: 'Greet Dana.' } },
      ],
    });
  });

  it('answers a missing argument and an unknown prompt with -32602', async () => {
    await expect(client.getPrompt({ name: 'greet', arguments: {} })).rejects.toMatchObject({ code: -32602 });
    await expect(client.getPrompt({ name: 'nope' })).rejects.toMatchObject({ code: -32602 });
  });
});

describe('protocol errors over HTTP', () => {
  const session = () => ({ 'mcp-session-id': transport.sessionId as string, 'mcp-protocol-version': '2025-11-25' });

  it('answers malformed JSON with -32700 and HTTP 400', async () => {
    const res = await post(`${daemon.base}/mcp`, '{"jsonrpc":', session());
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
  });

  it('answers an unknown method with -32601', async () => {
    const res = await post(`${daemon.base}/mcp`, JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'no/such' }), session());
    expect(res.json()).toMatchObject({ id: 7, error: { code: -32601, message: 'Method not found: no/such' } });
  });

  it('refuses batches with -32600', async () => {
    const res = await post(`${daemon.base}/mcp`, JSON.stringify([{ jsonrpc: '2.0', id: 1, method: 'ping' }]), session());
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: -32600 } });
  });

  it('refuses a message without jsonrpc 2.0 with -32600, keeping its id', async () => {
    const res = await post(`${daemon.base}/mcp`, JSON.stringify({ id: 3, method: 'ping' }), session());
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ id: 3, error: { code: -32600 } });
  });

  it('refuses a body over the limit with 413 and a wrong content type with 415', async () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(5 * 1024 * 1024) } });
    expect((await post(`${daemon.base}/mcp`, big, session())).status).toBe(413);
    expect((await post(`${daemon.base}/mcp`, '{}', { ...session(), 'content-type': 'text/plain' })).status).toBe(415);
  });

  it('requires a session id (400) and rejects an unknown one (404)', async () => {
    const ping = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
    expect((await post(`${daemon.base}/mcp`, ping)).status).toBe(400);
    expect((await post(`${daemon.base}/mcp`, ping, { 'mcp-session-id': 'unknown' })).status).toBe(404);
  });

  it('answers notifications with 202', async () => {
    const res = await post(`${daemon.base}/mcp`, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/roots/list_changed' }), session());
    expect(res.status).toBe(202);
    expect(res.text).toBe('');
  });

  it('answers GET without a session with 400 and unknown paths with 404', async () => {
    expect((await fetch(`${daemon.base}/mcp`, { headers: { accept: 'text/event-stream' } })).status).toBe(400);
    expect((await fetch(`${daemon.base}/elsewhere`)).status).toBe(404);
  });
});

describe('session lifecycle', () => {
  it('ends a session on DELETE; the id then gets 404', async () => {
    const other = new Client({ name: 'spec-2', version: '1.0.0' });
    const t = new StreamableHTTPClientTransport(new URL(`${daemon.base}/mcp`));
    await other.connect(t);
    const sid = t.sessionId as string;
    await other.ping();
    await t.terminateSession();
    const res = await post(`${daemon.base}/mcp`, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }), { 'mcp-session-id': sid });
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: -32001 } });
    await other.close();
  });
});
