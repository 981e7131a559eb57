/**
 * `mxcp serve --transport stdio`: the SDK's stdio client end to end, nothing but JSON-RPC on stdout
 * (checklist 61), malformed lines answered, and EOF on stdin as a clean shutdown.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kBin } from './support/cli.js';
import type { TempProject } from './support/project.js';
import { serveProject, spawnServe, waitFor } from './support/serve-daemon.js';

let project: TempProject;

beforeAll(() => {
  project = serveProject();
});

afterAll(() => project?.remove());

describe('stdio with the SDK client', () => {
  it('initializes, lists, calls, reads and gets prompts', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [kBin, 'serve', '--transport', 'stdio', '--debug'],
      cwd: project.root,
      env: { ...(process.env as Record<string, string>), HOME: project.home },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'spec', version: '1.0.0' });
    await client.connect(transport);
    expect(client.getServerVersion()?.name).toBe('MXCP Server');
    expect((await client.listTools()).tools.length).toBe(7);
    const call = await client.callTool({ name: 'list_users', arguments: {} });
    expect((call.structuredContent as { result: unknown[] }).result).toHaveLength(3);
    expect((await client.readResource({ uri: 'users://1' })).contents[0]).toMatchObject({ mimeType: 'application/json' });
    expect((await client.getPrompt({ name: 'greet', arguments: { name: 'x' } })).messages).toHaveLength(3);
    await client.close();
  });
});

describe('stdout discipline', () => {
  it('writes only JSON-RPC lines to stdout, even with --debug, and exits 0 on EOF', async () => {
    const child = spawnServe(project, ['--transport', 'stdio', '--debug']);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const lines = [
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
      },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'notify', arguments: { steps: 2 }, _meta: { progressToken: 'p1' } } },
      { jsonrpc: '2.0', id: 3, method: 'nope' },
    ];
    child.stdin.write(`${lines.map((l) => JSON.stringify(l)).join('\n')}\nnot json\n`);
    // Let the calls finish before EOF; EOF drains anyway, this keeps the order of the lines checkable.
    await waitFor(() => stdout.includes('"id":2,"result"') && stdout.includes('"id":3'));
    child.stdin.end();
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    const out = stdout.trimEnd().split('\n');
    const messages = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const m of messages) expect(m.jsonrpc).toBe('2.0');
    expect(messages.find((m) => m.id === 1)).toMatchObject({ result: { protocolVersion: '2025-06-18' } });
    expect(messages.find((m) => m.id === 3)).toMatchObject({ error: { code: -32601 } });
    expect(messages.find((m) => m.id === null)).toMatchObject({ error: { code: -32700 } });
    const progress = messages.filter((m) => m.method === 'notifications/progress');
    expect(progress.map((p) => p.params)).toEqual([
      { progressToken: 'p1', progress: 1, total: 2, message: 'step 1' },
      { progressToken: 'p1', progress: 2, total: 2, message: 'step 2' },
    ]);
    const logs = messages.filter((m) => m.method === 'notifications/message');
    expect(logs.map((l) => (l.params as { level: string }).level)).toEqual(['info', 'debug']);
    expect(logs[0]?.params).toEqual({ level: 'info', logger: 'notify', data: { message: 'starting', data: { steps: 2 } } });
    // The notifications precede the response they belong to.
    const responseAt = messages.findIndex((m) => m.id === 2);
    expect(messages.findIndex((m) => m.method === 'notifications/progress')).toBeLessThan(responseAt);
    // pino writes debug logs, to stderr only.
    expect(stderr).toContain('"level":"debug"');
  });

  it('honours logging/setLevel', async () => {
    const child = spawnServe(project, ['--transport', 'stdio']);
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    const send = (m: object) => child.stdin.write(`${JSON.stringify(m)}\n`);
    send({ jsonrpc: '2.0', id: 1, method: 'logging/setLevel', params: { level: 'warning' } });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'notify', arguments: { steps: 1 } } });
    send({ jsonrpc: '2.0', id: 3, method: 'logging/setLevel', params: { level: 'loud' } });
    await waitFor(() => stdout.includes('"id":2,') && stdout.includes('"id":3,'));
    child.stdin.end();
    await new Promise((resolve) => child.once('exit', resolve));
    const messages = stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(messages.filter((m) => m.method === 'notifications/message')).toEqual([]);
    expect(messages.find((m) => m.id === 3)).toMatchObject({ error: { code: -32602 } });
  });
});
