/**
 * The real daemon for serve specs: `node dist/daemon/cli/main.js serve ...` as a child process in a temp
 * copy of the serve fixture project, on a free port, ready once `/health` answers.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { cpSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { kBin } from './cli.js';
import { type TempProject, tempProject } from './project.js';

export const kServeFixture = fileURLToPath(new URL('../fixtures/serve/project/', import.meta.url));

/** A temp project holding the serve fixture (plus `extra` files, which may override fixture files). */
export function serveProject(extra: Record<string, string> = {}): TempProject {
  const project = tempProject({}, { site: null });
  cpSync(kServeFixture, project.root, { recursive: true });
  for (const [rel, content] of Object.entries(extra)) project.write(rel, content);
  return project;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Daemon {
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code when the process exits on its own. */
  exited(): Promise<number | null>;
  /** Sends a signal and resolves with the exit code (SIGKILL after `timeoutMs`). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
}

export interface DaemonOptions {
  readonly env?: Record<string, string>;
  /** Skip waiting for /health (startup failures, stdio). */
  readonly noWait?: boolean;
  /** A port chosen beforehand (a redirect URI registered at an IdP must name it); default: a free one. */
  readonly port?: number;
}

/** Environment variables that would leak the developer's setup into a spec. */
const kScrubbed = ['MXCP_CONFIG', 'MXCP_CONFIG_PATH', 'MXCP_PROFILE', 'MXCP_DUCKDB_PATH', 'MXCP_READONLY', 'MXCP_DEBUG', 'MXCP_LOG_LEVEL'];

export function spawnServe(
  project: TempProject,
  args: readonly string[],
  env: Record<string, string> = {},
): ChildProcessWithoutNullStreams {
  const childEnv: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', HOME: project.home, ...env };
  for (const k of kScrubbed) if (!(k in env)) delete childEnv[k];
  return spawn(process.execPath, [kBin, 'serve', ...args], { cwd: project.root, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
}

export async function startDaemon(project: TempProject, args: readonly string[] = [], options: DaemonOptions = {}): Promise<Daemon> {
  const port = options.port ?? (await freePort());
  const child = spawnServe(project, ['--port', String(port), ...args], options.env);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const daemon: Daemon = {
    port,
    base: `http://127.0.0.1:${port}`,
    child,
    stdout: () => out,
    stderr: () => err,
    exited: () => exited,
    async stop(signal = 'SIGTERM', timeoutMs = 30_000) {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  if (options.noWait) return daemon;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mxcp serve exited with ${child.exitCode}:\n${err}`);
    try {
      const res = await fetch(`${daemon.base}/health`);
      if (res.ok) return daemon;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`mxcp serve did not become healthy:\n${err}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** One raw HTTP exchange with the daemon (fetch; headers as given). */
export async function post(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string; json(): unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

export async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
