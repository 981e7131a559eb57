/**
 * SIGTERM (transports/shutdown.ts): readiness goes 503, in-flight requests finish and are answered, the
 * process exits 0; a second signal exits at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TempProject } from './support/project.js';
import { type Daemon, post, serveProject, startDaemon } from './support/serve-daemon.js';

let project: TempProject | undefined;
let daemon: Daemon | undefined;

afterEach(async () => {
  await daemon?.stop('SIGKILL');
  daemon = undefined;
  project?.remove();
  project = undefined;
});

const slowCall = (ms: number) =>
  JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'slow', arguments: { ms } } });

describe('SIGTERM', () => {
  it('lets an in-flight call finish, answers it, and exits 0', async () => {
    project = serveProject();
    daemon = await startDaemon(project, ['--stateless']);
    const call = post(`${daemon.base}/mcp`, slowCall(1500), { 'mcp-protocol-version': '2025-11-25' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = daemon.stop('SIGTERM');
    const res = await call;
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ result: { structuredContent: { result: 'slept 1500 ms' } } });
    expect(await exited).toBe(0);
  });

  it('refuses new connections while draining', async () => {
    project = serveProject();
    daemon = await startDaemon(project, ['--stateless']);
    const call = post(`${daemon.base}/mcp`, slowCall(1500));
    await new Promise((resolve) => setTimeout(resolve, 300));
    daemon.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    // New connections are refused once the listener closes.
    await expect(fetch(`${daemon.base}/ready`)).rejects.toThrow();
    expect((await call).status).toBe(200);
    expect(await daemon.exited()).toBe(0);
  });

  it('exits at once on a second signal', async () => {
    project = serveProject();
    daemon = await startDaemon(project, ['--stateless']);
    void post(`${daemon.base}/mcp`, slowCall(10_000)).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    daemon.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    expect(await daemon.stop('SIGTERM')).toBe(143);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('--drain-timeout bounds the wait: a call longer than the deadline is cut and the exit is non-zero', async () => {
    project = serveProject();
    daemon = await startDaemon(project, ['--stateless', '--drain-timeout', '1s']);
    void post(`${daemon.base}/mcp`, slowCall(20_000), { 'mcp-protocol-version': '2025-11-25' }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const code = await daemon.stop('SIGTERM', 15_000);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull(); // exited by itself, not killed by the spec's 15 s fallback
    expect(daemon.stderr()).toContain('drain deadline reached; aborting requests still running');
  });

  it('--drain-timeout refuses a value that is not a duration (usage error, exit 2)', async () => {
    project = serveProject();
    const d = await startDaemon(project, ['--drain-timeout', 'soon'], { noWait: true });
    daemon = d;
    expect(await d.exited()).toBe(2);
    expect(d.stderr()).toContain("--drain-timeout must be a duration like 30s, 2m or 500ms (got 'soon')");
  });
});
