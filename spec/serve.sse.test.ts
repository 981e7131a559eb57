/** `mxcp serve --transport sse`: the 2024-11-05 HTTP+SSE transport (`/sse` + `/messages/`) with the SDK's SSE client. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempProject } from './support/project.js';
import { type Daemon, post, serveProject, startDaemon } from './support/serve-daemon.js';

let project: TempProject;
let daemon: Daemon;

beforeAll(async () => {
  project = serveProject();
  daemon = await startDaemon(project, ['--transport', 'sse']);
});

afterAll(async () => {
  await daemon?.stop();
  project?.remove();
});

describe('SSE transport', () => {
  it('serves the SDK SSE client', async () => {
    const client = new Client({ name: 'spec', version: '1.0.0' });
    await client.connect(new SSEClientTransport(new URL(`${daemon.base}/sse`)));
    expect(client.getServerVersion()?.name).toBe('MXCP Server');
    const result = await client.callTool({ name: 'get_user', arguments: { id: 1 } });
    expect(result.structuredContent).toEqual({ id: 1, name: 'ann', role: 'admin' });
    const progress: number[] = [];
    const notified = await client.callTool({ name: 'notify', arguments: { steps: 2 } }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    });
    expect(notified.structuredContent).toEqual({ result: 'done after 2 steps' });
    expect(progress).toEqual([1, 2]);
    await client.close();
  });

  it('answers an unknown session with 404 and a missing one with 400; /mcp is not served', async () => {
    const ping = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
    expect((await post(`${daemon.base}/messages/?session_id=nope`, ping)).status).toBe(404);
    expect((await post(`${daemon.base}/messages/`, ping)).status).toBe(400);
    expect((await post(`${daemon.base}/mcp`, ping)).status).toBe(404);
  });
});
