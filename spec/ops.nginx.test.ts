/**
 * nginx from Debian with the shipped config/proxy/nginx.conf (templated only for ports, upstream address and
 * certificate paths) in front of the daemon: an MCP session over HTTPS through it streams progress
 * notifications as they happen (no buffering: the first arrives long before the result), a tool call works
 * end to end, and the forwarded headers nginx sets shape the OAuth issuer URL only when `trust_proxy` is set.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TempProject, tempProject } from './support/project.js';
import { type Daemon, freePort, serveProject, startDaemon, waitFor } from './support/serve-daemon.js';

const kNginxConf = readFileSync(new URL('../config/proxy/nginx.conf', import.meta.url), 'utf8');
const kStreamTool = `mxcp: 1
tool:
  name: stream_progress
  description: Reports progress, waits, reports again, answers.
  language: typescript
  return:
    type: string
  source:
    file: ../ts/stream_progress.ts
`;
const kStreamTs = `import { mcp } from 'mxcp/sdk';
export async function stream_progress(): Promise<string> {
  mcp.progress(1, 3, 'first');
  await new Promise((r) => setTimeout(r, 1500));
  mcp.progress(2, 3, 'second');
  await new Promise((r) => setTimeout(r, 200));
  return 'streamed';
}
`;

const projects: TempProject[] = [];
const daemons: Daemon[] = [];
let nginx: ReturnType<typeof spawn> | undefined;
let work: TempProject;
let agent: Agent;
let plainPort: number;
let trustedPort: number;

/** The shipped server block, pointed at `upstreamPort` and listening on `listenPort` with the test's certificate. */
function serverBlock(name: string, upstreamPort: number, listenPort: number): string {
  return kNginxConf
    .replaceAll('upstream mxcp {', `upstream ${name} {`)
    .replace('server mxcp:8000;', `server 127.0.0.1:${upstreamPort};`)
    .replace('proxy_pass http://mxcp;', `proxy_pass http://${name};`)
    .replace('listen 443 ssl http2;', `listen 127.0.0.1:${listenPort} ssl http2;`)
    .replace('server_name api.example.com;', 'server_name localhost;')
    .replace('/etc/ssl/certs/server.crt', work.path('tls/server.crt'))
    .replace('/etc/ssl/private/server.key', work.path('tls/server.key'));
}

function githubConfig(p: TempProject, trustProxy: boolean): string {
  return p.write(
    'config.yml',
    `mxcp: 1
transport:
  http:
    trust_proxy: ${trustProxy}
projects:
  serve-demo:
    profiles:
      dev:
        auth:
          provider: github
          github: {client_id: a, client_secret: b}
`,
  );
}

beforeAll(async () => {
  work = tempProject({}, { site: null });
  projects.push(work);
  mkdirSync(work.path('tls'));
  mkdirSync(work.path('nginx/tmp'), { recursive: true });
  work.write('tls/san.ext', 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: work.path('tls'), stdio: 'ignore' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=spec CA');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  ssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-set_serial',
    '7',
    '-days',
    '2',
    '-out',
    'server.crt',
    '-extfile',
    'san.ext',
  );
  agent = new Agent({ connect: { ca: readFileSync(work.path('tls/ca.crt')) } });

  // Daemon 1: the MCP session (no auth). Daemon 2: auth, trust_proxy on, behind nginx too.
  const streaming = serveProject({ 'tools/stream_progress.yml': kStreamTool, 'ts/stream_progress.ts': kStreamTs });
  const trusted = serveProject();
  projects.push(streaming, trusted);
  daemons.push(await startDaemon(streaming), await startDaemon(trusted, [], { env: { MXCP_CONFIG_PATH: githubConfig(trusted, true) } }));
  plainPort = await freePort();
  trustedPort = await freePort();
  const prefix = work.path('nginx');
  const main = work.write(
    'nginx/nginx.conf',
    `daemon off;
master_process off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events {}
http {
  access_log off;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
${serverBlock('mxcp', daemons[0]!.port, plainPort)}
${serverBlock('mxcp_trusted', daemons[1]!.port, trustedPort)}
}
`,
  );
  nginx = spawn('nginx', ['-p', prefix, '-c', main], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  nginx.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  await waitFor(() => {
    try {
      execFileSync('curl', ['-sf', '--cacert', work.path('tls/ca.crt'), `https://localhost:${plainPort}/health`], { stdio: 'ignore' });
      return true;
    } catch {
      if (nginx?.exitCode !== null) throw new Error(`nginx exited: ${err}`);
      return false;
    }
  }, 20_000);
}, 90_000);

afterAll(async () => {
  nginx?.kill('SIGKILL');
  for (const d of daemons) await d.stop('SIGKILL');
  await agent?.close();
  for (const p of projects) p.remove();
});

const viaAgent = (url: string | URL, init?: RequestInit) =>
  undiciFetch(url, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>;

describe('behind nginx (config/proxy/nginx.conf)', () => {
  it('an MCP session over HTTPS streams progress as it happens, and the tool call completes', async () => {
    const client = new Client({ name: 'spec', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`https://localhost:${plainPort}/mcp`), { fetch: viaAgent }));
    const progress: { at: number; message?: string }[] = [];
    const started = Date.now();
    const result = await client.callTool({ name: 'stream_progress', arguments: {} }, undefined, {
      onprogress: (p) => progress.push({ at: Date.now(), message: p.message }),
    });
    const ended = Date.now();
    expect(result.content).toEqual([{ type: 'text', text: 'streamed' }]);
    expect(progress.map((p) => p.message)).toEqual(['first', 'second']);
    // Unbuffered: the first notification arrived about when it was sent, not with the result 1.7 s later.
    expect(progress[0]!.at - started).toBeLessThan(ended - started - 1000);
    const users = await client.callTool({ name: 'get_user', arguments: { id: 1 } });
    expect(users.structuredContent).toMatchObject({ id: 1, name: 'ann' });
    await client.close();
  });

  it('probes pass through: /health and /ready', async () => {
    expect((await viaAgent(`https://localhost:${plainPort}/health`)).status).toBe(200);
    expect((await viaAgent(`https://localhost:${plainPort}/ready`)).status).toBe(200);
  });

  it("with trust_proxy, the OAuth issuer is nginx's https URL; without, forwarded headers are ignored", async () => {
    const viaNginx = (await (await viaAgent(`https://localhost:${trustedPort}/.well-known/oauth-authorization-server`)).json()) as {
      issuer: string;
    };
    expect(viaNginx.issuer).toBe(`https://localhost:${trustedPort}`);
    // A daemon without trust_proxy, sent the same headers directly: its own URL.
    const untrustedProject = serveProject();
    projects.push(untrustedProject);
    const untrusted = await startDaemon(untrustedProject, [], { env: { MXCP_CONFIG_PATH: githubConfig(untrustedProject, false) } });
    daemons.push(untrusted);
    const direct = (await (
      await fetch(`http://localhost:${untrusted.port}/.well-known/oauth-authorization-server`, {
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' },
      })
    ).json()) as { issuer: string };
    expect(direct.issuer).toBe(`http://localhost:${untrusted.port}`);
  });
});
