/**
 * The admin socket (MXCP_ADMIN_ENABLED, MXCP_ADMIN_SOCKET; reference/mxcp-ops.md section 5.4) of a real
 * daemon, spoken to over the unix socket as `curl --unix-socket` does: mode 0600, the endpoints and their
 * shapes, no secret in /config, a stale socket left by kill -9 replaced on restart, a live one refused.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { writeUserConfig } from './support/coded.js';
import type { TempProject } from './support/project.js';
import { type Daemon, post, serveProject, startDaemon } from './support/serve-daemon.js';

let project: TempProject | undefined;
const daemons: Daemon[] = [];
afterEach(async () => {
  for (const d of daemons.splice(0)) await d.stop('SIGKILL');
  project?.remove();
  project = undefined;
});

const kSecret = 'admin-canary-secret-9931';

/** One HTTP exchange over the unix socket. */
function admin(socket: string, method: string, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, method, path, headers: { host: 'localhost' } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => {
        text += d.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function start(p: TempProject, socket: string, extra: Record<string, string> = {}): Promise<Daemon> {
  const d = await startDaemon(p, ['--stateless'], { env: { MXCP_ADMIN_ENABLED: '1', MXCP_ADMIN_SOCKET: socket, ...extra } });
  daemons.push(d);
  return d;
}

const kAuditSite =
  'mxcp: 1\nproject: serve-demo\nprofile: dev\nprofiles:\n  dev:\n    audit:\n      enabled: true\n      path: audit/admin.jsonl\n';

describe('admin socket', () => {
  it('serves health, status with reload history, reload, config without secrets, endpoints and audit, on a 0600 socket', {
    timeout: 60_000,
  }, async () => {
    project = serveProject({ 'mxcp-site.yml': kAuditSite });
    writeUserConfig(
      project,
      `mxcp: 1\nprojects:\n  serve-demo:\n    profiles:\n      dev:\n        secrets:\n          - name: api\n            type: custom\n            parameters:\n              token: ${kSecret}\n`,
    );
    const socket = project.path('run/mxcp.sock');
    const d = await start(project, socket);
    expect(statSync(socket).isSocket()).toBe(true);
    expect(statSync(socket).mode & 0o777).toBe(0o600);

    expect((await admin(socket, 'GET', '/health')).body).toMatchObject({ status: 'ok' });
    const status = (await admin(socket, 'GET', '/status')).body;
    expect(status).toMatchObject({
      status: 'ok',
      pid: d.child.pid,
      profile: 'dev',
      mode: 'readwrite',
      generation: 1,
      admin_socket: { path: socket },
    });
    expect(status.reload).toMatchObject({ in_progress: false, draining: false, last_reload: null });

    const reload = await admin(socket, 'POST', '/reload');
    expect(reload.body).toMatchObject({ status: 'reload_initiated', reload_request_id: expect.any(String) });
    const deadline = Date.now() + 30_000;
    let after = (await admin(socket, 'GET', '/status')).body;
    while ((after.reload as { last_reload_status: string | null }).last_reload_status === null) {
      if (Date.now() > deadline) throw new Error('reload never reported');
      await new Promise((r) => setTimeout(r, 100));
      after = (await admin(socket, 'GET', '/status')).body;
    }
    expect(after).toMatchObject({
      generation: 2,
      reload: { last_reload_status: 'success', history: [expect.objectContaining({ ok: true, reason: 'admin socket', generation: 2 })] },
    });

    const config = await admin(socket, 'GET', '/config');
    expect(config.body).toMatchObject({
      status: 'ok',
      project: 'serve-demo',
      profile: 'dev',
      repository_path: project.root,
      features: { audit_logging: true },
    });
    expect(JSON.stringify(config.body)).not.toContain(kSecret);

    const endpoints = (await admin(socket, 'GET', '/endpoints')).body.endpoints as { name: string; type: string; status: string }[];
    expect(endpoints).toContainEqual(expect.objectContaining({ name: 'echo', type: 'tool', status: 'ok', path: 'tools/echo.yml' }));

    for (const text of ['a', 'b']) {
      await post(
        `${d.base}/mcp`,
        JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text } } }),
        { 'mcp-protocol-version': '2025-11-25' },
      );
    }
    const query = (await admin(socket, 'GET', '/audit/query?operation_name=echo&limit=1')).body;
    expect(query.count).toBe(1);
    expect((query.records as { name: string; input: { text: string } }[])[0]).toMatchObject({ name: 'echo', input: { text: 'b' } });
    expect((await admin(socket, 'GET', '/audit/stats')).body).toMatchObject({
      total_records: 2,
      by_type: { tool: 2 },
      by_status: { success: 2 },
    });
    expect((await admin(socket, 'GET', '/nope')).status).toBe(404);

    // SIGTERM removes the socket file.
    expect(await d.stop('SIGTERM')).toBe(0);
    expect(existsSync(socket)).toBe(false);
  });

  it('kill -9 then restart: the stale socket and the DuckDB WAL are taken over, and the daemon serves', { timeout: 60_000 }, async () => {
    project = serveProject();
    const socket = project.path('run/mxcp.sock');
    const first = await start(project, socket);
    await post(
      `${first.base}/mcp`,
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'x' } } }),
      { 'mcp-protocol-version': '2025-11-25' },
    );
    first.child.kill('SIGKILL');
    await first.exited();
    expect(statSync(socket).isSocket()).toBe(true); // left behind
    const second = await start(project, socket);
    expect((await admin(socket, 'GET', '/status')).body.pid).toBe(second.child.pid);
    const r = await post(
      `${second.base}/mcp`,
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'again' } } }),
      { 'mcp-protocol-version': '2025-11-25' },
    );
    expect(r.text).toContain('again');
  });

  it('a socket another live process answers on is refused with a coded error; so is a path that is not a socket', {
    timeout: 60_000,
  }, async () => {
    project = serveProject();
    mkdirSync(project.path('run'));
    const socket = project.path('run/taken.sock');
    const holder = createServer(() => undefined);
    await new Promise<void>((r) => holder.listen(socket, r));
    try {
      const refused = await startDaemon(project, ['--stateless'], {
        env: { MXCP_ADMIN_ENABLED: '1', MXCP_ADMIN_SOCKET: socket },
        noWait: true,
      });
      daemons.push(refused);
      expect(await refused.exited()).toBe(1);
      expect(refused.stderr()).toContain(`Admin socket ${socket} is answered by another running daemon`);
      expect(refused.stderr()).toContain('MXCP_E_ADMIN_SOCKET_IN_USE');
    } finally {
      await new Promise<void>((r) => holder.close(() => r()));
    }
    const file = join(project.path('run'), 'file.sock');
    writeFileSync(file, 'not a socket');
    const notSocket = await startDaemon(project, ['--stateless'], {
      env: { MXCP_ADMIN_ENABLED: '1', MXCP_ADMIN_SOCKET: file },
      noWait: true,
    });
    daemons.push(notSocket);
    expect(await notSocket.exited()).toBe(1);
    expect(notSocket.stderr()).toContain('MXCP_E_ADMIN_SOCKET_NOT_SOCKET');
    expect(existsSync(file)).toBe(true);
  });

  it('curl --unix-socket works as the reference shows', { timeout: 60_000 }, async () => {
    project = serveProject();
    const socket = project.path('run/mxcp.sock');
    await start(project, socket);
    const out = await new Promise<string>((resolve, reject) => {
      const c = spawn('curl', ['-s', '--unix-socket', socket, 'http://localhost/health']);
      let text = '';
      c.stdout.on('data', (d: Buffer) => {
        text += d.toString();
      });
      c.on('error', reject);
      c.on('close', () => resolve(text));
    });
    expect(JSON.parse(out)).toMatchObject({ status: 'ok' });
  });

  it('DESIGN 8: run, query and test go through the daemon that holds the database; without a socket, the coded lock error', {
    timeout: 90_000,
  }, async () => {
    project = serveProject({
      'mxcp-site.yml': `${kAuditSite}    duckdb:\n      path: data/held.duckdb\n`,
      'tools/count_users.yml':
        'mxcp: 1\ntool:\n  name: count_users\n  return: {type: integer}\n  source:\n    code: "SELECT count(*) FROM held"\n  tests:\n    - name: two\n      arguments: []\n      result: 2\n',
    });
    const seed = await runCli(['query', 'CREATE TABLE held AS SELECT * FROM range(2)'], { cwd: project.root, home: project.home });
    expect(seed.code, seed.stderr).toBe(0);
    const socket = project.path('run/mxcp.sock');
    await start(project, socket);
    const env = { MXCP_ADMIN_SOCKET: socket };
    const run = await runCli(['run', 'tool', 'echo', '-p', 'text=via-daemon', '--json-output'], {
      cwd: project.root,
      home: project.home,
      env,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toEqual({ status: 'ok', result: [{ echoed: 'via-daemon' }] });
    const query = await runCli(['query', 'SELECT count(*) AS n FROM held', '--json-output'], {
      cwd: project.root,
      home: project.home,
      env,
    });
    expect(query.json()).toEqual({ status: 'ok', result: [{ n: 2 }] });
    const test = await runCli(['test', 'tool', 'count_users', '--json-output'], { cwd: project.root, home: project.home, env });
    expect(test.code, test.stdout).toBe(0);
    expect(test.json<{ result: { status: string; tests_run: number } }>().result).toMatchObject({ status: 'ok', tests_run: 1 });
    // An error in the daemon comes back coded, as if local.
    const missing = await runCli(['run', 'tool', 'nope', '--json-output'], { cwd: project.root, home: project.home, env });
    expect(missing.code).toBe(1);
    expect(missing.json<{ code: string }>().code).toBe('MXCP_E_ENDPOINT_NOT_FOUND');
    // The audit record of the socket call says caller admin.
    const record = readFileSync(project.path('audit/admin.jsonl'), 'utf8')
      .split('\n')
      .find((l) => l.includes('via-daemon'));
    expect(JSON.parse(record ?? '{}')).toMatchObject({ caller: 'admin', name: 'echo', status: 'success' });
    // Without a reachable socket: the lock error, coded, naming the admin socket.
    const locked = await runCli(['run', 'tool', 'echo', '-p', 'text=x'], {
      cwd: project.root,
      home: project.home,
      env: { MXCP_ADMIN_SOCKET: project.path('run/none.sock') },
    });
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain('MXCP_E_DB_LOCKED');
    expect(locked.stderr).toContain('admin socket');
  });
});
