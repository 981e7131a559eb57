/**
 * A reload that changes nothing the TypeScript workers depend on keeps them (plugins/executor-js/shared-pools.ts):
 * module state survives, no worker starts, and calls made after the old generation closed still reach the
 * database through the new one. Changing an endpoint module starts fresh workers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TempProject } from './support/project.js';
import { type Daemon, post, serveProject, startDaemon } from './support/serve-daemon.js';

const kTool = `mxcp: 1
tool:
  name: identity
  description: Which module instance answers, and a database round trip.
  language: typescript
  return:
    type: object
  source:
    file: ../ts/identity.ts
`;
const kModule = (tag: string) => `import { db } from 'mxcp/sdk';
const loadedAt = '${tag}-' + Math.random().toString(36).slice(2);
export async function identity() {
  const rows = await db.execute('SELECT 42 AS answer');
  return { loadedAt, answer: rows[0].answer };
}
`;

let project: TempProject | undefined;
let daemon: Daemon | undefined;
afterEach(async () => {
  await daemon?.stop('SIGKILL');
  project?.remove();
  daemon = project = undefined;
});

async function identity(d: Daemon): Promise<{ loadedAt: string; answer: number }> {
  const r = await post(
    `${d.base}/mcp`,
    JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'identity', arguments: {} } }),
    {
      'mcp-protocol-version': '2025-11-25',
    },
  );
  return (r.json() as { result: { structuredContent: { loadedAt: string; answer: number } } }).result.structuredContent;
}

async function reloaded(d: Daemon, generation: number): Promise<void> {
  d.child.kill('SIGHUP');
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = (await (await fetch(`${d.base}/ready`)).json()) as { generation: number };
    if (ready.generation === generation) return;
    if (Date.now() > deadline) throw new Error(`generation ${generation} never served`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('TypeScript workers across reloads', () => {
  it('an unchanged reload keeps the workers and their module state; calls still reach the database; a changed module starts new ones', async () => {
    project = serveProject({ 'tools/identity.yml': kTool, 'ts/identity.ts': kModule('v1') });
    // One worker, so every call meets the same module instance.
    const config = project.write('config.yml', 'mxcp: 1\nplugins:\n  config:\n    executor-js:\n      threads: 1\n');
    daemon = await startDaemon(project, ['--stateless'], { env: { MXCP_CONFIG_PATH: config } });
    const first = await identity(daemon);
    expect(first).toMatchObject({ answer: 42 });
    expect(first.loadedAt).toMatch(/^v1-/);

    await reloaded(daemon, 2);
    await reloaded(daemon, 3); // generation 2 (and 1) closed by now: the pool is held by 3 alone
    const kept = await identity(daemon);
    expect(kept).toEqual(first);

    project.write('ts/identity.ts', kModule('v2'));
    await reloaded(daemon, 4);
    const fresh = await identity(daemon);
    expect(fresh.loadedAt).toMatch(/^v2-/);
    expect(fresh.answer).toBe(42);
  });
});
