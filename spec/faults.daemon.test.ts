/**
 * Faults a running daemon must survive (issue 11; docs/reliability.md lists each with its result):
 * a SIGHUP storm under load, clients that disconnect mid-stream, a DuckDB file replaced or deleted under
 * the daemon, and the same file locked by a second daemon. In each, the daemon keeps serving what it can,
 * fails no request it accepted, and reports what it cannot do with a coded error.
 */
import { mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { TempProject } from './support/project.js';
import { type Daemon, post, serveProject, startDaemon } from './support/serve-daemon.js';

let project: TempProject | undefined;
const daemons: Daemon[] = [];
afterEach(async () => {
  for (const d of daemons.splice(0)) await d.stop('SIGKILL');
  project?.remove();
  project = undefined;
});

async function start(p: TempProject, args: string[] = ['--stateless']): Promise<Daemon> {
  const d = await startDaemon(p, args);
  daemons.push(d);
  return d;
}

const kHeaders = { 'mcp-protocol-version': '2025-11-25' };
const tool = (name: string, sql: string) => `mxcp: 1\ntool:\n  name: ${name}\n  return: {type: string}\n  source:\n    code: "${sql}"\n`;

async function call(d: Daemon, name: string, args: Record<string, unknown> = {}): Promise<{ value?: unknown; error?: string }> {
  const res = await post(
    `${d.base}/mcp`,
    JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
    kHeaders,
  );
  if (res.status !== 200) return { error: `HTTP ${res.status}: ${res.text}` };
  const body = res.json() as { result?: { isError?: boolean; structuredContent?: { result: unknown }; content?: { text: string }[] } };
  if (!body.result || body.result.isError) return { error: body.result?.content?.[0]?.text ?? JSON.stringify(body) };
  return { value: body.result.structuredContent?.result };
}

async function metric(d: Daemon, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${d.base}/metrics`)).text();
  return [...text.matchAll(new RegExp(pattern.source, 'gm'))].reduce((n, m) => n + Number(m[1]), 0);
}

/** Writes a DuckDB file holding `t(v)` with one row. */
async function dbFile(path: string, v: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  await conn.run(`CREATE OR REPLACE TABLE t AS SELECT '${v}' AS v`);
  conn.closeSync();
  instance.closeSync();
}

/**
 * A Vault KV v2 endpoint (the documented response shape) that can be told to answer, hang, or send garbage,
 * standing in for a real Vault, which cannot run here.
 */
async function flakyVault() {
  const state = { mode: 'ok' as 'ok' | 'hang' | 'garbage', requests: 0 };
  const server = createServer((_req, res) => {
    state.requests++;
    if (state.mode === 'hang') return; // never answers: the backend's timeout must end the wait
    if (state.mode === 'garbage') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"data": <html>');
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ data: { data: { token: 'vault-canary-1' }, metadata: { version: 1 } } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    state,
    url,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const kDbSite = 'mxcp: 1\nproject: faults\nprofile: dev\nprofiles:\n  dev:\n    duckdb:\n      path: data/db.duckdb\n';

describe('faults', () => {
  it('100 SIGHUPs in 10 s under load: no failed request, reloads coalesce, the last change wins, every call audited', {
    timeout: 120_000,
  }, async () => {
    project = serveProject({
      'tools/version.yml': tool('version', "SELECT 'v0' AS v"),
      'mxcp-site.yml':
        'mxcp: 1\nproject: serve-demo\nprofile: dev\nprofiles:\n  dev:\n    audit:\n      enabled: true\n      path: audit/storm.jsonl\n',
    });
    const d = await start(project);
    let stop = false;
    let calls = 0;
    const failures: string[] = [];
    const client = async () => {
      while (!stop) {
        const r: { value?: unknown; error?: string } = await call(d, 'version').catch((e: Error) => ({ error: e.message }));
        if (r.error || typeof r.value !== 'string') failures.push(r.error ?? `unexpected ${String(r.value)}`);
        calls++;
      }
    };
    const clients = [client(), client(), client(), client()];
    for (let i = 1; i <= 100; i++) {
      // Written aside and renamed into place: a reload must never read a half-written file (that reload would
      // rightly fail), as an editor's or a deploy's atomic save guarantees.
      if (i % 10 === 0) {
        project.write('tools/.version.yml.tmp', tool('version', `SELECT 'v${i}' AS v`));
        renameSync(project.path('tools/.version.yml.tmp'), project.path('tools/version.yml'));
      }
      d.child.kill('SIGHUP');
      await new Promise((r) => setTimeout(r, 100));
    }
    // The storm's last signal came after the last change, so the generation that settles serves v100.
    const deadline = Date.now() + 60_000;
    while ((await call(d, 'version')).value !== 'v100') {
      if (Date.now() > deadline) throw new Error('the last change never took effect');
      await new Promise((r) => setTimeout(r, 100));
    }
    stop = true;
    await Promise.all(clients);
    expect(failures.slice(0, 5)).toEqual([]);
    expect(calls).toBeGreaterThan(50);
    const reloads = await metric(d, /^mxcp_reloads_total\{result="success"\} (\d+)/);
    expect(reloads).toBeGreaterThan(0);
    expect(reloads).toBeLessThan(100); // signals that arrive during a reload coalesce into one more
    expect(await metric(d, /^mxcp_reloads_total\{result="failure"\} (\d+)/)).toBe(0);
    expect(d.child.exitCode).toBeNull();
    // Every completed call has its audit record, whichever generation ran it (the sink outlives them).
    expect(await d.stop('SIGTERM')).toBe(0);
    const audited = readFileSync(project.path('audit/storm.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"name":"version"') && l.includes('"status":"success"')).length;
    expect(audited).toBeGreaterThanOrEqual(calls + 1); // + the polls that waited for v100
  });

  it('50 clients that disconnect mid-stream leave nothing behind: no call stuck in flight, the daemon serves on', {
    timeout: 120_000,
  }, async () => {
    project = serveProject();
    const d = await start(project, []);
    for (let i = 0; i < 50; i++) {
      const client = new Client({ name: `quitter-${i}`, version: '1' });
      const transport = new StreamableHTTPClientTransport(new URL(`${d.base}/mcp`));
      await client.connect(transport);
      let progressed: () => void = () => {};
      const firstProgress = new Promise<void>((r) => {
        progressed = r;
      });
      // `notify` streams progress for a while; the client goes away after the first event.
      const pending = client
        .callTool({ name: 'notify', arguments: { steps: 20 } }, undefined, { onprogress: () => progressed() })
        .catch(() => 'gone');
      await firstProgress;
      await transport.close();
      await pending;
    }
    const deadline = Date.now() + 30_000;
    while ((await metric(d, /^mxcp_requests_in_flight (\d+)/)) !== 0) {
      if (Date.now() > deadline) throw new Error('calls of departed clients are still in flight');
      await new Promise((r) => setTimeout(r, 100));
    }
    const client = new Client({ name: 'after', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${d.base}/mcp`)));
    const r = await client.callTool({ name: 'echo', arguments: { text: 'still here' } });
    expect(r.isError).toBeFalsy();
    expect(JSON.stringify(r.content)).toContain('still here');
    await client.close();
  });

  it('a DuckDB file replaced on disk is served after SIGHUP; calls in between use the old one', { timeout: 60_000 }, async () => {
    project = serveProject({ 'mxcp-site.yml': kDbSite, 'tools/v.yml': tool('v', 'SELECT v FROM t') });
    await dbFile(project.path('data/db.duckdb'), 'old');
    const d = await start(project);
    expect(await call(d, 'v')).toEqual({ value: 'old' });
    await dbFile(project.path('data/next.duckdb'), 'new');
    renameSync(project.path('data/next.duckdb'), project.path('data/db.duckdb'));
    expect(await call(d, 'v')).toEqual({ value: 'old' }); // the open file is still the old inode
    d.child.kill('SIGHUP');
    const deadline = Date.now() + 30_000;
    while ((await call(d, 'v')).value !== 'new') {
      if (Date.now() > deadline) throw new Error('the replaced file was not picked up');
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  it('a DuckDB file deleted under the daemon: it serves on from the open file; the reload after says what is missing', {
    timeout: 60_000,
  }, async () => {
    project = serveProject({ 'mxcp-site.yml': kDbSite, 'tools/v.yml': tool('v', 'SELECT v FROM t') });
    await dbFile(project.path('data/db.duckdb'), 'kept');
    const d = await start(project);
    rmSync(project.path('data/db.duckdb'));
    rmSync(project.path('data/db.duckdb.wal'), { force: true });
    expect(await call(d, 'v')).toEqual({ value: 'kept' });
    d.child.kill('SIGHUP');
    // The next generation opens a fresh, empty file: the tool now fails with a coded error naming the
    // missing table, and every other tool keeps working.
    const deadline = Date.now() + 30_000;
    let r = await call(d, 'v');
    while (r.value === 'kept') {
      if (Date.now() > deadline) throw new Error('no reload happened');
      await new Promise((res) => setTimeout(res, 100));
      r = await call(d, 'v');
    }
    expect(r.error).toMatch(/Table with name t does not exist/);
    expect((await call(d, 'echo', { text: 'fine' })).error).toBeUndefined();
    expect(d.child.exitCode).toBeNull();
  });

  it('a second daemon on a DuckDB file the first one holds is refused with a coded lock error; the first serves on', {
    timeout: 60_000,
  }, async () => {
    project = serveProject({ 'mxcp-site.yml': kDbSite, 'tools/v.yml': tool('v', 'SELECT v FROM t') });
    await dbFile(project.path('data/db.duckdb'), 'first');
    const first = await start(project);
    const second = await startDaemon(project, ['--stateless'], { noWait: true });
    daemons.push(second);
    expect(await second.exited()).toBe(1);
    expect(second.stderr()).toMatch(/MXCP_E_DB_LOCKED/);
    expect(second.stderr()).not.toMatch(/^\s+at /m); // a coded message, not a stack trace
    expect(await call(first, 'v')).toEqual({ value: 'first' });
  });

  it('a secret backend that hangs or returns garbage during a reload fails that reload only; the old generation serves on', {
    timeout: 90_000,
  }, async () => {
    const vault = await flakyVault();
    try {
      project = serveProject({ 'tools/version.yml': tool('version', "SELECT 'v1' AS v") });
      project.write(
        '../home/.mxcp/config.yml',
        `mxcp: 1\nvault:\n  enabled: true\n  address: ${vault.url}\n  timeout: 1s\nprojects:\n  serve-demo:\n    profiles:\n      dev:\n        secrets:\n          - name: api\n            type: custom\n            parameters:\n              token: "vault://secret/app#token"\n`,
      );
      const d = await startDaemon(project, ['--stateless'], { env: { VAULT_TOKEN: 'root' } });
      daemons.push(d);
      expect(await call(d, 'version')).toEqual({ value: 'v1' });
      const ready = async () => (await (await fetch(`${d.base}/ready`)).json()) as { generation: number; last_reload?: { error?: string } };
      const generation = (await ready()).generation;
      for (const mode of ['hang', 'garbage'] as const) {
        vault.state.mode = mode;
        project.write('tools/version.yml', tool('version', `SELECT '${mode}' AS v`));
        const failuresBefore = await metric(d, /^mxcp_reloads_total\{result="failure"\} (\d+)/);
        d.child.kill('SIGHUP');
        const deadline = Date.now() + 30_000;
        while ((await metric(d, /^mxcp_reloads_total\{result="failure"\} (\d+)/)) === failuresBefore) {
          if (Date.now() > deadline) throw new Error(`a reload against a vault that does '${mode}' never ended`);
          expect(await call(d, 'version')).toEqual({ value: 'v1' }); // served by the old generation meanwhile
          await new Promise((r) => setTimeout(r, 100));
        }
        const now = await ready();
        expect(now.generation).toBe(generation);
        expect(now.last_reload?.error).toMatch(/MXCP_E_[A-Z_]+/);
        expect(now.last_reload?.error).not.toContain('vault-canary');
        expect(await call(d, 'version')).toEqual({ value: 'v1' });
      }
      // The backend recovers: the next reload goes through.
      vault.state.mode = 'ok';
      d.child.kill('SIGHUP');
      const deadline = Date.now() + 30_000;
      while ((await call(d, 'version')).value !== 'garbage') {
        if (Date.now() > deadline) throw new Error('no reload after the backend recovered');
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await vault.close();
    }
  });
});
