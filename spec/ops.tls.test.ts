/**
 * HTTPS without a proxy (`transport.http.tls`): certificates made by openssl in the test (a CA, a server
 * certificate for localhost, a renewal), a real MCP SDK client completing a session over TLS, TLS 1.1
 * refused while TLS 1.2 is accepted, a renewed certificate served after SIGHUP (a broken renewal keeps the
 * old one), and client certificates required when a CA is configured.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type PeerCertificate } from 'node:tls';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { TempProject } from './support/project.js';
import { type Daemon, serveProject, startDaemon, waitFor } from './support/serve-daemon.js';

let project: TempProject | undefined;
let daemon: Daemon | undefined;
afterEach(async () => {
  await daemon?.stop('SIGKILL');
  project?.remove();
  daemon = project = undefined;
});

function openssl(cwd: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd, stdio: 'ignore' });
}

/** A CA and certificates it signs (serials chosen by the caller); all files in the project's `tls/`. */
function makeCerts(p: TempProject): void {
  const dir = p.path('tls');
  p.write('tls/san.ext', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  p.write('tls/client.ext', 'extendedKeyUsage=clientAuth\n');
  openssl(
    dir,
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=spec CA',
  );
  for (const [name, serial, ext] of [
    ['server', '1001', 'san.ext'],
    ['renewed', '2002', 'san.ext'],
    ['client', '3003', 'client.ext'],
  ] as const) {
    openssl(
      dir,
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=${name === 'client' ? 'spec client' : 'localhost'}`,
    );
    openssl(
      dir,
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-set_serial',
      serial,
      '-days',
      '2',
      '-out',
      `${name}.crt`,
      '-extfile',
      ext,
    );
  }
  // The files the daemon is configured with; a renewal overwrites them in place, as certbot's deploy hook does.
  p.write('tls/live.crt', readFileSync(p.path('tls/server.crt')));
  p.write('tls/live.key', readFileSync(p.path('tls/server.key')));
}

function config(p: TempProject, withCa = false): string {
  return p.write(
    'config.yml',
    `mxcp: 1\ntransport:\n  http:\n    tls:\n      cert: ${p.path('tls/live.crt')}\n      key: ${p.path('tls/live.key')}\n${withCa ? `      ca: ${p.path('tls/ca.crt')}\n` : ''}`,
  );
}

async function startTls(p: TempProject, withCa = false): Promise<Daemon> {
  // startDaemon waits on plain-HTTP /health; over TLS that never answers, so poll over TLS here instead.
  const d = await startDaemon(p, [], { env: { MXCP_CONFIG_PATH: config(p, withCa) }, noWait: true });
  await waitFor(() => d.stderr().includes('Listening on https://'), 30_000);
  return d;
}

function handshake(
  port: number,
  options: { ca: Buffer; maxVersion?: 'TLSv1.1' | 'TLSv1.2'; minVersion?: 'TLSv1' | 'TLSv1.2'; cert?: Buffer; key?: Buffer },
): Promise<{ ok: true; cert: PeerCertificate; protocol: string | null } | { ok: false; error: string }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ...options });
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      const protocol = socket.getProtocol();
      // With TLS 1.3 a missing client certificate is refused after the handshake: give the alert time to arrive.
      setTimeout(() => {
        if (socket.destroyed) return;
        socket.end();
        resolve({ ok: true, cert, protocol });
      }, 200);
    });
    socket.once('error', (err) => resolve({ ok: false, error: err.message }));
    socket.once('close', () => resolve({ ok: false, error: 'closed' }));
  });
}

describe('HTTPS (transport.http.tls)', () => {
  it('a real MCP client completes a session over TLS; TLS 1.1 is refused, TLS 1.2 accepted', async () => {
    project = serveProject();
    makeCerts(project);
    daemon = await startTls(project);
    const ca = readFileSync(project.path('tls/ca.crt'));
    const agent = new Agent({ connect: { ca } });
    const client = new Client({ name: 'spec', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`https://localhost:${daemon.port}/mcp`), {
        fetch: (url, init) => undiciFetch(url, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>,
      }),
    );
    const result = await client.callTool({ name: 'get_user', arguments: { id: 2 } });
    expect(result.structuredContent).toEqual({ id: 2, name: 'bob', role: 'user' });
    await client.close();
    await agent.close();

    const old = await handshake(daemon.port, { ca, minVersion: 'TLSv1', maxVersion: 'TLSv1.1' });
    expect(old.ok).toBe(false);
    const tls12 = await handshake(daemon.port, { ca, maxVersion: 'TLSv1.2' });
    expect(tls12).toMatchObject({ ok: true, protocol: 'TLSv1.2' });
    // Plain HTTP on the TLS port gets no answer an MCP client could mistake for one.
    await expect(fetch(`http://127.0.0.1:${daemon.port}/health`)).rejects.toThrow();
  });

  it('serves a renewed certificate after SIGHUP; a broken renewal keeps the previous one', async () => {
    project = serveProject();
    makeCerts(project);
    daemon = await startTls(project);
    const ca = readFileSync(project.path('tls/ca.crt'));
    const serial = async () => {
      const r = await handshake(daemon!.port, { ca });
      if (!r.ok) throw new Error(r.error);
      return r.cert.serialNumber.toUpperCase();
    };
    expect(await serial()).toBe('03E9'); // 1001
    project.write('tls/live.crt', readFileSync(project.path('tls/renewed.crt')));
    project.write('tls/live.key', readFileSync(project.path('tls/renewed.key')));
    daemon.child.kill('SIGHUP');
    // New connections get the renewed certificate once the SIGHUP has been handled.
    const deadline = Date.now() + 20_000;
    while ((await serial()) !== '07D2') {
      if (Date.now() > deadline) throw new Error('the renewed certificate was never served');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await serial()).toBe('07D2'); // 2002

    project.write('tls/live.crt', 'not a certificate\n');
    daemon.child.kill('SIGHUP');
    await waitFor(() => daemon!.stderr().includes('MXCP_E_TLS_LOAD'));
    expect(await serial()).toBe('07D2');
    expect(daemon.child.exitCode).toBeNull();
  });

  it('with a CA configured, a client certificate signed by it is required', async () => {
    project = serveProject();
    makeCerts(project);
    daemon = await startTls(project, true);
    const ca = readFileSync(project.path('tls/ca.crt'));
    const anonymous = await handshake(daemon.port, { ca });
    expect(anonymous.ok).toBe(false);
    const withCert = await handshake(daemon.port, {
      ca,
      cert: readFileSync(project.path('tls/client.crt')),
      key: readFileSync(project.path('tls/client.key')),
    });
    expect(withCert.ok).toBe(true);
  });

  it('a certificate that cannot be read stops the start with a coded error naming the file', async () => {
    project = serveProject();
    makeCerts(project);
    project.write('tls/live.key', 'garbage');
    const d = await startDaemon(project, [], { env: { MXCP_CONFIG_PATH: config(project) }, noWait: true });
    expect(await d.exited()).toBe(1);
    expect(d.stderr()).toContain('MXCP_E_TLS_LOAD');
    expect(d.stderr()).toContain('live.crt');
  });
});
