/**
 * Requests that talk back and requests that are called off: `notifications/progress` and
 * `notifications/message` from TypeScript endpoints on an SSE response, `notifications/cancelled` and a
 * closed response stream aborting the call.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { TempProject } from './support/project.js';
import { type Daemon, serveProject, startDaemon } from './support/serve-daemon.js';

let project: TempProject | undefined;
let daemon: Daemon | undefined;

afterEach(async () => {
  await daemon?.stop();
  daemon = undefined;
  project?.remove();
  project = undefined;
});

async function connect(d: Daemon): Promise<Client> {
  const client = new Client({ name: 'spec', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${d.base}/mcp`)));
  return client;
}

describe('progress and log messages', () => {
  it('delivers them before the result, honouring logging/setLevel', async () => {
    project = serveProject();
    daemon = await startDaemon(project);
    const client = await connect(daemon);
    const logs: unknown[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      logs.push(n.params);
    });
    const progress: { progress: number; total?: number; message?: string }[] = [];
    const result = await client.callTool({ name: 'notify', arguments: { steps: 3 } }, undefined, { onprogress: (p) => progress.push(p) });
    expect(result.structuredContent).toEqual({ result: 'done after 3 steps' });
    expect(progress).toEqual([
      { progress: 1, total: 3, message: 'step 1' },
      { progress: 2, total: 3, message: 'step 2' },
      { progress: 3, total: 3, message: 'step 3' },
    ]);
    expect(logs).toEqual([
      { level: 'info', logger: 'notify', data: { message: 'starting', data: { steps: 3 } } },
      { level: 'debug', logger: 'notify', data: 'finished' },
    ]);

    await client.setLoggingLevel('info');
    logs.length = 0;
    await client.callTool({ name: 'notify', arguments: { steps: 1 } });
    expect(logs).toEqual([{ level: 'info', logger: 'notify', data: { message: 'starting', data: { steps: 1 } } }]);
    await client.close();
  });
});

describe('cancellation', () => {
  it('notifications/cancelled aborts the running call', async () => {
    project = serveProject();
    daemon = await startDaemon(project);
    const client = await connect(daemon);
    const controller = new AbortController();
    const call = client.callTool({ name: 'wait_for_cancel', arguments: {} }, undefined, { signal: controller.signal, timeout: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    controller.abort('changed my mind');
    await expect(call).rejects.toThrow();
    await client.close();
    // Nothing is left running: the drain on SIGTERM is immediate (the tool would run 20 s otherwise).
    const started = Date.now();
    expect(await daemon.stop()).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('closing a modern-era response stream aborts the call', async () => {
    project = serveProject();
    daemon = await startDaemon(project);
    const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
    const controller = new AbortController();
    const pending = fetch(`${daemon.base}/mcp`, {
      method: 'POST',
      signal: controller.signal,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': 'wait_for_cancel',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'wait_for_cancel', arguments: {}, _meta: meta },
      }),
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    controller.abort();
    await expect(pending).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    expect(await daemon.stop()).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
