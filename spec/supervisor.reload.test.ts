/**
 * SIGHUP hot reload (daemon/supervisor/reload-controller.ts): generation N+1 is built beside N and swapped
 * in; endpoint definitions reload too; a broken config keeps N serving; requests never fail because of a
 * reload; SIGTERM right after SIGHUP still shuts down cleanly.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { TempProject } from './support/project.js';
import { type Daemon, post, serveProject, startDaemon, waitFor } from './support/serve-daemon.js';

let project: TempProject | undefined;
let daemon: Daemon | undefined;

afterEach(async () => {
  await daemon?.stop('SIGKILL');
  daemon = undefined;
  project?.remove();
  project = undefined;
});

const kHeaders = { 'mcp-protocol-version': '2025-11-25' };
const tool = (name: string, sql: string) => `mxcp: 1\ntool:\n  name: ${name}\n  return: {type: string}\n  source:\n    code: "${sql}"\n`;

async function rpc(d: Daemon, method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await post(`${d.base}/mcp`, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), kHeaders);
  expect(res.status).toBe(200);
  return res.json() as Record<string, unknown>;
}

async function callValue(d: Daemon, name: string): Promise<unknown> {
  const body = await rpc(d, 'tools/call', { name, arguments: {} });
  const result = body.result as { isError?: boolean; structuredContent?: { result: unknown } };
  if (result?.isError) throw new Error(`tool ${name} failed: ${JSON.stringify(body)}`);
  return result.structuredContent?.result;
}

async function toolNames(d: Daemon): Promise<string[]> {
  const body = await rpc(d, 'tools/list', {});
  return ((body.result as { tools: { name: string }[] }).tools ?? []).map((t) => t.name);
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('not reloaded in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('SIGHUP reload', () => {
  it('picks up a changed and an added endpoint', async () => {
    project = serveProject({ 'tools/version.yml': tool('version', "SELECT 'v1' AS v") });
    daemon = await startDaemon(project, ['--stateless']);
    expect(await callValue(daemon, 'version')).toBe('v1');
    project.write('tools/version.yml', tool('version', "SELECT 'v2' AS v"));
    project.write('tools/added.yml', tool('added', "SELECT 'new' AS v"));
    daemon.child.kill('SIGHUP');
    const d = daemon;
    await eventually(async () => (await toolNames(d)).includes('added'));
    expect(await callValue(d, 'version')).toBe('v2');
    expect(await callValue(d, 'added')).toBe('new');
  });

  it('a broken endpoint file keeps the old generation serving and the log names the file', async () => {
    project = serveProject({ 'tools/version.yml': tool('version', "SELECT 'v1' AS v") });
    daemon = await startDaemon(project, ['--stateless']);
    project.write('tools/version.yml', 'mxcp: 1\ntool:\n  name: version\n  source: [unclosed\n');
    daemon.child.kill('SIGHUP');
    const d = daemon;
    await waitFor(() => d.stderr().includes('reload failed'));
    expect(d.stderr()).toContain('tools/version.yml');
    expect(await callValue(d, 'version')).toBe('v1');
  });

  it('under continuous calls, five SIGHUPs with changing endpoints fail no request', async () => {
    project = serveProject({ 'tools/version.yml': tool('version', "SELECT 'v0' AS v") });
    daemon = await startDaemon(project, ['--stateless']);
    const d = daemon;
    let stop = false;
    let calls = 0;
    const failures: string[] = [];
    const client = async () => {
      while (!stop) {
        try {
          const v = await callValue(d, 'version');
          if (typeof v !== 'string' || !/^v\d$/.test(v)) failures.push(`unexpected ${String(v)}`);
          calls++;
        } catch (err) {
          failures.push(String(err));
        }
      }
    };
    const clients = [client(), client(), client()];
    for (let i = 1; i <= 5; i++) {
      project.write('tools/version.yml', tool('version', `SELECT 'v${i}' AS v`));
      d.child.kill('SIGHUP');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await eventually(async () => (await callValue(d, 'version')) === 'v5');
    stop = true;
    await Promise.all(clients);
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(20);
  });

  it('SIGTERM right after SIGHUP exits 0', async () => {
    project = serveProject();
    daemon = await startDaemon(project, ['--stateless']);
    daemon.child.kill('SIGHUP');
    expect(await daemon.stop('SIGTERM')).toBe(0);
  });

  it('--watch reloads on file changes without a signal; a burst of writes makes one reload', { timeout: 60_000 }, async () => {
    project = serveProject({ 'tools/version.yml': tool('version', "SELECT 'w0' AS v") });
    daemon = await startDaemon(project, ['--stateless', '--watch']);
    const d = daemon;
    expect(await callValue(d, 'version')).toBe('w0');
    const reloads = async () => {
      const text = await (await fetch(`${d.base}/metrics`)).text();
      return [...text.matchAll(/^mxcp_reloads_total\{result="\w+"\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
    };
    // Five writes within the 250 ms debounce window, then the tools appear after one reload.
    for (let i = 1; i <= 5; i++) project.write('tools/version.yml', tool('version', `SELECT 'w${i}' AS v`));
    project.write('tools/added.yml', tool('added', "SELECT 'watched' AS v"));
    await eventually(async () => (await toolNames(d)).includes('added'));
    expect(await callValue(d, 'version')).toBe('w5');
    await new Promise((r) => setTimeout(r, 600)); // let a second (wrong) reload show up if there were one
    expect(await reloads()).toBe(1);
  });

  it('reload.watch: true in the user config turns watching on', { timeout: 60_000 }, async () => {
    project = serveProject({ 'tools/version.yml': tool('version', "SELECT 'u0' AS v") });
    project.write('../home/.mxcp/config.yml', 'mxcp: 1\nreload:\n  watch: true\n  debounce: 100ms\n');
    daemon = await startDaemon(project, ['--stateless']);
    const d = daemon;
    project.write('tools/version.yml', tool('version', "SELECT 'u1' AS v"));
    await eventually(async () => (await callValue(d, 'version')) === 'u1');
  });

  it('logging.path: lines go to the file too; after logrotate moves it, SIGHUP reopens a new file at the path', {
    timeout: 60_000,
  }, async () => {
    project = serveProject();
    const logPath = project.path('logs/mxcp.log');
    project.write('../home/.mxcp/config.yml', `mxcp: 1\nlogging:\n  path: ${logPath}\n  level: info\n`);
    daemon = await startDaemon(project, ['--stateless']);
    const d = daemon;
    await eventually(async () => existsSync(logPath) && readFileSync(logPath, 'utf8').includes('"msg"'));
    renameSync(logPath, `${logPath}.1`); // logrotate's move
    d.child.kill('SIGHUP');
    await eventually(async () => existsSync(logPath) && readFileSync(logPath, 'utf8').includes('reload'));
    const rotated = readFileSync(`${logPath}.1`, 'utf8');
    const fresh = readFileSync(logPath, 'utf8');
    // Every line is whole JSON, in one file or the other; the reload's lines are in the new file.
    for (const line of `${rotated}${fresh}`.split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
    expect(fresh).toMatch(/"component":"reload"/);
    expect(rotated).not.toMatch(/"component":"reload"/);
  });

  it('20 SIGHUPs under continuous load, half with changed endpoints, some with a broken config: no failed request', {
    timeout: 180_000,
  }, async () => {
    project = serveProject({ 'tools/version.yml': tool('version', "SELECT 'r0' AS v") });
    daemon = await startDaemon(project, ['--stateless']);
    const d = daemon;
    const metric = async (result: string) =>
      Number(
        new RegExp(`^mxcp_reloads_total\\{result="${result}"\\} (\\d+)`, 'm').exec(await (await fetch(`${d.base}/metrics`)).text())?.[1] ??
          0,
      );
    let stop = false;
    let calls = 0;
    const failures: string[] = [];
    const client = async () => {
      while (!stop) {
        try {
          const v = await callValue(d, 'version');
          if (typeof v !== 'string' || !/^r\d+$/.test(v)) failures.push(`unexpected ${String(v)}`);
          calls++;
        } catch (err) {
          failures.push(String(err));
        }
      }
    };
    const clients = [client(), client(), client(), client()];
    let served = 'r0';
    for (let i = 1; i <= 20; i++) {
      const before = (await metric('success')) + (await metric('failure'));
      const broken = i % 5 === 0;
      if (broken) project.write('tools/version.yml', 'mxcp: 1\ntool:\n  name: version\n  source: [broken\n');
      else if (i % 2 === 0) project.write('tools/version.yml', tool('version', `SELECT 'r${i}' AS v`));
      d.child.kill('SIGHUP');
      const deadline = Date.now() + 30_000;
      while ((await metric('success')) + (await metric('failure')) === before) {
        if (Date.now() > deadline) throw new Error(`reload ${i} did not finish`);
        await new Promise((r) => setTimeout(r, 50));
      }
      if (!broken && i % 2 === 0) served = `r${i}`;
      // A broken config keeps the previous generation, a changed one takes effect.
      expect(await callValue(d, 'version')).toBe(served);
      if (broken) project.write('tools/version.yml', tool('version', `SELECT '${served}' AS v`));
    }
    stop = true;
    await Promise.all(clients);
    expect(failures.slice(0, 5)).toEqual([]);
    expect(calls).toBeGreaterThan(100);
    expect(await metric('failure')).toBe(4);
    expect(await metric('success')).toBe(16);
  });
});
