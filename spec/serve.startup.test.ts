/**
 * `mxcp serve` startup (checklist 60, 62): refusal on invalid endpoints (human and JSON forms, exit 1),
 * `--ignore-errors`, the port flag, usage errors, and a port already taken.
 */
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import type { TempProject } from './support/project.js';
import { type Daemon, freePort, post, serveProject, startDaemon } from './support/serve-daemon.js';

const kBroken =
  'mxcp: 1\ntool:\n  name: broken\n  description: invalid\n  parameters:\n    - name: x\n      type: strnig\n  source:\n    code: "SELECT 1"\n';

let project: TempProject | undefined;
let daemon: Daemon | undefined;

afterEach(async () => {
  await daemon?.stop();
  daemon = undefined;
  project?.remove();
  project = undefined;
});

describe('invalid endpoints', () => {
  it('refuses to start, naming each invalid endpoint (exit 1)', async () => {
    project = serveProject({ 'tools/broken.yml': kBroken });
    const res = await runCli(['serve', '--port', String(await freePort())], { cwd: project.root, home: project.home });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('Server startup failed! Found 1 endpoint(s) with errors');
    expect(res.stderr).toContain('tools/broken.yml');
    expect(res.stdout).toBe('');
  });

  it('prints the JSON document with --json-output', async () => {
    project = serveProject({ 'tools/broken.yml': kBroken });
    const res = await runCli(['serve', '--json-output', '--port', String(await freePort())], { cwd: project.root, home: project.home });
    expect(res.code).toBe(1);
    const doc = res.json<{ status: string; message: string; failed_endpoints: { path: string; error: string }[] }>();
    expect(doc.status).toBe('error');
    expect(doc.message).toBe('Found 1 endpoint(s) with errors');
    expect(doc.failed_endpoints).toHaveLength(1);
    expect(doc.failed_endpoints[0]?.path).toMatch(/tools\/broken\.yml$/);
    expect(doc.failed_endpoints[0]?.error).toContain('strnig');
  });

  it('starts with --ignore-errors and serves the valid endpoints', async () => {
    project = serveProject({ 'tools/broken.yml': kBroken });
    daemon = await startDaemon(project, ['--ignore-errors', '--stateless']);
    const res = await post(`${daemon.base}/mcp`, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }));
    const names = (res.json() as { result: { tools: { name: string }[] } }).result.tools.map((t) => t.name);
    expect(names).toContain('get_user');
    expect(names).not.toContain('broken');
    expect(daemon.stderr()).toContain('skipped endpoint');
  });
});

describe('flags', () => {
  it('listens on --port on localhost and announces it on stderr, not stdout', async () => {
    project = serveProject();
    daemon = await startDaemon(project);
    expect(daemon.stderr()).toContain(`Listening on http://localhost:${daemon.port}/mcp`);
    expect(daemon.stdout()).toBe('');
    const ready = await fetch(`http://localhost:${daemon.port}/ready`);
    expect(ready.status).toBe(200);
    // `localhost` is both loopback addresses, where the machine has IPv6.
    const hasIpv6Loopback = Object.values(networkInterfaces()).some((list) => list?.some((i) => i.address === '::1'));
    if (hasIpv6Loopback) expect((await fetch(`http://[::1]:${daemon.port}/health`)).status).toBe(200);
  });

  it('takes host and port defaults from the user config transport block', async () => {
    project = serveProject();
    const port = await freePort();
    project.write(
      '../home/.mxcp/config.yml',
      `mxcp: 1\ntransport:\n  provider: streamable-http\n  http:\n    port: ${port}\n    host: 127.0.0.1\n    stateless: true\n`,
    );
    const child = await runUntilHealthy(project, port);
    const res = await post(`http://127.0.0.1:${port}/mcp`, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }));
    expect(res.json()).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
    await child.stop();
  });

  it('rejects an unknown transport and a bad port as usage errors (exit 2)', async () => {
    project = serveProject();
    expect((await runCli(['serve', '--transport', 'carrier-pigeon'], { cwd: project.root, home: project.home })).code).toBe(2);
    expect((await runCli(['serve', '--port', 'eighty'], { cwd: project.root, home: project.home })).code).toBe(2);
  });

  it('fails with a coded error when the port is taken', async () => {
    project = serveProject();
    const blocker = createServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)),
    );
    const res = await runCli(['serve', '--host', '127.0.0.1', '--port', String(port)], { cwd: project.root, home: project.home });
    blocker.close();
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/Cannot listen on 127\.0\.0\.1:\d+: .*EADDRINUSE.*MXCP_E_MCP_LISTEN_FAILED/);
  });
});

/** A daemon whose port comes from the user config (startDaemon passes --port itself). */
async function runUntilHealthy(p: TempProject, port: number): Promise<Daemon> {
  const { spawnServe } = await import('./support/serve-daemon.js');
  const child = spawnServe(p, []);
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error('daemon did not start');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port,
    base: `http://127.0.0.1:${port}`,
    child,
    stdout: () => '',
    stderr: () => '',
    exited: () => new Promise((resolve) => child.once('exit', resolve)),
    stop: async () => {
      child.kill('SIGTERM');
      return new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
