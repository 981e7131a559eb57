/**
 * The official MCP conformance suite's authorization-server scenarios (@modelcontextprotocol/conformance
 * 0.2.0-alpha.12, on Node 22) against `mxcp serve` in issuer mode: the RFC 8414 metadata endpoint and a full
 * authorization-code grant with PKCE and `resource`, for a pre-registered client. The suite prints the
 * authorization URL and waits for the browser's redirect on its callback port; the test is the browser (the
 * upstream login at oidc-provider is approved automatically). Results are compared with the committed
 * baseline spec/conformance/auth-expected-failures.json, which may only shrink.
 */
import { spawn } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Baseline, compare, readChecks } from './support/conformance-baseline.js';
import { conformanceCli, node22 } from './support/node22.js';
import { browse, type Idp, oidcIssuerAuth, startIdp, upstreamClient } from './support/oidc-idp.js';
import { type TempProject, tempProject } from './support/project.js';
import { type Daemon, freePort, startDaemon } from './support/serve-daemon.js';

const kFixture = fileURLToPath(new URL('./fixtures/auth/project/', import.meta.url));
const kBaseline = JSON.parse(readFileSync(new URL('./conformance/auth-expected-failures.json', import.meta.url), 'utf8')) as Baseline;

let idp: Idp;
let project: TempProject;
let daemon: Daemon;
let port: number;
let callbackPort: number;

beforeAll(async () => {
  port = await freePort();
  callbackPort = await freePort();
  idp = await startIdp({
    clients: [upstreamClient(port)],
  });
  project = tempProject({}, { site: null });
  cpSync(kFixture, project.root, { recursive: true });
  const config = project.write(
    'config.yml',
    `mxcp: 1
projects:
  authdemo:
    profiles:
      dev:
${oidcIssuerAuth(idp)}          clients:
            - client_id: conformance-client
              name: MCP conformance suite
              redirect_uris: [http://127.0.0.1:${callbackPort}/callback]
`,
  );
  daemon = await startDaemon(project, [], { port, env: { MXCP_CONFIG_PATH: config } });
}, 360_000);

afterAll(async () => {
  await daemon?.stop('SIGKILL');
  await idp?.close();
  project?.remove();
});

/** Runs the suite; plays the browser when it prints the authorization URL. */
function runSuite(out: string): Promise<{ code: number | null; output: string }> {
  const args = [
    conformanceCli('next'),
    'authorization',
    '--url',
    `http://localhost:${port}`,
    '--client-id',
    'conformance-client',
    '--resource',
    `http://localhost:${port}/mcp`,
    '--port',
    String(callbackPort),
    '-o',
    out,
  ];
  const child = spawn(node22(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let browsed = false;
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    const url = /(http:\/\/localhost:\d+\/authorize\?\S+)/.exec(output)?.[1];
    if (url && !browsed) {
      browsed = true;
      const callback = `http://127.0.0.1:${callbackPort}/callback`;
      void browse(url, callback)
        .then((end) => (end.url.startsWith(callback) ? fetch(end.url) : undefined))
        .catch((err: unknown) => {
          output += `\n[browser] ${String(err)}`;
        });
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

describe('@modelcontextprotocol/conformance authorization scenarios (0.2.0-alpha.12)', () => {
  it('metadata endpoint and authorization-code grant: no failure outside the baseline, no stale baseline entry', async () => {
    const out = project.path('conformance-out');
    const { output } = await runSuite(out);
    const checks = readChecks(out);
    const scenarios = new Set(checks.map((c) => c.scenario));
    expect([...scenarios].sort(), output).toEqual([
      'authorization-server-authorization-code-grant',
      'authorization-server-authorization-server-metadata-endpoint',
    ]);
    const { regressions, stale } = compare(checks, kBaseline);
    expect(regressions, `new failures (fix them; the baseline may only shrink):\n${output.slice(-3000)}`).toEqual([]);
    expect(stale, 'baseline entries that now pass: delete them from spec/conformance/auth-expected-failures.json').toEqual([]);
    expect(checks.filter((c) => c.status === 'SUCCESS').map((c) => c.id)).toEqual(
      expect.arrayContaining(['authorization-server-metadata', 'authorization-code-grant']),
    );
  });
});
